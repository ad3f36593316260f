"""Handouts on paper: sheets used, and the safety and layout rules, over many plans.

Run: .venv/bin/python benchmarks/bench_handout.py [--sets N]

For each language (en, es), paper (letter, a4) and print size (normal, large), writes PDFs
the way the dialog and `main.py handout` do, for the whole FAQ, every single question, and
N three-question plans drawn with a fixed seed (the three longest answers among them), then
reads each back with pdftotext -layout and counts:
- pages, and the sheets a group of 15 takes for a three-question handout;
- three-question handouts on at most two pages (target: all, at normal size);
- pages without the crisis line or the notice in the footer, whole or in the content's
  footer forms (target: none);
- footers longer than two lines (target: none);
- pages whose last line of text is a question or topic heading (target: none);
- last pages holding only the website and QR code;
the footer's size (target: large print at least 14 pt), and the time to write one handout.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import tempfile
import time
from pathlib import Path

from facilitator import LANGUAGES, ROOT, flat, report, says_notice_and_crisis, speak

from reader.content import Renderer, load_document
from reader.ui.handout_pdf import HandoutOptions, pdf_application, write_pdf

GROUP = 15
SANS_EM = 1.164  # DejaVu Sans, ascent + descent in ems: a word box's height to points
LARGE_FOOTER_PT = 14.0  # large print's footer: the crisis line read at arm's length
_FOOTER = re.compile(r"(Page|Página) \d+ (of|de) ")


def pages_of(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                         check=True, capture_output=True, text=True).stdout
    pages = [[flat(line) for line in page.splitlines() if line.strip()]
             for page in out.split("\f")]
    return [page for page in pages if page]


def footer_points(path: Path) -> float:
    """The footer's size, from the height of the word "Page" / "Página" on page 1."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
                         check=True, capture_output=True, text=True).stdout
    top, bottom = next(re.finditer(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">'
                                   r"(?:Page|Página)<", out)).groups()
    return (float(bottom) - float(top)) / SANS_EM


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=12, help="three-question plans per case")
    args = parser.parse_args()
    app = pdf_application()
    folder = Path(tempfile.mkdtemp(prefix="bench-handout-"))
    print(f"{'case':<22} {'plans':>5} {'3q pages':>9} {'3q<=2':>6} {'sheets/15':>9} "
          f"{'all':>4} {'no crisis':>9} {'footer>2':>8} {'heading end':>11} "
          f"{'qr alone':>8} {'footer pt':>9} {'ms/handout':>10}")
    failures = 0
    for lang in LANGUAGES:
        speak(app, lang)
        document = load_document(ROOT / "content", language=lang)
        renderer = Renderer(document, None)
        ids = [s.id for s in document.sections]
        longest = sorted(ids, key=lambda i: -len(document.get(i).text))[:3]
        draw = random.Random(23)
        threes = [longest] + [draw.sample(ids, 3) for _ in range(args.sets - 1)]
        headings = [flat(s.title) for s in document.sections] + \
            [flat(g) for g, _ in document.groups() if g]
        meta = document.metadata
        for paper in ("letter", "a4"):
            for large in (False, True):
                options = HandoutOptions(paper, large)
                plans = [ids] + [[i] for i in ids] + threes
                counts, three_pages, footer_pt = {}, [], 0.0
                no_crisis = long_footer = heading_end = qr_alone = 0
                started = time.perf_counter()
                for n, plan in enumerate(plans):
                    path = folder / f"{lang}-{paper}-{large}-{n}.pdf"
                    write_pdf(document, renderer, plan, path, ROOT / "resources", options)
                    pages = pages_of(path)
                    counts[n] = len(pages)
                    if n == 0:
                        footer_pt = footer_points(path)
                    if len(plan) == 3:
                        three_pages.append(len(pages))
                        if len(pages) > 2 and os.environ.get("BENCH_VERBOSE"):
                            print("  three on more than two pages:", path.name, plan,
                                  f"{len(pages[-1])} lines on the last")
                    for lines in pages:
                        at = next((i for i, line in enumerate(lines) if _FOOTER.match(line)),
                                  len(lines))
                        footer, body = " ".join(lines[at:]), lines[:at]
                        no_crisis += not says_notice_and_crisis(footer, meta)
                        long_footer += len(lines) - at > 2
                        tails = {" ".join(body[-k:]) for k in (1, 2, 3)}  # wrapped
                        ends = bool(body) and bool(tails & set(headings))
                        heading_end += ends
                        if ends and os.environ.get("BENCH_VERBOSE"):
                            print("  heading at the end:", path.name, body[-3:])
                    last = pages[-1][:next((i for i, line in enumerate(pages[-1])
                                            if _FOOTER.match(line)), len(pages[-1]))]
                    qr_alone += len(pages) > 1 and len(last) <= 2
                elapsed = (time.perf_counter() - started) / len(plans) * 1000
                within = sum(p <= 2 for p in three_pages)
                sheets = GROUP * sum(three_pages) / len(three_pages)
                case = f"{lang} {paper} {'large' if large else 'normal'}"
                print(f"{case:<22} {len(plans):>5} {sum(three_pages) / len(three_pages):>9.2f} "
                      f"{within:>3}/{len(three_pages):<2} {sheets:>9.0f} {counts[0]:>4} "
                      f"{no_crisis:>9} {long_footer:>8} {heading_end:>11} {qr_alone:>8} "
                      f"{footer_pt:>9.1f} {elapsed:>10.0f}")
                failures += no_crisis + long_footer + heading_end
                if large:
                    failures += footer_pt < LARGE_FOOTER_PT - 0.1
                else:
                    failures += len(three_pages) - within
    return report(failures, f"3q: three-question plans; sheets/15: one-sided sheets for a "
                            f"group of {GROUP}; all: pages of the whole FAQ.")


if __name__ == "__main__":
    raise SystemExit(main())
