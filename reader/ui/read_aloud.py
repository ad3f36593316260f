"""Read aloud: the answer spoken sentence by sentence, the sentence being read highlighted
and kept in view; pause, stop, slower and faster. One bar of buttons for the window, the
kiosk and the presenter; the crisis card gets a button of its own.

Only the buttons are made with the window: the engine side (reader/ui/speaker.py and
reader/speech.py, with QProcess) is imported on the first tap, so nothing of it costs time
before the first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget

from reader.ui.wrap import WrappingButton

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTextEdit

    from reader.ui.crisis_card import CrisisCard
    from reader.ui.speaker import Item, ReadAloud, Span

Source = Callable[[], "tuple[str, list[Item]]"]
DEFAULT_RATE_INDEX = 3  # speech.RATES.index(speech.DEFAULT_RATE), without importing it


def _button(text: str, name: str, parent: QWidget, tip: str = "") -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text)
    if tip:
        button.setToolTip(tip)
    return button


class ReadAloudBar(QWidget):
    """Read aloud (then Pause / Resume), Stop, Slower, Faster, and a line for problems."""

    def __init__(self, source: Source, view: QTextEdit | None, parent: QWidget | None = None,
                 report: Callable[[str], None] | None = None):
        super().__init__(parent)
        self.setObjectName("readAloudBar")
        self.source, self.view, self.report = source, view, report
        self.reading_id = ""  # the question being read, or CARD
        self.card_buttons: list[QPushButton] = []
        self.card_language: Callable[[], str] = lambda: "en"
        self.available = True  # False: no voice (a kiosk shows no button then)
        self.amplitude = 100  # espeak-ng's normal loudness
        self.on_state: Callable[[str], None] = lambda _state: None  # told first of a change
        self._reader: ReadAloud | None = None
        self._page: object = None
        self.rate_index = DEFAULT_RATE_INDEX
        self.button = _button(self.tr("Read aloud"), "readAloudButton", self,
                              self.tr("Read the question and its answer aloud"))
        self.stop_button = _button(self.tr("Stop"), "readAloudStop", self,
                                   self.tr("Stop reading aloud"))
        self.slower_button = _button(self.tr("Slower"), "readAloudSlower", self,
                                     self.tr("Read more slowly"))
        self.faster_button = _button(self.tr("Faster"), "readAloudFaster", self,
                                     self.tr("Read faster"))
        self.status = QLabel(self, wordWrap=True)
        self.status.setObjectName("readAloudStatus")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.hide()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(8, 4, 8, 4)
        self.grid.setColumnStretch(0, 1)
        self.grid.addWidget(self.status, 0, 0, 2, 1)
        self.buttons = (self.button, self.stop_button, self.slower_button, self.faster_button)
        self._rows = 0
        self.compact = False  # two rows whenever there are more than two buttons
        for button in self.buttons[1:]:
            button.hide()
        self._arrange()
        from reader.ui.accessibility import EnterPresses  # loaded with the window anyway

        self._enter_presses = EnterPresses(self)  # Enter presses them, as Space does
        for button in (self.button, self.stop_button, self.slower_button, self.faster_button):
            button.installEventFilter(self._enter_presses)
        if view is not None:
            view.document().contentsChanged.connect(self._laid_out_again)
        self.button.clicked.connect(self.toggle)
        self.stop_button.clicked.connect(self.stop)
        self.slower_button.clicked.connect(lambda: self.step_rate(-1))
        self.faster_button.clicked.connect(lambda: self.step_rate(1))

    @property
    def reader(self) -> ReadAloud:
        """The engine side, made (and imported) on first use."""
        if self._reader is None:
            from reader.ui.speaker import ReadAloud

            self._reader = ReadAloud(self.source, self.show_mark, self)
            self._reader.speaker.amplitude = self.amplitude
            self._reader.stateChanged.connect(lambda state: self.on_state(state))
            self._reader.stateChanged.connect(self._show_state)
            self._reader.problem.connect(self.report or self.show_problem)
        return self._reader

    def state(self) -> str:
        return self._reader.state if self._reader is not None else "idle"

    def _arrange(self) -> None:
        """One row of buttons where they fit, else two (Slower and Faster below): at large
        text in a narrow pane the bar never makes the window wider than the screen."""
        gap = self.grid.horizontalSpacing()
        margins = self.grid.contentsMargins()
        edge = margins.left() + margins.right()
        shown = [b for b in self.buttons if not b.isHidden()]
        one_row = sum(b.sizeHint().width() for b in shown) + gap * (len(shown) - 1) + edge
        widths = [b.sizeHint().width() for b in self.buttons]
        self.setMinimumWidth(max(widths[0] + widths[1], widths[2] + widths[3]) + gap + edge)
        rows = 1 if (self.width() >= one_row and not self.compact) or len(shown) <= 2 else 2
        if rows == self._rows:
            return
        self._rows = rows
        for index, button in enumerate(self.buttons):
            self.grid.removeWidget(button)
            row, column = (0, index + 1) if rows == 1 else divmod(index, 2)
            self.grid.addWidget(button, row, column + 1 if rows == 2 else column)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._rows = 0
            self._arrange()

    def toggle(self) -> None:
        self.status.hide()
        if self.reading_id == CARD and self.state() != "idle":
            self.reader.stop()  # the button reads the answer, not the card
        self.reader.toggle()

    def stop(self) -> None:
        if self._reader is not None:
            self._reader.stop()

    def showing(self, page: object) -> None:
        """What the view shows now: reading stops when it is something else."""
        if page != self._page:
            self.stop()
        self._page = page

    def forget(self) -> None:
        """A kiosk's next reader: silence, the normal speed, no message."""
        self.stop()
        self.status.hide()
        if self._reader is not None:
            self.rate_index = DEFAULT_RATE_INDEX
            self.step_rate(0)

    def attach_card(self, card: CrisisCard) -> QPushButton:
        return attach_card(self, card, self.card_language)

    def set_amplitude(self, amplitude: int) -> None:
        self.amplitude = amplitude
        if self._reader is not None:
            self._reader.speaker.amplitude = amplitude

    def step_rate(self, direction: int) -> None:
        from reader.speech import RATES

        self.rate_index = max(0, min(len(RATES) - 1, self.rate_index + direction))
        self.reader.set_rate(RATES[self.rate_index])
        self._show_state(self.reader.state)

    def show_problem(self, message: str) -> None:
        self.status.setText(message)
        self.status.setAccessibleName(message)
        self.status.show()

    def _show_state(self, state: str) -> None:
        from reader.speech import RATES

        text = {"reading": self.tr("Pause"), "paused": self.tr("Resume")}.get(
            state, self.tr("Read aloud"))
        self.button.setText(text)
        self.button.setAccessibleName(text)
        active = state != "idle"
        for button in (self.stop_button, self.slower_button, self.faster_button):
            button.setVisible(active)
        self._rows = 0
        self._arrange()
        self.slower_button.setEnabled(self.rate_index > 0)
        self.faster_button.setEnabled(self.rate_index < len(RATES) - 1)

    def show_mark(self, span: Span | None) -> None:
        if self.view is not None:
            from reader.ui.speaker import show_mark

            show_mark(self.view, span)

    def _laid_out_again(self) -> None:
        """The page's text was set again (the same text): mark the sentence again."""
        if self.state() != "idle":
            QTimer.singleShot(0, self, self._mark_again)

    def _mark_again(self) -> None:
        if self.state() != "idle":
            self.show_mark(self.reader.current())


