"""The content loader and the Markdown renderer: reader/content.py (no Qt)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.content import (
    ContentError,
    Renderer,
    load_document,
    markdown_to_text,
    slugify,
)

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIDELITY_TOOL = ROOT.parent / "shared" / "tools" / "faq_fidelity.py"

EXPECTED_IDS = [
    # 01-about-ketamine.md
    "what-is-ketamine",
    "is-ketamine-safe",
    "horse-tranquilizer",
    # 02-ketamine-for-depression.md
    "does-ketamine-work",
    "is-it-real",
    "is-it-hype",
    "how-long-does-relief-last",
    "long-term-treatment",
    "different-from-antidepressants",
    # 03-getting-treatment.md
    "how-is-ketamine-given",
    "why-not-widely-used",
    "regular-doctor",
    "where-to-get-treatment",
    "insurance",
    # 04-about-us.md
    "selling-something",
    "scams",
]
EXPECTED_GROUPS = ["About ketamine", "Ketamine for depression", "Getting treatment", "About us"]

running_as_root = hasattr(os, "geteuid") and os.geteuid() == 0


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- the real FAQ -----------------------------------------------------------


def test_real_content_has_every_section_with_its_stable_id(document):
    assert [s.id for s in document.sections] == EXPECTED_IDS
    assert document.problems == []
    assert document.home.id == "what-is-ketamine"


def test_ids_are_the_explicit_ones_written_in_the_files(document):
    written = []
    for path in sorted(CONTENT.glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                assert line.rstrip().endswith("}"), f"{path.name}: {line!r} has no {{#id}}"
                written.append(line.rsplit("{#", 1)[1].rstrip("} "))
    assert written == EXPECTED_IDS


def test_loading_twice_gives_the_same_ids_and_fingerprint(document):
    again = load_document(CONTENT)
    assert [s.id for s in again.sections] == [s.id for s in document.sections]
    assert again.fingerprint == document.fingerprint


def test_groups_titles_and_metadata(document):
    assert [g for g, _ in document.groups()] == EXPECTED_GROUPS
    assert sum(len(sections) for _, sections in document.groups()) == 16
    section = document.get("horse-tranquilizer")
    assert section.title == "Isn’t ketamine a horse tranquilizer?"
    assert section.group == "About ketamine"
    assert section.source.name == "01-about-ketamine.md"
    assert "{#" not in section.title
    meta = document.metadata
    assert meta.publisher == "Ketamine Advocacy Network"
    assert meta.text_date == "2015"
    assert "988" in meta.crisis_line
    assert document.get("no-such-id") is None


def test_every_section_has_an_answer_in_plain_text(document):
    for section in document.sections:
        text = section.text
        assert len(text) > 80, section.id
        assert "](#" not in text and "{#" not in text and "**" not in text, section.id
        assert not section.markdown.lstrip().startswith("#"), section.id


@pytest.mark.skipif(not FIDELITY_TOOL.is_file(), reason="shared tools not in this checkout layout")
def test_every_source_sentence_is_in_the_content():
    result = subprocess.run(
        [sys.executable, str(FIDELITY_TOOL), str(ROOT)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 missing" in result.stdout


# --- format rules --------------------------------------------------------------


def test_duplicate_ids_are_renamed_and_reported(tmp_path):
    a = write(tmp_path, "a.md", "## One {#same}\n\nFirst.\n")
    b = write(tmp_path, "b.md",
              "# Group\n\n## Two {#same}\n\nSecond.\n\n## Three {#same}\n\nThird.\n")
    doc = load_document(tmp_path)
    assert [s.id for s in doc.sections] == ["same", "same-2", "same-3"]
    assert doc.get("same").title == "One"
    assert doc.get("same-2").title == "Two"
    assert doc.get("same-3").title == "Three"
    assert len(doc.problems) == 2
    assert str(b) in doc.problems[0] and f"{a}:1" in doc.problems[0]
    assert "renamed to 'same-2'" in doc.problems[0]


def test_ids_without_braces_come_from_the_question(tmp_path):
    write(tmp_path, "a.md", "## What’s the dose, really?\n\nText.\n")
    doc = load_document(tmp_path)
    assert [s.id for s in doc.sections] == ["what-s-the-dose-really"]


def test_a_file_without_question_headings_is_one_section(tmp_path):
    write(tmp_path, "extra_clinic-page.md", "Opening hours are 9 to 5.\n\nCall us.\n")
    doc = load_document(tmp_path)
    assert len(doc.sections) == 1
    section = doc.sections[0]
    assert section.id == "extra-clinic-page"
    assert section.title == "Extra clinic page"
    assert "Opening hours" in section.markdown and "Call us." in section.markdown
    assert doc.problems == []


def test_a_file_with_only_a_group_title_and_text_is_one_section(tmp_path):
    write(tmp_path, "x.md", "# Our clinic\n\nWe are open daily.\n")
    doc = load_document(tmp_path)
    assert [(s.id, s.title, s.group) for s in doc.sections] == [("x", "Our clinic", "Our clinic")]


def test_text_before_the_first_question_is_its_own_section(tmp_path):
    write(tmp_path, "intro.md", "# Group\n\nWelcome.\n\n## First? {#first}\n\nAnswer.\n")
    doc = load_document(tmp_path)
    assert [s.id for s in doc.sections] == ["intro", "first"]
    assert doc.sections[0].markdown.strip() == "Welcome."


def test_hashes_inside_code_fences_are_not_headings(tmp_path):
    write(tmp_path, "a.md", (
        "## Real question {#real}\n\n"
        "```\n## not a heading\n# not a group\n```\n\n"
        "~~~\n## also not\n~~~\n\n"
        "## Next {#next}\n\nMore.\n"
    ))
    doc = load_document(tmp_path)
    assert [s.id for s in doc.sections] == ["real", "next"]
    assert "## not a heading" in doc.get("real").markdown
    assert "## also not" in doc.get("real").markdown


def test_a_third_level_heading_stays_in_the_answer(tmp_path):
    write(tmp_path, "a.md", "## Q {#q}\n\n### Details\n\nText.\n")
    doc = load_document(tmp_path)
    assert [s.id for s in doc.sections] == ["q"]
    assert "### Details" in doc.sections[0].markdown


def test_files_are_read_in_sorted_order_including_subfolders(tmp_path):
    write(tmp_path, "b.md", "## B {#b}\n\nb\n")
    write(tmp_path, "a/z.md", "## AZ {#az}\n\nz\n")
    write(tmp_path, "a.md", "## A {#a}\n\na\n")
    assert [s.id for s in load_document(tmp_path).sections] == ["a", "az", "b"]


# --- bad input -------------------------------------------------------------------


def test_a_file_that_is_not_utf8_is_skipped_and_named(tmp_path):
    write(tmp_path, "good.md", "## Good {#good}\n\nFine.\n")
    bad = write(tmp_path, "latin1.md", "## Caf\u00e9 {#cafe}\n\nna\u00efve\n".encode("latin-1"))
    doc = load_document(tmp_path)
    assert [s.id for s in doc.sections] == ["good"]
    assert len(doc.problems) == 1
    assert str(bad) in doc.problems[0]
    assert "UTF-8" in doc.problems[0]


def test_a_file_with_nul_bytes_is_skipped_and_named(tmp_path):
    write(tmp_path, "good.md", "## Good {#good}\n\nFine.\n")
    bad = write(tmp_path, "binary.md", b"## Bin {#bin}\n\n\x00\x01\x02")
    doc = load_document(tmp_path)
    assert [s.id for s in doc.sections] == ["good"]
    assert len(doc.problems) == 1
    assert str(bad) in doc.problems[0] and "NUL" in doc.problems[0]


@pytest.mark.parametrize(("text", "why"), [
    ("## Q {#Not Valid}\n\nx\n", "line 1: id"),
    ("## Q {#UPPER}\n\nx\n", "a-z, 0-9"),
    ("## {#empty}\n\nx\n", "no question text"),
    ("# {#g}\n\n## Q {#q}\n\nx\n", "'#' heading has no title"),
])
def test_a_malformed_file_is_skipped_with_file_and_line(tmp_path, text, why):
    write(tmp_path, "good.md", "## Good {#good}\n\nFine.\n")
    bad = write(tmp_path, "bad.md", text)
    doc = load_document(tmp_path)
    assert [s.id for s in doc.sections] == ["good"]
    assert len(doc.problems) == 1
    assert doc.problems[0].startswith(str(bad)) and why in doc.problems[0]


def test_missing_folder_raises_content_error(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(ContentError, match="does not exist") as info:
        load_document(missing)
    assert str(missing) in str(info.value)


def test_a_file_instead_of_a_folder_raises_content_error(tmp_path):
    not_a_folder = write(tmp_path, "file.md", "## Q\n\nx\n")
    with pytest.raises(ContentError, match="not a folder"):
        load_document(not_a_folder)


def test_empty_folder_raises_content_error(tmp_path):
    write(tmp_path, "notes.txt", "not markdown")
    with pytest.raises(ContentError, match=r"no Markdown \(\.md\) files") as info:
        load_document(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_folder_of_empty_files_raises_content_error(tmp_path):
    write(tmp_path, "empty.md", "")
    write(tmp_path, "blank.md", "\n\n   \n")
    with pytest.raises(ContentError, match="nothing to show"):
        load_document(tmp_path)


def test_folder_whose_only_file_is_broken_names_the_file(tmp_path):
    bad = write(tmp_path, "only.md", b"\xff\xfe## Q\n")
    with pytest.raises(ContentError) as info:
        load_document(tmp_path)
    assert str(bad) in str(info.value) and "UTF-8" in str(info.value)


def deny_listing(monkeypatch, folder: Path) -> None:
    """Listing `folder` fails as it does for a folder without read permission."""
    for name in ("listdir", "scandir"):
        real = getattr(os, name)

        def fake(path=".", _real=real):
            if Path(path) == folder:
                raise PermissionError(13, "Permission denied", str(path))
            return _real(path)

        monkeypatch.setattr(os, name, fake)


def test_unreadable_folder_says_so(tmp_path, monkeypatch):
    # pathlib's rglob swallows PermissionError: without a check the reader would claim
    # the folder "holds no Markdown files"
    folder = tmp_path / "locked"
    write(folder, "a.md", "## A\n\na\n")
    deny_listing(monkeypatch, folder)
    with pytest.raises(ContentError, match="cannot be read: Permission denied") as info:
        load_document(folder)
    assert str(folder) in str(info.value)


@pytest.mark.skipif(running_as_root or os.name != "posix", reason="root reads any file")
def test_unreadable_folder_raises_content_error(tmp_path):
    folder = tmp_path / "locked"
    write(folder, "a.md", "## A\n\na\n")
    folder.chmod(0)
    try:
        with pytest.raises(ContentError, match="cannot be read") as info:
            load_document(folder)
        assert str(folder) in str(info.value)
    finally:
        folder.chmod(0o700)


def test_a_file_that_cannot_be_read_is_skipped_and_named(tmp_path, monkeypatch):
    write(tmp_path, "good.md", "## Good {#good}\n\nFine.\n")
    bad = write(tmp_path, "locked.md", "## Locked\n\nx\n")
    real = Path.read_bytes

    def read_bytes(self):
        if self == bad:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    doc = load_document(tmp_path)
    assert [s.id for s in doc.sections] == ["good"]
    assert doc.problems == [f"{bad}: cannot be read (Permission denied); skipped"]


@pytest.mark.skipif(running_as_root or os.name != "posix", reason="root reads any file")
def test_unreadable_file_is_skipped_and_named(tmp_path):
    write(tmp_path, "good.md", "## Good {#good}\n\nFine.\n")
    bad = write(tmp_path, "locked.md", "## Locked\n\nx\n")
    bad.chmod(0)
    try:
        doc = load_document(tmp_path)
    finally:
        bad.chmod(0o600)
    assert [s.id for s in doc.sections] == ["good"]
    assert str(bad) in doc.problems[0] and "cannot be read" in doc.problems[0]


def test_broken_metadata_is_reported_and_defaults_are_used(tmp_path):
    write(tmp_path, "a.md", "## A {#a}\n\na\n")
    meta = write(tmp_path, "metadata.toml", "title = [unclosed\n")
    doc = load_document(tmp_path)
    assert doc.metadata.title == "Ketamine FAQ"
    assert len(doc.problems) == 1 and str(meta) in doc.problems[0]


def test_unknown_metadata_key_is_reported(tmp_path):
    write(tmp_path, "a.md", "## A {#a}\n\na\n")
    write(tmp_path, "metadata.toml", 'title = "Clinic FAQ"\ncolour = "red"\n')
    doc = load_document(tmp_path)
    assert doc.metadata.title == "Clinic FAQ"
    assert doc.problems and "'colour'" in doc.problems[0]


def test_crisis_line_from_config_overrides_metadata(document):
    doc = load_document(CONTENT, crisis_line="Call 112.")
    assert doc.metadata.crisis_line == "Call 112."
    assert document.metadata.crisis_line != "Call 112."


def test_fingerprint_changes_with_the_text(tmp_path):
    write(tmp_path, "a.md", "## A {#a}\n\none\n")
    first = load_document(tmp_path).fingerprint
    write(tmp_path, "a.md", "## A {#a}\n\ntwo\n")
    assert load_document(tmp_path).fingerprint != first


def test_helpers():
    assert slugify("Isn’t ketamine a horse tranquilizer?") == "isn-t-ketamine-a-horse-tranquilizer"
    assert slugify("???") == "section"
    assert len(slugify("word " * 40)) <= 60
    assert markdown_to_text("A [link](#x) and **bold** {#id}\n\n- item") == "A link and bold item"


# --- rendering -------------------------------------------------------------------


def render_one(tmp_path, body: str, cache_dir=None) -> tuple[str, Renderer]:
    folder = tmp_path / "content"
    write(folder, "a.md", "## Question {#q}\n\n" + body)
    doc = load_document(folder)
    renderer = Renderer(doc, cache_dir)
    return renderer.html(doc.get("q")), renderer


def test_raw_html_is_shown_as_text(tmp_path):
    html, _ = render_one(tmp_path, (
        "Before <script>alert(1)</script> and <b>x</b>.\n\n"
        "<div onclick=\"evil()\">block</div>\n\n"
        "<iframe src=\"http://example.com\"></iframe>\n"
    ))
    assert "<script" not in html and "<b>" not in html and "<div" not in html
    assert "<iframe" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "&lt;div onclick" in html


def test_headings_inside_an_answer_get_stable_ids(tmp_path):
    html, _ = render_one(tmp_path, "### Side effects\n\nx\n\n### Cost {#price}\n\ny\n")
    assert '<h3 id="side-effects">Side effects</h3>' in html
    assert '<h3 id="price">Cost</h3>' in html


def test_smart_quotes_and_dashes(tmp_path):
    html, _ = render_one(tmp_path, "It's \"quoted\" -- and --- done...\n")
    assert "&rsquo;" in html and "&ldquo;" in html and "&rdquo;" in html
    assert "&ndash;" in html and "&mdash;" in html and "&hellip;" in html
    assert '"' not in html.replace('="', "")


def test_tables(tmp_path):
    html, _ = render_one(tmp_path, "| Route | Dose |\n|---|---|\n| IV | low |\n")
    assert "<table>" in html and "<th>Route</th>" in html and "<td>IV</td>" in html


def test_sane_lists_and_links(tmp_path):
    html, _ = render_one(tmp_path, "1. one\n2. two\n\n* a\n\nSee [the other](#other).\n")
    assert "<ol>" in html and "<ul>" in html
    assert '<a href="#other">the other</a>' in html


def test_code_fences_render_as_code_not_headings(tmp_path):
    # The loader treats ``` fences as code (no section split); the renderer must agree.
    html, _ = render_one(tmp_path, "```\n## not a heading\n```\n")
    assert "<h2" not in html
    assert "<code>" in html and "## not a heading" in html


def test_second_renderer_on_the_same_cache_does_not_convert_again(tmp_path):
    cache = tmp_path / "cache"
    write(tmp_path / "content", "a.md", "## A {#a}\n\nAlpha *one*.\n\n## B {#b}\n\nBeta.\n")
    doc = load_document(tmp_path / "content")
    cold = Renderer(doc, cache)
    cold.render_all()
    assert cold._md is not None
    cold.save()
    files = list(cache.glob("*.json"))
    assert [f.name for f in files] == [f"{doc.fingerprint}.json"]
    assert set(json.loads(files[0].read_text(encoding="utf-8"))) == {"a", "b"}

    warm = Renderer(load_document(tmp_path / "content"), cache)
    assert warm.html(doc.get("a")) == cold.html(doc.get("a"))
    assert "<em>one</em>" in warm.html(doc.get("a"))
    warm.render_all()
    assert warm._md is None  # Python-Markdown never used
    warm.save()  # nothing new: the file is left alone
    assert list(cache.glob("*.json")) == files


def test_complete_cache_renders_what_is_missing_once(tmp_path):
    cache = tmp_path / "cache"
    write(tmp_path / "content", "a.md", "## A {#a}\n\nAlpha.\n\n## B {#b}\n\nBeta *two*.\n")
    doc = load_document(tmp_path / "content")
    first = Renderer(doc, cache)
    first.html(doc.get("a"))  # the first paint's page
    first.complete_cache()
    warm = Renderer(load_document(tmp_path / "content"), cache)
    assert "<em>two</em>" in warm.html(doc.get("b"))
    assert warm._md is None  # the next start never loads Python-Markdown


def test_changed_content_uses_a_new_cache_and_drops_the_old(tmp_path):
    cache = tmp_path / "cache"
    write(tmp_path / "content", "a.md", "## A {#a}\n\nold\n")
    first = Renderer(load_document(tmp_path / "content"), cache)
    first.render_all()
    first.save()
    write(tmp_path / "content", "a.md", "## A {#a}\n\nnew text\n")
    doc = load_document(tmp_path / "content")
    second = Renderer(doc, cache)
    assert "new text" in second.html(doc.get("a"))
    assert second._md is not None
    second.save()
    assert [f.name for f in cache.glob("*.json")] == [f"{doc.fingerprint}.json"]


def test_a_corrupt_cache_is_ignored(tmp_path):
    cache = tmp_path / "cache"
    write(tmp_path / "content", "a.md", "## A {#a}\n\ntext\n")
    doc = load_document(tmp_path / "content")
    cache.mkdir()
    (cache / f"{doc.fingerprint}.json").write_text("{not json", encoding="utf-8")
    assert "<p>text</p>" in Renderer(doc, cache).html(doc.get("a"))
    (cache / f"{doc.fingerprint}.json").write_text('["a list"]', encoding="utf-8")
    assert "<p>text</p>" in Renderer(doc, cache).html(doc.get("a"))


def test_an_unwritable_cache_only_costs_speed(tmp_path):
    blocker = write(tmp_path, "blocker", "a file where the cache folder should be")
    html, renderer = render_one(tmp_path, "text\n", cache_dir=blocker / "cache")
    renderer.save()  # must not raise
    assert "<p>text</p>" in html


# --- the command line ---------------------------------------------------------------


def run_main(*args, cwd=ROOT):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True, text=True, timeout=60, cwd=cwd, env=env,
    )


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_cli_content_check_bad_folder_exits_2_without_traceback(tmp_path, kind):
    folder = tmp_path / "content"
    if kind == "empty":
        folder.mkdir()
    result = run_main("content", "check", "--content", str(folder),
                      "--data-dir", str(tmp_path / "data"),
                      "--config", str(tmp_path / "reader.toml"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert str(folder) in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_cli_content_check_names_a_non_utf8_file(tmp_path):
    folder = tmp_path / "content"
    write(folder, "good.md", "## Good {#good}\n\nFine.\n")
    bad = write(folder, "bad.md", "## Caf\u00e9\n".encode("cp1252"))
    result = run_main("content", "check", "--content", str(folder),
                      "--data-dir", str(tmp_path / "data"),
                      "--config", str(tmp_path / "reader.toml"))
    assert result.returncode == 2
    assert str(bad) in result.stderr and "UTF-8" in result.stderr
    assert "Traceback" not in result.stderr
    assert "1 sections" in result.stdout


def test_cli_content_check_real_content_is_clean(tmp_path):
    result = run_main("content", "check", "--data-dir", str(tmp_path / "data"),
                      "--config", str(tmp_path / "reader.toml"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("16 sections")
    assert result.stderr == ""


def test_a_configured_crisis_line_replaces_the_contents_own(tmp_path):
    from reader.content import load_document as load

    real = load(ROOT / "content")
    assert "988" in real.metadata.crisis_line  # the FAQ's own, for a US audience
    local = load(ROOT / "content", crisis_line="Samaritans: call 116 123 (UK and Ireland)")
    assert local.metadata.crisis_line == "Samaritans: call 116 123 (UK and Ireland)"
    assert local.metadata.notice == real.metadata.notice


# --- content check: what breaks reading, with file and line --------------------------------


@pytest.mark.parametrize("heading", [
    "## Q {#bad id!}", "## Q {#bad!}", "## Q {#a #b}", "## Q {# spaced}", "## Q {: #ok junk}",
    "## Q {#}",
])
def test_a_malformed_id_is_never_silently_shortened(tmp_path, heading):
    write(tmp_path, "good.md", "## Good {#good}\n\nFine.\n")
    bad = write(tmp_path, "bad.md", f"## First {{#first}}\n\nx\n\n{heading}\n\ny\n")
    doc = load_document(tmp_path)
    assert [s.id for s in doc.sections] == ["good"]  # not "bad": the file is skipped, named
    assert doc.problems[0].startswith(f"{bad}: line 5: id {{")
    assert "is not valid" in doc.problems[0]


@pytest.mark.parametrize(("heading", "expected"), [
    ("## Q {#ok-id}", "ok-id"), ("## Q {: #ok_id }", "ok_id"), ("## Q {#ok .lead}", "ok"),
])
def test_well_formed_ids_are_read(tmp_path, heading, expected):
    write(tmp_path, "a.md", f"{heading}\n\nx\n")
    doc = load_document(tmp_path)
    assert [s.id for s in doc.sections] == [expected] and not doc.problems


def broken_folder(tmp_path: Path) -> tuple[Path, Path]:
    a = write(tmp_path, "a.md", """\
