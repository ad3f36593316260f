"""The questions, grouped by topic. Arrow keys move the focus; Enter, Space or a click opens.

The selected row is the open question; the focused row only has a frame, so the two look
different. Selecting a row by any other means (a screen reader's action or its Selection
interface) opens it too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from reader.content import Document
from reader.ui import accessibility
from reader.ui.roles import ID_ROLE


def keys_move_focus_only(view, index, event, default):
    """An item view's selectionCommand: keys move the focus without selecting; mouse,
    touch and accessibility selections stay as they are."""
    if event is not None and event.type() == QEvent.Type.KeyPress:
        return QItemSelectionModel.SelectionFlag.NoUpdate
    return default(index, event)


class Sidebar(QTreeWidget):
    sectionChosen = Signal(str)
    ACCESSIBLE = "tree"  # its Selection tells the open question (reader/ui/accessibility.py)

    def __init__(self, document: Document, parent=None):
        accessibility.install()
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAccessibleName(self.tr("Questions"))
        self.setAccessibleDescription(self.tr("Choose a question to read its answer"))
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setHeaderLabels([self.tr("Questions")])  # hidden, but a screen reader is told it
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setIndentation(14)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # rows, not items, would make Qt's accessible row actions select by the row's place
        # under its group, not in the whole list: the wrong question
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._items: dict[str, QTreeWidgetItem] = {}
        for group, sections in document.groups():
            parent_item = self.invisibleRootItem()
            if group:
                parent_item = QTreeWidgetItem([group])
                parent_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.addTopLevelItem(parent_item)
            for section in sections:
                item = QTreeWidgetItem(parent_item, [section.title])
                item.setData(0, ID_ROLE, section.id)
                item.setToolTip(0, section.title)
                self._items[section.id] = item
        self._wrapped_width = 0  # rows are fitted to the width on the first resize
        self._open_id = ""
        self.expand_groups()
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(lambda item: self._chosen(item, again=False))
        self.itemSelectionChanged.connect(self._selection_changed)

    def expand_groups(self) -> None:
        """Open every group. (expandAll() marks the questions expanded too, and a screen
        reader then says "expanded" on every leaf row.)"""
        for _depth, item in self._all_items():
            if item.childCount():
                item.setExpanded(True)

    def selectionCommand(self, index, event=None):
        return keys_move_focus_only(self, index, event, super().selectionCommand)

    def keyPressEvent(self, event) -> None:
        item = self.currentItem()
        if event.key() == Qt.Key.Key_Space and item is not None:
            self._chosen(item, again=True)
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.viewport().width() != self._wrapped_width:
            self._fit_rows()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.viewport().width() != self._wrapped_width:  # the font changed while hidden
            self._fit_rows()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            if self.isVisible():
                self._fit_rows(force=True)
            else:  # fitted once, on the resize that comes with showing
                self._wrapped_width = 0

    def _fit_rows(self, force: bool = False) -> None:
        """Row heights for the questions wrapped to the sidebar's width (long titles wrap
        rather than end in "…"); group titles in bold."""
        width = self.viewport().width()
        if width == self._wrapped_width and not force:
            return
        self._wrapped_width = width
        bold = self.font()
        bold.setBold(True)
        for depth, item in self._all_items():
            if depth == 0 and not item.data(0, ID_ROLE):
                item.setFont(0, bold)
            metrics = QFontMetrics(item.font(0) if depth == 0 else self.font())
            room = max(60, width - self.indentation() * (depth + 1) - 16)
            text = metrics.boundingRect(QRect(0, 0, room, 100000),
                                        Qt.TextFlag.TextWordWrap, item.text(0))
            item.setSizeHint(0, QSize(room, text.height() + 14))

    def _all_items(self):
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            yield 0, top
            for j in range(top.childCount()):
                yield 1, top.child(j)

    def _chosen(self, item: QTreeWidgetItem, again: bool = True) -> None:
        section_id = item.data(0, ID_ROLE)
        if section_id:
            if again or section_id != self._open_id:
                self.sectionChosen.emit(section_id)
        else:
            item.setExpanded(not item.isExpanded())

    def _selection_changed(self) -> None:
        selected = self.selectedItems()
        others = [item for item in selected if item.data(0, ID_ROLE) != self._open_id]
        if others:
            self._chosen(others[-1], again=False)
        elif not selected and self._open_id in self._items:  # deselected: keep the open one
            self.select(self._open_id, force=True)

    def select(self, section_id: str, force: bool = False) -> None:
        """Show `section_id` as the open question (selected and focused), without signals."""
        item = self._items.get(section_id)
        if item is None:
            return
        self._open_id = section_id
        if force or self.currentItem() is not item or not item.isSelected():
            self.blockSignals(True)
            self.setCurrentItem(item)
            self.blockSignals(False)
            self.scrollToItem(item)
