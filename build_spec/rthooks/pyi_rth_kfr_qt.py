"""Runtime hook replacing PyInstaller's pyi_rth_pyside6 (removed from a.scripts in the spec).

The stock hook imports PySide6.QtCore at process start, only to check for an embedded
qt.conf that the PyPI PySide6 wheel creates itself when it is imported. That costs every
CLI subcommand (`search`, `outbox send` from a scheduler...) ~60 ms of Qt import it never
needs. Here: the environment part only, no imports; the window imports Qt when it starts.
"""

import os
import sys


def _kfr_qt_paths() -> None:
    base = sys._MEIPASS
    qt = os.path.join(base, "PySide6") if sys.platform == "win32" else \
        os.path.join(base, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")


_kfr_qt_paths()
del _kfr_qt_paths
