"""Words and phrases found in what a person types, whole words only, typos forgiven. No Qt.

Used for crisis words (`crisis.txt` beside the content: one phrase per line, `#` comments,
editable by staff) and for topics newer than the text (`newer_topics` in metadata.toml).
A phrase matches a run of whole words: "kill myself" is in "i want to kill myself", while
"kill" in "does ketamine kill brain cells" or "die" in "neurons die off" match nothing
unless a listed phrase says so. Words of five letters or more forgive one typo, of eight or
more two ("sucidal" is "suicidal"); shorter words must be exact ("die" is never "dye").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CRISIS_FILE = "crisis.txt"
ENGLISH_WORDS, SPANISH_WORDS = "english-words.txt", "spanish-words.txt"
_WORD_RE = re.compile(r"[^\W_]+")
MAX_TEXT_CHARS = 20_000  # a feedback message is at most 5,000; never scan more


def normalise(text: str) -> list[str]:
    """The words of a text: lowercase, accents folded, apostrophes joined ("don't" → "dont")."""
    text = unicodedata.normalize("NFKD", text[:MAX_TEXT_CHARS].lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"(?<=\w)['’`](?=\w)", "", text)
    return _WORD_RE.findall(text)


def allowed_typos(word: str) -> int:
    return 0 if len(word) < 5 else 1 if len(word) < 8 else 2


def edit_distance(a: str, b: str, most: int = 99) -> int:
    """Optimal string alignment distance (a swap of two letters counts once).

    Stops early with `most + 1` once the distance must exceed `most`.
    """
    before, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if before and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], before[j - 2] + 1)
        if min(cur) > most:
            return most + 1
        before, prev = prev, cur
    return prev[-1]


def within(typed: str, listed: str, most: int) -> bool:
    """Whether `typed` is at most `most` edits (a swap of two letters is one) from `listed`."""
    if typed == listed:
        return True
    if most == 0 or abs(len(typed) - len(listed)) > most:
        return False
    return edit_distance(typed, listed, most) <= most


class PhraseMatcher:
    """Finds listed phrases in a text; `find` returns the first one found, as listed."""

    def __init__(self, phrases: Iterable[str], most_typos: int = 2) -> None:
        self._most = most_typos
        self.phrases: list[tuple[str, ...]] = []
        for text in phrases:
            found = tuple(normalise(text))
            if found and found not in self.phrases:
                self.phrases.append(found)
        self._vocabulary = {word for phrase in self.phrases for word in phrase}
        self._starting: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.phrases:
            self._starting.setdefault(phrase[0], []).append(phrase)
        self._seen: dict[str, frozenset[str]] = {}  # typed word: the listed words it may be

    def _listed(self, typed: str) -> frozenset[str]:
        found = self._seen.get(typed)
        if found is None:
            found = frozenset(w for w in self._vocabulary
                              if within(typed, w, min(self._most, allowed_typos(w))))
            if len(self._seen) < 50_000:
                self._seen[typed] = found
        return found

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def find(self, text: str) -> tuple[str, ...] | None:
        typed = normalise(text)
        for start, word in enumerate(typed):
            for first in self._listed(word):
                for phrase in self._starting.get(first, ()):
                    rest = typed[start + 1 : start + len(phrase)]
                    if len(rest) == len(phrase) - 1 and all(
                            listed in self._listed(t)
                            for t, listed in zip(rest, phrase[1:], strict=True)):
                        return phrase
        return None

    def matches(self, text: str) -> bool:
        return self.find(text) is not None


def read_phrase_file(path: Path) -> list[str]:
    """One phrase a line, `#` comments; a missing or unreadable file means none."""
    return read_crisis_file(path)[0]


def read_crisis_file(path: Path) -> tuple[list[str], list[str]]:
    """(phrases, problems): one phrase a line, `#` comments. Each problem names the file and
    its line, for staff: missing, unreadable, not UTF-8 or without a phrase."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], [f"{path}: the crisis word list is missing; only the built-in crisis words "
                    "are checked"]
    except OSError as exc:
        return [], [f"{path}: the crisis word list cannot be read ({exc.strerror}); only the "
                    "built-in crisis words are checked"]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return [], [f"{path}:{line}: the crisis word list is not UTF-8 text (byte {exc.start}); "
                    "save it as UTF-8. Only the built-in crisis words are checked"]
    phrases = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    phrases = [phrase for phrase in phrases if phrase]
    if not phrases:
        return [], [f"{path}:1: the crisis word list holds no phrase; only the built-in crisis "
                    "words are checked"]
    return phrases, []


def content_root(folder: Path) -> Path:
    """The content folder whose crisis.txt is English: `folder`, or its parent for a
    translation's folder (content/es)."""
    folder = Path(folder)
    if _LANGUAGE_RE.fullmatch(folder.name) and (folder.parent / "metadata.toml").is_file():
        return folder.parent
    return folder


