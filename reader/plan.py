"""A facilitator's session plan: the questions to present and to hand out, in their order.

Chosen once (from the question list, from search results, or in the handout dialog) and
used by both the presentation and the handout. Question ids are the same in every
language, so one plan serves both. An empty plan means the whole FAQ in its own order.
No Qt: the widgets show the plan and call these methods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from reader.content import Document


class Plan:
    def __init__(self, ids: Iterable[str] = (),
                 on_change: Callable[[list[str]], None] | None = None):
        self._ids = _unique(ids)
        self._listeners: list[Callable[[list[str]], None]] = [on_change] if on_change else []

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    def __contains__(self, section_id: object) -> bool:
        return section_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def subscribe(self, listener: Callable[[list[str]], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[list[str]], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def questions(self, document: Document) -> list[str]:
        """The planned ids this document has, in order; the whole FAQ when none is planned."""
        planned = [i for i in self._ids if document.get(i) is not None]
        return planned or [s.id for s in document.sections]

    def set(self, ids: Iterable[str]) -> None:
        ids = _unique(ids)
        if ids != self._ids:
            self._ids = ids
            for listener in list(self._listeners):
                listener(self.ids)

    def add(self, ids: Iterable[str]) -> None:
        self.set([*self._ids, *ids])

    def remove(self, section_id: str) -> None:
        self.set(i for i in self._ids if i != section_id)

    def move(self, section_id: str, delta: int) -> None:
        """One place earlier (-1) or later (+1), kept within the plan."""
        if section_id not in self._ids:
            return
        ids = self.ids
        at = ids.index(section_id)
        to = max(0, min(len(ids) - 1, at + delta))
        ids.insert(to, ids.pop(at))
        self.set(ids)

    def clear(self) -> None:
        self.set([])


def _unique(ids: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for section_id in ids:
        if isinstance(section_id, str) and section_id:
            seen.setdefault(section_id, None)
    return list(seen)
