""""Links in this answer": every link of the page as a row, followed by Enter, Space or a
click, and hidden when a page has none (tests/test_atspi.py follows one by AT-SPI)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.test_window import LINKS_MD


def links_folder(tmp_path):
    folder = tmp_path / "links"
    folder.mkdir()
    (folder / "a.md").write_text(LINKS_MD.replace("{filler}", "Some text."), encoding="utf-8")
    return folder


def rows(window) -> list[str]:
    return [window.links.list.item(i).text() for i in range(window.links.list.count())]


def test_every_link_of_the_page_is_a_row_saying_where_it_goes(make_window, tmp_path):
    window = make_window(links_folder(tmp_path))
    assert window.links.isVisible()
    assert rows(window) == [
        "the second page", "on the web (website: example.org)", "us (email: team@example.org)",
        "a script", "a heading", "Next question: Second page"]
    assert window.links.list.accessibleName() == "Links in this answer"


def test_a_page_without_links_has_no_list(make_window, tmp_path):
    window = make_window(links_folder(tmp_path), open_id="second")
    assert window.current_id == "second"
    assert not window.links.isVisible() and rows(window) == []


def test_space_follows_the_focused_link_and_arrows_only_move(qtbot, make_window, tmp_path):
    window = make_window(links_folder(tmp_path))
    view = window.links.list
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.currentRow() == 0 and not view.selectedItems()
    assert window.current_id == "first"  # moving does not follow
    with qtbot.waitSignal(window.sectionOpened) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert opened.args == ["second"]


def test_a_click_on_a_website_row_asks_before_the_browser(qtbot, make_window, tmp_path):
    window = make_window(links_folder(tmp_path))
    opened, asked = [], []
    window.open_external = opened.append

    def answer() -> None:  # the real question dialog: read it, then Cancel
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QMessageBox):
            QTimer.singleShot(50, answer)
            return
        asked.append(dialog.text())
        dialog.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(50, answer)
    view = window.links.list
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualItemRect(view.item(1)).center())
    qtbot.waitUntil(lambda: bool(asked))
    assert "https://example.org/page" in asked[0]
    assert opened == [] and window.current_id == "first" and not view.selectedItems()
