"""The reader's accessible interfaces (see reader/ui/accessibility.py, which loads this
module when a screen reader first asks): the answer as a document of parts, the crisis card
as a notification, spoken statuses, and the question list's true Selection."""

from __future__ import annotations

import functools

import shiboken6
from PySide6.QtCore import QCoreApplication, QLocale, QObject, QRect, Qt, QTimer
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAttributesInterface,
    QAccessibleEvent,
    QAccessibleInterface,
    QAccessibleSelectionInterface,
)
from PySide6.QtWidgets import QAccessibleWidget, QTreeWidget, QWidget

from reader.ui.accessibility import Part

_NULL = shiboken6.VoidPtr(0)
_building: set[int] = set()  # widgets whose Qt-made interface is being fetched
Role, Text, Kind = QAccessible.Role, QAccessible.Text, QAccessible.InterfaceType
ROLES = {"heading": Role.Heading, "paragraph": Role.Paragraph, "list item": Role.ListItem,
         "link": Role.Link}


def factory(_class_name: str, obj: QObject):
    kind = getattr(obj, "ACCESSIBLE", "")
    if id(obj) in _building or not isinstance(obj, QWidget):
        return None
    if kind == "answer":  # Qt's own interface for the text browser: its text is kept
        return AnswerDocument(obj, _qt_interface(obj))
    if kind == "notification":
        return Notification(obj)
    if kind == "tree":
        own = _qt_interface(obj)
        return TreeWithTrueSelection(obj, own) if own.get() is not None else None
    return None


def _qt_interface(obj: QObject) -> QtMade:
    """The interface Qt itself makes for `obj` (the reader's factory steps aside)."""
    _building.add(id(obj))
    try:
        return QtMade(QAccessible.queryAccessibleInterface(obj))
    finally:
        _building.discard(id(obj))


class QtMade:
    """An interface Qt made, held by its id, never by its Python wrapper.

    Qt deletes its interfaces with their objects, unseen by PySide: a wrapper kept past that
    stays registered at the freed address, and PySide hands it out again for whatever C++
    object is made there next (a delegate came back as a QAccessibleWidget, and crashes
    followed). `get()` is the interface while it lives, else None."""

    def __init__(self, interface: QAccessibleInterface | None):
        self._id = QAccessible.uniqueId(interface) if interface is not None else 0

    def get(self) -> QAccessibleInterface | None:
        return QAccessible.accessibleInterface(self._id) if self._id else None


def _pointer(found):
    """A Python interface_cast must hand Qt a pointer, never None."""
    return found if found is not None else _NULL


def locale_of(widget: QWidget) -> QLocale:
    return widget.locale()


def announce(widget: QWidget, text: str) -> None:
    parent = QAccessible.queryAccessibleInterface(widget.window())
    if parent is None:
        return
    message = _Announcement(parent, widget, text)
    QAccessible.updateAccessibility(QAccessibleEvent(message, QAccessible.Event.ObjectShow))
    _announcements.append(message)
    if len(_announcements) > 8:  # the screen reader has read the older ones by now
        old = _announcements.pop(0)
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(old))


_announcements: list[QAccessibleInterface] = []


def _delete_interfaces(made: list[_PartInterface]) -> None:
    """Qt forgets and deletes each interface in `made`; `made` is emptied."""
    for interface in made:
        if shiboken6.isValid(interface):
            QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(interface))
    made.clear()


class _Attributes(QAccessibleAttributesInterface):
    """Level (headings) and Locale (everything) for a Python-made interface."""

    def __init__(self, level, locale):
        super().__init__()
        self._level, self._locale = level, locale

    def attributeKeys(self):
        keys = [QAccessible.Attribute.Locale]
        if self._level():
            keys.append(QAccessible.Attribute.Level)
        return keys

    def attributeValue(self, key):
        if key == QAccessible.Attribute.Level and self._level():
            return self._level()
        if key == QAccessible.Attribute.Locale:
            return self._locale()
        return None


class _Jump(QAccessibleActionInterface):
    def __init__(self, follow):
        super().__init__()
        self._follow = follow

    def actionNames(self):
        return ["jump"]

    def localizedActionName(self, name):
        return QCoreApplication.translate("Accessibility", "Follow the link") \
            if name == "jump" else ""

    def localizedActionDescription(self, name):
        return self.localizedActionName(name)

    def doAction(self, name):
        if name == "jump":
            QTimer.singleShot(0, self._follow)  # not inside the D-Bus call

    def keyBindingsForAction(self, name):
        return []


