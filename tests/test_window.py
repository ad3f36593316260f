"""The main window, driven as a reader would: sidebar, links, history, text size, themes."""

from __future__ import annotations

import base64
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # until tests/conftest.py sets it

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import (
    QAccessible,
    QFontMetrics,
    QKeySequence,
    QMouseEvent,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QToolButton,
    QTreeWidget,
)

from reader.ui import theme
from reader.ui.theme import DOCUMENT_POINT_SIZE as BASE_POINT_SIZE
from reader.ui.viewer import Viewer

CONTENT = Path(__file__).resolve().parent.parent / "content"
HOME = "what-is-ketamine"

FILLER = "\n".join(f"Filler paragraph {n} to make the page scroll.\n" for n in range(40))
LINKS_MD = """# Links

## First page {#first}

Go to [the second page](#second), or read [on the web](https://example.org/page),
write to [us](mailto:team@example.org), or try [a script](javascript:alert(1)).
Also [a heading](#details) on this page.

{filler}
### Details

Details text.

## Second page {#second}

The second answer. Raw <b>x</b> and <script>alert(1)</script> stay text.

![remote picture](http://example.com/track.png)
"""


@pytest.fixture
def links_content(tmp_path):
    folder = tmp_path / "links"
    folder.mkdir()
    (folder / "a.md").write_text(LINKS_MD.replace("{filler}", FILLER), encoding="utf-8")
    return folder


def activate(qtbot, window):
    """Shortcuts only reach the active window; make sure it is."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def press(qtbot, window, sequence: str) -> None:
    """Type a key sequence into the window's focus widget (so shortcuts see it)."""
    activate(qtbot, window)
    combo = QKeySequence(sequence)[0]
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())


