"""The kiosk's on-screen keyboard, driven by touch only: no key event comes from the test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QScrollArea, QScroller, QWidget

from reader.ui.keyboard import KEY_PX


class ShowWatch(QObject):
    def __init__(self, seen):
        super().__init__()
        self.seen = seen

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Show:
            self.seen()
        return False


def key(keyboard, text: str) -> QPushButton:
    found = [b for b in keyboard.findChildren(QPushButton) if b.text() == text and b.isVisible()]
    assert len(found) == 1, f"{text!r}: {len(found)} visible keys"
    return found[0]


def tap_text(finger, keyboard, text: str, process: bool = True) -> None:
    for char in text:
        finger.tap(keyboard.space if char == " " else key(keyboard, char), process=process)


def on_screen(widget: QWidget) -> QRect:
    window = widget.window()
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def test_it_shows_for_a_text_field_docked_in_the_window_and_hides_after(kiosk_window, finger,
                                                                        qtbot):
    window, controller = kiosk_window()
    keyboard = controller.keyboard
    assert keyboard.objectName() == "onScreenKeyboard" and not keyboard.isVisible()
    field = window.search_panel.field
    finger.tap(field)
    assert QApplication.focusWidget() is field
    assert keyboard.isVisible() and not keyboard.isWindow() and keyboard.window() is window
    assert on_screen(keyboard).bottom() == window.rect().bottom()  # docked at the bottom
    assert on_screen(field).bottom() < on_screen(keyboard).top()

    keys = [b for b in keyboard.findChildren(QPushButton) if b.isVisible()]
    assert len(keys) >= 45
    for button in keys:
        assert button.height() >= KEY_PX and button.width() >= KEY_PX, button.text()
        assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
        if button.property("special"):
            assert button.accessibleName(), button.text()
    for char in "1234567890qwertyuiopasdfghjklñzxcvbnm,.áéíóúü":
        assert key(keyboard, char).accessibleName() in ("", char)
    assert key(keyboard, "⌫").accessibleName() == "Backspace"

    finger.tap(window.viewer.viewport())
    assert not keyboard.isVisible()
    finger.tap(field)
    assert keyboard.isVisible()
    finger.tap(keyboard.hide_key)
    assert not keyboard.isVisible() and QApplication.focusWidget() is field
    finger.tap(field)  # tapping the field again brings it back
    assert keyboard.isVisible()


def test_a_search_typed_with_taps_only(kiosk_window, finger, qtbot):
    window, controller = kiosk_window()
    keyboard, panel = controller.keyboard, window.search_panel
    shown = []
    panel.searched.connect(lambda response: shown.append(response.query))
    finger.tap(panel.field)
    tap_text(finger, keyboard, "side effekts")
    for _ in range(3):
        finger.tap(key(keyboard, "⌫"))
    tap_text(finger, keyboard, "cts")
    qtbot.waitUntil(lambda: bool(shown) and shown[-1] == "side effects", timeout=10_000)
    assert panel.field.text() == "side effects"
    assert panel.field.isUndoAvailable()  # it came in as key presses
    assert panel.results.isVisible() and panel.results.count()
    first = panel.results.item(0).data(Qt.ItemDataRole.UserRole)

    finger.tap(key(keyboard, "Search"))
    assert window.current_id == first
    assert not keyboard.isVisible()  # out of the way of the answer and the results
    notice = window.notice.text()
    assert "highlighted" in notice and "tap" in notice
    assert "F3" not in notice and "Escape" not in notice


def test_shift_is_one_shot_caps_stays_and_the_symbols_page(kiosk_window, finger, qtbot):
    window, controller = kiosk_window()
    keyboard, field = controller.keyboard, window.search_panel.field
    finger.tap(field)
    finger.tap(keyboard.shift_key)
    assert keyboard.shift_key.isChecked()
    assert key(keyboard, "A") and key(keyboard, "Ñ") and key(keyboard, "É")
    tap_text(finger, keyboard, "Ab")
    assert field.text() == "Ab" and not keyboard.shift_key.isChecked()
    finger.tap(keyboard.caps_key)
    tap_text(finger, keyboard, "CDÑ")
    finger.tap(keyboard.caps_key)
    tap_text(finger, keyboard, "é ü1")
    both = []  # both pages at once, even for a moment, would make the window taller
    watchers = [ShowWatch(lambda: both.append(keyboard.letter_page.isVisible()
                                              and keyboard.symbol_page.isVisible()))
                for _ in range(2)]
    keyboard.letter_page.installEventFilter(watchers[0])
    keyboard.symbol_page.installEventFilter(watchers[1])
    finger.tap(keyboard.page_key)
    assert keyboard.page_key.text() == "ABC" and keyboard.page_key.accessibleName() == "Letters"
    for char in "@.,-_'?!¿¡":
        assert key(keyboard, char)
    tap_text(finger, keyboard, "¿¡?_")
    finger.tap(keyboard.page_key)
    tap_text(finger, keyboard, "z")
    assert field.text() == "AbCDÑé ü1¿¡?_z"
    assert both == [False, False]
    assert window.size() == window.screen().geometry().size()


def test_the_form_by_taps_the_field_always_in_view(kiosk_window, finger, qtbot):
    window, controller = kiosk_window()
    keyboard = controller.keyboard
    finger.tap(window.feedback_button)
    form = window.feedback_form
    assert form.isVisible() and not form.isWindow()  # a page of the window: no title bar
    assert not window.splitter.isVisible()
    assert QApplication.focusWidget() is form.username and keyboard.isVisible()

    def in_view(field):
        scroll = form.findChild(QScrollArea).viewport()
        visible = on_screen(scroll).intersected(on_screen(field))
        return (visible.height() >= min(field.height(), 2 * KEY_PX)
                and on_screen(field).top() < on_screen(keyboard).top())

    assert in_view(form.username)
    finger.tap(key(keyboard, "Next"))
    assert QApplication.focusWidget() is form.name
    finger.tap(keyboard.shift_key)
    tap_text(finger, keyboard, "Ana")
    finger.tap(key(keyboard, "Next"))
    qtbot.waitUntil(lambda: in_view(form.email))
    assert QApplication.focusWidget() is form.email
    assert not [k for k in keyboard.accent_keys if k.isVisible()]
    tap_text(finger, keyboard, "ana")
    finger.tap(key(keyboard, "@"))
    finger.tap(key(keyboard, "gmail.com"))
    assert form.email.text() == "ana@gmail.com"
    finger.tap(key(keyboard, "Next"))
    assert QApplication.focusWidget() is form.comments
    qtbot.waitUntil(lambda: in_view(form.comments))
    assert key(keyboard, "é")  # the accents are back
    tap_text(finger, keyboard, "thanks")
    finger.tap(key(keyboard, "New line"))
    tap_text(finger, keyboard, "ok")
    assert form.comments.toPlainText() == "thanks\nok"
    assert form.counter.text().startswith("9 / ")  # the counter saw every key
    assert form.comments.document().isUndoAvailable()

    finger.tap(keyboard.hide_key)  # then a swipe up brings the button into view
    viewport = form.findChild(QScrollArea).viewport()
    start = form.counter.mapTo(viewport, form.counter.rect().center())
    finger.swipe(viewport, start, start - QPoint(0, 200))
    qtbot.waitUntil(lambda: viewport.rect().contains(
        form.submit_button.mapTo(viewport, form.submit_button.rect().center())))
    scroller = QScroller.scroller(viewport)
    qtbot.waitUntil(lambda: scroller.state() == QScroller.State.Inactive)  # come to rest
    finger.tap(form.submit_button)
    qtbot.waitUntil(form.showing_thanks)
    assert form.name.text() == ""
    assert window.width() <= window.screen().geometry().width()  # nothing pushed it wider


def test_keys_tapped_faster_than_the_screen_updates(kiosk_window, finger, qtbot):
    window, controller = kiosk_window()
    keyboard, field = controller.keyboard, window.search_panel.field
    finger.tap(field)
    text = "llama pool 1100"
    tap_text(finger, keyboard, text, process=False)  # no event processing between taps
    qtbot.wait(50)
    assert field.text() == text
    for _ in range(4):
        finger.tap(key(keyboard, "⌫"), process=False)
    qtbot.wait(50)
    assert field.text() == text[:-4]


def test_it_never_types_into_a_field_that_lost_focus(kiosk_window, finger, qtbot):
    window, controller = kiosk_window()
    keyboard, field = controller.keyboard, window.search_panel.field
    finger.tap(field)
    tap_text(finger, keyboard, "do")
    where = on_screen(key(keyboard, "s")).center()
    window.viewer.setFocus()  # focus moves on, e.g. a question opened by other means
    assert not keyboard.isVisible()
    keyboard.show()  # even if it were still on screen
    finger.tap(window, where)
    assert field.text() == "do" and not field.hasFocus()


def test_an_idle_reset_mid_typing_forgets_field_keyboard_and_undo(kiosk_window, finger, qtbot):
    window, controller = kiosk_window(idle_ms=600_000, warning_ms=200)
    keyboard = controller.keyboard
    finger.tap(window.feedback_button)
    form = window.feedback_form
    finger.tap(form.name)
    tap_text(finger, keyboard, "ana")
    finger.tap(keyboard.caps_key)
    finger.tap(keyboard.shift_key)
    finger.tap(keyboard.page_key)
    assert keyboard.symbols and keyboard.caps and keyboard.shift
    with qtbot.waitSignal(controller.sessionReset, timeout=3000):
        controller.show_warning()
    assert not keyboard.isVisible() and not form.isVisible()
    assert not (keyboard.symbols or keyboard.caps or keyboard.shift)
    assert form.name.text() == "" and not form.name.isUndoAvailable()
    finger.tap(window.feedback_button)
    finger.tap(form.name)
    assert keyboard.isVisible() and key(keyboard, "a") and key(keyboard, "?123")


def test_keyboard_false_leaves_typing_to_the_system(kiosk_window, finger):
    window, controller = kiosk_window(keyboard=False)
    assert controller.keyboard is None
    assert window.findChild(QWidget, "onScreenKeyboard") is None
    finger.tap(window.search_panel.field)
    assert QApplication.focusWidget() is window.search_panel.field
    finger.tap(window.feedback_button)
    assert window.feedback_form.isVisible() and not window.feedback_form.isWindow()


SCREEN_CHECK = r"""
import json, sys, tempfile
from pathlib import Path
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QScrollArea
from reader.config import KioskSettings, Settings
from reader.content import Renderer, load_document
from reader.paths import resolve_paths
from reader.settings import Preferences
from reader.ui.kiosk import open_kiosk
from reader.ui.session import ReaderSession