def crisis_files(folder: Path) -> dict[str, Path]:
    """Each language's crisis word list: content/crisis.txt, and content/es/crisis.txt where
    the content has a Spanish translation."""
    root = content_root(folder)
    files = {SOURCE_LANGUAGE: root / CRISIS_FILE}
    for language in LANGUAGES:
        if language != SOURCE_LANGUAGE and (root / language).is_dir():  # a translation
            files[language] = root / language / CRISIS_FILE
    return files


def crisis_problems(folder: Path) -> list[str]:
    """What is wrong with the crisis word lists (for `content check` and staff)."""
    return [problem for path in crisis_files(folder).values()
            for problem in read_crisis_file(path)[1]]


def crisis_matcher(folder: Path) -> CrisisWords:
    """The crisis words of both languages: built in, plus the content's crisis.txt files."""
    return CrisisWords.load(folder)


SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "es")  # both are checked whatever the screen shows
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
_TOKEN_RE = re.compile(r"[^\W_]+|[.,!?;:¿¡\n]+")  # words, and where a clause ends
END = "|"
_NEGATIONS = ("not", "no", "never", "nunca", "tampoco")
# spelt out before matching: contractions and texting forms, English and Spanish
_EXPANSIONS = {
    "dont": "do not", "doesnt": "does not", "didnt": "did not", "cant": "can not",
    "cannot": "can not", "wont": "will not", "wouldnt": "would not", "couldnt": "could not",
    "shouldnt": "should not", "isnt": "is not", "arent": "are not", "wasnt": "was not",
    "werent": "were not", "havent": "have not", "hasnt": "has not", "aint": "is not",
    "im": "i am", "ive": "i have", "id": "i would", "ill": "i will", "youre": "you are",
    "theyre": "they are", "theyd": "they would", "theyll": "they will", "whats": "what is",
    "thats": "that is", "theres": "there is", "wanna": "want to", "gonna": "going to",
    "gotta": "got to", "tryna": "trying to", "ima": "i am going to", "imma": "i am going to",
    "u": "you", "ur": "your", "urself": "yourself", "r": "are", "cuz": "because",
    "bc": "because", "coz": "because", "ded": "dead", "dyin": "dying", "livin": "living",
    "nothin": "nothing", "killin": "killing", "goin": "going", "tryin": "trying",
    "thinkin": "thinking", "noone": "no one", "oding": "overdosing", "overdoes": "overdose",
    "q": "que", "k": "que", "ke": "que", "xq": "porque", "pq": "porque", "porq": "porque",
    "kiero": "quiero", "kero": "quiero", "qiero": "quiero", "toy": "estoy", "pa": "para",
    "nadien": "nadie", "aki": "aqui", "tmb": "tambien",
}
_JOINED = {("my", "self"): "myself", ("your", "self"): "yourself", ("him", "self"): "himself",
           ("her", "self"): "herself", ("them", "selves"): "themselves"}
_REGEX_ESCAPE_RE = re.compile(r"\\[a-zA-Z]")
_LETTERS_RE = re.compile(r"(?<![a-z\\])[a-z]+(?![a-z(\\[])")  # whole words of a pattern


@cache
def word_list(name: str) -> frozenset[str]:
    """One of resources/english-words.txt, spanish-words.txt: one folded word a line (the
    `#` notes at the top add a few words)."""
    from reader.paths import bundle_root

    try:
        return frozenset((bundle_root() / "resources" / name).read_text(encoding="utf-8").split())
    except (OSError, UnicodeDecodeError):
        return frozenset()


@cache
def ordinary_words() -> frozenset[str]:
    """Everyday English and Spanish words, folded: never taken for a misspelt crisis word
    ("willing" is not "killing", "making" is not "taking")."""
    return word_list(ENGLISH_WORDS) | word_list(SPANISH_WORDS)


