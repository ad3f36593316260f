"""Switching between English and Spanish in a running reader.

Every label is made in its language when a widget is built, so a switch builds the reader
again in the other language (document, search index, translators, window) and carries over
what the reader had: the open question (the same id), the text size and the history. A
kiosk goes back to its default language at every reset, for the next person."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QPixmapCache

from reader.config import Settings
from reader.content import Document, Renderer, load_document
from reader.paths import Paths
from reader.settings import Preferences
from reader.ui.i18n import install_translators
from reader.ui.qapp import application
from reader.ui.session import ReaderSession
from reader.ui.window import MainWindow

if TYPE_CHECKING:
    from reader.ui.kiosk import KioskController

class LanguageSwitcher(QObject):
    """Owns the current window; `switch(language)` rebuilds it in that language."""

    def __init__(self, paths: Paths, settings: Settings, prefs: Preferences, kiosk: bool,
                 default_language: str, staff_notes: list[str],
                 on_window: Callable[[MainWindow], None] | None = None):
        super().__init__(application())
        self.paths, self.settings, self.prefs = paths, settings, prefs
        self.kiosk, self.default_language = kiosk, default_language
        self.staff_notes = staff_notes
        self.on_window = on_window  # e.g. printing and presenting for a desktop window
        self.window: MainWindow | None = None
        self.controller: KioskController | None = None

    def build(self, document: Document) -> tuple[MainWindow, KioskController | None]:
        """A window (and, on a kiosk, its controller) for `document`, in a new session."""
        renderer = Renderer(document, self.paths.data_dir / "render-cache")
        session = ReaderSession(document, renderer, self.paths, self.settings, self.prefs)
        controller = None
        if not self.kiosk:
            window = MainWindow(session)
            if self.on_window is not None:
                self.on_window(window)
        else:
            from reader.ui.kiosk import open_kiosk

            window, controller = open_kiosk(session, staff_notes=self.staff_notes)
        session.setParent(window)  # freed with its window when the language changes
        return window, controller

    def adopt(self, window: MainWindow, controller: KioskController | None = None) -> None:
        """The first window, built by launch."""
        self.window, self.controller = window, controller
        window.languageRequested.connect(self.switch)
        if controller is not None:
            controller.sessionReset.connect(self._back_to_default)

    def switch(self, language: str) -> None:
        old, old_controller = self.window, self.controller
        if old is None or language == old.document.language:
            return
        for warning in install_translators(application(), language):
            print(f"warning: {warning}", file=sys.stderr)
        content = self.settings.content
        text_scale = old.prefs.text_scale  # a kiosk's new controller sets its own
        bar = old.viewer.verticalScrollBar()
        place = bar.value() / bar.maximum() if bar.maximum() else 0.0
        window, controller = self.build(load_document(
            self.paths.content_dir, content.crisis_line, content.danger_line, language))
        if controller is None:
            window.restoreGeometry(old.saveGeometry())
        window.themes.set_text_scale(text_scale)
        window.history.entries = list(old.history.entries)
        window.history.index = old.history.index
        if not window.open_section(old.current_id, record=False):
            window.go_home()
        window.history.changed.emit()
        self.window = None
        self.adopt(window, controller)
        if controller is not None:
            controller.show_window()
        else:
            window.show()
        window.activateWindow()  # the old one closes: typing goes on in this one
        _scroll_to_fraction(window.viewer, place)
        QTimer.singleShot(200, window.session.start_sender)
        old.save_on_close = False  # the new window keeps (and saves) the same preferences
        if old_controller is not None:
            old_controller.allow_exit()
        old.close()
        old.deleteLater()
        if self.kiosk:
            self._give_back_memory_soon()

    def _back_to_default(self) -> None:
        if self.window is not None and self.window.document.language != self.default_language:
            QTimer.singleShot(0, lambda: self.switch(self.default_language))
        else:
            self._give_back_memory_soon()

    def _give_back_memory_soon(self) -> None:
        """Once the last reader's widgets are deleted, what is left of them goes too, and a
        kiosk keeps its size for months: Qt's pixmap cache (the style's drawn frames and
        gradients, up to 10 MiB; the next reader's are drawn again at once), and the Python
        side of the old reader (its document, crisis words and widgets' wrappers hold one
        another in cycles that Python's own collector reached only after dozens of readers)."""
        QTimer.singleShot(1000, self, _give_back_memory)


def _give_back_memory() -> None:
    QPixmapCache.clear()
    gc.collect()


def _scroll_to_fraction(viewer, place: float) -> None:
    """The same place in the answer, as a share of its length (the other language's text is
    longer or shorter); again while the new page is still being laid out."""
    bar = viewer.verticalScrollBar()

    def follow(_low: int = 0, high: int = 0) -> None:
        bar.setValue(round(place * bar.maximum()))

    follow()
    if place:
        bar.rangeChanged.connect(follow)
        QTimer.singleShot(1000, bar, lambda: bar.rangeChanged.disconnect(follow))