# Group

## Alpha {#alpha}

See [beta](#beta), [a heading here](#details) and [nowhere](#nope).

### Details

More.

## Empty {#empty}

## Beta {#beta}

Beta [ref link][r] and [again](#nope).

[r]: #missing-too
""")
    b = write(tmp_path, "b.md", "## alpha {#alpha-again}\n\nSame title, other case.\n")
    return a, b


def test_check_document_names_each_problem_with_file_and_line(tmp_path):
    from reader.content import check_document

    a, b = broken_folder(tmp_path)
    doc = load_document(tmp_path)
    assert doc.problems == []  # the window reads all of it
    assert check_document(doc) == [
        f"{a}:5: the link to #nope leads nowhere: no question has the id {{#nope}}",
        f"{a}:11: the question 'Empty' has no answer",
        f"{a}:17: the link to #missing-too leads nowhere: no question has the id "
        "{#missing-too}",
        f"{a}:15: the link to #nope leads nowhere: no question has the id {{#nope}}",
        f"{b}:1: the title 'alpha' is also used at {a}:3",
    ]


def test_cli_content_check_exits_2_listing_every_problem(tmp_path):
    a, b = broken_folder(tmp_path / "content")
    write(tmp_path / "content", "c.md", "## Q {#bad id!}\n\nx\n")
    result = run_main("content", "check", "--content", str(tmp_path / "content"),
                      "--data-dir", str(tmp_path / "data"),
                      "--config", str(tmp_path / "reader.toml"))
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert all(line.startswith("error: ") for line in errors), errors
    assert len(errors) == 7 and "Traceback" not in result.stderr
    assert errors[0].startswith(f"error: {tmp_path / 'content' / 'c.md'}: line 1: id")
    assert f"error: {a}:5: the link to #nope" in errors[1]
    assert errors[6].startswith(f"error: {tmp_path / 'content' / 'crisis.txt'}: the crisis word "
                                "list is missing")  # the built-in crisis words still work
    assert result.stdout == f"4 sections in {tmp_path / 'content'}; 7 problem(s)\n"


def test_the_window_still_reads_content_that_content_check_refuses(tmp_path):
    broken_folder(tmp_path / "content")
    result = run_main("--self-test", "--content", str(tmp_path / "content"),
                      "--data-dir", str(tmp_path / "data"),
                      "--config", str(tmp_path / "reader.toml"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["sections"] == 4
