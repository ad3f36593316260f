"""The handout as a paged document: what the dialog prints and `main.py handout` writes.

QtGui only (no widgets, no QtPrintSupport), so the command line makes the same PDF without
a display. `build_handout` lays the QTextDocument out in a device's pages: the title block
flows into the first answer, a heading never ends a page, no paragraph leaves one line
alone at the top or bottom of a page, cross-references give their page, and the last page
has the website's address and a QR code. `paint_handout` draws it page by page with a
footer of at most two lines: page number, notice and crisis line, on every page.
"""

from __future__ import annotations

import html
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextOption,
)

from reader import APP_NAME
from reader.content import Document, Renderer, Section
from reader.paths import replaced_atomically

MARGIN_MM = 18.0
BOTTOM_MARGIN_MM = 10.0
BODY_FONT = ["Georgia", "DejaVu Serif", "Times New Roman", "Liberation Serif", "serif"]
FOOTER_FONT = ["DejaVu Sans", "Helvetica", "Arial", "Liberation Sans", "sans-serif"]
BODY_PT, LARGE_BODY_PT = 11.0, 16.0  # large print: WCAG's and APH's at least 16 pt
FOOTER_PT = (8.5, 7.0)  # the footer's largest and smallest size; large print: LARGE_FOOTER_PT
LARGE_FOOTER_PT = (16.0, 14.0)  # as large as the body text, and never below 14 pt
LEAST_FOOTER_PT = 7.0  # the last resort: a clinic's own long crisis line, no footer form
FOOTER_OVERHANG_MM = 6.0  # the footer reaches this far into each side margin (12 mm left)
KEEP_LINES = 3  # a question heading stays on the page of its answer's first lines
QR_MM = 24.0  # the QR code's side
# When a few lines would go onto a page of their own, these steps in turn, until one saves
# the page: (tightness, the QR code's side; 12 mm still scans). Tightness 1: the space
# between paragraphs and around headings halved, the title smaller; 2: also the lines a
# little closer (TIGHT_LEADING), the body's size kept.
TIGHT_STEPS = ((1, 16.0), (1, 12.0), (2, 12.0))
TIGHT_SPACING = 0.5
TIGHT_TITLE_PT = 20.0  # the title, 28 pt in handout.css
TIGHT_LEADING = 125  # per cent, 135 in handout.css
LAST_PAGE_FEW = 0.4  # "a few lines": less than this much of the last page
PAPERS = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}
LETTER_TERRITORIES = {
    QLocale.Country.UnitedStates, QLocale.Country.Canada, QLocale.Country.Mexico,
    QLocale.Country.Philippines, QLocale.Country.Chile, QLocale.Country.Colombia,
    QLocale.Country.Venezuela, QLocale.Country.PuertoRico,
}
_LINK_RE = re.compile(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.S | re.I)
_TAG_RE = re.compile(r"<[^>]+>")
_SIZE_RE = re.compile(r"(\d+(?:\.\d+)?)(pt|px)\b")
_QR_URL = "handout:qr"


class HandoutError(Exception):
    """The handout could not be written or printed; the message says why."""


@dataclass(frozen=True)
class HandoutOptions:
    paper: str = "letter"  # a key of PAPERS
    large_print: bool = False

    @property
    def page_size(self) -> QPageSize:
        return QPageSize(PAPERS[self.paper])

    @property
    def body_pt(self) -> float:
        return LARGE_BODY_PT if self.large_print else BODY_PT


# --- paper ----------------------------------------------------------------------------


def paper_for_locale(locale: QLocale) -> str:
    """Letter in the Americas' Letter countries and when the locale says nothing; else A4."""
    letter = (locale.language() == QLocale.Language.C
              or locale.measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
              or locale.territory() in LETTER_TERRITORIES)
    return "letter" if letter else "a4"


