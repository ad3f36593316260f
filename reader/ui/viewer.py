"""The answer viewer: a QTextBrowser that never navigates by itself and never fetches."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QCoreApplication, QRegularExpression, QUrl, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextBrowser, QTextEdit

from reader.content import Metadata, Section
from reader.ui import theme

LOCAL_SCHEMES = ("", "file", "qrc")


def section_page(section: Section, body_html: str, metadata: Metadata, next_section=None) -> str:
    """The HTML shown for one question: its group, the question, the answer, the source."""
    parts = []
    if section.group:
        parts.append(f'<p class="group">{html.escape(section.group)}</p>')
    parts.append(f"<h1>{html.escape(section.title)}</h1>")
    parts.append(body_html)
    source = [s for s in (metadata.publisher, site_name(metadata.website)) if s]
    if source or metadata.text_date:
        line = QCoreApplication.translate("Viewer", "From the FAQ of {source}").format(
            source=", ".join(html.escape(s) for s in source)) if source else ""
        if metadata.text_date:
            line += QCoreApplication.translate("Viewer", " (text as of {date})").format(
                date=html.escape(metadata.text_date))
        line = line.strip() + "."
        if metadata.date_note:
            line += " " + html.escape(metadata.date_note)
        parts.append(f'<p class="source">{line}</p>')
    if next_section is not None:
        link = (f'<a href="#{html.escape(next_section.id)}">'
                f"{html.escape(next_section.title)}</a>")
        following = QCoreApplication.translate("Viewer", "Next question: {link}")
        parts.append(f'<p class="next">{following.format(link=link)}</p>')
    return "\n".join(parts)


def site_name(url: str) -> str:
    """ketaminenetwork.org for https://www.ketaminenetwork.org/"""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


class Viewer(QTextBrowser):
    """Shows one answer; links are reported through `anchorClicked`, never followed."""

    matchesChanged = Signal(int, int)  # current (1-based, 0 when none), total

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("viewer")
        self.setAccessibleName(self.tr("Answer"))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self._matches: list[QTextCursor] = []
        self._current = -1
        self._match_colours = (QColor("#ffe27a"), QColor("#1f2328"), QColor("#ff9f43"))
        self.document().setDocumentMargin(28)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_measure()

    def _fit_measure(self) -> None:
        """Keep lines near 75 characters: wider windows get wider side margins."""
        measure = QFontMetricsF(self.document().defaultFont()).averageCharWidth() * 75
        side = max(12.0, (self.viewport().width() - measure) / 2)
        # rootFrame() would leave a dead Python wrapper behind each page: PySide ties it to
        # the document, and setHtml() replaces the frame (a leak on a kiosk that runs for
        # months). The frame at the start of the document is the same root frame.
        root = QTextCursor(self.document()).currentFrame()
        fmt = root.frameFormat()
        if abs(fmt.leftMargin() - side) > 1:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            root.setFrameFormat(fmt)

    def loadResource(self, kind, url: QUrl):
        if url.scheme().lower() not in LOCAL_SCHEMES:
            return None  # nothing is ever fetched from the network
        return super().loadResource(kind, url)

    def set_style(self, css: str, match: str, match_text: str, current: str) -> None:
        self.document().setDefaultStyleSheet(css)
        self._match_colours = (QColor(match), QColor(match_text), QColor(current))

    def set_text_scale(self, percent: int) -> None:
        font = QFont(self.font())
        font.setPointSizeF(theme.document_point_size(percent))
        self.document().setDefaultFont(font)
        self._fit_measure()

    def show_page(self, page_html: str) -> None:
        self._matches, self._current = [], -1
        self.setExtraSelections([])
        self.setHtml(page_html)
        self._use_css_heading_sizes()
        self._fit_measure()
        self.verticalScrollBar().setValue(0)
        self.matchesChanged.emit(0, 0)

    def _use_css_heading_sizes(self) -> None:
        """Qt scales <h1>-<h3> by a size adjustment on top of the CSS size (an <h1> at 300%
        text came out at twice the body size); drop it so the stylesheet's sizes hold."""
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel():
                fragments = block.begin()
                while not fragments.atEnd():
                    fragment = fragments.fragment()
                    fmt = fragment.charFormat()
                    fmt.clearProperty(QTextFormat.Property.FontSizeAdjustment)
                    cursor = QTextCursor(self.document())
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(),
                                       QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(fmt)
                    fragments += 1
            block = block.next()

    # --- search highlights -------------------------------------------------

    def highlight(self, terms: list[str]) -> int:
        """Mark every word starting with one of `terms`; scroll to the first. Returns count."""
        words = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
        self._matches, self._current = [], -1
        if words:
            alternation = "|".join(QRegularExpression.escape(w) for w in words)
            pattern = QRegularExpression(
                rf"\b(?:{alternation})\w*",
                QRegularExpression.PatternOption.CaseInsensitiveOption
                | QRegularExpression.PatternOption.UseUnicodePropertiesOption,
            )
            doc = self.document()
            cursor = doc.find(pattern, 0)
            while not cursor.isNull() and len(self._matches) < 2000:
                if cursor.hasSelection():
                    self._matches.append(QTextCursor(cursor))
                cursor = doc.find(pattern, cursor)
        if self._matches:
            self._current = self._first_match_in_answer()
        self._paint_matches()
        return len(self._matches)

    def _first_match_in_answer(self) -> int:
        """Prefer the first match below the question heading, so the answer shows."""
        block = self.document().begin()
        while block.isValid() and block.blockFormat().headingLevel() != 1:
            block = block.next()
        heading_end = block.position() + block.length() if block.isValid() else 0
        for i, cursor in enumerate(self._matches):
            if cursor.selectionStart() >= heading_end:
                return i
        return 0

    def clear_highlights(self) -> None:
        self._matches, self._current = [], -1
        self._paint_matches()

    def next_match(self, step: int = 1) -> None:
        if self._matches:
            self._current = (self._current + step) % len(self._matches)
            self._paint_matches()

    def match_count(self) -> int:
        return len(self._matches)

    def _paint_matches(self) -> None:
        match, match_text, current = self._match_colours
        selections = []
        for i, cursor in enumerate(self._matches):
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(current if i == self._current else match)
            fmt.setForeground(match_text)
            selection.format, selection.cursor = fmt, cursor
            selections.append(selection)
        self.setExtraSelections(selections)
        if 0 <= self._current < len(self._matches):
            cursor = QTextCursor(self._matches[self._current])
            cursor.clearSelection()
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
        self.matchesChanged.emit(self._current + 1 if self._matches else 0, len(self._matches))

