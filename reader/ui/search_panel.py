"""The search field and its results list. Queries run off the GUI thread.

SearchPanel(index_provider, suggestions): `index_provider()` is called in a worker thread
for each query (ReaderSession.search_index opens the index once and then hands it back), so
opening or first building the index never holds the window. Typing is
debounced; each query carries a generation number and stale answers are dropped.
Emits resultActivated(section_id, SearchResponse) on click/tap/Enter, cleared() on Escape,
askRequested(query) when the reader asks the network a question the FAQ does not answer.
Above the results: the crisis card when the query holds crisis words, and a note when it
names a topic newer than the text.
"""

from __future__ import annotations

import html
import inspect
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAction,
    QKeySequence,
    QPalette,
    QShortcut,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from reader.crisis import CrisisText
from reader.ui import accessibility
from reader.ui.crisis_card import CrisisCard
from reader.ui.i18n import plural
from reader.ui.roles import HTML_ROLE, ID_ROLE
from reader.ui.tasks import BackgroundRunner
from reader.ui.wrap import WrappingButton

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOptionViewItem

    from reader.search import SearchIndex, SearchResponse

DEBOUNCE_MS = 120
RESULT_LIMIT = 20
ANNOUNCE_PAUSE_MS = 700  # the result count is spoken once typing has paused this long


