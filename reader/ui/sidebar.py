"""The questions, grouped by topic. Arrow keys move; Enter or a click opens."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
)

from reader.content import Document

ID_ROLE = Qt.ItemDataRole.UserRole


class _WrappingDelegate(QStyledItemDelegate):
    """Rows tall enough for the whole question, wrapped to the sidebar's width."""

    def __init__(self, parent):
        super().__init__(parent)
        self._heights: dict[tuple, int] = {}

    def sizeHint(self, option, index) -> QSize:
        self.initStyleOption(option, index)
        view = self.parent()
        depth = 1 if index.parent().isValid() else 0
        width = max(60, view.viewport().width() - view.indentation() * (depth + 1) - 16)
        key = (option.text, width, option.font.key())
        if key not in self._heights:
            text = option.fontMetrics.boundingRect(
                QRect(0, 0, width, 100000), Qt.TextFlag.TextWordWrap, option.text)
            self._heights[key] = text.height() + 14
        return QSize(width, self._heights[key])


class Sidebar(QTreeWidget):
    sectionChosen = Signal(str)

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAccessibleName("Questions")
        self.setAccessibleDescription("Choose a question to read its answer")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setIndentation(14)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.setItemDelegate(_WrappingDelegate(self))
        self._items: dict[str, QTreeWidgetItem] = {}
        for group, sections in document.groups():
            parent_item = self.invisibleRootItem()
            if group:
                parent_item = QTreeWidgetItem([group])
                font = parent_item.font(0)
                font.setBold(True)
                parent_item.setFont(0, font)
                parent_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.addTopLevelItem(parent_item)
            for section in sections:
                item = QTreeWidgetItem(parent_item, [section.title])
                item.setData(0, ID_ROLE, section.id)
                item.setToolTip(0, section.title)
                self._items[section.id] = item
        self.expandAll()
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # wrapped titles need new row heights

    def _chosen(self, item: QTreeWidgetItem) -> None:
        section_id = item.data(0, ID_ROLE)
        if section_id:
            self.sectionChosen.emit(section_id)
        else:
            item.setExpanded(not item.isExpanded())

    def select(self, section_id: str) -> None:
        item = self._items.get(section_id)
        if item is not None and self.currentItem() is not item:
            self.blockSignals(True)
            self.setCurrentItem(item)
            self.blockSignals(False)
            self.scrollToItem(item)
