"""Switching language in the running reader: the same question, text size and history; a
kiosk back to its default language for the next person."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QPushButton
from touch_helpers import Finger

from reader.config import KioskSettings, Settings
from reader.paths import resolve_paths
from reader.settings import Preferences
from reader.ui.facilitator import install_facilitator_tools
from reader.ui.i18n import install_translators
from reader.ui.kiosk import open_kiosk
from reader.ui.languages import LanguageSwitcher
from reader.ui.session import ReaderSession
from reader.ui.window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def english(qapp):
    install_translators(qapp, "en")
    yield
    install_translators(qapp, "en")
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.save_on_close = False
            controller = getattr(widget, "_test_controller", None)
            if controller is not None:
                controller.allow_exit()
            widget.search_panel.wait_idle()
            widget.close()
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def build(tmp_path, kiosk: bool):
    paths = resolve_paths(data_dir=tmp_path / "data", config=tmp_path / "reader.toml")
    settings = Settings(kiosk=KioskSettings(enabled=kiosk))
    prefs = Preferences(text_scale=150 if kiosk else 125)
    session = ReaderSession.for_paths(paths, settings, prefs)
    controller = None
    if kiosk:
        window, controller = open_kiosk(session, 600_000, 600_000)
        window._test_controller = controller
    else:
        window = MainWindow(session)
    tools = None if kiosk else install_facilitator_tools  # as launch passes them
    if tools is not None:
        tools(window)
    switcher = LanguageSwitcher(paths, settings, prefs, kiosk, "en", [], tools)
    switcher.adopt(window, controller)
    window.open_initial(None)
    if controller is not None:
        controller.show_window()
    else:
        window.show()
    return switcher, window, controller


def test_the_button_rebuilds_the_reader_in_spanish_and_keeps_the_place(qtbot, tmp_path, english):
    switcher, window, _ = build(tmp_path, kiosk=False)
    qtbot.waitExposed(window)
    window.open_section("is-ketamine-safe")
    window.open_section("insurance")
    button = window.findChild(QPushButton, "languageButton")
    assert button.text() == "Español" and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    spanish = switcher.window
    assert spanish is not window and spanish.document.language == "es"
    assert spanish.current_id == "insurance"
    assert spanish.history.entries == ["what-is-ketamine", "is-ketamine-safe", "insurance"]
    assert spanish.back_action.isEnabled()
    assert spanish.prefs.text_scale == 125
    assert spanish.feedback_button.text() == "Enviar comentarios"
    assert "seguro" in spanish.viewer.toPlainText().lower()
    back = spanish.findChild(QPushButton, "languageButton")
    assert back.text() == "English"
    qtbot.waitUntil(lambda: not window.isVisible())
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    english_again = switcher.window
    assert english_again.document.language == "en"
    assert english_again.current_id == "insurance"
    assert english_again.feedback_button.text() == "Send feedback"


def test_the_rebuilt_window_keeps_presenting_and_printing_and_a_kiosk_has_neither(
        qtbot, tmp_path, english):
    def texts(w):
        return [a.text() for a in w.file_menu.actions() + w.view_menu.actions()]

    switcher, window, _ = build(tmp_path, kiosk=False)
    qtbot.waitExposed(window)
    qtbot.mouseClick(window.findChild(QPushButton, "languageButton"), Qt.MouseButton.LeftButton)
    assert {"&Presentar", "&Imprimir o guardar folleto…"} <= set(texts(switcher.window))
    kiosk_switcher, kiosk_window, _ = build(tmp_path / "kiosk", kiosk=True)
    Finger(qtbot).tap(kiosk_window.findChild(QPushButton, "languageButton"))
    assert not {"&Presentar", "&Imprimir o guardar folleto…"} & set(texts(kiosk_switcher.window))
    kiosk_switcher.controller.allow_exit()


def test_the_kiosk_switches_by_a_tap_and_goes_back_for_the_next_person(qtbot, tmp_path,
                                                                        english):
    switcher, window, controller = build(tmp_path, kiosk=True)
    qtbot.waitExposed(window)
    Finger(qtbot).tap(window.findChild(QPushButton, "languageButton"))
    spanish = switcher.window
    assert spanish.document.language == "es" and spanish.isVisible()
    assert switcher.controller is not controller
    assert spanish.findChild(QPushButton, "kioskFinished").text() != "I'm finished"
    switcher.controller.reset_now()  # the idle reset, or "I'm finished"
    qtbot.waitUntil(lambda: switcher.window.document.language == "en", timeout=5000)
    again = switcher.window
    assert again.isVisible() and again.current_id == "what-is-ketamine"
    assert again.findChild(QPushButton, "languageButton").text() == "Español"


def test_the_kiosk_empties_qt_s_pixmap_cache_after_a_switch_and_after_a_reset(
        qtbot, tmp_path, english):
    from PySide6.QtGui import QPixmap, QPixmapCache

    def drawn_for_the_last_reader() -> bool:
        return QPixmapCache.find("kfr-drawn-for-the-last-reader") is not None

    switcher, window, _ = build(tmp_path, kiosk=True)
    qtbot.waitExposed(window)
    QPixmapCache.insert("kfr-drawn-for-the-last-reader", QPixmap(64, 64))
    Finger(qtbot).tap(window.findChild(QPushButton, "languageButton"))
    qtbot.waitUntil(lambda: not drawn_for_the_last_reader(), timeout=15_000)
    QPixmapCache.insert("kfr-drawn-for-the-last-reader", QPixmap(64, 64))
    switcher.controller.reset_now()  # back to English
    qtbot.waitUntil(lambda: not drawn_for_the_last_reader(), timeout=15_000)
    QPixmapCache.insert("kfr-drawn-for-the-last-reader", QPixmap(64, 64))
    switcher.controller.reset_now()  # a reset in the same language
    qtbot.waitUntil(lambda: not drawn_for_the_last_reader(), timeout=15_000)


def test_an_untranslated_answer_says_it_is_shown_in_english(qtbot, tmp_path, english):
    import shutil

    folder = tmp_path / "content"
    shutil.copytree(resolve_paths().content_dir, folder)
    spanish = folder / "es" / "03-getting-treatment.md"
    text = spanish.read_text(encoding="utf-8")
    start = text.index("## ", text.index("{#insurance}") - 200)
    end = text.find("\n## ", text.index("{#insurance}"))
    spanish.write_text(text[:start] + (text[end + 1:] if end > 0 else ""), encoding="utf-8")
    install_translators(QApplication.instance(), "es")
    paths = resolve_paths(content=folder, data_dir=tmp_path / "data",
                          config=tmp_path / "reader.toml")
    window = MainWindow(ReaderSession.for_paths(paths, language="es"))
    qtbot.addWidget(window, before_close_func=lambda w: w.search_panel.wait_idle())
    window.show()
    window.open_section("insurance")
    assert window.document.get("insurance").fallback
    assert window.notice.isVisible()
    assert window.notice.text() == ("Esta respuesta todavía no está traducida, por eso se "
                                    "muestra en inglés.")
    window.open_section("regular-doctor")
    assert not window.notice.isVisible()


def test_feedback_written_in_spanish_says_so(qtbot, tmp_path, english):
    switcher, window, _ = build(tmp_path, kiosk=False)
    qtbot.mouseClick(window.findChild(QPushButton, "languageButton"), Qt.MouseButton.LeftButton)
    spanish = switcher.window
    spanish.open_feedback()
    form = spanish.feedback_form
    qtbot.keyClicks(form.name, "Ana")
    qtbot.keyClicks(form.comments, "Muy clara la respuesta.")
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert form.showing_thanks()
    [message] = spanish.session.outbox().messages("queued")
    assert message.language == "es"
    form.close()


def test_a_kiosk_switch_keeps_the_text_size_question_and_place_and_frees_the_old_reader(
        qtbot, tmp_path, english):
    import gc
    import weakref

    switcher, window, _ = build(tmp_path, kiosk=True)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    finger = Finger(qtbot)
    window.open_section("is-ketamine-safe")
    finger.tap(window.toolbar.widgetForAction(window.larger_action))  # A+: 150 -> 175
    assert window.prefs.text_scale == 175
    bar = window.viewer.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum() // 2)
    finger.tap(window.findChild(QPushButton, "languageButton"))
    spanish = switcher.window
    assert spanish is not window and spanish.document.language == "es"
    assert spanish.prefs.text_scale == 175
    assert spanish.current_id == "is-ketamine-safe"
    new_bar = spanish.viewer.verticalScrollBar()
    qtbot.waitUntil(lambda: new_bar.maximum() > 0)
    share = new_bar.value() / new_bar.maximum()
    assert 0.4 < share < 0.6  # the same place, as a share of the other language's text

    olds = [weakref.ref(o) for o in (window.session, window.document, spanish.session,
                                      spanish.document)]
    for _ in range(4):  # and back, twice: each old reader is freed, nothing piles up
        before = switcher.window
        olds += [weakref.ref(before.session), weakref.ref(before.document)]
        finger.tap(before.findChild(QPushButton, "languageButton"))
        qtbot.waitUntil(lambda b=before: switcher.window is not b)
    del window, spanish, before  # this test's own references to the old readers
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    assert windows == [switcher.window]
    alive = [ref() for ref in olds if ref() is not None]
    assert alive == []
