"""Read aloud in the real window, kiosk and presenter, with the real engine (espeak-ng) on
ALSA's null device: tapped, the answer is read title first, the highlight moves through it
and is kept in view; pause, resume, stop; it stops when the question or the language changes,
the form opens, at a kiosk reset and when the slide changes; the crisis card is read too."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QProcess, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from test_atspi import observe  # the display fixture is in conftest.py
from test_languages import build, english  # noqa: F401  (english: a fixture)
from touch_helpers import Finger

from reader import speech
from reader.config import KioskSettings, Settings
from reader.ui.kiosk import open_kiosk
from reader.ui.presenter import present
from reader.ui.read_aloud import CARD
from reader.ui.speaker import cursor_at
from reader.ui.window import MainWindow

pytestmark = [pytest.mark.usefixtures("silent_audio"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]
FAST = speech.RATES[-1]  # the tests listen at the fastest speed
ANSWER = "is-ketamine-safe"


@pytest.fixture
def open_window(qtbot, new_session):
    """open_window(kiosk=False, volume=80, language=""): the real window (or kiosk), shown,
    at the question ANSWER; the read-aloud bar listens at FAST."""
    made = []

    def make(kiosk: bool = False, volume: int = 80, language: str = "", idle_ms: int = 600_000):
        settings = Settings(kiosk=KioskSettings(enabled=kiosk, volume=volume))
        session = new_session(settings=settings, language=language)
        controller = None
        if kiosk:
            window, controller = open_kiosk(session, idle_ms, 600_000)
        else:
            window = MainWindow(session)
            window.resize(1366, 768)
        window.save_on_close = False
        qtbot.addWidget(window, before_close_func=lambda w: controller and controller.allow_exit())
        window.open_section(ANSWER)
        if controller is not None:
            controller.show_window()
        else:
            window.show()
        qtbot.waitExposed(window)
        window.activateWindow()  # a finger's tap goes to the window on top
        qtbot.waitUntil(window.isActiveWindow)
        window.read_aloud.reader.speaker.rate = FAST
        made.append(window)
        return window, controller

    yield make
    for window in made:
        window.read_aloud.stop()


def running(bar) -> list[QProcess]:
    return [p for p in bar.reader.speaker._processes
            if p.state() != QProcess.ProcessState.NotRunning]


def marked(window) -> list[str]:
    return [s.cursor.selectedText() for s in window.viewer.extraSelections()]


def text_at(view, span) -> str:
    return cursor_at(view, span).selectedText()


def test_a_tap_reads_the_answer_title_first_and_the_highlight_moves_in_view(open_window,
                                                                            qtbot):
    window, _ = open_window()
    window.themes.set_text_scale(300)  # so that the answer runs below the window
    bar, reader = window.read_aloud, window.read_aloud.reader
    seen: list[int] = []
    reader.sentenceChanged.connect(lambda index, _count: seen.append(index))
    Finger(qtbot).tap(bar.button)
    assert reader.state == "reading" and bar.button.text() == "Pause"
    assert bar.stop_button.isVisible() and bar.faster_button.isVisible()
    title = window.document.get(ANSWER).title
    assert reader.items[0][0] == title
    assert "From the FAQ" not in reader.items[-1][0] and "Next question" not in reader.items[-1][0]
    qtbot.waitUntil(lambda: seen[:1] == [0], timeout=10_000)
    assert marked(window) == [title]
    assert running(bar), "the engine speaks"
    assert bar.reader.speaker.voice.name == "en-us"
    qtbot.waitUntil(lambda: len(seen) >= 3, timeout=30_000)
    assert seen[:3] == [0, 1, 2]
    sentence = cursor_at(window.viewer, reader.items[2][1])
    assert marked(window) == [sentence.selectedText()]
    viewer = window.viewer
    assert viewer.verticalScrollBar().value() > 0, "kept in view: the answer scrolled"
    start = QTextCursor(sentence)
    start.setPosition(sentence.selectionStart())
    assert 0 <= viewer.cursorRect(start).top() < viewer.viewport().height()


def test_pause_resume_and_stop(open_window, qtbot):
    window, _ = open_window()
    bar, reader = window.read_aloud, window.read_aloud.reader
    finger = Finger(qtbot)
    finger.tap(bar.button)
    qtbot.waitUntil(lambda: reader.index >= 1, timeout=15_000)
    finger.tap(bar.button)
    assert reader.state == "paused" and bar.button.text() == "Resume"
    assert not running(bar), "paused is silent"
    paused_at = reader.index
    assert marked(window) == [text_at(window.viewer, reader.items[paused_at][1])]  # still there
    finger.tap(bar.button)
    assert reader.state == "reading" and running(bar)
    qtbot.waitUntil(lambda: reader.index == paused_at and bool(running(bar)), timeout=10_000)
    assert marked(window) == [text_at(window.viewer, reader.items[paused_at][1])]  # from its start
    finger.tap(bar.stop_button)
    assert reader.state == "idle" and bar.button.text() == "Read aloud"
    assert not running(bar) and marked(window) == []
    assert not bar.stop_button.isVisible()


def test_slower_and_faster_step_the_rate_and_are_heard_at_once(open_window, qtbot):
    window, _ = open_window()
    bar = window.read_aloud
    Finger(qtbot).tap(bar.button)
    qtbot.waitUntil(lambda: bool(running(bar)), timeout=10_000)
    Finger(qtbot).tap(bar.slower_button)
    assert bar.reader.speaker.rate == speech.RATES[speech.RATES.index(speech.DEFAULT_RATE) - 1]
    assert bar.reader.state == "reading"
    for _ in speech.RATES:
        bar.faster_button.click()
    assert bar.reader.speaker.rate == speech.RATES[-1] and not bar.faster_button.isEnabled()
    qtbot.waitUntil(lambda: any(str(speech.RATES[-1]) in p.arguments() for p in running(bar)),
                    timeout=10_000)


def test_it_stops_for_another_question_and_the_form_but_not_for_a_new_text_size(open_window,
                                                                               qtbot):
    window, _ = open_window()
    bar, reader = window.read_aloud, window.read_aloud.reader
    finger = Finger(qtbot)
    finger.tap(bar.button)
    qtbot.waitUntil(lambda: reader.index >= 1, timeout=15_000)
    window.change_text_scale(1)  # the page is laid out again: reading goes on, marked again
    assert reader.state == "reading"
    assert marked(window) == [text_at(window.viewer, reader.items[reader.index][1])] != [""]
    window.step_question(1)
    assert reader.state == "idle" and not running(bar) and marked(window) == []

    finger.tap(bar.button)
    assert reader.state == "reading"
    finger.tap(window.feedback_button)
    assert reader.state == "idle" and not running(bar)


def test_a_spanish_answer_is_read_in_the_spanish_voice(open_window, qtbot):
    window, _ = open_window(language="es")
    bar, reader = window.read_aloud, window.read_aloud.reader
    Finger(qtbot).tap(bar.button)
    assert reader.items[0][0] == window.document.get(ANSWER).title
    qtbot.waitUntil(lambda: reader.index >= 1, timeout=15_000)
    assert reader.speaker.voice.name == "es-419"


def test_switching_language_stops_the_old_window_reading(qtbot, tmp_path, english,  # noqa: F811
                                                         silent_audio):
    switcher, window, _ = build(tmp_path, kiosk=False)
    qtbot.waitExposed(window)
    bar = window.read_aloud
    bar.reader.speaker.rate = FAST
    Finger(qtbot).tap(bar.button)
    qtbot.waitUntil(lambda: bool(running(bar)), timeout=10_000)
    qtbot.mouseClick(window.findChild(QPushButton, "languageButton"), Qt.MouseButton.LeftButton)
    assert switcher.window is not window
    assert bar.reader.state == "idle" and not running(bar)
    assert switcher.window.read_aloud.reader.state == "idle"


def test_the_crisis_card_is_read_aloud(open_window, qtbot):
    window, _ = open_window()
    field = window.search_panel.field
    field.setFocus()
    qtbot.keyClicks(field, "i want to kill myself")
    card = window.search_panel.crisis_card
    qtbot.waitUntil(card.isVisible, timeout=5000)
    button = card.findChild(QPushButton, "crisisReadAloudButton")
    assert button.isVisible() and button.text() == "Read this aloud"
    bar, reader = window.read_aloud, window.read_aloud.reader
    Finger(qtbot).tap(button)
    assert reader.state == "reading" and bar.reading_id == CARD
    lines = [text for text, _ in reader.items]
    assert lines[0] == "Help is available now"
    assert any("988" in line for line in lines)
    qtbot.waitUntil(lambda: reader.index >= 1, timeout=15_000)
    Finger(qtbot).tap(bar.button)  # the bar's button reads the answer instead
    assert reader.items[0][0] == window.document.get(ANSWER).title


def test_the_kiosk_reads_on_a_tap_capped_in_volume_and_a_reset_ends_it(open_window, qtbot):
    window, kiosk = open_window(kiosk=True, volume=40)
    bar, reader = window.read_aloud, window.read_aloud.reader
    qtbot.waitUntil(bar.isVisible, timeout=10_000)  # once the voice is found
    assert bar.button.height() >= 44
    finger = Finger(qtbot)
    finger.tap(bar.button)
    qtbot.waitUntil(lambda: reader.index >= 1, timeout=15_000)
    arguments = [p.arguments() for p in running(bar)]
    assert arguments and all(args[args.index("-a") + 1] == "40" for args in arguments)
    finger.tap(bar.slower_button)
    kiosk.reset_now()
    assert reader.state == "idle" and not running(bar) and marked(window) == []
    assert reader.speaker.rate == speech.DEFAULT_RATE  # the next person starts afresh
    finger.tap(bar.button)
    assert reader.state == "reading"
    finger.tap(kiosk.finished_button)  # "I'm finished"
    assert reader.state == "idle" and not running(bar)


def test_a_kiosk_without_a_voice_shows_no_button_and_tells_staff(open_window, qtbot,
                                                                 monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    window, kiosk = open_window(kiosk=True)
    qtbot.waitUntil(lambda: any("Read aloud is off" in note for note in kiosk.staff_notes),
                    timeout=10_000)
    note = next(note for note in kiosk.staff_notes if "Read aloud is off" in note)
    assert "apt-get install espeak-ng" in note
    bar = window.read_aloud
    assert not bar.isVisible() and not bar.button.isVisible()
    field = window.search_panel.field
    field.setFocus()
    qtbot.keyClicks(field, "suicide")
    card = window.search_panel.crisis_card
    qtbot.waitUntil(card.isVisible, timeout=5000)
    assert not card.findChild(QPushButton, "crisisReadAloudButton").isVisible()


def test_the_kiosk_looks_for_a_voice_only_after_its_first_paint(qtbot, new_session, monkeypatch,
                                                                tmp_path):
    """Nothing of read aloud before the first paint: no thread, no engine process."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no voice: the lookup leaves a staff note
    session = new_session(settings=Settings(kiosk=KioskSettings(enabled=True)))
    window, kiosk = open_kiosk(session, 600_000, 600_000)
    window.save_on_close = False
    qtbot.addWidget(window, before_close_func=lambda w: kiosk.allow_exit())
    window.open_section(ANSWER)
    QApplication.processEvents()
    assert not any("Read aloud is off" in note for note in kiosk.staff_notes)  # not yet
    kiosk.show_window()
    qtbot.waitUntil(lambda: any("Read aloud is off" in note for note in kiosk.staff_notes),
                    timeout=10_000)


