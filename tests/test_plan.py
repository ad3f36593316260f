"""The session plan: chosen once, in order, kept in the preferences, the FAQ when empty."""

from __future__ import annotations

from reader.content import load_document
from reader.paths import resolve_paths
from reader.plan import Plan
from reader.settings import load_preferences


def test_the_plan_keeps_its_order_and_tells_of_changes():
    seen = []
    plan = Plan(["scams", "insurance", "scams", ""], on_change=seen.append)
    assert plan.ids == ["scams", "insurance"] and len(plan) == 2 and "scams" in plan
    plan.add(["is-it-real", "insurance"])
    assert plan.ids == ["scams", "insurance", "is-it-real"]
    plan.move("is-it-real", -1)
    plan.move("scams", -1)  # already first: stays
    assert plan.ids == ["scams", "is-it-real", "insurance"]
    plan.remove("scams")
    plan.set(["is-it-real", "insurance"])  # no change: nobody is told
    assert seen == [["scams", "insurance", "is-it-real"], ["scams", "is-it-real", "insurance"],
                    ["is-it-real", "insurance"]]
    plan.clear()
    assert plan.ids == [] and seen[-1] == []


def test_an_empty_plan_is_the_whole_faq_and_unknown_ids_are_left_out():
    paths = resolve_paths()
    for language in ("en", "es"):  # the ids are the same in both languages
        document = load_document(paths.content_dir, language=language)
        assert Plan().questions(document) == [s.id for s in document.sections]
        assert Plan(["insurance", "gone-question", "scams"]).questions(document) == \
            ["insurance", "scams"]
        assert Plan(["gone-question"]).questions(document) == [s.id for s in document.sections]


def test_a_session_keeps_its_plan_in_the_preferences(new_session):
    session = new_session()
    session.plan.add(["scams", "insurance"])
    saved = load_preferences(session.paths.settings_file)
    assert saved.plan == ["scams", "insurance"]
    again = new_session(language="es")  # the next start, in the other language
    assert again.plan.questions(again.document) == ["scams", "insurance"]
