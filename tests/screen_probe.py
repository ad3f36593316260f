"""Open the reader's first window on the real screen it is given; print what fits, as JSON.

Run by tests/test_screens.py under Xvfb with a window manager (openbox), one screen size
per run, with the venv's Python:

    python tests/screen_probe.py DATA_DIR [TEXT_SCALE] [--save] [--geometry X,Y,W,H] [--present]

--geometry moves and sizes the window after it opened (as a person would), --save closes it
the way a reader does, so the geometry is remembered for the next start; --present opens the
presentation (F5) on the first question and reports its first slide.

The window is built the way reader/ui/launch.py builds it (the saved preferences in
DATA_DIR included); the probe waits until the window manager has framed it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QToolButton

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.paths import resolve_paths  # noqa: E402
from reader.settings import load_preferences  # noqa: E402


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def settle(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def first_slide(app, window) -> dict:
    from reader.ui.presenter import present

    window.open_section(window.document.home.id)
    shown = present(window)
    settle(app, 1.0)
    seen = {"full_screen": shown.isFullScreen(), "base_px": shown._base_px,
            "first_px": shown._font_px, "footer_px": shown.footer.fontInfo().pixelSize(),
            "footer_wraps": shown.footer.wordWrap()}
    shown.go(1)
    shown.go(0)
    settle(app, 0.3)
    seen["again_px"] = shown._font_px
    shown.close()
    return seen


def main(argv: list[str]) -> int:
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    from reader.ui.session import ReaderSession
    from reader.ui.window import MainWindow

    save, presenting = "--save" in argv, "--present" in argv
    argv = [a for a in argv if a not in ("--save", "--present")]
    place = None
    if "--geometry" in argv:
        at = argv.index("--geometry")
        place = [int(n) for n in argv[at + 1].split(",")]
        del argv[at:at + 2]
    data = Path(argv[0])
    paths = resolve_paths(content=None, data_dir=data, config=data / "reader.toml")
    prefs = load_preferences(paths.settings_file)
    if len(argv) > 1:
        prefs.text_scale = int(argv[1])
    window = MainWindow(ReaderSession.for_paths(paths, prefs=prefs))
    window.open_initial(None)
    window.show()
    end = time.monotonic() + 5
    while time.monotonic() < end and window.frameGeometry() == window.geometry():
        settle(app, 0.05)  # the window manager's frame arrives after the window is mapped
    settle(app, 0.5)
    if place:
        window.setGeometry(*place)
        settle(app, 0.5)
    footer = window.footer
    buttons = [button for button in window.toolbar.findChildren(QToolButton)
               if button.objectName() != "qt_toolbar_ext_button"]
    extension = window.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    result = {
        "screen": rect(window.screen().availableGeometry()),
        "frame": rect(window.frameGeometry()),
        "inner": rect(window.geometry()),
        "footer": {"height": footer.height(), "needed": footer.heightForWidth(footer.width()),
                   "visible": footer.isVisible(),
                   "bottom": footer.mapTo(window, footer.rect().bottomLeft()).y(),
                   "font_px": footer.fontInfo().pixelSize()},
        "window_height": window.height(),
        "feedback_visible": window.feedback_button.isVisible()
        and window.rect().contains(window.feedback_button.geometry().translated(
            window.toolbar.pos())),
        "toolbar_overflow": bool(extension and extension.isVisible()),
        "buttons_visible": all(b.isVisible() for b in buttons if b.defaultAction()),
        "sidebar_width": window.sidebar.width(),
        "sidebar_font_px": window.sidebar.fontInfo().pixelSize(),
        "splitter": window.splitter.sizes(),
    }
    if presenting:
        result["presenter"] = first_slide(app, window)
    print(json.dumps(result), flush=True)
    window.save_on_close = save
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
