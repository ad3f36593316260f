"""The crisis check against its evaluation set (tests/crisis_eval/): every crisis phrasing
caught in either language whatever the screen's language, at most 1% false alarms among the
look-alikes and the FAQ's own questions and sentences, and no typo tolerance that turns an
ordinary word into a crisis word."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from reader.content import load_document
from reader.crisis import LANGUAGES, crisis_matcher, ordinary_words
from reader.search import SearchIndex

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_crisis",
                                                  REPO / "benchmarks" / "bench_crisis.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _bench()
SETS = BENCH.evaluation(CONTENT)


@pytest.fixture(scope="module")
def words():
    return crisis_matcher(CONTENT)


def test_the_set_is_as_large_as_promised():
    assert len(SETS["en"]["crisis"]) >= 200 and len(SETS["es"]["crisis"]) >= 150
    ordinary = sum(len(s["ordinary"]) + len(s["faq_ordinary"]) for s in SETS.values())
    assert ordinary >= 400
    assert len(SETS["en"]["ordinary"]) + len(SETS["es"]["ordinary"]) >= 400
    assert SETS["en"]["faq_ordinary"] and SETS["es"]["faq_ordinary"]  # read from content/


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_crisis_phrasing_is_caught_on_either_screen(words, language):
    crisis = SETS[language]["crisis"] + SETS[language]["faq_crisis"]
    assert BENCH.misses(words, crisis) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_at_most_one_percent_false_alarms(words, language):
    ordinary = SETS[language]["ordinary"] + SETS[language]["faq_ordinary"]
    alarms = BENCH.false_alarms(words, ordinary)
    assert len(alarms) <= 0.01 * len(ordinary), alarms


def test_the_faq_questions_raise_no_card(words):
    for language in LANGUAGES:
        titles = [s.title for s in load_document(CONTENT, language=language).sections]
        assert [t for t in titles if words.matches(t)] == []


@pytest.mark.parametrize("typed, meant", [("making", "taking"), ("putting", "cutting"),
                                          ("willing", "killing"), ("dye", "die"),
                                          ("suite", "suicide"), ("matar", "matarme")])
def test_an_ordinary_word_is_never_mended_into_a_crisis_word(words, typed, meant):
    assert typed in ordinary_words() or len(typed) < 4
    assert meant not in words.canonical_words(typed)


@pytest.mark.parametrize("typed, meant", [("sucidal", "suicidal"), ("suisidio", "suicidio"),
                                          ("myslef", "myself"), ("kil", "kill")])
def test_a_word_that_is_no_word_is_mended(words, typed, meant):
    assert words.canonical_words(typed) == [meant]


def test_joined_and_contracted_words_are_read_apart(words):
    assert words.canonical_words("killmyself") == ["kill", "myself"]
    assert words.canonical_words("dont wanna") == ["do", "not", "want", "to"]
    assert words.canonical_words("quieromorir") == ["quiero", "morir"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_never_offers_a_correction_with_crisis_words(language):
    index = SearchIndex.open(load_document(CONTENT, language=language))
    for phrase in SETS["en"]["crisis"][:60] + SETS["es"]["crisis"][:60]:
        response = index.search(phrase)
        assert response.crisis, phrase
        assert response.suggestion is None, (phrase, response.suggestion)
    response = index.search("i dont want to be here anymore")
    assert response.crisis and response.suggestion is None