def mouse_button(widget, button) -> None:
    pos = QPointF(widget.rect().center())
    for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
        event = QMouseEvent(kind, pos, widget.mapToGlobal(pos), button,
                            button if kind == QEvent.Type.MouseButtonPress
                            else Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(widget, event)


def anchor_point(viewer: Viewer, text: str) -> QPoint:
    """Viewport position inside the first letters of `text` in the viewer (a link may wrap)."""
    cursor = viewer.document().find(text)
    assert not cursor.isNull(), text
    start = viewer.cursorRect(_at(viewer, cursor.selectionStart()))
    second = viewer.cursorRect(_at(viewer, cursor.selectionStart() + 2))
    return QRect(start.topLeft(), second.bottomRight()).center()


def _at(viewer, position):
    cursor = viewer.textCursor()
    cursor.setPosition(position)
    return cursor


# --- structure ----------------------------------------------------------------------------


def test_object_names_from_the_design(window):
    assert window.objectName() == "mainWindow"
    assert window.findChild(QTreeWidget, "sidebar") is window.sidebar
    assert window.findChild(QTextBrowser, "viewer") is window.viewer
    assert window.findChild(QLineEdit, "searchField") is window.search_panel.field
    assert window.findChild(QListWidget, "searchResults") is window.search_panel.results
    assert window.findChild(QPushButton, "feedbackButton") is window.feedback_button


def accessible_name(widget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def test_accessible_names_are_set(window):
    for widget in (window.sidebar, window.viewer, window.search_panel.field,
                   window.search_panel.results):
        assert widget.accessibleName(), widget.objectName()
    # What a screen reader announces for the button (its own name or its text)
    assert accessible_name(window.feedback_button) == "Send feedback"


def test_a_screen_reader_reads_the_text_on_screen(window):
    window.show_notice("This answer is not translated yet.")
    window._show_outbox_status("1 message waits to be sent.")
    for label in (window.notice, window.footer, window.outbox_status):
        assert accessible_name(label) == label.text() != "", label.objectName()
    assert "988" in accessible_name(window.footer)


def test_a_buttons_name_starts_with_what_it_shows(window):
    shown = {}
    for button in window.toolbar.findChildren(QToolButton):
        if button.isVisibleTo(window) and button.text():
            shown[button.text()] = accessible_name(button)
            assert accessible_name(button).startswith(button.text())
    assert shown["A+"] == "A+" and shown["A−"] == "A−"
    smaller = window.toolbar.widgetForAction(window.smaller_action)
    description = QAccessible.queryAccessibleInterface(smaller).text(
        QAccessible.Text.Description)
    assert description == "Smaller text (Ctrl+Minus)"
    clear = window.search_panel.field.findChild(QToolButton)
    assert accessible_name(clear) == "Clear search"


def test_home_question_opens_first(window):
    assert window.current_id == HOME
    assert window.windowTitle().startswith("What is ketamine?")
    assert window.sidebar.currentItem().data(0, Qt.ItemDataRole.UserRole) == HOME
    text = window.viewer.toPlainText()
    assert "What is ketamine?" in text and "anesthetic developed in the early 1960s" in text
    assert "About ketamine" in text  # the group line
    assert "Next question: Is ketamine safe?" in text
    assert not window.notice.isVisible()
    assert "988" in window.footer.text()


def test_every_question_is_in_the_sidebar_under_its_group(window):
    sidebar = window.sidebar
    groups = [sidebar.topLevelItem(i) for i in range(sidebar.topLevelItemCount())]
    assert [g.text(0) for g in groups] == [
        "About ketamine", "Ketamine for depression", "Getting treatment", "About us"]
    ids = [g.child(j).data(0, Qt.ItemDataRole.UserRole)
           for g in groups for j in range(g.childCount())]
    assert ids == [s.id for s in window.document.sections]
    assert len(ids) == 16


# --- sidebar: arrow keys move, Enter or click opens ---------------------------------------


def test_sidebar_arrows_move_and_enter_opens(qtbot, window):
    sidebar = window.sidebar
    sidebar.setFocus()
    qtbot.keyClick(sidebar, Qt.Key.Key_Down)
    qtbot.keyClick(sidebar, Qt.Key.Key_Down)
    assert sidebar.currentItem().data(0, Qt.ItemDataRole.UserRole) == "horse-tranquilizer"
    assert window.current_id == HOME  # moving does not open
    with qtbot.waitSignal(window.sectionOpened, timeout=2000) as opened:
        qtbot.keyClick(sidebar, Qt.Key.Key_Return)
    assert opened.args == ["horse-tranquilizer"]
    assert window.current_id == "horse-tranquilizer"
    assert "Isn’t ketamine a horse tranquilizer?" in window.viewer.toPlainText()
    qtbot.keyClick(sidebar, Qt.Key.Key_Up)
    qtbot.keyClick(sidebar, Qt.Key.Key_Enter)
    assert window.current_id == "is-ketamine-safe"


def test_question_rows_follow_a_text_size_change_made_while_searching(qtbot, window):
    sidebar, field = window.sidebar, window.search_panel.field
    item = sidebar._items["insurance"]
    before = sidebar.visualItemRect(item).height()
    activate(qtbot, window)
    field.setFocus()
    qtbot.keyClicks(field, "cost")
    assert not sidebar.isVisible()  # the results take its place
    press(qtbot, window, "Ctrl++")
    press(qtbot, window, "Ctrl++")
    press(qtbot, window, "Escape")
    assert sidebar.isVisible()
    rect = sidebar.visualItemRect(item)
    needed = QFontMetrics(sidebar.font()).boundingRect(
        QRect(0, 0, rect.width(), 100000), Qt.TextFlag.TextWordWrap, item.text(0)).height()
    assert rect.height() > before and rect.height() >= needed


def test_sidebar_click_opens(qtbot, window):
    sidebar = window.sidebar
    item = sidebar._items["insurance"]
    sidebar.scrollToItem(item)
    with qtbot.waitSignal(window.sectionOpened, timeout=2000):
        qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton,
                         pos=sidebar.visualItemRect(item).center())
    assert window.current_id == "insurance"
    assert sidebar.currentItem() is item
    assert "Does insurance cover ketamine treatment?" in window.viewer.toPlainText()


def test_clicking_a_group_title_does_not_open_anything(qtbot, window):
    sidebar = window.sidebar
    group = sidebar.topLevelItem(1)
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton,
                     pos=sidebar.visualItemRect(group).center())
    assert window.current_id == HOME
    assert not group.isExpanded()  # a click folds the group instead
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton,
                     pos=sidebar.visualItemRect(group).center())
    assert group.isExpanded()


# --- links between questions ------------------------------------------------------------


