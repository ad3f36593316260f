"""A kiosk that runs for months: memory over thousands of simulated readers in one process.

Run: .venv/bin/python benchmarks/bench_kiosk_memory.py [--readers 5000] [--every 500]
     (or: python3 dev.py bench kiosk_memory)

The real kiosk window runs offscreen, built as launch builds it (LanguageSwitcher). Each
reader opens a question (one in ten taps A+), searches by tapping the on-screen keyboard,
opens the first result, types name and comments in the feedback form with it, and leaves;
then the kiosk resets as after "I'm finished". Every third reader (--switch-every) first
taps "Español" (the reader is rebuilt in Spanish) and reads and writes in Spanish; the reset
then rebuilds it in English for the next person: two switches for each such reader.
After a warm-up of 100 readers, resident memory (VmRSS) is sampled every --every readers
(each time after a reader who switched, so that every sample finds the same parts built);
growth is the slope of a least-squares line through the samples, in MiB per 1,000 readers.
Also printed: Python's object count (len(gc.get_objects()) after gc.collect()), QObjects
(the application's, and every top-level widget with its children), live top-level widgets,
all widgets, and the switch times of each stretch (median and slowest). Target: at most
0.5 MiB per 1,000 readers, flat counts, and a switch time that does not grow.
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
QUERIES_ES = ("efectos", "dosis", "cuanto dura", "seguro", "depresion", "tept")


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def heap_mib() -> tuple[float, float] | None:
    """(in use, held) of the C heap, from glibc's mallinfo2: the bytes of live blocks, and
    all that malloc holds, free blocks included. In use flat while RSS grows means memory
    kept free (fragmentation), not a leak. None where there is no glibc."""
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost")]

    try:
        mallinfo2 = ctypes.CDLL(None).mallinfo2
    except (OSError, AttributeError):
        return None
    mallinfo2.restype = MallInfo2
    info = mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20, (info.arena + info.hblkhd) / 2**20


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
    parser.add_argument("--switch-every", type=int, default=3,
                        help="every Nth reader first switches to Spanish (0: none)")
    parser.add_argument("--json", action="store_true", help="one JSON line at the end")
    parser.add_argument("--types", action="store_true",
                        help="also print the Python types whose count grew most")
    args = parser.parse_args()

    from PySide6.QtCore import QEvent, QObject, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication, QPushButton

    from reader.config import KioskSettings, Settings
    from reader.content import load_document
    from reader.paths import resolve_paths
    from reader.settings import Preferences
    from reader.system_memory import keep_heap_compact
    from reader.ui.i18n import install_translators
    from reader.ui.languages import LanguageSwitcher

    def quiet(_kind, _context, message: str) -> None:  # the offscreen platform's every resize
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)
    keep_heap_compact()  # as launch does, before Qt starts its threads
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    install_translators(app, "en")
    tmp = Path(tempfile.mkdtemp(prefix="kfr-soak-"))
    paths = resolve_paths(data_dir=tmp / "data", config=tmp / "reader.toml")
    settings = Settings(kiosk=KioskSettings(enabled=True, idle_seconds=86_400))
    switcher = LanguageSwitcher(paths, settings, Preferences(), True, "en", [])
    window, kiosk = switcher.build(load_document(paths.content_dir, language="en"))
    switcher.adopt(window, kiosk)
    window.open_initial(None)
    kiosk.show_window()
    window.activateWindow()
    app.processEvents()
    keys: dict[str, QPushButton] = {}
    switch_ms: list[float] = []

    def settle() -> None:
        app.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def switched(action) -> None:
        """`action` rebuilds the reader in the other language (at once, or deferred)."""
        before = switcher.window
        start = time.perf_counter()
        action()
        while switcher.window is before:
            app.processEvents()
        switch_ms.append((time.perf_counter() - start) * 1000)
        keys.clear()
        settle()

    def tap(text: str) -> None:
        keyboard = switcher.controller.keyboard
        if text == " ":
            keyboard.space.click()
            return
        key = keys.get(text)
        if key is None or not key.isVisible() or key.text() != text:
            key = next(k for k in keyboard.char_keys if k.text() == text and k.isVisible())
            keys[text] = key
        key.click()

    def tap_field(field) -> None:  # as a finger does: focus, and the keyboard for it
        field.setFocus()
        app.processEvents()
        switcher.controller.keyboard.field_tapped(field)

    def reader(number: int) -> None:
        spanish = bool(args.switch_every) and number % args.switch_every == 0
        if spanish:
            switched(switcher.window.language_button.click)
        window, kiosk = switcher.window, switcher.controller
        panel = window.search_panel
        sections = [s.id for s in window.document.sections]
        window.open_section(sections[number % len(sections)])
        if number % 10 == 0:  # one in ten wants larger text (and the reset restyles back)
            window.larger_action.trigger()
        tap_field(panel.field)
        for char in (QUERIES_ES if spanish else QUERIES)[number % len(QUERIES)]:
            tap(char)
        panel._timer.stop()  # the debounce, at once: a search per reader
        panel._start()
        panel.wait_idle()
        app.processEvents()
        if panel.results.count():
            panel.results.itemClicked.emit(panel.results.item(0))
        window.open_feedback()
        form = window.feedback_form
        tap_field(form.name)
        for char in "ana":
            tap(char)
        tap_field(form.comments)
        for char in "gracias" if spanish else "thank you":
            tap(char)
        panel.wait_idle()
        if spanish:  # the reset builds the reader in English again, for the next person
            switched(kiosk.reset_now)
        else:
            kiosk.reset_now()
            settle()

    def like_the_first(number: int) -> bool:
        """Samples are taken after a reader who switched language (or after any, with no
        switches), so that each finds the same parts built: an English reader leaves the
        window with its form built, a Spanish one a window built afresh."""
        return not args.switch_every or (number - 1) % args.switch_every == 0

    def counts() -> dict[str, int]:
        settle()
        gc.collect()
        tops = QApplication.topLevelWidgets()
        return {"python_objects": len(gc.get_objects()),
                "qobjects": len(app.findChildren(QObject))
                + sum(1 + len(top.findChildren(QObject)) for top in tops),
                "top_level_widgets": len(tops),
                "widgets": len(QApplication.allWidgets())}

    def switch_times() -> str:
        """The median and slowest switch since the last call."""
        if not switch_ms:
            return "no switches"
        times = sorted(switch_ms)
        switch_ms.clear()
        return f"switch {times[len(times) // 2]:.0f} ms median, {times[-1]:.0f} ms slowest"

    started = time.perf_counter()
    done = 0
    while done < WARM_UP or not like_the_first(done):
        reader(done)
        done += 1
    samples: list[tuple[int, float]] = []
    heaps: list[tuple[int, float]] = []
    first = counts()
    first_rss = rss_mib()
    first_types = _types() if args.types else None
    print(f"after {done} readers: {first_rss:.1f} MiB, {first}, {switch_times()}",
          flush=True)
    warmed_up = done
    while done < args.readers:
        for _ in range(min(args.every, args.readers - done)):
            reader(done)
            done += 1
        while not like_the_first(done):
            reader(done)
            done += 1
        now = counts()
        samples.append((done, rss_mib()))
        heap = heap_mib()
        heaps.append((done, heap[0] if heap else 0.0))
        print(f"after {done} readers: {samples[-1][1]:.1f} MiB"
              + (f" (C heap {heap[0]:.1f} MiB in use of {heap[1]:.1f})" if heap else "")
              + f", {now}, {switch_times()}", flush=True)
    last = counts()
    growth = slope_per_thousand([(warmed_up, first_rss)] + samples) if samples else 0.0
    seconds = time.perf_counter() - started
    verdict = "ok" if growth <= GROWTH_TARGET_MIB else "OVER TARGET"
    print(f"growth {growth:.2f} MiB per 1,000 readers after the first {warmed_up} "
          f"(target <= {GROWTH_TARGET_MIB}): {verdict}")
    if len(heaps) > 1 and heap_mib() is not None:
        print(f"heap in use grew {slope_per_thousand(heaps):.2f} MiB per 1,000 readers "
              "(RSS growth beyond it is memory malloc keeps free, not a leak)")
    for name in first:
        print(f"{name}: {first[name]} -> {last[name]} ({last[name] - first[name]:+d})")
    each_ms = seconds / done * 1000
    print(f"{done} readers in {seconds:.0f} s ({each_ms:.0f} ms each)")
    if first_types is not None:
        grown = (_types() - first_types).most_common(12)
        print("grown types:", ", ".join(f"{name} +{n}" for name, n in grown) or "none")
    if args.json:
        print(json.dumps({"readers": args.readers, "growth_mib_per_1000": round(growth, 3),
                          "first": first, "last": last, "seconds": round(seconds, 1)}))
    switcher.controller.allow_exit()
    switcher.window.search_panel.wait_idle()
    switcher.window.close()
    return 0 if growth <= GROWTH_TARGET_MIB else 1


if __name__ == "__main__":
    raise SystemExit(main())
