"""Search speed on the FAQ and on a generated clinic-sized corpus.

Run: .venv/bin/python benchmarks/bench_search.py [--sections N] [--files N]

Prints, for the FAQ and for a generated corpus (10,000 sections, ~8 MB of Markdown in
100 files): the time to load the content, to build the index, in-process query p50/p95 over a
mix of queries (rare word, common words, prefix, phrase, typo), and the whole-process time of
a cached `main.py search` command (median of several runs after a warm-up).
Targets: FAQ query p95 <= 2 ms; 10,000 sections: build <= 3 s, query p95 <= 10 ms,
cached command <= 0.3 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.content import load_document  # noqa: E402
from reader.search import SearchIndex  # noqa: E402


def _split(text: str) -> list[str]:
    return text.split()


QUERIES = [
    ("rare word", "zolvantrix"),
    ("rare word", "tranquilizer"),
    ("common words", "how long does the treatment last"),
    ("common words", "is ketamine safe for patients with depression"),
    ("prefix", "infus"),
    ("prefix", "scam"),
    ("phrase", '"nasal spray"'),
    ("phrase", '"blood pressure" monitoring'),
    ("typo", "depresion"),
    ("typo", "anesthesic treatmnet"),
    ("synonyms", "side effects"),
    ("synonyms", "insurance"),
]

COMMON = _split(
    """
    the of and to a in is that for it as with was on be by are this or from at an have not
    which but can has more their will one all been they there may other some when who would
    also what its than these into your only about how over such after most before does
    should could many much each very just where because during while
    """
)

MEDICAL = _split(
    """
    ketamine infusion infusions treatment depression anxiety patient patients doctor clinic
    clinics therapy dose dosage session sessions relief symptoms insurance cost coverage
    anesthetic anesthesiologist psychiatrist nasal spray intravenous injection safety side
    effects blood pressure heart rate monitoring recovery research study studies trial
    evidence results mood bipolar ptsd trauma pain chronic fatigue insomnia sleep memory
    brain neurons booster maintenance appointment referral prescription pharmacy nurse
    consent intake assessment follow-up medication antidepressant esketamine spravato
    dissociation nausea dizziness headache vision hearing floating relaxing calm evaluation
    history screening schedule week month payment plan deductible copay reimbursement claim
    billing receipt parking directions waiting room companion driver transport discharge
    aftercare integration counseling support group family caregiver emergency crisis
    hotline suicidal thoughts hopeless improvement
    """
)

SYLLABLES = _split(
    """
    ka lo mi ven tra sol dor pel qui zan ber nix tho rum vel cas dri fen gor lux
    """
)


def make_vocabulary(rng: random.Random) -> list[str]:
    """Zipf-ordered words: common English first, then medical terms, then a long tail."""
    tail = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(12000)}
    tail.discard("zolvantrix")
    return COMMON + MEDICAL + sorted(tail) + ["zolvantrix"]


def generate_corpus(folder: Path, sections: int, files: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    vocab = make_vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    per_file = sections // files
    size = 0
    for f in range(files):
        lines = [f"# Clinic topic {f}", ""]
        for s in range(per_file):
            n = f * per_file + s
            title = " ".join(rng.choices(vocab[60:400], k=rng.randint(3, 7)))
            lines.append(f"## How does {title} work for patients? {{#q-{n}}}")
            lines.append("")
            for _ in range(rng.randint(2, 4)):
                sentence_words = rng.choices(vocab, weights, k=rng.randint(28, 40))
                lines.append(" ".join(sentence_words).capitalize() + ".")
                lines.append("")
            if n == 4321:
                lines.append("The zolvantrix protocol is only offered here.\n")
        text = "\n".join(lines)
        size += len(text.encode())
        (folder / f"{f:03d}-topic.md").write_text(text, encoding="utf-8")
    return size


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench(label: str, content: Path, data_dir: Path, rounds: int) -> None:
    t = time.perf_counter()
    document = load_document(content)
    load_s = time.perf_counter() - t
    cache = data_dir / "search-cache"
    t = time.perf_counter()
    index = SearchIndex.open(document, cache)
    build_s = time.perf_counter() - t
    assert index.built
    t = time.perf_counter()
    SearchIndex.open(document, cache).close()
    reopen_s = time.perf_counter() - t

    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        for kind, query in QUERIES:
            t = time.perf_counter()
            index.search(query)
            times.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
    every = [v for vs in times.values() for v in vs]

    command = [sys.executable, str(ROOT / "main.py"), "search", "--content", str(content),
               "--data-dir", str(data_dir), "how", "long", "does", "it", "last"]
    subprocess.run(command, check=True, capture_output=True)  # warm-up
    runs = []
    for _ in range(7):
        t = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        runs.append(time.perf_counter() - t)

    mb = sum(p.stat().st_size for p in content.glob("*.md")) / 1e6
    print(f"\n== {label}: {len(document.sections)} sections, {mb:.1f} MB Markdown")
    print(f"load content        {load_s * 1000:8.1f} ms")
    print(f"index build         {build_s * 1000:8.1f} ms")
    print(f"open cached index   {reopen_s * 1000:8.1f} ms")
    print(f"query p50 / p95     {percentile(every, 50):8.3f} / {percentile(every, 95):.3f} ms")
    for kind, values in times.items():
        print(f"  {kind:<17} {percentile(values, 50):8.3f} / {percentile(values, 95):.3f} ms")
    print(f"cached `search` cmd {statistics.median(runs) * 1000:8.1f} ms (median of {len(runs)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bench("FAQ", ROOT / "content", tmp / "faq-data", args.rounds)
        corpus = tmp / "corpus"
        corpus.mkdir()
        (corpus / "synonyms.txt").write_bytes((ROOT / "content" / "synonyms.txt").read_bytes())
        generate_corpus(corpus, args.sections, args.files)
        bench("generated", corpus, tmp / "corpus-data", max(5, args.rounds // 5))


if __name__ == "__main__":
    main()
