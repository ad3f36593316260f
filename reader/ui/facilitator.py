"""A facilitator's tools in a desktop window's menus: the session plan (Session menu, and
the question list's and search results' context menus), present (F5) and print or save a
handout (Ctrl+P). The presenter and handout modules load on first use: QtPrintSupport is
slow to load, and most readers never present or print. A kiosk has none of these."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from reader.ui.roles import ID_ROLE


def install_facilitator_tools(window) -> None:
    install_plan(window)
    install_presenter(window)
    install_handout(window)


def install_plan(window) -> QMenu:
    """Session plan → add this question / the search results, remove, order and print,
    clear. The plan itself is the session's (reader/plan.py)."""
    plan, document = window.session.plan, window.document
    menu = QMenu(QCoreApplication.translate("Plan", "Session &plan"), window)
    menu.setObjectName("planMenu")
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
    summary = menu.addAction("")
    summary.setEnabled(False)
    add = window.add_action(
        QCoreApplication.translate("Plan", "&Add this question to the plan"),
        lambda: plan.add([window.current_id]), ["Ctrl+D"])
    add_results = window.add_action(
        QCoreApplication.translate("Plan", "Add the search &results to the plan"),
        lambda: plan.add(result_ids(window)), ["Ctrl+Shift+D"])
    remove = window.add_action(
        QCoreApplication.translate("Plan", "Re&move this question from the plan"),
        lambda: plan.remove(window.current_id))
    clear = window.add_action(QCoreApplication.translate("Plan", "&Clear the plan"),
                              plan.clear)
    order = window.add_action(
        QCoreApplication.translate("Plan", "&Order and print the plan…"),
        lambda: _open_handout(window))
    for action in (add, add_results, remove):
        menu.addAction(action)
    menu.addSeparator()
    for action in (order, clear):
        menu.addAction(action)

    def update(_ids=None) -> None:
        count = len([i for i in plan.ids if document.get(i) is not None])
        summary.setText(QCoreApplication.translate(
            "Plan", "Plan: {count} of the {total} questions").format(
                count=count, total=len(document.sections)) if count
            else QCoreApplication.translate(
                "Plan", "No plan: the whole FAQ is presented and printed"))
        clear.setEnabled(count > 0)

    menu.aboutToShow.connect(update)
    plan.subscribe(update)
    window.destroyed.connect(lambda *_: plan.unsubscribe(update))
    update()
    for view in (window.sidebar, window.search_panel.results):
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(
            lambda pos, view=view: plan_context_menu(window, view, pos).popup(
                view.viewport().mapToGlobal(pos)))
    return menu


def result_ids(window) -> list[str]:
    """The ids of the search results shown now, in their order."""
    results = window.search_panel.results
    return [results.item(row).data(ID_ROLE) for row in range(results.count())
            if results.item(row).data(ID_ROLE)]


def plan_context_menu(window, view, pos: QPoint) -> QMenu:
    """Add or remove the question under `pos`; in the results, all of them."""
    plan, menu = window.session.plan, QMenu(view)
    menu.setObjectName("planContextMenu")
    index = view.indexAt(pos)
    section_id = index.data(ID_ROLE) if index.isValid() else None
    if section_id and section_id in plan:
        menu.addAction(QCoreApplication.translate("Plan", "Remove from the session plan"),
                       lambda: plan.remove(section_id))
    elif section_id:
        menu.addAction(QCoreApplication.translate("Plan", "Add to the session plan"),
                       lambda: plan.add([section_id]))
    if view is window.search_panel.results and result_ids(window):
        menu.addAction(
            QCoreApplication.translate("Plan", "Add all these results to the session plan"),
            lambda: plan.add(result_ids(window)))
    return menu


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
