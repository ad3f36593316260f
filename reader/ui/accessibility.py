"""What screen readers are told beyond what Qt's own widgets say.

Qt tells AT-SPI nothing of an answer's structure (its text browser is one "label"), a panel
that appears is not spoken, and there is no way to speak a short status. `install()` adds a
factory, once, for the widgets that say `ACCESSIBLE = "answer"` or `"notification"`:

- the answer: a document whose children are its headings (with their level), paragraphs and
  list items, each holding its links (role link, action "jump"). Its text is still Qt's own
  text interface, so Say All and caret reading work as before.
- the crisis card: a notification, which Orca speaks the moment it is shown.
- the question list (`"tree"`): Qt's own interface, but its Selection names the selected
  row itself (Qt's counts a row's place under its group, so Orca announced another question
  than the open one).

The interfaces live in reader/ui/accessible_interfaces.py, imported only when a screen
reader first asks for one (creating QAccessible's classes and enums costs tens of ms at
start-up); this module is what the widgets use.

`announce(widget, text)` speaks a status (a result count, a text size, a saved message) the
same way, through a short-lived notification. Every part reports the language of the text
(AT-SPI's Locale: the widget's locale).

Measured with pyatspi and Orca 43 (tests/test_atspi.py, tests/test_orca.py): Qt's AT-SPI
bridge has no Hypertext interface, so links are child objects; Orca 43 speaks a notification
when its "showing" state turns on, but ignores Alert and Announcement events; its H and K
keys work only in web pages, so the answer moves to its headings and links itself
(`Viewer.keyPressEvent`) and reports the focused part. Qt 6.11's QAccessible::State has no
REQUIRED or INVALID_ENTRY and its `invalid` bit reaches no AT-SPI state, so a form field says
"(required)" in its name and its error in its description, which Orca speaks on focus.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

_installed = False


@dataclass
class Part:
    """One piece of an answer, as a screen reader navigates it."""

    role: str  # "heading", "paragraph", "list item" or "link"
    text: str
    start: int  # document positions: the part is text[start:end] of the answer
    end: int
    level: int = 0  # a heading's level
    href: str = ""  # a link's address
    links: list[Part] = field(default_factory=list)


def install() -> None:
    """Put the reader's accessible interfaces in place of Qt's (idempotent)."""
    global _installed
    if not _installed:
        from PySide6.QtGui import QAccessible

        QAccessible.installFactory(_factory)
        _installed = True


def _factory(class_name: str, obj: QObject):
    if not getattr(obj, "ACCESSIBLE", "") or not isinstance(obj, QWidget):
        return None  # Qt's own interface; nothing of the reader's is loaded
    from reader.ui import accessible_interfaces

    return accessible_interfaces.factory(class_name, obj)


def announce(widget: QWidget, text: str) -> None:
    """Speak `text` now: a notification of `widget`'s window appears for a moment."""
    from PySide6.QtGui import QAccessible

    if text and QAccessible.isActive():
        from reader.ui import accessible_interfaces

        accessible_interfaces.announce(widget, text)


def report_focus(widget: QWidget, part: Part | None) -> None:
    """The caret of `widget` (the answer) is on `part`: a screen reader is told."""
    from PySide6.QtGui import QAccessible

    if QAccessible.isActive():
        from reader.ui import accessible_interfaces

        interface = QAccessible.queryAccessibleInterface(widget)
        if isinstance(interface, accessible_interfaces.AnswerDocument):
            interface.report_focus(part)


class EnterPresses(QObject):
    """An event filter: Enter and Return press the button they reach, as Space does."""

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return,
                                                                   Qt.Key.Key_Enter) \
                and isinstance(watched, QAbstractButton) and watched.isEnabled() \
                and not event.isAutoRepeat():
            watched.animateClick()
            return True
        return super().eventFilter(watched, event)
