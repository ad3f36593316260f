"""Controls that wrap instead of being cut. When the room is too narrow (a portrait kiosk,
large text, a long Spanish label): a toolbar's controls move onto more rows (never elided,
never hidden behind Qt's overflow arrow), and a button's words go onto more lines."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QLayout,
    QLayoutItem,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QWidget,
)


class RowsLayout(QLayout):
    """Left-aligned controls, then (after `add_stretch()`) right-aligned ones. In one row
    when all fit; otherwise the left group wraps from the first row and the right group,
    right-aligned, takes the rows after it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._split = -1  # index of the first right-aligned item; -1: none
        self.row_gap = 2  # between rows: on a narrow screen the rows take no more than they must
        items = self._items  # not self: the layout is gone when this runs
        self.destroyed.connect(lambda: _delete_items(items))

    def add_stretch(self) -> None:
        self._split = len(self._items)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt's name)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        if not 0 <= index < len(self._items):
            return None
        if index < self._split:
            self._split -= 1
        return self._items.pop(index)

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        """One row, everything side by side."""
        groups = self._groups()
        widths = [self._row_width(group) for group in groups if group]
        gaps = self.spacing() * 2 * (len(widths) - 1)
        height = max((item.sizeHint().height() for group in groups for item in group), default=0)
        margins = self.contentsMargins()
        return QSize(sum(widths) + gaps + margins.left() + margins.right(),
                     height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802
        """As narrow as the widest control; as tall as the rows need at the current width."""
        margins = self.contentsMargins()
        width = max((item.sizeHint().width() for group in self._groups() for item in group),
                    default=0) + margins.left() + margins.right()
        current = self.geometry().width()
        return QSize(width, self.heightForWidth(max(width, current)))

    # --- arranging ------------------------------------------------------------------------

    def _groups(self) -> tuple[list[QLayoutItem], list[QLayoutItem]]:
        split = self._split if self._split >= 0 else len(self._items)
        shown = [(i, item) for i, item in enumerate(self._items) if not item.isEmpty()]
        return ([item for i, item in shown if i < split], [item for i, item in shown if i >= split])

    def _row_width(self, items: list[QLayoutItem]) -> int:
        return sum(item.sizeHint().width() for item in items) + self.spacing() * max(
            0, len(items) - 1)

    def _wrap(self, items: list[QLayoutItem], width: int) -> list[list[QLayoutItem]]:
        rows: list[list[QLayoutItem]] = []
        for item in items:
            if rows and self._row_width([*rows[-1], item]) <= width:
                rows[-1].append(item)
            else:
                rows.append([item])
        return rows

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Lays the items out in `rect` (when `move`); returns the height the rows take."""
        margins = self.contentsMargins()
        inner = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        left, right = self._groups()
        gap = self.spacing()
        one_row = self._row_width(left) + self._row_width(right) + (
            gap * 2 if left and right else 0)
        if one_row <= inner.width():
            rows = [(left + right, len(left))]
        else:
            rows = [(row, len(row)) for row in self._wrap(left, inner.width())]
            rows += [(row, 0) for row in self._wrap(right, inner.width())]
        y = inner.top()
        for row, left_count in rows:
            height = max(item.sizeHint().height() for item in row)
            if move:
                x = inner.left()
                for item in row[:left_count]:
                    x = self._place(item, x, y, height) + gap
                x = inner.right() + 1 - self._row_width(row[left_count:])
                for item in row[left_count:]:
                    x = self._place(item, x, y, height) + gap
            y += height + self.row_gap
        used = y - self.row_gap - inner.top() if rows else 0
        return used + margins.top() + margins.bottom()

    @staticmethod
    def _place(item: QLayoutItem, x: int, y: int, row_height: int) -> int:
        hint = item.sizeHint()
        expands = item.expandingDirections() & Qt.Orientation.Vertical
        height = row_height if expands else hint.height()
        item.setGeometry(QRect(QPoint(x, y + (row_height - height) // 2),
                               QSize(hint.width(), height)))
        return x + hint.width()


def _delete_items(items: list[QLayoutItem]) -> None:
    """What a layout holds when it is deleted. Qt leaves that to the layout's own class (as
    QBoxLayout does it), and a widget deletes its layout before its children: without this,
    each toolbar left its controls' layout items behind, a kiosk's at every language switch."""
    while items:
        shiboken6.delete(items.pop())


class _Rows(QWidget):
    """The toolbar's one widget: as tall as its rows need at the width it is given."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("toolbarRows")
        self.rows = RowsLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._height = 0

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = self.rows.sizeHint()
        return QSize(hint.width(), self._needed())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.rows.minimumSize().width(), self._needed())

    def _needed(self) -> int:
        # a widget not shown yet has a made-up width (Qt's default): one row until laid out
        width = self.width() if self.isVisible() else self.rows.sizeHint().width()
        return self.rows.heightForWidth(width)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.refit()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refit()

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # a control shown, hidden, re-worded
            self.refit()
        return handled

    def refit(self) -> None:
        """Ask for more or fewer rows when the width (or a control's size) changed."""
        needed = self._needed()
        if needed != self._height:
            self._height = needed
            self.setMinimumHeight(needed)
            self.updateGeometry()
            layout = self.window().layout()
            if layout is not None and self.isVisible():
                layout.activate()  # now, not after the next paint: a finger may be coming