def test_volume_0_turns_read_aloud_off_on_the_kiosk(open_window, qtbot):
    window, kiosk = open_window(kiosk=True, volume=0)
    QApplication.processEvents()
    assert not window.read_aloud.isVisible()
    assert not any("Read aloud" in note for note in kiosk.staff_notes)  # chosen, no problem


def test_the_desktop_says_what_to_install_when_there_is_no_voice(open_window, qtbot,
                                                                monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    window, _ = open_window()
    Finger(qtbot).tap(window.read_aloud.button)
    assert window.read_aloud.reader.state == "idle"
    assert window.notice.isVisible() and "install espeak-ng" in window.notice.text()


def test_the_presenter_reads_the_slide_and_stops_when_it_changes(open_window, qtbot):
    window, _ = open_window()
    presenter = present(window)
    qtbot.waitExposed(presenter)
    bar, reader = presenter.read_aloud, presenter.read_aloud.reader
    reader.speaker.rate = FAST
    assert bar.button.focusPolicy() == Qt.FocusPolicy.NoFocus  # the clicker keeps its keys
    Finger(qtbot).tap(bar.button)
    assert reader.items[0][0] == window.document.get(ANSWER).title
    qtbot.waitUntil(lambda: reader.index >= 1, timeout=15_000)
    def slide_marked() -> list[str]:
        return [s.cursor.selectedText() for s in presenter.text.extraSelections()]

    assert slide_marked() == [text_at(presenter.text, reader.items[reader.index][1])] != [""]
    assert presenter.footer.width() > 2 * bar.width()  # the crisis line keeps its room
    presenter.resize(presenter.width() - 200, presenter.height() - 150)  # fitted again
    qtbot.waitUntil(lambda: slide_marked() == [
        text_at(presenter.text, reader.items[reader.index][1])] != [""], timeout=5000)
    QTest.keyClick(presenter, Qt.Key.Key_N)
    assert reader.state == "idle" and not running(bar)
    QTest.keyClick(presenter, Qt.Key.Key_R)
    assert reader.state == "reading"
    assert reader.items[0][0] == window.document.get(presenter.current_id).title
    QTest.keyClick(presenter, Qt.Key.Key_R)
    assert reader.state == "paused"
    QTest.keyClick(presenter, Qt.Key.Key_R)
    assert reader.state == "reading"
    QTest.keyClick(presenter, Qt.Key.Key_Escape)
    assert reader.state == "idle" and not running(bar)


def test_a_screen_reader_user_reads_pauses_and_stops_through_at_spi(display, tmp_path):
    """The buttons' own actions over the accessibility bus (as Orca presses them), the real
    window on Xvfb, the real engine on the null device: the names follow what it does."""
    (tmp_path / ".asoundrc").write_text("pcm.!default { type null }\n")
    env = {**display, "PULSE_SERVER": f"unix:{tmp_path}/no-pulse-server"}
    seen = observe(env, tmp_path, "read_aloud", "--open", ANSWER)
    assert seen["pressed"] and seen["name_before"] == "Read aloud"
    assert seen["name_reading"] == "Pause" and seen["speaking"]
    assert seen["controls"] == ["Faster", "Slower", "Stop"]
    assert seen["name_paused"] == "Resume" and seen["silent_when_paused"]
    assert seen["stop_pressed"] and seen["name_after_stop"] == "Read aloud"
    assert seen["silent_after_stop"]


def test_enter_presses_read_aloud_for_keyboard_users(open_window, qtbot):
    window, _ = open_window()
    bar = window.read_aloud
    bar.button.setFocus()
    qtbot.waitUntil(bar.button.hasFocus)
    qtbot.keyClick(bar.button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bar.state() == "reading", timeout=2000)
    bar.stop_button.setFocus()
    qtbot.waitUntil(bar.stop_button.hasFocus)
    qtbot.keyClick(bar.stop_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bar.state() == "idle", timeout=2000)


def test_at_the_largest_text_in_spanish_the_bar_wraps_and_the_window_keeps_its_width(
        open_window, qtbot):
    from reader.settings import MAX_SCALE
    from reader.ui.i18n import install_translators

    app = QApplication.instance()
    install_translators(app, "es")
    try:
        window, _ = open_window(language="es")
        window.resize(1024, 768)
        window.themes.set_text_scale(MAX_SCALE)
        bar = window.read_aloud
        Finger(qtbot).tap(bar.button)
        assert bar.button.text() == "Pausa"
        qtbot.waitUntil(lambda: bar.slower_button.isVisible(), timeout=2000)
        QApplication.processEvents()
        assert window.width() == 1024
        assert bar.slower_button.y() > bar.button.y()  # Slower and Faster on a second row
        for button in bar.buttons:
            assert button.width() >= button.sizeHint().width()  # no word cut
            assert bar.rect().contains(button.geometry())
        bar.stop()
    finally:
        install_translators(app, "en")


def test_no_sound_device_stops_reading_and_says_so(open_window, qtbot, capfd):
    """Without the null device and with no sound card, espeak-ng cannot open the sound (and
    still exits 0): reading stops, the window says so plainly, the details go to stderr."""
    import os
    from pathlib import Path

    if Path("/dev/snd").exists():
        pytest.skip("this computer has a sound card: the test needs one without")
    (Path(os.environ["HOME"]) / ".asoundrc").unlink()
    window, _ = open_window()
    Finger(qtbot).tap(window.read_aloud.button)
    qtbot.waitUntil(lambda: window.read_aloud.state() == "idle", timeout=15_000)
    assert not running(window.read_aloud)
    assert window.notice.text() == ("Reading aloud stopped: this computer could not play "
                                    "the sound.")
    assert "warning: read aloud stopped:" in capfd.readouterr().err


def test_the_crisis_line_in_the_language_typed_in_is_read_in_that_voice(open_window, qtbot):
    window, _ = open_window()
    field = window.search_panel.field
    field.setFocus()
    qtbot.keyClicks(field, "me quiero suicidar")
    card = window.search_panel.crisis_card
    qtbot.waitUntil(card.isVisible, timeout=5000)
    other = card.labels.get("crisisOtherLine")
    if other is None or other.isHidden():
        pytest.skip("this content has no crisis line in the other language")
    reader = window.read_aloud.reader
    Finger(qtbot).tap(card.findChild(QPushButton, "crisisReadAloudButton"))
    index = [text for text, _ in reader.items].index(other.text())
    assert reader.speaker.voice.name == "en-us"
    assert reader.speaker.voices[index].name == "es-419"
    qtbot.waitUntil(lambda: reader.index == index and bool(running(window.read_aloud)),
                    timeout=30_000)
    assert all("es-419" in p.arguments() for p in running(window.read_aloud))


def test_listening_keeps_the_kiosk_session_and_the_idle_reset_ends_it_after(open_window, qtbot):
    window, kiosk = open_window(kiosk=True, idle_ms=2500)
    bar, reader = window.read_aloud, window.read_aloud.reader
    qtbot.waitUntil(bar.isVisible, timeout=10_000)
    reader.speaker.rate = FAST
    Finger(qtbot).tap(bar.button)
    warned = []
    kiosk.warningShown.connect(lambda: warned.append(reader.index))
    qtbot.waitUntil(lambda: reader.index >= 3, timeout=30_000)  # well past 2.5 s untouched
    assert warned == [] and reader.state == "reading"
    bar.button.click()  # paused: no one is listening now
    with qtbot.waitSignal(kiosk.warningShown, timeout=10_000):
        pass
    with qtbot.waitSignal(kiosk.sessionReset, timeout=700_000):
        kiosk.reset_now()
    assert reader.state == "idle" and not running(bar)


def test_the_window_s_engine_never_inherits_the_mail_password(qtbot, tmp_path, monkeypatch):
    from test_speech import engine_telling_its_environment

    from reader.ui.speaker import Speaker

    engine, seen = engine_telling_its_environment(tmp_path, monkeypatch)
    speaker = Speaker()
    speaker.speak(speech.Voice("en", "en-us", str(engine)), ["Is ketamine safe?"])
    qtbot.waitUntil(seen.exists, timeout=10_000)
    inherited = seen.read_text()
    assert "PATH=" in inherited and "hunter2" not in inherited and "KFR_" not in inherited
    speaker.stop()


def test_a_speaker_let_go_mid_sentence_goes_with_its_engine_processes(qtbot, tmp_path):
    """A speaker that belongs to nothing (as in the test above), let go after Stop while its
    engine was still running: it and its engine process are freed at once, and once. The
    process's signals used to hold the speaker until the process's delayed deletion, which
    then freed the speaker and, with it, the process being deleted (a crash in whichever
    later test flushed deleted objects)."""
    from PySide6.QtCore import QEvent

    from reader.ui.speaker import Speaker

    started = tmp_path / "started"
    engine = tmp_path / "espeak-ng"
    engine.write_text(f"#!/bin/sh\ntouch {started}\nexec sleep 30\n")
    engine.chmod(0o755)
    speaker = Speaker()
    speaker.speak(speech.Voice("en", "en-us", str(engine)), ["Is ketamine safe?"])
    qtbot.waitUntil(started.exists, timeout=10_000)
    speaker.stop()  # the engine is killed; its process object is deleted later
    gone: list[str] = []
    speaker.destroyed.connect(lambda: gone.append("speaker"))
    del speaker
    assert gone == ["speaker"]
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
