"""Handouts: the PDF holds the title page and every chosen question, numbered pages."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # until tests/conftest.py sets it

import re
import shutil
import subprocess
import unicodedata

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QPageSize
from PySide6.QtWidgets import QApplication

from reader.config import Settings
from reader.content import Renderer, load_document
from reader.paths import resolve_paths
from reader.settings import Preferences
from reader.ui.facilitator import install_handout
from reader.ui.handout import (
    HandoutDialog,
    HandoutError,
    build_handout,
    default_page_size,
    make_printer,
    printable_links,
    write_pdf,
)
from reader.ui.session import ReaderSession
from reader.ui.window import MainWindow

pytestmark = pytest.mark.usefixtures("qapp")  # QPrinter needs a QApplication
SUBSET = ["what-is-ketamine", "how-long-does-relief-last", "insurance", "scams"]
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext is not installed (apt-get install poppler-utils)")


@pytest.fixture
def paths(tmp_path):
    return resolve_paths(data_dir=tmp_path / "data")


@pytest.fixture
def document(paths):
    return load_document(paths.content_dir)


@pytest.fixture
def renderer(document):
    return Renderer(document, None)


def pdf_pages(path) -> list[str]:
    """The text of each page, ligatures undone and whitespace collapsed."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [re.sub(r"\s+", " ", unicodedata.normalize("NFKC", page)) for page in pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


@needs_pdftotext
def test_pdf_of_the_whole_faq(document, renderer, paths, tmp_path):
    path = tmp_path / "faq.pdf"
    count = write_pdf(document, renderer, [s.id for s in document.sections], path,
                      paths.resources_dir)
    pages = pdf_pages(path)
    assert count == len(pages) >= 3
    assert not list(tmp_path.glob("*.part"))
    title_page, text = pages[0], " ".join(pages)
    meta = document.metadata
    for line in ("Ketamine FAQ", "Published by Ketamine Advocacy Network, ketaminenetwork.org",
                 "Text as of 2015.", meta.date_note, meta.notice, meta.crisis_line,
                 "In this handout: all 16 questions"):
        assert flat(line) in title_page
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {count} · Ketamine FAQ (Ketamine Advocacy Network, 2015)" \
            in page
    for section in document.sections:
        title = flat(section.title)
        assert title in title_page, section.id  # the contents
        assert text.count(title) >= 2, section.id  # and the question itself


@needs_pdftotext
def test_pdf_of_chosen_questions_holds_only_those(document, renderer, paths, tmp_path):
    path = tmp_path / "chosen.pdf"
    write_pdf(document, renderer, SUBSET, path, paths.resources_dir)
    pages = pdf_pages(path)
    text = " ".join(pages)
    assert "In this handout: 4 of the 16 questions" in pages[0]
    assert "Page 1 of" in pages[0]
    assert flat(document.metadata.crisis_line) in pages[0]
    for section in document.sections:
        title = flat(section.title)
        if section.id in SUBSET:
            assert text.count(title) >= 2, section.id
            assert flat(section.text[:60]) in text, section.id
        else:
            assert title not in text, section.id


@needs_pdftotext
def test_contents_page_numbers_match_the_pages(document, renderer, paths, tmp_path):
    path = tmp_path / "faq.pdf"
    write_pdf(document, renderer, [s.id for s in document.sections], path,
              paths.resources_dir)
    pages = pdf_pages(path)
    for section in document.sections:
        title = flat(section.title)
        listed = re.search(re.escape(title) + r" (\d+)", pages[0])
        assert listed, section.id
        found = [n for n, page in enumerate(pages[1:], start=2) if title in page]
        assert int(listed.group(1)) == found[0], section.id


@needs_pdftotext
def test_no_question_heading_is_left_alone_at_a_page_bottom(document, renderer, paths,
                                                            tmp_path):
    path = tmp_path / "faq.pdf"
    write_pdf(document, renderer, [s.id for s in document.sections], path,
              paths.resources_dir, QPageSize(QPageSize.PageSizeId.A4))
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    titles = {s.title for s in document.sections}
    for page in out.split("\f")[1:]:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith("Page ")]
        if body:
            assert body[-1] not in titles
            assert body[-1] not in {group for group, _ in document.groups()}


