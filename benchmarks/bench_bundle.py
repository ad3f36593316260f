"""The PyInstaller bundle: its size, what each exclusion saves, and how fast it starts.

Run: .venv/bin/python benchmarks/bench_bundle.py [--rounds 10] [--measure]

Builds the bundle (cached under build/bundle-cache/ by a hash of the sources, see
build_spec/build_bundle.py) and prints:
  - the size of the dist folder (du, MiB);
  - per exclusion, what it removed, from the build's trim report (source-file sizes, before
    strip); with --measure, also the real saving: the bundle rebuilt with that one rule
    switched off (KFR_BUNDLE_KEEP=rule), minus the trimmed bundle (about 20 s a rule);
  - time from just before Popen to first paint of the frozen app against a bare PySide6
    window run from source (the snippet from benchmarks/bench_startup.py), offscreen,
    alternating runs, medians. The app prints {"first_paint": time.time()} and quits when
    KFR_QUIT_AFTER_FIRST_PAINT=1 (reader/ui/launch.py).
Targets (Linux): bundle <= 80 MiB; frozen app start <= 1.3x the bare window from source.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_spec"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import build_bundle  # noqa: E402
import bundle_support  # noqa: E402
from bench_startup import measure, prepare  # noqa: E402

SIZE_TARGET_MIB = 80
RATIO_TARGET = 1.3


def mib(n: float) -> str:
    return f"{n / 2**20:6.1f}"


def size_table(dist: Path, do_measure: bool) -> None:
    size = build_bundle.folder_size(dist)
    ok = size / 2**20 <= SIZE_TARGET_MIB
    print(f"bundle: {dist}")
    print(f"  size {mib(size)} MiB (target <= {SIZE_TARGET_MIB} MiB) {'ok' if ok else 'MISSED'}")
    report_file = build_bundle.trim_report(dist)
    report = json.loads(report_file.read_text()) if report_file.exists() else {}
    extra = list(bundle_support.EXTRA_STEPS)
    steps = extra[:1] + [r.name for r in bundle_support.RULES] + extra[1:]  # spec's order
    saved: dict[str, int] = {}
    if do_measure:
        # Cumulative, in the spec's order: the plain build, then one more rule at a time.
        # (One-at-a-time switching off would double-count overlaps and cannot switch off
        # a rule that a later one depends on, e.g. eglfs plugins need libQt6OpenGL.)
        previous = build_bundle.folder_size(build_bundle.ensure_bundle(keep="all"))
        print(f"  plain build (every exclusion off): {mib(previous)} MiB")
        for i, name in enumerate(steps):
            step_dist = build_bundle.ensure_bundle(keep=",".join(steps[i + 1:]))
            current = build_bundle.folder_size(step_dist)
            saved[name], previous = previous - current, current
    print("\nper exclusion: files and bytes removed (source files, before strip)"
          + ("; saved = du after adding this step to the ones above" if do_measure else ""))
    print(f"  {'step':24} {'files':>5} {'removed':>8} {'saved':>8}")
    for name in steps:
        item = report.get(name, {"files": 0, "bytes": 0})
        removed = mib(item["bytes"]) if name in report else "     -"
        done = mib(saved[name]) if name in saved else ""
        print(f"  {name:24} {item['files']:5} {removed:>8} {done:>8}")
    if saved:
        print(f"  {'total':24} {'':5} {'':8} {mib(sum(saved.values()))}")


def startup(dist: Path, rounds: int) -> None:
    if not hasattr(os, "wait4"):
        print("start-up: needs os.wait4 (Linux or macOS)")
        return
    with tempfile.TemporaryDirectory(prefix="kfr-bench-bundle-") as tmp:
        tmp_path = Path(tmp)
        bare, data_dir, env = prepare(tmp_path)
        frozen_cmd = [str(build_bundle.executable(dist)), "--data-dir", str(data_dir)]
        bare_cmd = [sys.executable, str(bare)]
        source_cmd = [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir)]
        commands = {"frozen": frozen_cmd, "bare": bare_cmd, "source": source_cmd}
        for cmd in commands.values():  # warm the file cache and bytecode; the app its caches
            measure(cmd, env)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, cmd in commands.items():
                samples[name].append(measure(cmd, env)[0])
    frozen, bare_t = statistics.median(samples["frozen"]), statistics.median(samples["bare"])
    source = statistics.median(samples["source"])
    ratio = frozen / bare_t
    print(f"\nstart-up to first paint, offscreen, {rounds} rounds each, alternating (medians)")
    print(f"  bare window from source : {bare_t * 1000:7.1f} ms "
          f"(min {min(samples['bare']) * 1000:.1f}, max {max(samples['bare']) * 1000:.1f})")
    print(f"  frozen app (warm)       : {frozen * 1000:7.1f} ms "
          f"(min {min(samples['frozen']) * 1000:.1f}, max {max(samples['frozen']) * 1000:.1f})")
    print(f"  the app from source     : {source * 1000:7.1f} ms "
          f"(min {min(samples['source']) * 1000:.1f}, max {max(samples['source']) * 1000:.1f})")
    print(f"  frozen/bare = {ratio:.2f}x (target <= {RATIO_TARGET}x) "
          f"{'ok' if ratio <= RATIO_TARGET else 'MISSED'}")
    print(f"  frozen/source app = {frozen / source:.2f}x (what freezing itself costs or saves)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="start-up runs of each (10)")
    parser.add_argument("--measure", action="store_true",
                        help="rebuild once per exclusion to measure its real saving")
    args = parser.parse_args(argv)
    dist = build_bundle.ensure_bundle()
    size_table(dist, args.measure)
    startup(dist, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