def _prefix(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text).split("{")[0].strip()


def for_window(window) -> ReadAloudBar:
    """The bar above the answer of a MainWindow; stops when another question opens."""

    def source() -> tuple[str, list[Item]]:
        section = window.document.get(window.current_id)
        if section is None:
            return window.document.language, []
        tail = (_prefix("Viewer", "From the FAQ of {source}"),
                _prefix("Viewer", "Next question: {link}"),
                _prefix("Viewer", " (text as of {date})"))
        from reader.ui.speaker import document_items

        language = "en" if section.fallback else window.document.language
        return language, document_items(window.viewer, section.title, tail)

    bar = ReadAloudBar(source, window.viewer, window, report=window.show_notice)

    def opened(section_id: str) -> None:
        if bar.state() == "idle":
            return
        if section_id != bar.reading_id:
            bar.stop()
        else:  # the same page again (a new text size): the same sentences, marked again
            bar.show_mark(bar.reader.current())

    bar.on_state = lambda state: setattr(
        bar, "reading_id", (bar.reading_id or window.current_id) if state != "idle" else "")
    window.sectionOpened.connect(opened)
    bar.card_language = lambda: window.document.language
    bar.attach_card(window.search_panel.crisis_card)
    return bar


CARD = "crisis card"  # what is read when it is not the answer


