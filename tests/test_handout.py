"""Handouts: the PDF holds the title block and every chosen question in the chosen order,
numbered pages that each carry the notice and the crisis line; read back with poppler."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # until tests/conftest.py sets it

import html
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from reader.config import Settings
from reader.content import Renderer, load_document
from reader.paths import resolve_paths
from reader.settings import Preferences, load_preferences
from reader.ui.facilitator import install_handout
from reader.ui.handout import HandoutDialog, make_printer, open_handout_dialog
from reader.ui.handout_pdf import (
    HandoutError,
    HandoutOptions,
    build_handout,
    default_paper,
    footer_lines,
    paper_for_locale,
    printable_links,
    write_pdf,
)
from reader.ui.session import ReaderSession
from reader.ui.window import MainWindow

pytestmark = pytest.mark.usefixtures("qapp")  # QPrinter needs a QApplication
ROOT = Path(__file__).resolve().parent.parent
EM_HEIGHT = 1.164  # DejaVu Serif, ascent + descent in ems
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


def pdf_pages(path, layout: bool = False) -> list[str]:
    """The text of each page, ligatures undone and whitespace collapsed; `layout`: in the
    lines as printed (the footer's lines stay together)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []),
                          str(path), "-"], check=True, capture_output=True, text=True).stdout
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
        assert f"Page {number} of {count} · {flat(meta.notice)} · {flat(meta.crisis_line)}" \
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
        found = [n for n, page in enumerate(pages, start=1)
                 if page.count(title) > (1 if n == 1 else 0)]  # page 1: the contents too
        assert int(listed.group(1)) == found[0], section.id


def layout_pages(path) -> list[list[str]]:
    """Each page's lines as pdftotext -layout sees them, blank ones left out."""
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = [[flat(line).strip() for line in page.splitlines() if line.strip()]
             for page in out.split("\f")]
    return [page for page in pages if page]


def footer_at(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines) if re.match(r"(Page|Página) \d+ (of|de) ", line))


