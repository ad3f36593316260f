"""Everything whole on one screen: print, as one JSON line, every control that is cut.

Run by tests/test_clipping.py, one process per screen size, on Qt's offscreen platform with
a screen of that size (QT_QPA_PLATFORM=offscreen:configfile=FILE):

    python tests/clipping_probe.py DATA_DIR [--only desktop|kiosk]

For the desktop window (at 100, 200, 250 and 300 % text) and the kiosk (at its default and
largest text), in English and Spanish
(and on a kiosk with and without the on-screen keyboard), it shows the reader as people see
it: an answer; a search with results and the crisis card; a crisis search with no results;
crisis words in the other language; a search the FAQ does not cover (the Ask button); the
feedback form with the crisis card, its words in either language, and the thank-you page
with it. In each it checks every visible button and one-line label against its size hint,
every wrapped label against the height its lines need, that no two of them overlap, that
nothing is cut by the widget around it, that the window and its minimum size stay within
the screen's available area, and (desktop) that the answer pane shows at least eight lines
of its paragraphs (but beside the crisis card, which comes first).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QLabel,
    QLineEdit,
    QScrollBar,
    QWidget,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from screen_session import close_kiosk, open_kiosk_on_screen, settle, wait_until  # noqa: E402

from reader.config import KioskSettings, Settings  # noqa: E402
from reader.content import Renderer, load_document  # noqa: E402
from reader.paths import resolve_paths  # noqa: E402
from reader.settings import MAX_SCALE, Preferences  # noqa: E402
from reader.ui.search_panel import placeholder_room  # noqa: E402

ANSWER_LINES = 8
# the desktop's usual text and the large ones, where the answer once showed two lines
DESKTOP_SCALES = (100, 200, 250, MAX_SCALE)
# what people type: crisis words that find answers, crisis words that find none, crisis
# words in the other language (the card gives that language's line too: a Spanish speaker
# on the English screen every kiosk starts with), and a question the FAQ does not cover
SEARCHES = {"en": {"crisis, results": "suicide", "crisis, no results": "i want to kill myself",
                   "crisis in Spanish": "no quiero vivir", "not covered": "zyxwvut"},
            "es": {"crisis, results": "suicidio", "crisis, no results": "quiero matarme",
                   "crisis in English": "i want to kill myself", "not covered": "zyxwvut"}}
# the form's comments, in the screen's language and in the other one
FORM_WORDS = {"en": {"": "I want to kill myself", " in Spanish": "Quiero matarme"},
              "es": {"": "Quiero matarme", " in English": "I want to kill myself"}}


def _skipped(widget: QWidget) -> bool:
    """Parts of other controls (a field's clear button, scroll bar arrows)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QLineEdit | QAbstractSpinBox | QScrollBar):
            return True
        parent = parent.parentWidget()
    return False


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton | QLabel) else ""
    return f"{type(widget).__name__}#{widget.objectName()} {text[:40]!r}"


def cut_by_ancestor(widget: QWidget, top: QWidget) -> str:
    """The ancestor (below a scrolling viewport) whose rectangle does not hold `widget`."""
    rect = widget.rect()
    current: QWidget = widget
    while current is not top:
        parent = current.parentWidget()
        if parent is None:
            return ""
        rect = rect.translated(current.pos())
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            # scrolled content: partly out of view is what scrolling is, but not sideways
            # where the area never scrolls sideways
            never = area.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            if never and rect.right() > parent.rect().right():
                return f"{type(area).__name__}#{area.objectName()} (it never scrolls sideways)"
            return ""
        if not parent.rect().contains(rect):
            return f"{type(parent).__name__}#{parent.objectName()}"
        current = parent
    return ""


def problems_in(top: QWidget, screen: QRect) -> list[str]:
    found = []
    frame = top.frameGeometry()
    if not screen.contains(frame):
        found.append(f"window {frame.getRect()} outside the screen {screen.getRect()}")
    minimum = top.minimumSizeHint().expandedTo(top.minimumSize())
    if minimum.width() > screen.width() or minimum.height() > screen.height():
        found.append(f"window minimum {minimum.toTuple()} larger than the screen "
                     f"{screen.size().toTuple()}")
    checked: list[QWidget] = []
    for widget in top.findChildren(QWidget):
        if not widget.isVisible() or _skipped(widget):
            continue
        if widget.objectName() == "qt_toolbar_ext_button":
            found.append("the toolbar hides buttons behind its overflow arrow")
            continue
        size = widget.size()
        if isinstance(widget, QAbstractButton) and widget.hasHeightForWidth():  # words wrap
            narrowest, needed = widget.minimumSizeHint().width(), widget.heightForWidth(
                size.width())
            if size.width() < narrowest or size.height() < needed:
                found.append(f"{_name(widget)} is {size.toTuple()}, its lines need "
                             f"{narrowest} x {needed}")
        elif isinstance(widget, QAbstractButton):
            hint = widget.sizeHint()
            if size.width() < hint.width() or size.height() < hint.height():
                found.append(f"{_name(widget)} is {size.toTuple()}, needs {hint.toTuple()}")
        elif isinstance(widget, QLineEdit) and not widget.text() and widget.placeholderText():
            shown, room = widget.placeholderText(), placeholder_room(widget)
            if widget.fontMetrics().horizontalAdvance(shown) > room:
                found.append(f"{_name(widget)} elides its placeholder {shown!r} in {room} px")
        elif isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            if widget.wordWrap():
                needed = widget.heightForWidth(size.width())
                if size.height() < needed:
                    found.append(f"{_name(widget)} is {size.height()} px tall, its lines "
                                 f"need {needed}")
            else:
                hint = widget.sizeHint()
                if size.width() < hint.width() or size.height() < hint.height():
                    found.append(f"{_name(widget)} is {size.toTuple()}, needs {hint.toTuple()}")
        else:
            continue
        outside = cut_by_ancestor(widget, top)
        if outside:
            found.append(f"{_name(widget)} is cut by {outside}")
        checked.append(widget)
    for index, widget in enumerate(checked):  # drawn over each other
        for other in checked[index + 1:]:
            if other.parentWidget() is widget.parentWidget() and \
                    widget.geometry().intersects(other.geometry()):
                found.append(f"{_name(widget)} overlaps {_name(other)}")
    return found


