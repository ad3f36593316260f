"""The interface in Spanish: translations/reader_es.ts complete and current, the real window,
form, kiosk, presenter and handout shown in Spanish, English back, bad .qm files survived."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, QTranslator, QUrl
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QToolBar,
    QWidget,
)

from reader import APP_NAME
from reader.config import KioskSettings, Settings
from reader.kiosk import hash_pin
from reader.ui import i18n
from reader.ui.facilitator import install_handout, install_presenter
from reader.ui.handout import open_handout_dialog
from reader.ui.handout_pdf import handout_html
from reader.ui.i18n import install_translators
from reader.ui.kiosk import open_kiosk
from reader.ui.presenter import present
from reader.ui.sender import OutboxWorker
from reader.ui.window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "translations" / "reader_es.ts"
QT_TOOLS = Path(PySide6.__file__).parent
EXE = ".exe" if sys.platform == "win32" else ""
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%n")
TAG = re.compile(r"<[^>]+>")
# words that are English and never Spanish: one of them left in a label means a string
# that does not go through Qt's translation
ENGLISH = frozenset(re.findall(r"[a-z]+", """
the your you this that and with for of is are not page question questions
search send feedback close print save text message messages next previous larger smaller
help file view quit about clear cancel exit reading touch phone still finished answer
results email required optional comments name presentation handout chosen select paper
result notice information navigation back forward staff more below ask often"""))
ALLOWED = ("A+", "A−", APP_NAME, "Ketamine Advocacy Network", "feedback@ketaminenetwork.org")


def messages(path: Path = TS):
    """(context, source, translation element, numerus) of every current message."""
    for context in ET.parse(path).getroot().iter("context"):
        name = context.find("name").text
        for message in context.iter("message"):
            yield (name, message.find("source").text, message.find("translation"),
                   message.get("numerus") == "yes")


def forms(translation: ET.Element, numerus: bool) -> list[str]:
    if numerus:
        return [form.text or "" for form in translation.iter("numerusform")]
    return [translation.text or ""]


def english_sources() -> set[str]:
    return {source.replace("&", "").strip() for _, source, tr, numerus in messages()
            if source not in forms(tr, numerus)}


def compile_ts(ts: Path, qm: Path) -> None:
    subprocess.run([str(QT_TOOLS / f"lrelease{EXE}"), "-silent", str(ts), "-qm", str(qm)],
                   check=True, capture_output=True)


# --- the .ts file ------------------------------------------------------------------------


def test_every_message_is_translated_with_its_placeholders():
    found = list(messages())
    assert len(found) > 150
    for context, source, translation, numerus in found:
        where = f"{context}: {source!r}"
        assert translation.get("type") is None, f"{where} is {translation.get('type')}"
        texts = forms(translation, numerus)
        assert len(texts) == (2 if numerus else 1), where  # Spanish: one, other
        for text in texts:
            assert text.strip(), f"{where} has an empty translation"
            wanted = sorted(set(PLACEHOLDER.findall(source)))
            if numerus and "%n" not in source:
                wanted = [p for p in wanted if p != "%n"]
            assert sorted(set(PLACEHOLDER.findall(text))) == wanted, f"{where}: {text!r}"
            assert TAG.findall(text) == TAG.findall(source), where
            assert text.count("&") == source.count("&"), f"{where}: accelerator"
            assert text.count("\n") == source.count("\n"), where
            assert text[:1].isspace() == source[:1].isspace(), f"{where}: leading space"
            assert text.endswith(" ") == source.endswith(" "), f"{where}: trailing space"


def test_the_ts_holds_every_string_of_the_code(tmp_path):
    """pyside6-lupdate over reader/ finds exactly the strings the .ts has: a new string
    that is not in reader_es.ts (and translated, above) fails here."""
    fresh = tmp_path / "fresh_es.ts"
    subprocess.run([str(QT_TOOLS / f"lupdate{EXE}"), "-silent", "-extensions", "py",
                    str(ROOT / "reader"), "-ts", str(fresh)], check=True, capture_output=True)
    in_code = {(c, s) for c, s, _, _ in messages(fresh)}
    kept = {(c, s) for c, s, _, _ in messages()}
    assert in_code - kept == set(), "run: pyside6-lupdate -extensions py reader -ts " \
                                    "translations/reader_es.ts, then translate"
    assert kept - in_code == set(), "strings no longer in the code: lupdate -no-obsolete"


def _calls(tree: ast.AST):
    """(line, first two arguments) of every tr(), translate() and QT_TRANSLATE_NOOP() call."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in ("tr", "translate", "QT_TRANSLATE_NOOP") and node.args:
                yield node.lineno, name, node.args