def word_boxes(path) -> list[list[tuple[str, float, float]]]:
    """Each page's words with their top and height (pt), from pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" '
                           r'yMax="([\d.]+)">([^<]*)</word>', page)
        pages.append([(html.unescape(w), float(top), float(bottom) - float(top))
                      for top, bottom, w in words])
    return pages


def cli_handout(tmp_path, *args: str, name: str = "cli.pdf") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir",
                           str(tmp_path / "cli-data"), "handout", "--out",
                           str(tmp_path / name), *args],
                          capture_output=True, text=True, env=env, timeout=120)


CASES = [("en", "letter", False), ("es", "a4", False), ("en", "a4", True),
         ("es", "letter", True)]


@needs_pdftotext
@pytest.mark.parametrize(("lang", "paper", "large"), CASES)
def test_every_page_carries_the_notice_and_crisis_line(tmp_path, lang, paper, large):
    run = cli_handout(tmp_path, "--lang", lang, "--paper", paper,
                      *(["--large-print"] if large else []))
    assert run.returncode == 0, run.stderr
    path = tmp_path / "cli.pdf"
    meta = load_document(ROOT / "content", language=lang).metadata
    short_notice = meta.notice.split(". ")[0]
    pages = pdf_pages(path, layout=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert f"Pages: {len(pages)}" in flat(info)
    assert ("(letter)" if paper == "letter" else "(A4)") in info
    assert flat(meta.crisis_line) in pages[0] and flat(meta.notice) in pages[0]  # the box
    for number, (lines, words) in enumerate(zip(layout_pages(path), word_boxes(path),
                                                strict=True), start=1):
        footer = lines[footer_at(lines):]
        assert len(footer) <= 2, (number, footer)  # the footer: one or two lines
        said = " ".join(footer)
        if large:  # 16 pt: the content's footer forms of the notice and the crisis line
            assert flat(meta.footer_crisis_line) in said and flat(meta.footer_notice) in said
        else:
            assert flat(meta.crisis_line) in said and flat(short_notice) in said, number
        page_word = next(top for word, top, _ in words if word in ("Page", "Página"))
        tops = {round(top) for _, top, _ in words if top >= page_word - 1}
        assert len(tops) <= 2, number


TYPICAL = ["what-is-ketamine", "how-long-does-relief-last", "insurance"]
SHORT = ["scams", "insurance", "is-it-real"]
LONGEST = ["does-ketamine-work", "how-is-ketamine-given", "where-to-get-treatment"]


@needs_pdftotext
@pytest.mark.parametrize(("lang", "paper", "ids"), [
    (lang, paper, ids) for lang in ("en", "es") for paper in ("letter", "a4")
    for ids in (TYPICAL, SHORT, LONGEST)])
def test_three_questions_take_at_most_two_pages(tmp_path, lang, paper, ids):
    run = cli_handout(tmp_path, "--lang", lang, "--paper", paper, "--ids", ",".join(ids))
    assert run.returncode == 0, run.stderr
    assert len(pdf_pages(tmp_path / "cli.pdf")) <= 2


def pdf_page_count(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


# Spanish three-question plans that took three pages (Letter, and the second on A4 too)
# before the lines of a short handout could move a little closer
SPANISH_THREES = [
    ["what-is-ketamine", "does-ketamine-work", "how-long-does-relief-last"],
    ["what-is-ketamine", "does-ketamine-work", "how-is-ketamine-given"],
    ["is-ketamine-safe", "does-ketamine-work", "where-to-get-treatment"],
]


@needs_pdftotext
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_spanish_three_question_plans_take_at_most_two_pages(qapp, paths, tmp_path, paper):
    """The longest three answers, and the plans that ran over before, in Spanish (its
    words are longer): two pages, each with its footer, and body text still 11 pt."""
    from reader.ui.i18n import install_translators

    spanish = load_document(paths.content_dir, language="es")
    by_length = sorted(spanish.sections, key=lambda s: -len(s.text))
    plans = [[s.id for s in by_length[:3]], *SPANISH_THREES]
    meta = spanish.metadata
    install_translators(qapp, "es")
    try:
        for number, plan in enumerate(plans):
            path = tmp_path / f"es-{paper}-{number}.pdf"
            write_pdf(spanish, Renderer(spanish, None), plan, path, paths.resources_dir,
                      HandoutOptions(paper))
            pages = pdf_pages(path, layout=True)
            assert pdf_page_count(path) == len(pages) <= 2, plan
            for page in pages:
                assert flat(meta.crisis_line) in page and "Página" in page, plan
            heights = [round(h, 1) for page in word_boxes(path) for _, _, h in page]
            assert max(set(heights), key=heights.count) / EM_HEIGHT == \
                pytest.approx(11, abs=0.3)
    finally:
        install_translators(qapp, "en")


@needs_pdftotext
@pytest.mark.parametrize(("lang", "paper", "large"), CASES)
def test_no_page_ends_with_a_heading(tmp_path, lang, paper, large):
    run = cli_handout(tmp_path, "--lang", lang, "--paper", paper,
                      *(["--large-print"] if large else []))
    assert run.returncode == 0, run.stderr
    document = load_document(ROOT / "content", language=lang)
    headings = [flat(s.title) for s in document.sections] + \
        [flat(group) for group, _ in document.groups() if group]
    for number, lines in enumerate(layout_pages(tmp_path / "cli.pdf"), start=1):
        body = lines[:footer_at(lines)]
        last = body[-1]
        assert not any(h.endswith(last) for h in headings), (number, last)


def test_no_line_is_left_alone_at_a_page_top_or_bottom(document, renderer, paths):
    """Widows and orphans, in the laid-out pages: a paragraph that runs over a page is two
    blocks, with at least two lines on each page; a heading has its answer's first lines
    below it."""
    from reader.ui.handout_pdf import make_pdf_writer

    continued = 0
    for lang in ("en", "es"):
        doc_ = load_document(paths.content_dir, language=lang)
        for options in (HandoutOptions("letter"), HandoutOptions("a4", large_print=True)):
            writer = make_pdf_writer(paths.data_dir / "unused.pdf", options, "x")
            built = build_handout(doc_, Renderer(doc_, None), [s.id for s in doc_.sections],
                                  paths.resources_dir, writer, options)
            layout, height = built.documentLayout(), built.pageSize().height()

            def pages_of(block, layout=layout, height=height):
                top = layout.blockBoundingRect(block).top()
                lines = block.layout()
                return [int((top + lines.lineAt(i).y() + 1) // height)
                        for i in range(lines.lineCount())]

            block = built.begin()
            while block.isValid():
                on, after = pages_of(block), block.next()
                assert len(set(on)) <= 1, block.text()[:60]  # one page a block
                if on and after.isValid() and after.blockFormat().topMargin() == 0 \
                        and block.blockFormat().bottomMargin() == 0 \
                        and pages_of(after)[:1] == [on[0] + 1]:
                    continued += 1  # one paragraph over two pages
                    assert len(on) >= 2 and len(pages_of(after)) >= 2, block.text()[:60]
                if block.blockFormat().headingLevel() in (2, 5) and after.isValid():
                    assert on[:1] == pages_of(after)[:1], block.text()
                block = after
            del writer
    assert continued  # paragraphs do run over pages: the check saw some


@needs_pdftotext
def test_the_chosen_order_is_kept(document, renderer, paths, tmp_path):
    ids = ["scams", "what-is-ketamine", "insurance", "is-it-real"]
    path = tmp_path / "ordered.pdf"
    write_pdf(document, renderer, ids, path, paths.resources_dir)
    text = " ".join(pdf_pages(path))
    titles = [flat(document.get(i).title) for i in ids]
    contents = [text.index(t) for t in titles]
    assert contents == sorted(contents)  # the contents list in this order
    bodies = [text.index(t, text.index(titles[-1]) + 1) for t in titles]
    assert bodies == sorted(bodies)  # and the questions themselves


@needs_pdftotext
def test_cross_references_give_the_page(document, renderer, paths, tmp_path):
    path = tmp_path / "links.pdf"
    ids = ["different-from-antidepressants", "what-is-ketamine", "is-it-hype"]
    write_pdf(document, renderer, ids, path, paths.resources_dir)
    pages = pdf_pages(path)
    hype = flat(document.get("is-it-hype").title)
    on = next(n for n, page in enumerate(pages, start=1)
              if page.count(hype) > (2 if n == 1 else 0) or
              (n > 1 and hype in page and f"{hype}, page" not in page))
    assert f"see also {hype}, page {on}" in " ".join(pages)
    assert "how well ketamine works for depression and" in " ".join(pages)  # not in it: no page


@needs_pdftotext
def test_the_last_page_has_the_address_and_a_qr_code(document, renderer, paths, tmp_path):
    path = tmp_path / "qr.pdf"
    count = write_pdf(document, renderer, SUBSET, path, paths.resources_dir)
    assert "ketaminenetwork.org" in pdf_pages(path)[-1]
    images = subprocess.run(["pdfimages", "-list", str(path)], check=True,
                            capture_output=True, text=True).stdout.splitlines()[2:]
    assert [int(row.split()[0]) for row in images] == [count]
    if not shutil.which("zbarimg"):
        pytest.skip("zbarimg (Debian's zbar-tools) is not installed: the QR code is not read back")
    # a phone photographs paper printed at 150 dpi or better; Qt stores the code as JPEG
    subprocess.run(["pdftoppm", "-r", "150", "-f", str(count), "-l", str(count), "-png",
                    str(path), str(tmp_path / "last")], check=True)
    [picture] = tmp_path.glob("last*.png")
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(picture)], capture_output=True,
                             text=True)
    assert scanned.stdout.split() == [document.metadata.website], scanned.stderr


@needs_pdftotext
def test_large_print_body_is_at_least_16_points(tmp_path):
    """Word boxes from pdftotext -bbox are the font's ascent to descent: 1.16 em in the
    body font. The commonest word height is the body's."""
    ids = "what-is-ketamine,insurance,scams"
    sizes = {}
    for name, extra in (("normal.pdf", []), ("large.pdf", ["--large-print"])):
        run = cli_handout(tmp_path, "--ids", ids, *extra, name=name)
        assert run.returncode == 0, run.stderr
        heights = [round(h, 1) for page in word_boxes(tmp_path / name) for _, _, h in page]
        sizes[name] = max(set(heights), key=heights.count) / EM_HEIGHT
    assert sizes["normal.pdf"] == pytest.approx(11, abs=0.3)
    assert sizes["large.pdf"] >= 16 - 0.1


