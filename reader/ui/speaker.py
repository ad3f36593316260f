"""Read aloud's engine side, loaded on the first tap of "Read aloud" (nothing of it before
the window's first paint): the processes that speak, what is being read and how far, and
the sentences of a page with their places.

Each sentence is spoken by its own engine process (reader/speech.py). The engine first writes
the sentence as a WAV to a pipe (a few milliseconds) to learn its length, then speaks it; the
next sentence follows when both the sound has had its time and the speaking process is done.
So the highlight keeps time with the voice on a real sound card and on a null device alike,
and pausing is stopping the process: Resume reads the paused sentence again from its start.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QProcess,
    QProcessEnvironment,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

from reader import speech

# a sentence, and where it is in the page's text (start, end), or None: not on screen.
# Positions, not cursors: a page laid out again (a new text size, a slide fitted to the
# screen) holds the same text at the same positions, while a cursor would collapse.
Span = tuple[int, int]
Item = tuple[str, Span | None]
_SPECIAL = str.maketrans({"\u2029": "\n", "\u2028": "\n", "\ufdd0": "\n", "\ufdd1": "\n",
                          "\ufffc": " ", "\xa0": " "})
STOP_WAIT_MS = 2000


def _language_name(language: str) -> str:
    names = {"en": QCoreApplication.translate("ReadAloud", "English"),
             "es": QCoreApplication.translate("ReadAloud", "Spanish")}
    return names.get(language, language)


def no_voice_message(language: str) -> str:
    return QCoreApplication.translate(
        "ReadAloud", "No {language} voice is installed, so nothing can be read aloud. "
        "Ask whoever looks after this computer to install espeak-ng.").format(
            language=_language_name(language))


class EngineRun(QProcess):
    """One engine process: the line it is for, and whether it measures the line (writes
    its WAV) or speaks it."""

    def __init__(self, index: int, measures: bool, parent: QObject):
        super().__init__(parent)
        self.index, self.measures = index, measures


class Speaker(QObject):
    """Speaks lines one after another; `started(i)` as line i begins, `finished` after the
    last, `failed(message)` when the engine or the sound fails."""

    started = Signal(int)
    finished = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rate = speech.DEFAULT_RATE
        self.amplitude = speech.NORMAL_AMPLITUDE
        self.voice: speech.Voice | None = None
        self.voices: dict[int, speech.Voice] = {}
        self.lines: list[str] = []
        self.index = -1
        self._processes: list[QProcess] = []
        self._clock = QTimer(self, singleShot=True)
        self._clock.timeout.connect(self._maybe_next)
        self._voice_done = False

    def speaking(self) -> bool:
        return self.index >= 0

    def speak(self, voice: speech.Voice, lines: list[str], first: int = 0,
              voices: dict[int, speech.Voice] | None = None) -> None:
        """`voices`: another voice for some lines (a line in the other language)."""
        self.stop()
        self.voice, self.lines = voice, [speech.spoken(line) for line in lines]
        self.voices = voices or {}
        self._start(first)

    def stop(self) -> None:
        """Silence now; nothing more is spoken or signalled for this run."""
        self._clock.stop()
        self.index = -1
        for process in self._processes:
            process.blockSignals(True)
            if process.state() != QProcess.ProcessState.NotRunning:
                process.kill()
                process.waitForFinished(STOP_WAIT_MS)
            process.deleteLater()
        self._processes = []

    def _start(self, index: int) -> None:
        if index >= len(self.lines) or self.voice is None:
            self.stop()
            self.finished.emit()
            return
        self.index = index
        self._voice_done = False
        self._process(speech.command(self.voices.get(index, self.voice), self.rate,
                                     self.amplitude, to_stdout=True), index, measures=True)

    def _process(self, args: list[str], index: int, measures: bool) -> None:
        process = EngineRun(index, measures, self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        environment = QProcessEnvironment()
        for name, value in speech.engine_environment().items():
            environment.insert(name, value)
        process.setProcessEnvironment(environment)
        # bound methods, not closures: a closure would hold a speaker that belongs to
        # nothing alive until the process's deferred deletion, which would then free the
        # speaker and so that process a second time
        process.errorOccurred.connect(self._error)
        process.finished.connect(self._ended)
        self._processes.append(process)
        process.start(args[0], args[1:])
        process.write(self.lines[index].encode())
        process.closeWriteChannel()

    def _forget(self, process: QProcess) -> None:
        if process in self._processes:
            self._processes.remove(process)
            process.deleteLater()

    def _error(self, error: QProcess.ProcessError) -> None:
        process = self.sender()
        if error == QProcess.ProcessError.FailedToStart and process in self._processes:
            self._fail(process.errorString())

    def _ended(self, code: int, _status: QProcess.ExitStatus) -> None:
        process = self.sender()
        if not isinstance(process, EngineRun):
            return
        if process.measures:
            self._measured(process, code)
        else:
            self._spoken(process)

    def _fail(self, message: str) -> None:
        self.stop()
        self.failed.emit(message)

    def _measured(self, process: EngineRun, code: int) -> None:
        index = process.index
        data = bytes(process.readAllStandardOutput().data())
        errors = bytes(process.readAllStandardError().data()).decode(errors="replace").strip()
        self._forget(process)
        if index != self.index or self.voice is None:
            return
        try:
            seconds = speech.wav_seconds(data)
        except ValueError:
            self._fail(errors or f"{speech.PROGRAM} exited with {code}")
            return
        self._process(speech.command(self.voices.get(index, self.voice), self.rate,
                                     self.amplitude), index, measures=False)
        self._clock.start(round(seconds * 1000))
        self.started.emit(index)

    def _spoken(self, process: EngineRun) -> None:
        index = process.index
        errors = bytes(process.readAllStandardError().data()).decode(errors="replace")
        self._forget(process)
        if index != self.index:
            return
        if "error" in errors.lower():  # espeak-ng exits 0 when no sound device opens
            self._fail(" ".join(errors.split())[-300:])
            return
        self._voice_done = True
        self._maybe_next()

    def _maybe_next(self) -> None:
        if self.index >= 0 and self._voice_done and not self._clock.isActive():
            self._start(self.index + 1)


class ReadAloud(QObject):
    """What is read (items from `source`), in which voice, and how far: idle, reading or
    paused. `mark(span | None)` shows the sentence being read."""

    stateChanged = Signal(str)  # "idle", "reading", "paused"
    sentenceChanged = Signal(int, int)  # the sentence now read (0-based), of how many
    problem = Signal(str)

    def __init__(self, source: Callable[[], tuple[str, list[Item]]],
                 mark: Callable[[Span | None], None] = lambda _span: None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.source, self.mark = source, mark
        self.state = "idle"
        self.items: list[Item] = []
        self.index = 0
        self.language = ""
        self.speaker = Speaker(self)
        self.speaker.started.connect(self._started)
        self.speaker.finished.connect(self._finished)
        self.speaker.failed.connect(self._failed)
        self._voices: dict[str, speech.Voice] = {}
        self.languages: dict[int, str] = {}

    def voice(self, language: str) -> speech.Voice | None:
        if language not in self._voices:
            try:
                self._voices[language] = speech.find_voice(language)
            except speech.NoVoice:
                return None
        return self._voices[language]

    def keep_voice(self, voice: speech.Voice) -> None:
        self._voices[voice.language] = voice

    def toggle(self) -> None:
        if self.state == "reading":
            self.pause()
        elif self.state == "paused":
            self.resume()
        else:
            self.start()

    def start(self, items: list[Item] | None = None, language: str = "",
              languages: dict[int, str] | None = None) -> None:
        """Read `items` (or the source's) in `language`; `languages`: some lines in another."""
        if items is None:
            language, items = self.source()
        self.speaker.stop()
        self.items, self.index, self.language = items, 0, language
        self.languages = languages or {}
        if not items:
            return
        self._speak()

    def _speak(self) -> None:
        voice = self.voice(self.language)
        if voice is None:
            self._set_state("idle")
            self.problem.emit(no_voice_message(self.language))
            return
        others = {index: self.voice(language) for index, language in self.languages.items()}
        self.speaker.speak(voice, [text for text, _ in self.items], self.index,
                           {index: other for index, other in others.items() if other})
        self._set_state("reading")

    def pause(self) -> None:
        if self.state == "reading":
            self.speaker.stop()
            self._set_state("paused")

    def resume(self) -> None:
        if self.state == "paused":
            self._speak()

    def stop(self) -> None:
        self.speaker.stop()
        self.items, self.index = [], 0
        self.mark(None)
        self._set_state("idle")

    def set_rate(self, rate: int) -> None:
        """A new speed, heard at once: the sentence being read starts again at it."""
        self.speaker.rate = rate
        if self.state == "reading":
            self._speak()

    def current(self) -> Span | None:
        return self.items[self.index][1] if self.state != "idle" and self.items else None

    def _started(self, index: int) -> None:
        self.index = index
        self.mark(self.items[index][1])
        self.sentenceChanged.emit(index, len(self.items))

    def _finished(self) -> None:
        self.stop()

    def _failed(self, message: str) -> None:
        """The reader is told in plain words; the engine's own words go to stderr (the
        journal on a kiosk), for whoever looks after the computer."""
        import sys

        self.stop()
        print(f"warning: read aloud stopped: {message}", file=sys.stderr)
        self.problem.emit(QCoreApplication.translate(
            "ReadAloud", "Reading aloud stopped: this computer could not play the sound."))

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)



