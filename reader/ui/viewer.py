"""The answer viewer: a QTextBrowser that never navigates by itself and never fetches."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QRect,
    QRegularExpression,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from reader.content import Metadata, Section
from reader.ui import accessibility, theme
from reader.ui.accessibility import Part
from reader.ui.roles import ID_ROLE
from reader.ui.sidebar import keys_move_focus_only

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
        following = QCoreApplication.translate("Viewer", "Next question: {link}")
        title = html.escape(following.format(link=next_section.title), quote=True)
        link = (f'<a href="#{html.escape(next_section.id)}" title="{title}">'
                f"{html.escape(next_section.title)}</a>")
        parts.append(f'<p class="next">{following.format(link=link)}</p>')
    return "\n".join(parts)


def site_name(url: str) -> str:
    """ketaminenetwork.org for https://www.ketaminenetwork.org/"""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


class Viewer(QTextBrowser):
    """Shows one answer; links are reported through `anchorClicked`, never followed."""

    matchesChanged = Signal(int, int)  # current (1-based, 0 when none), total
    linksChanged = Signal(list)  # [(text, href), ...] of the page shown, in reading order
    outlineChanged = Signal()  # a new page: its headings, paragraphs and links
    ACCESSIBLE = "answer"  # a document of headings and links for screen readers
    STRUCTURE_KEYS = {Qt.Key.Key_H: "heading", Qt.Key.Key_K: "link"}

    def __init__(self, parent: QWidget | None = None) -> None:
        accessibility.install()
        super().__init__(parent)
        self.setObjectName("viewer")
        self._outline: list[Part] | None = None
        self.setAccessibleName(self.tr("Answer"))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self._matches: list[QTextCursor] = []
        self._current = -1
        self._match_colours = (QColor("#ffe27a"), QColor("#1f2328"), QColor("#ff9f43"))
        self._match_marks: list[QTextEdit.ExtraSelection] = []
        self._link_mark: QTextEdit.ExtraSelection | None = None
        self._speech_mark: QTextEdit.ExtraSelection | None = None  # the sentence read aloud
        self._line_height = theme.line_height(100)  # percent, as the stylesheet has it
        self.document().setDocumentMargin(28)
        self.selectionChanged.connect(self._mark_focused_link)

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

    # Qt always passes a QUrl here; the stubs' `QUrl | str` is what PySide accepts from Python
    def loadResource(self, kind, url: QUrl):  # type: ignore[override]
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
        self._line_height = theme.line_height(percent)
        self._fit_measure()

    def room_for(self, lines: int) -> int:
        """The height that shows `lines` lines of the answer's paragraphs."""
        spacing = QFontMetricsF(self.document().defaultFont()).lineSpacing() + 1  # as laid out
        return round(lines * spacing * self._line_height / 100 + 2 * self.frameWidth()) + 2

    def show_page(self, page_html: str) -> None:
        self._matches, self._current = [], -1
        self._match_marks, self._link_mark, self._speech_mark = [], None, None
        self.setExtraSelections([])
        self.setHtml(page_html)
        self._outline = None
        self.outlineChanged.emit()
        self._use_css_heading_sizes()
        self._fit_measure()
        self.verticalScrollBar().setValue(0)
        self.matchesChanged.emit(0, 0)
        self.linksChanged.emit(self.links())

    def links(self) -> list[tuple[str, str]]:
        """Every link of the page: its text and its address (QTextBrowser tells a screen
        reader nothing about them)."""
        found: list[tuple[str, str]] = []
        block = self.document().begin()
        while block.isValid():
            fragments, previous = block.begin(), ""
            while not fragments.atEnd():
                fragment = fragments.fragment()
                fmt = fragment.charFormat()
                href = fmt.anchorHref() if fmt.isAnchor() else ""
                if href and href == previous and not fmt.toolTip():  # split by formatting
                    found[-1] = (found[-1][0] + fragment.text(), href)
                elif href:
                    found.append((fmt.toolTip() or fragment.text(), href))
                previous = href
                fragments += 1
            block = block.next()
        return [(" ".join(text.split()), href) for text, href in found]

    def outline(self) -> list[Part]:
        """The page as a screen reader walks it: headings, paragraphs and list items in
        reading order, each with its links."""
        if self._outline is None:
            self._outline = []
            block = self.document().begin()
            while block.isValid():
                text = " ".join(block.text().split())
                if text:
                    level = block.blockFormat().headingLevel()
                    role = "heading" if level else "list item" if block.textList() \
                        else "paragraph"
                    part = Part(role, text, block.position(),
                                block.position() + block.length() - 1, level)
                    part.links = self._links_of(block)
                    self._outline.append(part)
                block = block.next()
        return self._outline

    def _links_of(self, block) -> list[Part]:
        links: list[Part] = []
        fragments, previous = block.begin(), ""
        while not fragments.atEnd():
            fragment = fragments.fragment()
            fmt = fragment.charFormat()
            href = fmt.anchorHref() if fmt.isAnchor() else ""
            end = fragment.position() + fragment.length()
            if href and href == previous:  # one link split by its formatting
                links[-1].text += fragment.text()
                links[-1].end = end
            elif href:
                links.append(Part("link", fragment.text(), fragment.position(), end, href=href))
            previous = href
            fragments += 1
        for link in links:
            link.text = " ".join(link.text.split())
        return links

    def parts(self, role: str) -> list[Part]:
        if role == "link":
            return [link for part in self.outline() for link in part.links]
        return [part for part in self.outline() if part.role == role]

    def part_rect(self, part: Part) -> QRect:
        """Where `part` is drawn, in the viewport's coordinates."""
        start, end = QTextCursor(self.document()), QTextCursor(self.document())
        start.setPosition(part.start)
        end.setPosition(max(part.start, part.end))
        rect = self.cursorRect(start).united(self.cursorRect(end))
        if part.role != "link":
            layout = self.document().documentLayout()
            block = self.document().findBlock(part.start)
            box = layout.blockBoundingRect(block).toRect()
            rect = box.translated(-self.horizontalScrollBar().value(),
                                  -self.verticalScrollBar().value())
        return rect.intersected(self.viewport().rect())

    def follow_part(self, part: Part) -> None:
        if part.href:
            self.anchorClicked.emit(QUrl(part.href))

    def keyPressEvent(self, event) -> None:
        """H and K (Shift: backwards) go to the next heading or link, as in a browser's
        reading mode; Orca leaves these keys to the application outside web pages."""
        role = self.STRUCTURE_KEYS.get(Qt.Key(event.key()))
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if role and modifiers in (Qt.KeyboardModifier.NoModifier,
                                  Qt.KeyboardModifier.ShiftModifier):
            self.go_to(role, -1 if modifiers else 1)
            return
        super().keyPressEvent(event)

    def go_to(self, role: str, step: int) -> Part | None:
        """Select the next (or previous) part of `role` after the caret; returns it."""
        here = self.textCursor()
        position, on_it = here.selectionStart(), here.hasSelection()
        candidates = self.parts(role)
        if step > 0:
            after = [p for p in candidates if p.start > position or (
                p.start == position and not on_it)]
        else:
            after = [p for p in reversed(candidates) if p.start < position]
        if not after:
            return None
        part = after[0]
        cursor = QTextCursor(self.document())
        cursor.setPosition(part.start)
        cursor.setPosition(part.end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self._report_focus(part)
        return part

    def _report_focus(self, part: Part | None) -> None:
        accessibility.report_focus(self, part)

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

    # --- the focused link --------------------------------------------------

    def _mark_focused_link(self) -> None:
        """Tab moves through the links; Qt marks the focused one with a dotted 1 px frame.
        Fill it with the highlight colours instead, so it is seen (the focus ring's 3:1)."""
        cursor, mark = self.textCursor(), None
        if cursor.hasSelection() and self.hasFocus():
            inside = QTextCursor(cursor)
            inside.setPosition(cursor.selectionStart() + 1)
            if inside.charFormat().isAnchor():
                mark = QTextEdit.ExtraSelection()
                fmt = QTextCharFormat()
                fmt.setBackground(self.palette().color(QPalette.ColorRole.Highlight))
                fmt.setForeground(self.palette().color(QPalette.ColorRole.HighlightedText))
                mark.format, mark.cursor = fmt, QTextCursor(cursor)
        if mark is not None or self._link_mark is not None:
            self._link_mark = mark
            self._show_marks()
        if mark is not None:
            start = cursor.selectionStart()
            link = next((p for p in self.parts("link") if p.start <= start < p.end), None)
            self._report_focus(link)

    def set_speech_mark(self, mark: QTextEdit.ExtraSelection | None) -> None:
        self._speech_mark = mark
        self._show_marks()

    def _show_marks(self) -> None:
        self.setExtraSelections(self._match_marks + [
            mark for mark in (self._speech_mark, self._link_mark) if mark is not None])

    def focusNextPrevChild(self, forward: bool) -> bool:
        moved = super().focusNextPrevChild(forward)  # to the next link, if there is one
        self._mark_focused_link()
        return moved

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self._mark_focused_link()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if self._link_mark is not None:
            self._link_mark = None
            self._show_marks()

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
        self._match_marks = selections
        self._show_marks()
        if 0 <= self._current < len(self._matches):
            cursor = QTextCursor(self._matches[self._current])
            cursor.clearSelection()
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
        self.matchesChanged.emit(self._current + 1 if self._matches else 0, len(self._matches))



class LinkList(QWidget):
    """"Links in this answer": every link of the page as a list row, for the keyboard and
    for screen readers. Enter, Space, a click or selecting a row follows its link."""

    linkChosen = Signal(QUrl)
    MAX_ROWS = 3

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("answerLinksPane")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = QLabel(self.tr("Links in this answer"), self, objectName="answerLinksTitle")
        self.list = _LinkRows(self)
        self.title.setBuddy(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        self.list.itemActivated.connect(self._follow)
        self.list.itemSelectionChanged.connect(self._selected)
        self.hide()

    def set_links(self, links: list[tuple[str, str]]) -> None:
        self.list.blockSignals(True)  # clearing moves the selection: that is no choice
        self.list.clear()
        for text, href in links:
            url = QUrl(href)
            label = text or href
            if url.scheme().lower() in ("http", "https"):
                label += self.tr(" (website: {site})").format(
                    site=url.host().removeprefix("www."))
            elif url.scheme().lower() == "mailto":
                label += self.tr(" (email: {address})").format(address=url.path())
            item = QListWidgetItem(label)
            item.setData(ID_ROLE, href)
            item.setToolTip(href)
            self.list.addItem(item)
        self.list.clearSelection()
        self.list.blockSignals(False)
        self.setVisible(bool(links))
        self.fit_height()

    def fit_height(self) -> None:
        self.list.fit_height()

    def _follow(self, item: QListWidgetItem) -> None:
        url = QUrl(item.data(ID_ROLE))
        QTimer.singleShot(0, lambda: self.linkChosen.emit(url))  # out of the mouse press

    def _selected(self) -> None:
        selected = self.list.selectedItems()
        if selected:
            self.list.blockSignals(True)
            self.list.clearSelection()  # so the same link can be chosen again
            self.list.blockSignals(False)
            self._follow(selected[0])


class _LinkRows(QListWidget):
    def __init__(self, parent):
        super().__init__(parent)
        self.setObjectName("answerLinks")
        self.setAccessibleName(self.tr("Links in this answer"))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)

    def selectionCommand(self, index, event=None):
        return keys_move_focus_only(self, index, event, super().selectionCommand)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and self.currentItem() is not None:
            self.itemActivated.emit(self.currentItem())
            return
        super().keyPressEvent(event)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_height()

    def fit_height(self) -> None:
        """Up to MAX_ROWS rows, and no more than an eighth of the window: the rest scrolls."""
        row = self.sizeHintForRow(0) if self.count() else 0
        room = max(1, self.window().height() // 8 // max(1, row))
        rows = min(self.count(), LinkList.MAX_ROWS, room)
        margins = self.contentsMargins()
        self.setFixedHeight(rows * row + margins.top() + margins.bottom())
