import faulthandler
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HUNG_TEST_S = 600  # the slowest test (a whole Orca session) takes about 60 s


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """A test that hangs ends the run with every thread's traceback, rather than sleeping
    until CI's time runs out and saying nothing."""
    faulthandler.dump_traceback_later(HUNG_TEST_S, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()

_ISOLATED = ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "LANG", "LANGUAGE",
             "LC_ALL", "LC_MESSAGES", "NOTIFY_SOCKET", "WATCHDOG_USEC")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch):
    """No test reads or writes the real home, config or data, nor inherits a KFR_ setting,
    a language or a systemd socket from whoever runs the suite."""
    for name in list(os.environ):
        if name.startswith("KFR_") or name in _ISOLATED:
            monkeypatch.delenv(name)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="module", autouse=True)
def english_after_each_file():
    """A test file that switches the interface to Spanish leaves English behind it, so that
    the files after it see what a new reader sees, whatever order they run in."""
    yield
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    if app is not None:
        from reader.ui.i18n import install_translators

        install_translators(app, "en")


CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture
def new_session(tmp_path):
    """new_session(content=, settings=, prefs=, language=): a ReaderSession as launch builds
    it, with its data and config in tmp_path; shut down after the test."""
    made = []

    def make(content: Path = CONTENT, settings=None, prefs=None, language: str = "",
             renderer_cache: Path | None = None):
        from reader.config import Settings
        from reader.content import Renderer, load_document
        from reader.paths import resolve_paths
        from reader.settings import Preferences, load_preferences
        from reader.ui.session import ReaderSession

        paths = resolve_paths(content=content, data_dir=tmp_path / "data",
                              config=tmp_path / "reader.toml")
        document = load_document(paths.content_dir, language=language)
        if prefs is None:
            prefs = load_preferences(paths.settings_file) if paths.settings_file.exists() \
                else Preferences()
        session = ReaderSession(document, Renderer(document, renderer_cache), paths,
                                settings or Settings(), prefs)
        made.append(session)
        return session

    yield make
    for session in made:
        session.shutdown()


@pytest.fixture
def outbox(tmp_path):
    """A real outbox file in tmp_path/data, closed after the test."""
    from reader.outbox import Outbox

    with Outbox(tmp_path / "data" / "outbox.sqlite3") as box:
        yield box


@pytest.fixture(scope="module")
def document():
    """The real FAQ, as the reader loads it."""
    from reader.content import load_document

    return load_document(CONTENT)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """(cert, key): a self-signed certificate for 127.0.0.1, for TLS on the test servers."""
    from smtp_helpers import make_certificate

    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def display():
    """An X display (Xvfb at 1366x768) with openbox, for a module's real readers (the AT-SPI
    and Orca tests); its environment has no D-Bus, Qt or Wayland settings of the caller."""
    import shutil
    import subprocess
    import sys

    if not sys.platform.startswith("linux"):
        pytest.skip("an X display with Xvfb is a Linux test")
    missing = [tool for tool in ("Xvfb", "openbox", "dbus-run-session") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian: xvfb openbox dbus)")
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1366x768x24",
                             "-nolisten", "tcp"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    number = xvfb.stdout.readline().decode().strip()
    xvfb.stdout.close()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DBUS_", "QT_", "WAYLAND", "XDG_SESSION"))}
    env.update(DISPLAY=f":{number}", LANGUAGE="en", LC_ALL="C.UTF-8")
    openbox = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        yield env
    finally:
        for process in (openbox, xvfb):
            process.terminate()
            process.wait(10)


@pytest.fixture
def silent_audio(monkeypatch):
    """Speech goes to ALSA's null device (no sound card in tests): $HOME/.asoundrc, and no
    PulseAudio server to find. Skips, naming the package, where the engine is missing."""
    import shutil

    if shutil.which("espeak-ng") is None:
        pytest.skip("read aloud needs the espeak-ng program: apt-get install espeak-ng "
                    "(python3 dev.py test does it when run as root)")
    home = Path(os.environ["HOME"])
    (home / ".asoundrc").write_text("pcm.!default { type null }\n")
    monkeypatch.setenv("PULSE_SERVER", f"unix:{home}/no-pulse-server")
    return home


@pytest.fixture
def make_window(qtbot, new_session):
    """make_window(content=..., open_id=...) builds a window the way launch.run_gui does."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from reader.ui.window import MainWindow

    windows: list = []

    def make(content: Path = CONTENT, open_id: str | None = None):
        window = MainWindow(new_session(content))
        # before pytest-qt closes it: let the search worker finish opening the index
        qtbot.addWidget(window, before_close_func=lambda w: w.search_panel.wait_idle())
        window.open_initial(open_id)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    # pytest-qt has closed them (deleteLater); delete them now, or every later test
    # restyles all the windows before it on each theme or text size change
    windows.clear()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def kiosk_window(qtbot, new_session):
    """kiosk_window(pin=, idle_ms=, warning_ms=, lockout_ms=, staff_notes=, keyboard=): a
    kiosk window and its controller, shown full screen and active, as open_kiosk builds it."""
    from PySide6.QtWidgets import QApplication

    from reader.config import KioskSettings, Settings
    from reader.kiosk import hash_pin
    from reader.ui.kiosk import open_kiosk

    def make(pin: str = "", idle_ms: int = 600_000, warning_ms: int = 600_000,
             lockout_ms: int = 30_000, staff_notes=(), keyboard: bool = True):
        settings = KioskSettings(enabled=True, keyboard=keyboard,
                                 exit_pin_hash=hash_pin(pin, iterations=1000) if pin else "")
        window, controller = open_kiosk(new_session(settings=Settings(kiosk=settings)),
                                        idle_ms, warning_ms, lockout_ms, staff_notes)

        def before_close(w):
            w.search_panel.wait_idle()
            controller.allow_exit()

        qtbot.addWidget(window, before_close_func=before_close)
        window.open_initial(None)
        controller.show_window()
        qtbot.waitExposed(window)
        window.activateWindow()  # as the only window on a kiosk screen is
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        return window, controller

    return make


@pytest.fixture
def finger(qtbot):
    """A finger on the touch screen (tests/touch_helpers.py)."""
    from touch_helpers import Finger

    return Finger(qtbot)