def default_paper(environ: Mapping[str, str] = os.environ) -> str:
    """The paper the locale's LC_PAPER names (LC_ALL overrides it, as in POSIX), else the
    paper of the system's locale."""
    for name in ("LC_ALL", "LC_PAPER"):
        value = environ.get(name, "").split(".")[0].split("@")[0]
        if value and value not in ("C", "POSIX"):
            return paper_for_locale(QLocale(value))
    return paper_for_locale(QLocale.system())


def site_name(url: str) -> str:
    """ketaminenetwork.org for https://www.ketaminenetwork.org/"""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def footer_source(document: Document) -> str:
    meta = document.metadata
    about = ", ".join(p for p in (meta.publisher, meta.text_date) if p)
    return f"{meta.title} ({about})" if about else meta.title


# --- the document ---------------------------------------------------------------------


def printable_links(body: str, pages: Mapping[str, int] | None = None) -> str:
    """Links as text for paper: a question in the handout gets its page, outside links
    are followed by the address."""
    def replace(match: re.Match) -> str:
        href, text = html.unescape(match.group(1)), match.group(2)
        if not href or href.startswith("#"):
            page = (pages or {}).get(href[1:])
            if page is None:
                return text
            if _TAG_RE.sub("", text).rstrip().endswith("?"):  # "see Is this just hype?, page 3"
                return QCoreApplication.translate("Handout", "{question}, page {page}").format(
                    question=text, page=page)
            return QCoreApplication.translate("Handout", "{text} (page {page})").format(
                text=text, page=page)
        shown = site_name(href.removeprefix("mailto:").removeprefix("tel:"))
        if shown.lower() in html.unescape(_TAG_RE.sub("", text)).lower():
            return text
        return f"{text} ({html.escape(shown)})"

    return _LINK_RE.sub(replace, body).replace("<table>", '<table class="data" cellspacing="0">')


def handout_html(document: Document, renderer: Renderer, sections: list[Section],
                 pages: Mapping[str, int] | None = None, qr_mm: float = QR_MM) -> str:
    """Title block with contents (page numbers when `pages` is given), the questions, and
    the website to close."""
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
    group = None
    for section in sections:  # a tab before the page number: see _contents_tabs
        if section.group and section.group != group:
            group = section.group
            parts.append(f'<h4 class="contents-group">{e(group)}</h4>')
        page = str(pages[section.id]) if pages and section.id in pages else ""
        parts.append(f'<p class="contents-entry">{e(section.title)}'
                     f'<span style="white-space: pre">\t</span>{page}</p>')

    group = None
    for section in sections:
        if section.group and section.group != group:
            group = section.group
            parts.append(f'<h5 class="topic">{e(group)}</h5>')
        parts.append(f'<h2 class="question">{e(section.title)}</h2>')
        parts.append(printable_links(renderer.html(section), pages))
    if meta.website:
        online = QCoreApplication.translate("Handout", "Read more online:")
        side = round(qr_mm / 25.4 * 96)  # px: 96 to the inch on paper
        parts.append(
            '<table class="online" cellspacing="0" cellpadding="0"><tr>'
            f'<td><img src="{_QR_URL}" width="{side}" height="{side}"></td>'
            f'<td class="online" valign="middle"><p class="online">{online}<br>'
            f'<b>{e(site_name(meta.website))}</b></p></td></tr></table>')
    return "\n".join(parts)


def qr_image(url: str) -> QImage:
    import io

    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=0)
    image = QImage.fromData(out.getvalue())  # one bit a pixel: stored lossless, not JPEG
    return image.convertToFormat(QImage.Format.Format_Mono)