def _faq_words(root: Path) -> set[str]:
    """Every word of the FAQ's own text, in every language: never a typo either."""
    found: set[str] = set()
    try:
        files = list(root.rglob("*.md"))
    except OSError:
        return found
    for path in files:
        try:
            found.update(normalise(path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    return found


def _expand(template: str, groups: dict[str, str]) -> str:
    for _ in range(4):  # groups may name groups
        template = re.sub(r"\{([A-Z]+)\}", lambda m: f"(?:{groups[m.group(1)]})", template)
    return template


def _whole(pattern: str) -> str:
    return f"(?<![^ ])(?:{pattern})(?![^ ])"


@dataclass(frozen=True)
class CrisisMatch:
    language: str  # whose crisis words these are ("en", "es")
    words: str  # the canonical words that matched


class _Language:
    """One language's crisis words: phrases (built in and from its crisis.txt) and patterns."""

    def __init__(self, code: str, built_in: list[str], listed: list[str],
                 canonical: Callable[[str], list[str]]) -> None:
        from reader import crisis_rules

        self.code = code
        groups = crisis_rules.GROUPS[code]
        self.patterns = [_expand(p, groups) for p in crisis_rules.PATTERNS[code]]
        self.vocabulary = {w for p in self.patterns
                           for w in _LETTERS_RE.findall(_REGEX_ESCAPE_RE.sub(" ", p))}
        self.built_in, self.listed = built_in, listed
        self._canonical = canonical
        self.phrases: list[str] = []
        self._compiled: list[re.Pattern[str]] = []

    def compile(self) -> None:
        """Phrases canonicalised like what is typed; one regular expression for them all."""
        phrases = [" ".join(self._canonical(p)) for p in [*self.built_in, *self.listed]]
        self.phrases = list(dict.fromkeys(p for p in phrases if p and END not in p))
        by_length = sorted(self.phrases, key=len, reverse=True)
        self._phrase_re = re.compile(_whole("|".join(map(re.escape, by_length))))
        self._compiled = [re.compile(_whole(p)) for p in self.patterns]

    def find(self, line: str, vetoed: Callable[[int], bool]) -> str | None:
        for found in self._phrase_re.finditer(line):
            before = line[: found.start()].split()[-1:]
            negated = bool(before) and before[0] in _NEGATIONS and " " in found.group()
            if not negated and not vetoed(found.end()):
                return found.group()
        for pattern in self._compiled:
            for found in pattern.finditer(line):
                if not vetoed(found.end()):
                    return found.group()
        return None


class CrisisWords:
    """Crisis words of both languages, found in what a person types.

    Always holds the built-in set (reader.crisis_rules); each language's crisis.txt adds to
    it and can never turn it off. Typos are forgiven only in words that are no ordinary
    word of either language and not in the FAQ. `problems` names what is wrong with the
    files, for staff.
    """

    def __init__(self, listed: dict[str, list[str]] | None = None,
                 problems: list[str] | None = None, faq_words: Iterable[str] = ()) -> None:
        from reader import crisis_rules

        listed = listed or {}
        self.problems = list(problems or [])
        self._seen: dict[str, tuple[str, ...]] = {}
        self.languages = {code: _Language(code, crisis_rules.PHRASES[code], listed.get(code, []),
                                          self._canonical_exact) for code in LANGUAGES}
        self.vocabulary = {w for lang in self.languages.values() for w in lang.vocabulary}
        for lang in self.languages.values():
            for phrase in [*lang.built_in, *lang.listed]:
                self.vocabulary.update(self._canonical_exact(phrase))
        self.vocabulary.discard(END)
        self._targets = sorted(w for w in self.vocabulary if len(w) >= 4 and w.isalpha())
        self._known = set(faq_words) | self.vocabulary
        for lang in self.languages.values():
            lang.compile()
        vetoes = [_expand(v, crisis_rules.VETO_GROUPS) for v in crisis_rules.VETOES]
        self._veto_re = re.compile("|".join(_whole(v) for v in vetoes))

    @classmethod
    def load(cls, folder: Path) -> CrisisWords:
        listed, problems = {}, []
        for language, path in crisis_files(folder).items():
            listed[language], found = read_crisis_file(path)
            problems += found
        return cls(listed, problems, _faq_words(content_root(folder)))

    @classmethod
    def built_in(cls) -> CrisisWords:
        return cls()

    # --- what was typed, as the patterns read it ---------------------------------

    def _known_word(self, word: str) -> bool:
        return word in self._known or word in ordinary_words() or word.isdigit()

    def _mended(self, word: str) -> tuple[str, ...]:
        """A typed word as the crisis words spell it: expanded, split, or a typo mended."""
        found = self._seen.get(word)
        if found is not None:
            return found
        squeezed = re.sub(r"(.)\1{2,}", r"\1\1", word)  # "diiie", "killl"
        found = (squeezed,)
        if squeezed in _EXPANSIONS:
            found = tuple(_EXPANSIONS[squeezed].split())
        elif not self._known_word(squeezed):
            once = re.sub(r"(.)\1+", r"\1", squeezed)
            if self._known_word(once) and once != squeezed:
                found = (once,)
            else:
                found = self._typo(squeezed) or self._split(squeezed) or (squeezed,)
        if len(self._seen) < 50_000:
            self._seen[word] = found
        return found

    def _split(self, word: str) -> tuple[str, ...] | None:
        """"killmyself" as "kill myself": pieces that are all crisis words, fewest first."""
        if len(word) < 6:  # "canse" is a verb form no list holds, not "can se"
            return None
        best: list[tuple[str, ...] | None] = [()] + [None] * len(word)
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - 12), end):
                piece, before = word[start:end], best[start]
                if before is not None and piece in self.vocabulary and (
                        best[end] is None or len(before) + 1 < len(best[end] or ())):
                    best[end] = (*before, piece)
        split = best[-1]
        if split is None or len(split) < 2:
            return None
        return tuple(w for piece in split for w in _EXPANSIONS.get(piece, piece).split())

    def _typo(self, word: str) -> tuple[str, ...] | None:
        if len(word) < 3 or not word.isalpha():
            return None
        best, best_distance = None, 3
        for target in self._targets:
            most = 2 if len(target) >= 8 else 1
            if abs(len(target) - len(word)) > most:
                continue
            distance = edit_distance(word, target, most)
            if distance <= most and distance < best_distance:
                best, best_distance = target, distance
        return (best,) if best else None

    def _canonical_exact(self, text: str) -> list[str]:
        """A listed phrase's words, only expanded (its words are crisis words)."""
        words: list[str] = []
        for word in _tokens(text):
            words += _EXPANSIONS.get(word, word).split()
        return _joined(words)

    def canonical_words(self, text: str) -> list[str]:
        """The words of what was typed as the patterns read them (see crisis_rules)."""
        words: list[str] = []
        for word in _tokens(text):
            words += [word] if word == END else self._mended(word)
        return _joined(words)

    # --- finding ----------------------------------------------------------------

    def find(self, text: str, prefer: str = SOURCE_LANGUAGE) -> CrisisMatch | None:
        """The first crisis words found, in `prefer`'s language first, then the other's."""
        line = " ".join(self.canonical_words(text))
        if not line:
            return None
        vetoes = [m.span() for m in self._veto_re.finditer(line)]

        def vetoed(end: int) -> bool:
            return any(start < end <= stop for start, stop in vetoes)

        order = sorted(self.languages, key=lambda code: code != prefer)
        for code in order:
            found = self.languages[code].find(line, vetoed)
            if found:
                return CrisisMatch(code, found)
        return None

    def matches(self, text: str) -> bool:
        return self.find(text) is not None

    def __bool__(self) -> bool:
        return True  # never empty: the built-in set is always there

    def counts(self) -> dict[str, dict[str, int]]:
        """For --self-test: how many phrases and patterns each language checks."""
        return {code: {"phrases": len(lang.phrases), "patterns": len(lang.patterns),
                       "from_file": len(lang.listed)}
                for code, lang in self.languages.items()}