SANS_EM = 1.164  # DejaVu Sans (the footer's font), ascent + descent in ems


def footer_words(path) -> list[list[tuple[str, float, float]]]:
    """Each page's footer words (from "Page"/"Página" on) with their top and height."""
    pages = []
    for words in word_boxes(path):
        start = max(n for n, (word, _, _) in enumerate(words) if word in ("Page", "Página"))
        pages.append(words[start:])
    return pages


@needs_pdftotext
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_large_print_footer_is_large_print_too(qapp, paths, tmp_path, lang, paper):
    """The crisis line a reader of large print needs is as large as the body: 16 pt (14 at
    the least), on one or two lines, on every page, in the handout's language."""
    from reader.ui.i18n import install_translators

    document = load_document(paths.content_dir, language=lang)
    meta = document.metadata
    install_translators(qapp, lang)
    try:
        path = tmp_path / "large.pdf"
        count = write_pdf(document, Renderer(document, None), [s.id for s in document.sections],
                          path, paths.resources_dir, HandoutOptions(paper, large_print=True))
    finally:
        install_translators(qapp, "en")
    assert pdf_page_count(path) == count > 3
    for number, words in enumerate(footer_words(path), start=1):
        sizes = {round(height / SANS_EM, 1) for _, _, height in words}
        assert min(sizes) >= 14, (number, sizes)
        assert max(sizes) <= 16.1, (number, sizes)  # one size, never above the body's
        assert len({round(top) for _, top, _ in words}) <= 2, number
        said = flat(" ".join(word for word, _, _ in words))
        assert said.startswith(("Page" if lang == "en" else "Página") + f" {number} ")
        assert flat(meta.footer_crisis_line) in said and flat(meta.footer_notice) in said


