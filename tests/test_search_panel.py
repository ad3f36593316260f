"""The search panel: typing searches off the GUI thread, keys, no-results help."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # until tests/conftest.py sets it

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QListWidget

from reader.search import SearchIndex
from reader.ui.search_panel import SearchPanel

CONTENT = Path(__file__).resolve().parent.parent / "content"
SUGGESTIONS = [("what-is-ketamine", "What is ketamine?"), ("insurance", "Does insurance cover it?")]


@pytest.fixture
def provider_calls():
    return []


@pytest.fixture
def panel(qtbot, document, tmp_path, provider_calls):
    opened = []

    def provider():  # as ReaderSession.search_index: opened once, then handed back
        provider_calls.append(threading.current_thread())
        if not opened:
            opened.append(SearchIndex.open(document, tmp_path / "cache"))
        return opened[0]

    widget = SearchPanel(provider, SUGGESTIONS)
    qtbot.addWidget(widget)
    widget.resize(400, 500)
    widget.show()
    yield widget
    widget.wait_idle()


def type_query(qtbot, panel, text):
    with qtbot.waitSignal(panel.searched, timeout=5000) as blocker:
        panel.field.setText(text)
    return blocker.args[0]


def test_object_names_and_field(panel):
    field = panel.findChild(QLineEdit, "searchField")
    assert field is panel.field
    assert panel.findChild(QListWidget, "searchResults") is panel.results
    assert field.placeholderText() == "Search the questions…"
    assert field.isClearButtonEnabled() and field.accessibleName()


def test_index_is_opened_off_the_gui_thread(qtbot, panel, provider_calls):
    type_query(qtbot, panel, "insurance")
    assert provider_calls and threading.main_thread() not in provider_calls


def test_typing_shows_results_with_marked_snippets(qtbot, panel):
    response = type_query(qtbot, panel, "horse tranquilizer")
    assert response.results[0].id == "horse-tranquilizer"
    assert panel.results.isVisible()
    item = panel.results.item(0)
    assert item.data(Qt.ItemDataRole.UserRole) == "horse-tranquilizer"
    assert "<b>" in item.data(Qt.ItemDataRole.UserRole + 1)
    assert item.text() == "Isn’t ketamine a horse tranquilizer?"
    assert panel.results.visualItemRect(item).height() > panel.fontMetrics().height() * 2


def test_only_the_latest_query_is_shown(qtbot, panel):
    for partial in ("i", "in", "ins", "insu", "insur"):
        panel.field.setText(partial)
    response = type_query(qtbot, panel, "insurance")
    assert response.query == "insurance"
    panel.wait_idle()
    qtbot.wait(50)
    assert panel._response.query == "insurance"
    assert panel.results.item(0).data(Qt.ItemDataRole.UserRole) == "insurance"


def test_typing_does_not_block_while_index_builds(qtbot, document, tmp_path):
    started, finished = threading.Event(), threading.Event()

    def slow_provider():
        started.set()
        time.sleep(0.5)
        finished.set()
        return SearchIndex.open(document, None)

    widget = SearchPanel(slow_provider, SUGGESTIONS)
    qtbot.addWidget(widget)
    widget.field.setText("insurance")
    qtbot.waitUntil(started.is_set, timeout=5000)  # the query runs now, in its worker
    answered = []
    began = time.perf_counter()
    QTimer.singleShot(0, lambda: answered.append(time.perf_counter() - began))
    qtbot.waitUntil(lambda: bool(answered), timeout=2000)
    assert not finished.is_set() and answered[0] < 0.2  # the window answered meanwhile
    qtbot.waitUntil(lambda: widget.results.count() > 0, timeout=5000)
    widget.wait_idle()


def test_a_slow_earlier_answer_never_replaces_a_later_one(qtbot, document):
    index = SearchIndex.open(document, None)

    class SlowForHorses:
        def search(self, query, limit=20):
            if "horse" in query:
                time.sleep(0.6)  # still working when the next query is typed
            return index.search(query, limit)

    widget = SearchPanel(SlowForHorses, SUGGESTIONS)
    qtbot.addWidget(widget)
    shown = []
    widget.searched.connect(lambda response: shown.append(response.query))
    with qtbot.waitSignal(widget._timer.timeout, timeout=2000):
        widget.field.setText("horse tranquilizer")  # its search starts, slowly
    with qtbot.waitSignal(widget.searched, timeout=5000):
        widget.field.setText("insurance")
    widget.wait_idle()
    qtbot.waitUntil(lambda: widget._runner.wait(0), timeout=2000)
    QApplication.processEvents()
    assert shown == ["insurance"]  # the horse answer came back and was dropped
    assert widget.results.item(0).data(Qt.ItemDataRole.UserRole) == "insurance"


def test_click_and_enter_activate_a_result(qtbot, panel):
    response = type_query(qtbot, panel, "side effects")
    with qtbot.waitSignal(panel.resultActivated) as blocker:
        qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert blocker.args[0] == response.results[0].id
    assert blocker.args[1] is response and response.terms

    rect = panel.results.visualItemRect(panel.results.item(1))
    with qtbot.waitSignal(panel.resultActivated) as blocker:
        qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args[0] == response.results[1].id


def test_arrow_down_moves_into_the_list(qtbot, panel):
    response = type_query(qtbot, panel, "IV")
    panel.field.setFocus()
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    assert panel.results.hasFocus() or panel.results.currentRow() == 0
    qtbot.keyClick(panel.results, Qt.Key.Key_Down)
    assert panel.results.currentRow() == 1
    with qtbot.waitSignal(panel.resultActivated) as blocker:
        qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert blocker.args[0] == response.results[1].id


def test_escape_clears(qtbot, panel):
    type_query(qtbot, panel, "insurance")
    with qtbot.waitSignal(panel.cleared):
        qtbot.keyClick(panel.field, Qt.Key.Key_Escape)
    assert panel.field.text() == ""
    assert panel.results.count() == 0 and not panel.results.isVisible()


def test_no_results_offers_spelling_and_questions(qtbot, panel):
    response = type_query(qtbot, panel, "qwxzv blorptangle")
    assert response.results == []
    assert "No results for “qwxzv blorptangle”" in panel.status.text()
    assert panel.status.isVisible()
    ids = [panel.results.item(i).data(Qt.ItemDataRole.UserRole) for i in range(2)]
    assert ids == ["what-is-ketamine", "insurance"]
    with qtbot.waitSignal(panel.resultActivated) as blocker:
        qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert blocker.args[0] == "what-is-ketamine"


def test_did_you_mean_is_clickable(qtbot, panel):
    type_query(qtbot, panel, "insurence xyzzyq")
    assert "Did you mean" in panel.status.text() and "insurance xyzzyq" in panel.status.text()
    with qtbot.waitSignal(panel.searched):
        panel.status.linkActivated.emit("insurance")
    assert panel.field.text() == "insurance"
    assert panel.results.item(0).data(Qt.ItemDataRole.UserRole) == "insurance"


def test_odd_input_is_safe(qtbot, panel):
    for text in ['NEAR("x" OR', "🙂", "x" * 10_000, "title:^safe*"]:
        response = type_query(qtbot, panel, text)
        shown = [panel.results.item(i).data(Qt.ItemDataRole.UserRole)
                 for i in range(panel.results.count())]
        if response.results:
            assert shown == [hit.id for hit in response.results]
        else:  # says so, and offers the suggested questions instead
            assert "No results" in panel.status.text() and shown == [i for i, _ in SUGGESTIONS]
    assert type_query(qtbot, panel, "insurance").results[0].id == "insurance"


def test_shortcuts_focus_the_field(qtbot, panel):
    panel.results.setFocus()
    panel.focus_search()
    assert panel.focusWidget() is panel.field  # the window's focus, active or not


def test_provider_failure_is_shown_not_raised(qtbot):
    def broken():
        raise OSError("disk on fire")

    widget = SearchPanel(broken, [])
    qtbot.addWidget(widget)
    widget.show()
    widget.field.setText("insurance")
    qtbot.waitUntil(lambda: "not available" in widget.status.text(), timeout=5000)
    widget.wait_idle()


def test_enter_within_the_typing_pause_opens_a_result_of_what_was_typed(qtbot, panel):
    type_query(qtbot, panel, "insurance")
    assert panel.results.item(0).data(Qt.ItemDataRole.UserRole) == "insurance"
    panel.field.setFocus()
    panel.field.selectAll()
    qtbot.keyClicks(panel.field, "horse tranquilizer")  # no pause: Enter comes before the
    with qtbot.waitSignal(panel.resultActivated, timeout=5000) as opened:  # search runs
        qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    section_id, response = opened.args
    assert section_id == "horse-tranquilizer"
    assert response.query == "horse tranquilizer"
