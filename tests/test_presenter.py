"""Presentation mode: keys and clickers move, Escape leaves, long answers fit or scroll."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # until tests/conftest.py sets it

import re

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QFontInfo, QKeyEvent, QTextDocumentFragment
from PySide6.QtWidgets import QApplication

from reader.paths import resolve_paths
from reader.settings import load_preferences
from reader.ui.facilitator import (
    install_facilitator_tools,
    install_plan,
    install_presenter,
    plan_context_menu,
)
from reader.ui.presenter import (
    LEAST_FOOTER_PX,
    MIN_FONT_FRACTION,
    MIN_FOOTER_PX,
    SLIDE_COLOURS,
    Presenter,
    choose_screen,
)
from reader.ui.roles import ID_ROLE
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
    viewport = presenter.text.viewport()
    qtbot.waitUntil(lambda: presenter.height() == height
                    and presenter._fitted == (viewport.width(), viewport.height()))


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
    """Page Down, Space, Page Up, Backspace: a slide (a long answer has several); N, P,
    Right, Left: a question, from its first slide."""
    as_projector(qtbot, presenter)
    all_ids = ids(window)
    start = presenter.index
    assert presenter.current_id == "is-it-real" and presenter.slide.parts == 1
    moves = [(K.Key_PageDown, 1), (K.Key_Space, 1), (K.Key_PageUp, -1), (K.Key_Backspace, -1)]
    for key, step in moves:
        before = presenter.index
        qtbot.keyClick(presenter, key)
        assert presenter.index == before + step, key
    assert presenter.index == start
    for key, step in [(K.Key_Right, 1), (K.Key_N, 1), (K.Key_Left, -1), (K.Key_P, -1)]:
        before = presenter.question_number
        qtbot.keyClick(presenter, key)
        assert presenter.question_number == before + step and presenter.slide.part == 1, key
    assert presenter.current_id == "is-it-real"
    qtbot.keyClick(presenter, K.Key_End)
    assert presenter.current_id == all_ids[-1] and presenter.index == len(presenter.slides) - 1
    qtbot.keyClick(presenter, K.Key_PageDown)
    qtbot.keyClick(presenter, K.Key_Down)
    assert presenter.index == len(presenter.slides) - 1
    qtbot.keyClick(presenter, K.Key_Home)
    assert presenter.current_id == all_ids[0] and presenter.index == 0
    qtbot.keyClick(presenter, K.Key_PageUp)
    qtbot.keyClick(presenter, K.Key_Left)
    assert presenter.index == 0


def test_footer_counts_and_names_the_source(qtbot, presenter):
    as_projector(qtbot, presenter)
    qtbot.keyClick(presenter, K.Key_Home)
    qtbot.keyClick(presenter, K.Key_N)
    qtbot.keyClick(presenter, K.Key_N)
    assert presenter.footer.text() == ("3 / 16  ·  Ketamine Advocacy Network FAQ (2015)  ·  "
                                       "General information, not medical advice  ·  "
                                       "In crisis? Call or text 988 (Suicide & Crisis Lifeline, "
                                       "US), or your local emergency number.")
    assert "Question 3 of 16" in presenter.accessibleDescription()


def says_notice_and_crisis(text: str, meta) -> bool:
    """The footer's notice and crisis line: whole (the notice's first sentence), or the
    content's footer forms, which a slide gives rather than shrink below 16 px."""
    whole = meta.notice.split(". ")[0] in text and meta.crisis_line in text
    short = meta.footer_notice.rstrip(".") in text and meta.footer_crisis_line in text
    return whole or (bool(meta.footer_crisis_line) and short)


def footer_lines(presenter) -> int:
    label = presenter.footer
    rect = label.fontMetrics().boundingRect(label.contentsRect().adjusted(0, 0, 0, 10_000),
                                            int(Qt.TextFlag.TextWordWrap), label.text())
    return round(rect.height() / label.fontMetrics().lineSpacing())


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", [(1024, 768), (1280, 1024), (1366, 768), (1920, 1080),
                                  (1080, 1920)])
