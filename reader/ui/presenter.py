"""Presentation mode: one question per screen in large type, for a facilitator and a projector.

Colours: light text on a dark slate, not the reading theme. A white slide floods a dimmed
support-group room with glare and makes the projector's fan-lit dust the brightest thing in
view; slate (not pure black) hides the projector's grey "black" edge, and #f1f4f7 on
#1d2731 is about 14:1. The high-contrast theme is kept as it is (white and yellow on black).

Keys: Page Down, Space, Down and Right go forward; Page Up, Backspace, Up and Left go back.
Page Down / Page Up (what presentation clickers send) and Space / Backspace first scroll a
long answer a screen at a time, then change the question, so a clicker never skips text.
N / P and Right / Left change the question directly; Home / End go to the first / last.
B or . (period) blacks the screen, any key brings it back; Escape or F5 leaves.
R reads the slide aloud (R again pauses and resumes); changing the slide stops it.
A click or tap on the right half goes forward, on the left half back.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reader.content import Document, Renderer
from reader.ui.read_aloud import for_presenter
from reader.ui.theme import ThemeManager

SLIDE_COLOURS = {
    "slate": {"background": "#1d2731", "text": "#f1f4f7", "heading": "#ffffff",
              "muted": "#b4c0cc", "rule": "#3a4956"},
    "contrast": {"background": "#000000", "text": "#ffffff", "heading": "#ffff00",
                 "muted": "#ffffff", "rule": "#ffffff"},
}
MIN_FONT_FRACTION = 0.72  # shrink long answers down to this much of the normal size, then scroll
MEASURE_EMS = 34  # column width in ems at the normal size: about 70 characters a line
FOOTER_FRACTION = 0.7  # the footer's size to the body's: read from the back of the room

FORWARD_KEYS = {Qt.Key.Key_PageDown, Qt.Key.Key_Space}
BACK_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Backspace}
NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_N}
PREVIOUS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_P}
BLACK_KEYS = {Qt.Key.Key_B, Qt.Key.Key_Period}
LEAVE_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_F5}


class Presenter(QWidget):
    """A full-screen window showing one question at a time."""

    finished = Signal(str)  # the id of the question shown last

    def __init__(self, document: Document, renderer: Renderer, start_id: str = "",
                 colours: str = "slate", parent: QWidget | None = None,
                 themes: ThemeManager | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self._themes = themes
        if themes is not None:  # a bound slot: disconnected when the presentation goes
            themes.changed.connect(self.follow_theme)
        self.setObjectName("presenter")
        self.setAccessibleName(self.tr("Presentation"))
        self.setWindowTitle(self.tr("{title} — presentation").format(title=document.metadata.title))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.document, self.renderer = document, renderer
        self.colours = SLIDE_COLOURS[colours]
        ids = [s.id for s in document.sections]
        self.index = ids.index(start_id) if start_id in ids else 0
        self._base_px = 0
        self._font_px = 0
        self._fitted_height = 0  # the text's height the slide was last fitted to

        self.text = QTextBrowser()
        self.text.setObjectName("presenterText")
        self.text.setAccessibleName(self.tr("Question and answer"))
        self.text.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.text.setOpenLinks(False)
        self.text.setFrameShape(QFrame.Shape.NoFrame)
        self.text.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text.document().setDocumentMargin(0)
        self.text.verticalScrollBar().valueChanged.connect(self._update_more)
        self.text.viewport().installEventFilter(self)
        self.footer = QLabel(wordWrap=True)
        self.footer.setObjectName("presenterFooter")
        self.more = QLabel(self.tr("▼ more below"))
        self.more.setObjectName("presenterMore")
        self.more.setAccessibleName(self.tr("More text below: press Page Down"))

        slide = QWidget()
        slide.setObjectName("presenterSlide")
        self.column = QVBoxLayout()
        self.column.addWidget(self.text, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(self.column, 0)
        row.addStretch(1)
        self.read_aloud = for_presenter(self)
        footer_row = QHBoxLayout()
        footer_row.addWidget(self.footer, 1)
        footer_row.addWidget(self.more)
        footer_row.addWidget(self.read_aloud)
        self.slide_layout = QVBoxLayout(slide)
        self.slide_layout.addLayout(row, 1)
        self.slide_layout.addLayout(footer_row)
        self.black = QWidget()
        self.black.setObjectName("presenterBlack")
        self.black.setAccessibleName(self.tr("Black screen: press any key to come back"))
        self.stack = QStackedLayout(self)
        self.stack.addWidget(slide)
        self.stack.addWidget(self.black)
        self.show_slide(self.index)

    # --- what is shown ------------------------------------------------------

    @property
    def current_id(self) -> str:
        return self.document.sections[self.index].id

    @property
    def blacked_out(self) -> bool:
        return self.stack.currentWidget() is self.black

    def footer_text(self) -> str:
        meta = self.document.metadata
        source = self.tr("{publisher} FAQ").format(publisher=meta.publisher) if meta.publisher \
            else meta.title
        if meta.text_date:
            source += f" ({meta.text_date})"
        notice = meta.notice.split(". ")[0].rstrip(".")
        count = f"{self.index + 1} / {len(self.document.sections)}"
        return "  ·  ".join(part for part in (count, source, notice, meta.crisis_line) if part)

    def slide_html(self, px: int) -> str:
        """The question and answer at body size `px`. Qt sizes headings from the default
        font and ignores `font-size` on body in a style sheet, hence the classes and the
        inline body style."""
        section = self.document.sections[self.index]
        c = self.colours
        group = f'<p class="group">{html.escape(section.group)}</p>' if section.group else ""
        return (f'<body style="color: {c["text"]}; font-size: {px}px">{group}'
                f'<p class="title">{html.escape(section.title)}</p>\n'
                f"{self.renderer.html(section)}</body>")

    def show_slide(self, index: int) -> None:
        index = max(0, min(len(self.document.sections) - 1, index))
        if index != self.index:  # another slide; the same one is only laid out again
            self.read_aloud.stop()
        self.index = index
        section = self.document.sections[self.index]
        self.footer.setText(self.footer_text())
        self.setAccessibleDescription(
            self.tr("Question {number} of {total}: {title}").format(
                number=self.index + 1, total=len(self.document.sections), title=section.title))
        self._font_px = 0
        self._fit()
        self.text.verticalScrollBar().setValue(0)
        self._update_more()

    def _css(self, px: int) -> str:
        c = self.colours
        return (
            f".title {{ color: {c['heading']}; font-size: {round(px * 1.3)}px; font-weight: 600;"
            f" margin-bottom: {round(px * 0.7)}px; line-height: 120%; }}\n"
            f"h1, h2, h3, h4 {{ color: {c['heading']}; }}\n"
            f"p {{ margin-top: 0px; margin-bottom: {round(px * 0.6)}px; line-height: 135%; }}\n"
            f"li {{ margin-bottom: {round(px * 0.3)}px; line-height: 135%; }}\n"
            f".group {{ color: {c['muted']}; font-size: {round(px * 0.7)}px;"
            f" margin-bottom: {round(px * 0.3)}px; }}\n"
            f"a {{ color: {c['text']}; text-decoration: none; }}\n"
        )

    def _set_font_px(self, px: int) -> float:
        """Lay the slide out at body size `px`; returns the height it needs."""
        doc = self.text.document()
        font = QFont(self.text.font())
        font.setPointSizeF(px * 72 / self.logicalDpiY())  # headings in answers scale from it
        doc.setDefaultFont(font)
        doc.setDefaultStyleSheet(self._css(px))
        self.text.setHtml(self.slide_html(px))
        doc.setTextWidth(self.text.viewport().width())
        self._font_px = px
        return doc.size().height()

    def _fit(self) -> None:
        """The largest size from normal down to MIN_FONT_FRACTION at which the slide fits."""
        if not self._base_px:
            return
        available = self.text.viewport().height()
        self._fitted_height = available
        low = max(12, round(self._base_px * MIN_FONT_FRACTION))
        if self._set_font_px(self._base_px) <= available:
            return
        best, high = low, self._base_px - 1
        while low <= high:
            middle = (low + high) // 2
            if self._set_font_px(middle) <= available:
                best, low = middle, middle + 1
            else:
                high = middle - 1
        if self._font_px != best:
            self._set_font_px(best)

    def fits(self) -> bool:
        """True when the whole question and answer are on screen without scrolling."""
        return self.text.verticalScrollBar().maximum() == 0

    def _update_more(self) -> None:
        bar = self.text.verticalScrollBar()
        self.more.setVisible(bar.value() < bar.maximum())

    def follow_theme(self) -> None:
        """White on black while the reader's theme is high contrast, else the slate."""
        if self._themes is None:
            return
        colours = SLIDE_COLOURS[slide_colours(self._themes.name)]
        if colours is not self.colours:
            self.colours, self._base_px = colours, 0
            self._restyle()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._restyle()

    def _restyle(self) -> None:
        height = max(1, self.height())
        base = max(16, round(height * 0.037))  # about 40 px (30 pt) on a 1080-line screen
        if base == self._base_px:
            return
        self._base_px = base
        c = self.colours
        small = max(16, round(base * FOOTER_FRACTION))
        margin = round(base * 1.2)
        self.setStyleSheet(
            f"QWidget#presenter, QWidget#presenterSlide {{ background: {c['background']}; }}\n"
            f"QWidget#presenterBlack {{ background: #000000; }}\n"
            f"QTextBrowser#presenterText {{ background: {c['background']}; border: none; }}\n"
            f"QLabel#presenterFooter, QLabel#presenterMore {{ color: {c['muted']};"
            f" font-size: {small}px; padding-top: {round(small * 0.6)}px;"
            f" border-top: 1px solid {c['rule']}; }}\n"
            f"QLabel#presenterMore {{ font-weight: 600; }}\n"
        )
        self.slide_layout.setContentsMargins(margin, round(margin * 0.8), margin,
                                             round(margin * 0.5))
        self.text.setFixedWidth(min(self.width() - 2 * margin, MEASURE_EMS * base))
        self.slide_layout.activate()
        self.show_slide(self.index)

    # --- moving -------------------------------------------------------------

    def go(self, index: int) -> None:
        if index != self.index and 0 <= index < len(self.document.sections):
            self.show_slide(index)

    def advance(self, direction: int, by_page: bool = True) -> None:
        """Scroll a long answer first (a page or a few lines), then change the question."""
        bar = self.text.verticalScrollBar()
        step = bar.pageStep() - self._font_px * 2 if by_page else self._font_px * 3
        step = max(step, self._font_px)
        if direction > 0 and bar.value() < bar.maximum():
            bar.setValue(bar.value() + step)
        elif direction < 0 and bar.value() > bar.minimum():
            bar.setValue(bar.value() - step)
        else:
            self.go(self.index + direction)

    def set_black(self, black: bool) -> None:
        if black:
            self.read_aloud.stop()
        self.stack.setCurrentIndex(1 if black else 0)  # the slide, or the black screen

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in LEAVE_KEYS:
            self.close()
            return
        if self.blacked_out:
            self.set_black(False)  # any other key brings the slide back, where it was
            return
        if event.isAutoRepeat() and key not in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            return  # a held key or a bouncing clicker must not fly through the questions
        if key in FORWARD_KEYS:
            self.advance(1)
        elif key in BACK_KEYS:
            self.advance(-1)
        elif key == Qt.Key.Key_Down:
            self.advance(1, by_page=False)
        elif key == Qt.Key.Key_Up:
            self.advance(-1, by_page=False)
        elif key in NEXT_KEYS:
            self.go(self.index + 1)
        elif key in PREVIOUS_KEYS:
            self.go(self.index - 1)
        elif key == Qt.Key.Key_Home:
            self.go(0)
        elif key == Qt.Key.Key_End:
            self.go(len(self.document.sections) - 1)
        elif key in BLACK_KEYS:
            self.set_black(True)
        elif key == Qt.Key.Key_R:
            self.read_aloud.toggle()
        else:
            super().keyPressEvent(event)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize and self._base_px \
                and event.size().height() != self._fitted_height:
            # the layout gives the text its height after resizeEvent: the first slide was
            # fitted to the window's size before full screen, in small type
            self._font_px = 0
            self._fit()
            self._update_more()
            return False
        if event.type() == QEvent.Type.MouseButtonRelease:
            self.mouseReleaseEvent(event, obj.mapTo(self, event.position().toPoint()).x())
            return True
        return False

    def mouseReleaseEvent(self, event, x: int | None = None) -> None:
        """A click or tap: right half forward, left half back; on black, come back."""
        if self.blacked_out:
            self.set_black(False)
        elif event.button() == Qt.MouseButton.LeftButton:
            x = event.position().x() if x is None else x
            self.go(self.index + (1 if x >= self.width() / 2 else -1))

    def closeEvent(self, event) -> None:
        self.read_aloud.stop()
        super().closeEvent(event)
        self.finished.emit(self.current_id)


def slide_colours(theme_name: str) -> str:
    return "contrast" if theme_name == "contrast" else "slate"


def choose_screen(window: QWidget):
    """A second screen (the projector) when there is one, else the window's own screen."""
    own = window.screen()
    others = [screen for screen in QGuiApplication.screens() if screen != own]
    return others[0] if others else own


def present(window) -> Presenter:
    """Open the presentation at the window's current question; leaving shows its last one."""
    old = window.findChild(Presenter, "presenter")
    if old is not None:
        old.deleteLater()
    presenter = Presenter(window.document, window.renderer, window.current_id,
                          slide_colours(window.themes.name), window, window.themes)

    def finished(section_id: str) -> None:
        window.open_section(section_id)
        window.activateWindow()

    presenter.finished.connect(finished)
    screen = choose_screen(window)
    presenter.setScreen(screen)
    presenter.setGeometry(screen.geometry())
    presenter.showFullScreen()
    presenter.activateWindow()
    presenter.setFocus()
    return presenter
