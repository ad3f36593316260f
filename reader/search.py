"""Search that finds answers the way patients ask. No Qt.

SQLite FTS5 from Python's sqlite3: porter stemming, titles weighted above body text (BM25),
prefix matching on the word being typed, quoted phrases, typo correction from a trigram
index of the content's own words, and synonyms from `content/synonyms.txt` (one
comma-separated group per line, `#` comments), which clinic staff may edit.

Whatever the user types is only ever turned into quoted words: FTS5 syntax (`"` `*` `(` `)`
`:` `^` `-`, AND, OR, NEAR, column filters) is read as the words it contains.

A query becomes a list of *concepts* (a word, a quoted phrase, or a synonym group); an
answer matching every concept ranks above one matching only some. Common words ("how",
"does", "the") are dropped unless nothing else is left.

Languages: English relies on FTS5's porter tokenizer. Spanish (a document loaded with
`language="es"`) is stemmed in Python with Snowball before indexing and querying, and the
index holds the stems (`unicode61 remove_diacritics 2`); accents never matter, since words
are folded before they are stemmed. Each language has its own stop words.

The index is cached in `cache_dir` under the content fingerprint, written to a temp file
and moved into place; a missing, stale or corrupt file is rebuilt quietly. If this
Python's SQLite lacks FTS5, a small scorer in Python answers the same queries.

Snippets and titles are plain text. In `SearchHit.snippet` each matched word is wrapped in
MARK_START ("\\x02") ... MARK_END ("\\x03"); `marked_html` and `marked_text` convert them.
A SearchIndex may be used from any thread: one connection, guarded by a lock.
"""

from __future__ import annotations

import bisect
import contextlib
import html
import math
import re
import sqlite3
import threading
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Protocol

from reader.content import Document
from reader.crisis import (
    ENGLISH_WORDS,
    SPANISH_WORDS,
    PhraseMatcher,
    crisis_matcher,
    edit_distance,
    word_list,
)
from reader.paths import replaced_atomically

MARK_START, MARK_END = "\x02", "\x03"
SCHEMA_VERSION = 1
TITLE_WEIGHT = 10.0
SNIPPET_CHARS = 160
MAX_QUERY_CHARS = 1000  # longer input is cut here; a question is never this long
MAX_CONCEPTS = 12
MAX_TITLE_MATCHES = 100  # more titles than this holding the typed words: rank by BM25 alone
MAX_WORD_CHARS = 40
TOKENIZER = "porter unicode61 remove_diacritics 2"
PLAIN_TOKENIZER = "unicode61 remove_diacritics 2"  # for text stemmed before it is indexed
SYNONYMS_FILE = "synonyms.txt"

_WORD_RE = re.compile(r"[^\W_]+")
_MARKED_RE = re.compile(f"{MARK_START}(.*?){MARK_END}", re.S)
_STOPWORDS_TEXT = """a about am an and any are aren as at be been but by can could couldn d
    did didn do does doesn doing don for from get got had has hasn have haven how i if in into
    is isn it its just ll m me my no nor not of on or our re s should shouldn so some t than
    that the their them then there these they this those to too us ve very was wasn we were
    weren what when which who why will with won would wouldn you your"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
# folded, as words() gives them
_SPANISH_STOPWORDS_TEXT = """a al algo alguien algun alguna algunas alguno algunos ante asi aun
    como con cual cuales cuando cuanta cuantas cuanto cuantos de del desde donde e el ella
    ellas ellos en entre era eres es esa esas ese eso esos esta estan estar estas este esto
    estos estoy fue ha han hay la las le les lo los mas me mi mis muy nada ni no nos nosotros
    o para pero poco por porque puede pueden puedo que quiere quiero quisiera quien quienes
    saber se sea ser si sin sobre son soy su sus tal tambien te tengo tiene tienen todo todos
    tu tus u un una uno unos unas usted ustedes va vez y ya yo"""
SPANISH_STOPWORDS = frozenset(_SPANISH_STOPWORDS_TEXT.split())
# words of asking, not of a topic: never named as "not in this FAQ"
_GENERIC_TEXT = """ok okay really also much many get got like please thanks thank hello hi help
    know tell want need thing things way good bad still yet anyone someone something anything
    people person time times happen happens happened mean means ever even actually lot lots
    kind sort maybe possible question questions answer after before while during near nearby
    around here there go going use used using take taking make makes work works long often
    hola gracias favor cosa cosas bien mal despues antes mientras durante pregunta respuesta
    decir poder gente persona veces hacer usar tomar cerca aqui alli pura puro solo sola
    nomas simplemente"""
GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())


@dataclass
class SearchHit:
    id: str
    title: str
    snippet: str  # plain text; matches wrapped in MARK_START ... MARK_END
    score: float  # higher is better; hits come best first


@dataclass
class SearchResponse:
    query: str
    results: list[SearchHit]
    suggestion: str | None = None  # the query with misspelled words corrected
    terms: list[str] = field(default_factory=list)  # lowercase words/phrases to highlight
    crisis: bool = False  # the query holds crisis words of either language (reader.crisis)
    note: str | None = None  # about a topic newer than the text (metadata newer_topics)
    crisis_language: str | None = None  # whose crisis words they were ("en", "es")
    unmatched: list[str] = field(default_factory=list)  # distinctive words not in the FAQ


def marked_html(text: str) -> str:
    """A snippet as HTML: escaped, matches in <b>."""
    escaped = html.escape(text, quote=False)
    return escaped.replace(MARK_START, "<b>").replace(MARK_END, "</b>")


def marked_text(text: str, start: str = "[", end: str = "]") -> str:
    return text.replace(MARK_START, start).replace(MARK_END, end)


def fold(text: str) -> str:
    """Lowercase without diacritics, as the index sees words."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [w[:MAX_WORD_CHARS] for w in _WORD_RE.findall(fold(text))]


