"""A Spanish translation with a file missing or a broken metadata.toml: Spanish readers
still find the English fallback pages and keep the Spanish crisis line; staff get an error."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.content import load_document
from reader.search import SearchIndex

ROOT = Path(__file__).resolve().parent.parent
SPANISH_LINE = "Llame al 988 y marque 2 para español"


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


def main_py(*args: str, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args, "--data-dir",
                           str(data), "--config", str(data / "none.toml")],
                          capture_output=True, text=True, timeout=60)


def found(result: subprocess.CompletedProcess) -> list[str]:
    assert result.returncode == 0, result.stderr
    return [hit["id"] for hit in json.loads(result.stdout)["results"]]


def test_a_missing_spanish_file_leaves_its_english_pages_findable_in_spanish(content,
                                                                            tmp_path):
    (content / "es" / "03-getting-treatment.md").unlink()
    document = load_document(content, language="es")
    fallback = {s.id for s in document.sections if s.fallback}
    assert {"regular-doctor", "insurance", "where-to-get-treatment"} <= fallback
    index = SearchIndex.open(document, tmp_path / "cache")
    for query, wanted in (("regular doctor", "regular-doctor"),  # the page's own words
                          ("insurance", "insurance"),
                          ("médico de cabecera", "regular-doctor")):  # Spanish, bridged
        assert wanted in [hit.id for hit in index.search(query).results][:3], query
    index.close()
    data = tmp_path / "data"
    assert found(main_py("--content", str(content), "search", "--lang", "es", "--json",
                         "Where can I get ketamine treatment?", data=data))[0] == \
        "where-to-get-treatment"
    check = main_py("--content", str(content), "content", "check", data=data)
    assert "es: not translated yet, shown in the original:" in check.stdout
    assert "regular-doctor" in check.stdout


def test_a_broken_spanish_metadata_keeps_the_spanish_crisis_line_and_is_an_error(content,
                                                                                 tmp_path):
    metadata = content / "es" / "metadata.toml"
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("title = ", "title = = ",
                                                                     1), encoding="utf-8")
    document = load_document(content, language="es")
    assert SPANISH_LINE in document.metadata.crisis_line  # not the English one
    assert document.metadata.text_date == "2015"
    assert any("not valid TOML" in problem for problem in document.problems)
    data = tmp_path / "data"
    search = main_py("--content", str(content), "search", "--lang", "es", "--json",
                     "quiero morir", data=data)
    assert search.returncode == 0, search.stderr
    assert SPANISH_LINE in json.loads(search.stdout)["crisis"]
    assert f"warning: {metadata}: not valid TOML" in search.stderr
    check = main_py("--content", str(content), "content", "check", data=data)
    assert check.returncode == 2
    assert f"error: es: {metadata}: not valid TOML" in check.stderr
    assert "warning:" not in check.stderr