class WrappingToolBar(QToolBar):
    """A QToolBar whose controls wrap onto more rows (see RowsLayout); never an overflow
    arrow. addAction, addWidget, addSeparator and add_stretch place controls in order."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.setMovable(False)
        self.setFloatable(False)
        self._rows = _Rows(self)
        super().addWidget(self._rows)
        self._buttons: dict[QAction, QWidget] = {}
        self._actions: list[QAction] = []

    def addAction(self, action: QAction) -> QAction:  # type: ignore[override]  # noqa: N802
        button = QToolButton(self._rows)
        button.setDefaultAction(action)
        button.setToolButtonStyle(self.toolButtonStyle())
        button.setAutoRaise(True)
        self._buttons[action] = button
        self._actions.append(action)
        self._rows.rows.addWidget(button)
        return action

    def addWidget(self, widget: QWidget) -> QAction:  # type: ignore[override]  # noqa: N802
        widget.setParent(self._rows)
        self._rows.rows.addWidget(widget)
        action = QAction(self)
        self._buttons[action] = widget
        self._actions.append(action)
        return action

    def addSeparator(self) -> QAction:  # noqa: N802
        line = QFrame(self._rows)
        line.setObjectName("toolbarSeparator")
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        return self.addWidget(line)

    def add_stretch(self) -> None:
        """What follows goes to the right end (or to the rows below, right-aligned)."""
        self._rows.rows.add_stretch()

    def actions(self) -> list[QAction]:  # type: ignore[override]
        return list(self._actions)

    def widgetForAction(self, action: QAction) -> QWidget | None:  # type: ignore[override]  # noqa: N802
        return self._buttons.get(action)

    def setToolButtonStyle(self, style: Qt.ToolButtonStyle) -> None:  # noqa: N802
        super().setToolButtonStyle(style)
        for widget in self._buttons.values():
            if isinstance(widget, QToolButton):
                widget.setToolButtonStyle(style)


class WrappingButton(QPushButton):
    """A push button whose words go onto more lines when its room is narrower than they
    are ("Ask the Ketamine Advocacy Network" in a narrow question pane at large text).
    text() and the accessible name keep the words on one line."""

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._words = text
        self._longest = -1  # the minimum width last set for the longest word
        self.setAccessibleName(text)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)  # may be narrower than its
        policy.setHeightForWidth(True)  # one line (a push button's may not)
        self.setSizePolicy(policy)

    def text(self) -> str:
        return self._words

    def setText(self, text: str) -> None:  # noqa: N802
        self._words = text
        self.setAccessibleName(text)
        super().setText(self._wrapped(self.width()) if self.width() > 0 else text)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802
        return self._size_for(self._words)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        longest = max(self._words.split(), key=self.fontMetrics().horizontalAdvance, default="")
        return QSize(self._size_for(longest).width(), self.sizeHint().height())

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._size_for(self._wrapped(width)).height()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        wrapped = self._wrapped(self.width())
        if wrapped != super().text():
            super().setText(wrapped)
        # as the crisis card's lines do: a minimum height is what every layout and scroll
        # area above honours (height-for-width alone is lost in a scroll area)
        needed = self._size_for(wrapped).height()
        if needed != self.minimumHeight() and self.isVisible():
            self.setMinimumHeight(needed)
        # and never narrower than its longest word: a style sheet's min-width (a kiosk's
        # touch size) would otherwise stand in for it in every layout
        longest = self.minimumSizeHint().width()
        if self.minimumWidth() < longest or self.minimumWidth() == self._longest:
            self._longest = longest
            self.setMinimumWidth(longest)

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()
            self.updateGeometry()

    def _wrapped(self, width: int) -> str:
        """The words in lines that fit `width`, the button's padding and border included."""
        if width >= self.sizeHint().width():
            return self._words
        room = width - (self._size_for("").width())
        metrics = self.fontMetrics()
        lines: list[str] = []
        for word in self._words.split():
            if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= room:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        return "\n".join(lines)

    def _size_for(self, text: str) -> QSize:
        """What QPushButton.sizeHint gives for `text` (the style's padding, the sheet's
        min-height)."""
        from PySide6.QtWidgets import QStyle, QStyleOptionButton  # costly enums: when needed

        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = text
        contents = self.fontMetrics().size(Qt.TextFlag.TextShowMnemonic, text or " ")
        if not text:
            contents.setWidth(0)
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, option,
                                             contents, self)