def load_synonyms(path: Path) -> list[list[tuple[str, ...]]]:
    """Groups of phrases that count as the same; a missing or unreadable file means none."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    groups = []
    for line in text.splitlines():
        phrases = [tuple(words(p)) for p in line.split("#", 1)[0].split(",")]
        phrases = list(dict.fromkeys(p for p in phrases if p))
        if len(phrases) > 1:
            groups.append(phrases)
    return groups


@cache
def fts5_available() -> bool:
    try:
        with sqlite3.connect(":memory:") as conn:
            conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='trigram')")
        return True
    except sqlite3.Error:
        return False


def _close_enough(word: str, candidates: Iterable[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """(candidate, edit distance, frequency) of the (word, frequency) candidates that are
    near enough to be what was meant."""
    allowed = 1 if len(word) <= 5 else 2
    found = []
    for cand, freq in candidates:
        if cand == word or abs(len(cand) - len(word)) > allowed:
            continue
        if len(set(cand) ^ set(word)) > 2 * allowed:  # each edit changes at most two letters
            continue
        dist = edit_distance(word, cand, allowed)
        if dist <= allowed:
            found.append((cand, dist, freq))
    return found


@cache
def common_english() -> frozenset[str]:
    """Everyday English words (resources/english-words.txt): never taken for typos."""
    return frozenset(w for w in word_list(ENGLISH_WORDS) if w.isalpha())


def common_spanish() -> frozenset[str]:
    """Spanish words (resources/spanish-words.txt), folded: never taken for typos."""
    return word_list(SPANISH_WORDS)


_Alt = tuple[tuple[str, ...], bool]  # the words of a phrase, and whether the last is a prefix


@dataclass
class _Concept:
    """One thing the query asks for; matched by any of its alternatives."""

    own: list[_Alt]  # what the user typed (and its spelling correction)
    extra: list[_Alt] = field(default_factory=list)  # synonyms
    word: str | None = None  # a lone typed word that may be misspelled
    group: int | None = None  # synonym group


# --- languages ---------------------------------------------------------------


_stemmer_lock = threading.Lock()  # a Snowball stemmer object is not thread-safe


class _Stemmer(Protocol):
    def stemWord(self, word: str) -> str: ...


@cache
def _snowball(name: str) -> _Stemmer | None:
    try:
        # only for a language stemmed in Python; it ships no type information
        import snowballstemmer  # type: ignore[import-untyped]
    except ImportError:  # a broken install: words are matched as typed, search still works
        return None
    stemmer: _Stemmer = snowballstemmer.stemmer(name)
    return stemmer


@lru_cache(maxsize=100_000)
def spanish_stem(word: str) -> str:
    """The Snowball Spanish stem of a folded word ("inyecciones" -> "inyeccion")."""
    stemmer = _snowball("spanish")
    if stemmer is None:
        return word
    with _stemmer_lock:
        return stemmer.stemWord(word)


# Words that mean something else together: "seguro" alone is "safe", "seguro médico" is
# health insurance. The index holds each such phrase as one term, so "¿es seguro?" finds
# the safety answer and not the insurance one.
SPANISH_COMPOUNDS = {
    phrase: "seguromedico"
    for phrase in [("seguro", "medico"), ("seguros", "medicos"), ("seguro", "de", "salud"),
                   ("seguros", "de", "salud")]
}


def spanish_terms(found: list[str]) -> list[str]:
    """Folded words as the Spanish index holds them: stems, compounds joined."""
    terms, i = [], 0
    while i < len(found):
        for n in (3, 2):
            compound = SPANISH_COMPOUNDS.get(tuple(found[i : i + n]))
            if compound:
                terms.append(compound)
                i += n
                break
        else:
            terms.append(spanish_stem(found[i]))
            i += 1
    return terms


def _stem_each(stem: Callable[[str], str]) -> Callable[[list[str]], list[str]]:
    return lambda found: [stem(w) for w in found]


@dataclass(frozen=True)
class Language:
    """How one language's text becomes index terms."""

    code: str
    stopwords: frozenset[str]
    stem: Callable[[str], str]  # one folded word
    terms: Callable[[list[str]], list[str]]  # folded words as the index holds them
    prestem: bool  # terms made in Python before FTS5 sees them; else FTS5's porter stems
    tokenizer: str
    common_words: Callable[[], frozenset[str]]  # everyday words never taken for typos


def language_for(code: str) -> Language:
    if code == "es":
        return Language("es", SPANISH_STOPWORDS, spanish_stem, spanish_terms, True,
                        PLAIN_TOKENIZER, common_spanish)
    if code in ("", "en"):
        return Language("en", STOPWORDS, light_stem, _stem_each(light_stem), False, TOKENIZER,
                        common_english)
    return Language(code, frozenset(), str, list, True, PLAIN_TOKENIZER, frozenset)  # as typed


