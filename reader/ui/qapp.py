"""The running QApplication, typed: QApplication.instance() is a QCoreApplication or None."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def application() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication), "a QApplication must exist before any widget"
    return app