@needs_pdftotext
def test_a_clinics_own_crisis_line_is_whole_on_every_page(paths, tmp_path):
    """A clinic's crisis line (settings) has no footer form: every page of a large-print
    handout carries it whole, never the content's 988 line, on at most two lines."""
    own = ("In crisis? Call the Riverside Clinic's 24-hour line, 555-0100, or walk in to "
           "the emergency department on Oak Street.")
    document = load_document(paths.content_dir, crisis_line=own)
    assert document.metadata.footer_crisis_line == ""
    path = tmp_path / "clinic.pdf"
    write_pdf(document, Renderer(document, None), TYPICAL, path, paths.resources_dir,
              HandoutOptions("a4", large_print=True))
    for number, words in enumerate(footer_words(path), start=1):
        said = flat(" ".join(word for word, _, _ in words))
        assert flat(own) in said and "988" not in said, number
        assert len({round(top) for _, top, _ in words}) <= 2, number


def test_a_translation_without_footer_forms_never_borrows_the_originals(tmp_path):
    """A Spanish metadata.toml with its own crisis line and no footer forms: its footers
    give its whole crisis line, never the English footer form."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    metadata = content / "es" / "metadata.toml"
    metadata.write_text("".join(line for line in metadata.read_text(encoding="utf-8")
                                .splitlines(keepends=True)
                                if not line.startswith("footer_")), encoding="utf-8")
    meta = load_document(content, language="es").metadata
    assert meta.footer_crisis_line == meta.footer_notice == ""
    assert meta.crisis_line.startswith("¿Está en crisis?")
    for parts in footer_lines(load_document(content, language="es"), 1, 2):
        assert meta.crisis_line in parts


def test_the_command_needs_no_display_nor_widgets(tmp_path):
    code = ("import sys; from reader.cli import main; "
            f"rc = main(['handout', '--out', {str(tmp_path / 'x.pdf')!r}, '--ids', 'insurance']); "
            "print(rc, 'PySide6.QtWidgets' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                            "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(ROOT)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=120, cwd=tmp_path)
    assert run.stdout.split()[-2:] == ["0", "False"], run.stderr


@pytest.mark.parametrize(("args", "reason"), [
    (["--ids", "insurance,no-such-question"], "no question with the id no-such-question"),
    (["--ids", ","], None),
])
def test_the_command_refuses_an_unknown_id(tmp_path, args, reason):
    run = cli_handout(tmp_path, *args)
    if reason is None:  # nothing chosen: all questions
        assert run.returncode == 0, run.stderr
        return
    assert run.returncode == 2
    assert reason in run.stderr and "insurance" in run.stderr  # the ids there are
    assert not (tmp_path / "cli.pdf").exists()


def test_the_command_refuses_an_unwritable_place(tmp_path):
    run = cli_handout(tmp_path, name="missing/x.pdf")
    assert run.returncode == 2 and "its folder does not exist" in run.stderr
    (tmp_path / "folder.pdf").mkdir()
    run = cli_handout(tmp_path, name="folder.pdf")
    assert run.returncode == 2 and "it is a folder" in run.stderr
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if not os.access(locked, os.W_OK):  # root may write anywhere
        run = cli_handout(tmp_path, name="locked/x.pdf")
        assert run.returncode == 2 and "Cannot write" in run.stderr, run.stderr


def test_links_print_as_text():
    assert printable_links('see <a href="#is-it-hype">Is this just hype?</a>') == \
        "see Is this just hype?"
    assert printable_links('see <a href="#is-it-hype">Is this just hype?</a>',
                           {"is-it-hype": 3}) == "see Is this just hype?, page 3"
    assert printable_links('a <a href="#scams">list</a>, but', {"scams": 2}) == \
        "a list (page 2), but"
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
        return paper_for_locale(QLocale(name))

    assert size("en_US") == size("en_CA") == size("es_MX") == size("C") == "letter"
    assert size("de_DE") == size("en_GB") == size("fr_FR") == size("es_ES") == "a4"


def test_paper_follows_lc_paper_before_the_language():
    assert default_paper({"LANG": "en_US.UTF-8", "LC_PAPER": "en_GB.UTF-8"}) == "a4"
    assert default_paper({"LANG": "en_GB.UTF-8", "LC_PAPER": "en_US.UTF-8"}) == "letter"
    assert default_paper({"LC_PAPER": "es_ES.UTF-8@euro"}) == "a4"
    assert default_paper({"LC_ALL": "en_US.UTF-8", "LC_PAPER": "de_DE.UTF-8"}) == "letter"
    assert default_paper({"LC_PAPER": "C"}) == paper_for_locale(QLocale.system())


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
    assert dialog.chosen_ids() == ["selling-something", "scams", "what-is-ketamine"]  # last
    assert dialog.pdf_button.isEnabled()

    pages = dialog.save_pdf(tmp_path / "handout.pdf")
    assert pages >= 2 and (tmp_path / "handout.pdf").exists()
    assert dialog.status.text().startswith(f"Saved {pages} pages to ")
    dialog.all_button.click()  # the rest join at the end, in the FAQ's order
    assert dialog.chosen_ids() == ["selling-something", "scams", "what-is-ketamine"] + [
        i for i in all_ids if i not in ("selling-something", "scams", "what-is-ketamine")]


def test_print_to_a_printer(qtbot, document, renderer, paths, tmp_path):
    dialog = HandoutDialog(document, renderer, paths.resources_dir)
    qtbot.addWidget(dialog)
    printer = make_printer(HandoutOptions(paper="a4"), tmp_path / "printed.pdf")  # as a dialog
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


def test_the_dialog_orders_the_plan_and_remembers_the_paper(qtbot, new_session):
    session = new_session()
    session.plan.set(["insurance", "scams", "is-it-real"])
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.save_on_close = False
    dialog = open_handout_dialog(window)
    assert dialog.chosen_ids() == ["insurance", "scams", "is-it-real"]  # the plan, in order
    assert dialog.count.text() == "3 of 16 chosen"
    dialog.order.setCurrentRow(2)
    dialog.up_button.click()
    assert session.plan.ids == ["insurance", "is-it-real", "scams"]
    dialog.order.setFocus()
    dialog.order.setCurrentRow(0)
    qtbot.keyClick(dialog.order, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert session.plan.ids == ["is-it-real", "insurance", "scams"]
    assert dialog.order.dragDropMode() == dialog.order.DragDropMode.InternalMove
    dialog.order.model().moveRow(dialog.order.rootIndex(), 2, dialog.order.rootIndex(), 0)
    assert session.plan.ids == ["scams", "is-it-real", "insurance"]  # as a drag moves it
    saved = session.paths.settings_file.read_text(encoding="utf-8")
    assert '"scams",\n  "is-it-real",\n  "insurance"' in saved

    dialog.paper.setCurrentIndex(dialog.paper.findData("a4"))
    dialog.large_print.setChecked(True)
    assert dialog.options() == HandoutOptions("a4", large_print=True)
    reopened = load_preferences(session.paths.settings_file)
    assert (reopened.paper, reopened.large_print) == ("a4", True)
    later = HandoutDialog(window.document, window.renderer, window.paths.resources_dir,
                          prefs=reopened)
    qtbot.addWidget(later)
    assert later.options() == HandoutOptions("a4", large_print=True)
    dialog.reject()


def test_the_save_dialog_starts_in_documents_and_speaks_spanish(qtbot, qapp, new_session,
                                                               tmp_path):
    from reader.ui.i18n import install_translators

    documents = Path(os.environ["HOME"]) / "Documents"
    documents.mkdir()
    session = new_session(language="es")
    assert install_translators(qapp, "es") == []
    try:
        dialog = HandoutDialog(session.document, session.renderer, session.paths.resources_dir)
        qtbot.addWidget(dialog)
        saver = dialog.save_dialog()
        qtbot.addWidget(saver)
        saver.show()
        assert Path(saver.directory().absolutePath()) == documents
        shown = [w.text() for w in saver.findChildren(QLabel) + saver.findChildren(
            QAbstractButton) if w.isVisible() and w.text()]
        shown += [w.toolTip() for w in saver.findChildren(QAbstractButton) if w.toolTip()]
        assert "Buscar en:" in shown and "Archivos de tipo:" in shown and "&Guardar" in shown
        english = {"Look in:", "File name:", "Files of type:", "&Save", "Save", "Cancel",
                   "&Cancel", "Back", "Forward", "Parent Directory", "Create New Folder",
                   "List View", "Detail View"}
        assert not english & set(shown), english & set(shown)
        saver.reject()
    finally:
        install_translators(qapp, "en")


def test_the_dialog_fits_the_screen_with_large_text(qtbot, qapp, document, renderer, paths):
    from PySide6.QtGui import QFont

    normal = qapp.font()
    big = QFont(normal)
    big.setPointSizeF(normal.pointSizeF() * 2)
    qapp.setFont(big)
    try:
        dialog = HandoutDialog(document, renderer, paths.resources_dir)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        room = dialog.screen().availableGeometry()
        assert dialog.frameGeometry().width() <= room.width()
        assert dialog.frameGeometry().height() <= room.height()
        assert dialog.minimumSizeHint().width() <= room.width()
        assert [dialog.order.item(r).text() for r in range(2)] == [
            f"1. {document.sections[0].title}", f"2. {document.sections[1].title}"]
    finally:
        qapp.setFont(normal)


@needs_pdftotext
def test_the_command_writes_the_dialogs_document(qtbot, document, renderer, paths, tmp_path):
    ids = ["scams", "what-is-ketamine", "insurance"]
    dialog = HandoutDialog(document, renderer, paths.resources_dir)
    qtbot.addWidget(dialog)
    dialog.show_ids(ids)
    dialog.paper.setCurrentIndex(dialog.paper.findData("a4"))
    dialog.large_print.setChecked(True)
    assert dialog.save_pdf(tmp_path / "dialog.pdf") > 0
    run = cli_handout(tmp_path, "--ids", ",".join(ids), "--paper", "a4", "--large-print")
    assert run.returncode == 0, run.stderr
    assert layout_pages(tmp_path / "dialog.pdf") == layout_pages(tmp_path / "cli.pdf")


@needs_pdftotext
def test_a_printed_handout_carries_the_crisis_line_on_every_page(qtbot, document, renderer,
                                                                 paths, tmp_path):
    dialog = HandoutDialog(document, renderer, paths.resources_dir)
    qtbot.addWidget(dialog)
    printer = make_printer(HandoutOptions(paper="letter"), tmp_path / "printed.pdf")
    count = dialog.print_to(printer)  # the print dialog's printer, printing to a file
    pages = pdf_pages(tmp_path / "printed.pdf", layout=True)
    assert len(pages) == count
    for page in pages:
        assert flat(document.metadata.crisis_line) in page
        assert "General information, not medical advice" in page
