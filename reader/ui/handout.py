"""The handout dialog: choose the questions and their order, the paper and large print,
then save a PDF or print. The document itself is made in reader.ui.handout_pdf (no
widgets), the same for the dialog and for `main.py handout`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, QRect, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
)

from reader import APP_NAME
from reader.content import Document, Renderer
from reader.plan import Plan
from reader.settings import Preferences, save_preferences
from reader.ui.handout_pdf import (
    PAPERS,
    HandoutError,
    HandoutOptions,
    build_handout,
    default_paper,
    page_layout,
    paint_handout,
    write_pdf,
)
from reader.ui.i18n import plural
from reader.ui.roles import ID_ROLE, TITLE_ROLE


def make_printer(options: HandoutOptions | None = None, pdf_path: Path | str | None = None
                 ) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout((options or HandoutOptions()).page_size))
    printer.setCreator(APP_NAME)
    if pdf_path is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf_path))
    return printer


# --- the dialog -----------------------------------------------------------------------


class _WrappingTree(QTreeWidget):
    """Long questions wrap instead of being cut off with an ellipsis."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.setHeaderHidden(True)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_rows()

    def fit_rows(self) -> None:
        """QTreeView does not grow rows for wrapped text by itself: give each its height."""
        metrics = self.fontMetrics()
        check = self.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + 12
        iterator = QTreeWidgetItemIterator(self)
        while item := iterator.value():
            depth = 2 if item.parent() else 1
            width = max(80, self.viewport().width() - self.indentation() * depth - check)
            text = metrics.boundingRect(QRect(0, 0, width, 100_000),
                                        Qt.TextFlag.TextWordWrap, item.text(0))
            height = max(text.height(), metrics.height()) + 6
            if item.sizeHint(0).height() != height:
                item.setSizeHint(0, QSize(width, height))
            iterator += 1