def test_clicking_a_link_to_another_question_opens_it(qtbot, window):
    point = anchor_point(window.viewer, "safe track record")
    with qtbot.waitSignal(window.sectionOpened, timeout=2000) as opened:
        qtbot.mouseClick(window.viewer.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened.args == ["is-ketamine-safe"]
    assert window.sidebar.currentItem().data(0, Qt.ItemDataRole.UserRole) == "is-ketamine-safe"


def test_next_question_link(qtbot, window):
    window.open_section("selling-something")
    point = anchor_point(window.viewer, "How is this different from the scams")
    qtbot.mouseClick(window.viewer.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.current_id == "scams"
    assert "Next question" not in window.viewer.toPlainText()  # the last one has none


def test_link_to_a_heading_on_the_same_page_scrolls(qtbot, make_window, links_content):
    window = make_window(links_content)
    window.resize(600, 300)
    qtbot.waitUntil(lambda: window.viewer.viewport().height() < 300)
    scroll = window.viewer.verticalScrollBar()
    assert scroll.value() == 0 and scroll.maximum() > 0
    window.viewer.anchorClicked.emit(QUrl("#details"))
    assert window.current_id == "first"
    assert window.history.entries == ["first"]
    assert scroll.value() > 0
    assert "Details text." in window.viewer.toPlainText()


# --- back and forward -----------------------------------------------------------------------


def visit(window, *ids):
    for section_id in ids:
        assert window.open_section(section_id)


def test_back_and_forward_with_alt_arrows(qtbot, window):
    visit(window, "is-ketamine-safe", "insurance")
    assert window.back_action.isEnabled() and not window.forward_action.isEnabled()
    press(qtbot, window, "Alt+Left")
    assert window.current_id == "is-ketamine-safe"
    press(qtbot, window, "Alt+Left")
    assert window.current_id == HOME
    assert not window.back_action.isEnabled() and window.forward_action.isEnabled()
    press(qtbot, window, "Alt+Left")  # nothing further back
    assert window.current_id == HOME
    press(qtbot, window, "Alt+Right")
    assert window.current_id == "is-ketamine-safe"
    assert window.sidebar.currentItem().data(0, Qt.ItemDataRole.UserRole) == "is-ketamine-safe"
    press(qtbot, window, "Alt+Right")
    assert window.current_id == "insurance"
    assert not window.forward_action.isEnabled()


def test_opening_a_question_after_going_back_drops_forward(window):
    visit(window, "is-ketamine-safe", "insurance")
    window.go_back()
    window.open_section("scams")
    assert window.history.entries == [HOME, "is-ketamine-safe", "scams"]
    assert not window.forward_action.isEnabled()
    window.open_section("scams")  # the same again is not a new entry
    assert window.history.entries == [HOME, "is-ketamine-safe", "scams"]


@pytest.mark.parametrize("where", ["viewer", "sidebar"])
def test_mouse_back_and_forward_buttons(qtbot, window, where):
    visit(window, "is-ketamine-safe", "insurance")
    widget = window.viewer.viewport() if where == "viewer" else window.sidebar.viewport()
    mouse_button(widget, Qt.MouseButton.BackButton)
    assert window.current_id == "is-ketamine-safe"
    qtbot.mouseClick(widget, Qt.MouseButton.BackButton)
    assert window.current_id == HOME
    mouse_button(widget, Qt.MouseButton.ForwardButton)
    assert window.current_id == "is-ketamine-safe"
    qtbot.mouseClick(widget, Qt.MouseButton.ForwardButton)
    assert window.current_id == "insurance"


def test_other_shortcuts_go_home_and_step(qtbot, window):
    press(qtbot, window, "Ctrl+PgDown")
    assert window.current_id == "is-ketamine-safe"
    press(qtbot, window, "Ctrl+PgUp")
    press(qtbot, window, "Ctrl+PgUp")  # stops at the first
    assert window.current_id == HOME
    window.open_section("scams")
    press(qtbot, window, "Ctrl+PgDown")  # stops at the last
    assert window.current_id == "scams"
    press(qtbot, window, "Alt+Home")
    assert window.current_id == HOME


# --- text size ----------------------------------------------------------------------------


def viewer_point_size(window) -> float:
    return window.viewer.document().defaultFont().pointSizeF()


def test_text_size_keys(qtbot, window):
    assert window.prefs.text_scale == 100
    assert viewer_point_size(window) == pytest.approx(BASE_POINT_SIZE)
    press(qtbot, window, "Ctrl++")
    assert window.prefs.text_scale == 110
    assert viewer_point_size(window) == pytest.approx(BASE_POINT_SIZE * 1.1)
    press(qtbot, window, "Ctrl+=")
    assert window.prefs.text_scale == 125
    press(qtbot, window, "Ctrl+-")
    press(qtbot, window, "Ctrl+-")
    press(qtbot, window, "Ctrl+-")
    assert window.prefs.text_scale == 90
    press(qtbot, window, "Ctrl+0")
    assert window.prefs.text_scale == 100
    assert viewer_point_size(window) == pytest.approx(BASE_POINT_SIZE)
    assert window.current_id == HOME  # the answer is still shown
    assert "What is ketamine?" in window.viewer.toPlainText()


def test_text_size_limits(window):
    window.prefs.text_scale = 250
    window.change_text_scale(1)
    assert window.prefs.text_scale == 300 and not window.larger_action.isEnabled()
    window.change_text_scale(1)
    assert window.prefs.text_scale == 300
    window.prefs.text_scale = 67
    window.change_text_scale(-1)
    assert window.prefs.text_scale == 50 and not window.smaller_action.isEnabled()
    assert window.larger_action.isEnabled()
    window.change_text_scale(-1)
    assert window.prefs.text_scale == 50
    assert viewer_point_size(window) == pytest.approx(BASE_POINT_SIZE / 2)


def test_at_large_text_what_is_around_the_answer_moves_beside_it(qtbot, window):
    """Issue 21 item 6: at 300 % on a short window the read-aloud bar, "Send feedback about
    this answer" and the footer go, whole, to the foot of the question column (the notice
    and the crisis line in their footer forms), and the answer has the pane's full height;
    at normal text they come back under the answer, the crisis line whole."""
    meta, column = window.document.metadata, window.splitter.widget(0)
    parts = (window.read_aloud, window.answer_feedback_button, window.footer)
    assert all(window.answer_pane.isAncestorOf(part) for part in parts)
    assert meta.crisis_line in window.footer.text()
    normal = window.viewer.height()
    window.themes.set_text_scale(300)
    qtbot.waitUntil(lambda: all(column.isAncestorOf(part) and part.isVisible()
                                for part in parts))
    assert window.footer.text().endswith(meta.footer_crisis_line)
    footer = window.footer
    assert footer.height() >= footer.heightForWidth(footer.width())  # every line shown
    assert footer.mapTo(window, QPoint(0, footer.height())).y() <= window.height()
    assert window.viewer.height() > normal  # nothing but the answer in the answer pane
    window.themes.set_text_scale(100)
    qtbot.waitUntil(lambda: all(window.answer_pane.isAncestorOf(part) and part.isVisible()
                                for part in parts))
    assert window.footer.text().endswith(meta.crisis_line)


def test_text_size_is_remembered_across_a_restart(qtbot, make_window):
    first = make_window()
    first.change_text_scale(1)
    first.change_text_scale(1)
    assert first.prefs.text_scale == 125
    first.close()
    assert first.paths.settings_file.is_file()
    second = make_window()
    assert second.prefs.text_scale == 125
    assert viewer_point_size(second) == pytest.approx(BASE_POINT_SIZE * 1.25)


# --- themes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["light", "dark", "contrast"])
def test_theme_changes_the_palette(window, name):
    window.set_theme(name)
    palette = QApplication.instance().palette()
    colours = theme.COLOURS[name]
    assert palette.color(QPalette.ColorRole.Base).name() == colours["base"]
    assert palette.color(QPalette.ColorRole.Text).name() == colours["text"]
    assert palette.color(QPalette.ColorRole.Link).name() == colours["link"]
    assert window.theme_actions[name].isChecked()
    assert colours["base"] in window.viewer.document().defaultStyleSheet()
    assert window.current_id == HOME and "What is ketamine?" in window.viewer.toPlainText()


def test_theme_menu_action_and_restart(make_window):
    first = make_window()
    first.theme_actions["dark"].trigger()
    assert first.prefs.theme == "dark"
    first.close()
    second = make_window()
    assert second.prefs.theme == "dark" and second.theme_actions["dark"].isChecked()
    base = QApplication.instance().palette().color(QPalette.ColorRole.Base).name()
    assert base == theme.COLOURS["dark"]["base"]
    second.set_theme("light")


# --- what is remembered ---------------------------------------------------------------------


def test_last_question_and_geometry_are_remembered(qtbot, make_window):
    first = make_window()
    first.open_section("where-to-get-treatment")
    first.resize(720, 520)  # inside the offscreen screen (800x600): no clamping
    qtbot.waitUntil(lambda: first.size().width() == 720)
    first.close()
    second = make_window()
    assert second.current_id == "where-to-get-treatment"
    assert (second.width(), second.height()) == (720, 520)
    assert second.history.entries == ["where-to-get-treatment"]


def test_open_id_wins_over_the_last_question(make_window):
    first = make_window()
    first.open_section("scams")
    first.close()
    second = make_window(open_id="insurance")
    assert second.current_id == "insurance"
    assert not second.notice.isVisible()


def test_unknown_open_id_opens_home_with_a_note(make_window):
    window = make_window(open_id="no-such-question")
    assert window.current_id == HOME
    assert window.notice.isVisible()
    assert "no-such-question" in window.notice.text()


def test_a_removed_last_question_falls_back_to_home(make_window, tmp_path):
    tmp_path.joinpath("data").mkdir()
    tmp_path.joinpath("data", "settings.json").write_text(
        '{"last_section": "gone-question"}', encoding="utf-8")
    window = make_window()
    assert window.current_id == HOME
    assert not window.notice.isVisible()


def test_nothing_is_saved_when_asked_not_to(make_window):
    window = make_window()
    window.save_on_close = False
    window.close()
    assert not window.paths.settings_file.exists()


def test_corrupt_settings_file_means_defaults_and_the_window_starts(make_window, tmp_path):
    tmp_path.joinpath("data").mkdir()
    tmp_path.joinpath("data", "settings.json").write_text("{corrupt", encoding="utf-8")
    window = make_window()
    assert window.current_id == HOME and window.prefs.text_scale == 100


def test_a_garbled_geometry_in_settings_does_not_stop_the_window(make_window, tmp_path):
    tmp_path.joinpath("data").mkdir()
    tmp_path.joinpath("data", "settings.json").write_text(
        '{"geometry": "abc", "last_section": "scams"}', encoding="utf-8")
    window = make_window()
    assert window.current_id == "scams"


def test_valid_base64_but_not_a_geometry_is_ignored(make_window, tmp_path):
    tmp_path.joinpath("data").mkdir()
    junk = base64.b64encode(b"not a geometry at all").decode()
    tmp_path.joinpath("data", "settings.json").write_text(
        f'{{"geometry": "{junk}"}}', encoding="utf-8")
    window = make_window()
    assert window.current_id == HOME and window.width() > 100


# --- links that leave the reader ----------------------------------------------------------


@pytest.fixture
def external(monkeypatch):
    """Records what would be asked and what would be opened in the system browser."""
    record = {"asked": [], "answer": QMessageBox.StandardButton.Cancel, "info": []}

    def question(parent, title, text, *args):
        record["asked"].append(text)
        return record["answer"]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda parent, title, text, *a: record["info"].append(text)))
    return record


