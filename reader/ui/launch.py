"""Start the window: load config and content with clear errors, show, optionally self-test."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSocketNotifier, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from reader import APP_ID, APP_NAME, __version__
from reader.config import ConfigError, load_config
from reader.content import ContentError, choose_language, load_document
from reader.paths import resolve_paths
from reader.settings import Preferences, load_preferences
from reader.system_memory import keep_heap_compact
from reader.ui.facilitator import install_facilitator_tools
from reader.ui.qapp import application

EXIT_USAGE = 2


class FirstPaint(QObject):
    """Emits `painted` once, right after the watched widget's first paint event."""

    painted = Signal(float)

    def __init__(self, widget):
        super().__init__(widget)
        self._widget = widget
        self.wall_time = self.cpu_time = 0.0  # when it painted: time.time(), process_time()
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self._emit)
        return False

    def _emit(self) -> None:
        self.wall_time, self.cpu_time = time.time(), time.process_time()
        self.painted.emit(time.perf_counter())


def _headless() -> bool:
    return QGuiApplication.platformName() in ("offscreen", "minimal")


def report_error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    if not _headless():
        QMessageBox.critical(None, APP_NAME, message)
    return EXIT_USAGE


def _no_display() -> bool:
    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))


def run_gui(args, started: float | None = None) -> int:
    """`started`: the perf_counter() the self-test times from (main.py's start)."""
    started = time.perf_counter() if started is None else started
    if _no_display():
        if not args.self_test:
            print("error: no display found (DISPLAY and WAYLAND_DISPLAY are not set). Start the "
                  "reader from a desktop session, or set QT_QPA_PLATFORM=offscreen for testing.",
                  file=sys.stderr)
            return EXIT_USAGE
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    keep_heap_compact()  # before Qt starts its threads (reader/system_memory.py)
    existing = QApplication.instance()
    if isinstance(existing, QApplication):  # tests
        app = existing
        app.setStyle("Fusion")
    else:  # Qt makes the style itself: app.setStyle() would wrap it for Python, slowly
        app = QApplication([*sys.argv[:1], "-style", "Fusion"])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    paths = resolve_paths(args.content, args.data_dir, args.config)
    icon = paths.resources_dir / "icon.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    try:
        settings = load_config(paths.config_file)
        language, warning = choose_language(paths.content_dir, args.lang or "",
                                            settings.reader.language)
        if warning:
            print(f"warning: {warning}", file=sys.stderr)
        document = load_document(paths.content_dir, settings.content.crisis_line,
                                 settings.content.danger_line, language)
    except (ConfigError, ContentError) as exc:
        return report_error(str(exc))
    from reader.crisis import crisis_problems

    crisis_notes = crisis_problems(paths.content_dir)  # the built-in crisis words still work
    staff_notes = [*settings.problems, *document.problems, *crisis_notes]  # not for patients
    for problem in staff_notes:
        print(f"warning: {problem}", file=sys.stderr)
    from reader.ui.i18n import install_translators
    for warning in install_translators(app, language):  # the language chosen for the FAQ
        print(f"warning: {warning}", file=sys.stderr)
    try:
        paths.ensure_data_dir()  # owner-only before anything (caches, outbox) is written
    except OSError as exc:
        print(f"warning: {paths.data_dir} cannot be created ({exc.strerror}); "
              "nothing will be remembered", file=sys.stderr)

    from reader.ui.languages import LanguageSwitcher

    kiosk_mode = bool(args.kiosk or settings.kiosk.enabled)
    # a kiosk remembers nothing of the readers before: it starts from the defaults
    prefs = Preferences() if kiosk_mode else load_preferences(paths.settings_file)
    # a kiosk offers no printing (its save dialog would open the disk) and no presenting
    switcher = LanguageSwitcher(paths, settings, prefs, kiosk_mode, language, staff_notes,
                                None if kiosk_mode else install_facilitator_tools)
    window, kiosk = switcher.build(document)
    switcher.adopt(window, kiosk)
    session, renderer = window.session, window.renderer
    window.open_initial(args.open)
    if kiosk is None and staff_notes:  # a kiosk shows them to staff, behind the PIN
        notice = _staff_notice(settings, document, crisis_notes)
        window.show_notice(f"{window.notice.text()}\n{notice}".strip())

    first_paint = FirstPaint(window.viewer.viewport())
    first_paint.painted.connect(lambda _t: renderer.complete_cache())
    first_paint.painted.connect(lambda _t: window.search_panel.warm_up())
    first_paint.painted.connect(lambda _t: QTimer.singleShot(200, session.start_sender))
    _notify_systemd(app, first_paint)
    _stop_on_signals(app, lambda: (switcher.window, switcher.controller))
    if os.environ.get("KFR_QUIT_AFTER_FIRST_PAINT"):  # bench_startup, and tests
        window.save_on_close = False

        def quit_after_paint(_t) -> None:
            print(json.dumps({"first_paint": first_paint.wall_time,
                              "cpu": first_paint.cpu_time}), flush=True)
            if switcher.controller is not None:  # a kiosk window refuses to close otherwise
                switcher.controller.allow_exit()
            app.quit()

        first_paint.painted.connect(quit_after_paint)
    if args.self_test:
        first_paint.painted.connect(
            lambda t: QTimer.singleShot(0, lambda: _self_test(window, t, started)))
    if kiosk is not None:
        kiosk.show_window()
    else:
        window.show()
    return app.exec()