class _RichTextDelegate(QStyledItemDelegate):
    """Paints an item's HTML (title and snippet with bold matches); height follows the font."""

    def _document(self, option: QStyleOptionViewItem, index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(6)
        doc.setDefaultFont(option.font)
        doc.setHtml(index.data(HTML_ROLE) or "")
        width = option.rect.width()
        if width <= 0 and isinstance(option.widget, QAbstractScrollArea):
            width = option.widget.viewport().width()
        doc.setTextWidth(max(width, 120))
        return doc

    def paint(self, painter, option, index) -> None:
        # imported here: creating QStyle's many enums would delay the window's first paint
        from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(opt, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(opt.rect.translated(-opt.rect.topLeft()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        from PySide6.QtWidgets import QStyleOptionViewItem

        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 2)


def _weakly(provider: Callable[[], SearchIndex]) -> Callable[[], SearchIndex]:
    """The session's index, without keeping the session alive: PySide keeps every search
    job it ran (a QRunnable), and with it the work it was given."""
    if not inspect.ismethod(provider):
        return provider
    method = weakref.WeakMethod(provider)

    def index() -> SearchIndex:
        bound = method()
        if bound is None:
            raise RuntimeError("the reader closed")
        return bound()

    return index


def plain_text(rich: str) -> str:
    document = QTextDocument()
    document.setHtml(rich)
    return document.toPlainText()


class _ResultList(QListWidget):
    """The results. The arrow keys select as they move (Enter opens); a selection made
    by other means, such as a screen reader's action or Selection, opens the result."""

    def __init__(self, parent):
        super().__init__(parent)
        self.keying = False  # the selection moves with a key: that opens nothing

    def keyPressEvent(self, event) -> None:
        self.keying = True
        try:
            super().keyPressEvent(event)
        finally:
            self.keying = False

    def select_by_key(self, row: int) -> None:
        self.keying = True
        try:
            self.setCurrentRow(row)
        finally:
            self.keying = False


class SearchPanel(QWidget):
    resultActivated = Signal(str, object)  # section id, SearchResponse (its .terms to highlight)
    askRequested = Signal(str)  # the query, to ask the network about
    cleared = Signal()
    searched = Signal(object)  # SearchResponse shown (for tests and status bars)

    def __init__(
        self,
        index_provider: Callable[[], SearchIndex],
        suggestions: list[tuple[str, str]],
        parent: QWidget | None = None,
        crisis: CrisisText | None = None,
        text_date: str = "",
        field_and_card_apart: bool = False,
    ):
        """`field_and_card_apart`: the two are left out of the panel's layout for the window
        to place (a kiosk's card spans both panes, its field stays above the scrolled column)."""
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self._provider = _weakly(index_provider)
        self._suggestions = list(suggestions)[:5]
        self._generation = 0
        self._shown = 0  # the generation whose results the list holds
        self._open_first = -1  # Enter came before this generation's results: open its first
        self._response: SearchResponse | None = None
        self._runner = BackgroundRunner(self)  # created first: deleted (and waited for) first

        self.field = QLineEdit(self)
        self.field.setObjectName("searchField")
        # the short words where the long ones would be cut (a narrow column, large text)
        self._placeholders = (self.tr("Search the questions…"), self.tr("Search…"))
        self.field.setPlaceholderText(self._placeholders[0])
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName(self.tr("Search the questions"))
        clear = self.field.findChild(QAction, "_q_qlineeditclearaction")
        if clear is not None:  # Qt's icon button: unnamed for a screen reader otherwise
            clear.setText(self.tr("Clear search"))
            clear.setToolTip(self.tr("Clear search"))
        self.status = QLabel(self)
        self.status.setObjectName("searchStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.linkActivated.connect(self._use_suggestion)
        self.status.hide()
        self.crisis_card = CrisisCard(crisis or CrisisText(""), parent=self)
        self.note = QLabel(self)
        self.note.setObjectName("searchNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()
        self._text_date = text_date
        # its words wrap onto lines in a narrow column (a kiosk, large text), never cut
        self.ask_button = WrappingButton(self.tr("Ask the Ketamine Advocacy Network"), self)
        self.ask_button.setObjectName("askQuestionButton")
        self.ask_button.setAccessibleDescription(
            self.tr("Opens the feedback form with your question filled in"))
        self.ask_button.clicked.connect(
            lambda: self.askRequested.emit(self._response.query.strip() if self._response else ""))
        self.ask_button.hide()
        self.often_asked = QLabel(self.tr("Questions people often ask:"), self)
        self.often_asked.setObjectName("oftenAsked")
        self.often_asked.setWordWrap(True)  # at 300 % in Spanish wider than a kiosk's column
        self.often_asked.hide()
        self.results = _ResultList(self)
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setItemDelegate(_RichTextDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.results.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.results.hide()

        self.box = layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if not field_and_card_apart:
            layout.addWidget(self.field)
            layout.addWidget(self.crisis_card)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        layout.addWidget(self.ask_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.often_asked)
        layout.addWidget(self.results, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)
        self._announcement = ""
        self._announce_timer = QTimer(self, singleShot=True, interval=ANNOUNCE_PAUSE_MS)
        self._announce_timer.timeout.connect(self._speak_announcement)
        self.field.textChanged.connect(self._text_changed)
        self.field.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.itemClicked.connect(self._activate)
        self.results.itemSelectionChanged.connect(self._selected)
        for keys in (QKeySequence(QKeySequence.StandardKey.Find), QKeySequence("/")):
            QShortcut(keys, self, self.focus_search, context=Qt.ShortcutContext.WindowShortcut)

    def _fit_placeholder(self) -> None:
        """"Search the questions…" where it fits whole, else "Search…": never elided."""
        room = placeholder_room(self.field)
        advance = self.field.fontMetrics().horizontalAdvance
        words = next((text for text in self._placeholders if advance(text) <= room),
                     self._placeholders[-1])
        if words != self.field.placeholderText():
            self.field.setPlaceholderText(words)

    def warm_up(self) -> None:
        """Open (or build) the index in the background, before the first keystroke."""
        self._runner.run(self._provider, lambda _index: None, self._search_failed(0))

    # --- public ----------------------------------------------------------------

    def focus_search(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def clear(self) -> None:
        """Empty the field and the results; emits cleared(). The focus, if it was here,
        goes back to the field (not to whatever follows the hidden results)."""
        from PySide6.QtWidgets import QApplication

        focused = QApplication.focusWidget()
        was_here = focused is not None and self.isAncestorOf(focused)
        self._generation += 1
        self._timer.stop()
        self.field.blockSignals(True)
        self.field.setText("")  # unlike clear(), drops the undo history: nothing to bring back
        self.field.blockSignals(False)
        self._hide_answers()
        if was_here:
            self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.cleared.emit()

    def wait_idle(self, msecs: int = 30000) -> bool:
        return self._runner.wait(msecs)

    # --- searching -------------------------------------------------------------

    def _text_changed(self, text: str) -> None:
        self._generation += 1
        if not text.strip():
            self._timer.stop()
            self._hide_answers()
            return
        self._timer.start()

    def _hide_answers(self) -> None:
        self._response = None
        self._clear_results()
        for widget in (self.results, self.status, self.note, self.ask_button, self.often_asked):
            widget.hide()
        self.crisis_card.set_shown(False)

    def _start(self) -> None:
        self._runner.drop_queued()  # stale queries not started yet
        generation, query, provider = self._generation, self.field.text(), self._provider
        self._runner.run(lambda: provider().search(query, RESULT_LIMIT),
                         lambda response: self._show(generation, response),
                         self._search_failed(generation))

    def _search_failed(self, generation: int) -> Callable[[Exception], None]:
        def failed(exc: Exception) -> None:
            if generation and generation == self._generation:  # the warm-up (0) says nothing
                self._set_status(self.tr("Search is not available right now ({reason}).")
                                 .format(reason=html.escape(str(exc))))
        return failed

    def _show(self, generation: int, result: SearchResponse) -> None:
        from reader.search import marked_html

        if generation != self._generation or generation == 0:
            return
        self._response, self._shown = result, generation
        self._clear_results()
        for hit in result.results:
            self._add_item(hit.id, html.escape(hit.title), marked_html(hit.snippet), hit.title)
        query = html.escape(result.query.strip())
        fix = ""
        if result.suggestion:
            link = html.escape(result.suggestion, quote=True)
            fix = " " + self.tr('Did you mean <a href="{link}">“{word}”</a>?').format(
                link=link, word=html.escape(result.suggestion))
        self.crisis_card.set_shown(result.crisis, result.crisis_language or "")
        self.note.setText(result.note or "")
        self.note.setVisible(bool(result.note))
        partial = bool(result.results and result.unmatched and not result.crisis)
        if partial:  # said before any result: the closest answers are only related
            self._set_status(self._not_covered(result.unmatched) + fix)
        elif result.results:
            self._set_status(fix.strip() or None)
        else:
            written = self.tr(" (written in {date})").format(date=html.escape(self._text_date)) \
                if self._text_date else ""
            if result.note:  # the note has said that the FAQ does not cover it
                self._set_status(self.tr("No answer in this FAQ mentions “{query}”.").format(
                    query=query))
            else:
                self._set_status(self.tr("No results for “{query}”.{fix} This FAQ{written} does "
                                         "not cover it. Please ask a doctor about it.").format(
                    query=query, fix=fix, written=written))
            for section_id, title in self._suggestions:
                self._add_item(section_id, html.escape(title), "", title)
        self.ask_button.setVisible(not result.results or partial)
        self.often_asked.setText(self.tr("Related answers, which may not answer your question:")
                                 if partial else self.tr("Questions people often ask:"))
        self.often_asked.setVisible(partial or (not result.results and bool(self._suggestions)))
        self.results.setVisible(self.results.count() > 0)
        self._announce(result)
        self.searched.emit(result)
        if self._open_first == generation:
            self._activate(self.results.item(0))

    def _not_covered(self, unmatched: list[str]) -> str:
        """"This FAQ does not mention “drive”. Please ask a doctor." (HTML)."""
        named = self.tr(" or ").join(f"“{html.escape(word)}”" for word in unmatched[:3])
        return self.tr("This FAQ does not mention {words}. Please ask a doctor.").format(
            words=named)

    def _add_item(self, section_id: str, title_html: str, snippet_html: str, title: str):
        text = f"<b>{title_html}</b>" + (f"<br>{snippet_html}" if snippet_html else "")
        item = QListWidgetItem(title)
        item.setData(ID_ROLE, section_id)
        item.setData(HTML_ROLE, text)
        item.setToolTip(title)
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, plain_text(snippet_html))
        self.results.addItem(item)

    def _announce(self, result: SearchResponse) -> None:
        """What a screen reader says once results are in: their count (the crisis card
        speaks for itself)."""
        count = len(result.results)
        line = plural(self.tr("%n result(s).", "", count), count) if count \
            else self.status.text()
        if count and result.unmatched and not result.crisis:  # "does not mention" first
            line = f"{self.status.text()} {line}"
        self.results.setAccessibleDescription(line if count else "")
        self._announcement = "" if result.crisis else plain_text(line)
        self._announce_timer.start()  # once typing pauses, not at every letter

    def _speak_announcement(self) -> None:
        if self._announcement and self._shown == self._generation:
            accessibility.announce(self.field, self._announcement)

    def _clear_results(self) -> None:
        self.results.blockSignals(True)  # the selection moves as rows go: that is no choice
        self.results.clear()
        self.results.blockSignals(False)

    def _set_status(self, text: str | None) -> None:
        self.status.setText(text or "")
        self.status.setVisible(bool(text))

    def _use_suggestion(self, suggestion: str) -> None:
        self.field.setText(suggestion)
        self.field.setFocus()

    def _selected(self) -> None:
        """A result selected by other means than a click or the arrow keys (a screen
        reader's action or its Selection interface) opens it."""
        from PySide6.QtWidgets import QApplication

        selected = self.results.selectedItems()
        if selected and not self.results.keying \
                and QApplication.mouseButtons() == Qt.MouseButton.NoButton:
            self._activate(selected[0])

    def _activate(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        from reader.search import SearchResponse

        response = self._response or SearchResponse(self.field.text(), [])
        self.resultActivated.emit(item.data(ID_ROLE), response)

    # --- keys ------------------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:
        if watched is self.field and event.type() in (
                QEvent.Type.Resize, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_placeholder()
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.clear()
            self.field.setFocus()
            return True
        if watched is self.field:
            if key == Qt.Key.Key_Down and self.results.count():
                self.results.setFocus()
                self.results.select_by_key(0)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._shown != self._generation \
                    and self.field.text().strip():  # the list is of an earlier query
                self._open_first = self._generation
                if self._timer.isActive():
                    self._timer.stop()
                    self._start()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.results.count():
                self._timer.stop()
                self._activate(self.results.currentItem() or self.results.item(0))
                return True
        elif watched is self.results:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._activate(self.results.currentItem())
                return True
            if key == Qt.Key.Key_Up and self.results.currentRow() <= 0:
                self.field.setFocus()
                return True
        return super().eventFilter(watched, event)


def placeholder_room(field: QLineEdit) -> int:
    """How wide a text `field` shows unscrolled: its contents less its text margins and the
    2 px QLineEdit keeps on each side."""
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame  # costly enums: when needed

    option = QStyleOptionFrame()
    field.initStyleOption(option)
    contents = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option,
                                            field)
    margins = field.textMargins()
    return contents.width() - margins.left() - margins.right() - 4