def attach_opener(window, record):
    record["opened"] = []
    window.open_external = record["opened"].append


@pytest.mark.parametrize(("answer", "opens"), [
    (QMessageBox.StandardButton.Open, True),
    (QMessageBox.StandardButton.Cancel, False),
])
def test_external_link_asks_before_opening(qtbot, make_window, links_content, external,
                                           answer, opens):
    window = make_window(links_content)
    attach_opener(window, external)
    external["answer"] = answer
    before = window.viewer.toPlainText()
    qtbot.mouseClick(window.viewer.viewport(), Qt.MouseButton.LeftButton,
                     pos=anchor_point(window.viewer, "on the web"))
    assert len(external["asked"]) == 1
    assert "https://example.org/page" in external["asked"][0]
    assert external["opened"] == ([QUrl("https://example.org/page")] if opens else [])
    assert window.current_id == "first"
    assert window.viewer.toPlainText() == before  # never blanked
    assert window.history.entries == ["first"]


def test_mailto_link_asks_too(make_window, links_content, external):
    window = make_window(links_content)
    attach_opener(window, external)
    external["answer"] = QMessageBox.StandardButton.Open
    window.viewer.anchorClicked.emit(QUrl("mailto:team@example.org"))
    assert external["opened"] == [QUrl("mailto:team@example.org")]
    assert "First page" in window.viewer.toPlainText()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x.org/a"])
