"""Search quality, odd input, the index cache, the FTS5-less fallback and `main.py search`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reader import search
from reader.content import load_document
from reader.search import (
    MARK_END,
    MARK_START,
    SearchIndex,
    cut_snippet,
    edit_distance,
    marked_text,
)

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

# What patients type, and the question that must be among the first three results.
QUALITY = [
    ("horse tranquilizer", "horse-tranquilizer"),
    ("isn't it for horses", "horse-tranquilizer"),
    ("vet drug", "horse-tranquilizer"),
    ("insurance", "insurance"),
    ("does insurance cover it", "insurance"),
    ("how much does it cost", "insurance"),
    ("how long does it last", "how-long-does-relief-last"),
    ("how long does the relief last", "how-long-does-relief-last"),
    ("duration of relief", "how-long-does-relief-last"),
    # the answer that says an infusion takes about an hour, not only the relief's title
    ("how long does an infusion last", "regular-doctor"),
    ("how long does an infusion take", "regular-doctor"),
    ("how long is an infusion", "regular-doctor"),
    ("how many hours is an infusion", "regular-doctor"),
    ("how long does the iv take", "regular-doctor"),
    ("side effects", "is-ketamine-safe"),
    ("is it safe", "is-ketamine-safe"),
    ("is ketamine dangerous", "is-ketamine-safe"),
    ("blood pressure", "is-ketamine-safe"),
    ("IV", "how-is-ketamine-given"),
    ("drip", "how-is-ketamine-given"),
    ("nasal spray", "how-is-ketamine-given"),
    ("what does it feel like", "how-is-ketamine-given"),
    ("dose", "how-is-ketamine-given"),
    ("injection", "how-is-ketamine-given"),
    ("ketamin", "what-is-ketamine"),
    ("what is ketamine", "what-is-ketamine"),
    ("is it legal", "what-is-ketamine"),
    ("depresion", "does-ketamine-work"),
    ("does it work for depression", "does-ketamine-work"),
    ("success rate", "does-ketamine-work"),
    ("veterans ptsd", "does-ketamine-work"),
    ("anesthesic", "what-is-ketamine"),
    ("scam", "scams"),
    ("is this a scam", "scams"),
    ("is it real", "is-it-real"),
    ("hype", "is-it-hype"),
    ("research studies", "is-it-hype"),
    ("where can i get it", "where-to-get-treatment"),
    ("clinic near me", "where-to-get-treatment"),
    ("can my gp give me ketamine", "regular-doctor"),
    ("family doctor", "regular-doctor"),
    ("off label", "regular-doctor"),
    ("why don't more doctors use it", "why-not-widely-used"),
    ("long term", "long-term-treatment"),
    ("booster", "long-term-treatment"),
    ("different from ssri", "different-from-antidepressants"),
    ("how does it work in the brain", "different-from-antidepressants"),
    ("are you selling something", "selling-something"),
    ("who are you", "selling-something"),
    ("needle", "how-is-ketamine-given"),
    ("how is it given", "how-is-ketamine-given"),
    ("intravenous", "is-it-real"),
]

ODD = [
    "",
    "   ",
    '"',
    '""',
    '"unclosed phrase',
    "*",
    "ketamine*",
    "(ketamine",
    "ketamine)",
    "title:safe",
    "body:",
    "^ketamine",
    "-ketamine",
    "ketamine AND",
    "OR",
    "NOT safe",
    "NEAR(ketamine safe, 2)",
    "ketamine NEAR safe",
    "{title}: safe",
    "a" * 10_000,
    "ketamine " * 1500,
    "x" * 10_000,
    "🙂",
    "ketamine 🙂 safe",
    "кетамин",
    "ケタミン",
    "كيتامين",
    "\x00",
    "\ud800 broken surrogate",
    "e\u0301",
    "'; DROP TABLE docs; --",
    "\\",
    "%_",
]


@pytest.fixture(scope="module", params=[True, False], ids=["fts5", "plain"])
def index(request, document):
    return SearchIndex.open(document, None, use_fts5=request.param)


@pytest.fixture
def content_copy(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    return folder


def ids(response):
    return [hit.id for hit in response.results]


def test_every_expected_id_exists(document):
    known = {section.id for section in document.sections}
    assert {expected for _, expected in QUALITY} <= known


@pytest.mark.parametrize(("query", "expected"), QUALITY)
def test_patient_query_finds_answer_in_top_three(index, query, expected):
    assert expected in ids(index.search(query, 3)), ids(index.search(query, 5))


@pytest.mark.parametrize("query", ODD)
def test_odd_input_is_never_an_error(index, document, query):
    response = index.search(query)
    known = {section.id for section in document.sections}
    assert len(response.results) <= 20
    for hit in response.results:
        assert hit.id in known and hit.title and hit.score > 0
        assert hit.snippet.count(MARK_START) == hit.snippet.count(MARK_END)
    assert index.search("insurance").results[0].id == "insurance"  # still answers after it


def test_fts_syntax_is_read_as_words(index):
    assert ids(index.search("title:safe"))[0] == "is-ketamine-safe"
    assert "is-ketamine-safe" in ids(index.search('NEAR("safe" OR, -'))


@pytest.mark.parametrize(
    ("typo", "fixed"),
    [("ketamin", "ketamine"), ("depresion", "depression"), ("anesthesic", "anesthetic"),
     ("insurence", "insurance"), ("horse tranqulizer", "horse tranquilizer")],
)
def test_typo_is_found_and_corrected(index, typo, fixed):
    response = index.search(typo)
    assert response.results
    assert response.suggestion == fixed


def test_no_suggestion_for_words_in_the_text(index):
    assert index.search("ketamine infusion").suggestion is None


def test_nonsense_has_no_results_and_no_suggestion(index):
    response = index.search("qwxzv blorptangle")
    assert response.results == [] and response.suggestion is None


def test_prefix_matches_word_being_typed(index):
    assert "scams" in ids(index.search("scamm", 3))


def test_stemming_finds_other_forms(index):
    response = index.search('"infusions"')
    assert response.results
    assert "infusion" in response.terms


def test_quoted_phrase_is_exact(index):
    assert ids(index.search('"nasal spray"')) == ["where-to-get-treatment"]
    assert ids(index.search('"spray nasal"')) == []


def test_title_weighs_more_than_body(index):
    # "insurance" is in the body of one other answer only as a synonym; the titled one leads
    assert ids(index.search("insurance"))[0] == "insurance"


def test_common_words_do_not_drown_the_answer(index):
    assert ids(index.search("how long does the relief last"))[0] == "how-long-does-relief-last"


def test_snippet_marks_matches_and_terms_list_them(index):
    response = index.search("horse tranquilizer")
    hit = response.results[0]
    assert MARK_START in hit.snippet and MARK_END in hit.snippet
    assert any("tranquilizer" in term for term in response.terms)
    assert all(term == term.lower() for term in response.terms)


def test_scores_are_best_first(index):
    scores = [hit.score for hit in index.search("ketamine side effects for veterans").results]
    assert scores == sorted(scores, reverse=True)


def test_limit(index):
    assert len(index.search("ketamine", 2).results) == 2


def test_synonyms_file_is_optional(content_copy):
    (content_copy / "synonyms.txt").unlink()
    index = SearchIndex.open(load_document(content_copy))
    assert ids(index.search("horse tranquilizer"))[0] == "horse-tranquilizer"
    assert index.search("insurance").results


def test_synonyms_file_edited_by_staff_is_used(content_copy):
    (content_copy / "synonyms.txt").write_text(
        "# clinic words\nzonker, horse tranquilizer  # slang\n\nnot-a-group\n", encoding="utf-8"
    )
    index = SearchIndex.open(load_document(content_copy))
    assert ids(index.search("zonker"))[0] == "horse-tranquilizer"


def test_synonyms_parsing(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("# note\nIV, Drip , intravenous\n\nlone\nnasal spray, nose\n", "utf-8")
    assert search.load_synonyms(path) == [
        [("iv",), ("drip",), ("intravenous",)],
        [("nasal", "spray"), ("nose",)],
    ]
    path.write_bytes(b"\xff\xfe bad")
    assert search.load_synonyms(path) == []
    assert search.load_synonyms(tmp_path / "missing.txt") == []


def test_edit_distance():
    assert edit_distance("depresion", "depression") == 1
    assert edit_distance("treatmnet", "treatment") == 1
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("kitten", "sitting", most=1) == 2


def test_cut_snippet_keeps_marks_balanced():
    text = "word " * 100 + f"{MARK_START}horse tranquilizer{MARK_END} " + "tail " * 100
    snippet = cut_snippet(text, 60)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert snippet.count(MARK_START) == snippet.count(MARK_END) == 1
    cut = cut_snippet(f"{'x' * 50} {MARK_START}{'long ' * 40}{MARK_END}", 40)
    assert cut.count(MARK_START) == cut.count(MARK_END)


# --- cache -------------------------------------------------------------------


def cache_files(cache):
    return sorted(cache.glob("index-*"))


def test_cache_is_reused_on_second_open(content_copy, tmp_path):
    cache = tmp_path / "cache"
    first = SearchIndex.open(load_document(content_copy), cache)
    assert first.built
    [path] = cache_files(cache)
    stamp = path.stat().st_mtime_ns, path.stat().st_ino
    second = SearchIndex.open(load_document(content_copy), cache)
    assert not second.built
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == stamp
    assert ids(second.search("insurance"))[0] == "insurance"


def test_cache_is_rebuilt_when_content_changes(content_copy, tmp_path):
    cache = tmp_path / "cache"
    SearchIndex.open(load_document(content_copy), cache)
    with (content_copy / "04-about-us.md").open("a", encoding="utf-8") as f:
        f.write("\n## Do you have a zebra? {#zebra}\n\nYes, a zebra named Ketamine Kim.\n")
    index = SearchIndex.open(load_document(content_copy), cache)
    assert index.built
    assert ids(index.search("zebra")) == ["zebra"]
    assert len(cache_files(cache)) == 1  # the stale index is gone


@pytest.mark.parametrize(
    "garbage", [b"", b"garbage" * 1000, b"SQLite format 3\x00" + b"\x01" * 5000]
)
def test_corrupt_cache_is_rebuilt_quietly(content_copy, tmp_path, garbage):
    cache = tmp_path / "cache"
    document = load_document(content_copy)
    SearchIndex.open(document, cache)
    [path] = cache_files(cache)
    path.write_bytes(garbage)
    index = SearchIndex.open(document, cache)
    assert index.built
    assert ids(index.search("insurance"))[0] == "insurance"
    assert SearchIndex.open(document, cache).built is False


def test_cache_damaged_after_opening_is_rebuilt_on_search(content_copy, tmp_path):
    cache = tmp_path / "cache"
    document = load_document(content_copy)
    index = SearchIndex.open(document, cache)
    [path] = cache_files(cache)
    index.close()
    index._conn = search._connect(path)  # as if the file went bad while open
    index._engine = search._FtsEngine(index._conn)
    path.write_bytes(b"\x00" * path.stat().st_size)
    assert ids(index.search("insurance"))[0] == "insurance"


def test_unwritable_cache_dir_still_searches(content_copy, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    index = SearchIndex.open(load_document(content_copy), blocker / "cache")
    assert ids(index.search("insurance"))[0] == "insurance"


def test_no_temp_files_left(content_copy, tmp_path):
    cache = tmp_path / "cache"
    SearchIndex.open(load_document(content_copy), cache)
    assert [p.suffix for p in cache.iterdir()] == [".sqlite3"]


# --- without FTS5 ----------------------------------------------------------------


def test_fallback_when_sqlite_lacks_fts5(monkeypatch, document, tmp_path):
    monkeypatch.setattr(search, "fts5_available", lambda: False)
    index = SearchIndex.open(document, tmp_path / "cache")
    assert not index.uses_fts5
    assert ids(index.search("horse tranquilizer"))[0] == "horse-tranquilizer"
    assert index.search("depresion").suggestion == "depression"
    assert not (tmp_path / "cache").exists()


def test_fts5_detection():
    assert search.fts5_available() in (True, False)


# --- threads -------------------------------------------------------------------


def test_index_is_usable_from_worker_threads(document, tmp_path):
    index = SearchIndex.open(document, tmp_path / "cache")
    errors, found = [], []

    def work():
        try:
            for query in ("insurance", "side effects", "ketamin", "IV"):
                found.append(index.search(query).results[0].id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(found) == 16


# --- command line -----------------------------------------------------------------


def run_cli(*args, data_dir):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "search", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60,
    )


def test_cli_json(tmp_path):
    result = run_cli("--json", "--limit", "3", "horse", "tranquilizer", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == "horse tranquilizer"
    assert data["results"][0]["id"] == "horse-tranquilizer"
    assert set(data["results"][0]) == {"id", "title", "snippet", "score"}
    assert len(data["results"]) <= 3
    assert data["suggestion"] is None and data["crisis"] is None and data["note"] is None
    assert list((tmp_path / "search-cache").glob("index-*.sqlite3"))


def test_cli_json_suggestion(tmp_path):
    data = json.loads(run_cli("--json", "depresion", data_dir=tmp_path).stdout)
    assert data["suggestion"] == "depression"


def test_cli_plain_output(tmp_path):
    result = run_cli("side", "effects", data_dir=tmp_path)
    assert result.returncode == 0
    assert "Is ketamine safe?" in result.stdout and "(is-ketamine-safe)" in result.stdout
    assert "[safe]" in result.stdout


def test_cli_no_results_offers_suggestion(tmp_path):
    result = run_cli("blorptangle", data_dir=tmp_path)
    assert result.returncode == 0
    assert "No results" in result.stdout


@pytest.mark.parametrize("args", [[], ["   "], ["--limit", "0", "ketamine"]])
def test_cli_bad_input_exits_2(tmp_path, args):
    result = run_cli(*args, data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error:")


def test_cli_odd_input(tmp_path):
    for query in ['NEAR("x" OR', "🙂", "title:safe^", "x" * 10_000]:
        result = run_cli("--json", query, data_dir=tmp_path)
        assert result.returncode == 0, result.stderr
        json.loads(result.stdout)


def test_cli_imports_no_qt_and_no_markdown(tmp_path):
    code = (
        "import sys; from reader.cli import main; "
        f"rc = main(['search', '--data-dir', {str(tmp_path)!r}, '--json', 'side effects']); "
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'markdown'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_snippet_shows_the_words_typed_before_their_synonyms(index):
    """'horse' must show the horse-tranquilizer sentence, not only 'veterinary' and 'animals'."""
    hit = index.search("horse").results[0]
    assert hit.id == "horse-tranquilizer"
    assert "[horse" in marked_text(hit.snippet).lower(), hit.snippet


# --- review fixes: FTS5's own integrity check; another process's half-built index ---------


def test_an_index_that_disagrees_with_its_content_is_found_by_fts5_and_rebuilt(
        content_copy, tmp_path):
    import sqlite3

    cache = tmp_path / "cache"
    document = load_document(content_copy)
    SearchIndex.open(document, cache).close()
    [path] = cache_files(cache)
    with sqlite3.connect(path) as conn:  # a torn write: the text changed, its index did not
        conn.execute("UPDATE docs SET body = 'nothing' WHERE id = 'insurance'")
    index = SearchIndex.open(document, cache)
    assert index.built  # the damage was seen: built again
    with sqlite3.connect(path) as conn:
        body = conn.execute("SELECT body FROM docs WHERE id = 'insurance'").fetchone()[0]
    assert body == document.get("insurance").text
    assert ids(index.search("insurance"))[0] == "insurance"
    assert cache_files(cache) == [path]  # no journal left behind by the check


def test_another_process_half_built_index_is_left_alone(content_copy, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    building = cache / "index-k2j3h4.tmp"  # as tempfile.mkstemp names another's build
    building.write_bytes(b"SQLite format 3\x00")
    crashed = cache / "index-old123.tmp"  # left by a process that died an hour ago
    crashed.write_bytes(b"x")
    os.utime(crashed, (0, 0))
    SearchIndex.open(load_document(content_copy), cache).close()
    assert building.exists()
    assert not crashed.exists()
    assert sorted(p.suffix for p in cache_files(cache)) == [".sqlite3", ".tmp"]


# --- honest partial answers: words the FAQ never mentions --------------------------------


@pytest.mark.parametrize("query, unmatched", [
    ("can i drive after treatment", ["drive"]),
    ("is it safe while breastfeeding", ["breastfeeding"]),
    ("what about medicare coverage", ["medicare"]),
    ("pregnant", ["pregnant"]),
])
def test_words_the_faq_never_mentions_are_named(index, query, unmatched):
    response = index.search(query)
    assert response.unmatched == unmatched
    assert response.suggestion is None  # "medicare" is a word, not a typo of "medical"


@pytest.mark.parametrize("query", [q for q, _ in QUALITY] + ["side efects", "spravato",
                                                             "insurence", "how long"])
def test_what_the_faq_covers_is_never_called_unmentioned(index, query):
    assert index.search(query).unmatched == []


def test_every_question_of_the_faq_is_covered(index, document):
    for section in document.sections:
        assert index.search(section.title).unmatched == [], section.title
