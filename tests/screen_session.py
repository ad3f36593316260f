"""What the tests on real screen sizes share (tests/test_clipping.py with
tests/clipping_probe.py, tests/test_kiosk_crisis_typing.py): a child process on Qt's
offscreen platform with one screen of a given size, waiting on the event loop there, and a
kiosk opened on that screen as a clinic's is.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parent.parent


def screen_env(size: str, folder: Path) -> dict[str, str]:
    """The environment of a child process that sees one screen of `size` ("1024x768")."""
    width, height = (int(n) for n in size.split("x"))
    config = folder / "screens.json"
    config.write_text(json.dumps({"screens": [{
        "name": size, "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {key: value for key, value in os.environ.items() if not key.startswith("QT_")}
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH"))
                                        if p)
    return env


def wait_until(condition, seconds: float = 10.0) -> bool:
    """Runs the event loop until `condition()` holds (True) or `seconds` pass (False)."""
    app = QApplication.instance()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.005)
    return bool(condition())


def settle() -> None:
    """Let posted layout requests and resizes run (a layout settles in a few passes)."""
    app = QApplication.instance()
    for _ in range(4):
        app.processEvents()


def box(widget: QWidget) -> QRect:
    """Where `widget` is on the screen."""
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def open_kiosk_on_screen(language: str, scale: int, data_dir: Path, idle_ms: int = 600_000):
    """A kiosk in `language` at `scale` % text, full screen, its first answer shown:
    (window, controller). Its data (none kept) go to `data_dir`."""
    from reader.config import KioskSettings, Settings
    from reader.paths import resolve_paths
    from reader.ui.i18n import install_translators
    from reader.ui.kiosk import open_kiosk
    from reader.ui.session import ReaderSession

    install_translators(QApplication.instance(), language)
    paths = resolve_paths(content=None, data_dir=data_dir, config=data_dir / "reader.toml")
    paths.ensure_data_dir()
    settings = Settings(kiosk=KioskSettings(enabled=True, text_scale=scale))
    window, controller = open_kiosk(ReaderSession.for_paths(paths, settings, language=language),
                                    idle_ms, 60_000)
    window.open_initial(None)
    controller.show_window()
    wait_until(window.isVisible)
    settle()
    return window, controller


def close_kiosk(window, controller) -> None:
    """Staff's way out, then the window gone (its background search finished first)."""
    controller.allow_exit()
    window.search_panel.wait_idle()
    window.close()
    window.deleteLater()
    settle()
