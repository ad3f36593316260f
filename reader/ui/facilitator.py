"""A facilitator's tools in a desktop window's menus: present (F5) and print or save a
handout (Ctrl+P). Their modules load on first use: QtPrintSupport is slow to load, and most
readers never present or print."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence


def install_facilitator_tools(window) -> None:
    install_presenter(window)
    install_handout(window)


def install_presenter(window) -> QAction:
    """View → Present (F5). Not on the toolbar: most readers never present."""
    action = window.add_action(
        QCoreApplication.translate("Presenter", "&Present"), lambda: _present(window), ["F5"],
        QCoreApplication.translate("Presenter",
                                   "Present one question per screen, in large type (F5)"))
    window.view_menu.addSeparator()
    window.view_menu.addAction(action)
    return action


def install_handout(window) -> QAction:
    """File → Print or save handout… (Ctrl+P), before Quit."""
    action = window.add_action(
        QCoreApplication.translate("Handout", "&Print or save handout…"),
        lambda: _open_handout(window), [QKeySequence.StandardKey.Print],
        QCoreApplication.translate("Handout",
                                   "Print the questions, or save them as a PDF handout (Ctrl+P)"))
    window.file_menu.insertAction(window.quit_action, action)
    window.file_menu.insertSeparator(window.quit_action)
    return action


def _present(window) -> None:
    from reader.ui.presenter import present

    present(window)


def _open_handout(window) -> None:
    from reader.ui.handout import open_handout_dialog

    open_handout_dialog(window)