class _PartInterface(QAccessibleInterface):
    """A heading, paragraph, list item or link of the answer: an interface with no QObject,
    known to Qt by its id."""

    def __init__(self, document: AnswerDocument, part: Part, parent: QAccessibleInterface):
        super().__init__()
        self.document, self.part, self._parent = document, part, parent
        self.children: list[_PartInterface] = []
        self._attributes = _Attributes(lambda: self.part.level,
                                       lambda: locale_of(self.document.widget()))
        self._jump = _Jump(lambda: self.document.follow(self.part)) if part.href else None

    def isValid(self):
        return shiboken6.isValid(self.document) and self.document.isValid()

    def object(self):
        return None

    def window(self):
        return self.document.window()

    def relations(self, match=QAccessible.RelationFlag.AllRelations):
        return []

    def focusChild(self):
        return None

    def childAt(self, x, y):
        return None

    def parent(self):
        return self._parent

    def child(self, index):
        return self.children[index] if 0 <= index < len(self.children) else None

    def childCount(self):
        return len(self.children)

    def indexOfChild(self, child):
        return next((i for i, c in enumerate(self.children) if c is child), -1)

    def text(self, kind):
        return self.part.text if kind == Text.Name else ""

    def setText(self, kind, text):
        pass

    def rect(self):
        return self.document.part_rect(self.part)

    def role(self):
        return ROLES[self.part.role]

    def state(self):
        state = QAccessible.State()
        state.focusable = self.part.role in ("link", "heading")
        state.focused = self.document.focused_part is self.part and self.document.has_focus()
        state.linked = self.part.role == "link"
        state.readOnly = True
        state.invisible = self.rect().isEmpty()
        state.offscreen = state.invisible
        return state

    def interface_cast(self, kind):
        if kind == Kind.AttributesInterface:
            return shiboken6.VoidPtr(shiboken6.getCppPointer(self._attributes)[0])
        if kind == Kind.ActionInterface and self._jump is not None:
            return shiboken6.VoidPtr(shiboken6.getCppPointer(self._jump)[0])
        return _NULL


class AnswerDocument(QAccessibleWidget):
    """The answer as a document: Qt's text, the reader's structure."""

    def __init__(self, viewer, own: QtMade):
        super().__init__(viewer, Role.Document, "")
        self._own = own
        self._parts: list[_PartInterface] | None = None
        self._made: list[_PartInterface] = []  # every part's interface, headings and links
        # deleted with the viewer (Qt deletes this interface then, not the parts it knows of)
        viewer.destroyed.connect(functools.partial(_delete_interfaces, self._made))
        self.focused_part: Part | None = None
        self._attributes = _Attributes(lambda: 0, lambda: locale_of(viewer))
        viewer.outlineChanged.connect(self._forget_parts)

    def viewer(self):
        return self.widget()

    def has_focus(self) -> bool:
        return self.viewer().hasFocus()

    def follow(self, part: Part) -> None:
        self.viewer().follow_part(part)

    def part_rect(self, part: Part) -> QRect:
        local = self.viewer().part_rect(part)
        if local.isEmpty():
            return QRect()
        viewport = self.viewer().viewport()
        return QRect(viewport.mapToGlobal(local.topLeft()), local.size())

    def _forget_parts(self) -> None:
        old, self._parts, self.focused_part = self._parts or [], None, None
        _delete_interfaces(self._made)
        if old and QAccessible.isActive():
            QAccessible.updateAccessibility(
                QAccessibleEvent(self.viewer(), QAccessible.Event.ObjectReorder))

    def parts(self) -> list[_PartInterface]:
        if self._parts is None:
            self._parts = []
            for part in self.viewer().outline():
                top = _PartInterface(self, part, self)
                top.children = [_PartInterface(self, link, top) for link in part.links]
                self._parts.append(top)
                self._made += [top, *top.children]
        return self._parts

    def interface_for(self, part: Part) -> _PartInterface | None:
        for top in self.parts():
            if top.part is part:
                return top
            for link in top.children:
                if link.part is part:
                    return link
        return None

    def childCount(self):
        return len(self.parts())

    def child(self, index):
        parts = self.parts()
        return parts[index] if 0 <= index < len(parts) else None

    def indexOfChild(self, child):
        return next((i for i, c in enumerate(self.parts()) if c is child), -1)

    def focusChild(self):
        found = self.interface_for(self.focused_part) if self.focused_part else None
        return found if found is not None and self.has_focus() else None

    def text(self, kind):
        if kind == Text.Name:
            return self.viewer().accessibleName()
        own = self._own.get()
        return own.text(kind) if own is not None else super().text(kind)

    def interface_cast(self, kind):
        own = self._own.get()
        if kind in (Kind.TextInterface, Kind.EditableTextInterface) and own is not None:
            return _pointer(own.interface_cast(kind))
        if kind == Kind.AttributesInterface:
            return shiboken6.VoidPtr(shiboken6.getCppPointer(self._attributes)[0])
        return _pointer(super().interface_cast(kind))

    def report_focus(self, part: Part | None) -> None:
        """The answer's caret is on `part` (a link Tab reached, a heading H reached)."""
        self.focused_part = part
        target = self.interface_for(part) if part is not None else None
        if target is not None:
            QAccessible.updateAccessibility(QAccessibleEvent(target, QAccessible.Event.Focus))


