"""Kiosk mode: one anonymous reader after another on a locked, full-screen touch screen.

`open_kiosk(session)` builds a MainWindow with the KioskController's policy (no memory, no
closing, links as QR codes, touch sizes) and the controller that keeps it a kiosk:
- closing, Alt+F4, Ctrl+Q and Escape never quit; staff tap the top-right corner five times
  within 3 seconds (or press Ctrl+Alt+Shift+X) and type the exit PIN. With no PIN set in
  reader.toml, nothing in the window leads out.
- after `idle_seconds` with no touch, mouse or key, "Still reading?" counts down
  `warning_seconds`; any activity keeps the session, otherwise window.reset_session()
  forgets the reader. "I'm finished" does that at once. After a reset the clock waits for
  the next reader's first touch, so an untouched kiosk shows no notice.
- links to the outside show their address and a QR code instead of opening a program.
- no context menus; lists and the answer scroll with a swipe; touch-sized targets; a long
  press or a double tap selects nothing; the toolbar keeps its size, whatever the text size.
- the on-screen keyboard (reader/ui/keyboard.py) docks under the reader and serves its text
  fields; the feedback form opens inside the window, above the keyboard (no second window
  for a kiosk compositor to place).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

import segno
import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    QRegularExpression,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QKeySequence,
    QPixmap,
    QRegularExpressionValidator,
    QShortcut,
    QWindow,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStyledItemDelegate,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from reader.config import KioskSettings
from reader.crisis import QT_TRANSLATE_NOOP
from reader.kiosk import PinLock
from reader.ui.i18n import plural
from reader.ui.keyboard import OnScreenKeyboard, cursor_to_end
from reader.ui.qapp import application
from reader.ui.read_aloud import for_kiosk
from reader.ui.session import ReaderSession, WindowPolicy
from reader.ui.touch import TOUCH_PX, grab_swipe
from reader.ui.wrap import WrappingButton

if TYPE_CHECKING:
    from reader.ui.window import MainWindow

EXIT_TAPS = 5
EXIT_TAP_WINDOW_S = 3.0
EXIT_SHORTCUT = "Ctrl+Alt+Shift+X"
CORNER_PX = 60
MAX_PIN_TRIES = 5
LOCKOUT_MS = 30_000
QR_TARGET_PX = 360
FINISHED_TEXT = QT_TRANSLATE_NOOP("KioskController", "I'm finished")
FORM_MAX_WIDTH = 1100
COLUMN_EMS = 12  # the question column's width in ems of the text, at least a quarter
COLUMN_MAX_SHARE = 0.45  # of the screen's width
DIALOG_FLAGS = Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint

_T = QEvent.Type
ACTIVITY_EVENTS = frozenset({
    _T.MouseButtonPress, _T.MouseMove, _T.KeyPress, _T.TouchBegin, _T.TouchUpdate, _T.Wheel,
    _T.InputMethod,
})


def _label(text: str, name: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _button(text: str, name: str, parent: QWidget, accessible: str = "") -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.setAccessibleName(accessible or text)
    return button


def _show_on_top(dialog: QDialog) -> None:
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()


def _seconds(ms: float) -> int:
    return max(0, math.ceil(ms / 1000))


# --- the "Still reading?" notice ------------------------------------------------------


class IdleNotice(QDialog):
    """Frameless, not modal: a touch anywhere (seen by the controller) keeps the session."""

    def __init__(self, parent: QWidget):
        super().__init__(parent, DIALOG_FLAGS | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("kioskIdleNotice")
        self.setModal(False)
        self.setWindowTitle(self.tr("Still reading?"))
        self.setAccessibleName(self.tr("Still reading?"))
        title = _label(self.tr("Still reading?"), "kioskIdleTitle", self)
        text = _label(self.tr("Touch the screen to keep reading."), "kioskIdleText", self)
        self.countdown = _label("", "kioskIdleCountdown", self)
        self.after = _label("", "kioskIdleAfter", self)
        self.keep = _button(self.tr("Yes, keep reading"), "kioskKeepReading", self)
        self.keep.setDefault(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 36, 48, 36)
        layout.setSpacing(16)
        for widget in (title, text, self.countdown, self.after):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addWidget(self.keep, 0, Qt.AlignmentFlag.AlignCenter)
        self.setMinimumWidth(760)

    def set_remaining(self, seconds: int) -> None:
        self.countdown.setText(str(seconds))
        self.after.setText(plural(self.tr(
            "second(s) until the reader starts over for the next person.", "", seconds), seconds))
        self.countdown.setAccessibleName(plural(self.tr("%n second(s) left", "", seconds),
                                                seconds))

    def show_over(self, window: QWidget) -> None:
        self.adjustSize()
        self.move(window.frameGeometry().center() - self.rect().center())
        self.show()
        self.activateWindow()
        self.keep.setFocus()


# --- the staff PIN pad ----------------------------------------------------------------


class PinDialog(QDialog):
    """A big number pad; typing on a keyboard works too. Exits only with the right PIN."""

    unlocked = Signal()  # the right PIN: the kiosk may close

    def __init__(self, lock: PinLock, parent: QWidget):
        super().__init__(parent, DIALOG_FLAGS)
        self._lock = lock
        self.setObjectName("kioskPinDialog")
        self.setWindowTitle(self.tr("Staff exit"))
        self.setAccessibleName(self.tr("Staff exit"))
        title = _label(self.tr("Staff exit"), "kioskPinTitle", self)
        text = _label(self.tr("Type the staff PIN to close the reader."), "kioskPinText", self)
        self.field = QLineEdit(self)
        self.field.setObjectName("kioskPinField")
        self.field.setAccessibleName(self.tr("Staff PIN"))
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMaxLength(12)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]{0,12}"),
                                                            self.field))
        self.message = _label("", "kioskPinMessage", self)
        self.message.setProperty("role", "error")
        self.message.hide()

        pad = QGridLayout()
        pad.setSpacing(10)
        self.keys: list[QPushButton] = []
        for number, digit in enumerate("123456789"):
            self._key(pad, digit, f"kioskPinDigit{digit}", number // 3, number % 3,
                      lambda _=False, d=digit: self.field.insert(d))
        self._key(pad, self.tr("Clear"), "kioskPinClear", 3, 0, self.field.clear,
                  self.tr("Clear the PIN"))
        self._key(pad, "0", "kioskPinDigit0", 3, 1, lambda: self.field.insert("0"))
        self._key(pad, "⌫", "kioskPinDelete", 3, 2, self.field.backspace,
                  self.tr("Delete last digit"))

        self.cancel = _button(self.tr("Cancel"), "kioskPinCancel", self)
        self.exit = _button(self.tr("Exit reader"), "kioskPinExit", self)
        self.exit.setDefault(True)
        self.cancel.clicked.connect(self.reject)
        self.exit.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.exit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(14)
        for widget in (title, text, self.field, self.message):
            layout.addWidget(widget)
        layout.addLayout(pad)
        layout.addLayout(buttons)
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._show_lock)
        self._show_lock()
        self.field.setFocus()

    def _key(self, grid, text, name, row, column, slot, accessible="") -> None:
        button = _button(text, name, self, accessible)
        button.setProperty("kioskPad", True)
        button.clicked.connect(slot)
        grid.addWidget(button, row, column)
        self.keys.append(button)

    def submit(self) -> None:
        pin = self.field.text()
        self.field.setText("")  # setText, not clear(): nothing left for undo
        if self._lock.check(pin):
            self.accept()
            self.unlocked.emit()
            return
        if not self._show_lock():
            left = self._lock.tries_left()
            self._say(plural(self.tr("That PIN is not right. %n attempt(s) left.", "", left),
                             left))
        self.field.setFocus()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _show_lock(self) -> bool:
        """Disable the pad while locked out; True when locked."""
        wait = self._lock.locked_seconds()
        for widget in (*self.keys, self.field, self.exit):
            widget.setEnabled(not wait)
        if wait:
            self._say(plural(self.tr("Too many wrong PINs. Try again in %n second(s).", "", wait),
                             wait))
            self._timer.start()
        elif self._timer.isActive():
            self._timer.stop()
            self._say("")
            self.field.setFocus()
        return bool(wait)


# --- links to the outside --------------------------------------------------------------


def qr_pixmap(text: str, target_px: int = QR_TARGET_PX) -> QPixmap:
    """A QR code (never a Micro QR, which phones don't read), dark on white."""
    code = segno.make_qr(text)
    width, _ = code.symbol_size(scale=1, border=2)
    buffer = BytesIO()
    code.save(buffer, kind="png", scale=max(4, target_px // width), border=2)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


def describe_link(url: QUrl) -> tuple[str, str]:
    """What to show as the address, and what scanning the code does."""
    scheme = url.scheme().lower()
    if scheme == "mailto":
        return url.path(), QCoreApplication.translate(
            "LinkDialog", "Scan with your phone's camera to write this email on your phone.")
    if scheme == "tel":
        return url.path(), QCoreApplication.translate(
            "LinkDialog", "Scan with your phone's camera to call this number from your phone.")
    return (url.toDisplayString(), QCoreApplication.translate(
        "LinkDialog", "Scan with your phone's camera to open this page on your phone."))


class LinkDialog(QDialog):
    def __init__(self, parent: QWidget):
        super().__init__(parent, DIALOG_FLAGS)
        self.setObjectName("kioskLinkDialog")
        self.setWindowTitle(self.tr("Open this on your phone"))
        title = _label(self.tr("Open this on your phone"), "kioskLinkTitle", self)
        intro = _label(self.tr("This link leads outside the reader, and this screen does not "
                               "open other programs."), "kioskLinkIntro", self)
        self.address = _label("", "kioskLinkAddress", self)
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.address.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.code = QLabel(self)
        self.code.setObjectName("kioskLinkQr")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = _label("", "kioskLinkHint", self)
        self.close_button = _button(self.tr("Close"), "kioskLinkClose", self)
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(14)
        for widget in (title, intro, self.address, self.code, self.hint):
            layout.addWidget(widget)
        for widget in (title, intro, self.address, self.hint):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignCenter)
        self.setMinimumWidth(640)

    def forget(self) -> None:
        """Hidden dialogs keep their widgets: leave no address for the next reader."""
        self.url = QUrl()
        for label in (self.address, self.code, self.hint):
            label.clear()
            label.setAccessibleName("")

    def show_link(self, url: QUrl) -> None:
        shown, hint = describe_link(url)
        self.url = url
        self.address.setText(shown)
        self.address.setAccessibleName(self.tr("Address: {address}").format(address=shown))
        self.code.setPixmap(qr_pixmap(url.toString(QUrl.ComponentFormattingOption.FullyEncoded)))
        self.code.setAccessibleName(self.tr("QR code for {address}").format(address=shown))
        self.hint.setText(hint)
        self.adjustSize()
        _show_on_top(self)  # not modal: nothing may block the "Still reading?" notice
        self.close_button.setFocus()


# --- touch -----------------------------------------------------------------------------


class MinHeightDelegate(QStyledItemDelegate):
    """Wraps a view's delegate so that every row is at least a finger tall."""

    def __init__(self, inner, parent: QWidget):
        super().__init__(parent)
        self.inner = inner

    def paint(self, painter, option, index) -> None:
        self.inner.paint(painter, option, index)

    def sizeHint(self, option, index) -> QSize:
        size = self.inner.sizeHint(option, index)
        return size.expandedTo(QSize(0, TOUCH_PX))


def _editors(root: QWidget) -> list[QPlainTextEdit | QTextEdit]:
    return [*root.findChildren(QPlainTextEdit), *root.findChildren(QTextEdit)]


def make_touch_friendly(root: QWidget) -> None:
    """Swipe scrolling and finger-tall rows for the lists and the answer (not for editors)."""
    for view in root.findChildren(QAbstractItemView):
        if not isinstance(view.itemDelegate(), MinHeightDelegate):
            view.setItemDelegate(MinHeightDelegate(view.itemDelegate(), view))
    for area in (*root.findChildren(QAbstractItemView), *root.findChildren(QTextBrowser)):
        viewport = area.viewport()
        if not QScroller.hasScroller(viewport):
            grab_swipe(viewport)


# --- the hidden corner -------------------------------------------------------------------


class _ExitCorner(QWidget):
    """An empty patch at the toolbar's right end; staff tap it to ask for the PIN."""

    tapped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kioskExitCorner")
        self.setFixedWidth(CORNER_PX)
        self.setMinimumHeight(TOUCH_PX)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.tapped.emit()
        event.accept()


# --- watching input -----------------------------------------------------------------------


class _InputWatch(QObject):
    """Shows the controller every touch, click and key, without an app-wide event filter
    (which would see every paint and timer of every object): it filters each top-level
    window's QWindow, where all input arrives, and the focused widget, to which input
    methods deliver typed text. Dialogs get touch-sized rows when first watched."""

    def __init__(self, controller: KioskController, window: QWidget):
        super().__init__(controller)
        self._controller = controller
        self._windows: list[QWindow] = []
        self._focus: QWidget | None = None
        self._stopped = False
        app = application()
        app.focusWindowChanged.connect(self._watch_window)
        app.focusObjectChanged.connect(self._watch_focus)
        window.winId()  # its QWindow, now, before any input
        self._watch_window(window.windowHandle())

    def _watch_window(self, handle) -> None:
        if handle is None or handle in self._windows:
            return
        handle.installEventFilter(self._controller)
        self._windows.append(handle)
        handle.destroyed.connect(lambda _=None: self._windows.remove(handle))
        for widget in QApplication.topLevelWidgets():
            if widget.windowHandle() is handle and isinstance(widget, QDialog) \
                    and widget is not self._controller.notice:
                make_touch_friendly(widget)

    def _watch_focus(self, obj) -> None:
        if self._focus is not None and shiboken6.isValid(self._focus):
            self._focus.removeEventFilter(self._controller)
        # a widget being deleted (a toolbar button at a reset) may take the focus with it
        self._focus = obj if isinstance(obj, QWidget) and shiboken6.isValid(obj) else None
        if self._focus is not None:
            self._focus.installEventFilter(self._controller)
            self._watch_window(self._focus.window().windowHandle())

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        app = application()
        app.focusWindowChanged.disconnect(self._watch_window)
        app.focusObjectChanged.disconnect(self._watch_focus)
        self._watch_focus(None)
        for handle in self._windows:
            handle.removeEventFilter(self._controller)


class _StaysUp(QObject):
    """Under an ordinary window manager (an autostarted kiosk), Minimise or a hide leaves a
    black screen no tap brings back: the kiosk window shows itself again, full screen."""

    def __init__(self, controller: KioskController, window: QWidget):
        super().__init__(controller)
        self._controller = controller
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        gone = kind == _T.Hide or (kind == _T.WindowStateChange
                                   and obj.windowState() & Qt.WindowState.WindowMinimized)
        if gone and not self._controller.exit_allowed:
            QTimer.singleShot(0, self._controller, self._controller.show_window)
        return False


class _TouchGuard(QObject):
    """On the text fields: a double tap selects no word and a sliding finger no letters, and
    a tap on the focused field brings back the keyboard its hide key hid. On the form shown
    inside the window: the reader steps aside while it is open."""

    def __init__(self, chrome: KioskChrome):
        super().__init__(chrome)
        self._chrome = chrome
        self._pressed: tuple[QObject | None, QPoint] = (None, QPoint())
        self._tapped_into: QObject | None = None

    def watch(self, root: QWidget) -> None:
        for field in root.findChildren(QLineEdit):
            field.installEventFilter(self)
        for editor in _editors(root):
            if not editor.isReadOnly():
                editor.viewport().installEventFilter(self)  # where its mouse events land
                editor.installEventFilter(self)  # and its focus

    def eventFilter(self, obj: QObject, event) -> bool:
        kind = event.type()
        if obj is self._chrome.window.feedback_form:
            if kind in (_T.Show, _T.Hide):
                self._chrome.form_shown(kind == _T.Show)
            return False
        if obj is self._chrome.keyboard:
            if kind in (_T.Show, _T.Hide):
                self._chrome.keyboard_shown(kind == _T.Show)
            return False
        if kind == _T.Show and obj in self._chrome.aside_parts():
            self._chrome.shown_beside_keyboard(obj)
            return False
        if kind == _T.FocusIn:
            if event.reason() == Qt.FocusReason.MouseFocusReason:
                self._tapped_into = obj  # the field a tap is bringing the focus to
            return False
        field = obj if isinstance(obj, QLineEdit) else obj.parent()  # an editor's viewport
        if kind == _T.MouseButtonDblClick:  # a quick second tap: still a tap, but one that
            self._pressed = (obj, event.globalPosition().toPoint())  # selects no word
            return True
        if kind == _T.MouseMove:
            return bool(event.buttons() & Qt.MouseButton.LeftButton)
        if kind == _T.MouseButtonPress:
            self._pressed = (obj, event.globalPosition().toPoint())
        elif kind == _T.MouseButtonRelease and self._pressed[0] is obj:
            moved = (event.globalPosition().toPoint() - self._pressed[1]).manhattanLength()
            self._pressed = (None, QPoint())
            keyboard = self._chrome.keyboard
            if moved < TOUCH_PX // 2 and isinstance(field, QWidget):  # a tap, not a swipe
                if field is self._tapped_into:  # the tap that starts typing here: after the
                    QTimer.singleShot(0, field, lambda f=field: cursor_to_end(f))  # text in it
                if keyboard is not None:
                    keyboard.field_tapped(field)
            self._tapped_into = None
        return False


# --- the controller ----------------------------------------------------------------------


class IdleSession(QObject):
    """The idle clock, and only that: after `idle_ms` with no touch, mouse or key, "Still
    reading?" counts down `warning_ms`; any activity keeps the session; then `expired` (the
    kiosk starts over). After a reset the clock waits for the next reader's first touch."""

    warningShown = Signal()
    expired = Signal()

    def __init__(self, window: QWidget, idle_ms: int, warning_ms: int,
                 clock: Callable[[], float], parent: QObject):
        super().__init__(parent)
        self.window, self.warning_ms, self._clock = window, warning_ms, clock
        self.stopped = False  # staff are leaving: nothing counts any more
        self._warning_ends = 0.0
        self.notice = IdleNotice(window)
        self.notice.keep.clicked.connect(self.keep_session)
        self.notice.rejected.connect(self.keep_session)
        self._idle = QTimer(self, singleShot=True, interval=idle_ms)
        self._idle.timeout.connect(self.show_warning)
        self._deadline = QTimer(self, singleShot=True, interval=warning_ms)
        self._deadline.timeout.connect(self.expired)
        self._tick = QTimer(self, interval=min(1000, warning_ms))
        self._tick.timeout.connect(self._update_countdown)

    def activity(self) -> None:
        if self.stopped:
            return
        if self.notice.isVisible():
            self.keep_session()
        self._idle.start()

    def keep_session(self) -> None:
        self._deadline.stop()
        self._tick.stop()
        if self.notice.isVisible():
            self.notice.hide()
        if not self.stopped:
            self._idle.start()

    def show_warning(self) -> None:
        self._warning_ends = self._clock() + self.warning_ms / 1000
        self._deadline.start()
        self._tick.start()
        self._update_countdown()
        self.notice.show_over(self.window)
        self.warningShown.emit()

    def _update_countdown(self) -> None:
        left_ms = (self._warning_ends - self._clock()) * 1000
        self.notice.set_remaining(max(1, _seconds(left_ms)))

    def wait_for_next_reader(self) -> None:
        """After a reset: no notice, no countdown, until the next touch."""
        self._idle.stop()
        self._deadline.stop()
        self._tick.stop()
        self.notice.hide()

    def stop(self) -> None:
        self.stopped = True
        self.wait_for_next_reader()


class StaffExit(QObject):
    """The way out, for staff only: five taps within 3 seconds on the corner (or
    Ctrl+Alt+Shift+X), then the PIN; staff then see what went wrong and what waits in the
    outbox. With no PIN set, nothing in the window leads out."""

    def __init__(self, window: MainWindow, pin_hash: str, staff_notes: tuple[str, ...],
                 lockout_ms: int, clock: Callable[[], float],
                 allow_exit: Callable[[], None], watch: Callable[[QWidget], None]):
        super().__init__(window)
        self.window, self._pin_hash, self.staff_notes = window, pin_hash, staff_notes
        self._clock, self._allow_exit, self._watch = clock, allow_exit, watch
        self.pin_lock = PinLock(pin_hash, lockout_ms / 1000, MAX_PIN_TRIES, clock)
        self.pin_dialog: PinDialog | None = None
        self._taps: list[float] = []
        self.corner = _ExitCorner(window.toolbar)
        self.corner.tapped.connect(self._corner_tapped)
        window.toolbar.addWidget(self.corner)
        QShortcut(QKeySequence(EXIT_SHORTCUT), window, self.request_exit,
                  context=Qt.ShortcutContext.ApplicationShortcut)

    def _corner_tapped(self) -> None:
        now = self._clock()
        self._taps = [t for t in self._taps if now - t < EXIT_TAP_WINDOW_S] + [now]
        if len(self._taps) >= EXIT_TAPS:
            self._taps.clear()
            self.request_exit()

    def request_exit(self) -> None:
        """The PIN pad; with no PIN set there is no way out from the window."""
        if not self._pin_hash:
            return
        if self.pin_dialog is None:
            self.pin_dialog = PinDialog(self.pin_lock, self.window)
            self.pin_dialog.unlocked.connect(self.exit_now)
            self._watch(self.pin_dialog)
        _show_on_top(self.pin_dialog)
        self.pin_dialog.field.setFocus()

    def forget(self) -> None:
        """A reset: half a PIN and a few taps are not left for the next person."""
        self._taps.clear()
        if self.pin_dialog is not None:
            self.pin_dialog.field.setText("")

    def exit_now(self) -> None:
        """After the right PIN: close the dialogs, show staff any problems with the settings
        or the content and the outbox's count, close the window; the app then quits."""
        self._allow_exit()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        outbox = self.window.staff_outbox_line
        if self.staff_notes or outbox:
            text = ""
            if self.staff_notes:
                text = ("The reader ran with these problems (defaults in their place):\n\n"
                        + "\n\n".join(self.staff_notes) + "\n\nFix them, then check with: "
                        "main.py config check")
            if outbox:
                text += ("\n\n" if text else "") + f"Feedback outbox: {outbox}"
            notes = QMessageBox(QMessageBox.Icon.Warning if self.staff_notes
                                else QMessageBox.Icon.Information, "For staff", text,
                                parent=self.window)
            notes.setObjectName("kioskStaffNotes")
            notes.exec()
        self.window.close()


class KioskChrome(QObject):
    """What a kiosk adds to the body the window built for its policy (MainWindow._kiosk_body
    and _kiosk_column: the crisis card above both panes, the search field above the scrolled
    question column, "Clear search" at the column's top, a stack of pages): the keyboard
    docked at the body's foot, the feedback form as a page of the stack, what steps aside
    while the keyboard is up, the column's width, "Clear search" shown while there is
    something to clear, and the touch guard on every field (no word selected by a double
    tap, the keyboard for a tapped field). The window applies the rest of the policy itself
    (reader/ui/window.py)."""

    def __init__(self, window: MainWindow, with_keyboard: bool, parent: QObject):
        super().__init__(parent)
        self.window = window
        self.keyboard: OnScreenKeyboard | None = None
        self._stepped_aside: list[QWidget] = []
        self.guard = _TouchGuard(self)
        if with_keyboard:
            self._dock_keyboard()
        window.search_panel.field.textChanged.connect(self._search_edited)
        window.search_panel.cleared.connect(window.clear_button.hide)  # it empties it quietly
        window.themes.changed.connect(self.fit_column)  # after the window's own (desktop) widths
        for part in self.aside_parts():
            part.installEventFilter(self.guard)

    def _dock_keyboard(self) -> None:
        """Under the reader, or the form in its place. Typing a crisis phrase goes on without
        a break: the keyboard stays up and still, and the window keeps the screen's size."""
        self.keyboard = OnScreenKeyboard(self.window.kiosk_body)
        self.window.body_layout.addWidget(self.keyboard)
        self.keyboard.installEventFilter(self.guard)

    def embed_form(self, form) -> None:
        """The feedback form as a page of the window: no title bar, nothing for a kiosk
        compositor to place, and the keyboard below it never covers a field."""
        form.setWindowFlags(Qt.WindowType.Widget)
        form.fill_parent(FORM_MAX_WIDTH)
        for area in form.findChildren(QScrollArea):  # a swipe scrolls the form
            if not QScroller.hasScroller(area.viewport()):
                grab_swipe(area.viewport())
        self.window.pages.addWidget(form)
        form.installEventFilter(self.guard)
        self.guard.watch(form)
        if self.keyboard is not None:  # the card takes room from the fields: keep the one
            form.crisis_card.appeared.connect(self.keyboard.reveal_field)  # typed in in view

    def form_shown(self, shown: bool) -> None:
        form = self.window.feedback_form
        assert form is not None  # only its own Show and Hide events call this
        self.window.pages.setCurrentWidget(form if shown else self.window.reader_page)
        focus = QApplication.focusWidget()
        if shown and not (focus is not None and form.isAncestorOf(focus)):
            form.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def aside_parts(self) -> tuple[QWidget, ...]:
        """What steps aside while the keyboard is up. Not read aloud and the links: the
        answer pane shows them as its room allows (hiding them here too, where they fit,
        had the two show and hide them some 200 times a second, a blank band left)."""
        w = self.window
        return (w.answer_feedback_button, w.footer)

    def shown_beside_keyboard(self, part: QWidget) -> None:
        """A part shown while the keyboard is up waits until the keyboard goes, with the
        others."""
        if self.keyboard is not None and self.keyboard.isVisible():
            if part not in self._stepped_aside:
                self._stepped_aside.append(part)
            QTimer.singleShot(0, part, part.hide)

    def keyboard_shown(self, shown: bool) -> None:
        """The feedback link and the footer step aside while the keyboard is up, and come
        back with it hidden: the crisis card, the field and the results keep their room."""
        if shown:
            self._stepped_aside = [part for part in self.aside_parts() if part.isVisible()]
            for part in self._stepped_aside:
                part.hide()
            return
        for part in self._stepped_aside:
            part.show()
        self._stepped_aside = []

    def _search_edited(self, text: str) -> None:
        self.window.clear_button.setVisible(bool(text))
        if not text:  # emptied with backspace: as "Clear search" does
            self.window.clear_search()

    def fit_column(self) -> None:
        """The question column: a quarter of the screen, wider for large text (its longest
        words whole), never more than COLUMN_MAX_SHARE. The same for every reader: what one
        patient's text size did, the reset undoes."""
        w = self.window
        total = w.screen().geometry().width()
        width = round(min(max(total / 4, COLUMN_EMS * w._text_px()), total * COLUMN_MAX_SHARE))
        w.splitter.setSizes([width, total - width])



class KioskController(QObject):
    """Keeps a MainWindow a kiosk. Timeouts can be given in ms (tests use short ones)."""

    warningShown = Signal()
    sessionReset = Signal()

    def __init__(self, settings: KioskSettings, idle_ms: int | None = None,
                 warning_ms: int | None = None, lockout_ms: int = LOCKOUT_MS,
                 staff_notes: tuple[str, ...] | list[str] = (),
                 clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.window: MainWindow  # set by attach(); the controller is used only after it
        self.settings = settings
        self._staff_notes = tuple(staff_notes)  # settings and content problems: after the PIN
        self.idle_ms = idle_ms if idle_ms is not None else settings.idle_seconds * 1000
        self.warning_ms = warning_ms if warning_ms is not None else settings.warning_seconds * 1000
        self.lockout_ms = lockout_ms
        self.exit_allowed = False
        self.link_dialog: LinkDialog | None = None
        self._clock = clock  # seconds: the countdown, the corner's taps and the PIN's lockout
        self._last_pos = None
        self.chrome: KioskChrome  # set by attach()

    # --- setting up ------------------------------------------------------------

    def policy(self, resources_dir: Path) -> WindowPolicy:
        """What the window does differently in a kiosk; given to it when it is built."""
        qss = resources_dir / "kiosk.qss"
        return WindowPolicy(
            kiosk=True,
            remember=False,  # no reader's question, text size or place is kept
            may_close=self._may_close,
            show_link=self.show_link,  # a QR code: there is no browser to open
            extra_stylesheet="\n" + qss.read_text(encoding="utf-8") if qss.exists() else "",
            crisis_note=self.settings.crisis_note,
            match_hint=self.tr("Match {current} of {total} highlighted. Swipe the answer to "
                               "see them all; tap “Clear search” to start over."),
            embed_feedback=lambda form: self.chrome.embed_form(form),
            outbox_shown=False,  # patients see nothing of the patients before them
            name_the_source=True,
        )

    def attach(self, window: MainWindow) -> None:
        """Add the kiosk's controls to a window built with this controller's policy."""
        self.window = w = window
        self.setParent(window)
        self.idle = IdleSession(window, self.idle_ms, self.warning_ms, self._clock, self)
        self.idle.warningShown.connect(self.warningShown)
        self.idle.expired.connect(self.reset_now)
        self.notice = self.idle.notice
        w.themes.set_text_scale(self.settings.text_scale)
        was_visible = w.isVisible()

        self.finished_button = QPushButton(self.tr(FINISHED_TEXT), w.toolbar)
        self.finished_button.setObjectName("kioskFinished")
        self.finished_button.setAccessibleName(self.tr(FINISHED_TEXT))
        self.finished_button.setAccessibleDescription(self.tr(
            "Start over for the next person: closes the form and forgets what you read and typed"))
        self.finished_button.setToolTip(self.tr("Start over for the next person"))
        self.finished_button.clicked.connect(self.reset_now)
        w.toolbar.addWidget(self.finished_button)
        QWidget.setTabOrder(w.feedback_button, self.finished_button)  # not after the body
        self.staff_exit = StaffExit(w, self.settings.exit_pin_hash, self._staff_notes,
                                    self.lockout_ms, self._clock, self.allow_exit,
                                    lambda root: self.chrome.guard.watch(root))
        self.corner, self.pin_lock = self.staff_exit.corner, self.staff_exit.pin_lock
        self.chrome = KioskChrome(w, self.settings.keyboard, self)
        for_kiosk(w.read_aloud, self)  # capped volume; no button without a voice
        w.apply_theme()  # the touch sizes reach the controls added above
        make_touch_friendly(w)
        self.chrome.guard.watch(w)
        self._input = _InputWatch(self, w)
        self._stays_up = _StaysUp(self, w)
        if was_visible:
            self.show_window()

    @property
    def keyboard(self) -> OnScreenKeyboard | None:
        return self.chrome.keyboard

    @property
    def clear_button(self) -> WrappingButton:
        return self.window.clear_button

    # --- activity and the idle reset ------------------------------------------------

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == _T.ContextMenu or (kind == _T.KeyPress and event.key() == Qt.Key.Key_Menu):
            return True  # no context menus anywhere
        if kind in ACTIVITY_EVENTS:
            if kind == _T.MouseMove:  # a window appearing under a still cursor is no reader
                pos = event.globalPosition().toPoint()
                if pos == self._last_pos:
                    return False
                self._last_pos = pos
            self.activity()
        return False

    def activity(self) -> None:
        self.idle.activity()

    def keep_session(self) -> None:
        self.idle.keep_session()

    def show_warning(self) -> None:
        self.idle.show_warning()

    def reset_now(self) -> None:
        """Forget the reader: what window.reset_session does, plus every undo history."""
        self.idle.wait_for_next_reader()
        self.staff_exit.forget()
        self.window.reset_session(self.settings.text_scale)
        if self.keyboard is not None:
            self.keyboard.reset()
        if self.link_dialog is not None:
            self.link_dialog.forget()
        self.forget_undo(self.window)
        self.sessionReset.emit()

    @staticmethod
    def forget_undo(root: QWidget) -> None:
        for field in root.findChildren(QLineEdit):
            field.blockSignals(True)
            field.setText(field.text())  # setText drops the undo history
            field.blockSignals(False)
        for editor in _editors(root):
            editor.document().clearUndoRedoStacks()

    # --- links ---------------------------------------------------------------------

    def show_link(self, url: QUrl) -> bool:
        if self.link_dialog is None:
            self.link_dialog = LinkDialog(self.window)
        self.link_dialog.show_link(url)
        return True

    # --- the staff exit ----------------------------------------------------------------

    def show_window(self) -> None:
        """Full screen, also where no window manager runs (a bare X session)."""
        screen = self.window.screen().geometry()
        self.window.setGeometry(screen)
        self.window.setFixedSize(screen.size())  # no layout may make it taller than the screen
        self.chrome.fit_column()
        self.window.showFullScreen()

    def _may_close(self) -> bool:
        return self.exit_allowed

    @property
    def staff_notes(self) -> tuple[str, ...]:
        return self.staff_exit.staff_notes

    @staff_notes.setter
    def staff_notes(self, notes: tuple[str, ...]) -> None:  # read aloud adds its own
        self.staff_exit.staff_notes = tuple(notes)

    @property
    def pin_dialog(self) -> PinDialog | None:
        return self.staff_exit.pin_dialog

    def request_exit(self) -> None:
        self.staff_exit.request_exit()

    def allow_exit(self) -> None:
        self.exit_allowed = True
        self.idle.stop()
        self._input.stop()


def open_kiosk(session: ReaderSession, idle_ms: int | None = None,
               warning_ms: int | None = None, lockout_ms: int = LOCKOUT_MS,
               staff_notes: tuple[str, ...] | list[str] = ()
               ) -> tuple[MainWindow, KioskController]:
    """A kiosk window for the session, and its controller; show it with show_window()."""
    from reader.ui.window import MainWindow

    controller = KioskController(session.settings.kiosk, idle_ms, warning_ms, lockout_ms,
                                 staff_notes)
    window = MainWindow(session, controller.policy(session.paths.resources_dir))
    controller.attach(window)
    return window, controller