def test_the_footer_never_takes_more_than_two_lines(qtbot, tmp_path, language, size):
    session = ReaderSession.for_paths(resolve_paths(data_dir=tmp_path), language=language)
    meta = session.document.metadata
    presenter = Presenter(session.document, session.renderer)
    qtbot.addWidget(presenter)
    presenter.show()
    as_projector(qtbot, presenter, *size)
    qtbot.waitUntil(lambda: presenter.footer.width() > 0)
    for index in range(len(presenter.slides)):
        presenter.go(index)
        text = presenter.footer.text()
        assert says_notice_and_crisis(text, meta), text
        assert footer_lines(presenter) <= 2, (presenter.current_id, text)
    assert presenter._footer_px >= LEAST_FOOTER_PX
    assert QFontInfo(presenter.footer.font()).pixelSize() >= MIN_FOOTER_PX  # as drawn


def test_every_slide_footer_carries_the_crisis_line(qtbot, presenter):
    meta = presenter.document.metadata
    crisis = meta.crisis_line
    assert crisis.startswith("In crisis?") and meta.footer_crisis_line.startswith("In crisis?")
    qtbot.keyClick(presenter, K.Key_Home)
    for number in range(len(presenter.document.sections)):
        assert presenter.footer.text().startswith(f"{number + 1} / ")
        assert presenter.footer.text().endswith((crisis, meta.footer_crisis_line))
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


def test_one_text_size_for_the_whole_presentation(qtbot, presenter):
    as_projector(qtbot, presenter, 1024, 768)
    sizes = set()
    for index in range(len(presenter.slides)):
        presenter.go(index)
        sizes.add(presenter._font_px)
        assert presenter.fits(), presenter.current_id
    assert len(sizes) == 1


def plain(html_text: str) -> str:
    return re.sub(r"\s+", " ", QTextDocumentFragment.fromHtml(html_text).toPlainText()).strip()


def test_a_long_answer_continues_on_the_next_slide(qtbot, presenter):
    as_projector(qtbot, presenter, 480, 270)
    document = presenter.document
    long_id = "how-is-ketamine-given"
    parts = [s for s in presenter.slides if s.section_id == long_id]
    assert len(parts) >= 2
    assert [s.part for s in parts] == list(range(1, len(parts) + 1))
    whole = plain(presenter.renderer.html(document.get(long_id)))
    assert " ".join(plain(s.body) for s in parts) == whole  # nothing lost, nothing twice
    for slide in parts:  # cut at a paragraph or a sentence
        assert re.search(r"[.!?…:”)]$", plain(slide.body)), plain(slide.body)[-40:]
    presenter.go(presenter.slides.index(parts[0]))
    start_question = presenter.question_number
    title = document.get(long_id).title
    for number, slide in enumerate(parts, start=1):
        assert presenter.slide == slide and presenter.fits()
        shown = presenter.text.toPlainText()
        assert (f"{title} (continued)" in shown) == (number > 1)
        assert f"(part {number} of {len(parts)})" in presenter.accessibleDescription()
        qtbot.keyClick(presenter, K.Key_PageDown)
    assert presenter.question_number == start_question + 1  # then the next question
    qtbot.keyClick(presenter, K.Key_P)  # P: the previous question, from its start
    assert presenter.slide == parts[0]


def test_a_slide_too_long_even_alone_still_scrolls_before_moving(qtbot, presenter):
    as_projector(qtbot, presenter, 400, 240)
    for index in range(len(presenter.slides)):
        presenter.go(index)
        if not presenter.fits():
            break
    assert not presenter.fits()  # 240 lines: one long sentence is taller
    start = presenter.index
    bar = presenter.text.verticalScrollBar()
    assert presenter.more.isVisible()
    pages = 0
    while bar.value() < bar.maximum():
        qtbot.keyClick(presenter, K.Key_PageDown)
        pages += 1
        assert presenter.index == start and pages < 30
    assert not presenter.more.isVisible()
    qtbot.keyClick(presenter, K.Key_PageDown)
    assert presenter.index == start + 1 and bar.value() == 0