def attach_card(bar: ReadAloudBar, card: CrisisCard, language: Callable[[], str]
                ) -> QPushButton:
    """A "Read this aloud" button on a crisis card: reads its lines, in place of the answer."""
    text = QCoreApplication.translate("ReadAloud", "Read this aloud")
    button = WrappingButton(text, card)  # a narrow card: its words wrap, never cut
    button.setObjectName("crisisReadAloudButton")
    card.put_beside_heading(button)

    def read() -> None:
        labels = [label for label in card.findChildren(QLabel)
                  if label.text().strip() and not label.isHidden()]
        own = language()
        other = {i: "es" if own == "en" else "en" for i, label in enumerate(labels)
                 if label.objectName() == "crisisOtherLine"}  # the line in the typed language
        bar.reader.start([(label.text(), None) for label in labels], own, other)
        bar.reading_id = CARD

    button.clicked.connect(read)
    button.installEventFilter(bar._enter_presses)
    button.setVisible(bar.available)
    bar.card_buttons.append(button)
    return button


def for_kiosk(bar: ReadAloudBar, controller) -> None:
    """On a kiosk: as loud as `[kiosk] volume` lets it; no buttons while there is no voice
    (looked for off the GUI thread, after the first paint) or when the volume is 0, and staff
    see why after the PIN."""
    from reader import speech
    from reader.ui.tasks import BackgroundRunner

    volume = controller.settings.volume
    bar.set_amplitude(round(speech.NORMAL_AMPLITUDE * volume / 100))
    show_buttons(bar, False)
    if volume == 0:
        return
    language = bar.card_language()

    def found(voice) -> None:
        bar.reader.keep_voice(voice)
        # someone listening is someone reading: no "Still reading?" while it reads (paused,
        # the idle countdown runs again)
        listening = QTimer(bar, interval=max(500, controller.idle_ms // 3))
        listening.timeout.connect(controller.activity)
        bar.reader.stateChanged.connect(
            lambda state: listening.start() if state == "reading" else listening.stop())
        bar.reader.sentenceChanged.connect(lambda _index, _count: controller.activity())
        show_buttons(bar, True)

    def missing(error: Exception) -> None:
        controller.staff_notes = (*controller.staff_notes,
                                  f"Read aloud is off (no button for patients): {error}")

    def look() -> None:
        BackgroundRunner(bar).run(lambda: speech.find_voice(language), found, missing)

    from reader.ui.launch import FirstPaint  # loaded with the window anyway

    # after the answer's first paint: no thread or engine process competes with start-up
    painted = FirstPaint(bar.view.viewport() if bar.view is not None else bar)
    painted.painted.connect(lambda _t: look())


def show_buttons(bar: ReadAloudBar, shown: bool) -> None:
    bar.available = shown
    bar.setVisible(shown)
    for button in bar.card_buttons:
        button.setVisible(shown)


def for_presenter(presenter) -> ReadAloudBar:
    """The bar in a presentation's footer: reads the slide; stops when the slide changes.
    Its buttons take no focus, so the clicker's keys keep working the slides."""

    def source() -> tuple[str, list[Item]]:
        section = presenter.document.get(presenter.current_id)  # the plan's, not the FAQ's
        from reader.ui.speaker import document_items

        language = "en" if section.fallback else presenter.document.language
        return language, document_items(presenter.text, section.title)  # "(continued)" too

    def report(message: str) -> None:  # in the footer, beside the crisis line, until the
        presenter.footer.setText(f"{message}  ·  {presenter.footer_text()}")  # next slide

    bar = ReadAloudBar(source, presenter.text, presenter, report)
    bar.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
    bar.compact = True  # the footer's crisis line keeps its width
    for button in bar.findChildren(QPushButton):
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return bar