def test_unknown_scheme_is_refused_and_the_page_stays(qtbot, make_window, links_content,
                                                       external, url):
    window = make_window(links_content)
    attach_opener(window, external)
    before = window.viewer.toPlainText()
    if url.startswith("javascript"):
        qtbot.mouseClick(window.viewer.viewport(), Qt.MouseButton.LeftButton,
                         pos=anchor_point(window.viewer, "a script"))
    else:
        window.viewer.anchorClicked.emit(QUrl(url))
    assert external["asked"] == [] and external["opened"] == []
    # a notice above the answer, not a modal box (which would block a kiosk's idle notice)
    assert external["info"] == []
    assert "cannot be opened" in window.notice.text() and window.notice.isVisibleTo(window)
    assert window.current_id == "first"
    assert window.viewer.toPlainText() == before


def test_link_to_an_unknown_question_keeps_the_page(make_window, links_content, external):
    window = make_window(links_content)
    before = window.viewer.toPlainText()
    window.viewer.anchorClicked.emit(QUrl("#no-such-question"))
    assert window.current_id == "first" and window.viewer.toPlainText() == before
    assert window.notice.isVisibleTo(window)  # said, not silently nothing
    assert "no question in this FAQ (#no-such-question)" in window.notice.text()


def test_internal_link_in_custom_content(qtbot, make_window, links_content):
    window = make_window(links_content)
    qtbot.mouseClick(window.viewer.viewport(), Qt.MouseButton.LeftButton,
                     pos=anchor_point(window.viewer, "the second page"))
    assert window.current_id == "second"


