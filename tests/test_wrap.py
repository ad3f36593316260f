"""reader/ui/wrap.py: what its layout holds goes with it."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from reader.ui.wrap import RowsLayout, WrappingToolBar


def filled(count: int) -> tuple[QWidget, RowsLayout, list]:
    holder = QWidget()
    rows = RowsLayout(holder)
    for n in range(count):
        rows.addWidget(QPushButton(f"Button {n}"))
    return holder, rows, [rows.itemAt(n) for n in range(count)]


def test_a_widget_deleted_takes_its_rows_layout_items_with_it(qapp):
    holder, _rows, items = filled(3)
    assert all(shiboken6.isValid(item) for item in items)
    holder.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # Qt deletes the layout before the buttons and leaves a custom layout's items to it:
    # they were left behind, 88 bytes each, a kiosk's whole toolbar at every switch
    assert not any(shiboken6.isValid(item) for item in items)


def test_a_control_deleted_first_is_taken_out_once(qapp):
    holder, rows, items = filled(3)
    button = items[1].widget()
    button.deleteLater()  # Qt takes its item out and deletes it itself
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert rows.count() == 2
    holder.deleteLater()  # the other two are deleted with the layout, the first not again
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(items[0]) and not shiboken6.isValid(items[2])


def test_a_toolbar_deleted_leaves_no_items(qapp):
    bar = WrappingToolBar("Reading")
    for label in ("Back", "Forward", "Home"):
        bar.addAction(QAction(label, bar))
    bar.add_stretch()
    bar.addWidget(QPushButton("Send feedback"))
    rows = bar._rows.rows
    items = [rows.itemAt(n) for n in range(rows.count())]
    assert len(items) == 4
    bar.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not any(shiboken6.isValid(item) for item in items)