_LEET = str.maketrans("013457@$", "oieastas")


def _unleet(word: str) -> str:
    """ "su1c1de", "k1ll" as the letters they stand for; a number stays a number."""
    return word.translate(_LEET) if re.search(r"[^\W\d_][\d@$]+[^\W\d_]", word) else word


def _tokens(text: str) -> list[str]:
    text = re.sub(r"(?<=\w)[@$*](?=\w)", lambda m: "" if m.group() == "*" else m.group(),
                  text[:MAX_TEXT_CHARS])
    text = re.sub(r"\w*[@$]\w*|\w*\d\w*", lambda m: _unleet(m.group()), text)
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"(?<=\w)['’`](?=\w)", "", text)
    return [END if not word[0].isalnum() else word for word in _TOKEN_RE.findall(text)]


def _joined(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if out and (out[-1], word) in _JOINED:
            out[-1] = _JOINED[(out[-1], word)]
        elif not (word == END and (not out or out[-1] == END)):
            out.append(word)
    return out


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for pyside6-lupdate; the crisis card translates it when it shows it."""
    return text


DANGER_LINE = QT_TRANSLATE_NOOP("CrisisText", "If you are in danger now, call 911.")


@dataclass(frozen=True)
class CrisisText:
    """What the crisis card says: the crisis line, the danger line, a kiosk's staff note."""

    line: str
    danger: str = DANGER_LINE
    staff_note: str = ""
    language: str = ""  # the language of `line` and `danger`
    others: tuple[tuple[str, str, str], ...] = ()  # (language, line, danger) of the others

    def message(self, typed_in: str = "") -> str:
        """Everything the card says; with the line in the language the crisis words were
        typed in, when that is not the screen's."""
        parts = (self.line, self.danger or DANGER_LINE, self.staff_note, self.other_line(typed_in))
        return " ".join(part.strip() for part in parts if part and part.strip())

    def other_line(self, typed_in: str) -> str:
        """The crisis and danger lines in `typed_in`'s language, unless it is the screen's."""
        if not typed_in or typed_in == self.language:
            return ""
        for language, line, danger in self.others:
            if language == typed_in:
                return " ".join(part.strip() for part in (line, danger) if part.strip())
        return ""