def test_viewer_never_navigates_by_itself(window):
    assert not window.viewer.openLinks()
    assert not window.viewer.openExternalLinks()


# --- nothing runs, nothing is fetched ---------------------------------------------------------


def test_raw_html_in_markdown_is_shown_as_text(make_window, links_content):
    window = make_window(links_content)
    window.open_section("second")
    text = window.viewer.toPlainText()
    assert "<b>x</b>" in text
    assert "<script>alert(1)</script>" in text


def test_viewer_refuses_network_urls(window):
    kind = QTextDocument.ResourceType.ImageResource
    for url in ("http://example.com/a.png", "https://example.com/a.png", "ftp://x/y.png"):
        assert window.viewer.loadResource(kind, QUrl(url)) is None


def test_a_remote_image_is_never_fetched(make_window, links_content, monkeypatch):
    requested, passed_on = [], []
    refuse, fetch = Viewer.loadResource, QTextBrowser.loadResource

    def viewer_spy(self, kind, url):
        requested.append(url.toString())
        return refuse(self, kind, url)

    def base_spy(self, kind, url):
        passed_on.append(url.toString())
        return fetch(self, kind, url)

    monkeypatch.setattr(Viewer, "loadResource", viewer_spy)
    monkeypatch.setattr(QTextBrowser, "loadResource", base_spy)
    window = make_window(links_content)
    window.open_section("second")
    window.viewer.viewport().repaint()
    assert "http://example.com/track.png" in requested  # the page did ask for it
    assert not any(u.startswith(("http:", "https:")) for u in passed_on), passed_on
    assert "Raw" in window.viewer.toPlainText()


# --- search: highlights, F3, Escape -----------------------------------------------------------


def search_and_open_first(qtbot, window, query="horse"):
    with qtbot.waitSignal(window.search_panel.searched, timeout=10000) as searched:
        window.search_panel.field.setText(query)
    assert searched.args[0].results
    results = window.search_panel.results
    assert results.isVisible() and not window.sidebar.isVisible()
    first = results.item(0)
    with qtbot.waitSignal(window.sectionOpened, timeout=2000):
        qtbot.mouseClick(results.viewport(), Qt.MouseButton.LeftButton,
                         pos=results.visualItemRect(first).center())
    return first.data(Qt.ItemDataRole.UserRole)