class Notification(QAccessibleWidget):
    """A panel read out the moment it appears: its name is all the text it shows."""

    def __init__(self, widget):
        super().__init__(widget, Role.Notification, "")
        self._attributes = _Attributes(lambda: 0, lambda: locale_of(widget))

    def text(self, kind):
        if kind == Text.Name:
            return self.widget().accessibleName()
        return super().text(kind)

    def interface_cast(self, kind):
        if kind == Kind.AttributesInterface:
            return shiboken6.VoidPtr(shiboken6.getCppPointer(self._attributes)[0])
        return _pointer(super().interface_cast(kind))


class _Announcement(QAccessibleInterface):
    """A status spoken once: a notification with no widget of its own."""

    def __init__(self, parent: QAccessibleInterface, widget: QWidget, text: str):
        super().__init__()
        self._parent, self._text = QtMade(parent), text
        locale = locale_of(widget)
        self._attributes = _Attributes(lambda: 0, lambda: locale)

    def isValid(self):
        parent = self._parent.get()
        return parent is not None and parent.isValid()

    def object(self):
        return None

    def window(self):
        parent = self._parent.get()
        return parent.window() if parent is not None else None

    def relations(self, match=QAccessible.RelationFlag.AllRelations):
        return []

    def focusChild(self):
        return None

    def childAt(self, x, y):
        return None

    def parent(self):
        return self._parent.get()

    def child(self, index):
        return None

    def childCount(self):
        return 0

    def indexOfChild(self, child):
        return -1

    def text(self, kind):
        return self._text if kind == Text.Name else ""

    def setText(self, kind, text):
        pass

    def rect(self):
        return QRect()

    def role(self):
        return Role.Notification

    def state(self):
        state = QAccessible.State()
        state.readOnly = True
        return state

    def interface_cast(self, kind):
        if kind == Kind.AttributesInterface:
            return shiboken6.VoidPtr(shiboken6.getCppPointer(self._attributes)[0])
        return _NULL


class _TrueSelection(QAccessibleSelectionInterface):
    """The selected rows of a tree, found by what they are, not by their row number."""

    def __init__(self, tree: TreeWithTrueSelection):
        super().__init__()
        self._tree = tree

    def selectedItems(self):
        return self._tree.selected_cells()

    def selectedItemCount(self):
        return len(self.selectedItems())

    def selectedItem(self, index):
        cells = self.selectedItems()
        return cells[index] if 0 <= index < len(cells) else None

    def isSelected(self, child):
        return bool(child is not None and child.state().selected)

    def select(self, child):
        return self._tree.select(child, True)

    def unselect(self, child):
        return self._tree.select(child, False)

    def selectAll(self):
        return False

    def clear(self):
        self._tree.widget().clearSelection()
        return True


class Delegating(QAccessibleWidget):
    """Qt's own interface for a widget, passed through; subclasses change one thing."""

    def __init__(self, widget, own: QtMade):
        interface = own.get()
        assert interface is not None
        super().__init__(widget, interface.role(), "")
        self._own = own

    def childCount(self):
        own = self._own.get()
        return own.childCount() if own is not None else 0

    def child(self, index):
        own = self._own.get()
        return own.child(index) if own is not None else None

    def indexOfChild(self, child):
        own = self._own.get()
        return own.indexOfChild(child) if own is not None else -1

    def childAt(self, x, y):
        own = self._own.get()
        return own.childAt(x, y) if own is not None else None

    def focusChild(self):
        own = self._own.get()
        return own.focusChild() if own is not None else None

    def text(self, kind):
        own = self._own.get()
        return own.text(kind) if own is not None else ""

    def state(self):
        own = self._own.get()
        return own.state() if own is not None else super().state()

    def role(self):
        own = self._own.get()
        return own.role() if own is not None else super().role()

    def interface_cast(self, kind):
        own = self._own.get()
        return _pointer(own.interface_cast(kind) if own is not None else None)


class TreeWithTrueSelection(Delegating):
    """Qt's interface for a tree, everything passed through but the Selection."""

    def __init__(self, view, own: QtMade):
        super().__init__(view, own)
        self._selection = _TrueSelection(self)

    def tree(self) -> QTreeWidget:
        view = self.widget()
        assert isinstance(view, QTreeWidget)
        return view

    def selected_cells(self) -> list:
        names = {item.text(0) for item in self.tree().selectedItems()}
        found = []
        for index in range(self.childCount()):
            cell = self.child(index)
            if cell is not None and cell.text(Text.Name) in names and cell.state().selected:
                found.append(cell)
        return found

    def select(self, cell, selected: bool) -> bool:
        """Select (or unselect) the row `cell` shows, as a click would."""
        from PySide6.QtCore import QItemSelectionModel

        view = self.tree()
        name = cell.text(Text.Name) if cell is not None else ""
        items = view.findItems(name, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        if not items or not items[0].flags() & Qt.ItemFlag.ItemIsSelectable:
            return False
        flag = QItemSelectionModel.SelectionFlag
        view.setCurrentItem(items[0], 0, flag.ClearAndSelect if selected else flag.Deselect)
        return True

    def interface_cast(self, kind):
        if kind == Kind.SelectionInterface:
            return shiboken6.VoidPtr(shiboken6.getCppPointer(self._selection)[0])
        return super().interface_cast(kind)
