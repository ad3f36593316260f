"""The search cache's SQLite errors told apart by their code: a corrupt file is rebuilt,
a locked or unreadable one is reported and left alone (another process may be using it)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.content import load_document
from reader.search import SearchIndex, cache_is_damaged

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def first_id(index: SearchIndex, query: str) -> str:
    return index.search(query).results[0].id


@pytest.fixture
def cached(tmp_path):
    """(document, cache folder, the cache file) after a first open built it."""
    document = load_document(CONTENT)
    cache = tmp_path / "cache"
    SearchIndex.open(document, cache).close()
    [path] = sorted(cache.glob("index-*.sqlite3"))
    return document, cache, path


def held(path: Path) -> sqlite3.Connection:
    """Another process's connection holding the file (an exclusive lock)."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_a_locked_cache_is_reported_and_left_alone(cached):
    document, cache, path = cached
    before = path.stat().st_ino, path.read_bytes()
    holder = held(path)
    try:
        index = SearchIndex.open(document, cache)
        assert first_id(index, "insurance") == "insurance"  # searched in memory
        assert index.built
        [problem] = index.problems
        assert str(path) in problem and "locked" in problem and "left as it is" in problem
        index.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (path.stat().st_ino, path.read_bytes()) == before  # not deleted, not rebuilt
    again = SearchIndex.open(document, cache)
    assert not again.built and again.problems == []  # the same cache, used again
    again.close()


def test_a_cache_locked_while_open_is_left_alone_on_search(cached):
    document, cache, path = cached
    index = SearchIndex.open(document, cache)
    assert not index.built
    holder = held(path)
    try:
        assert first_id(index, "insurance") == "insurance"
        assert any("locked" in problem for problem in index.problems)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        index.close()
    assert path.exists()
    assert not SearchIndex.open(document, cache).built


def test_a_corrupt_cache_is_still_rebuilt(cached):
    document, cache, path = cached
    path.write_bytes(b"SQLite format 3\x00" + b"\x01" * 5000)
    index = SearchIndex.open(document, cache)
    assert index.built and index.problems == [] and first_id(index, "insurance") == "insurance"
    index.close()
    assert not SearchIndex.open(document, cache).built  # a good cache again


@pytest.mark.parametrize("name, damaged", [
    ("SQLITE_CORRUPT", True), ("SQLITE_NOTADB", True), ("SQLITE_CORRUPT_VTAB", True),
    ("SQLITE_ERROR", True), ("", True),  # "no such table", or our own "other content"
    ("SQLITE_BUSY", False), ("SQLITE_LOCKED", False), ("SQLITE_IOERR_SHORT_READ", False),
    ("SQLITE_CANTOPEN", False), ("SQLITE_READONLY", False), ("SQLITE_FULL", False),
])
def test_errors_are_told_apart_by_their_code(name, damaged):
    exc = sqlite3.DatabaseError("x")
    exc.sqlite_errorname = name
    assert cache_is_damaged(exc) is damaged


def test_the_command_line_warns_of_a_locked_cache_and_still_answers(cached, tmp_path):
    document, cache, path = cached
    data = cache.parent  # the cache above sits where --data-dir DATA puts it
    (data / "search-cache").mkdir()
    target = data / "search-cache" / path.name
    path.rename(target)
    holder = held(target)
    try:
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), "search", "--data-dir",
                                 str(data), "--config", str(tmp_path / "none.toml"),
                                 "insurance"], capture_output=True, text=True, timeout=60)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 0, result.stderr
    assert "(insurance)" in result.stdout.splitlines()[0]
    assert "search cache not used, left as it is" in result.stderr and target.exists()
