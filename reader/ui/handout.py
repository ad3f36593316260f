"""Print and PDF handouts: a title page, the chosen questions, page numbers on every page.

`build_handout` makes the QTextDocument; `paint_handout` draws it page by page onto a
QPrinter with a footer ("Page 2 of 7 · ..."), which QTextDocument.print cannot do
reliably; `write_pdf` does both into a file. `HandoutDialog` lets a facilitator choose
the questions, then save a PDF or print.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QLocale,
    QMarginsF,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    QStandardPaths,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
)

from reader import APP_NAME
from reader.content import Document, Renderer, Section
from reader.paths import replaced_atomically
from reader.ui.i18n import plural
from reader.ui.roles import ID_ROLE
from reader.ui.viewer import site_name

MARGIN_MM = 18.0
BOTTOM_MARGIN_MM = 12.0
FOOTER_MM = 10.0  # band inside the bottom margin area for "Page N of M"
BODY_FONT = ["Georgia", "DejaVu Serif", "Times New Roman", "Liberation Serif", "serif"]
FOOTER_FONT = ["DejaVu Sans", "Helvetica", "Arial", "Liberation Sans", "sans-serif"]
KEEP_LINES = 3  # a question heading stays on the page of its answer's first lines
LETTER_TERRITORIES = {
    QLocale.Country.UnitedStates, QLocale.Country.Canada, QLocale.Country.Mexico,
    QLocale.Country.Philippines, QLocale.Country.Chile, QLocale.Country.Colombia,
    QLocale.Country.Venezuela, QLocale.Country.PuertoRico,
}
_LINK_RE = re.compile(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.S | re.I)
_TAG_RE = re.compile(r"<[^>]+>")


class HandoutError(Exception):
    """The handout could not be written or printed; the message says why."""


def default_page_size(locale: QLocale | None = None) -> QPageSize:
    """Letter in the Americas' Letter countries and when the locale says nothing; else A4."""
    locale = locale or QLocale()
    letter = (locale.language() == QLocale.Language.C
              or locale.measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
              or locale.territory() in LETTER_TERRITORIES)
    return QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)


def make_printer(page_size: QPageSize | None = None, pdf_path: Path | str | None = None
                 ) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(page_size or default_page_size())
    printer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, BOTTOM_MARGIN_MM),
                           QPageLayout.Unit.Millimeter)
    printer.setCreator(APP_NAME)
    if pdf_path is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf_path))
    return printer


def footer_text(document: Document) -> str:
    meta = document.metadata
    about = ", ".join(p for p in (meta.publisher, meta.text_date) if p)
    return f"{meta.title} ({about})" if about else meta.title


# --- the document ---------------------------------------------------------------------


def printable_links(body: str) -> str:
    """Links as text for paper: internal ones plain, outside ones followed by the address."""
    def replace(match: re.Match) -> str:
        href, text = html.unescape(match.group(1)), match.group(2)
        if not href or href.startswith("#"):
            return text
        shown = site_name(href.removeprefix("mailto:").removeprefix("tel:"))
        if shown.lower() in html.unescape(_TAG_RE.sub("", text)).lower():
            return text
        return f"{text} ({html.escape(shown)})"

    return _LINK_RE.sub(replace, body).replace("<table>", '<table class="data" cellspacing="0">')


