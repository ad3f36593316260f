"""How well the crisis check separates crisis words from ordinary ones, per language.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_crisis.py [--content DIR] [--show]

Reads the evaluation set in tests/crisis_eval/ (crisis phrasings from PHQ-9 item 9, the
C-SSRS screener, the 988 Lifeline's and Samaritans' warning signs; ordinary look-alikes) and
adds every question and sentence of the FAQ in both languages as ordinary text (those that
name suicide itself are expected to raise the card). Prints recall and the false-alarm rate
for each language, and the time one check takes. Each phrase is checked with the screen in
either language, as a kiosk that starts in English would check it. --show lists every miss
and every false alarm.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.content import load_document  # noqa: E402
from reader.crisis import LANGUAGES, CrisisWords, crisis_matcher  # noqa: E402

EVAL_DIR = ROOT / "tests" / "crisis_eval"
NAMES_SUICIDE = re.compile(r"suicid", re.I)  # an FAQ sentence naming suicide should raise it
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def read_set(name: str) -> list[str]:
    lines = (EVAL_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def faq_lines(content: Path, language: str) -> list[str]:
    """Every question and every sentence of the FAQ's answers in `language`."""
    document = load_document(content, language=language)
    found = []
    for section in document.sections:
        if section.fallback:
            continue
        found.append(section.title)
        found += [s for s in _SENTENCE_END.split(section.text) if len(s.split()) >= 2]
    return list(dict.fromkeys(found))


def evaluation(content: Path = ROOT / "content") -> dict[str, dict[str, list[str]]]:
    """{language: {"crisis": [...], "ordinary": [...], "faq_ordinary": [...],
    "faq_crisis": [...]}}: what must raise the card and what must not."""
    sets = {}
    for language in LANGUAGES:
        faq = faq_lines(content, language)
        sets[language] = {
            "crisis": read_set(f"{language}_crisis.txt"),
            "ordinary": read_set(f"{language}_ordinary.txt"),
            "faq_ordinary": [line for line in faq if not NAMES_SUICIDE.search(line)],
            "faq_crisis": [line for line in faq if NAMES_SUICIDE.search(line)],
        }
    return sets


def misses(words: CrisisWords, phrases: list[str]) -> list[str]:
    """Phrases not caught with the screen in either language."""
    return [p for p in phrases if any(words.find(p, prefer=screen) is None
                                      for screen in LANGUAGES)]


def false_alarms(words: CrisisWords, phrases: list[str]) -> list[str]:
    return [p for p in phrases if any(words.find(p, prefer=screen) is not None
                                      for screen in LANGUAGES)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--show", action="store_true", help="list misses and false alarms")
    args = parser.parse_args()
    started = time.perf_counter()
    words = crisis_matcher(args.content)
    words.find("warm up")
    load_s = time.perf_counter() - started
    print(f"crisis words loaded in {load_s * 1000:.0f} ms; {words.counts()}")
    checks, spent = 0, 0.0
    for language, sets in evaluation(args.content).items():
        crisis = sets["crisis"] + sets["faq_crisis"]
        ordinary = sets["ordinary"] + sets["faq_ordinary"]
        t0 = time.perf_counter()
        missed = misses(words, crisis)
        alarms = false_alarms(words, ordinary)
        spent += time.perf_counter() - t0
        checks += 2 * (len(crisis) + len(ordinary))
        recall = 1 - len(missed) / len(crisis)
        rate = len(alarms) / len(ordinary)
        print(f"{language}: recall {recall:.1%} ({len(crisis) - len(missed)}/{len(crisis)} crisis "
              f"phrasings, {len(sets['faq_crisis'])} of them FAQ sentences naming suicide); "
              f"false alarms {rate:.2%} ({len(alarms)}/{len(ordinary)} ordinary: "
              f"{len(sets['ordinary'])} look-alikes + {len(sets['faq_ordinary'])} FAQ questions "
              f"and sentences)")
        if args.show:
            for phrase in missed:
                print(f"  missed: {phrase}")
            for phrase in alarms:
                print(f"  false alarm: {phrase}  ->  {words.find(phrase)}")
    print(f"one check: {spent / checks * 1e6:.0f} µs on average over {checks} checks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
