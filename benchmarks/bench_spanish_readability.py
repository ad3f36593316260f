"""Reading level of the Spanish answers (content/es/): the Fernández-Huerta score.

Run: .venv/bin/python benchmarks/bench_spanish_readability.py [--content DIR]

L = 206.84 - 0.60 P - 1.02 F, with P the syllables per 100 words and F the words per
sentence (Fernández Huerta, 1959, the Spanish adaptation of Flesch's reading ease). F is
often quoted as "sentences per 100 words", which makes shorter sentences score harder;
Law (2011) showed the coefficient belongs to words per sentence, as in Flesch's.
Higher is easier: 90-100 very easy (grade 4), 80-90 easy (grade 5), 70-80 fairly easy
(grade 6), 60-70 standard (grades 7-8), 50-60 fairly difficult (grades 9-10), below 50
difficult. Target: 60 or more for every answer (grades 6 to 8), as the issue asks.

A second opinion, the Szigriszt-Pazos perspicuity (INFLESZ scale: 55-65 "normal", 65-80
"fairly easy"): 206.835 - 62.3 syllables/word - words/sentence.

Prints each answer's words, sentences, syllables per word and scores, then the whole text's.
Only the answers are measured (the questions are short). Words are runs of letters; numbers,
"70%" and web addresses are left out of the word count.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.content import load_document  # noqa: E402

TARGET = 60.0
VOWELS = set("aeiouáéíóúü")
STRONG = set("aeoáéóíú")  # an accented i or u stands alone: "dí-a", "pa-ís"
_WORD_RE = re.compile(r"[a-záéíóúüñ]+")
_SENTENCE_END_RE = re.compile(r"[.!?…]+(?=\s|$)")


def syllables(word: str) -> int:
    """Spanish syllables of one word: vowel groups, split where two strong vowels meet."""
    w = re.sub(r"(?<=q)u|(?<=g)u(?=[eéií])", "", word.lower())  # "que", "guerra": u is silent
    count, previous = 0, ""
    for i, c in enumerate(w):
        is_vowel = c in VOWELS or (c == "y" and i > 0 and w[i + 1 : i + 2] not in VOWELS)
        if not is_vowel:
            previous = ""
            continue
        if not previous or (previous in STRONG and c in STRONG):
            count += 1
        previous = c
    return max(1, count)


def words(text: str) -> list[str]:
    text = re.sub(r"\S+\.(?:org|com|gov)\S*", " ", text.lower())
    return _WORD_RE.findall(text)


def sentences(text: str) -> int:
    return max(1, len(_SENTENCE_END_RE.findall(text.strip())))


def fernandez_huerta(text: str) -> tuple[float, int, int, int]:
    """(score, words, sentences, syllables)."""
    found = words(text)
    n_words = max(1, len(found))
    n_syll = sum(syllables(w) for w in found)
    n_sent = sentences(text)
    score = 206.84 - 0.60 * (100 * n_syll / n_words) - 1.02 * (n_words / n_sent)
    return score, len(found), n_sent, n_syll


def szigriszt(n_words: int, n_sent: int, n_syll: int) -> float:
    return 206.835 - 62.3 * n_syll / max(1, n_words) - n_words / max(1, n_sent)


def grade(score: float) -> str:
    for floor, name in ((90, "grade 4"), (80, "grade 5"), (70, "grade 6"), (60, "grades 7-8"),
                        (50, "grades 9-10"), (30, "college")):
        if score >= floor:
            return name
    return "graduate"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args()
    document = load_document(args.content, language="es")
    print(f"{'answer':34} {'words':>5} {'sent.':>5} {'syl/w':>5} {'F-H':>6} {'S-P':>6}  F-H level")
    total_text, below = [], []
    for section in document.sections:
        if section.fallback:
            print(f"{section.id:34} (not translated; skipped)")
            continue
        text = section.text
        total_text.append(text)
        score, n_words, n_sent, n_syll = fernandez_huerta(text)
        print(f"{section.id:34} {n_words:5} {n_sent:5} {n_syll / max(1, n_words):5.2f} "
              f"{score:6.1f} {szigriszt(n_words, n_sent, n_syll):6.1f}  {grade(score)}")
        if score < TARGET:
            below.append(section.id)
    score, n_words, n_sent, n_syll = fernandez_huerta("\n".join(total_text))
    print(f"{'ALL ANSWERS':34} {n_words:5} {n_sent:5} {n_syll / max(1, n_words):5.2f} "
          f"{score:6.1f} {szigriszt(n_words, n_sent, n_syll):6.1f}  {grade(score)}")
    print(f"words per sentence: {n_words / n_sent:.1f}; target {TARGET:.0f}+ per answer: "
          + ("met" if not below else f"missed by {', '.join(below)}"))
    return 0 if not below else 1


if __name__ == "__main__":
    raise SystemExit(main())