def stemmed_text(text: str, language: Language) -> str:
    return " ".join(language.terms(words(text)))


# --- FTS5 engine -------------------------------------------------------------


_Described = tuple[str, str, str, list[str]]  # id, title, snippet, matched words


class _FtsEngine:
    def __init__(self, conn: sqlite3.Connection, language: Language | None = None):
        self.conn = conn
        self.language = language or language_for("en")

    def _terms(self, words_: tuple[str, ...] | list[str]) -> list[str]:
        return self.language.terms(list(words_)) if self.language.prestem else list(words_)

    def _quoted(self, words_: tuple[str, ...] | list[str]) -> str:
        return '"' + " ".join(self._terms(words_)) + '"'

    def _alt(self, words_: tuple[str, ...], prefix: bool) -> str:
        """One alternative as FTS5 query text. A word being typed is a prefix; where the index
        holds stems it is also its own stem, as the stem may be shorter ("vena": "ven")."""
        quoted = self._quoted(words_)
        if not prefix:
            return quoted
        if len(words_) == 1 and self._terms(words_) != list(words_):
            return f'({quoted} OR "{words_[0]}"*)'
        return quoted + "*"

    def known(self, word: str) -> bool:
        return bool(self.conn.execute("SELECT 1 FROM words WHERE word = ?", (word,)).fetchone())

    def candidates(self, word: str) -> list[tuple[str, int, int]]:
        grams = {word[i : i + 3] for i in range(len(word) - 2)}
        rows = self.conn.execute(
            "SELECT w.word, w.freq FROM grams JOIN words w ON w.rowid = grams.rowid"
            " WHERE grams MATCH ? AND length(w.word) BETWEEN ? AND ?"
            " ORDER BY grams.rank LIMIT 12",
            (" OR ".join(f'"{g}"' for g in sorted(grams)), len(word) - 2, len(word) + 2),
        )
        return _close_enough(word, rows)

    def together(self, word: str, others: list[str]) -> int:
        """How many answers hold `word` and any of `others`."""
        near = " OR ".join(self._quoted([o]) for o in others)
        match = f"{self._quoted([word])} AND ({near})"
        count: int = self.conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?",
                                       (match,)).fetchone()[0]
        return count

    def _match(self, concepts: list[list[_Alt]], every: bool) -> str:
        parts = [
            "(" + " OR ".join(self._alt(ws, p) for ws, p in alts) + ")"
            for alts in concepts
        ]
        return (" AND " if every else " OR ").join(parts)

    def rank(self, concepts: list[list[_Alt]], every: bool, limit: int) -> list[tuple[int, float]]:
        sql = "SELECT rowid, -rank FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?"
        if every or len(concepts) < 2:
            return self.conn.execute(sql, (self._match(concepts, every), limit)).fetchall()
        found = self.conn.execute(sql, (self._match(concepts, False), limit * 3)).fetchall()
        matched_by: Counter[int] = Counter()
        keys = ",".join(str(int(key)) for key, _ in found)
        for alts in concepts:
            rows = self.conn.execute(
                f"SELECT rowid FROM fts WHERE fts MATCH ? AND rowid IN ({keys})",
                (self._match([alts], True),))
            matched_by.update(row[0] for row in rows)
        return _by_coverage(found, matched_by, len(concepts), limit)

    def titles(self, typed: list[_Alt], limit: int) -> list[tuple[int, float]]:
        """Questions whose title holds every typed word, shortest title first."""
        match = " AND ".join("title : " + self._alt(ws[:1], p) for ws, p in typed)
        sql = "SELECT rowid, 1.0 / length(title) FROM fts WHERE fts MATCH ? LIMIT ?"
        return _few_titles(self.conn.execute(sql, (match, MAX_TITLE_MATCHES + 1)).fetchall(), limit)

    def describe(self, keys: list[int], concepts: list[list[_Alt]],
                 typed: tuple[str, ...] = ()) -> dict[int, _Described]:
        if self.language.prestem:
            return self._describe_stemmed(keys, concepts, typed)
        rows = self.conn.execute(
            "SELECT rowid, id, title, highlight(fts, 0, ?1, ?2), highlight(fts, 1, ?1, ?2)"
            f" FROM fts WHERE fts MATCH ?3 AND rowid IN ({','.join(map(str, keys))})",
            (MARK_START, MARK_END, self._match(concepts, False)),
        )
        return {
            key: (i, t, cut_snippet(body, typed=typed),
                  [fold(m) for m in _MARKED_RE.findall(title + body)])
            for key, i, t, title, body in rows
        }


    def _describe_stemmed(self, keys: list[int], concepts: list[list[_Alt]],
                          typed: tuple[str, ...]) -> dict[int, _Described]:
        """The index holds stems, so FTS5's highlight() would show them: mark in Python."""
        stems, prefixes = _wanted_stems(concepts, self.language)
        rows = self.conn.execute(
            f"SELECT rowid, id, title, body FROM shown WHERE rowid IN ({','.join(map(str, keys))})"
        )
        described = {}
        for key, section_id, title, body in rows:
            marked = _mark_stems(body, stems, self.language.stem, prefixes)
            found = _MARKED_RE.findall(_mark_stems(title, stems, self.language.stem, prefixes)
                                       + marked)
            described[key] = (section_id, title, cut_snippet(marked, typed=typed),
                              [fold(m) for m in found])
        return described


