"""Words and phrases found in what a person types, whole words only, typos forgiven. No Qt.

Used for crisis words (`crisis.txt` beside the content: one phrase per line, `#` comments,
editable by staff) and for topics newer than the text (`newer_topics` in metadata.toml).
A phrase matches a run of whole words: "kill myself" is in "i want to kill myself", while
"kill" in "does ketamine kill brain cells" or "die" in "neurons die off" match nothing
unless a listed phrase says so. Words of five letters or more forgive one typo, of eight or
more two ("sucidal" is "suicidal"); shorter words must be exact ("die" is never "dye").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CRISIS_FILE = "crisis.txt"
_WORD_RE = re.compile(r"[^\W_]+")
MAX_TEXT_CHARS = 20_000  # a feedback message is at most 5,000; never scan more


def normalise(text: str) -> list[str]:
    """The words of a text: lowercase, accents folded, apostrophes joined ("don't" → "dont")."""
    text = unicodedata.normalize("NFKD", text[:MAX_TEXT_CHARS].lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"(?<=\w)['’`](?=\w)", "", text)
    return _WORD_RE.findall(text)


def allowed_typos(word: str) -> int:
    return 0 if len(word) < 5 else 1 if len(word) < 8 else 2


def edit_distance(a: str, b: str, most: int = 99) -> int:
    """Optimal string alignment distance (a swap of two letters counts once).

    Stops early with `most + 1` once the distance must exceed `most`.
    """
    before, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if before and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], before[j - 2] + 1)
        if min(cur) > most:
            return most + 1
        before, prev = prev, cur
    return prev[-1]


def within(typed: str, listed: str, most: int) -> bool:
    """Whether `typed` is at most `most` edits (a swap of two letters is one) from `listed`."""
    if typed == listed:
        return True
    if most == 0 or abs(len(typed) - len(listed)) > most:
        return False
    return edit_distance(typed, listed, most) <= most


class PhraseMatcher:
    """Finds listed phrases in a text; `find` returns the first one found, as listed."""

    def __init__(self, phrases: Iterable[str], most_typos: int = 2) -> None:
        self._most = most_typos
        self.phrases: list[tuple[str, ...]] = []
        for text in phrases:
            found = tuple(normalise(text))
            if found and found not in self.phrases:
                self.phrases.append(found)
        self._vocabulary = {word for phrase in self.phrases for word in phrase}
        self._starting: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.phrases:
            self._starting.setdefault(phrase[0], []).append(phrase)
        self._seen: dict[str, frozenset[str]] = {}  # typed word: the listed words it may be

    def _listed(self, typed: str) -> frozenset[str]:
        found = self._seen.get(typed)
        if found is None:
            found = frozenset(w for w in self._vocabulary
                              if within(typed, w, min(self._most, allowed_typos(w))))
            if len(self._seen) < 50_000:
                self._seen[typed] = found
        return found

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def find(self, text: str) -> tuple[str, ...] | None:
        typed = normalise(text)
        for start, word in enumerate(typed):
            for first in self._listed(word):
                for phrase in self._starting.get(first, ()):
                    rest = typed[start + 1 : start + len(phrase)]
                    if len(rest) == len(phrase) - 1 and all(
                            listed in self._listed(t)
                            for t, listed in zip(rest, phrase[1:], strict=True)):
                        return phrase
        return None

    def matches(self, text: str) -> bool:
        return self.find(text) is not None


def read_phrase_file(path: Path) -> list[str]:
    """One phrase a line, `#` comments; a missing or unreadable file means none."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [line.split("#", 1)[0].strip() for line in text.splitlines()
            if line.split("#", 1)[0].strip()]


def crisis_matcher(content_dir: Path) -> PhraseMatcher:
    return PhraseMatcher(read_phrase_file(content_dir / CRISIS_FILE))


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for pyside6-lupdate; the crisis card translates it when it shows it."""
    return text


DANGER_LINE = QT_TRANSLATE_NOOP("CrisisText", "If you are in danger now, call 911.")


@dataclass(frozen=True)
class CrisisText:
    """What the crisis card says: the crisis line, the danger line, a kiosk's staff note."""

    line: str
    danger: str = DANGER_LINE
    staff_note: str = ""

    def message(self) -> str:
        parts = (self.line, self.danger or DANGER_LINE, self.staff_note)
        return " ".join(part.strip() for part in parts if part and part.strip())
