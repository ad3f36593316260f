"""The kiosk's on-screen keyboard, docked at the bottom of the window it belongs to.

It shows when a text field of that window gets focus and hides when focus leaves the text
fields. Every tap goes to the focused field as a real key event (QApplication.sendEvent), so
validators, length limits, counters and undo behave as with a keyboard. Each character key is
a button whose text is exactly what it types; the other keys have accessible names. No key
takes focus, so the field keeps it; a tap types only into the field that has focus now.
"""

from __future__ import annotations

from typing import TypeGuard

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

KEY_PX = 48  # a key's least height and width: a finger (44 px at least, DESIGN.md)
ROOMY_KEY_PX = 56  # on a screen at least ROOMY_SCREEN_PX tall
ROOMY_SCREEN_PX = 900  # below it (768-px laptops) the crisis card and the field need the room
DIGITS = "1234567890"
LETTER_ROWS = ("qwertyuiop", "asdfghjklñ", "zxcvbnm,.")
SYMBOL_ROWS = ("@.,-_'?!¿¡", "()/:;\"+#%", "=*$€<>[]|~")  # no "&": a button's mnemonic
ACCENTS = "áéíóúü"
EMAIL_KEYS = ("@", ".com", ".org", ".net", "gmail.com", "outlook.com", "yahoo.com")
EMAIL_FIELD = "feedbackEmail"
_T = QEvent.Type


def editable(widget: object) -> TypeGuard[QLineEdit | QPlainTextEdit | QTextEdit]:
    """A field the keyboard types into: a line or text editor that is not read-only."""
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return not widget.isReadOnly() and widget.isEnabled()
    return False


class _Key(QPushButton):
    """A key never narrower than its words ("Bloq Mayús", "Siguiente"): a crowded row
    takes the room from the one-letter keys instead. One size at every text size."""

    px = KEY_PX  # set for all keys by the keyboard, by the screen's height

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.Polish, QEvent.Type.FontChange,
                            QEvent.Type.StyleChange):  # a style sheet's min-width is set
            self._fit()
        return handled

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self._fit()

    def _fit(self) -> None:
        self.setMinimumSize(self.sizeHint().expandedTo(QSize(self.px, self.px)))


