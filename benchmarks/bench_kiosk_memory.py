"""A kiosk that runs for months: memory over thousands of simulated readers in one process.

Run: .venv/bin/python benchmarks/bench_kiosk_memory.py [--readers 5000] [--every 500]
     (or: python3 dev.py bench kiosk_memory)

The real kiosk window runs offscreen. Each reader opens a question (one in ten taps A+),
searches by tapping the on-screen keyboard, opens the first result, types name and comments
in the feedback form with it, and leaves; then the kiosk resets as after "I'm finished".
After a warm-up of 100 readers, resident memory (VmRSS) is sampled every --every readers;
growth is the slope of a least-squares line through the samples, in MiB per 1,000 readers.
Also printed: Python's object count (len(gc.get_objects()) after gc.collect()), QObjects
under the window, and all widgets. Target: at most 0.5 MiB per 1,000 readers, and flat
object counts.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GROWTH_TARGET_MIB = 0.5
WARM_UP = 100
QUERIES = ("side effects", "dose", "how long", "insurance", "depression", "ptsd")


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def slope_per_thousand(points: list[tuple[int, float]]) -> float:
    n = len(points)
    if n < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    cov = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return cov / var * 1000 if var else 0.0


def _types():
    from collections import Counter

    gc.collect()
    return Counter(type(o).__qualname__ for o in gc.get_objects())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=5000)
    parser.add_argument("--every", type=int, default=500, help="sample every N readers")
    parser.add_argument("--json", action="store_true", help="one JSON line at the end")
    parser.add_argument("--types", action="store_true",
                        help="also print the Python types whose count grew most")
    args = parser.parse_args()

    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication, QPushButton

    from reader.config import KioskSettings, Settings
    from reader.paths import resolve_paths
    from reader.ui.kiosk import open_kiosk
    from reader.ui.session import ReaderSession

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    tmp = Path(tempfile.mkdtemp(prefix="kfr-soak-"))
    paths = resolve_paths(data_dir=tmp / "data", config=tmp / "reader.toml")
    session = ReaderSession.for_paths(paths, Settings(kiosk=KioskSettings(enabled=True)))
    document = session.document
    window, kiosk = open_kiosk(session, idle_ms=3_600_000, warning_ms=60_000)
    window.open_initial(None)
    kiosk.show_window()
    window.activateWindow()
    app.processEvents()
    keyboard = kiosk.keyboard
    panel = window.search_panel
    sections = [s.id for s in document.sections]
    keys: dict[str, QPushButton] = {}

    def tap(text: str) -> None:
        if text == " ":
            keyboard.space.click()
            return
        key = keys.get(text)
        if key is None or not key.isVisible() or key.text() != text:
            key = next(k for k in keyboard.char_keys if k.text() == text and k.isVisible())
            keys[text] = key
        key.click()

    def reader(number: int) -> None:
        window.open_section(sections[number % len(sections)])
        if number % 10 == 0:  # one in ten wants larger text (and the reset restyles back)
            window.larger_action.trigger()
        panel.field.setFocus()
        app.processEvents()
        for char in QUERIES[number % len(QUERIES)]:
            tap(char)
        panel._timer.stop()  # the debounce, at once: a search per reader
        panel._start()
        panel.wait_idle()
        app.processEvents()
        if panel.results.count():
            panel.results.itemClicked.emit(panel.results.item(0))
        window.open_feedback()
        form = window.feedback_form
        form.name.setFocus()
        app.processEvents()
        for char in "ana":
            tap(char)
        form.comments.setFocus()
        app.processEvents()
        for char in "thank you":
            tap(char)
        kiosk.reset_now()
        app.processEvents()

    def counts() -> dict[str, int]:
        gc.collect()
        return {"python_objects": len(gc.get_objects()),
                "qobjects": len(window.findChildren(QObject)),
                "widgets": len(QApplication.allWidgets())}

    started = time.perf_counter()
    for number in range(WARM_UP):
        reader(number)
    samples: list[tuple[int, float]] = []
    first = counts()
    first_types = _types() if args.types else None
    print(f"after {WARM_UP} readers: {rss_mib():.1f} MiB, {first}", flush=True)
    done = WARM_UP
    while done < args.readers:
        for _ in range(min(args.every, args.readers - done)):
            reader(done)
            done += 1
        now = counts()
        samples.append((done, rss_mib()))
        print(f"after {done} readers: {samples[-1][1]:.1f} MiB, {now}", flush=True)
    last = counts()
    growth = slope_per_thousand([(WARM_UP, samples[0][1])] + samples) if samples else 0.0
    seconds = time.perf_counter() - started
    verdict = "ok" if growth <= GROWTH_TARGET_MIB else "OVER TARGET"
    print(f"growth {growth:.2f} MiB per 1,000 readers after the first {WARM_UP} "
          f"(target <= {GROWTH_TARGET_MIB}): {verdict}")
    for name in first:
        print(f"{name}: {first[name]} -> {last[name]} ({last[name] - first[name]:+d})")
    each_ms = seconds / args.readers * 1000
    print(f"{args.readers} readers in {seconds:.0f} s ({each_ms:.0f} ms each)")
    if first_types is not None:
        grown = (_types() - first_types).most_common(12)
        print("grown types:", ", ".join(f"{name} +{n}" for name, n in grown) or "none")
    if args.json:
        print(json.dumps({"readers": args.readers, "growth_mib_per_1000": round(growth, 3),
                          "first": first, "last": last, "seconds": round(seconds, 1)}))
    kiosk.allow_exit()
    panel.wait_idle()
    window.close()
    return 0 if growth <= GROWTH_TARGET_MIB else 1


if __name__ == "__main__":
    raise SystemExit(main())
