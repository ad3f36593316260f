"""Presentation mode: one question per screen in large type, for a facilitator and a projector.

Colours: light text on a dark slate, not the reading theme. A white slide floods a dimmed
support-group room with glare and makes the projector's fan-lit dust the brightest thing in
view; slate (not pure black) hides the projector's grey "black" edge, and #f1f4f7 on
#1d2731 is about 14:1. The high-contrast theme is kept as it is (white and yellow on black).

One text size for the whole presentation: the largest at which the longest answer of the
plan fits one slide, down to MIN_FONT_FRACTION of the normal size; an answer longer than
that continues on the next slide, at a paragraph or sentence break, marked "(continued)".
The footer (count, source, notice, crisis line) never takes more than two lines, and is
read from the back of the room: the source gives way first, then the notice and the
crisis line give way to their short footer forms, before the footer goes below 16 px.

The questions are the session plan's (reader/plan.py), in its order; the whole FAQ when
nothing is planned.

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
import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
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
MIN_FONT_FRACTION = 0.8  # shrink for long answers down to this much of the normal size
MEASURE_EMS = 34  # the column's width in ems at most: about 70 characters a line
FOOTER_FRACTION = 0.7  # the footer's size to the body's: read from the back of the room
MIN_FOOTER_PX = 16  # read from the back of the room: a wording shrinks only to this
LEAST_FOOTER_PX = 10  # the shortest wording, to this before it takes a third line

FORWARD_KEYS = {Qt.Key.Key_PageDown, Qt.Key.Key_Space}
BACK_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Backspace}
NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_N}
PREVIOUS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_P}
BLACK_KEYS = {Qt.Key.Key_B, Qt.Key.Key_Period}
LEAVE_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_F5}


@dataclass(frozen=True)
class Slide:
    section_id: str
    body: str  # the answer's HTML on this slide
    part: int = 1  # 1-based: parts after the first are "(continued)"
    parts: int = 1


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = {"br", "img", "hr", "input", "meta", "link"}
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»)]?\s+(?=[^\s<])")


def top_level_blocks(body: str) -> list[str]:
    """The answer's HTML cut between its top-level elements (paragraphs, lists, tables)."""
    blocks, depth, start = [], 0, 0
    for match in _TAG.finditer(body):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        if closing:
            depth -= 1
            if depth == 0:
                blocks.append(body[start:match.end()].strip())
                start = match.end()
        else:
            if depth == 0:
                start = match.start()
            depth += 1
    rest = body[start:].strip() if depth == 0 else body[start:].strip()
    if rest and (not blocks or not body.rstrip().endswith(blocks[-1])):
        blocks.append(rest)
    return [b for b in blocks if b]


def sentences(paragraph: str) -> tuple[str, list[str], str]:
    """A <p>…</p> as its opening tag, its sentences (cut only outside inline tags) and its
    closing tag; no sentences if it is not a plain paragraph or holds only one."""
    match = re.fullmatch(r"(<p\b[^>]*>)(.*)(</p>)", paragraph, re.S)
    if not match:
        return "", [], ""
    opening, inner, closing = match.groups()
    cuts, depth, last = [], 0, 0
    for tag in _TAG.finditer(inner):
        for cut in _SENTENCE_END.finditer(inner, last, tag.start()):
            if depth == 0:
                cuts.append(cut)
        if tag.group(2).lower() not in _VOID and not tag.group(3):
            depth += -1 if tag.group(1) else 1
        last = tag.end()
    if depth == 0:
        cuts.extend(_SENTENCE_END.finditer(inner, last))
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(inner[start:cut.start()] + inner[cut.start():cut.end()].rstrip())
        start = cut.end()
    pieces.append(inner[start:])
    pieces = [p.strip() for p in pieces if p.strip()]
    return (opening, pieces, closing) if len(pieces) > 1 else ("", [], "")


@dataclass(frozen=True)
class _Piece:
    """A whole block, or one sentence of a paragraph (`paragraph`: its place, to join the
    sentences that share a slide back into one paragraph)."""

    html: str
    paragraph: int = -1
    opening: str = ""
    closing: str = ""