app = QApplication(sys.argv[:1])
app.setStyle("Fusion")
tmp = Path(tempfile.mkdtemp())
paths = resolve_paths(data_dir=tmp / "data", config=tmp / "reader.toml")
settings = KioskSettings(enabled=True, text_scale=int(sys.argv[1]))
window, kiosk = open_kiosk(ReaderSession.for_paths(paths, Settings(kiosk=settings)),
                           600_000, 60_000)
window.open_initial(None)
kiosk.show_window()
window.activateWindow()
for _ in range(20):
    app.processEvents()

def rect(widget):
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())

def settle():
    for _ in range(5):
        app.processEvents()

report = {"screen": [window.screen().geometry().width(), window.screen().geometry().height()],
          "window": [window.width(), window.height()], "fields": {}}
window.search_panel.field.setFocus()
settle()
keyboard = kiosk.keyboard
for _ in range(2):  # the symbols page and back
    keyboard.page_key.click()
    settle()
report["keyboard_top"] = rect(keyboard).top()
report["fields"]["searchField"] = [rect(window.search_panel.field).top(),
                                   rect(window.search_panel.field).bottom()]
window.feedback_button.click()
settle()
form = window.feedback_form
viewport = form.findChild(QScrollArea).viewport()
report["keys"] = min(k.height() for k in keyboard.char_keys if k.isVisible())
for field in (form.username, form.name, form.email, form.comments):
    if not field.hasFocus():
        keyboard.enter.click()  # "Next"
        settle()
    seen = rect(viewport).intersected(rect(field))
    report["fields"][field.objectName()] = [seen.top(), seen.bottom(), field.hasFocus(),
                                            min(field.height(), 112)]