class OnScreenKeyboard(QWidget):
    """Letters with one-shot shift and caps lock, digits, a symbols page, á é í ó ú ü ñ.

    Serves the text fields of its own window; `reset()` (every kiosk reset) hides it and
    forgets shift, caps and the page.
    """

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("onScreenKeyboard")
        self.setAccessibleName(self.tr("On-screen keyboard"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.shift = self.caps = self.symbols = False
        self.field: QWidget | None = None  # the field it was shown for
        self.char_keys: list[QPushButton] = []
        self._reveal_timer = QTimer(self, singleShot=True, interval=0)
        self._reveal_timer.timeout.connect(self._reveal_field)

        self.backspace = self._special("⌫", "keyboardBackspace", self.tr("Backspace"),
                                       self._backspace, 3)
        self.enter = self._special(self.tr("Enter"), "keyboardEnter", self.tr("Enter"),
                                   self._enter, 4)
        self.symbols_enter = self._special(self.tr("Enter"), "keyboardEnter", self.tr("Enter"),
                                           self._enter, 4)
        self.shift_key = self._special(self.tr("Shift"), "keyboardShift", self.tr("Shift"),
                                       self._toggle_shift, 5)
        self.caps_key = self._special(self.tr("Caps"), "keyboardCaps", self.tr("Caps lock"),
                                      self._toggle_caps, 5)  # wide enough for "Bloq Mayús"
        for key in (self.shift_key, self.caps_key):
            key.setCheckable(True)
        self.page_key = self._special("?123", "keyboardSymbols", self.tr("Symbols"),
                                      self._toggle_page, 4)
        self.space = self._special(self.tr("space"), "keyboardSpace", self.tr("Space"),
                                   lambda: self._type(" "), 12)
        self.hide_key = self._special(self.tr("Hide ▾"), "keyboardHide",
                                      self.tr("Hide the keyboard"), self.hide, 4)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(self._row([*self._chars(DIGITS), self.backspace]))
        self.letter_rows = [self._row(self._chars(r)) for r in LETTER_ROWS]
        self.symbol_rows = [self._row(self._chars(r)) for r in SYMBOL_ROWS]
        self.letter_rows[1].addWidget(self.enter, 4)
        self.symbol_rows[1].addWidget(self.symbols_enter, 4)
        self.letter_rows[2].insertWidget(0, self.shift_key, 5)
        self.letter_rows[2].addWidget(self.caps_key, 5)
        self.letter_page = self._page(self.letter_rows)
        self.symbol_page = self._page(self.symbol_rows)
        self.symbol_page.hide()
        layout.addWidget(self.letter_page)
        layout.addWidget(self.symbol_page)
        self.accent_keys = self._chars(ACCENTS)
        self.email_keys = self._chars(EMAIL_KEYS)
        layout.addLayout(self._row([self.page_key, *self.accent_keys, *self.email_keys,
                                    self.space, self.hide_key]))
        self._show_case()
        self._set_email(False)
        self._in_reading_order(layout)
        self._size_keys()
        self.hide()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)

    # --- building ---------------------------------------------------------------------

    def _key(self, text: str, stretch: int) -> QPushButton:
        key = _Key(text, self)
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the focus
        key.setAutoDefault(False)
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        key.setProperty("stretch", stretch)
        return key

    def _chars(self, chars) -> list[QPushButton]:
        keys = []
        for char in chars:
            key = self._key(char, 4 if len(char) < 3 else 6)
            key.setObjectName("keyboardKey")
            key.setProperty("word", len(char) > 1)
            key.clicked.connect(lambda _=False, k=key: self._type(k.text()))
            self.char_keys.append(key)
            keys.append(key)
        return keys

    def _special(self, text, name, accessible, slot, stretch) -> QPushButton:
        key = self._key(text, stretch)
        key.setObjectName(name)
        key.setAccessibleName(accessible)
        key.setProperty("special", True)
        key.clicked.connect(slot)
        return key

    @staticmethod
    def _row(keys) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        for key in keys:
            row.addWidget(key, key.property("stretch"))
        return row

    def _page(self, rows) -> QWidget:
        page = QWidget(self)
        page.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for row in rows:
            layout.addLayout(row)  # reparents the row's keys to the page
        return page

    def _in_reading_order(self, layout) -> None:
        """Screen readers list a widget's children in creation order: make it row by row."""
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item.widget() is not None:
                item.widget().raise_()
                if item.widget().layout() is not None:
                    self._in_reading_order(item.widget().layout())
            elif item.layout() is not None:
                self._in_reading_order(item.layout())

    # --- state ------------------------------------------------------------------------

    def upper(self) -> bool:
        return self.shift != self.caps

    def _show_case(self) -> None:
        upper = self.upper()
        for key in (*self._letter_keys(), *self.accent_keys):
            text = key.text()
            key.setText(text.upper() if upper else text.lower())
        self.shift_key.setChecked(self.shift)
        self.caps_key.setChecked(self.caps)
        on, off = self.tr("on"), self.tr("off")
        self.shift_key.setAccessibleDescription(on if self.shift else off)
        self.caps_key.setAccessibleDescription(on if self.caps else off)

    def _letter_keys(self):
        return [k for k in self.char_keys if k.parent() is self.letter_page and k.text().isalpha()]

    def _toggle_shift(self) -> None:
        self.shift = not self.shift
        self._show_case()

    def _toggle_caps(self) -> None:
        self.caps = not self.caps
        self.shift = False
        self._show_case()

    def _toggle_page(self) -> None:
        self.set_symbols(not self.symbols)

    def set_symbols(self, on: bool) -> None:
        self.symbols = on
        going, coming = (self.letter_page, self.symbol_page) if on else (self.symbol_page,
                                                                         self.letter_page)
        going.hide()  # first: both pages at once would make the window taller than the screen
        coming.show()
        self.page_key.setText("ABC" if on else "?123")
        self.page_key.setAccessibleName(self.tr("Letters") if on else self.tr("Symbols"))

    def _set_email(self, on: bool) -> None:
        """In the email field @ and the common endings take the places of the accents and
        of the space bar (an address has no spaces): the row fits an 800-px screen whole."""
        going, coming = (self.accent_keys + [self.space], self.email_keys) if on else (
            self.email_keys, self.accent_keys + [self.space])
        for key in going:  # first: both sets at once would widen the window
            key.hide()
        for key in coming:
            key.show()

    def reset(self) -> None:
        """Hidden, lower case, letters: nothing of the last reader's typing is left."""
        self.hide()
        self.shift = self.caps = False
        self.set_symbols(False)
        self._show_case()
        self.field = None

    # --- following the focus ------------------------------------------------------------

    def _focus_changed(self, _old, new) -> None:
        if editable(new) and new.window() is self.window():
            self.show_for(new)
        elif self.isVisible():
            self.hide()

    def field_tapped(self, field: QWidget) -> None:
        """A tap on the focused field brings the keyboard back after its hide key."""
        if field is self.target():
            self.show_for(field)

    def key_px(self) -> int:
        """How tall the keys are on this screen: never a size that moves under a finger
        while typing (only another screen changes it)."""
        screen = self.screen()
        tall = screen is not None and screen.geometry().height() >= ROOMY_SCREEN_PX
        return ROOMY_KEY_PX if tall else KEY_PX

    def _size_keys(self) -> None:
        px = self.key_px()
        keys = self.findChildren(_Key)
        if keys and keys[0].px != px:
            for key in keys:
                key.px = px
                key._fit()

    def show_for(self, field: QWidget) -> None:
        self.field = field
        self._size_keys()
        self._set_email(field.objectName() == EMAIL_FIELD)
        if not isinstance(field, QLineEdit):
            text = name = self.tr("New line")
        elif field.objectName().startswith("feedback"):
            text, name = self.tr("Next"), self.tr("Next field")
        else:
            text = name = self.tr("Search")
        for key in (self.enter, self.symbols_enter):
            key.setText(text)
            key.setAccessibleName(name)
        self.show()
        self._reveal_timer.start()

    def reveal_field(self) -> None:
        """Once the layout has settled: the field typed in back in view (after the crisis
        card took room above it)."""
        if self.isVisible():
            self._reveal_timer.start()

    def _reveal_field(self) -> None:
        """After the keyboard took its place: scroll the field into view if it sits in a form."""
        field = self.target()
        if field is None:
            return
        area = field.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is None or (inner := area.widget()) is None:
            return
        top = field.mapTo(inner, QPoint(0, 0))
        half = min(field.height(), area.viewport().height() - 32) // 2
        area.ensureVisible(top.x(), top.y() + half, 0, half + 24)

    def hideEvent(self, event) -> None:
        self._reveal_timer.stop()
        super().hideEvent(event)

    # --- typing -------------------------------------------------------------------------

    def target(self) -> QWidget | None:
        """The field that has the focus now, if it is one of this window's text fields."""
        focus = QApplication.focusWidget()
        if editable(focus) and focus.window() is self.window() and focus.isVisible():
            return focus
        return None

    def _send(self, key: int, text: str = "") -> bool:
        field = self.target()
        if field is None or not self.isVisible():
            return False
        for kind in (_T.KeyPress, _T.KeyRelease):
            QApplication.sendEvent(field, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                    text))
        return True

    def _type(self, text: str) -> None:
        if text == " ":
            sent = self._send(Qt.Key.Key_Space, " ")
        else:
            sent = all(self._send(_key_code(char), char) for char in text)
        if sent and self.shift:
            self.shift = False
            self._show_case()

    def _backspace(self) -> None:
        self._send(Qt.Key.Key_Backspace)

    def _enter(self) -> None:
        """Search: Return to the search field, then out of the way of the results.
        Form: on to the next field. Comments: a new line."""
        field = self.target()
        if field is None:
            return
        if not isinstance(field, QLineEdit):
            self._send(Qt.Key.Key_Return, "\r")
        elif field.objectName().startswith("feedback"):
            self._send(Qt.Key.Key_Tab)
            cursor_to_end(self.target())  # after what is there: nothing typed is glued before it
        else:
            self._send(Qt.Key.Key_Return, "\r")
            self.hide()


def cursor_to_end(field: QWidget | None) -> None:
    """The text cursor after the field's text, nothing selected (Tab selects a line's text,
    and a typed letter would replace it)."""
    if isinstance(field, QLineEdit):
        field.deselect()
        field.end(False)
    elif isinstance(field, QPlainTextEdit | QTextEdit):
        field.moveCursor(QTextCursor.MoveOperation.End)


def _key_code(char: str) -> int:
    """Qt's key codes are the Latin-1 code points of the upper-case letter."""
    code = ord(char.upper()) if len(char.upper()) == 1 else 0
    return code if 0x20 <= code <= 0xFF else Qt.Key.Key_unknown