def handout_html(document: Document, renderer: Renderer, sections: list[Section],
                 pages: list[int] | None = None) -> str:
    """Title page with contents (page numbers when `pages` is given), then the questions."""
    meta, e = document.metadata, html.escape
    parts = [f'<p class="title">{e(meta.title)}</p>']
    if meta.publisher:
        site = f", {e(site_name(meta.website))}" if meta.website else ""
        source = QCoreApplication.translate("Handout", "Published by {publisher}")
        parts.append(f'<p class="source">{source.format(publisher=e(meta.publisher))}{site}</p>')
    if meta.text_date:
        note = f" {e(meta.date_note)}" if meta.date_note else ""
        date = QCoreApplication.translate("Handout", "Text as of {date}.")
        parts.append(f'<p class="date">{date.format(date=e(meta.text_date))}{note}</p>')
    boxed = [f'<p class="notice">{e(meta.notice)}</p>' if meta.notice else "",
             f'<p class="crisis">{e(meta.crisis_line)}</p>' if meta.crisis_line else ""]
    if any(boxed):
        parts.append('<table class="box" width="100%" cellspacing="0" cellpadding="10">'
                     f'<tr><td>{"".join(boxed)}</td></tr></table>')
    count = len(sections)
    total = len(document.sections)
    chosen = (QCoreApplication.translate("Handout", "all {total} questions") if count == total
              else QCoreApplication.translate("Handout", "{count} of the {total} questions"))
    title = QCoreApplication.translate("Handout", "In this handout: {chosen}").format(
        chosen=chosen.format(count=count, total=total))
    parts.append(f'<p class="contents-title">{title}</p>')
    rows, group = [], None
    for i, section in enumerate(sections):
        if section.group and section.group != group:
            group = section.group
            rows.append(f'<tr><td colspan="2"><p class="contents-group">{e(group)}</p></td></tr>')
        page = str(pages[i]) if pages else ""
        rows.append(f'<tr><td><p class="contents-entry">{e(section.title)}</p></td>'
                    f'<td align="right"><p class="contents-entry">{page}</p></td></tr>')
    parts.append('<table width="100%" cellspacing="0" cellpadding="1">' + "".join(rows)
                 + "</table>")

    group = None
    for i, section in enumerate(sections):
        first = ' style="page-break-before: always"' if i == 0 else ""
        if section.group and section.group != group:
            group = section.group
            parts.append(f'<p class="topic"{first}>{e(group)}</p>')
            first = ""
        parts.append(f'<h2 class="question"{first}>{e(section.title)}</h2>')
        parts.append(printable_links(renderer.html(section)))
    return "\n".join(parts)