def _wanted_stems(concepts: list[list[_Alt]],
                  language: Language) -> tuple[set[str], tuple[str, ...]]:
    """The stems to mark, and the typed beginnings of words (a prefix alternative)."""
    stems: set[str] = set()
    prefixes: list[str] = []
    for alts in concepts:
        for phrase, prefix in alts:
            for n, word in enumerate(phrase):
                if len(phrase) > 1 and word in language.stopwords:
                    continue  # "el" of "el seguro" is not worth marking everywhere
                if prefix and n == len(phrase) - 1:
                    prefixes.append(word)
                stems.add(language.stem(word))
    return stems, tuple(prefixes)


def cut_snippet(marked: str, width: int = SNIPPET_CHARS, typed: tuple[str, ...] = ()) -> str:
    """About `width` characters of a marked text around its best cluster of matches; the
    words the reader typed count more than their synonyms ("horse" before "veterinary")."""
    if len(marked) <= width:
        return marked
    found = [(m.start(), fold(m.group(1))) for m in _MARKED_RE.finditer(marked)]

    stems = [w[:max(3, len(w) - 2)] for w in typed]
    weight = {t: 4 if t.startswith(tuple(stems)) and stems else 1 for _, t in found}
    lead = width // 5  # a little context before the first match

    def score(first: int) -> int:
        window = {t for p, t in found if first - lead <= p < first - lead + width}
        return sum(weight[t] for t in window)

    start = 0
    if found:
        first = max((p for p, _ in found[:8]), key=lambda p: (score(p), -p))
        start = max(0, first - lead)
        space = marked.rfind(" ", 0, start + 1)
        start = space + 1 if space > 0 else 0
    end = marked.find(" ", start + width)
    end = len(marked) if end < 0 else end
    text = marked[start:end].strip()
    if text.find(MARK_END) < text.find(MARK_START) or (MARK_END in text) > (MARK_START in text):
        text = MARK_START + text  # cut inside a marked phrase
    if text.rfind(MARK_START) > text.rfind(MARK_END):
        text += MARK_END
    return ("…" if start else "") + text + ("…" if end < len(marked) else "")


def _by_coverage(found: list[tuple[int, float]], matched_by: Counter[int], concepts: int,
                 limit: int) -> list[tuple[int, float]]:
    """Best first, where an answer holding more of what was asked beats one that holds
    less but has it in its title: "how long does an infusion last" finds the answer saying an
    infusion takes about an hour before "How long does the relief last?" alone would."""
    scored = [(key, score * (matched_by[key] / concepts) ** 2) for key, score in found]
    return sorted(scored, key=lambda f: (-f[1], f[0]))[:limit]


def _few_titles(found: list[tuple[int, float]], limit: int) -> list[tuple[int, float]]:
    """Title matches, shortest first; none when so many titles match that it means nothing."""
    if len(found) > MAX_TITLE_MATCHES:
        return []
    return sorted(found, key=lambda f: (-f[1], f[0]))[:limit]


def _build_fts(conn: sqlite3.Connection, document: Document, language: Language) -> None:
    conn.executescript(
        f"""
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE docs(rowid INTEGER PRIMARY KEY, title TEXT, body TEXT, id TEXT);
        CREATE VIRTUAL TABLE fts USING fts5(title, body, id UNINDEXED,
            content='docs', content_rowid='rowid', tokenize='{language.tokenizer}');
        CREATE TABLE words(rowid INTEGER PRIMARY KEY, word TEXT UNIQUE, freq INTEGER);
        CREATE VIRTUAL TABLE grams USING fts5(word, content='words', content_rowid='rowid',
            tokenize='trigram', detail='none');
        """
    )
    freq: Counter[str] = Counter()
    rows = []
    for section in document.sections:
        body = section.text
        rows.append((section.title, body, section.id))
        freq.update(_WORD_RE.findall(fold(section.title + " " + body)))
    if language.prestem:
        conn.execute("CREATE TABLE shown(rowid INTEGER PRIMARY KEY, id TEXT, title TEXT,"
                     " body TEXT)")
        conn.executemany("INSERT INTO shown(id, title, body) VALUES (?, ?, ?)",
                         ((i, t, b) for t, b, i in rows))
        rows = [(stemmed_text(t, language), stemmed_text(b, language), i) for t, b, i in rows]
    conn.executemany("INSERT INTO docs(title, body, id) VALUES (?, ?, ?)", rows)
    conn.executemany(
        "INSERT INTO words(word, freq) VALUES (?, ?)",
        ((w, n) for w, n in freq.items() if 3 <= len(w) <= MAX_WORD_CHARS and w.isalpha()),
    )
    conn.execute("INSERT INTO fts(fts) VALUES ('rebuild')")
    conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    conn.execute("INSERT INTO fts(fts, rank) VALUES ('rank', ?)", (f"bm25({TITLE_WEIGHT}, 1.0)",))
    conn.execute("INSERT INTO grams(grams) VALUES ('rebuild')")
    conn.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (document.fingerprint,))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.commit()