def _joined(pieces: list[_Piece]) -> str:
    out: list[str] = []
    for n, piece in enumerate(pieces):
        before = pieces[n - 1] if n else None
        if piece.paragraph >= 0 and before is not None and before.paragraph == piece.paragraph:
            out[-1] = out[-1].removesuffix(piece.closing) + " " + piece.html + piece.closing
        else:
            out.append(piece.opening + piece.html + piece.closing)
    return "\n".join(out)


class Presenter(QWidget):
    """A full-screen window showing one question at a time."""

    finished = Signal(str)  # the id of the question shown last

    def __init__(self, document: Document, renderer: Renderer, start_id: str = "",
                 colours: str = "slate", parent: QWidget | None = None,
                 themes: ThemeManager | None = None, ids: list[str] | None = None):
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
        self._sections = {s.id: s for s in document.sections}
        self.ids = [i for i in (ids or []) if i in self._sections] \
            or [s.id for s in document.sections]
        self.slides = [Slide(i, renderer.html(self._sections[i])) for i in self.ids]
        self.index = self.ids.index(start_id) if start_id in self.ids else 0
        self._base_px = 0
        self._font_px = 0
        self._footer_px = 0
        self._fitted = (0, 0)  # the text's size the slides were last made for
        self._room = 1  # the widest the text may be
        self._footer_px_shown = 0

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
        # the column's fixed width must not stop the window shrinking onto a smaller screen
        self.stack.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.stack.addWidget(slide)
        self.stack.addWidget(self.black)
        self.show_slide(self.index)

    # --- what is shown ------------------------------------------------------

    @property
    def current_id(self) -> str:
        return self.slides[self.index].section_id

    @property
    def slide(self) -> Slide:
        return self.slides[self.index]

    @property
    def blacked_out(self) -> bool:
        return self.stack.currentWidget() is self.black

    @property
    def question_number(self) -> int:
        return self.ids.index(self.current_id) + 1

    def footer_parts(self) -> list[list[str]]:
        """The footer's parts, most complete first: every one keeps the count, the notice
        and the crisis line; the source goes first when room is short, then the notice and
        the crisis line give way to their footer forms (metadata.toml), when the content
        has them."""
        meta = self.document.metadata
        source = self.tr("{publisher} FAQ").format(publisher=meta.publisher) if meta.publisher \
            else meta.title
        if meta.text_date:
            source += f" ({meta.text_date})"
        notice = meta.notice.split(". ")[0].rstrip(".")
        count = f"{self.question_number} / {len(self.ids)}"
        wordings = [[count, source, notice, meta.crisis_line], [count, notice, meta.crisis_line]]
        if meta.footer_crisis_line:
            wordings.append([count, (meta.footer_notice or notice).rstrip("."),
                             meta.footer_crisis_line])
        return [[p for p in parts if p] for parts in wordings]

    def footer_text(self) -> str:
        width = self._footer_width()
        for parts in self.footer_parts():
            text = "  ·  ".join(parts)
            if not width or self._footer_lines(text, self._footer_px, width) <= 2:
                return text
        return text

    def _footer_width(self, estimate: bool = False) -> int:
        """The footer's width: its own once laid out, else what is left beside "more below"
        (when shown) and the read aloud buttons."""
        if not estimate and self.footer.width() > 50:
            return self.footer.contentsRect().width() - 2
        margins = self.slide_layout.contentsMargins()
        beside = [self.more.sizeHint().width()] if not self.more.isHidden() else []
        if not self.read_aloud.isHidden():
            beside.append(self.read_aloud.sizeHint().width())
        return round((self.width() - margins.left() - margins.right() - sum(beside)
                      - (self.slide_layout.spacing() + 12) * len(beside)) * 0.94)

    def _fit_footer(self, px: int, estimate: bool = False) -> int:
        """The largest size, from `px` down to MIN_FOOTER_PX, at which the most complete
        wording of footer_parts takes two lines (footer_text then picks that wording);
        below MIN_FOOTER_PX only when not even the shortest fits there."""
        width, count = self._footer_width(estimate), f"{len(self.ids)} / {len(self.ids)}"
        texts = ["  ·  ".join([count, *parts[1:]]) for parts in self.footer_parts()]
        for text in texts:
            size = px
            while size > MIN_FOOTER_PX and self._footer_lines(text, size, width) > 2:
                size -= 1
            if self._footer_lines(text, size, width) <= 2:
                break
        else:
            while size > LEAST_FOOTER_PX and self._footer_lines(texts[-1], size, width) > 2:
                size -= 1
        self._footer_px = size
        return size

    def _footer_lines(self, text: str, px: int, width: int) -> int:
        font = QFont(self.footer.font())
        font.setPixelSize(max(1, px))
        metrics = QFontMetrics(font)
        rect = metrics.boundingRect(QRect(0, 0, max(1, width), 100_000),
                                    Qt.TextFlag.TextWordWrap, text)
        return round(rect.height() / metrics.lineSpacing())

    def slide_html(self, px: int, slide: Slide | None = None) -> str:
        """A slide at body size `px`. Qt sizes headings from the default font and ignores
        `font-size` on body in a style sheet, hence the classes and the inline body style."""
        slide = slide or self.slide
        section = self._sections[slide.section_id]
        c = self.colours
        group = f'<p class="group">{html.escape(section.group)}</p>' if section.group else ""
        title = html.escape(section.title)
        if slide.part > 1:
            title += " " + html.escape(self.tr("(continued)"))
        return (f'<body style="color: {c["text"]}; font-size: {px}px">{group}'
                f'<p class="title">{title}</p>\n{slide.body}</body>')

    def show_slide(self, index: int) -> None:
        self.index = max(0, min(len(self.slides) - 1, index))
        # another slide stops reading; the same one laid out again (a new size) does not
        self.read_aloud.showing((self.slide.section_id, self.slide.part))
        section = self._sections[self.current_id]
        self.footer.setText(self.footer_text())
        description = self.tr("Question {number} of {total}: {title}").format(
            number=self.question_number, total=len(self.ids), title=section.title)
        if self.slide.parts > 1:
            description += " " + self.tr("(part {part} of {parts})").format(
                part=self.slide.part, parts=self.slide.parts)
        self.setAccessibleDescription(description)
        if self._font_px:
            self._set_font_px(self._font_px)
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
        """Show the slide at body size `px`; returns the height it needs."""
        doc = self.text.document()
        self._style(doc, px)
        self.text.setHtml(self.slide_html(px))
        doc.setTextWidth(self._column(px))
        self._font_px = px
        return doc.size().height()

    def _style(self, doc: QTextDocument, px: int) -> None:
        font = QFont(self.text.font())
        font.setPointSizeF(px * 72 / self.logicalDpiY())  # headings in answers scale from it
        doc.setDefaultFont(font)
        doc.setDefaultStyleSheet(self._css(px))
        doc.setDocumentMargin(0)

    def _height(self, slide: Slide, px: int) -> float:
        doc = QTextDocument()
        self._style(doc, px)
        doc.setHtml(self.slide_html(px, slide))
        doc.setTextWidth(self._column(px))
        return doc.size().height()

    def _column(self, px: int) -> int:
        """The text's width at body size `px`: MEASURE_EMS, within the screen."""
        return max(1, min(self._room, MEASURE_EMS * px))

    def _fit(self) -> None:
        """One size for every slide: the largest, from normal down to MIN_FONT_FRACTION, at
        which each answer of the plan fits one slide; at the smallest, an answer that still
        does not fit continues on further slides."""
        if not self._base_px:
            return
        available = self.text.viewport().height()
        whole = [Slide(i, self.renderer.html(self._sections[i])) for i in self.ids]
        low, high = max(12, round(self._base_px * MIN_FONT_FRACTION)), self._base_px
        best = low
        if all(self._height(s, high) <= available for s in whole):
            best = high
        else:
            high -= 1
            while low <= high:
                middle = (low + high) // 2
                if all(self._height(s, middle) <= available for s in whole):
                    best, low = middle, middle + 1
                else:
                    high = middle - 1
        place = (self.slide.section_id, self.slide.part) if self.slides else ("", 1)
        self.slides = [part for s in whole for part in self._split(s, best, available)]
        self._font_px = best
        self.text.setFixedWidth(self._column(best))
        self._fitted = (self._column(best), available)
        self.index = next((n for n, s in enumerate(self.slides)
                           if (s.section_id, s.part) == place), next(
            (n for n, s in enumerate(self.slides) if s.section_id == place[0]), 0))
        self.show_slide(self.index)

    def _split(self, slide: Slide, px: int, available: float) -> list[Slide]:
        """The answer on as many slides as it needs, cut between paragraphs, or between
        sentences of a paragraph that would not fit otherwise."""
        if self._height(slide, px) <= available:
            return [slide]
        pieces: list[_Piece] = []
        for number, block in enumerate(top_level_blocks(slide.body)):
            opening, parts, closing = sentences(block) \
                if self._height(Slide(slide.section_id, block, 2), px) > available \
                else ("", [], "")
            pieces.extend([_Piece(p, number, opening, closing) for p in parts]
                          or [_Piece(block)])
        bodies: list[list[_Piece]] = [[]]
        for piece in pieces:
            trial = Slide(slide.section_id, _joined(bodies[-1] + [piece]), len(bodies))
            if bodies[-1] and self._height(trial, px) > available:
                bodies.append([piece])
            else:
                bodies[-1].append(piece)
        return [Slide(slide.section_id, _joined(body), n, len(bodies))
                for n, body in enumerate(bodies, start=1)]

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
        side = max(1, min(self.height(), self.width()))  # a portrait screen: its width
        base = max(16, round(side * 0.037))  # about 40 px (30 pt) on a 1080-line screen
        if base == self._base_px:
            return
        self._base_px = base
        margin = round(base * 1.2)
        self.slide_layout.setContentsMargins(margin, round(margin * 0.8), margin,
                                             round(margin * 0.5))
        largest = max(16, round(base * FOOTER_FRACTION))
        self._style_footer(self._fit_footer(largest, estimate=True))
        self.slide_layout.activate()
        fitted = self._fit_footer(largest)  # now in the footer's own width
        if fitted != self._footer_px_shown:
            self._style_footer(fitted)
        self._room = self.width() - 2 * margin
        self.text.setFixedWidth(self._column(base))
        self.slide_layout.activate()
        self._fit()

    def _style_footer(self, small: int) -> None:
        c = self.colours
        self.setStyleSheet(
            f"QWidget#presenter, QWidget#presenterSlide {{ background: {c['background']}; }}\n"
            f"QWidget#presenterBlack {{ background: #000000; }}\n"
            f"QTextBrowser#presenterText {{ background: {c['background']}; border: none; }}\n"
            f"QLabel#presenterFooter, QLabel#presenterMore {{ color: {c['muted']};"
            f" font-size: {small}px; padding-top: {round(small * 0.6)}px;"
            f" border-top: 1px solid {c['rule']}; }}\n"
            f"QLabel#presenterMore {{ font-weight: 600; }}\n"
        )
        font = QFont(self.footer.font())
        font.setPixelSize(small)
        band = QFontMetrics(font).lineSpacing() * 2 + round(small * 0.6) + 6
        for label in (self.footer, self.more):  # two lines always: the slides keep their room
            label.setFixedHeight(band)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._footer_px_shown = small

    # --- moving -------------------------------------------------------------

    def go(self, index: int) -> None:
        """To slide `index` (a continued answer has several)."""
        if index != self.index and 0 <= index < len(self.slides):
            self.show_slide(index)

    def go_question(self, delta: int) -> None:
        """To the first slide of the next (+1) or previous (-1) question of the plan."""
        number = self.question_number - 1 + delta
        if 0 <= number < len(self.ids):
            self.go(next(n for n, s in enumerate(self.slides)
                         if s.section_id == self.ids[number]))

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
            self.go_question(1)
        elif key in PREVIOUS_KEYS:
            self.go_question(-1)
        elif key == Qt.Key.Key_Home:
            self.go(0)
        elif key == Qt.Key.Key_End:
            self.go(len(self.slides) - 1)
        elif key in BLACK_KEYS:
            self.set_black(True)
        elif key == Qt.Key.Key_R:
            self.read_aloud.toggle()
        else:
            super().keyPressEvent(event)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize and self._base_px \
                and (event.size().width(), event.size().height()) != self._fitted:
            # the layout gives the text its size after resizeEvent: the first slides were
            # made for the window's size before full screen, in small type
            self._fit()
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
    """Present the session plan from its first question; with no plan, the whole FAQ from
    the window's question. Leaving shows the last one in the window."""
    old = window.findChild(Presenter, "presenter")
    if old is not None:
        old.deleteLater()
    plan, document = window.session.plan, window.document
    planned = plan.questions(document)
    start = planned[0] if any(document.get(i) for i in plan.ids) else window.current_id
    presenter = Presenter(window.document, window.renderer, start,
                          slide_colours(window.themes.name), window, window.themes, planned)

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