def test_search_result_opens_with_highlights_and_f3_steps(qtbot, window):
    opened = search_and_open_first(qtbot, window)
    assert opened == "horse-tranquilizer" == window.current_id
    viewer = window.viewer
    total = viewer.match_count()
    assert total >= 2
    assert window.notice.isVisible()
    assert f"of {total} highlighted" in window.notice.text()
    assert len(viewer.extraSelections()) == total
    positions = []

    def current_position():
        return viewer.textCursor().position()

    positions.append(current_position())
    window.viewer.setFocus()
    with qtbot.waitSignal(viewer.matchesChanged, timeout=2000) as step:
        press(qtbot, window, "F3")
    assert step.args[1] == total
    assert f"Match {step.args[0]} of {total}" in window.notice.text()
    positions.append(current_position())
    with qtbot.waitSignal(viewer.matchesChanged, timeout=2000) as back:
        press(qtbot, window, "Shift+F3")
    assert back.args[1] == total
    positions.append(current_position())
    assert positions[0] != positions[1] and positions[2] == positions[0]


def test_escape_clears_highlights_and_the_search_field(qtbot, window):
    search_and_open_first(qtbot, window)
    assert window.viewer.match_count() > 0
    window.viewer.setFocus()
    press(qtbot, window, "Escape")
    assert window.search_panel.field.text() == ""
    assert window.viewer.match_count() == 0 and window.viewer.extraSelections() == []
    assert not window.notice.isVisible()
    assert window.sidebar.isVisible()
    assert window.current_id == "horse-tranquilizer"  # the answer stays


def test_escape_in_the_search_field(qtbot, window):
    search_and_open_first(qtbot, window)
    window.search_panel.field.setText("insurance")
    window.search_panel.field.setFocus()
    press(qtbot, window, "Escape")
    assert window.search_panel.field.text() == ""
    assert window.viewer.match_count() == 0
    assert window.sidebar.isVisible()


def test_f3_without_a_search_does_nothing(qtbot, window):
    position = window.viewer.textCursor().position()
    press(qtbot, window, "F3")
    assert window.viewer.match_count() == 0
    assert window.viewer.textCursor().position() == position
    assert window.current_id == HOME


def test_backspace_in_the_search_field_edits_the_text_not_the_history(qtbot, window):
    visit(window, "is-ketamine-safe")
    field = window.search_panel.field
    activate(qtbot, window)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=2000)
    qtbot.keyClicks(field, "horsee")
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert field.text() == "horse"
    assert window.current_id == "is-ketamine-safe"
    qtbot.keyClick(field, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ShiftModifier)
    assert window.current_id == "is-ketamine-safe"
    window.search_panel.clear()


def test_every_toolbar_control_is_in_the_tab_order(window):
    for action in window.toolbar.actions():
        button = window.toolbar.widgetForAction(action)
        if not isinstance(button, QAbstractButton) or not button.isVisibleTo(window):
            continue
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus, action.text()
        assert button.accessibleName(), action.text()


def test_down_into_the_results_opens_nothing_and_escape_goes_back_to_the_field(qtbot, window):
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel = window.search_panel
    panel.field.setFocus()
    with qtbot.waitSignal(panel.searched, timeout=10000):
        qtbot.keyClicks(panel.field, "horse")
    opened = []
    window.sectionOpened.connect(opened.append)
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    qtbot.keyClick(panel.results, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is panel.results and panel.results.currentRow() == 1
    assert panel.results.currentItem().isSelected() and opened == []  # the keys only move
    qtbot.keyClick(panel.results, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is panel.field and panel.field.text() == ""
    assert opened == []


def test_a_result_selected_by_a_screen_reader_opens(qtbot, window):
    panel = window.search_panel
    with qtbot.waitSignal(panel.searched, timeout=10000):
        panel.field.setText("horse")
    second = panel.results.item(1)
    with qtbot.waitSignal(window.sectionOpened, timeout=2000):
        second.setSelected(True)  # what AT-SPI's selectChild and a row's action do
    assert window.current_id == second.data(Qt.ItemDataRole.UserRole)
    assert second.data(Qt.ItemDataRole.AccessibleDescriptionRole).strip("…") in \
        window.viewer.toPlainText().replace("\n", " ")  # its snippet, for the screen reader