def test_lupdate_sees_every_translated_literal_in_the_code():
    """A literal that lupdate silently skips (an f-string, or a plural count that is not a
    plain name) would stay English; every literal passed to tr/translate is in the .ts."""
    kept = {source for _, source, _, _ in messages()}
    for path in sorted((ROOT / "reader").rglob("*.py")):
        for line, name, args in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{line}"
            text = args[1] if name != "tr" and len(args) > 1 else args[0]
            assert not isinstance(text, ast.JoinedStr), f"{where}: an f-string is not found"
            if isinstance(text, ast.Constant) and isinstance(text.value, str):
                assert text.value in kept, f"{where}: {text.value!r} is not in the .ts"
            assert name == "tr" or len(args) < 4, f"{where}: lupdate sees plurals in tr() only"
            count = args[2] if name == "tr" and len(args) == 3 else None
            assert count is None or isinstance(count, ast.Name), \
                f"{where}: lupdate skips a plural whose count is not a plain name"


def test_dev_py_compiles_a_newer_ts_and_warns_about_a_broken_one(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    folder = tmp_path / "translations"
    folder.mkdir()
    (folder / "reader_es.ts").write_bytes(TS.read_bytes())
    python = Path(sys.executable)  # the venv's; pyside6-lrelease sits beside it
    assert dev.compile_translations(python, folder) == [folder / "reader_es.qm"]
    assert dev.stale_translations(folder) == []  # not compiled again until the .ts changes
    assert dev.compile_translations(python, folder) == []
    (folder / "reader_xx.ts").write_text("<TS><context>", encoding="utf-8")
    assert dev.compile_translations(python, folder) == []
    assert "reader_xx.ts could not be compiled" in capsys.readouterr().err


# --- the window in Spanish ------------------------------------------------------------------


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> Path:
    """A folder holding reader_es.qm compiled from the .ts now (Qt's qtbase_es.qm then
    comes from the wheel, as in a checkout)."""
    folder = tmp_path_factory.mktemp("translations")
    compile_ts(TS, folder / "reader_es.qm")
    return folder


@pytest.fixture
def spanish(qapp, compiled):
    assert install_translators(qapp, "es", compiled) == []
    yield qapp
    install_translators(qapp, "en")


@pytest.fixture
def make_window(qtbot, new_session):
    def make(kiosk_pin: str = "") -> tuple[MainWindow, object]:
        kiosk = KioskSettings(enabled=bool(kiosk_pin),
                              exit_pin_hash=hash_pin(kiosk_pin, iterations=1000)
                              if kiosk_pin else "")
        session = new_session(settings=Settings(kiosk=kiosk))
        controller = None
        if kiosk_pin:
            window, controller = open_kiosk(session, 60_000, 60_000)
        else:
            window = MainWindow(session)

        def before_close(w):
            w.search_panel.wait_idle()
            if controller is not None:
                controller.allow_exit()
            w.session.shutdown()

        qtbot.addWidget(window, before_close_func=before_close)
        window.open_initial(None)
        if controller is None:
            install_presenter(window)
            install_handout(window)
        window.show()
        qtbot.waitExposed(window)
        return window, controller

    return make


def _plain(text: str) -> str:
    if "<" in text:
        text = QTextDocumentFragment.fromHtml(text).toPlainText()
    return text.replace("&", "").strip()


def _action_texts(actions, where: str, found: list) -> None:
    for action in actions:
        if action.isSeparator():
            continue
        for text in (action.text(), action.toolTip(), action.statusTip(), action.iconText()):
            found.append((f"{where} › {action.text()}", text))
        if action.menu() is not None:
            _action_texts(action.menu().actions(), f"{where} › {action.text()}", found)


def shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of what a person sees or a screen reader says in `root` as it is now."""
    found: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() and not isinstance(widget, QMenuBar):
            continue
        where = widget.objectName() or type(widget).__name__
        values = [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription(),
                  widget.statusTip()]
        if widget.isWindow():
            values.append(widget.windowTitle())
        if isinstance(widget, (QLabel, QAbstractButton)):
            values.append(widget.text())
        if isinstance(widget, QLineEdit):
            values.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            values += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, (QMenuBar, QToolBar, QMenu)):
            _action_texts(widget.actions(), where, found)
        found += [(where, value) for value in values]
    return [(where, _plain(text)) for where, text in found if text and text.strip()]


def content_strings(window: MainWindow, *more: str) -> list[str]:
    """Text that comes from the content folder (English here; the Spanish FAQ is its own
    folder), longest first so that a title inside a sentence goes before its words."""
    meta = window.document.metadata
    strings = {s.title for s in window.document.sections} | {
        s.group for s in window.document.sections if s.group}
    strings |= {meta.title, meta.notice, meta.notice.split(". ")[0].rstrip("."),  # presenter
                meta.crisis_line, meta.footer_notice.rstrip("."), meta.footer_crisis_line,
                meta.publisher, meta.website,
                meta.text_date, meta.date_note, *ALLOWED, *more}
    return sorted({s.replace("&", "").strip() for s in strings if s}, key=len, reverse=True)


def untranslated(texts, content: list[str]) -> list[tuple[str, str]]:
    sources = english_sources()
    bad = []
    for where, text in texts:
        if text in sources:
            bad.append((where, text))
            continue
        rest = re.sub(r"\S+@\S+", " ", text.replace("\u200b", ""))  # addresses
        for piece in content:
            rest = rest.replace(piece, " ")
        words = set(re.findall(r"[a-z]+", rest.lower()))
        if words & ENGLISH:
            bad.append((where, text))
    return bad


def assert_spanish(root: QWidget, window: MainWindow, *more: str) -> list[tuple[str, str]]:
    texts = shown_texts(root)
    assert texts
    assert untranslated(texts, content_strings(window, *more)) == []
    return texts


def modal_texts(open_box) -> list[tuple[str, str]]:
    """What a modal message box says; it is read and closed from inside its own loop."""
    seen: list[tuple[str, str]] = []

    def read_and_close():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, read_and_close)
            return
        seen.extend(shown_texts(box))
        box.reject()

    QTimer.singleShot(0, read_and_close)
    open_box()
    return seen


def test_the_window_in_spanish(spanish, make_window, qtbot):
    window, _ = make_window()
    texts = dict((text, where) for where, text in assert_spanish(window, window))
    assert "Enviar comentarios" in texts
    assert window.search_panel.field.placeholderText() == "Buscar en las preguntas…"
    assert "Archivo" in texts and "Ayuda" in texts
    page = window.viewer.toPlainText()
    assert "Pregunta siguiente:" in page and "Next question" not in page
    assert "From the FAQ" not in page

    panel = window.search_panel
    with qtbot.waitSignal(panel.searched, timeout=20_000):
        panel.field.setText("zzqxv")
    assert panel.status.isVisible() and panel.ask_button.isVisible()
    assert_spanish(window, window, "zzqxv")
    assert panel.status.text().startswith("No hay resultados para")

    with qtbot.waitSignal(panel.searched, timeout=20_000):
        panel.field.setText("suicide")
    assert panel.crisis_card.isVisible()
    assert_spanish(window, window, "suicide")

    window.viewer.highlight(["ketamine"])
    assert re.match(r"Resultado \d+ de \d+ resaltado\. F3: siguiente", window.notice.text())

    about = modal_texts(window.show_about)
    assert untranslated(about, content_strings(window)) == []
    assert any(re.fullmatch(r"Sobre .*", text) for _, text in about)
    asked = modal_texts(lambda: window.confirm_external(QUrl("https://example.org/x")))
    assert untranslated(asked, content_strings(window, "https://example.org/x")) == []
    assert {"Abrir", "Cancelar"} <= {text for _, text in asked}  # Qt's qtbase_es.qm


def test_the_menus_keep_one_accelerator_per_letter_in_spanish(spanish, make_window):
    window, _ = make_window()
    menus = [window.menuBar(), *window.menuBar().findChildren(QMenu)]
    for menu in menus:
        keys = [re.search(r"&(\w)", a.text()).group(1).lower()
                for a in menu.actions() if "&" in a.text()]
        assert len(keys) == len(set(keys)), [a.text() for a in menu.actions()]


def test_the_feedback_form_in_spanish(spanish, make_window, qtbot):
    window, _ = make_window()
    window.open_feedback()
    form = window.feedback_form
    qtbot.waitExposed(form)
    assert form.windowTitle() == "Comentarios"
    assert_spanish(form, window)
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert form.errors["name"].isVisible() and form.errors["comments"].isVisible()
    assert form.errors["name"].text().startswith("Por favor, escriba su nombre")
    assert_spanish(form, window)
    form.email.setText("not an address")
    form.comments.setPlainText("x" * 5001)
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert "5,001" in form.errors["comments"].text()
    assert_spanish(form, window, "not an address")
    form.name.setText("Ana")
    form.email.setText("")
    form.comments.setPlainText("Gracias por la información.")
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert form.showing_thanks()
    texts = assert_spanish(form, window)
    assert any(text.startswith("Gracias.") for _, text in texts)
    qtbot.waitUntil(lambda: bool(window.outbox_status.text()), timeout=10_000)
    assert window.outbox_status.text() == "1 mensaje en espera (el correo no está configurado)"


def test_outbox_lines_in_both_languages(qapp, compiled):
    from reader.outbox import OutboxStatus

    worker = OutboxWorker(None, Settings().smtp)
    assert worker.describe(OutboxStatus(queued=2, failed=1)) == \
        "2 messages waiting, 1 message could not be sent"
    assert worker.describe(OutboxStatus()) == "No messages waiting"
    install_translators(qapp, "es", compiled)
    try:
        assert worker.describe(OutboxStatus(queued=2, failed=1)) == \
            "2 mensajes en espera, 1 mensaje no se pudo enviar"
    finally:
        install_translators(qapp, "en")


def test_the_kiosk_in_spanish(spanish, make_window, qtbot):
    window, kiosk = make_window(kiosk_pin="2468")
    assert kiosk.finished_button.text() == "Ya terminé"
    assert_spanish(window, window)
    kiosk.show_warning()
    qtbot.waitExposed(kiosk.notice)
    texts = assert_spanish(kiosk.notice, window)
    assert "¿Sigue leyendo?" in {text for _, text in texts}
    kiosk.keep_session()
    kiosk.request_exit()
    pad = kiosk.pin_dialog
    qtbot.waitExposed(pad)
    pad.field.setText("1111")
    pad.submit()
    assert pad.message.text() == "Ese PIN no es correcto. Quedan 4 intentos."
    assert_spanish(pad, window)
    pad.reject()
    kiosk.show_link(QUrl("https://example.org/page"))
    qtbot.waitExposed(kiosk.link_dialog)
    assert_spanish(kiosk.link_dialog, window, "https://example.org/page", "example.org/page")


def test_the_presenter_and_the_handout_in_spanish(spanish, make_window, qtbot, tmp_path):
    window, _ = make_window()
    presenter = present(window)
    qtbot.waitExposed(presenter)
    texts = assert_spanish(presenter, window)
    assert "(continuación)" not in " ".join(text for _, text in texts)  # the first part
    assert "Preguntas frecuentes de" in " ".join(presenter.footer_parts()[0])  # when room
    presenter.close()

    dialog = open_handout_dialog(window)
    qtbot.waitExposed(dialog)
    assert_spanish(dialog, window)
    pdf = tmp_path / "folleto.pdf"
    pages = dialog.save_pdf(pdf)
    assert pages > 1 and dialog.status.text() == f"Se guardaron {pages} páginas en {pdf}"
    assert_spanish(dialog, window, str(pdf))
    words = QTextDocumentFragment.fromHtml(handout_html(
        window.document, window.renderer, window.document.sections[:2])).toPlainText()
    assert "Publicado por" in words and "En este folleto: 2 de las" in words
    assert "Published by" not in words and "In this handout" not in words


# --- switching, and bad files -------------------------------------------------------------


class LanguageEvents(QObject):
    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.count += 1
        return False


def ours(app) -> list[QTranslator]:
    return app.findChildren(QTranslator, "readerTranslator")


def test_english_comes_back_and_installing_twice_changes_nothing(qapp, compiled, make_window,
                                                                 qtbot):
    window, _ = make_window()
    events = LanguageEvents(window.feedback_button)
    assert install_translators(qapp, "es", compiled) == []
    qtbot.waitUntil(lambda: events.count >= 1)
    assert len(ours(qapp)) == 2 and i18n.current_language(qapp) == "es"
    assert QCoreApplication.translate("MainWindow", "Send feedback") == "Enviar comentarios"
    seen = events.count
    assert install_translators(qapp, "es", compiled) == []
    QApplication.processEvents()
    assert events.count == seen and len(ours(qapp)) == 2

    assert install_translators(qapp, "en") == []
    qtbot.waitUntil(lambda: events.count > seen)  # widgets are told: they can retranslate
    assert ours(qapp) == [] and i18n.current_language(qapp) == "en"
    assert install_translators(qapp, "en") == []
    english, _ = make_window()
    assert english.feedback_button.text() == "Send feedback"
    assert english.search_panel.field.placeholderText() == "Search the questions…"
    assert english.menuBar().actions()[0].text() == "&File"


def _assert_english_and_never_blank(window: MainWindow) -> None:
    assert window.feedback_button.text() == "Send feedback"
    for button in window.findChildren(QAbstractButton):
        if button.isVisible():
            assert button.text().strip(), button.objectName()
    for action in window.menuBar().actions():
        assert action.text().strip()
        for item in action.menu().actions():
            assert item.isSeparator() or item.text().strip()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "missing"])
def test_a_bad_reader_qm_falls_back_to_english_with_a_warning(qapp, tmp_path, compiled,
                                                              make_window, damage):
    folder = tmp_path / "translations"
    folder.mkdir()
    good = (compiled / "reader_es.qm").read_bytes()
    data = {"garbage": b"not a Qt translation" * 50, "truncated": good[: len(good) // 2],
            "empty": b"", "missing": None}[damage]
    if data is not None:
        (folder / "reader_es.qm").write_bytes(data)
    warnings = install_translators(qapp, "es", folder)
    try:
        assert len(warnings) == 1 and "reader_es.qm" in warnings[0]
        assert "English" in warnings[0]
        assert ours(qapp) == [] and i18n.current_language(qapp) == "en"
        window, _ = make_window()
        _assert_english_and_never_blank(window)
    finally:
        install_translators(qapp, "en")


def test_a_bad_qtbase_qm_keeps_the_reader_in_spanish_with_a_warning(qapp, tmp_path, compiled,
                                                                    make_window):
    folder = tmp_path / "translations"
    folder.mkdir()
    (folder / "reader_es.qm").write_bytes((compiled / "reader_es.qm").read_bytes())
    (folder / "qtbase_es.qm").write_bytes(b"\0" * 100)  # a bundle's copy, damaged
    warnings = install_translators(qapp, "es", folder)
    try:
        assert len(warnings) == 1 and "qtbase_es.qm" in warnings[0]
        window, _ = make_window()
        assert window.feedback_button.text() == "Enviar comentarios"
    finally:
        install_translators(qapp, "en")


def test_a_language_without_a_translation_is_english_with_a_warning(qapp, make_window):
    warnings = install_translators(qapp, "fr")
    assert warnings and "English" in warnings[0]
    window, _ = make_window()
    _assert_english_and_never_blank(window)


def test_translations_are_looked_for_beside_content_and_resources():
    assert i18n.translations_dir() == ROOT / "translations"
    assert i18n.qt_translation("es").name == "qtbase_es.qm"
    assert i18n.qt_translation("es").is_file()  # from the wheel in a checkout