def _staff_notice(settings, document, crisis_notes=()) -> str:
    lines = []
    if settings.problems:
        path = str(settings.source)
        first = settings.problems[0].removeprefix(f"{path}: ")
        more = len(settings.problems) - 1
        line = QCoreApplication.translate("launch", "Settings problem in {path}: {problem}").format(
            path=path, problem=first.rstrip("."))
        line += (QCoreApplication.translate(
            "launch", " (and {more} more: 'main.py config check' lists them).").format(more=more)
            if more else ".")
        if any("[smtp]" in problem for problem in settings.problems):
            line += QCoreApplication.translate(
                "launch", " Email is off until [smtp] is fixed; feedback waits in the outbox.")
        lines.append(line)
    if document.problems:
        lines.append(QCoreApplication.translate(
            "launch", "Some pages could not be read: {problem}").format(
                problem=document.problems[0]))
    if crisis_notes:
        lines.append(QCoreApplication.translate(
            "launch", "The crisis word list needs fixing: {problem}. The built-in crisis words "
            "are still checked; 'main.py content check' names every problem.").format(
                problem=crisis_notes[0]))
    return "\n".join(lines)


def _notify_systemd(app, first_paint) -> None:
    """READY=1 after the first paint, then WATCHDOG=1 from a timer on this, the GUI, thread."""
    if not os.environ.get("NOTIFY_SOCKET"):
        return  # not under systemd: nothing to import or time
    from reader.sdnotify import Notifier

    notifier = Notifier()
    if not notifier.enabled:
        return
    timer = QTimer(app)
    timer.setInterval(round(notifier.ping_seconds * 1000))
    timer.timeout.connect(notifier.ping)
    first_paint.painted.connect(lambda _t: (notifier.ready(), timer.start()))
    app.aboutToQuit.connect(notifier.stopping)
    hang = os.environ.get("KFR_TEST_HANG_GUI")  # "AFTER,SECONDS": tests block this thread
    if hang:
        after, seconds = (float(part) for part in hang.split(","))
        first_paint.painted.connect(lambda _t: QTimer.singleShot(
            round(after * 1000), lambda: time.sleep(seconds)))


def _stop_on_signals(app, current) -> None:
    """SIGTERM (systemd's stop) and SIGINT (Ctrl+C) end the reader the normal way: the
    window saves what it keeps, the session stops its sender and closes the outbox, systemd
    hears STOPPING=1 (aboutToQuit), exit 0. Python runs a signal handler only between
    bytecodes, so the signal also writes a byte to a socket Qt watches: the event loop wakes,
    the handler runs, and the stop happens in the loop, the Qt way."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may handle signals (a test's window elsewhere)
    receiver, sender = socket.socketpair()
    for end in (receiver, sender):
        end.setblocking(False)
    old_fd = signal.set_wakeup_fd(sender.fileno(), warn_on_full_buffer=False)
    notifier = QSocketNotifier(receiver.fileno(), QSocketNotifier.Type.Read, app)
    notifier.activated.connect(lambda *_: _drain(receiver))
    app._signal_sockets = (receiver, sender, notifier)  # kept as long as the application

    def stop(signum, _frame) -> None:
        print(f"{signal.Signals(signum).name}: stopping", file=sys.stderr, flush=True)
        QTimer.singleShot(0, app, lambda: _stop(app, *current()))

    old = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGINT)}

    def restore() -> None:  # the loop has ended: Python's own handling again
        app.aboutToQuit.disconnect(restore)
        for number, handler in old.items():
            signal.signal(number, handler)
        try:
            signal.set_wakeup_fd(old_fd)
        except (OSError, ValueError):  # that one was closed meanwhile
            signal.set_wakeup_fd(-1)
        notifier.setEnabled(False)
        receiver.close()
        sender.close()

    app.aboutToQuit.connect(restore)


def _drain(receiver: socket.socket) -> None:
    try:
        while receiver.recv(64):
            pass
    except OSError:  # empty: BlockingIOError
        pass


def _stop(app, window, kiosk) -> None:
    """As staff leave a kiosk (or a reader closes the window), whatever the window says."""
    if kiosk is not None:
        kiosk.allow_exit()
    if window is not None:
        window.close()
        window.finish()  # done already, unless something refused to close
    app.exit(0)


def _self_test(window, painted_at: float, started: float) -> None:
    """Open a question, run a search, quit; the last stdout line is a JSON verdict."""
    result: dict[str, object] = {"ok": False, "version": __version__,
                                 "first_paint_s": round(painted_at - started, 4)}
    try:
        document = window.document
        target = document.sections[min(1, len(document.sections) - 1)]
        t0 = time.perf_counter()
        opened = window.open_section(target.id)
        QApplication.processEvents()
        result["open_s"] = round(time.perf_counter() - t0, 4)
        opened_id = target.id if opened and window.current_id == target.id else None
        result["opened"] = opened_id
        t0 = time.perf_counter()
        hits: int = window.self_test_search(target.title)
        result["search_hits"] = hits
        result["search_s"] = round(time.perf_counter() - t0, 4)
        result["sections"] = len(document.sections)
        crisis = window.session.crisis_words()
        result["crisis_phrases"] = {code: counts["phrases"]
                                    for code, counts in crisis.counts().items()}
        result["crisis_patterns"] = {code: counts["patterns"]
                                     for code, counts in crisis.counts().items()}
        result["crisis_problems"] = crisis.problems
        caught = crisis.matches("i want to kill myself") and crisis.matches("no quiero vivir")
        result["ok"] = bool(opened_id) and hits > 0 and caught  # the built-in words hold
    except Exception as exc:  # the verdict must be printed whatever failed
        result["error"] = f"{type(exc).__name__}: {exc}"
    window.save_on_close = False
    print(json.dumps(result), flush=True)
    application().exit(0 if result["ok"] else 1)
