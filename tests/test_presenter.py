"""Presentation mode: keys and clickers move, Escape leaves, long answers fit or scroll."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # until tests/conftest.py sets it

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from reader.paths import resolve_paths
from reader.ui.facilitator import install_presenter
from reader.ui.presenter import (
    MIN_FONT_FRACTION,
    SLIDE_COLOURS,
    Presenter,
    choose_screen,
)
from reader.ui.session import ReaderSession
from reader.ui.window import MainWindow

K = Qt.Key


@pytest.fixture
def window(qtbot, tmp_path):
    win = MainWindow(ReaderSession.for_paths(resolve_paths(data_dir=tmp_path)))
    qtbot.addWidget(win)
    win.save_on_close = False
    win.show()
    win.open_section("is-it-real")
    return win


@pytest.fixture
def presenter(qtbot, window):
    action = install_presenter(window)
    action.trigger()
    shown = window.findChild(Presenter, "presenter")
    qtbot.waitExposed(shown)
    return shown


def ids(window):
    return [s.id for s in window.document.sections]


def as_projector(qtbot, presenter, width=1920, height=1080):
    """The offscreen screen is 800x600; a projector is bigger."""
    presenter.showNormal()
    presenter.resize(width, height)
    qtbot.waitUntil(lambda: presenter.height() == height)


def test_menu_action_and_shortcut(window):
    action = install_presenter(window)
    assert action in window.view_menu.actions()
    assert action.shortcut().toString() == "F5"
    assert action.toolTip()


def test_opens_full_screen_at_the_current_question(window, presenter):
    assert presenter.isVisible() and presenter.isFullScreen()
    assert presenter.objectName() == "presenter"
    assert presenter.current_id == "is-it-real"
    assert presenter.screen() == choose_screen(window) == window.screen()  # one screen here
    assert "Is ketamine treatment real?" in presenter.text.toPlainText()


def test_keys_move_and_clamp(qtbot, window, presenter):
    as_projector(qtbot, presenter)
    all_ids = ids(window)
    start = all_ids.index("is-it-real")
    moves = [(K.Key_PageDown, 1), (K.Key_Right, 1), (K.Key_Space, 1), (K.Key_N, 1),
             (K.Key_PageUp, -1), (K.Key_Left, -1), (K.Key_Backspace, -1), (K.Key_P, -1)]
    for key, step in moves:
        before = presenter.index
        qtbot.keyClick(presenter, key)
        assert presenter.index == before + step, key
    assert presenter.index == start
    qtbot.keyClick(presenter, K.Key_End)
    assert presenter.current_id == all_ids[-1]
    qtbot.keyClick(presenter, K.Key_PageDown)
    qtbot.keyClick(presenter, K.Key_Down)
    assert presenter.current_id == all_ids[-1]
    qtbot.keyClick(presenter, K.Key_Home)
    assert presenter.current_id == all_ids[0]
    qtbot.keyClick(presenter, K.Key_PageUp)
    qtbot.keyClick(presenter, K.Key_Left)
    assert presenter.current_id == all_ids[0]


def test_footer_counts_and_names_the_source(qtbot, presenter):
    qtbot.keyClick(presenter, K.Key_Home)
    qtbot.keyClick(presenter, K.Key_N)
    qtbot.keyClick(presenter, K.Key_N)
    assert presenter.footer.text() == ("3 / 16  ·  Ketamine Advocacy Network FAQ (2015)  ·  "
                                       "General information, not medical advice  ·  "
                                       "In crisis? Call or text 988 (Suicide & Crisis Lifeline, "
                                       "US), or your local emergency number.")
    assert "Question 3 of 16" in presenter.accessibleDescription()


def test_every_slide_footer_carries_the_crisis_line(qtbot, presenter):
    crisis = presenter.document.metadata.crisis_line
    assert crisis.startswith("In crisis?")
    qtbot.keyClick(presenter, K.Key_Home)
    for number in range(len(presenter.document.sections)):
        assert presenter.footer.text().startswith(f"{number + 1} / ")
        assert presenter.footer.text().endswith(crisis)
        assert presenter.footer.isVisible()
        qtbot.keyClick(presenter, K.Key_N)


@pytest.mark.parametrize("key", [K.Key_Escape, K.Key_F5])
def test_leaving_shows_the_last_question_in_the_window(qtbot, window, presenter, key):
    qtbot.keyClick(presenter, K.Key_N)
    qtbot.keyClick(presenter, K.Key_N)
    last = presenter.current_id
    assert last != "is-it-real"
    with qtbot.waitSignal(presenter.finished) as blocker:
        qtbot.keyClick(presenter, key)
    assert blocker.args == [last]
    assert not presenter.isVisible()
    assert window.current_id == last
    assert window.sidebar.currentItem().text(0) == window.document.get(last).title


def test_black_screen_and_back_without_moving(qtbot, presenter):
    for key in (K.Key_B, K.Key_Period):
        before = presenter.index
        qtbot.keyClick(presenter, key)
        assert presenter.blacked_out
        qtbot.keyClick(presenter, K.Key_PageDown)  # a clicker brings the slide back first
        assert not presenter.blacked_out and presenter.index == before
    qtbot.keyClick(presenter, K.Key_B)
    qtbot.keyClick(presenter, K.Key_Escape)  # Escape still leaves from black
    assert not presenter.isVisible()


def test_a_held_key_does_not_fly_through_questions(presenter):
    before = presenter.index
    held = QKeyEvent(QEvent.Type.KeyPress, K.Key_PageDown, Qt.KeyboardModifier.NoModifier,
                     "", True)
    QApplication.sendEvent(presenter, held)
    assert presenter.index == before


def test_click_right_half_forward_left_half_back(qtbot, presenter):
    before = presenter.index
    viewport = presenter.text.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton,
                     pos=QPoint(viewport.width() - 5, 5))
    assert presenter.index == before + 1
    qtbot.mouseClick(presenter, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert presenter.index == before


def test_every_answer_fits_a_1080p_projector_in_large_type(qtbot, presenter):
    as_projector(qtbot, presenter)
    for index in range(len(presenter.document.sections)):
        presenter.go(index)
        assert presenter.fits(), presenter.current_id
        assert presenter._font_px >= presenter._base_px * MIN_FONT_FRACTION - 1
        assert presenter._font_px >= 28  # px: about 21 pt, readable from the back
        assert not presenter.more.isVisible()


def test_a_long_answer_on_a_small_screen_scrolls_before_moving(qtbot, presenter):
    as_projector(qtbot, presenter, 480, 270)
    document = presenter.document
    presenter.go(document.sections.index(document.get("how-is-ketamine-given")))
    start = presenter.index
    assert not presenter.fits()
    assert presenter.more.isVisible()
    bar = presenter.text.verticalScrollBar()
    pages = 0
    while bar.value() < bar.maximum():
        qtbot.keyClick(presenter, K.Key_PageDown)
        pages += 1
        assert presenter.index == start and pages < 30
    assert not presenter.more.isVisible()
    qtbot.keyClick(presenter, K.Key_Up)
    assert bar.value() < bar.maximum() and presenter.index == start
    qtbot.keyClick(presenter, K.Key_PageUp)
    assert presenter.index == start
    qtbot.keyClick(presenter, K.Key_End)
    qtbot.keyClick(presenter, K.Key_Home)
    assert bar.value() == 0
    presenter.go(start)
    for _ in range(100):
        if bar.value() == bar.maximum():
            break
        qtbot.keyClick(presenter, K.Key_Down)
        assert presenter.index == start
    qtbot.keyClick(presenter, K.Key_Down)  # at the end, Down goes on to the next question
    assert presenter.index == start + 1 and bar.value() == 0


def test_high_contrast_theme_is_kept(qtbot, window):
    window.set_theme("contrast")
    install_presenter(window).trigger()
    presenter = window.findChild(Presenter, "presenter")
    assert presenter.colours is SLIDE_COLOURS["contrast"]
    presenter.close()


def test_the_slides_follow_a_theme_change(qtbot, window):
    from reader.ui.presenter import SLIDE_COLOURS, present

    presenter = present(window)
    qtbot.waitExposed(presenter)
    assert presenter.colours is SLIDE_COLOURS["slate"]
    window.set_theme("contrast")
    assert presenter.colours is SLIDE_COLOURS["contrast"]
    assert SLIDE_COLOURS["contrast"]["background"] in presenter.styleSheet()
    presenter.close()
    presenter.deleteLater()
    qtbot.wait(10)
    window.set_theme("light")  # the closed presentation is no longer told