class HandoutDialog(QDialog):
    """Choose the questions (all by default, grouped by topic) and their order, the paper
    and large print, then save a PDF or print. With a `plan`, the choice is the session
    plan: what the presentation shows too, kept until changed."""

    def __init__(self, document: Document, renderer: Renderer, resources_dir: Path,
                 parent=None, plan: Plan | None = None, prefs: Preferences | None = None,
                 remember: Callable[[], object] | None = None):
        super().__init__(parent)
        self.setObjectName("handoutDialog")
        self.setWindowTitle(self.tr("Print or save a handout"))
        self.document, self.renderer, self.resources_dir = document, renderer, resources_dir
        self.plan, self.prefs, self.remember = plan, prefs, remember
        intro = QLabel(self.tr("Choose the questions for the handout and the presentation, "
                               "and their order. Every page carries the notice and the "
                               "crisis line."), wordWrap=True)
        self.tree = _WrappingTree(objectName="handoutQuestions")
        self.tree.setAccessibleName(self.tr("Questions in the handout"))
        self.tree.setAccessibleDescription(
            self.tr("Space checks or unchecks a question or a topic"))
        for group, sections in document.groups():
            parent_item = self.tree.invisibleRootItem()
            if group:
                parent_item = QTreeWidgetItem(self.tree, [group])
                parent_item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                                     | Qt.ItemFlag.ItemIsUserCheckable
                                     | Qt.ItemFlag.ItemIsAutoTristate)
            for section in sections:
                item = QTreeWidgetItem(parent_item, [section.title])
                item.setData(0, ID_ROLE, section.id)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsUserCheckable)
        self.tree.expandAll()
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        intro.setBuddy(self.tree)

        self.order = _OrderList(objectName="handoutOrder")
        self.order.setAccessibleName(self.tr("Order of the chosen questions"))
        self.order.setAccessibleDescription(
            self.tr("Drag a question, or press Alt+Up or Alt+Down, to move it"))
        self.order.moved.connect(self._order_changed)
        order_label = QLabel(self.tr("&Order (drag to change):"))
        order_label.setBuddy(self.order)
        self.up_button = QPushButton(self.tr("Move &up"))
        self.up_button.setObjectName("handoutUp")
        self.down_button = QPushButton(self.tr("Move do&wn"))
        self.down_button.setObjectName("handoutDown")
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))

        self.all_button = QPushButton(self.tr("Select &all"))
        self.all_button.setObjectName("handoutAll")
        self.none_button = QPushButton(self.tr("Select &none"))
        self.none_button.setObjectName("handoutNone")
        self.all_button.clicked.connect(lambda: self.set_all(True))
        self.none_button.clicked.connect(lambda: self.set_all(False))
        self.count = QLabel()
        self.count.setObjectName("handoutCount")
        self.paper = QComboBox()
        self.paper.setObjectName("handoutPaper")
        self.paper.setAccessibleName(self.tr("Paper size"))
        for key, size_id in PAPERS.items():
            self.paper.addItem(QPageSize(size_id).name(), key)
        chosen_paper = prefs.paper if prefs is not None and prefs.paper else default_paper()
        self.paper.setCurrentIndex(self.paper.findData(chosen_paper))
        self.paper.currentIndexChanged.connect(self._remember_print_choices)
        paper_label = QLabel(self.tr("Pa&per:"))
        paper_label.setBuddy(self.paper)
        self.large_print = QCheckBox(self.tr("&Large print (16 pt)"))
        self.large_print.setObjectName("handoutLarge")
        self.large_print.setChecked(bool(prefs and prefs.large_print))
        self.large_print.toggled.connect(self._remember_print_choices)
        for button in (self.all_button, self.none_button, self.up_button, self.down_button):
            button.setAutoDefault(False)

        choose = QVBoxLayout()
        choose.addWidget(intro)
        choose.addWidget(self.tree, 1)
        row = QHBoxLayout()
        for widget in (self.all_button, self.none_button, self.count):
            row.addWidget(widget)
        row.addStretch(1)
        choose.addLayout(row)
        arrange = QVBoxLayout()
        arrange.addWidget(order_label)
        arrange.addWidget(self.order, 1)
        moves = QHBoxLayout()
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        moves.addStretch(1)
        arrange.addLayout(moves)
        lists = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        lists.addLayout(choose, 3)
        lists.addLayout(arrange, 2)
        paper_row = QHBoxLayout()
        paper_row.addWidget(paper_label)
        paper_row.addWidget(self.paper)
        paper_row.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        paper_row.addWidget(self.large_print)
        paper_row.addStretch(1)

        self.status = QLabel(wordWrap=True)
        self.status.setObjectName("handoutStatus")
        self.status.setAccessibleName(self.tr("Result"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        action_role = QDialogButtonBox.ButtonRole.ActionRole
        self.pdf_button = buttons.addButton(self.tr("Save as P&DF…"), action_role)
        self.print_button = buttons.addButton(self.tr("P&rint…"), action_role)
        self.pdf_button.setObjectName("handoutSavePdf")
        self.print_button.setObjectName("handoutPrint")
        self.pdf_button.clicked.connect(self.choose_and_save)
        self.print_button.clicked.connect(self.choose_printer_and_print)
        buttons.rejected.connect(self.reject)
        self.pdf_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addLayout(lists, 1)
        layout.addLayout(paper_row)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.ensurePolished()
        metrics = self.fontMetrics()  # grows with the reader's text size, within the screen
        room = self.screen().availableGeometry()
        self._lists, self._layout = lists, layout
        self._stack_lists_if_wide()
        self.resize(min(room.width() * 9 // 10, max(900, metrics.averageCharWidth() * 110)),
                    min(room.height() * 9 // 10, max(640, metrics.height() * 30)))
        self.show_ids(plan.questions(document) if plan is not None
                      else [s.id for s in document.sections])
        self.tree.itemChanged.connect(self._checks_changed)
        if plan is not None:
            plan.subscribe(self._plan_changed)
        self.tree.setFocus()
        self._say("")

    def _stack_lists_if_wide(self) -> None:
        """The order below the questions when side by side they would not fit the screen
        (large text on a small screen)."""
        room = self.screen().availableGeometry().width() * 9 // 10
        layout = self._layout
        layout.activate()
        if layout.minimumSize().width() > room \
                and self._lists.direction() == QBoxLayout.Direction.LeftToRight:
            self._lists.setDirection(QBoxLayout.Direction.TopToBottom)
            layout.activate()
        if self.width() > room:
            self.resize(max(room, self.minimumSizeHint().width()), self.height())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._stack_lists_if_wide()

    def _items(self):
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            item = iterator.value()
            if item.data(0, ID_ROLE):
                yield item
            iterator += 1

    def chosen_ids(self) -> list[str]:
        """The chosen questions, in the order the facilitator gave them."""
        return self.order.ids()

    def show_ids(self, ids: list[str]) -> None:
        """Check `ids` and list them in this order."""
        self.tree.blockSignals(True)
        for item in self._items():
            item.setCheckState(0, Qt.CheckState.Checked if item.data(0, ID_ROLE) in ids
                               else Qt.CheckState.Unchecked)
        self.tree.blockSignals(False)
        self.tree.viewport().update()
        self.order.show_ids(ids, self.document)
        self._update()

    def set_all(self, checked: bool) -> None:
        if checked:
            ids = self.chosen_ids()
            self.show_ids([*ids, *(s.id for s in self.document.sections if s.id not in ids)])
        else:
            self.show_ids([])
        self._keep()

    def move_current(self, delta: int) -> None:
        self.order.move_current(delta)

    def _checks_changed(self, *_args) -> None:
        checked = {item.data(0, ID_ROLE) for item in self._items()
                   if item.checkState(0) == Qt.CheckState.Checked}
        kept = [i for i in self.chosen_ids() if i in checked]
        added = [s.id for s in self.document.sections if s.id in checked and s.id not in kept]
        self.order.show_ids([*kept, *added], self.document)
        self._update()
        self._keep()

    def _order_changed(self) -> None:
        self._update()
        self._keep()

    def _keep(self) -> None:
        if self.plan is not None:
            self.plan.set(self.chosen_ids())

    def _plan_changed(self, _ids: list[str]) -> None:
        ids = self.plan.questions(self.document) if self.plan is not None else []
        if ids != self.chosen_ids():
            self.show_ids(ids)

    def _update(self) -> None:
        chosen, total = len(self.chosen_ids()), len(self.document.sections)
        self.count.setText(self.tr("{chosen} of {total} chosen").format(chosen=chosen, total=total))
        self.pdf_button.setEnabled(chosen > 0)
        self.print_button.setEnabled(chosen > 0)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def options(self) -> HandoutOptions:
        return HandoutOptions(paper=self.paper.currentData(),
                              large_print=self.large_print.isChecked())

    def _remember_print_choices(self, *_args) -> None:
        if self.prefs is not None:
            self.prefs.paper = self.paper.currentData()
            self.prefs.large_print = self.large_print.isChecked()
            if self.remember is not None:
                self.remember()

    def save_pdf(self, path: Path | str) -> int:
        """Write the chosen questions to `path`; shows and returns the page count (0: failed)."""
        try:
            pages = write_pdf(self.document, self.renderer, self.chosen_ids(), path,
                              self.resources_dir, self.options())
        except HandoutError as exc:
            self._say(str(exc))
            return 0
        self._say(plural(self.tr("Saved %n page(s) to {path}", "", pages), pages).format(path=path))
        return pages

    def save_dialog(self) -> QFileDialog:
        """Qt's own file dialog, in the reader's language, starting in Documents."""
        folder = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
        if not folder.is_dir():
            folder = Path.home()
        today = QDate.currentDate().toString("yyyy-MM-dd")
        name = self.tr("{title} handout {date}").format(title=self.document.metadata.title,
                                                         date=today)
        dialog = QFileDialog(self, self.tr("Save the handout as PDF"), str(folder),
                             self.tr("PDF documents (*.pdf)"))
        dialog.setObjectName("handoutSaveDialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # ours speaks Spanish
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(name + ".pdf")
        label = QFileDialog.DialogLabel
        for which, text in ((label.LookIn, self.tr("Look in:")),
                            (label.FileName, self.tr("File name:")),
                            (label.FileType, self.tr("Files of type:")),
                            (label.Accept, self.tr("&Save")),
                            (label.Reject, self.tr("Cancel"))):
            dialog.setLabelText(which, text)
        return dialog

    def choose_and_save(self) -> None:
        dialog = self.save_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.selectedFiles():
            path = dialog.selectedFiles()[0]
            self.save_pdf(path if path.lower().endswith(".pdf") else path + ".pdf")
        dialog.deleteLater()

    def print_to(self, printer: QPrinter) -> int:
        options = self.options()
        try:
            doc = build_handout(self.document, self.renderer, self.chosen_ids(),
                                self.resources_dir, printer, options)
            pages = paint_handout(doc, printer, self.document, options)
        except HandoutError as exc:
            self._say(str(exc))
            return 0
        self._say(plural(self.tr("Sent %n page(s) to {printer}.", "", pages), pages).format(
            printer=printer.printerName() or printer.outputFileName()))
        return pages

    def choose_printer_and_print(self) -> None:
        printer = make_printer(self.options())
        printer.setDocName(self.document.metadata.title)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print the handout"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def done(self, result: int) -> None:
        if self.plan is not None:
            self.plan.unsubscribe(self._plan_changed)
        super().done(result)


class _OrderList(QListWidget):
    """The chosen questions in their order: drag one, or Alt+Up / Alt+Down."""

    moved = Signal()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setSpacing(3)
        self.model().rowsMoved.connect(self._dropped)

    def _dropped(self, *_args) -> None:
        self.number()
        self.moved.emit()

    def ids(self) -> list[str]:
        return [self.item(row).data(ID_ROLE) for row in range(self.count())]

    def show_ids(self, ids: list[str], document: Document) -> None:
        current = self.currentItem().data(ID_ROLE) if self.currentItem() else None
        self.clear()
        for section_id in ids:
            section = document.get(section_id)
            if section is None:
                continue
            item = QListWidgetItem(section.title)
            item.setData(ID_ROLE, section_id)
            item.setData(TITLE_ROLE, section.title)
            self.addItem(item)
            if section_id == current:
                self.setCurrentItem(item)
        self.number()

    def number(self) -> None:
        """"1. …", "2. …": the order read at a glance, and by a screen reader."""
        for row in range(self.count()):
            item = self.item(row)
            item.setText(f"{row + 1}. {item.data(TITLE_ROLE)}")

    def move_current(self, delta: int) -> None:
        row = self.currentRow()
        to = row + delta
        if row < 0 or not 0 <= to < self.count():
            return
        item = self.takeItem(row)
        self.insertItem(to, item)
        self.setCurrentRow(to)
        self.number()
        self.moved.emit()

    def keyPressEvent(self, event) -> None:
        if event.modifiers() == Qt.KeyboardModifier.AltModifier and \
                event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_current(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)


def open_handout_dialog(window) -> HandoutDialog:
    dialog = window.findChild(HandoutDialog, "handoutDialog")
    if dialog is None:
        session = window.session
        remember = (lambda: save_preferences(window.paths.settings_file,
                                             window.current_preferences())) \
            if window.policy.remember else None
        dialog = HandoutDialog(window.document, window.renderer, window.paths.resources_dir,
                               window, plan=session.plan, prefs=window.prefs, remember=remember)
    dialog._say("")
    dialog.tree.setFocus()
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
