"""Start-up cost of the reader against a bare PySide6 window: time to first paint, peak memory.

Run: .venv/bin/python benchmarks/bench_startup.py [--rounds 10]   (or: python3 dev.py bench startup)

The bare window is the least a Qt reader can do: a QMainWindow with a QSplitter holding a
QTreeWidget of 20 items and a QTextBrowser with a paragraph of HTML. Both run offscreen, in
alternating order (app, bare, app, bare...) so that drift in the machine hits both alike.
Start is the wall time just before subprocess.Popen; first paint is the wall time the child
prints right after the viewer's first paint (the app does so with KFR_QUIT_AFTER_FIRST_PAINT=1,
see reader/ui/launch.py) before quitting. Peak memory is the child's ru_maxrss from
os.wait4. The app uses a fresh temporary --data-dir: one cold start (empty caches) is reported
on its own, then the measured rounds run warm (caches written by earlier starts, bytecode
cached even when PYTHONDONTWRITEBYTECODE is set in the caller's environment).
Targets: app time to first paint within 1.3x of bare; app peak within bare + 20 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME_RATIO_TARGET = 1.3
PEAK_DELTA_TARGET_MIB = 20

BARE_WINDOW = r'''
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (QApplication, QMainWindow, QSplitter, QTextBrowser,
                               QTreeWidget, QTreeWidgetItem)

app = QApplication(sys.argv[:1])
window = QMainWindow()
splitter = QSplitter()
tree = QTreeWidget()
tree.setHeaderHidden(True)
for group in range(4):
    parent = QTreeWidgetItem(tree, [f"Group {group + 1}"])
    for question in range(5):
        QTreeWidgetItem(parent, [f"Question {group * 5 + question + 1}?"])
tree.expandAll()
browser = QTextBrowser()
browser.setHtml("<h2>What is ketamine?</h2><p>Ketamine is an anesthetic developed in the "
                "early 1960s. It is one of the most widely used drugs in modern medicine, "
                "and is on the World Health Organization's List of <b>Essential "
                "Medicines</b>. It has a variety of medical uses, and is "
                "<a href='#x'>FDA-approved</a> as an anesthetic.</p>")
splitter.addWidget(tree)
splitter.addWidget(browser)
window.setCentralWidget(splitter)
window.resize(1280, 800)


class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, done)
        return False


def done():
    print(json.dumps({"first_paint": time.time()}), flush=True)
    app.quit()


watcher = FirstPaint()
browser.viewport().installEventFilter(watcher)
window.show()
sys.exit(app.exec())
'''


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds from just before Popen to the child's first paint, child's peak RSS in MiB)."""
    start = time.time()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    with proc.stdout:
        out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)  # not proc.wait(): we want the rusage
    proc.returncode = os.waitstatus_to_exitcode(status)
    painted = None
    for line in out.splitlines():
        if line.startswith("{") and "first_paint" in line:
            painted = json.loads(line)["first_paint"]
    if proc.returncode != 0 or painted is None:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{out}")
    peak_kib = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
    return painted - start, peak_kib / 1024


def prepare(tmp_path: Path) -> tuple[Path, Path, dict]:
    """The bare window script, a fresh data dir, and the environment both run in."""
    bare_script = tmp_path / "bare_window.py"
    bare_script.write_text(BARE_WINDOW, encoding="utf-8")
    data_dir = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KFR_QUIT_AFTER_FIRST_PAINT": "1",
           "KFR_CONFIG": str(tmp_path / "no-reader.toml"), "KFR_DATA_DIR": str(data_dir)}
    # A warm start of an installed reader has its bytecode cached; without this the app
    # (and not the bare script, which has no modules of its own) recompiles each time.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return bare_script, data_dir, env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="measured runs of each (10)")
    args = parser.parse_args(argv)
    if not hasattr(os, "wait4"):
        print("needs os.wait4 (Linux or macOS)", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="kfr-bench-startup-") as tmp:
        tmp_path = Path(tmp)
        bare_script, data_dir, env = prepare(tmp_path)
        app_cmd = [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir)]
        bare_cmd = [sys.executable, str(bare_script)]

        measure(bare_cmd, env)  # warms the OS file cache for Python and Qt, for both
        cold_time, cold_peak = measure(app_cmd, env)
        samples: dict[str, list[tuple[float, float]]] = {"app": [], "bare": []}
        for _ in range(args.rounds):
            samples["app"].append(measure(app_cmd, env))
            samples["bare"].append(measure(bare_cmd, env))

    def med(name: str, i: int) -> float:
        return statistics.median(s[i] for s in samples[name])

    app_t, bare_t, app_m, bare_m = med("app", 0), med("bare", 0), med("app", 1), med("bare", 1)
    ratio, delta = app_t / bare_t, app_m - bare_m
    spread = {n: (min(s[0] for s in v), max(s[0] for s in v)) for n, v in samples.items()}
    print(f"start-up, offscreen, {args.rounds} rounds each, alternating (medians)")
    print(f"  bare window : {bare_t * 1000:7.1f} ms to first paint "
          f"(min {spread['bare'][0] * 1000:.1f}, max {spread['bare'][1] * 1000:.1f}), "
          f"peak {bare_m:6.1f} MiB")
    print(f"  app (warm)  : {app_t * 1000:7.1f} ms to first paint "
          f"(min {spread['app'][0] * 1000:.1f}, max {spread['app'][1] * 1000:.1f}), "
          f"peak {app_m:6.1f} MiB")
    print(f"  app (cold)  : {cold_time * 1000:7.1f} ms to first paint, peak {cold_peak:6.1f} MiB "
          "(one run, empty data dir)")
    ok_t, ok_m = ratio <= TIME_RATIO_TARGET, delta <= PEAK_DELTA_TARGET_MIB
    print(f"  time  app/bare = {ratio:.2f}x   (target <= {TIME_RATIO_TARGET}x)   "
          f"{'ok' if ok_t else 'MISSED'}")
    print(f"  peak  app-bare = {delta:+.1f} MiB (target <= +{PEAK_DELTA_TARGET_MIB} MiB) "
          f"{'ok' if ok_m else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