def keep_in_view(view: QTextEdit, cursor: QTextCursor) -> None:
    """Scroll so the sentence shows, near the top quarter when it has to move."""
    start, end = QTextCursor(cursor), QTextCursor(cursor)
    start.setPosition(cursor.selectionStart())
    end.setPosition(cursor.selectionEnd())
    top, bottom = view.cursorRect(start).top(), view.cursorRect(end).bottom()
    height = view.viewport().height()
    if top < 0 or bottom > height:
        bar = view.verticalScrollBar()
        bar.setValue(bar.value() + top - height // 4)


# --- what is read ---------------------------------------------------------------


def document_items(view: QTextEdit, title: str, skip_tail: tuple[str, ...] = ()) -> list[Item]:
    """The sentences from the block starting with `title` to the end of the document, each with
    its place; the last blocks starting with one of `skip_tail` (the source line, "Next
    question") are not read."""
    doc = view.document()
    block = doc.begin()
    while block.isValid() and not block.text().strip().startswith(title.strip()):
        block = block.next()
    if not block.isValid():
        block = doc.begin()
    begin = block.position()
    last = doc.lastBlock()
    for _ in range(2):
        if skip_tail and last.isValid() and last.position() > begin and \
                last.text().strip().startswith(skip_tail):
            last = last.previous()
    end = last.position() + last.length() - 1
    text = doc.toRawText()[begin:end].translate(_SPECIAL)
    items: list[Item] = []
    for a, b in speech.sentence_spans(text):
        items.append((text[a:b], (begin + a, begin + b)))
    return items


def cursor_at(view: QTextEdit, span: Span) -> QTextCursor:
    cursor = QTextCursor(view.document())
    end = min(span[1], view.document().characterCount() - 1)
    cursor.setPosition(min(span[0], end))
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor


def show_mark(view: QTextEdit, span: Span | None) -> None:
    """Fill the sentence being read in the highlight colours (None: no mark) and keep it
    in view. The answer's viewer keeps the mark beside its search and link marks."""
    mark = None
    if span is not None:
        mark = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(view.palette().color(QPalette.ColorRole.Highlight))
        fmt.setForeground(view.palette().color(QPalette.ColorRole.HighlightedText))
        mark.format, mark.cursor = fmt, cursor_at(view, span)
    setter = getattr(view, "set_speech_mark", None)
    if setter is not None:
        setter(mark)
    else:
        view.setExtraSelections([mark] if mark is not None else [])
    if mark is not None:
        keep_in_view(view, mark.cursor)