def test_a_plan_from_search_results_steps_with_the_clicker(qtbot, window):
    install_facilitator_tools(window)
    panel = window.search_panel
    panel.field.setFocus()
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        qtbot.keyClicks(panel.field, "infusion")
    results = [panel.results.item(r).data(ID_ROLE) for r in range(panel.results.count())]
    assert len(results) >= 3
    chosen = [results[2], results[0], results[1]]
    for section_id in chosen:  # the results' context menu, one by one, in this order
        row = results.index(section_id)
        rect = panel.results.visualItemRect(panel.results.item(row))
        menu = plan_context_menu(window, panel.results, rect.center())
        add = next(a for a in menu.actions() if a.text() == "Add to the session plan")
        add.trigger()
    assert window.session.plan.ids == chosen

    qtbot.keyClick(window, K.Key_F5)
    presenter = window.findChild(Presenter, "presenter")
    qtbot.waitExposed(presenter)
    as_projector(qtbot, presenter)
    seen = [presenter.current_id]
    assert presenter.footer.text().startswith("1 / 3  ·  ")
    for _ in range(5):  # a clicker: Page Down at the end stays at the end
        qtbot.keyClick(presenter, K.Key_PageDown)
        if presenter.current_id != seen[-1]:
            seen.append(presenter.current_id)
    assert seen == chosen
    assert presenter.footer.text().startswith("3 / 3  ·  ")
    back = [presenter.current_id]
    for _ in range(5):
        qtbot.keyClick(presenter, K.Key_PageUp)
        if presenter.current_id != back[-1]:
            back.append(presenter.current_id)
    assert back == chosen[::-1]
    presenter.close()
    assert window.current_id == chosen[0]
    assert load_preferences(window.paths.settings_file).plan == chosen  # kept


def test_the_plan_menu_adds_removes_and_clears(qtbot, window):
    menu = install_plan(window)
    plan = window.session.plan
    actions = {a.text(): a for a in menu.actions()}
    assert actions["No plan: the whole FAQ is presented and printed"].isEnabled() is False
    qtbot.keyClick(window, K.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert plan.ids == ["is-it-real"]
    window.open_section("insurance")
    actions["&Add this question to the plan"].trigger()
    assert plan.ids == ["is-it-real", "insurance"]
    assert menu.actions()[0].text() == "Plan: 2 of the 16 questions"
    actions["&Add this question to the plan"].trigger()  # twice: still once
    actions["Re&move this question from the plan"].trigger()
    assert plan.ids == ["is-it-real"]
    item = window.sidebar.topLevelItem(0).child(0)
    pos = window.sidebar.visualItemRect(item).center()
    context = plan_context_menu(window, window.sidebar, pos)
    assert [a.text() for a in context.actions()] == ["Add to the session plan"]
    context.actions()[0].trigger()
    assert plan.ids == ["is-it-real", item.data(0, ID_ROLE)]
    actions["&Clear the plan"].trigger()
    assert plan.ids == []


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


def test_the_plan_is_kept_through_a_language_switch(qtbot, qapp, tmp_path):
    from reader.config import Settings
    from reader.content import load_document
    from reader.settings import Preferences
    from reader.ui.i18n import install_translators
    from reader.ui.languages import LanguageSwitcher
    from reader.ui.presenter import present

    paths = resolve_paths(data_dir=tmp_path / "data", config=tmp_path / "reader.toml")
    prefs = Preferences()
    switcher = LanguageSwitcher(paths, Settings(), prefs, False, "en", [],
                                install_facilitator_tools)
    window, _ = switcher.build(load_document(paths.content_dir))
    switcher.adopt(window)
    window.save_on_close = False
    window.session.plan.set(["insurance", "scams", "is-it-real"])
    try:
        switcher.switch("es")
        spanish = switcher.window
        spanish.save_on_close = False
        qtbot.addWidget(spanish)
        assert spanish.document.language == "es"
        assert spanish.session.plan.ids == ["insurance", "scams", "is-it-real"]
        assert spanish.findChild(type(spanish.file_menu), "planMenu").title() == \
            "&Plan de la sesión"
        presenter = present(spanish)
        qtbot.waitExposed(presenter)
        assert presenter.ids == ["insurance", "scams", "is-it-real"]
        assert presenter.current_id == "insurance"
        assert says_notice_and_crisis(presenter.footer.text(), spanish.document.metadata)
        assert "llame" in presenter.footer.text()  # in Spanish
        assert presenter.footer.text().startswith("1 / 3")
        presenter.close()
    finally:
        install_translators(qapp, "en")
    window.close()
