"""What a reader session keeps, apart from the window that shows it: the document and its
renderer, paths, settings and preferences, the search index (opened once, lazily, from any
thread), the crisis words, the outbox and the sender that empties it. `shutdown()` stops the
sender before the outbox closes, so no thread runs into interpreter shutdown."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal

from reader.config import Settings
from reader.content import Document, Renderer
from reader.crisis import CrisisText, CrisisWords, crisis_matcher
from reader.paths import Paths
from reader.plan import Plan
from reader.settings import Preferences, save_preferences

if TYPE_CHECKING:
    from reader.outbox import Outbox
    from reader.search import SearchIndex
    from reader.ui.sender import OutboxWorker


@dataclass(frozen=True)
class WindowPolicy:
    """What differs in a kiosk, given to the window instead of patched onto it."""

    kiosk: bool = False
    remember: bool = True  # the last question, the text size and the window's place
    may_close: Callable[[], bool] | None = None  # None: always
    show_link: Callable[[QUrl], object] | None = None  # None: ask, then the web browser
    extra_stylesheet: str = ""  # on top of the theme's (touch sizes)
    crisis_note: str = ""  # a line for the room on the crisis card
    match_hint: str = ""  # "Match {current} of {total}…" in words of taps, not keys
    embed_feedback: Callable[[QObject], None] | None = None  # the form inside the window
    outbox_shown: bool = True  # False: the messages waiting are for staff only (a kiosk)
    name_the_source: bool = False  # the footer names reader, publisher and date (no title bar)


class ReaderSession(QObject):
    outboxStatusChanged = Signal(str)  # a line for staff, never what anyone wrote

    def __init__(self, document: Document, renderer: Renderer, paths: Paths,
                 settings: Settings, prefs: Preferences, parent: QObject | None = None):
        super().__init__(parent)
        self.document, self.renderer, self.paths = document, renderer, paths
        self.settings, self.prefs = settings, prefs
        self._index: SearchIndex | None = None
        self._index_lock = threading.Lock()
        self._outbox: Outbox | None = None
        self._crisis_words: CrisisWords | None = None
        self.outbox_worker: OutboxWorker | None = None
        self.plan = Plan(prefs.plan, on_change=self._keep_plan)  # a facilitator's, not a kiosk's

    @classmethod
    def for_paths(cls, paths: Paths, settings: Settings | None = None,
                  prefs: Preferences | None = None, language: str = "") -> ReaderSession:
        """A session on the content at `paths`, pages rendered in memory (tests, scripts)."""
        from reader.content import load_document

        document = load_document(paths.content_dir, language=language)
        return cls(document, Renderer(document, None), paths, settings or Settings(),
                   prefs or Preferences())

    # --- reading ------------------------------------------------------------------------

    def search_index(self) -> SearchIndex:
        """Opened (or built) on first use; safe from worker threads."""
        with self._index_lock:
            if self._index is None:
                from reader.search import SearchIndex

                self._index = SearchIndex.open(self.document, self.paths.search_cache_dir)
            return self._index

    def _keep_plan(self, ids: list[str]) -> None:
        self.prefs.plan = ids
        save_preferences(self.paths.settings_file, self.prefs)

    def crisis_words(self) -> CrisisWords:
        if self._crisis_words is None:
            self._crisis_words = crisis_matcher(self.document.folder)
        return self._crisis_words

    def crisis_text(self, staff_note: str = "") -> CrisisText:
        from reader.content import crisis_text

        # a clinic's own line ([content] crisis_line) replaces the content's in every language
        return crisis_text(self.document, staff_note, others=not self.settings.content.crisis_line)

    # --- feedback -----------------------------------------------------------------------

    def outbox(self) -> Outbox:
        if self._outbox is None:
            from reader.outbox import Outbox

            self.paths.ensure_data_dir()
            self._outbox = Outbox.open(self.paths)
        return self._outbox

    def submit_feedback(self, entry) -> str:
        """Stored durably before it returns; then the sender is woken."""
        message_id = self.outbox().submit(entry)
        self.start_sender()
        if self.outbox_worker is not None:
            self.outbox_worker.kick()
        return message_id

    def start_sender(self) -> None:
        """Send waiting feedback in the background; only when email is set up or mail waits."""
        if self.outbox_worker is not None:
            return
        if not (self.settings.smtp.configured or self.paths.outbox_file.exists()):
            return
        from reader.outbox import OutboxError
        from reader.ui.sender import OutboxWorker

        try:
            outbox = self.outbox()
        except OutboxError as exc:
            self.outboxStatusChanged.emit(
                self.tr("Feedback outbox cannot be opened: {reason}").format(reason=exc))
            return
        self.outbox_worker = OutboxWorker(outbox, self.settings.smtp, self)
        self.outbox_worker.statusChanged.connect(self.outboxStatusChanged)
        self.outbox_worker.start()

    def sending(self) -> bool:
        return self.outbox_worker is not None and self.outbox_worker.is_busy()

    # --- the end ------------------------------------------------------------------------

    def shutdown(self, wait_ms: int = 3000) -> None:
        """Stop the sender, then close the outbox and the index; safe to call twice."""
        stopped = self.outbox_worker is None or self.outbox_worker.stop(wait_ms)
        if self._outbox is not None and stopped:  # else a sender still uses it: the process
            self._outbox.close()                  # exit closes it; the message is resent later
            self._outbox = None
        with self._index_lock:
            if self._index is not None:
                self._index.close()
