"""The reader session beside the window, the one background runner, the theme manager and
the kiosk policy: the shape issue 10 asked for, checked with the real parts."""

from __future__ import annotations

import os
import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMainWindow, QScrollArea, QScroller, QSplitter, QWidget
from smtp_helpers import Inbox, settings_for, smtp_server

from reader.config import Settings
from reader.feedback import FeedbackInput
from reader.settings import Preferences
from reader.ui.session import WindowPolicy
from reader.ui.tasks import BackgroundRunner
from reader.ui.theme import COLOURS, ThemeManager, ui_point_size
from reader.ui.window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_index_is_opened_once_whatever_the_threads(new_session):
    session = new_session()
    found, barrier = [], threading.Barrier(4)

    def open_it():
        barrier.wait()
        found.append(session.search_index())

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 4 and all(index is found[0] for index in found)
    assert found[0].search("insurance").results


def test_no_sender_without_email_or_waiting_mail(qtbot, new_session):
    session = new_session()
    session.start_sender()
    assert session.outbox_worker is None  # nothing to send, nowhere to send it
    assert not session.paths.outbox_file.exists()


def test_submit_stores_then_the_sender_delivers(qtbot, new_session):
    inbox = Inbox()
    with smtp_server(inbox) as server:
        session = new_session(settings=Settings(smtp=settings_for(server.port)))
        message_id = session.submit_feedback(FeedbackInput(name="Ana", comments="Clear."))
        assert message_id and session.outbox_worker is not None
        qtbot.waitUntil(lambda: len(inbox.messages) == 1, timeout=10_000)
        qtbot.waitUntil(lambda: not session.sending(), timeout=5000)
    assert "Clear." in inbox.messages[0].get_content()


def test_shutdown_stops_the_sender_before_the_outbox_closes(qtbot, new_session):
    session = new_session(settings=Settings(smtp=settings_for(1)))  # nothing listens there
    session.submit_feedback(FeedbackInput(name="Ana", comments="Kept for later."))
    assert session.outbox_worker is not None
    session.shutdown()
    assert session._outbox is None  # closed only once the sender's run had ended
    session.shutdown()  # twice is fine


def test_runner_delivers_results_and_errors_on_the_gui_thread(qtbot):
    runner = BackgroundRunner()
    seen = []

    def work():
        seen.append(("work", QThread.currentThread() is QApplication.instance().thread()))
        return 42

    def boom():
        raise ValueError("no")

    runner.run(work, lambda result: seen.append(("done", result, _on_gui())))
    runner.run(boom, lambda _r: seen.append("never"),
               lambda exc: seen.append(("failed", str(exc), _on_gui())))
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert seen == [("work", False), ("done", 42, True), ("failed", "no", True)]
    assert not runner.busy()


def test_runner_drops_queued_jobs(qtbot):
    runner = BackgroundRunner()
    started, release, done = threading.Event(), threading.Event(), []

    def slow():
        started.set()
        release.wait(5)
        return "first"

    runner.run(slow, done.append)
    assert started.wait(5)
    runner.run(lambda: "stale", done.append)
    runner.drop_queued()
    runner.run(lambda: "newest", done.append)
    release.set()
    qtbot.waitUntil(lambda: len(done) == 2, timeout=5000)
    assert runner.wait(5000)
    assert done == ["first", "newest"] and not runner.busy()


def _on_gui() -> bool:
    return QThread.currentThread() is QApplication.instance().thread()


def test_theme_manager_owns_the_look_and_tells_the_window(qtbot, new_session):
    session = new_session(prefs=Preferences(theme="light"))
    window = MainWindow(session)
    qtbot.addWidget(window, before_close_func=lambda w: w.search_panel.wait_idle())
    window.open_initial(None)
    themes = window.themes
    assert isinstance(themes, ThemeManager)
    with qtbot.waitSignal(themes.changed):
        window.set_theme("contrast")
    app = QApplication.instance()
    assert app.palette().base().color().name() == COLOURS["contrast"]["base"]
    assert COLOURS["contrast"]["base"] in window.viewer.document().defaultStyleSheet()
    with qtbot.waitSignal(themes.changed):
        window.change_text_scale(1)
    assert session.prefs.text_scale == 110
    assert f"font-size: {ui_point_size(110)}pt" in app.styleSheet()


def test_a_kiosk_policy_is_given_not_patched(qtbot, new_session):
    shown, allowed = [], [False]
    policy = WindowPolicy(kiosk=True, remember=False, may_close=lambda: allowed[0],
                          show_link=shown.append, extra_stylesheet="\nQToolBar { margin: 3px; }",
                          crisis_note="Tell the front desk.")
    window = MainWindow(new_session(), policy)
    qtbot.addWidget(window, before_close_func=lambda w: w.search_panel.wait_idle())
    window.open_initial(None)
    assert not window.save_on_close and window.kiosk
    assert window.open_external == shown.append
    assert "QToolBar { margin: 3px; }" in QApplication.instance().styleSheet()
    assert window.search_panel.crisis_card.crisis.staff_note == "Tell the front desk."
    window.show()
    assert not window.close()  # refused by the policy
    assert window.isVisible()
    allowed[0] = True
    assert window.close()