def _check_fts(conn: sqlite3.Connection, fingerprint: str) -> None:
    """Raise sqlite3.DatabaseError unless this is a complete index of this content."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    row = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    if version != SCHEMA_VERSION or row is None or row[0] != fingerprint:
        raise sqlite3.DatabaseError("search cache is for other content")
    try:  # FTS5's own check of each index against its content (rank 1: the content too)
        for table in ("fts", "grams"):
            conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.rollback()  # the check writes nothing; end the transaction sqlite3 opened


def _connect(path: Path | None) -> sqlite3.Connection:
    if path is None:
        return sqlite3.connect(":memory:", check_same_thread=False)
    # read-write only so that _check_fts can run FTS5's integrity-check; nothing writes
    # a cache another process holds is not worth more than a second's wait: memory serves
    return sqlite3.connect(path.as_uri() + "?mode=rw", uri=True, check_same_thread=False,
                           timeout=1.0)


_INDEX_LANGUAGE_RE = re.compile(r"index-v\d+-([a-z]{2})-")


def _index_path(document: Document, cache_dir: Path, language: Language) -> Path:
    tag = "" if language.code == "en" else f"{language.code}-"
    return cache_dir / f"index-v{SCHEMA_VERSION}-{tag}{document.fingerprint[:32]}.sqlite3"


def _index_language(name: str) -> str:
    found = _INDEX_LANGUAGE_RE.match(name)
    return found.group(1) if found else "en"


# An error of the environment, not of the file: another process holds it, the disk or the
# permissions fail. Such a cache is reported and left alone (never deleted: another reader
# may be using it), and the search runs on an index in memory.
_LEAVE_ALONE = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR", "SQLITE_CANTOPEN",
                          "SQLITE_PERM", "SQLITE_READONLY", "SQLITE_FULL", "SQLITE_NOMEM",
                          "SQLITE_AUTH"})


def cache_is_damaged(exc: sqlite3.Error) -> bool:
    """True when the cache file itself is bad (corrupt, not a database, another schema or
    content): rebuilding it is safe. False for a locked, unreadable or full one."""
    name = getattr(exc, "sqlite_errorname", "") or ""  # e.g. SQLITE_IOERR_SHORT_READ
    return "_".join(name.split("_")[:2]) not in _LEAVE_ALONE


def _cache_problem(path: Path, exc: sqlite3.Error) -> str:
    return f"{path}: search cache not used, left as it is ({exc}); searching without it"


def _open_fts(document: Document, cache_dir: Path | None, language: Language,
              problems: list[str] | None = None) -> tuple[sqlite3.Connection, bool]:
    """(connection, whether it was built now). Falls back to memory if the cache is unusable;
    a cache that is locked or unreadable is named in `problems` and left alone."""
    if cache_dir is not None:
        path = _index_path(document, cache_dir, language)
        if path.is_file():
            conn = None
            try:
                conn = _connect(path)
                _check_fts(conn, document.fingerprint)
                return conn, False
            except sqlite3.DatabaseError as exc:
                if conn is not None:
                    conn.close()
                if not cache_is_damaged(exc):
                    if problems is not None:
                        problems.append(_cache_problem(path, exc))
                    return _memory_index(document, language), True
        try:
            _write_index(document, cache_dir, path, language)
            return _connect(path), True
        except (OSError, sqlite3.Error):
            pass  # a read-only or full disk only costs speed: build in memory
    return _memory_index(document, language), True


def _memory_index(document: Document, language: Language) -> sqlite3.Connection:
    conn = _connect(None)
    _build_fts(conn, document, language)
    return conn


def _write_index(document: Document, cache_dir: Path, path: Path, language: Language) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    # the temporary's name, index-*.tmp, tells the clean-up below it may be another's
    with replaced_atomically(path, prefix="index-", suffix=".tmp") as tmp:
        conn = sqlite3.connect(tmp)
        try:
            _build_fts(conn, document, language)
        finally:
            conn.close()
    for old in cache_dir.glob("index-*"):  # this language's older indexes; other languages stay
        if old == path or _index_language(old.name) != language.code:
            continue
        with contextlib.suppress(OSError):  # in use elsewhere (Windows), or gone: next time
            # another process's index being built is a fresh .tmp: left alone
            stale = old.suffix == ".sqlite3" or time.time() - old.stat().st_mtime > 3600
            if stale:
                old.unlink()


# --- plain Python engine (no FTS5) ---------------------------------------------


def light_stem(word: str) -> str:
    """Crude suffix stripping, enough to match "infusions" with "infusion"."""
    for suffix in ("ations", "ation", "ions", "ion", "ings", "ing", "edly", "ed", "ies", "s"):
        # "duration" is not "during": a stem of three letters is left only by shorter endings
        least = 4 if suffix.startswith("ation") else 3
        if word.endswith(suffix) and len(word) - len(suffix) >= least:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


class _PlainEngine:
    """The same queries without FTS5: light stemming and a BM25-like score in Python."""

    def __init__(self, document: Document, language: Language):
        self.stem, self.terms, self.stopwords = language.stem, language.terms, language.stopwords
        self.prestem = language.prestem  # a typed beginning also matches the index's terms
        self.docs = []  # (id, title, body)
        self.stems: list[list[str]] = []  # per section: title stems, "", body stems
        self.postings: dict[str, dict[int, list[int]]] = defaultdict(dict)
        self.freq: Counter[str] = Counter()
        for n, section in enumerate(document.sections):
            body = section.text
            self.docs.append((section.id, section.title, body))
            title_words, body_words = words(section.title), words(body)
            self.freq.update(title_words + body_words)
            title_terms = self.terms(title_words)
            stems = [*title_terms, "", *self.terms(body_words)]
            self.stems.append(stems)
            for i, stem in enumerate(stems):
                if stem:
                    self.postings[stem].setdefault(n, [0, 0])[i > len(title_terms)] += 1
        self.vocab = sorted(self.freq)

    def known(self, word: str) -> bool:
        return word in self.freq

    def candidates(self, word: str) -> list[tuple[str, int, int]]:
        return _close_enough(word, ((w, self.freq[w]) for w in self.vocab if len(w) >= 3))

    def together(self, word: str, others: list[str]) -> int:
        docs = set(self.postings.get(self.stem(word), ()))
        near = set().union(*(self.postings.get(self.stem(o), ()) for o in others))
        return len(docs & near)

    def _completions(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self.vocab, prefix)
        end = bisect.bisect_left(self.vocab, prefix + "\U0010ffff")
        return self.vocab[start:end]

    def _alt_scores(self, phrase: tuple[str, ...],
                    prefix: bool) -> tuple[dict[int, float], set[str]]:
        seq = self.terms(list(phrase))
        if prefix:
            stems = marks = {self.stem(w) for w in self._completions(phrase[0])}
            if self.prestem:
                stems = stems | {t for t in self.postings if t.startswith(phrase[0])}
        elif len(phrase) == 1:
            stems = marks = set(seq)
        else:  # words to mark: each word of the phrase, even one index term ("seguro médico")
            stems, marks = set(seq), {self.stem(w) for w in phrase} - self.stopwords
        scores: dict[int, float] = defaultdict(float)
        total = len(self.docs)
        if prefix or len(seq) == 1:
            for stem in stems:
                found = self.postings.get(stem, {})
                idf = math.log(1 + (total - len(found) + 0.5) / (len(found) + 0.5))
                for doc, (in_title, in_body) in found.items():
                    tf = TITLE_WEIGHT * in_title + in_body
                    scores[doc] += idf * tf / (tf + 1.2)
            return scores, marks
        docs = set.intersection(*(set(self.postings.get(s, ())) for s in seq))
        for doc in docs:
            toks = self.stems[doc]
            count = sum(toks[i : i + len(seq)] == seq for i in range(len(toks) - len(seq) + 1))
            if count:
                scores[doc] += len(seq) * count / (count + 1.2)
        return scores, marks

    def titles(self, typed: list[_Alt], limit: int) -> list[tuple[int, float]]:
        found = []
        for doc, (_, title, _) in enumerate(self.docs):
            title_words = words(title)
            stems = set(self.terms(title_words))
            begins = stems if self.prestem else title_words
            if all(
                self.stem(ws[0]) in stems or p and any(w.startswith(ws[0]) for w in begins)
                for ws, p in typed
            ):
                found.append((doc, 1.0 / len(title)))
        return _few_titles(found, limit)

    def rank(self, concepts: list[list[_Alt]], every: bool, limit: int) -> list[tuple[int, float]]:
        totals: dict[int, float] = defaultdict(float)
        matched_by: Counter[int] = Counter()
        for alts in concepts:
            concept_scores: dict[int, float] = defaultdict(float)
            for phrase, prefix in alts:  # a concept counts once, however many ways it matched
                for doc, score in self._alt_scores(phrase, prefix)[0].items():
                    concept_scores[doc] = max(concept_scores[doc], score)
            for doc, score in concept_scores.items():
                totals[doc] += score
                matched_by[doc] += 1
        if every:
            totals = {d: s for d, s in totals.items() if matched_by[d] == len(concepts)}
        return _by_coverage(list(totals.items()), matched_by, len(concepts), limit)

    def describe(self, keys: list[int], concepts: list[list[_Alt]],
                 typed: tuple[str, ...] = ()) -> dict[int, _Described]:
        stems = {s for alts in concepts for a in alts for s in self._alt_scores(*a)[1]}
        described = {}
        for doc in keys:
            section_id, title, body = self.docs[doc]
            marked = _mark_stems(body, stems, self.stem)
            found = _MARKED_RE.findall(_mark_stems(title, stems, self.stem) + marked)
            terms = [fold(m) for m in found]
            described[doc] = (section_id, title, cut_snippet(marked, typed=typed), terms)
        return described


def _mark_stems(text: str, stems: set[str], stem: Callable[[str], str] = light_stem,
                prefixes: tuple[str, ...] = ()) -> str:
    def mark(m: re.Match[str]) -> str:
        word = m.group()
        folded = fold(word)[:MAX_WORD_CHARS]
        hit = stem(folded) in stems or (bool(prefixes) and folded.startswith(prefixes))
        return f"{MARK_START}{word}{MARK_END}" if hit else word

    return _WORD_RE.sub(mark, text)


# --- the index ---------------------------------------------------------------


class SearchIndex:
    """Open with SearchIndex.open(document, cache_dir); then .search(query, limit)."""

    def __init__(self, document: Document, cache_dir: Path | None, use_fts5: bool,
                 language: str = ""):
        self._document, self._cache_dir, self.uses_fts5 = document, cache_dir, use_fts5
        self.language = language_for(language or document.language)
        self._stopwords, self._everyday = self.language.stopwords, self.language.common_words
        self._lock = threading.Lock()
        self._synonyms: dict[tuple[str, ...], int] = {}
        self._groups = load_synonyms(document.folder / SYNONYMS_FILE)
        for number, group in enumerate(self._groups):
            for phrase in group:
                self._synonyms.setdefault(phrase, number)
        self._longest = max((len(p) for p in self._synonyms), default=1)
        self._synonym_words = Counter(w for group in self._groups for p in group for w in p)
        self._crisis = crisis_matcher(document.folder)
        # one typo at most: "ketamine" is two letters from "esketamine"
        self._topics = [(PhraseMatcher(t.terms, most_typos=1), t.note)
                        for t in document.metadata.newer_topics]
        self._conn: sqlite3.Connection | None = None
        self.problems: list[str] = []  # a cache left alone (locked, unreadable), for staff
        self.built = self._load()

    @classmethod
    def open(
        cls, document: Document, cache_dir: Path | None = None, *, use_fts5: bool | None = None,
        language: str = "",
    ) -> SearchIndex:
        """Build the index, or reuse the cached one; cache_dir None keeps it in memory.

        use_fts5=None uses FTS5 when this Python's SQLite has it. The language ("en", "es")
        is the document's unless given.
        """
        use_fts5 = fts5_available() if use_fts5 is None else use_fts5
        return cls(document, cache_dir, use_fts5, language)

    def _load(self) -> bool:
        if not self.uses_fts5:
            self._engine: _PlainEngine | _FtsEngine = _PlainEngine(self._document, self.language)
            return True
        self._conn, built = _open_fts(self._document, self._cache_dir, self.language,
                                      self.problems)
        self._engine = _FtsEngine(self._conn, self.language)
        return built

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def search(self, query: str, limit: int = 20) -> SearchResponse:
        query = query[:MAX_QUERY_CHARS].encode("utf-8", "replace").decode("utf-8")
        limit = max(1, min(int(limit), 1000))
        with self._lock:
            try:
                return self._search(query, limit)
            except sqlite3.ProgrammingError:
                raise  # closed while shutting down: not a damaged cache
            except sqlite3.DatabaseError as exc:
                if not self.uses_fts5 or self._cache_dir is None or self._conn is None:
                    raise
                self._conn.close()
                self._conn = None
                path = _index_path(self._document, self._cache_dir, self.language)
                if cache_is_damaged(exc):  # the cache file went bad under us: build it again
                    path.unlink(missing_ok=True)
                    self.built = self._load()
                else:  # locked or unreadable: another process's, perhaps; never deleted
                    self.problems.append(_cache_problem(path, exc))
                    self._conn = _memory_index(self._document, self.language)
                    self._engine = _FtsEngine(self._conn, self.language)
                    self.built = True
                return self._search(query, limit)

    def _search(self, query: str, limit: int) -> SearchResponse:
        found = self._crisis.find(query, prefer=self.language.code)
        crisis = found is not None
        crisis_language = found.language if found else None
        topics = [matcher for matcher, _ in self._topics if matcher.matches(query)]
        note = next((note for matcher, note in self._topics if matcher in topics), None)
        concepts = self._parse(query)
        if not concepts:
            return SearchResponse(query, [], crisis=crisis, note=note,
                                  crisis_language=crisis_language)
        typed = words(query)
        fixes = {}
        for concept in concepts:
            word = concept.word
            if (word and len(word) >= 4 and word.isalpha() and not self._engine.known(word)
                    and word not in self._synonym_words and word not in self._everyday()
                    and not any(matcher.matches(word) for matcher in topics)):  # "spravato"
                fix = self._correction(word, [w for w in typed if w != word])
                if fix:
                    fixes[word] = fix
        suggestion = None
        if fixes:
            # parsed again, so that a corrected phrase is one concept ("side effects")
            suggestion = _WORD_RE.sub(lambda m: fixes.get(fold(m.group()), m.group()), query)
            concepts = self._parse(suggestion)
            for concept in concepts:
                if concept.word and concept.word in fixes.values():
                    group = self._synonyms.get((concept.word,))
                    if group is not None:
                        concept.extra += [(p, False) for p in self._groups[group]]
        hits, terms = self._rank(suggestion or query, concepts, limit)
        if crisis:
            suggestion = None  # never "did you mean" to someone in distress
        return SearchResponse(query, hits, suggestion, list(dict.fromkeys(terms)), crisis, note,
                              crisis_language, self._unmatched(concepts, topics))

    def _unmatched(self, concepts: list[_Concept], topics: list[PhraseMatcher]) -> list[str]:
        """The distinctive words asked about that no answer holds, in any form or synonym
        ("can i drive after treatment": "drive"); a corrected typo is not one of them."""
        found = []
        for concept in concepts:
            typed = [w for w in concept.own[0][0] if w.isalpha() and len(w) >= 3
                     and w not in self._stopwords and w not in GENERIC_WORDS]
            if not typed or any(matcher.matches(" ".join(typed)) for matcher in topics):
                continue
            if not self._engine.rank([concept.own + concept.extra], True, 1):
                found += typed
        return list(dict.fromkeys(found))

    def _correction(self, word: str, others: list[str]) -> str | None:
        """The word meant, preferring one that makes sense with the others typed: a listed
        phrase with a neighbour ("side efects": "effects"), then answers holding both."""
        found = {c: (d, f) for c, d, f in self._engine.candidates(word)}
        for cand, dist, _ in _close_enough(word, self._synonym_words.items()):
            if cand not in found or dist < found[cand][0]:
                found[cand] = (dist, 0)
        if not found:
            return None
        context = [o for o in others if o not in self._stopwords]

        def sense(cand: str) -> tuple[int, int, int, int]:
            dist, freq = found[cand]
            in_phrase = any(cand in phrase and any(o in phrase for o in context)
                            for phrase in self._synonyms if len(phrase) > 1)
            together = self._engine.together(cand, context) if context else 0
            return (-in_phrase, dist, -together, -freq)

        return min(sorted(found), key=sense)

    def _rank(
        self, query: str, concepts: list[_Concept], limit: int
    ) -> tuple[list[SearchHit], list[str]]:
        """Best first: questions whose title holds every word typed (the user typed the
        question), answers with all the user's own words, then with synonyms, then any.

        Scores of a later tier are scaled to stay below those of the tier before.
        """
        everything = [c.own + c.extra for c in concepts]
        typed = list(dict.fromkeys(words(query)))[:8]
        prefix = bool(_WORD_RE.fullmatch(query[-1:])) and len(typed[-1]) >= 3
        typed_alts: list[_Alt] = [((w,), prefix and w == typed[-1]) for w in typed]
        typed_alts = [a for a in typed_alts if a[0][0] not in self._stopwords] or typed_alts
        engine = self._engine
        # each tier gives its best `limit` keys (plus as many as are ranked already)
        tiers: list[Callable[[int], list[tuple[int, float]]]] = (
            [] if '"' in query else [partial(engine.titles, typed_alts)])
        tiers.append(partial(engine.rank, [c.own for c in concepts], True))
        if any(c.extra for c in concepts):
            tiers.append(partial(engine.rank, everything, True))
        if len(concepts) > 1:
            tiers.append(partial(engine.rank, everything, False))
        ranked: dict[int, float] = {}
        for tier in tiers:
            found = tier(limit + len(ranked))
            found = [(k, s) for k, s in found if k not in ranked][: limit - len(ranked)]
            if ranked and found and found[0][1] >= min(ranked.values()):
                factor = min(ranked.values()) / (found[0][1] * 1.01)
                found = [(k, s * factor) for k, s in found]
            ranked.update(found)
            if len(ranked) >= limit:
                break
        if not ranked:
            return [], []
        described = self._engine.describe(list(ranked), everything, tuple(typed))
        hits, terms = [], []
        for key, score in ranked.items():
            if key not in described:
                continue
            section_id, title, snippet, matched = described[key]
            hits.append(SearchHit(section_id, title, snippet, score))
            terms += matched
        return hits, terms

    def _parse(self, query: str) -> list[_Concept]:
        typing = bool(_WORD_RE.fullmatch(query[-1:]))  # still typing the last word
        concepts: list[_Concept] = []
        segments = re.split(r'("[^"]*"?)', query)
        for number, segment in enumerate(segments):
            found = words(segment)
            if not found:
                continue
            if segment.startswith('"'):
                concepts.append(_Concept([(tuple(found), False)]))
            else:
                prefix = typing and number == len(segments) - 1
                concepts += self._word_concepts(found, prefix)
        merged: list[_Concept] = []
        groups: dict[int, _Concept] = {}
        seen = set()
        for concept in concepts:
            if concept.group is not None and concept.group in groups:
                groups[concept.group].own += concept.own
                continue
            key = tuple(concept.own)
            if key in seen:
                continue
            seen.add(key)
            if concept.group is not None:
                groups[concept.group] = concept
            merged.append(concept)
        meaningful = [c for c in merged if not (c.word in self._stopwords and c.group is None)]
        return (meaningful or merged)[:MAX_CONCEPTS]

    def _word_concepts(self, found: list[str], prefix_last: bool) -> list[_Concept]:
        concepts, i = [], 0
        while i < len(found):
            for n in range(min(self._longest, len(found) - i), 0, -1):
                phrase = tuple(found[i : i + n])
                group = self._synonyms.get(phrase)
                if group is None and n == 1 and len(phrase[0]) > 3 and phrase[0][-1] == "s":
                    group = self._synonyms.get((phrase[0][:-1],))
                if group is not None:
                    break
            else:
                n = 1
            word = found[i]
            last = prefix_last and i + n == len(found)
            if group is not None:
                own = [(tuple(found[i : i + n]), False)]
                if last and n == 1 and len(word) >= 3:
                    own.append(((word,), True))
                extra = [(p, False) for p in self._groups[group] if p != own[0][0]]
                concepts.append(_Concept(own, extra, None, group))
            else:
                prefix = last and len(word) >= 3 and word not in self._stopwords
                concepts.append(_Concept([((word,), prefix)], [], word))
            i += n
        return concepts