report["keyboard_top_form"] = rect(keyboard).top()
print(json.dumps(report))
kiosk.allow_exit()
window.close()
"""


@pytest.mark.parametrize(("width", "height", "scale"), [(1366, 768, 150), (1024, 768, 300)])
def test_every_field_in_view_above_the_keyboard_on_real_screens(tmp_path, width, height,
                                                                 scale):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "kiosk", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96,
                                               "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", SCREEN_CHECK, str(scale)], cwd=root, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["window"] == [width, height] == report["screen"]  # nothing widened it
    assert report["keys"] >= KEY_PX
    top, bottom = report["fields"]["searchField"]
    assert bottom < report["keyboard_top"]
    for name in ("feedbackUsername", "feedbackName", "feedbackEmail", "feedbackComments"):
        top, bottom, focused, needed = report["fields"][name]
        assert focused, name
        assert bottom - top + 1 >= needed and bottom < report["keyboard_top_form"], (name, report)


def test_a_quick_second_tap_on_the_field_brings_the_keyboard_back(kiosk_window, finger, qtbot):
    window, controller = kiosk_window()
    keyboard, field = controller.keyboard, window.search_panel.field
    finger.tap(field)
    tap_text(finger, keyboard, "dose")
    finger.tap(keyboard.hide_key)
    assert not keyboard.isVisible()
    # what a widget gets for a second tap soon after the first: no press, a double click
    spot = QPointF(field.rect().center())
    for kind in (QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseButtonRelease):
        QApplication.sendEvent(field, QMouseEvent(
            kind, spot, field.mapToGlobal(spot), Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseButtonDblClick
            else Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
    assert keyboard.isVisible()
    assert field.selectedText() == "" and field.text() == "dose"  # and no word selected


def test_crisis_words_typed_by_taps_put_the_help_first(kiosk_window, finger, qtbot):
    window, controller = kiosk_window()
    keyboard, panel = controller.keyboard, window.search_panel
    finger.tap(panel.field)
    assert keyboard.isVisible()
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        tap_text(finger, keyboard, "i want to die")
    qtbot.waitUntil(lambda: panel.crisis_card.isVisible(), timeout=5000)
    assert keyboard.isVisible()  # typing goes on: the keyboard stays up
    card = panel.crisis_card
    line = card.findChild(QLabel, "crisisLine")
    assert line.height() >= line.heightForWidth(line.width())  # every line of it shown
    assert on_screen(card).bottom() < on_screen(keyboard).top()  # above it, whole
    assert on_screen(panel.field).bottom() < on_screen(keyboard).top()
    tap_text(finger, keyboard, " now")
    assert panel.field.text() == "i want to die now"


def test_crisis_words_in_the_form_scroll_the_help_into_view(kiosk_window, finger, qtbot):
    window, controller = kiosk_window()
    keyboard = controller.keyboard
    finger.tap(window.feedback_button)
    form = window.feedback_form
    for _ in range(3):  # username, name, email: on to the comments
        finger.tap(key(keyboard, "Next"))
    assert QApplication.focusWidget() is form.comments
    tap_text(finger, keyboard, "i want to end my life")
    assert form.comments.toPlainText() == "i want to end my life"
    qtbot.waitUntil(lambda: form.crisis_card.isVisible(), timeout=5000)
    assert keyboard.isVisible()  # typing goes on: the keyboard stays up
    qtbot.waitUntil(lambda: not form.crisis_card.visibleRegion().isEmpty(), timeout=2000)
    assert on_screen(form.crisis_card).bottom() < on_screen(keyboard).top()
    tap_text(finger, keyboard, " now")
    assert form.comments.toPlainText() == "i want to end my life now"
    viewport = form.findChild(QScrollArea).viewport()  # the field typed in is in view
    qtbot.waitUntil(lambda: not form.comments.visibleRegion().isEmpty(), timeout=2000)
    assert on_screen(viewport).intersects(on_screen(form.comments))


def test_next_and_a_tap_put_the_cursor_after_the_text_already_there(kiosk_window, finger, qtbot):
    window, controller = kiosk_window()
    keyboard, panel = controller.keyboard, window.search_panel
    finger.tap(panel.field)
    tap_text(finger, keyboard, "can i drive")
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        pass
    qtbot.waitUntil(panel.ask_button.isVisible, timeout=5000)
    finger.tap(panel.ask_button)  # the form, with the question filled in
    form = window.feedback_form
    question = form.comments.toPlainText()
    assert "can i drive" in question
    assert form.page_label.isVisible() and "can i drive" in form.page_label.text()
    finger.tap(form.username)  # back to the first field, then Next through them all
    for _ in range(3):
        finger.tap(key(keyboard, "Next"))
    assert QApplication.focusWidget() is form.comments
    tap_text(finger, keyboard, " ok")
    assert form.comments.toPlainText() == question + " ok"  # after the text, not glued before

    form._scroll.ensureWidgetVisible(form.name)  # swiped back into view (a narrow screen's
    finger.tap(form.name)  # toolbar takes two rows); a line with text, tapped near its start
    tap_text(finger, keyboard, "ana")
    finger.tap(form.email)
    finger.tap(form.name, QPoint(6, form.name.height() // 2))
    tap_text(finger, keyboard, "x")
    assert form.name.text() == "anax"


def test_the_about_line_only_for_feedback_about_an_answer_or_a_question(kiosk_window, finger,
                                                                        qtbot):
    window, controller = kiosk_window()
    window.open_section("is-ketamine-safe")
    finger.tap(window.feedback_button)  # general feedback: about nothing in particular
    form = window.feedback_form
    assert not form.page_label.isVisible()
    assert form.entry().page_id == ""
    form.reject()  # closed
    if controller.keyboard.isVisible():  # what sits under the answer is back without it
        finger.tap(controller.keyboard.hide_key)
    qtbot.waitUntil(window.answer_feedback_button.isVisible, timeout=3000)
    link = window.answer_feedback_button  # about this answer: its words, at the right
    finger.tap(link, QPoint(link.width() - 40, link.height() // 2))
    assert form.page_label.isVisible()
    assert form.page_label.text() == "About: Is ketamine safe?"
    assert form.entry().page_id == "is-ketamine-safe"
