"""The reader's own accessible interfaces (reader/ui/accessibility.py), in process: what
the AT-SPI bridge hands to screen readers. tests/test_atspi.py and tests/test_orca.py read
the same through the real bus and real Orca."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAccessible

from reader.ui import accessible_interfaces

Role, Text = QAccessible.Role, QAccessible.Text


def interface(widget):
    return QAccessible.queryAccessibleInterface(widget)


def test_the_answer_is_a_document_of_headings_paragraphs_and_links(window):
    answer = interface(window.viewer)
    assert isinstance(answer, accessible_interfaces.AnswerDocument)
    assert answer.role() == Role.Document
    assert answer.textInterface().text(0, 14) == "About ketamine"  # Qt's own text, kept
    parts = [answer.child(i) for i in range(answer.childCount())]
    heading = next(p for p in parts if p.role() == Role.Heading)
    assert heading.text(Text.Name) == "What is ketamine?"
    attributes = heading.attributesInterface()
    assert attributes.attributeValue(QAccessible.Attribute.Level) == 1
    assert attributes.attributeValue(QAccessible.Attribute.Locale).name() == "en_US"
    links = [p.child(j) for p in parts for j in range(p.childCount())]
    assert [link.role() for link in links] == [Role.Link] * len(links)
    assert links[0].text(Text.Name) == "safe track record"
    assert links[0].actionInterface().actionNames() == ["jump"]


def test_a_links_jump_action_follows_it(qtbot, window):
    answer = interface(window.viewer)
    last = answer.child(answer.childCount() - 1)  # "Next question: Is ketamine safe?"
    link = last.child(0)
    with qtbot.waitSignal(window.viewer.anchorClicked, timeout=2000) as clicked:
        link.actionInterface().doAction("jump")
    assert clicked.args[0] == QUrl("#is-ketamine-safe")


def test_h_and_k_move_to_the_next_heading_and_link(qtbot, window):
    viewer = window.viewer
    viewer.setFocus()
    qtbot.keyClick(viewer, Qt.Key.Key_H)
    assert viewer.textCursor().selectedText() == "What is ketamine?"
    qtbot.keyClick(viewer, Qt.Key.Key_K)
    assert viewer.textCursor().selectedText() == "safe track record"
    qtbot.keyClick(viewer, Qt.Key.Key_K)
    assert viewer.textCursor().selectedText() == "veterinary medicine"
    qtbot.keyClick(viewer, Qt.Key.Key_K, Qt.KeyboardModifier.ShiftModifier)
    assert viewer.textCursor().selectedText() == "safe track record"
    assert window.current_id == "what-is-ketamine"  # moving follows nothing


def test_the_crisis_card_is_a_notification_named_by_all_it_shows(window):
    card = window.search_panel.crisis_card
    shown = interface(card)
    assert shown.role() == Role.Notification
    name = shown.text(Text.Name)
    assert name.startswith("Help is available now.") and "988" in name and "911" in name


def test_the_question_lists_selection_is_the_open_question(window):
    # a question under a group: Qt's own Selection counted its place in the group
    assert window.open_section("where-to-get-treatment")
    title = "Where can I get ketamine treatment?"
    selection = interface(window.sidebar).selectionInterface()
    assert selection.selectedItemCount() == 1
    assert selection.selectedItem(0).text(Text.Name) == title


def test_enter_presses_a_toolbar_button(qtbot, window):
    button = window.toolbar.widgetForAction(window.larger_action)
    before = window.prefs.text_scale
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.prefs.text_scale > before)


def test_the_answer_pane_shows_a_focus_ring_in_every_theme(qtbot, window):
    from PySide6.QtGui import QColor

    from reader.ui.theme import COLOURS

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for name in ("light", "dark", "contrast"):
        window.set_theme(name)
        ring = QColor(COLOURS[name]["focus"])
        for focused in (window.viewer, window.sidebar):
            focused.setFocus()
            qtbot.waitUntil(lambda w=focused: w.hasFocus())
            image = window.viewer.grab().toImage()
            edge = [image.pixelColor(x, image.height() // 2) for x in (0, 1)]
            assert (edge == [ring, ring]) == (focused is window.viewer), (name, focused)


def _held_interfaces() -> list:
    """The Python wrappers alive of Qt-made interfaces, and of the answer's parts."""
    import gc

    import shiboken6
    from PySide6.QtGui import QAccessibleInterface

    gc.collect()
    return [held for held in shiboken6.getAllValidWrappers()
            if isinstance(held, QAccessibleInterface)
            and (not shiboken6.createdByPython(held)
                 or isinstance(held, accessible_interfaces._PartInterface))]


def test_no_interface_is_held_past_its_window(qtbot, new_session):
    """Qt deletes its interfaces with their widgets, unseen by PySide: a wrapper kept past
    that is handed out again for the next C++ object made at its address (on Debian's
    Python a list's delegate came back as a QAccessibleWidget, and the suite crashed)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from reader.ui.window import MainWindow

    before = {id(held) for held in _held_interfaces()}
    window = MainWindow(new_session())
    window.open_initial(None)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.search_panel.searched, timeout=10_000):
        qtbot.keyClicks(window.search_panel.field, "i want to die")  # the crisis card
    qtbot.waitUntil(window.search_panel.crisis_card.isVisible)
    for widget in (window, window.viewer, window.sidebar, window.search_panel.crisis_card):
        shown = interface(widget)  # as a screen reader walks them
        for index in range(shown.childCount()):
            child = shown.child(index)
            for inner in range(child.childCount()):
                child.child(inner).text(Text.Name)
    interface(window.sidebar).selectionInterface().selectedItem(0)
    accessible_interfaces.announce(window.viewer, "3 results")
    del shown, child
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    left = [type(held).__name__ for held in _held_interfaces() if id(held) not in before]
    assert left == []