def handout_css(resources_dir: Path, options: HandoutOptions, tight: int = 0) -> str:
    """handout.css, every size in it scaled up for large print; `tight` (see TIGHT_STEPS):
    the space between paragraphs and around headings made smaller, and the title, then the
    space between lines (never the body text's size)."""
    css = (Path(resources_dir) / "handout.css").read_text(encoding="utf-8")
    factor = LARGE_BODY_PT / BODY_PT if options.large_print else 1.0

    def scaled(match: re.Match) -> str:
        value, unit = float(match.group(1)) * factor, match.group(2)
        if tight and unit == "px":
            value *= TIGHT_SPACING
        return f"{value:.1f}{unit}"

    css = _SIZE_RE.sub(scaled, css)
    if tight:
        css += f"\n.title {{ font-size: {TIGHT_TITLE_PT * factor:.1f}pt; }}\n"
    if tight >= 2:
        css = re.sub(r"line-height: \d+%", f"line-height: {TIGHT_LEADING}%", css)
    return css


class _Pages:
    """Where blocks fall in a document laid out in pages."""

    def __init__(self, doc: QTextDocument):
        self.layout, self.height = doc.documentLayout(), doc.pageSize().height()

    def top(self, block: QTextBlock) -> float:
        return self.layout.blockBoundingRect(block).top()

    def page(self, y: float) -> int:
        return int(y // self.height)

    def line_pages(self, block: QTextBlock) -> list[int]:
        top = self.top(block)  # lays the block out
        text = block.layout()
        return [self.page(top + text.lineAt(i).y() + 1) for i in range(text.lineCount())]


def _in_table(block: QTextBlock) -> bool:
    return QTextCursor(block).currentTable() is not None


def _break_before(doc: QTextDocument, block: QTextBlock) -> None:
    fmt = block.blockFormat()
    fmt.setPageBreakPolicy(QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(fmt)
    # Qt relays out only the changed block; without this the blocks after it keep stale
    # positions, and some are never drawn
    doc.markContentsDirty(block.position(), doc.characterCount() - block.position())


def _split_before_line(doc: QTextDocument, block: QTextBlock, line: int) -> None:
    """Move the lines from `line` on to the next page: a new block there, no gap between."""
    position = block.position() + block.layout().lineAt(line).textStart()
    cursor = QTextCursor(doc)
    cursor.setPosition(position)
    fmt = block.blockFormat()
    bottom = fmt.bottomMargin()
    fmt.setBottomMargin(0)
    QTextCursor(block).setBlockFormat(fmt)
    fmt.setTopMargin(0)
    fmt.setBottomMargin(bottom)
    fmt.setPageBreakPolicy(QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    cursor.insertBlock(fmt)
    doc.markContentsDirty(block.position(), doc.characterCount() - block.position())


def _keep_together(doc: QTextDocument, headings: set[int]) -> bool:
    """One pass over the pages; True when it moved something (then lay out and pass again).

    A heading-like block (`headings`: block numbers) goes to the next page with the first
    lines of what follows it; a paragraph leaves at least two lines on each page it spans
    (no widows, no orphans), and is split in two blocks there: Qt draws a block that runs
    over a page on both pages, clipped, and the hidden lines would still be in the PDF's
    text."""
    pages = _Pages(doc)
    block = doc.begin()
    while block.isValid():
        if _in_table(block) or not block.layout() or block.blockNumber() in headings:
            block = block.next()
            continue
        lines = pages.line_pages(block)
        start = block
        while start.previous().isValid() and start.previous().blockNumber() in headings:
            start = start.previous()
        if start != block:  # heading(s) above: they keep the first lines of this block
            first = pages.page(pages.top(start) + 1)
            kept = lines[:KEEP_LINES]
            if kept and kept[-1] != first and pages.top(start) % pages.height > 1:
                _break_before(doc, start)
                return True
        if lines and lines[0] != lines[-1]:
            before = lines.count(lines[0])
            after = len(lines) - before
            if before < 2 or len(lines) < 4 or block.textList() is not None:
                # an orphan, too short to split, or a list item (a split would bullet it)
                if pages.top(start) % pages.height > 1:
                    _break_before(doc, start)
                    return True
            else:  # each page draws whole blocks: the part on the next page is one of its own
                _split_before_line(doc, block, before - 1 if after < 2 else before)
                return True
        block = block.next()
    return False


HEADING_LEVELS = {2, 4, 5}  # questions, topics in the contents, topics above questions


def _question_pages(doc: QTextDocument, sections: list[Section]) -> dict[str, int]:
    """The page (1-based) of each question's heading."""
    pages, ids = {}, iter(s.id for s in sections)
    layout, height = doc.documentLayout(), doc.pageSize().height()
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() == 2 and not _in_table(block):
            pages[next(ids)] = int(layout.blockBoundingRect(block).top() // height) + 1
        block = block.next()
    return pages


def _headings(doc: QTextDocument) -> set[int]:
    """The block numbers of headings, which must not end a page."""
    found, block = set(), doc.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() in HEADING_LEVELS and not _in_table(block):
            found.add(block.blockNumber())
        block = block.next()
    return found


def _contents_tabs(doc: QTextDocument) -> None:
    """The contents' page numbers at the right edge: a right tab stop on each entry."""
    device = doc.documentLayout().paintDevice()
    scale = device.logicalDpiY() / 96 if device is not None else 1  # Qt scales tabs so
    tab = QTextOption.Tab(doc.pageSize().width() / scale - 1, QTextOption.TabType.RightTab)
    block = doc.begin()
    while block.isValid() and block.blockFormat().headingLevel() != 2:
        if "\t" in block.text():
            fmt = block.blockFormat()
            fmt.setTabPositions([tab])
            QTextCursor(block).setBlockFormat(fmt)
        block = block.next()
    doc.markContentsDirty(0, doc.characterCount())


def _keep_closing_together(doc: QTextDocument) -> None:
    """The website and QR code: whole on the last page, after the last answer."""
    last = doc.lastBlock()
    while last.isValid() and not _in_table(last):
        last = last.previous()
    table = QTextCursor(last).currentTable() if last.isValid() else None
    if table is None:
        return
    first = table.cellAt(0, 0).firstCursorPosition().block()
    after = table.lastCursorPosition().block().next()
    pages = _Pages(doc)
    bottom = pages.top(after) if after.isValid() else doc.size().height()
    if pages.page(pages.top(first)) != pages.page(bottom - 1):
        fmt = table.format()
        fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        table.setFormat(fmt)
        doc.markContentsDirty(table.firstPosition(), doc.characterCount() - table.firstPosition())


def build_handout(document: Document, renderer: Renderer, section_ids: Iterable[str],
                  resources_dir: Path, device: QPagedPaintDevice | None = None,
                  options: HandoutOptions | None = None) -> QTextDocument:
    """The handout for the questions `section_ids` in their order (unknown ids are skipped).

    With a `device` (a QPdfWriter or a QPrinter) the document is laid out in its pages,
    minus the footer band, and the contents and cross-references carry page numbers. When
    only a few lines would be left for the last page, the space between paragraphs is
    made smaller (and the QR code, then the space between lines), if that saves the page."""
    ids = list(section_ids)
    doc = _build(document, renderer, ids, resources_dir, device, options or HandoutOptions())
    if device is not None and doc.pageCount() > 1:
        height = doc.pageSize().height()
        left = doc.size().height() - (doc.pageCount() - 1) * height
        if left < height * LAST_PAGE_FEW:
            for level, qr_mm in TIGHT_STEPS:
                tight = _build(document, renderer, ids, resources_dir, device,
                               options or HandoutOptions(), tight=level, qr_mm=qr_mm)
                if tight.pageCount() < doc.pageCount():
                    return tight
    return doc


def _build(document: Document, renderer: Renderer, section_ids: list[str],
           resources_dir: Path, device: QPagedPaintDevice | None, options: HandoutOptions,
           tight: int = 0, qr_mm: float = QR_MM) -> QTextDocument:
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
    font.setPointSizeF(options.body_pt)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(handout_css(resources_dir, options, tight))
    qr = qr_image(document.metadata.website) if document.metadata.website else None
    if device is not None:
        doc.documentLayout().setPaintDevice(device)
        body = device.pageLayout().paintRectPixels(device.logicalDpiY())
        doc.setPageSize(QSizeF(body.width(), body.height() - footer_band(device, options)))
    pages: dict[str, int] | None = None
    for _ in range(4):  # page numbers in the text can move the questions: pass again
        doc.setHtml(handout_html(document, renderer, sections, pages, qr_mm))
        if qr is not None:
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(_QR_URL), qr)
        if device is None:
            break
        _contents_tabs(doc)
        headings = _headings(doc)
        for _ in range(500):
            if not _keep_together(doc, headings):
                break
            headings = _headings(doc)  # a split paragraph renumbers the blocks after it
        _keep_closing_together(doc)
        doc.markContentsDirty(0, doc.characterCount())
        found = _question_pages(doc, sections)
        if found == pages:
            break
        pages = found
    return doc


# --- painting -------------------------------------------------------------------------


def _footer_font(points: float) -> QFont:
    font = QFont()
    font.setFamilies(FOOTER_FONT)
    font.setPointSizeF(points)
    return font


WHOLE_FOOTERS = 3  # footer_lines' first wordings, which carry the whole crisis line


def footer_lines(document: Document, number: int, total: int) -> list[list[str]]:
    """The footer's parts, most complete first: page, notice, crisis line (and the source
    while it fits); then, when the content has them, the footer forms of the notice and the
    crisis line. Each page carries the notice and the crisis line."""
    meta = document.metadata
    page = QCoreApplication.translate("Handout", "Page {number} of {total}").format(
        number=number, total=total)
    short_notice = meta.notice.split(". ")[0].rstrip(".") + "." if meta.notice else ""
    source = footer_source(document)
    wordings = [
        [page, meta.notice, meta.crisis_line, source],
        [page, meta.notice, meta.crisis_line],
        [page, short_notice, meta.crisis_line],
    ]
    if meta.footer_crisis_line:
        wordings.append([page, meta.footer_notice or short_notice, meta.footer_crisis_line])
    return [[p for p in parts if p] for parts in wordings]


def _sizes(largest: float, smallest: float) -> Iterable[float]:
    points = largest
    while points >= smallest:
        yield points
        points -= 0.5


def fit_footer(device: QPagedPaintDevice, width: float, texts: list[str],
               options: HandoutOptions) -> tuple[int, QFont]:
    """The footer's wording (its index in `texts`, footer_lines' order) and size, on at
    most two lines. Normal print: the whole crisis line at the largest size it fits, down
    to 7 pt, then the footer forms. Large print: the largest size, 16 pt down to 14, and
    the most complete wording at that size. Either way, a larger footer before a longer
    one; below the smallest size only when nothing fits (a clinic's own long line)."""
    largest, smallest = LARGE_FOOTER_PT if options.large_print else FOOTER_PT
    tiers = [texts] if options.large_print else [texts[:WHOLE_FOOTERS], texts]
    for tier, sizes in [(t, _sizes(largest, smallest)) for t in tiers] + \
            [(texts, _sizes(smallest - 0.5, LEAST_FOOTER_PT))]:
        for points in sizes:
            font = _footer_font(points)
            for index, text in enumerate(tier):
                if _line_count(device, font, width, text) <= 2:
                    return index, font
    return len(texts) - 1, _footer_font(LEAST_FOOTER_PT)


def _line_count(device: QPagedPaintDevice, font: QFont, width: float, text: str) -> int:
    metrics = QFontMetricsF(font, device)
    rect = metrics.boundingRect(QRectF(0, 0, width, 1e6), Qt.TextFlag.TextWordWrap, text)
    return round(rect.height() / metrics.lineSpacing())


def footer_band(device: QPagedPaintDevice, options: HandoutOptions) -> float:
    """The height kept at the bottom of each page for the rule and two footer lines."""
    largest = (LARGE_FOOTER_PT if options.large_print else FOOTER_PT)[0]
    return QFontMetricsF(_footer_font(largest), device).lineSpacing() * 2.8


def _footer_text(parts: list[str]) -> str:
    return "  ·  ".join(parts)


def paint_handout(doc: QTextDocument, device: QPagedPaintDevice, document: Document,
                  options: HandoutOptions | None = None) -> int:
    """Draw every page (or a printer's page range) with its footer; returns the count."""
    options = options or HandoutOptions()
    page_height = doc.pageSize().height()
    width = doc.pageSize().width()
    overhang = FOOTER_OVERHANG_MM / 25.4 * device.logicalDpiX()
    total = doc.pageCount()
    first = max(1, getattr(device, "fromPage", lambda: 1)() or 1)
    last = min(total, getattr(device, "toPage", lambda: total)() or total)
    band_height = footer_band(device, options)
    largest_line = QFontMetricsF(_footer_font(
        (LARGE_FOOTER_PT if options.large_print else FOOTER_PT)[0]), device).lineSpacing()
    painter = QPainter()
    if not painter.begin(device):
        target = getattr(device, "outputFileName", lambda: "")() \
            or getattr(device, "printerName", lambda: "")()
        raise HandoutError(QCoreApplication.translate("Handout", "Cannot write to {target}.")
                           .format(target=target))
    # one size and one wording on every page: fitted to the longest page number
    variant, font = fit_footer(device, width + 2 * overhang, [
        _footer_text(parts) for parts in footer_lines(document, total, total)], options)
    try:
        pen = QPen(Qt.GlobalColor.black)
        pen.setWidthF(device.logicalDpiY() / 144)  # half a point
        for number in range(first, last + 1):
            if number > first:
                device.newPage()
            top = (number - 1) * page_height
            painter.save()
            painter.translate(0, -top)
            doc.drawContents(painter, QRectF(0, top + 1, width, page_height - 2))
            painter.restore()
            text = _footer_text(footer_lines(document, number, total)[variant])
            gap = band_height - 2 * largest_line
            rule = page_height + gap * 0.5
            painter.setPen(pen)
            painter.drawLine(QPointF(-overhang, rule), QPointF(width + overhang, rule))
            painter.setFont(font)
            painter.drawText(QRectF(-overhang, rule + gap * 0.4, width + 2 * overhang,
                                    band_height),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                             | Qt.TextFlag.TextWordWrap, text)
    finally:
        painter.end()
    return last - first + 1


def make_pdf_writer(path: Path | str, options: HandoutOptions, title: str) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(1200)
    writer.setPageLayout(page_layout(options.page_size))
    writer.setCreator(APP_NAME)
    writer.setTitle(title)
    return writer


def page_layout(page_size: QPageSize) -> QPageLayout:
    return QPageLayout(page_size, QPageLayout.Orientation.Portrait,
                       QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, BOTTOM_MARGIN_MM),
                       QPageLayout.Unit.Millimeter)


def write_pdf(document: Document, renderer: Renderer, section_ids: Iterable[str],
              path: Path | str, resources_dir: Path, options: HandoutOptions | None = None
              ) -> int:
    """Write the handout as a PDF, whole or not at all; returns the number of pages."""
    options = options or HandoutOptions()
    path = Path(path)
    try:
        with replaced_atomically(path, mode=0o644, suffix=".part") as partial:  # to hand out
            writer = make_pdf_writer(partial, options, document.metadata.title)
            doc = build_handout(document, renderer, section_ids, resources_dir, writer, options)
            pages = paint_handout(doc, writer, document, options)
    except OSError as exc:
        raise HandoutError(QCoreApplication.translate("Handout", "Cannot write {path}: {reason}")
                           .format(path=path, reason=exc.strerror)) from None
    return pages


def pdf_application() -> QCoreApplication:
    """The running application, or a windowless one for the command line."""
    app = QGuiApplication.instance()
    if app is None:
        app = QGuiApplication([sys.argv[0] if sys.argv else APP_NAME, "-platform", "offscreen"])
    return app
