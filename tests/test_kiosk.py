"""Kiosk mode on the real window: idle reset, no way out without the PIN, links as QR codes."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QAbstractAnimation, QEvent, QObject, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
    QPushButton,
    QScroller,
    QToolButton,
    QWidget,
)

from reader.config import KioskSettings, Settings
from reader.kiosk import PinLock, hash_pin
from reader.ui.kiosk import TOUCH_PX, KioskController
from reader.ui.tasks import BackgroundRunner
from reader.ui.window import MainWindow

PIN = "2468"


def other_section(window) -> str:
    return next(s.id for s in window.document.sections if s.id != window.document.home.id)


def tap(qtbot, widget: QWidget, times: int = 1) -> None:
    for _ in range(times):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def shown_text() -> str:
    """Every text on screen now."""
    return " ".join(w.text() for w in QApplication.allWidgets()
                    if hasattr(w, "text") and isinstance(w.text(), str) and w.isVisible())


def type_text(qtbot, widget, text: str) -> None:
    """As a person types: into the focused field of the active window."""
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=2000)
    qtbot.keyClicks(widget, text)


def test_idle_reset_forgets_the_reader(kiosk_window, qtbot):
    window, kiosk = kiosk_window(idle_ms=200, warning_ms=300)
    home = window.document.home.id
    window.open_section(other_section(window))
    window.change_text_scale(1)
    assert window.prefs.text_scale != 150
    window.open_feedback()
    form = window.feedback_form
    type_text(qtbot, form.username, "ana_k")
    type_text(qtbot, form.name, "Ana")
    type_text(qtbot, form.email, "ana@example.org")
    type_text(qtbot, form.comments, "My private story.")
    type_text(qtbot, window.search_panel.field, "side effects")
    QApplication.clipboard().setText("copied by the last reader")

    with qtbot.waitSignals([kiosk.warningShown, kiosk.sessionReset], order="strict",
                           timeout=5000):
        pass

    assert not form.isVisible() and not kiosk.notice.isVisible()
    for field in (form.username, form.name, form.email):
        assert field.text() == "" and not field.isUndoAvailable()
    assert form.comments.toPlainText() == ""
    assert not form.comments.document().isUndoAvailable()
    search = window.search_panel.field
    assert search.text() == "" and not search.isUndoAvailable()
    assert not window.search_panel.results.isVisible()
    assert window.sidebar.isVisible()
    assert QApplication.clipboard().text() == ""
    assert window.current_id == home
    assert window.history.entries == [home] and not window.back_action.isEnabled()
    assert window.prefs.text_scale == 150
    assert window.viewer.verticalScrollBar().value() == 0
    assert window.isVisible()


def test_activity_during_the_warning_keeps_the_session(kiosk_window, qtbot):
    window, kiosk = kiosk_window(idle_ms=300, warning_ms=600)
    page = other_section(window)
    window.open_section(page)
    resets = []
    kiosk.sessionReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(kiosk.warningShown, timeout=3000):  # a key, through the window
        QTest.keyClick(window.windowHandle(), Qt.Key.Key_Down)
    assert kiosk.notice.isVisible()
    assert kiosk.notice.countdown.text() == "1"  # 600 ms rounds up to one second
    assert kiosk.notice.keep.height() >= TOUCH_PX

    tap(qtbot, kiosk.notice.keep)
    assert not kiosk.notice.isVisible()
    assert not kiosk.idle._deadline.isActive()  # the reset that was coming is called off
    with qtbot.waitSignal(kiosk.warningShown, timeout=3000):  # and the idle clock runs again
        pass
    assert not resets and window.current_id == page
    assert kiosk.notice.isVisible()

    type_text(qtbot, window.search_panel.field, "a")  # typing counts too
    assert not kiosk.notice.isVisible()
    assert not kiosk.idle._deadline.isActive() and kiosk.idle._idle.isActive()
    assert not resets and window.current_id == page


def test_im_finished_resets_at_once(kiosk_window, qtbot):
    window, kiosk = kiosk_window(idle_ms=60_000, warning_ms=60_000)
    window.open_section(other_section(window))
    qtbot.keyClicks(window.search_panel.field, "dose")
    button = kiosk.finished_button
    assert button.text() == "I'm finished" and button.accessibleName()
    assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    with qtbot.waitSignal(kiosk.sessionReset, timeout=1000):
        tap(qtbot, button)
    assert window.current_id == window.document.home.id
    assert window.search_panel.field.text() == ""


def test_closing_is_refused(kiosk_window, qtbot):
    window, kiosk = kiosk_window(pin=PIN)
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.isFullScreen()
    assert not window.menuBar().isVisible()
    assert not window.save_on_close
    assert not window.quit_action.isEnabled()

    assert window.close() is False
    event = QCloseEvent()  # what Alt+F4 and the window manager send
    QApplication.sendEvent(window, event)
    assert not event.isAccepted()
    window.quit_action.trigger()
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window.viewer, Qt.Key.Key_Escape)
    qtbot.wait(50)
    assert window.isVisible()


def test_exit_only_with_the_right_pin(kiosk_window, qtbot):
    window, kiosk = kiosk_window(pin=PIN, idle_ms=60_000)
    tap(qtbot, kiosk.corner, 4)
    assert kiosk.pin_dialog is None  # four taps are not enough
    tap(qtbot, kiosk.corner)
    dialog = kiosk.pin_dialog
    assert dialog is not None and dialog.isVisible()
    keys = {b.objectName(): b for b in dialog.findChildren(QPushButton)}
    assert all(keys[f"kioskPinDigit{d}"].height() >= TOUCH_PX for d in range(10))

    for digit in "1111":
        tap(qtbot, keys[f"kioskPinDigit{digit}"])
    tap(qtbot, dialog.exit)
    assert window.isVisible()
    assert "not right" in dialog.message.text() and dialog.message.isVisible()
    assert dialog.field.text() == "" and not dialog.field.isUndoAvailable()

    for digit in PIN:
        tap(qtbot, keys[f"kioskPinDigit{digit}"])
    tap(qtbot, dialog.exit)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
    assert not dialog.isVisible()


def test_staff_see_the_settings_problems_after_the_pin_and_patients_never(kiosk_window, qtbot):
    note = "/etc/kfr/reader.toml: [smtp] port must be a whole number, not 'x'"
    window, kiosk = kiosk_window(pin=PIN, idle_ms=60_000, staff_notes=[note])

    assert "reader.toml" not in shown_text()
    tap(qtbot, kiosk.corner, 5)
    dialog = kiosk.pin_dialog
    assert dialog.isVisible() and "reader.toml" not in shown_text()
    for digit in "1111":  # a wrong PIN shows nothing either
        tap(qtbot, dialog.findChild(QPushButton, f"kioskPinDigit{digit}"))
    tap(qtbot, dialog.exit)
    assert "reader.toml" not in shown_text()

    seen = []

    def read_and_close():
        box = QApplication.activeModalWidget()
        seen.append((box.objectName(), box.text(), window.isVisible()))
        box.accept()

    for digit in PIN:
        tap(qtbot, dialog.findChild(QPushButton, f"kioskPinDigit{digit}"))
    QTimer.singleShot(100, read_and_close)
    tap(qtbot, dialog.exit)  # the notes are modal: this returns when staff close them
    assert seen and seen[0][0] == "kioskStaffNotes" and note in seen[0][1]
    assert seen[0][2] is True  # shown before the window closes
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)


def test_five_wrong_pins_lock_the_pad(kiosk_window, qtbot):
    window, kiosk = kiosk_window(pin=PIN, idle_ms=60_000, lockout_ms=300)
    kiosk.request_exit()
    dialog = kiosk.pin_dialog
    for _ in range(5):
        dialog.field.setText("0000")
        dialog.submit()
    assert "Too many wrong PINs" in dialog.message.text()
    assert not dialog.exit.isEnabled() and not dialog.field.isEnabled()
    assert kiosk.pin_lock.check(PIN) is False  # not even the right one while locked
    qtbot.waitUntil(dialog.exit.isEnabled, timeout=3000)
    qtbot.keyClicks(dialog.field, PIN)  # a physical keyboard works too
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)


def test_no_pin_set_means_no_way_out(kiosk_window, qtbot):
    window, kiosk = kiosk_window(pin="")
    tap(qtbot, kiosk.corner, 5)
    kiosk.request_exit()
    assert kiosk.pin_dialog is None
    assert window.close() is False and window.isVisible()


def test_external_links_show_a_qr_code_and_never_open_a_program(kiosk_window, qtbot,
                                                               monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url))
    window, kiosk = kiosk_window()
    assert window.open_external == kiosk.show_link

    window.follow_link(QUrl("https://example.org/find-a-provider"))
    dialog = kiosk.link_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.address.text() == "https://example.org/find-a-provider"
    pixmap = dialog.code.pixmap()
    assert not pixmap.isNull() and pixmap.width() == pixmap.height() >= 200
    assert "phone" in dialog.hint.text() and dialog.code.accessibleName()
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()]
    tap(qtbot, dialog.close_button)
    assert not dialog.isVisible()

    window.follow_link(QUrl("mailto:help@example.org"))
    assert dialog.isVisible() and dialog.address.text() == "help@example.org"
    assert "email" in dialog.hint.text()
    assert opened == []


@pytest.mark.qt_log_ignore("does not support grabbing the keyboard")  # the control's menu
def test_context_menus_are_swallowed(make_window, kiosk_window, qtbot):
    def right_click(widget):  # a real one, through the window as the mouse's would come
        top = widget.window()
        QTest.mouseClick(top.windowHandle(), Qt.MouseButton.RightButton,
                         Qt.KeyboardModifier.NoModifier, widget.mapTo(top, QPoint(5, 5)))
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        return popup

    plain = make_window()
    assert right_click(plain.viewer.viewport()) is not None  # the check can see a menu
    plain.hide()

    window, kiosk = kiosk_window()
    window.open_feedback()
    for widget in (window.viewer.viewport(), window.sidebar.viewport(),
                   window.search_panel.field, window.feedback_form.comments.viewport(),
                   window.feedback_form.name, window.toolbar):
        assert right_click(widget) is None, widget.objectName()


def test_touch_sizes_text_and_swipes(kiosk_window, qtbot):
    window, kiosk = kiosk_window()
    assert window.prefs.text_scale == 150
    buttons = [*window.toolbar.findChildren(QToolButton), *window.toolbar.findChildren(QPushButton)]
    visible = [button for button in buttons if button.isVisible()]
    assert len(visible) >= 6  # back, forward, home, A−, A+, feedback, I'm finished
    for button in visible:
        assert button.height() >= TOUCH_PX, button.text()
    assert window.search_panel.field.height() >= TOUCH_PX
    sidebar = window.sidebar
    rows = [sidebar.topLevelItem(0).child(i) for i in range(sidebar.topLevelItem(0).childCount())]
    assert rows and all(sidebar.visualItemRect(row).height() >= TOUCH_PX for row in rows)
    for view in (window.viewer, sidebar, window.search_panel.results):
        assert QScroller.hasScroller(view.viewport())
    assert kiosk.corner.focusPolicy() == Qt.FocusPolicy.NoFocus
    # a tap on a question still opens it
    target = rows[-1]
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton,
                     pos=sidebar.visualItemRect(target).center())
    assert window.current_id == target.data(0, Qt.ItemDataRole.UserRole)


def test_the_notice_answers_above_the_link_dialog(kiosk_window, qtbot):
    window, kiosk = kiosk_window(idle_ms=200, warning_ms=2000)
    window.follow_link(QUrl("https://example.org"))
    qtbot.waitUntil(kiosk.link_dialog.isActiveWindow, timeout=2000)  # seen, then a key
    with qtbot.waitSignal(kiosk.warningShown, timeout=3000):
        QTest.keyClick(kiosk.link_dialog.windowHandle(), Qt.Key.Key_Shift)
    tap(qtbot, kiosk.notice.keep)
    assert not kiosk.notice.isVisible()
    assert kiosk.link_dialog.isVisible()


def test_a_reset_leaves_no_trace_in_hidden_dialogs_or_the_question_list(kiosk_window, qtbot):
    window, kiosk = kiosk_window(pin=PIN, idle_ms=60_000)
    window.follow_link(QUrl("https://example.org/private-clinic-page"))
    kiosk.request_exit()
    kiosk.pin_dialog.field.setText("12")  # half a PIN typed, then walked away
    window.sidebar.topLevelItem(0).setExpanded(False)

    kiosk.reset_now()

    assert not kiosk.link_dialog.isVisible() and not kiosk.pin_dialog.isVisible()
    assert kiosk.link_dialog.address.text() == "" and kiosk.link_dialog.code.pixmap().isNull()
    assert kiosk.pin_dialog.field.text() == ""
    assert kiosk.pin_dialog.field.isUndoAvailable() is False
    top = window.sidebar
    assert all(top.topLevelItem(i).isExpanded() for i in range(top.topLevelItemCount()))


def test_each_lockout_lasts_twice_as_long():
    now = [1000.0]
    lock = PinLock(hash_pin(PIN, iterations=1000), lockout_seconds=30, clock=lambda: now[0])
    locks = []
    for _ in range(3):
        for _ in range(5):
            assert not lock.check("0000")
        locks.append(lock.locked_seconds())
        assert not lock.check(PIN)  # not even the right PIN while locked
        now[0] += locks[-1] - 0.5
        assert lock.locked_seconds() == 1
        now[0] += 0.5
        assert lock.locked_seconds() == 0
    assert locks == [30, 60, 120]
    assert lock.tries_left() == 5 and lock.check(PIN) and lock.tries_left() == 5


@pytest.mark.parametrize(("line", "why"), [
    ("idle_seconds = 3000000", "at most 86400"),  # past Qt's timer range: refused by name
    ("warning_seconds = 0", "greater than 0"),
    ("text_scale = 900", "at most 300"),
])
def test_kiosk_settings_out_of_range_are_named(tmp_path, line, why):
    from reader.config import ConfigError, load_config

    config = tmp_path / "reader.toml"
    config.write_text(f"[kiosk]\nenabled = true\n{line}\n", encoding="utf-8")
    settings = load_config(config)
    assert settings.kiosk.enabled  # the window starts as a kiosk, with the default for it
    with pytest.raises(ConfigError) as caught:
        settings.checked()
    assert str(config) in str(caught.value) and line.split()[0] in str(caught.value)
    assert why in str(caught.value)


# --- the kiosk watches input, not every event ---------------------------------------------


def test_the_kiosk_sees_input_but_not_every_event_of_the_app(kiosk_window, qtbot, monkeypatch):
    from PySide6.QtGui import QWindow

    from reader.ui import kiosk as kiosk_module

    seen = []
    original = kiosk_module.KioskController.eventFilter

    def recording(self, obj, event):
        seen.append((obj, event.type()))
        return original(self, obj, event)

    monkeypatch.setattr(kiosk_module.KioskController, "eventFilter", recording)
    window, kiosk = kiosk_window(idle_ms=60_000)
    type_text(qtbot, window.search_panel.field, "dose")
    seen.clear()
    for section in window.document.sections:  # pages painted, laid out, timers run
        window.open_section(section.id)
        QApplication.processEvents()
    focus = QApplication.focusWidget()
    strangers = {type(obj).__name__ for obj, _ in seen
                 if not isinstance(obj, QWindow) and obj is not focus}
    assert strangers == set()  # an app-wide filter sees the viewer, sidebar, ... here
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Down)
    assert (window.windowHandle(), QEvent.Type.KeyPress) in seen


def test_a_touch_alone_starts_and_keeps_the_session(kiosk_window, qtbot):
    device = QTest.createTouchDevice()
    window, kiosk = kiosk_window(idle_ms=300, warning_ms=800)
    centre = window.viewer.mapTo(window, window.viewer.rect().center())

    def touch():
        QTest.touchEvent(window.windowHandle(), device).press(0, centre).commit()
        QTest.touchEvent(window.windowHandle(), device).release(0, centre).commit()

    with qtbot.waitSignal(kiosk.warningShown, timeout=3000):  # the first touch starts it
        touch()
    assert kiosk.notice.isVisible()
    touch()
    assert not kiosk.notice.isVisible()


# --- touch, as on the kiosk: real touch events, no mouse, no keys --------------------------


def test_a_tap_opens_a_question_and_a_swipe_scrolls_the_answer(kiosk_window, finger, qtbot):
    window, kiosk = kiosk_window(idle_ms=60_000)
    sidebar = window.sidebar
    group = sidebar.topLevelItem(0)
    row = group.child(group.childCount() - 1)
    finger.tap(sidebar.viewport(), sidebar.visualItemRect(row).center())
    qtbot.waitUntil(lambda: window.current_id == row.data(0, Qt.ItemDataRole.UserRole))

    window.go_home()
    qtbot.wait(QApplication.doubleClickInterval() + 200)  # a new touch, not a double tap
    bar = window.viewer.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    middle = window.viewer.viewport().rect().center()
    finger.swipe(window.viewer.viewport(), middle + QPoint(0, 120), middle - QPoint(0, 120))
    qtbot.waitUntil(lambda: bar.value() > 100)
    assert window.current_id == window.document.home.id  # a swipe is no tap on a link


def test_four_taps_on_a_plus_are_four_steps_and_it_never_moves(kiosk_window, finger, qtbot):
    window, kiosk = kiosk_window(idle_ms=60_000)
    larger = window.toolbar.widgetForAction(window.larger_action)
    where = larger.mapTo(window, larger.rect().center())
    toolbar_height = window.toolbar.height()
    for _ in range(4):
        finger.tap(window, where)  # the same spot each time, as a finger does
        qtbot.wait(20)
    assert window.prefs.text_scale == 300  # 150 → 175 → 200 → 250 → 300
    assert larger.mapTo(window, larger.rect().center()) == where
    assert window.toolbar.height() == toolbar_height


def test_the_question_column_widens_with_the_text_and_the_next_reader_gets_it_back(
        kiosk_window, finger, qtbot):
    window, kiosk = kiosk_window(idle_ms=60_000)
    start = window.splitter.sizes()
    screen = window.screen().geometry().width()
    assert start[0] >= screen // 4 - 1
    larger = window.toolbar.widgetForAction(window.larger_action)
    for _ in range(4):  # to 300 %
        finger.tap(larger)
        qtbot.wait(20)
    qtbot.waitUntil(lambda: window.splitter.sizes()[0] > start[0])
    # the answer keeps its room (that the words fit on every real screen: test_clipping.py)
    assert window.splitter.sizes()[0] <= screen * 0.45 + 1
    kiosk.reset_now()
    qtbot.waitUntil(lambda: window.splitter.sizes() == start)


@pytest.mark.qt_log_ignore("does not support grabbing the keyboard")
def test_a_long_press_opens_no_menu_and_selects_nothing(kiosk_window, finger, qtbot):
    window, kiosk = kiosk_window(idle_ms=60_000)
    search = window.search_panel.field
    finger.tap(search)
    search.setText("ketamine dose")
    viewport = window.viewer.viewport()
    text_spot = window.viewer.cursorRect(window.viewer.cursorForPosition(QPoint(80, 80))).center()
    for widget, pos in ((viewport, text_spot), (search, None), (window.sidebar.viewport(), None)):
        finger.long_press(widget, pos)
        assert QApplication.activePopupWidget() is None, widget.objectName()
    assert not window.viewer.textCursor().hasSelection()
    assert search.selectedText() == ""
    finger.tap(search, QPoint(20, search.height() // 2))  # a double tap selects no word
    finger.tap(search, QPoint(20, search.height() // 2))
    assert search.selectedText() == ""


def test_the_staff_corner_by_touch_and_frameless_dialogs(kiosk_window, finger, qtbot):
    window, kiosk = kiosk_window(pin=PIN, idle_ms=60_000)
    for _ in range(4):
        finger.tap(kiosk.corner)
    assert kiosk.pin_dialog is None
    finger.tap(kiosk.corner)
    dialog = kiosk.pin_dialog
    assert dialog is not None and dialog.isVisible()
    keys = {b.objectName(): b for b in dialog.findChildren(QPushButton)}
    for digit in "13":
        finger.tap(keys[f"kioskPinDigit{digit}"])
    assert dialog.field.text() == "13"
    finger.tap(dialog.cancel)
    assert not dialog.isVisible()

    window.follow_link(QUrl("https://example.org"))
    for shown in (dialog, kiosk.link_dialog, kiosk.notice):
        flags = shown.windowFlags()
        assert flags & Qt.WindowType.FramelessWindowHint, shown.objectName()
        assert not flags & Qt.WindowType.WindowMinimizeButtonHint
    finger.tap(kiosk.link_dialog.close_button)
    assert not kiosk.link_dialog.isVisible()


def test_kiosk_hints_speak_of_taps(kiosk_window, finger, qtbot):
    window, kiosk = kiosk_window(idle_ms=60_000)
    panel = window.search_panel
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        panel.field.setText("dose")
    window.open_result(panel.results.item(0).data(Qt.ItemDataRole.UserRole), panel._response)
    notice = window.notice.text()
    assert notice.startswith("Match 1 of") and "tap “Clear search”" in notice
    assert "F3" not in notice and "Escape" not in notice
    finger.tap(kiosk.clear_button)
    assert panel.field.text() == "" and not kiosk.clear_button.isVisible()
    assert not window.notice.isVisible() and window.viewer.match_count() == 0


@pytest.mark.no_qt_log  # pytest-qt keeps every Qt message it sees: not the reader's objects
def test_two_hundred_resets_leave_nothing_behind(kiosk_window, qtbot):
    window, kiosk = kiosk_window(pin=PIN, idle_ms=60_000)

    def one_reader():
        window.open_section(other_section(window))
        window.open_feedback()
        window.feedback_form.name.setText("Ana")
        window.follow_link(QUrl("https://example.org"))
        kiosk.request_exit()
        window.search_panel.field.setText("dose")
        kiosk.reset_now()

    def counts():
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        lasting = [o for o in window.findChildren(QObject)  # Qt's fades come and go
                   if not isinstance(o, QAbstractAnimation)]
        return {"widgets": len(QApplication.allWidgets()),
                "windows": len(QApplication.topLevelWidgets()),
                "objects": len(lasting),
                "timers": len(window.findChildren(QTimer)),
                "dialogs": len(window.findChildren(QDialog))}

    def python_objects():
        gc.collect()
        return len(gc.get_objects())

    for _ in range(10):  # the first readers create the form, the dialogs, lazy caches
        one_reader()
    window.search_panel.wait_idle()

    def voice_looked_for() -> bool:  # after the first paint, once: loads the speech engine
        runners = window.read_aloud.findChildren(BackgroundRunner)
        return bool(runners) and not any(runner.busy() for runner in runners)

    qtbot.waitUntil(voice_looked_for, timeout=20_000)
    python_before, before = python_objects(), counts()
    for _ in range(200):
        one_reader()
    window.search_panel.wait_idle()
    grown = python_objects() - python_before  # bounded caches (sqlite3's cursor list) aside,
    assert grown < 300  # nothing; each question used to leave a dead QTextFrame: 600 here
    assert counts() == before


def test_patients_never_see_the_outbox_and_staff_do_after_the_pin(kiosk_window, finger, qtbot):
    from reader.feedback import FeedbackInput

    window, kiosk = kiosk_window(pin=PIN, idle_ms=60_000)
    seen_by_staff = []
    window.session.outboxStatusChanged.connect(seen_by_staff.append)
    window.session.submit_feedback(FeedbackInput(name="Ana", comments="private"))  # a patient
    qtbot.waitUntil(lambda: "waiting" in window.staff_outbox_line, timeout=10_000)

    assert "waiting" not in shown_text() and "message" not in shown_text()
    assert not window.statusBar().isVisible() and window.outbox_status.text() == ""
    kiosk.reset_now()  # the next patient: still nothing
    assert "waiting" not in shown_text() and not window.statusBar().isVisible()

    seen = []

    def read_and_close():
        box = QApplication.activeModalWidget()
        seen.append((box.objectName(), box.text()))
        box.accept()

    for _ in range(5):
        finger.tap(kiosk.corner)
    for digit in PIN:
        finger.tap(kiosk.pin_dialog.findChild(QPushButton, f"kioskPinDigit{digit}"))
    QTimer.singleShot(100, read_and_close)
    finger.tap(kiosk.pin_dialog.exit)
    assert seen and seen[0][0] == "kioskStaffNotes"
    assert "1 message waiting" in seen[0][1] and "private" not in seen[0][1]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)


def test_hidden_or_minimised_the_kiosk_shows_itself_again(kiosk_window, qtbot):
    window, kiosk = kiosk_window(idle_ms=60_000)
    window.showMinimized()
    qtbot.waitUntil(lambda: window.isFullScreen() and not window.isMinimized(), timeout=5000)
    window.hide()
    qtbot.waitUntil(window.isVisible, timeout=5000)
    assert window.isFullScreen() and window.size() == window.screen().geometry().size()
    kiosk.allow_exit()  # staff have typed the PIN: now it may go
    window.hide()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_the_first_screen_names_the_reader_its_publisher_and_the_date(kiosk_window):
    window, kiosk = kiosk_window(idle_ms=60_000)
    meta = window.document.metadata
    footer = window.footer
    text = footer.text()
    assert "Ketamine FAQ Reader" in text and meta.publisher in text and meta.text_date in text
    where = footer.mapTo(window, footer.rect().topLeft())
    assert footer.isVisible() and where.y() + footer.height() <= window.height()
    assert footer.height() >= footer.heightForWidth(footer.width())  # every line of it


def test_the_countdown_follows_the_kiosks_own_clock(new_session, qtbot):
    now = [1000.0]
    settings = KioskSettings(enabled=True)
    session = new_session(settings=Settings(kiosk=settings))
    controller = KioskController(settings, 600_000, 15_000, clock=lambda: now[0])
    window = MainWindow(session, controller.policy(session.paths.resources_dir))
    controller.attach(window)
    qtbot.addWidget(window, before_close_func=lambda _w: controller.allow_exit())
    controller.show_window()
    controller.show_warning()
    assert controller.notice.countdown.text() == "15"
    now[0] += 9.5
    controller.idle._update_countdown()  # what its one-second tick does
    assert controller.notice.countdown.text() == "6"
