"""Crisis words, topics newer than the text, and corrections that keep the meaning (no Qt)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from reader.content import load_document
from reader.crisis import (
    CRISIS_FILE,
    PhraseMatcher,
    crisis_matcher,
    crisis_problems,
    normalise,
    read_phrase_file,
)
from reader.feedback import FeedbackInput, mailto_url, message_text
from reader.search import SearchIndex

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"

CRISIS = [
    "i want to kill myself",
    "suicide",
    "Suicide",
    "sucidal",  # a typo
    "suicidal thoughts and ketamine",
    "I feel suicidal",
    "thinking about ending my life",
    "i dont want to live anymore",
    "I don't want to live",
    "I don’t want to be alive",  # curly apostrophe
    "i just want to die",
    "i wanna die",
    "wish i was dead",
    "everyone would be better off dead without me",
    "how to end it all",
    "i keep hurting myself",
    "self-harm",
    "self harm and depression",
    "cutting myself",
    "kms",
    "no reason to live",
    "I can't go on like this",
    "life is not worth living",
    "suicde hotline",  # a typo
    "KILL MYSELF",
    "take my own life",
    "crisis",
    "i am in crisis",
]

NOT_CRISIS = [
    "neurons die off",
    "kill pain",
    "does ketamine kill brain cells",
    "can ketamine kill you",
    "side effects",
    "is ketamine safe",
    "painkiller",
    "pain killers",
    "depression",
    "dying brain cells",
    "overdose",
    "die",
    "kill",
    "end of treatment",
    "my life changed after treatment",
    "i want to live better",
    "self care",
    "harmful effects",
    "hurt my back",
    "cut the cost",
    "how long does relief last",
    "horse tranquilizer",
    "will it end my depression",
    "does ketamine cause cell death",
    "suite",  # one letter from "suicide"'s start, but another word
]


@pytest.fixture(scope="module")
def matcher():
    return crisis_matcher(CONTENT)


@pytest.fixture(scope="module", params=[True, False], ids=["fts5", "plain"])
def index(request, document):
    return SearchIndex.open(document, None, use_fts5=request.param)


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_phrases_are_found(matcher, text):
    assert matcher.matches(text), text


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_look_alikes_are_not_crises(matcher, text):
    assert not matcher.matches(text), (text, matcher.find(text))


def test_the_list_is_staff_editable_text_beside_the_synonyms():
    phrases = read_phrase_file(CONTENT / CRISIS_FILE)
    assert len(phrases) >= 40
    assert "suicide" in phrases and "kill myself" in phrases
    assert (CONTENT / "synonyms.txt").exists()


def test_an_edited_list_adds_to_the_built_in_words(tmp_path):
    (tmp_path / CRISIS_FILE).write_text("# a clinic's own\nthe dark place again\n",
                                        encoding="utf-8")
    matcher = crisis_matcher(tmp_path)
    assert matcher.matches("I am in the dark place again")
    assert matcher.matches("suicide")  # the built-in words are never turned off
    assert not matcher.problems


def _broken(folder, how):
    path = folder / CRISIS_FILE
    if how == "missing":
        path.unlink(missing_ok=True)
    elif how == "empty":
        path.write_text("# every phrase deleted by mistake\n\n", encoding="utf-8")
    elif how == "not utf-8":
        path.write_bytes("suicide\nquiero morir\nacci\u00f3n\n".encode("cp1252"))
    else:  # unreadable: a folder where the file should be
        path.unlink(missing_ok=True)
        path.mkdir()


@pytest.mark.parametrize("how", ["missing", "empty", "not utf-8", "unreadable"])
def test_a_broken_list_fails_safe_and_says_where(tmp_path, how):
    folder = tmp_path / "faq"
    shutil.copytree(CONTENT, folder)
    _broken(folder, how)
    matcher = crisis_matcher(folder)
    for text in ("i want to kill myself", "no quiero vivir", "dont wanna live", "killmyself"):
        assert matcher.matches(text), (how, text)
    assert not matcher.matches("does ketamine kill brain cells")
    assert len(matcher.problems) == 1 and str(folder / CRISIS_FILE) in matcher.problems[0]
    if how == "not utf-8":
        assert f"{folder / CRISIS_FILE}:3:" in matcher.problems[0]  # the line of the bad byte
    spanish = SearchIndex.open(load_document(folder, language="es")).search("i want to die")
    assert spanish.crisis and spanish.crisis_language == "en"


def test_a_broken_spanish_list_is_named_too(tmp_path):
    folder = tmp_path / "faq"
    shutil.copytree(CONTENT, folder)
    (folder / "es" / CRISIS_FILE).write_bytes(b"quiero morir\n\xe1\n")
    matcher = crisis_matcher(folder / "es")  # the Spanish document's folder
    assert matcher.problems == [p for p in crisis_problems(folder)]
    assert f"{folder / 'es' / CRISIS_FILE}:2:" in matcher.problems[0]
    assert matcher.matches("quiero morir")


@pytest.mark.parametrize("screen", ["en", "es"])
@pytest.mark.parametrize("text, language", [("no quiero vivir", "es"), ("me quiero morir", "es"),
                                            ("i want to kill myself", "en"),
                                            ("dont wanna live", "en")])
def test_both_languages_are_checked_whatever_the_screen(matcher, screen, text, language):
    found = matcher.find(text, prefer=screen)
    assert found is not None and found.language == language


def test_short_words_are_never_stretched():
    matcher = PhraseMatcher(["want to die"])
    assert matcher.matches("want to die")
    assert not matcher.matches("want to dye")  # "die" has three letters: exact only
    assert not matcher.matches("want die")  # a phrase is whole and in order


def test_normalise_folds_case_accents_and_apostrophes():
    assert normalise("Don’t WANT to — Suicídio!") == ["dont", "want", "to", "suicidio"]


def test_odd_and_huge_input_is_handled(matcher):
    for text in ("", "\x00\x01", "🙂" * 1000, "a" * 100_000, "kill " * 5000 + "myself"):
        matcher.matches(text)  # never raises
    assert matcher.matches("x " * 100 + "suicide")


@pytest.mark.parametrize("query", ["i want to kill myself", "sucidal", "suicide", "crisis"])
def test_search_flags_crisis_and_never_suggests(index, query):
    response = index.search(query)
    assert response.crisis
    assert response.suggestion is None


@pytest.mark.parametrize("query", ["neurons die off", "kill pain",
                                   "does ketamine kill brain cells"])
def test_search_look_alikes_are_ordinary_searches(index, query):
    response = index.search(query)
    assert not response.crisis
    assert response.results


def test_crisis_results_still_show(index):
    response = index.search("i want to kill myself")
    assert response.results  # the card goes above them; the answers stay


@pytest.mark.parametrize("query", ["spravato", "Spravato nasal spray", "esketamine", "spravto"])
def test_newer_topic_note(index, query):
    response = index.search(query)
    assert response.note and "2019" in response.note and "doctor" in response.note


def test_a_newer_topic_is_never_corrected(index):
    assert index.search("spravato").suggestion is None
    assert index.search("esketamine").suggestion is None


def test_no_note_for_ordinary_queries(index):
    assert index.search("nasal spray").note is None
    assert index.search("ketamine").note is None  # two letters from "esketamine"


def test_side_efects_keeps_its_meaning(index):
    response = index.search("side efects")
    assert response.suggestion == "side effects"
    assert "is-ketamine-safe" in [h.id for h in response.results[:3]]


@pytest.mark.parametrize("word", ["crisis", "side", "pregnant", "arises", "bipolar"])
def test_real_words_are_never_corrected(index, word):
    assert index.search(word).suggestion is None


@pytest.mark.parametrize("typo, fixed", [("insurence", "insurance"),
                                         ("horse tranqilizer", "horse tranquilizer"),
                                         ("depresion", "depression")])
def test_typos_still_corrected(index, typo, fixed):
    assert index.search(typo).suggestion == fixed


def test_pregnant_has_no_results(index):
    response = index.search("pregnant")
    assert response.results == [] and response.suggestion is None and not response.crisis


# --- command line ------------------------------------------------------------------


def run_search(*args, tmp_path, config=None):
    env = {**os.environ, "KFR_DATA_DIR": str(tmp_path / "data"),
           "KFR_CONFIG": str(config or tmp_path / "none.toml")}
    return subprocess.run([sys.executable, str(REPO / "main.py"), "search", *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_cli_json_crisis(tmp_path):
    result = run_search("--json", "i", "want", "to", "kill", "myself", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["crisis"].startswith("In crisis? Call or text 988")
    assert data["crisis"].endswith("If you are in danger now, call 911.")
    assert data["suggestion"] is None and data["note"] is None
    assert data["results"] and isinstance(data["unmatched"], list)


@pytest.mark.parametrize("lang, typed, first, also", [
    ("en", "no quiero vivir", "In crisis? Call or text 988", "marque 2 para español"),
    ("es", "i want to kill myself", "¿Está en crisis?", "In crisis? Call or text 988"),
    ("es", "quiero morir", "¿Está en crisis?", None),
])
def test_cli_json_crisis_whatever_the_language(tmp_path, lang, typed, first, also):
    result = run_search("--lang", lang, "--json", *typed.split(), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["crisis"].startswith(first) and data["suggestion"] is None
    assert (also in data["crisis"]) if also else "In crisis?" not in data["crisis"]


def test_cli_json_names_what_the_faq_does_not_mention(tmp_path):
    data = json.loads(run_search("--json", "can", "i", "drive", "after", "treatment",
                                 tmp_path=tmp_path).stdout)
    assert data["unmatched"] == ["drive"] and data["results"] and data["crisis"] is None
    data = json.loads(run_search("--json", "side", "efects", tmp_path=tmp_path).stdout)
    assert data["unmatched"] == []
    data = json.loads(run_search("--json", "medicare", tmp_path=tmp_path).stdout)
    assert data["unmatched"] == ["medicare"] and data["suggestion"] is None
    out = run_search("is", "it", "safe", "while", "breastfeeding", tmp_path=tmp_path).stdout
    assert out.splitlines()[0].startswith("This FAQ does not mention “breastfeeding”.")


def test_cli_json_note_and_suggestion(tmp_path):
    data = json.loads(run_search("--json", "spravato", tmp_path=tmp_path).stdout)
    assert data["crisis"] is None and "2019" in data["note"] and data["results"] == []
    data = json.loads(run_search("--json", "side", "efects", tmp_path=tmp_path).stdout)
    assert data["suggestion"] == "side effects" and data["crisis"] is None


def test_cli_text_shows_the_crisis_line_first(tmp_path):
    out = run_search("suicidal", tmp_path=tmp_path).stdout
    assert out.splitlines()[0].startswith("*** In crisis? Call or text 988")


def test_cli_no_results_says_what_the_faq_is(tmp_path):
    out = run_search("pregnant", tmp_path=tmp_path).stdout
    assert "No results for “pregnant”" in out and "2015" in out and "doctor" in out


def test_configured_lines_are_used(tmp_path):
    config = tmp_path / "reader.toml"
    config.write_text('[content]\ncrisis_line = "Call the clinic line 555-0100."\n'
                      'danger_line = "In an emergency call 112."\n', encoding="utf-8")
    data = json.loads(run_search("--json", "suicide", tmp_path=tmp_path, config=config).stdout)
    assert data["crisis"] == "Call the clinic line 555-0100. In an emergency call 112."


def run_main(*args, tmp_path):
    env = {**os.environ, "KFR_DATA_DIR": str(tmp_path / "data"),
           "KFR_CONFIG": str(tmp_path / "none.toml"), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("how", ["missing", "empty", "not utf-8"])
def test_content_check_fails_on_a_broken_crisis_list_naming_file_and_line(tmp_path, how):
    folder = tmp_path / "faq"
    shutil.copytree(CONTENT, folder)
    _broken(folder, how)
    result = run_main("--content", str(folder), "content", "check", tmp_path=tmp_path)
    assert result.returncode == 2
    where = {"missing": f"{folder / CRISIS_FILE}: ", "empty": f"{folder / CRISIS_FILE}:1: ",
             "not utf-8": f"{folder / CRISIS_FILE}:3: "}[how]
    assert f"error: {where}the crisis word list" in result.stderr
    assert "built-in crisis words are checked" in result.stderr
    data = json.loads(run_search("--content", str(folder), "--json", "no", "quiero", "vivir",
                                 tmp_path=tmp_path).stdout.splitlines()[-1])
    assert data["crisis"] and data["suggestion"] is None  # detection still works


def test_content_check_passes_with_the_shipped_crisis_lists(tmp_path):
    result = run_main("content", "check", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "crisis" not in result.stderr


def test_self_test_reports_the_crisis_words_of_each_language(tmp_path):
    result = run_main("--self-test", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout.strip().splitlines()[-1])
    assert verdict["ok"] and verdict["crisis_problems"] == []
    assert verdict["crisis_phrases"]["en"] >= 50 and verdict["crisis_phrases"]["es"] >= 50
    assert verdict["crisis_patterns"]["en"] >= 40 and verdict["crisis_patterns"]["es"] >= 40
    folder = tmp_path / "faq"
    shutil.copytree(CONTENT, folder)
    _broken(folder, "empty")
    result = run_main("--content", str(folder), "--self-test", tmp_path=tmp_path)
    verdict = json.loads(result.stdout.strip().splitlines()[-1])
    assert verdict["ok"]  # the built-in words still hold, and say how many
    assert verdict["crisis_phrases"]["en"] < 50 and verdict["crisis_patterns"]["en"] >= 40
    assert str(folder / CRISIS_FILE) in verdict["crisis_problems"][0]


def test_content_without_a_crisis_list_still_flags(tmp_path):
    folder = tmp_path / "faq"
    shutil.copytree(CONTENT, folder)
    (folder / CRISIS_FILE).unlink()
    response = SearchIndex.open(load_document(folder)).search("suicide")
    assert response.crisis and response.suggestion is None


# --- feedback by one's own email program -------------------------------------------


def test_mailto_quotes_subject_and_body_whole():
    entry = FeedbackInput(name="Ana & Bo", comments="Hi?\nsubject=x&cc=evil@example.org\n100%",
                          email="ana@example.org", username="anab", page_title="Is it safe?")
    url = mailto_url(entry, "feedback@ketaminenetwork.org")
    parts = urlsplit(url)
    assert parts.scheme == "mailto" and parts.path == "feedback@ketaminenetwork.org"
    query = parse_qs(parts.query, keep_blank_values=True)
    assert set(query) == {"subject", "body"}  # nothing typed became another field
    assert query["subject"] == ["Feedback on the Ketamine FAQ: Is it safe?"]
    body = query["body"][0]
    assert body.replace("\r\n", "\n") == message_text(entry)
    assert "subject=x&cc=evil@example.org" in body and "100%" in body
    assert "\n" not in url and " " not in url
    assert url.count("?") == 1 and url.count("&") == 1  # what was typed is all encoded
    assert unquote(url).endswith("<ana@example.org>")


def test_mailto_refuses_a_bad_address():
    with pytest.raises(ValueError):
        mailto_url(FeedbackInput(name="A", comments="b"), "a@b.org\r\nBcc: x@y.org")


def test_message_text_names_the_writer():
    text = message_text(FeedbackInput(name=" Ana ", comments="Clear.", username="ana_b"))
    assert text == "Clear.\n\nFrom: Ana (username ana_b)"