def line_pitch(viewer) -> float:
    """From one line of a paragraph to the next, as the answer is laid out (its font and
    line spacing at this text size)."""
    block = viewer.document().begin()
    while block.isValid():
        layout = block.layout()
        if layout.lineCount() > 1 and not block.blockFormat().headingLevel():
            return layout.lineAt(1).y() - layout.lineAt(0).y()
        block = block.next()
    return QFontMetrics(viewer.document().defaultFont()).lineSpacing() * 1.5


def answer_lines(window) -> float:
    viewer = window.viewer
    return viewer.viewport().height() / line_pitch(viewer)


class Probe:
    def __init__(self, data: Path):
        self.data = data
        self.problems: list[str] = []
        self.cases: list[str] = []
        self.screen = QApplication.primaryScreen().availableGeometry()

    def build(self, kiosk: bool, language: str, scale: int):
        from reader.ui.i18n import install_translators
        from reader.ui.session import ReaderSession
        from reader.ui.window import MainWindow

        data = self.data / f"{kiosk}-{language}-{scale}"
        if kiosk:
            return open_kiosk_on_screen(language, scale, data)
        install_translators(QApplication.instance(), language)
        paths = resolve_paths(content=None, data_dir=data, config=self.data / "reader.toml")
        paths.ensure_data_dir()
        document = load_document(paths.content_dir, language=language)
        session = ReaderSession(document, Renderer(document, None), paths,
                                Settings(kiosk=KioskSettings(enabled=False)),
                                Preferences(text_scale=scale, theme="light"))
        window = MainWindow(session)
        window.open_initial(None)
        window.show()
        wait_until(window.isVisible)
        settle()
        return window, None

    def check(self, window, case: str, lines: bool = False) -> None:
        settle()
        self.cases.append(case)
        self.problems += [f"{case}: {problem}" for problem in problems_in(window, self.screen)]
        if lines and answer_lines(window) < ANSWER_LINES:
            self.problems.append(f"{case}: the answer pane shows {answer_lines(window):.1f} "
                                 f"lines, not {ANSWER_LINES}")

    def search(self, window, query: str) -> None:
        panel = window.search_panel
        shown = []
        panel.searched.connect(shown.append)
        panel.field.setText(query)
        if not wait_until(lambda: shown):
            self.problems.append(f"no answer to the search {query!r}")
        panel.searched.disconnect(shown.append)

    def run_window(self, kiosk: bool, language: str, scale: int) -> None:
        window, controller = self.build(kiosk, language, scale)
        keyboard = getattr(controller, "keyboard", None)
        mode = "kiosk" if kiosk else "desktop"
        for keys in ([False, True] if keyboard is not None else [False]):
            name = f"{self.screen.width()}x{self.screen.height()} {mode} {language} {scale}%" + (
                " keyboard" if keys else "")
            field = window.search_panel.field
            if keys:
                field.setFocus()
                keyboard.show_for(field)
                wait_until(keyboard.isVisible)
            lines = not kiosk  # the desktop's answer shows eight lines beside everything
            self.check(window, f"{name}, an answer", lines)
            for what, query in SEARCHES[language].items():
                self.search(window, query)
                card = window.search_panel.crisis_card
                if ("crisis" in what) != card.isVisible():
                    self.problems.append(f"{name}: {query!r}: the crisis card is "
                                         f"{'hidden' if card.isHidden() else 'shown'}")
                if keys and not keyboard.isVisible():  # the card asked it to step aside
                    keyboard.show_for(field)
                # the crisis card outranks the answer: it has the question column's height
                self.check(window, f"{name}, {what}", lines and "crisis" not in what)
            window.clear_search()
            for which, words in FORM_WORDS[language].items():
                self.form(window, name, words, which, keyboard if keys else None)
        window.save_on_close = False
        if controller is not None:
            close_kiosk(window, controller)
            return
        window.close()
        window.deleteLater()
        settle()

    def form(self, window, name: str, words: str, which: str, keyboard) -> None:
        window.open_feedback()
        form = window.feedback_form
        wait_until(form.isVisible)
        form.name.setText("Ana")
        form.comments.setPlainText(words)
        if keyboard is not None:
            form.comments.setFocus()
            keyboard.show_for(form.comments)
        wait_until(form.crisis_card.isVisible)
        self.check(form.window(), f"{name}, the form{which}")
        form.submit_button.click()
        wait_until(form.showing_thanks)
        if not form.thanks_crisis.isVisible():
            self.problems.append(f"{name}: no crisis card on the thank-you page{which}")
        self.check(form.window(), f"{name}, the thank-you page{which}")
        form.reset()
        form.hide()


def main(argv: list[str]) -> int:
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    data = Path(argv[0])
    only = argv[argv.index("--only") + 1] if "--only" in argv else ""
    probe = Probe(data)
    for language in ("en", "es"):
        for kiosk in (False, True):
            if only and only != ("kiosk" if kiosk else "desktop"):
                continue
            for scale in ((KioskSettings().text_scale, MAX_SCALE) if kiosk else DESKTOP_SCALES):
                probe.run_window(kiosk, language, scale)
    print(json.dumps({"cases": probe.cases, "problems": probe.problems}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