KIOSK_PARTS = ("kioskBody", "kioskReader", "kioskQuestionColumn", "kioskQuestionScroll",
               "kioskClearSearch")


def _widgets(layout) -> list:
    return [layout.itemAt(i).widget() or layout.itemAt(i).layout() for i in range(layout.count())]


def test_the_window_builds_the_body_its_policy_asks_for(qtbot, new_session, monkeypatch):
    """A kiosk policy alone, before any KioskController, gives the kiosk's body: the crisis
    card above both panes, the search field above the scrolled question column and "Clear
    search" at the top of the panel. The controller then only adds to it: nothing is taken
    out or replaced. A desktop window has none of these parts."""
    from reader.config import KioskSettings
    from reader.ui.kiosk import KioskController

    def refused(*_args):
        raise AssertionError("the window's body was rebuilt from outside")

    monkeypatch.setattr(QMainWindow, "takeCentralWidget", refused)
    monkeypatch.setattr(QSplitter, "replaceWidget", refused)
    session = new_session(settings=Settings(kiosk=KioskSettings(enabled=True)))
    controller = KioskController(session.settings.kiosk)
    window = MainWindow(session, controller.policy(session.paths.resources_dir))
    qtbot.addWidget(window, before_close_func=lambda w: (w.search_panel.wait_idle(),
                                                         controller.allow_exit()))
    panel, body = window.search_panel, window.centralWidget()
    assert body is window.kiosk_body and body.objectName() == "kioskBody"
    assert _widgets(window.body_layout) == [window.pages]
    assert window.pages.currentWidget() is window.reader_page
    assert window.reader_page.objectName() == "kioskReader"
    assert _widgets(window.reader_page.layout()) == [panel.crisis_card, window.splitter]
    column = window.splitter.widget(0)
    assert column is window.question_column and column.objectName() == "kioskQuestionColumn"
    field_row, scroll = _widgets(column.layout())
    assert _widgets(field_row) == [panel.field] and scroll is window.column_scroll
    assert scroll.objectName() == "kioskQuestionScroll" and scroll.widget() is window.left
    assert QScroller.hasScroller(scroll.viewport())
    assert window.splitter.widget(1) is window.answer_pane and window.splitter.count() == 2
    assert _widgets(panel.box)[0] is window.clear_button
    assert panel.crisis_card not in _widgets(panel.box) and panel.field not in _widgets(panel.box)
    assert window.clear_button.objectName() == "kioskClearSearch"
    assert not panel.field.isClearButtonEnabled()
    assert window.findChild(QScrollArea, "leftPaneScroller") is None

    controller.attach(window)
    assert window.centralWidget() is body and window.splitter.widget(0) is column
    assert _widgets(window.body_layout) == [window.pages, controller.keyboard]
    assert controller.clear_button is window.clear_button

    desktop = MainWindow(new_session())
    qtbot.addWidget(desktop, before_close_func=lambda w: w.search_panel.wait_idle())
    assert desktop.centralWidget() is desktop.splitter
    assert all(desktop.findChild(QWidget, name) is None for name in KIOSK_PARTS)
    assert _widgets(desktop.search_panel.box)[:2] == [desktop.search_panel.field,
                                                      desktop.search_panel.crisis_card]
    assert desktop.search_panel.field.isClearButtonEnabled()


def test_a_kiosk_closed_while_its_voice_is_looked_for_is_deleted_at_once(
        new_session, qtbot, tmp_path, monkeypatch):
    """The window's deletion used to wait for the lookup's thread while holding the GIL
    that thread needed: the program hung for good (CI's 90 minutes, once)."""
    import stat

    from PySide6.QtCore import QEvent

    from reader.config import KioskSettings
    from reader.ui.kiosk import open_kiosk

    started, finished = tmp_path / "started", tmp_path / "finished"
    program = tmp_path / "bin" / "espeak-ng"
    program.parent.mkdir()
    program.write_text(f"#!/bin/sh\ntouch {started}\nsleep 4\ntouch {finished}\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{program.parent}:{os.environ['PATH']}")
    window, controller = open_kiosk(new_session(settings=Settings(kiosk=KioskSettings(
        enabled=True))), 600_000, 600_000, 30_000, ())
    window.open_initial(None)
    controller.show_window()
    qtbot.waitUntil(started.exists, timeout=10_000)  # after the first paint
    controller.allow_exit()
    window.search_panel.wait_idle()
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not finished.exists()  # deleted while the engine still ran


_EXIT_WHILE_BUSY = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from reader.ui.tasks import BackgroundRunner

app = QApplication([])
runner = BackgroundRunner()

def busy():
    end = time.perf_counter() + 0.02
    while time.perf_counter() < end:
        pass

for _ in range(400):
    runner.run(busy, lambda _r: None)
QTimer.singleShot(100, app.quit)
app.exec()
"""


def test_a_program_that_quits_while_work_runs_exits_cleanly(tmp_path):
    """A worker that finished while Qt tore itself down at exit emitted into it: a
    segmentation fault about one exit in ten (systemd saw the kiosk crash at each stop)."""
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": root}
    for _ in range(12):
        result = subprocess.run([sys.executable, "-c", _EXIT_WHILE_BUSY], env=env,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr[-2000:]