def test_links_print_as_text():
    assert printable_links('see <a href="#is-it-hype">Is this just hype?</a>') == \
        "see Is this just hype?"
    assert printable_links('<a href="https://www.example.org/x">our list</a>') == \
        "our list (example.org/x)"
    assert printable_links('<a href="https://example.org">example.org</a>') == "example.org"
    assert printable_links('<a href="mailto:a@b.org">write</a>') == "write (a@b.org)"


def test_build_handout_without_a_printer(document, renderer, paths):
    doc = build_handout(document, renderer, ["insurance", "no-such-id"], paths.resources_dir)
    text = doc.toPlainText()
    assert "Does insurance cover ketamine treatment?" in text
    assert "1 of the 16 questions" in text
    with pytest.raises(HandoutError):
        build_handout(document, renderer, ["no-such-id"], paths.resources_dir)


@pytest.mark.qt_log_ignore("QPdfWriter|QPainter|QPrinter")
def test_unwritable_place_is_a_clear_error(document, renderer, paths, tmp_path):
    path = tmp_path / "missing-folder" / "faq.pdf"
    with pytest.raises(HandoutError, match="Cannot write"):
        write_pdf(document, renderer, SUBSET, path, paths.resources_dir)
    assert not path.exists()


def test_paper_follows_the_locale():
    def size(name):
        return default_page_size(QLocale(name)).id()

    letter, a4 = QPageSize.PageSizeId.Letter, QPageSize.PageSizeId.A4
    assert size("en_US") == size("en_CA") == size("es_MX") == size("C") == letter
    assert size("de_DE") == size("en_GB") == size("fr_FR") == a4


def test_dialog_chooses_and_saves(qtbot, document, renderer, paths, tmp_path):
    dialog = HandoutDialog(document, renderer, paths.resources_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    all_ids = [s.id for s in document.sections]
    assert dialog.chosen_ids() == all_ids
    assert dialog.count.text() == "16 of 16 chosen"
    dialog.none_button.click()
    assert dialog.chosen_ids() == []
    assert not dialog.pdf_button.isEnabled() and not dialog.print_button.isEnabled()

    topic = dialog.tree.topLevelItem(3)  # About us
    topic.setCheckState(0, Qt.CheckState.Checked)
    assert dialog.chosen_ids() == ["selling-something", "scams"]
    dialog.tree.setFocus()
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0).child(0))
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Space)
    assert dialog.chosen_ids() == ["what-is-ketamine", "selling-something", "scams"]
    assert dialog.pdf_button.isEnabled()

    pages = dialog.save_pdf(tmp_path / "handout.pdf")
    assert pages >= 2 and (tmp_path / "handout.pdf").exists()
    assert dialog.status.text().startswith(f"Saved {pages} pages to ")
    dialog.all_button.click()
    assert dialog.chosen_ids() == all_ids


def test_print_to_a_printer(qtbot, document, renderer, paths, tmp_path):
    dialog = HandoutDialog(document, renderer, paths.resources_dir)
    qtbot.addWidget(dialog)
    printer = make_printer(None, tmp_path / "printed.pdf")  # what the print dialog hands back
    assert dialog.print_to(printer) >= 3
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000


def test_install_puts_the_action_before_quit(qtbot, document, renderer, paths):
    window = MainWindow(ReaderSession(document, renderer, paths, Settings(), Preferences()))
    qtbot.addWidget(window)
    window.save_on_close = False
    action = install_handout(window)
    actions = window.file_menu.actions()
    quit_at = actions.index(window.quit_action)
    assert actions[quit_at - 2] is action and actions[quit_at - 1].isSeparator()
    assert action.shortcut().toString() == "Ctrl+P"
    action.trigger()
    dialog = window.findChild(HandoutDialog, "handoutDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.tree.accessibleName() and dialog.paper.accessibleName()
    dialog.reject()
    QApplication.processEvents()