def _heading_pages(doc: QTextDocument) -> list[int]:
    """The page (1-based) of every question heading, in order."""
    layout, page_height = doc.documentLayout(), doc.pageSize().height()
    pages, block = [], doc.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() == 2:
            pages.append(int(layout.blockBoundingRect(block).top() // page_height) + 1)
        block = block.next()
    return pages


def _keep_headings_with_text(doc: QTextDocument, topics: list[bool]) -> None:
    """Move a question heading (and the topic line above it, when `topics[i]`) to the next
    page when the first lines of its answer would not follow on the same page: Qt has no
    `page-break-after: avoid`."""
    layout, page_height = doc.documentLayout(), doc.pageSize().height()
    block, index = doc.begin(), 0
    while block.isValid():
        if block.blockFormat().headingLevel() != 2:
            block = block.next()
            continue
        start = block.previous() if index < len(topics) and topics[index] else block
        index += 1
        text = block.next()
        if not text.isValid():
            break
        top = layout.blockBoundingRect(start).top()
        text_top = layout.blockBoundingRect(text).top()  # lays the block out
        lines = text.layout().lineCount()
        if not lines:
            block = text
            continue
        line = text.layout().lineAt(min(KEEP_LINES, lines) - 1)
        bottom = text_top + line.y() + line.height()
        if int(top // page_height) != int((bottom - 1) // page_height) \
                and top % page_height > 1:
            fmt = start.blockFormat()
            fmt.setPageBreakPolicy(QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            QTextCursor(start).setBlockFormat(fmt)
            # Qt relays out only the changed block; without this the blocks after it
            # keep stale positions, and some are never drawn
            doc.markContentsDirty(start.position(), doc.characterCount() - start.position())
        block = text
    doc.markContentsDirty(0, doc.characterCount())


def build_handout(document: Document, renderer: Renderer, section_ids: Iterable[str],
                  resources_dir: Path, printer: QPrinter | None = None) -> QTextDocument:
    """The handout for the questions `section_ids` (unknown ids are skipped).

    With a `printer` the document is laid out in its pages, minus the footer band, and
    the contents list carries page numbers."""
    sections = [s for s in (document.get(i) for i in section_ids) if s is not None]
    if not sections:
        raise HandoutError(QCoreApplication.translate("Handout", "No questions are chosen."))
    doc = QTextDocument()
    doc.setUseDesignMetrics(True)
    doc.setDocumentMargin(0)
    doc.setBaseUrl(QUrl.fromLocalFile(str(document.folder) + "/"))
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, document.metadata.title)
    font = QFont()
    font.setFamilies(BODY_FONT)
    font.setPointSizeF(11)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet((Path(resources_dir) / "handout.css").read_text(encoding="utf-8"))
    if printer is not None:
        doc.documentLayout().setPaintDevice(printer)
        body = printer.pageLayout().paintRectPixels(printer.resolution())
        footer = FOOTER_MM / 25.4 * printer.resolution()
        doc.setPageSize(QSizeF(body.width(), body.height() - footer))
    topics = [s.group != (sections[i - 1].group if i else None) and bool(s.group)
              for i, s in enumerate(sections)]
    pages = None
    for _ in range(3):  # page numbers in the contents cannot move the questions: one more pass
        doc.setHtml(handout_html(document, renderer, sections, pages))
        if printer is None:
            break
        _keep_headings_with_text(doc, topics)
        found = _heading_pages(doc)
        if found == pages:
            break
        pages = found
    return doc


# --- painting -------------------------------------------------------------------------


def paint_handout(doc: QTextDocument, printer: QPrinter, footer: str) -> int:
    """Draw every page (or the printer's page range) with its footer; returns the count."""
    page_height = doc.pageSize().height()
    width = doc.pageSize().width()
    total = doc.pageCount()
    first = max(1, printer.fromPage() or 1)
    last = min(total, printer.toPage() or total)
    painter = QPainter()
    if not painter.begin(printer):
        raise HandoutError(QCoreApplication.translate("Handout", "Cannot write to {target}.")
                           .format(target=printer.outputFileName() or printer.printerName()))
    try:
        font = QFont()
        font.setFamilies(FOOTER_FONT)
        font.setPointSizeF(8.5)
        pen = QPen(Qt.GlobalColor.black)
        pen.setWidthF(printer.resolution() / 144)  # half a point
        footer_band = FOOTER_MM / 25.4 * printer.resolution()
        for number in range(first, last + 1):
            if number > first:
                printer.newPage()
            top = (number - 1) * page_height
            painter.save()
            painter.translate(0, -top)
            doc.drawContents(painter, QRectF(0, top, width, page_height))
            painter.restore()
            band = QRectF(0, page_height, width, footer_band)
            rule = page_height + footer_band * 0.35
            painter.setPen(pen)
            painter.drawLine(QPointF(0, rule), QPointF(width, rule))
            painter.setFont(font)
            painter.drawText(band, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                             QCoreApplication.translate("Handout", "Page {number} of {total}")
                             .format(number=number, total=total) + f"  ·  {footer}")
    finally:
        painter.end()
    return last - first + 1


def write_pdf(document: Document, renderer: Renderer, section_ids: Iterable[str],
              path: Path | str, resources_dir: Path, page_size: QPageSize | None = None) -> int:
    """Write the handout as a PDF, whole or not at all; returns the number of pages."""
    path = Path(path)
    try:
        with replaced_atomically(path, mode=0o644, suffix=".part") as partial:  # to hand out
            printer = make_printer(page_size, partial)
            printer.setDocName(document.metadata.title)
            doc = build_handout(document, renderer, section_ids, resources_dir, printer)
            pages = paint_handout(doc, printer, footer_text(document))
    except OSError as exc:
        raise HandoutError(QCoreApplication.translate("Handout", "Cannot write {path}: {reason}")
                           .format(path=path, reason=exc.strerror)) from None
    return pages


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
    """Choose questions (all by default, grouped by topic), then save a PDF or print."""

    def __init__(self, document: Document, renderer: Renderer, resources_dir: Path,
                 parent=None):
        super().__init__(parent)
        self.setObjectName("handoutDialog")
        self.setWindowTitle(self.tr("Print or save a handout"))
        self.document, self.renderer, self.resources_dir = document, renderer, resources_dir
        intro = QLabel(self.tr("Choose the questions for the handout. It starts with a title "
                               "page: the source and date of the text, the notice and the "
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
                item.setCheckState(0, Qt.CheckState.Checked)
        self.tree.expandAll()
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self.tree.itemChanged.connect(self._update)
        intro.setBuddy(self.tree)

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
        for size_id in (QPageSize.PageSizeId.Letter, QPageSize.PageSizeId.A4):
            self.paper.addItem(QPageSize(size_id).name(), size_id)
        self.paper.setCurrentIndex(self.paper.findData(default_page_size().id()))
        paper_label = QLabel(self.tr("Pa&per:"))
        paper_label.setBuddy(self.paper)
        for button in (self.all_button, self.none_button):
            button.setAutoDefault(False)
        row = QHBoxLayout()
        for widget in (self.all_button, self.none_button, self.count):
            row.addWidget(widget)
        row.addStretch(1)
        paper_row = QHBoxLayout()
        paper_row.addWidget(paper_label)
        paper_row.addWidget(self.paper)
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
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        layout.addLayout(paper_row)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.ensurePolished()
        metrics = self.fontMetrics()  # grows with the reader's text size, within the screen
        room = self.screen().availableGeometry()
        self.resize(min(room.width() * 9 // 10, max(620, metrics.averageCharWidth() * 72)),
                    min(room.height() * 9 // 10, max(640, metrics.height() * 30)))
        self.tree.setFocus()
        self._update()
        self._say("")

    def _items(self):
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            item = iterator.value()
            if item.data(0, ID_ROLE):
                yield item
            iterator += 1

    def chosen_ids(self) -> list[str]:
        return [item.data(0, ID_ROLE) for item in self._items()
                if item.checkState(0) == Qt.CheckState.Checked]

    def set_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for item in self._items():
            item.setCheckState(0, state)

    def _update(self, *_args) -> None:
        chosen, total = len(self.chosen_ids()), len(self.document.sections)
        self.count.setText(self.tr("{chosen} of {total} chosen").format(chosen=chosen, total=total))
        self.pdf_button.setEnabled(chosen > 0)
        self.print_button.setEnabled(chosen > 0)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def page_size(self) -> QPageSize:
        return QPageSize(self.paper.currentData())

    def save_pdf(self, path: Path | str) -> int:
        """Write the chosen questions to `path`; shows and returns the page count (0: failed)."""
        try:
            pages = write_pdf(self.document, self.renderer, self.chosen_ids(), path,
                              self.resources_dir, self.page_size())
        except HandoutError as exc:
            self._say(str(exc))
            return 0
        self._say(plural(self.tr("Saved %n page(s) to {path}", "", pages), pages).format(path=path))
        return pages

    def choose_and_save(self) -> None:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        today = QDate.currentDate().toString("yyyy-MM-dd")
        name = self.tr("{title} handout {date}").format(title=self.document.metadata.title,
                                                         date=today)
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the handout as PDF"),
                                              str(Path(folder) / f"{name}.pdf"),
                                              self.tr("PDF documents (*.pdf)"))
        if path:
            self.save_pdf(path if path.lower().endswith(".pdf") else path + ".pdf")

    def print_to(self, printer: QPrinter) -> int:
        try:
            doc = build_handout(self.document, self.renderer, self.chosen_ids(),
                                self.resources_dir, printer)
            pages = paint_handout(doc, printer, footer_text(self.document))
        except HandoutError as exc:
            self._say(str(exc))
            return 0
        self._say(plural(self.tr("Sent %n page(s) to {printer}.", "", pages), pages).format(
            printer=printer.printerName() or printer.outputFileName()))
        return pages

    def choose_printer_and_print(self) -> None:
        printer = make_printer(self.page_size())
        printer.setDocName(self.document.metadata.title)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print the handout"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)


def open_handout_dialog(window) -> HandoutDialog:
    dialog = window.findChild(HandoutDialog, "handoutDialog")
    if dialog is None:
        dialog = HandoutDialog(window.document, window.renderer, window.paths.resources_dir,
                               window)
    dialog._say("")
    dialog.tree.setFocus()
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
