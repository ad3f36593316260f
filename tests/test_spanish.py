"""The FAQ in Spanish: content/es/, its loading with English fallback, Spanish search on
both engines, `--lang`, and the window reading the Spanish document."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # until tests/conftest.py sets it

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reader.app import build_parser
from reader.content import (
    ContentError,
    choose_language,
    load_document,
    system_language,
    translations,
)
from reader.search import SearchIndex, marked_text, spanish_terms
from reader.ui import launch
from reader.ui.window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SPANISH = CONTENT / "es"

# What Spanish-speaking patients type, and the question that must be among the first three.
QUERIES = [
    # la respuesta que dice que una infusión dura más o menos una hora
    ("¿cuánto dura una infusión?", "regular-doctor"),
    ("cuánto tiempo dura la infusión", "regular-doctor"),
    ("¿cuánto tarda una infusión?", "regular-doctor"),
    ("¿cuántas horas dura el suero?", "regular-doctor"),
    ("¿qué es la ketamina?", "what-is-ketamine"),
    ("que es la ketamina", "what-is-ketamine"),
    ("ketamia", "what-is-ketamine"),
    ("anestesico", "what-is-ketamine"),
    ("¿es legal?", "what-is-ketamine"),
    ("¿es seguro?", "is-ketamine-safe"),
    ("es segura la ketamina", "is-ketamine-safe"),
    ("¿es seguro el tratamiento?", "is-ketamine-safe"),
    ("efectos secundarios", "is-ketamine-safe"),
    ("¿es peligrosa?", "is-ketamine-safe"),
    ("presion arterial", "is-ketamine-safe"),
    ("seguro médico", "insurance"),
    ("seguro medico", "insurance"),
    ("¿el seguro lo cubre?", "insurance"),
    ("mi seguro no paga", "insurance"),
    ("¿la aseguranza paga la ketamina?", "insurance"),
    ("cuanto cuesta", "insurance"),
    ("¿Cuánto cuesta el tratamiento?", "insurance"),
    ("tranquilizante para caballos", "horse-tranquilizer"),
    ("¿no es para caballos?", "horse-tranquilizer"),
    ("droga de caballo", "horse-tranquilizer"),
    ("medicina veterinaria", "horse-tranquilizer"),
    ("¿funciona para la depresión?", "does-ketamine-work"),
    ("depresion", "does-ketamine-work"),
    ("deprecion", "does-ketamine-work"),
    ("¿de verdad funciona?", "does-ketamine-work"),
    ("veteranos con estres postraumatico", "does-ketamine-work"),
    ("¿cuánto dura el alivio?", "how-long-does-relief-last"),
    ("cuanto dura", "how-long-does-relief-last"),
    ("¿es real?", "is-it-real"),
    ("¿es una estafa?", "scams"),
    ("estafa", "scams"),
    ("¿es pura moda?", "is-it-hype"),
    ("estudios de investigacion", "is-it-hype"),
    ("pinchazo", "how-is-ketamine-given"),
    ("pinchaso", "how-is-ketamine-given"),
    ("inyeccion", "how-is-ketamine-given"),
    ("inyecc", "how-is-ketamine-given"),
    ("por la vena", "how-is-ketamine-given"),
    ("spray nasal", "how-is-ketamine-given"),
    ("¿qué se siente?", "how-is-ketamine-given"),
    ("¿cómo se da la ketamina?", "how-is-ketamine-given"),
    ("dosis", "how-is-ketamine-given"),
    ("¿por qué no la usan más médicos?", "why-not-widely-used"),
    ("¿mi médico de cabecera me la puede dar?", "regular-doctor"),
    ("medico de familia", "regular-doctor"),
    ("¿dónde me la pueden poner?", "where-to-get-treatment"),
    ("clinicas cerca de mi", "where-to-get-treatment"),
    ("¿dónde puedo recibir tratamiento?", "where-to-get-treatment"),
    ("tratamiento a largo plazo", "long-term-treatment"),
    ("¿es diferente de los antidepresivos?", "different-from-antidepressants"),
    ("prozac", "different-from-antidepressants"),
    ("¿cómo funciona en el cerebro?", "different-from-antidepressants"),
    ("¿venden algo?", "selling-something"),
    ("¿quiénes son ustedes?", "selling-something"),
]

# Spelled-out numbers of the English text and how the Spanish twin says them.
NUMBER_WORDS = {"ten": "diez", "dozens": "docenas", "hundreds": "cientos",
                "second or third": "segunda o la tercera", "an hour": "una hora",
                "single": "una sola", "50 years": "50 años", "20 years": "20 años"}
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*%?")


@pytest.fixture(scope="module")
def english():
    return load_document(CONTENT)


@pytest.fixture(scope="module")
def spanish():
    return load_document(CONTENT, language="es")


@pytest.fixture(scope="module", params=[True, False], ids=["fts5", "plain"])
def index(request, spanish):
    return SearchIndex.open(spanish, None, use_fts5=request.param)


def ids(response):
    return [hit.id for hit in response.results]


def copy_content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    return folder


def run_main(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "KFR_DATA_DIR", "KFR_CONFIG")}
    clean.update(PYTHONIOENCODING="utf-8", KFR_CONFIG=str(tmp_path / "reader.toml"),
                 KFR_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen", **env)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, encoding="utf-8", env=clean, cwd=tmp_path, timeout=90)


# --- the Spanish text ----------------------------------------------------------------------


def test_same_files_ids_and_order_as_the_english(english, spanish):
    assert sorted(p.name for p in SPANISH.glob("*.md")) == sorted(
        p.name for p in CONTENT.glob("*.md"))
    assert [s.id for s in spanish.sections] == [s.id for s in english.sections]
    assert spanish.untranslated == [] and spanish.problems == []
    assert all(s.source.parent == SPANISH for s in spanish.sections)
    assert len(spanish.groups()) == len(english.groups())
    assert [g for g, _ in spanish.groups()] == [
        "Acerca de la ketamina", "La ketamina para la depresión", "Cómo recibir el tratamiento",
        "Quiénes somos"]


@pytest.mark.parametrize("section_id", [s.id for s in load_document(CONTENT).sections])
def test_each_spanish_answer_keeps_the_numbers_and_links_of_its_english_twin(
        english, spanish, section_id):
    en, es = english.get(section_id), spanish.get(section_id)
    en_numbers = Counter(_NUMBER_RE.findall(en.markdown))
    es_numbers = Counter(_NUMBER_RE.findall(es.markdown))
    assert not en_numbers - es_numbers, f"numbers lost: {en_numbers - es_numbers}"
    links = lambda s: Counter(re.findall(r"\]\(#([a-z0-9-]+)\)", s.markdown))  # noqa: E731
    assert links(en) == links(es)
    for words, spanish_words in NUMBER_WORDS.items():
        if re.search(rf"\b{words}\b", en.text.lower()):
            assert spanish_words in es.text.lower(), (words, spanish_words)


def test_drug_names_and_slang_are_explained(spanish):
    horse = spanish.get("horse-tranquilizer").text
    assert "tranquilizante para caballos" in horse and "horse tranquilizer" in horse
    assert "Un tranquilizante es un calmante" in horse
    drugs = spanish.get("different-from-antidepressants").text
    for name in ("ISRS", "SSRI", "Prozac", "benzodiacepinas", "IMAO", "tricíclicos"):
        assert name in drugs
    assert "off-label" in spanish.get("regular-doctor").text
    assert "por la vena" in spanish.get("is-it-real").text


def test_metadata_says_it_is_a_translation_with_a_spanish_crisis_line(english, spanish):
    meta = spanish.metadata
    assert meta.title == "Preguntas frecuentes sobre la ketamina"
    assert "traducción" in meta.date_note and "2015" in meta.date_note
    assert meta.text_date == "2015"
    assert "988" in meta.crisis_line and "marque 2" in meta.crisis_line
    assert "AYUDA" in meta.crisis_line
    assert meta.danger_line == "Si está en peligro ahora, llame al 911."
    assert meta.notice.startswith("Información general")
    assert meta.feedback_address == english.metadata.feedback_address
    [topic] = meta.newer_topics
    assert topic.terms == ("esketamina", "spravato") and "2019" in topic.note


def test_fidelity_tool_still_passes():
    tool = ROOT.parent / "shared" / "tools" / "faq_fidelity.py"
    if not tool.exists():
        pytest.skip("the shared fidelity tool is not beside this checkout")
    result = subprocess.run([sys.executable, str(tool), str(ROOT)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# --- loading: the English stays English, a partial translation falls back ------------------


def test_the_english_document_ignores_the_translation_folder(english, tmp_path):
    assert all(SPANISH not in s.source.parents for s in english.sections)
    assert len(english.sections) == 16 and english.language == "en"
    assert translations(CONTENT) == ["es"]
    folder = copy_content(tmp_path)
    before = load_document(folder).fingerprint
    (folder / "es" / "05-extra.md").write_text("## Extra {#extra}\n\nTexto.\n", encoding="utf-8")
    assert load_document(folder).fingerprint == before
    assert "extra" in [s.id for s in load_document(folder, language="es").sections]


def test_a_two_letter_folder_without_metadata_is_ordinary_content(tmp_path):
    folder = copy_content(tmp_path)
    write = folder / "qa" / "more.md"
    write.parent.mkdir()
    write.write_text("## More {#more}\n\nMore text.\n", encoding="utf-8")
    assert "more" in [s.id for s in load_document(folder).sections]


def drop_section(path: Path, section_id: str) -> None:
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"(?m)^(?=## )", text)
    path.write_text("".join(p for p in parts if f"{{#{section_id}}}" not in p), encoding="utf-8")


def test_missing_sections_fall_back_to_english_and_are_marked(tmp_path, english):
    folder = copy_content(tmp_path)
    drop_section(folder / "es" / "03-getting-treatment.md", "insurance")
    drop_section(folder / "es" / "01-about-ketamine.md", "what-is-ketamine")
    (folder / "es" / "04-about-us.md").unlink()
    document = load_document(folder, language="es")
    assert [s.id for s in document.sections] == [s.id for s in english.sections]
    assert document.untranslated == ["what-is-ketamine", "insurance", "selling-something",
                                     "scams"]
    insurance = document.get("insurance")
    assert insurance.fallback and insurance.title == "Does insurance cover ketamine treatment?"
    assert insurance.group == "Cómo recibir el tratamiento"  # beside its Spanish neighbours
    assert document.get("scams").group == "About us"  # the whole file is missing
    assert not document.get("regular-doctor").fallback
    assert document.home.id == "what-is-ketamine"
    response = SearchIndex.open(document, None).search("insurance")
    assert ids(response)[0] == "insurance"  # the English fallback is searchable


def test_content_check_names_missing_and_extra_ids(tmp_path):
    folder = copy_content(tmp_path)
    drop_section(folder / "es" / "03-getting-treatment.md", "insurance")
    with (folder / "es" / "04-about-us.md").open("a", encoding="utf-8") as f:
        f.write("\n## ¿Solo en español? {#solo-espanol}\n\nSí.\n")
    result = run_main(tmp_path, "content", "check", "--content", str(folder))
    assert result.returncode == 0, result.stderr
    assert "es: 15 of 16 sections translated" in result.stdout
    assert "es: not translated yet, shown in the original: insurance" in result.stdout
    assert "es: not in the original: solo-espanol" in result.stdout


def test_content_check_of_a_complete_translation(tmp_path):
    result = run_main(tmp_path, "content", "check")
    assert result.returncode == 0, result.stderr
    assert "es: 16 of 16 sections translated" in result.stdout
    assert "not translated yet" not in result.stdout


def test_content_check_fails_on_a_broken_translation_file(tmp_path):
    folder = copy_content(tmp_path)
    (folder / "es" / "02-ketamine-for-depression.md").write_bytes(b"## Mal\n\n\xff\xfe\n")
    result = run_main(tmp_path, "content", "check", "--content", str(folder))
    assert result.returncode == 2
    assert "es:" in result.stderr and "not UTF-8" in result.stderr
    assert "does-ketamine-work" in result.stdout  # now shown in English


def test_asking_for_a_missing_translation_is_a_clear_error(tmp_path):
    folder = copy_content(tmp_path)
    shutil.rmtree(folder / "es")
    with pytest.raises(ContentError, match="no translation 'es'"):
        load_document(folder, language="es")
    result = run_main(tmp_path, "search", "--lang", "es", "--content", str(folder), "dosis")
    assert result.returncode == 2
    assert result.stderr.startswith("error:") and "no translation 'es'" in result.stderr


# --- search ----------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_spanish_patient_query_finds_answer_in_top_three(index, query, expected):
    assert expected in ids(index.search(query))[:3], ids(index.search(query))


@pytest.mark.parametrize("query", ["¿es seguro?", "seguridad", "¿es seguro el tratamiento?"])
def test_seguro_alone_means_safe(index, query):
    assert ids(index.search(query))[0] == "is-ketamine-safe"


@pytest.mark.parametrize("query", ["seguro médico", "seguro de salud", "¿lo cubre el seguro?",
                                   "aseguranza", "mi seguro no paga"])
def test_seguro_medico_means_insurance(index, query):
    assert ids(index.search(query))[0] == "insurance"


def test_accents_do_not_matter(index):
    for plain, accented in [("depresion", "depresión"), ("inyeccion", "inyección"),
                            ("¿como se da?", "¿cómo se da?"), ("medico", "médico")]:
        assert ids(index.search(plain)) == ids(index.search(accented))


def test_stemming_finds_other_forms(index):
    assert "how-is-ketamine-given" in ids(index.search("inyecciones"))
    assert "how-is-ketamine-given" in ids(index.search("pinchazos"))
    assert ids(index.search("tranquilizantes"))[0] == "horse-tranquilizer"


def test_spanish_stop_words_do_not_drown_the_answer(index):
    assert ids(index.search("¿qué es la ketamina?"))[0] == "what-is-ketamine"
    assert ids(index.search("¿de que?")) != []  # only stop words: still answered


def test_typo_gets_a_spanish_suggestion(index):
    response = index.search("deprecion")
    assert response.suggestion == "depresion"
    assert ids(response)[0] == "does-ketamine-work"


def test_snippets_show_the_accented_text_with_matches_marked(index):
    hit = index.search("depresion").results[0]
    assert "[depresión]" in marked_text(hit.snippet)
    assert hit.title == "¿De verdad funciona la ketamina para la depresión?"
    hit = index.search("seguro médico").results[0]
    assert "[seguro] [médico]" in marked_text(hit.snippet)


def test_spanish_crisis_words_and_newer_topics(index):
    assert index.search("quiero morir").crisis
    assert index.search("no quiero vivir mas").crisis
    assert index.search("pienso en el suisidio").crisis  # a typo is forgiven
    assert not index.search("¿la ketamina puede matarme?").crisis  # a safety question
    assert not index.search("¿es seguro?").crisis
    note = index.search("¿qué es la esketamina?").note
    assert note and "2019" in note and "Spravato" in note


def test_the_index_language_comes_from_the_document(spanish, english, tmp_path):
    assert SearchIndex.open(spanish, None).language.code == "es"
    assert SearchIndex.open(english, None).language.code == "en"
    index = SearchIndex.open(english, None, use_fts5=False, language="es")
    assert index.language.code == "es"


def test_english_and_spanish_indexes_share_a_cache_folder(english, spanish, tmp_path):
    cache = tmp_path / "cache"
    assert SearchIndex.open(english, cache).built
    assert SearchIndex.open(spanish, cache).built
    assert not SearchIndex.open(english, cache).built  # neither removed the other
    assert not SearchIndex.open(spanish, cache).built
    assert len(list(cache.glob("index-*.sqlite3"))) == 2


def test_compound_terms():
    assert spanish_terms(["el", "seguro", "medico", "paga"]) == ["el", "seguromedico", "pag"]
    assert spanish_terms(["seguros", "de", "salud"]) == ["seguromedico"]
    assert spanish_terms(["es", "seguro"]) == ["es", "segur"]


# --- choosing the language ------------------------------------------------------------------


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "es_MX.UTF-8"}, "es"),
    ({"LANG": "es"}, "es"),
    ({"LC_ALL": "es_ES.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
    ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "es_US.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, ""),
    ({"LANG": "POSIX"}, ""),
    ({"LANG": "est"}, ""),
    ({}, ""),
])
def test_system_language(environ, expected):
    assert system_language(environ) == expected


def test_choose_language(tmp_path):
    assert choose_language(CONTENT, "en", "es", {"LANG": "es_MX"}) == ("en", "")
    assert choose_language(CONTENT, "", "es", {"LANG": "en_US"}) == ("es", "")
    assert choose_language(CONTENT, "", "", {"LANG": "es_MX.UTF-8"}) == ("es", "")
    assert choose_language(CONTENT, "", "", {"LANG": "fr_FR.UTF-8"}) == ("en", "")
    folder = copy_content(tmp_path)
    shutil.rmtree(folder / "es")
    assert choose_language(folder, "", "", {"LANG": "es_MX.UTF-8"}) == ("en", "")
    language, warning = choose_language(folder, "", "es", {})
    assert language == "en" and "[reader] language" in warning


@pytest.mark.parametrize("args", [
    ["--lang", "es", "search", "--json", "¿es", "seguro?"],
    ["search", "--lang", "es", "--json", "¿es", "seguro?"],
    ["search", "--json", "¿es", "seguro?", "--lang", "es"],
])
def test_lang_before_or_after_the_subcommand(tmp_path, args):
    result = run_main(tmp_path, *args)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["results"][0]["id"] == "is-ketamine-safe"
    assert data["results"][0]["title"] == "¿La ketamina es segura?"


def test_search_lang_es_json_crisis_is_in_spanish(tmp_path):
    data = json.loads(run_main(tmp_path, "search", "--lang", "es", "--json",
                               "quiero", "morir").stdout)
    assert data["crisis"].startswith("¿Está en crisis? Llame al 988 y marque 2")
    assert "Si está en peligro ahora, llame al 911." in data["crisis"]


def test_system_language_and_reader_toml_choose_spanish(tmp_path, english, spanish):
    def language_of(*args: str, **env: str) -> str:
        result = run_main(tmp_path, "search", "--json", "ketamine", *args, **env)
        assert result.returncode == 0, result.stderr
        [hit, *_] = json.loads(result.stdout)["results"]
        titles = {"en": english.get(hit["id"]).title, "es": spanish.get(hit["id"]).title}
        return next(code for code, title in titles.items() if title == hit["title"])

    assert language_of() == "en"
    assert language_of(LANG="es_MX.UTF-8") == "es"
    assert language_of(LC_ALL="es_ES.UTF-8", LANG="en_US.UTF-8") == "es"
    assert language_of("--lang", "en", LANG="es_MX.UTF-8") == "en"
    (tmp_path / "reader.toml").write_text('[reader]\nlanguage = "es"\n', encoding="utf-8")
    assert language_of(LANG="en_US.UTF-8") == "es"
    assert language_of("--lang", "en") == "en"


def test_bad_lang_is_a_usage_error(tmp_path):
    result = run_main(tmp_path, "search", "--lang", "fr", "x")
    assert result.returncode == 2 and "invalid choice: 'fr'" in result.stderr
    result = run_main(tmp_path, "--lang", "fr", "--self-test")
    assert result.returncode == 2 and "invalid choice: 'fr'" in result.stderr


# --- the window ---------------------------------------------------------------------------


@pytest.fixture
def started_window(qapp, monkeypatch):
    """Runs launch.run_gui up to app.exec(), then hands over the window it built."""
    seen: dict = {}

    def fake_exec(self=None):
        [window] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, MainWindow) and w.isVisible()]
        seen["window"] = window
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    for name in ("LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    yield seen
    window = seen.get("window")
    if window is not None:
        window.search_panel.wait_idle()
        window.save_on_close = False
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def gui_args(tmp_path: Path, *argv: str):
    return build_parser().parse_args(
        ["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "reader.toml"), *argv])


def test_window_reads_and_searches_the_spanish_faq(qtbot, tmp_path, started_window):
    assert launch.run_gui(gui_args(tmp_path, "--lang", "es", "--open", "insurance")) == 0
    window = started_window["window"]
    assert window.document.language == "es"
    assert "¿El seguro médico paga el tratamiento con ketamina?" in window.viewer.toPlainText()
    panel = window.search_panel
    panel.field.setFocus()
    with qtbot.waitSignal(panel.searched, timeout=10_000) as blocker:
        QTest.keyClicks(panel.field, "pinchazo")
        QTest.keyClick(panel.field, Qt.Key.Key_Space)
    assert ids(blocker.args[0])[0] == "how-is-ketamine-given"
    assert panel.results.count() >= 1


def test_window_follows_the_system_language(tmp_path, started_window, monkeypatch):
    monkeypatch.setenv("LANG", "es_US.UTF-8")
    assert launch.run_gui(gui_args(tmp_path)) == 0
    window = started_window["window"]
    assert window.document.language == "es"
    assert "¿Qué es la ketamina?" in window.viewer.toPlainText()


def test_self_test_in_spanish(tmp_path):
    result = run_main(tmp_path, "--lang", "es", "--self-test")
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout.strip().splitlines()[-1])
    assert verdict["ok"] and verdict["search_hits"] > 0


def test_english_and_spanish_page_caches_live_side_by_side(english, spanish, tmp_path):
    from reader.content import Renderer

    cache = tmp_path / "render-cache"
    for document in (english, spanish, english):  # switching back and forth
        renderer = Renderer(document, cache)
        renderer.render_all()
        renderer.save()
    assert sorted(f.name for f in cache.glob("*.json")) == [
        f"{english.fingerprint}.json", f"es-{spanish.fingerprint}.json"]
    warm = Renderer(spanish, cache)
    warm.render_all()
    assert warm._md is None  # every Spanish page came from the cache
    assert "anestésico" in warm.html(spanish.home)


@pytest.mark.parametrize("query, unmatched", [
    ("¿puedo conducir después del tratamiento?", ["conducir"]),
    ("¿es seguro durante la lactancia?", ["lactancia"]),
])
def test_spanish_words_the_faq_never_mentions_are_named(index, query, unmatched):
    response = index.search(query)
    assert response.unmatched == unmatched and response.suggestion is None
    assert response.results  # the closest answers still follow, labelled as related


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_spanish_questions_the_faq_covers_are_not_called_unmentioned(index, query, expected):
    assert index.search(query).unmatched == []
