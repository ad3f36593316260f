"""Start-up cost of the reader against a bare PySide6 window: time to first paint, the whole
--self-test process, peak memory.

Run: .venv/bin/python benchmarks/bench_startup.py [--rounds 10] [--xvfb]
(or: python3 dev.py bench startup)

The bare window is the least a Qt reader can do: a QMainWindow with a QSplitter holding a
QTreeWidget of 20 items and a QTextBrowser with a paragraph of HTML. Two floors show what
is left for the reader's own window: "bare + Qt" is the same window naming one enum of the Qt
namespace (PySide 6 builds all 93 enums of that namespace, 1,200 members, as Python enums the
first time any is named, and a reader's window names many); "bare + Qt + FAQ"
also reads reader.toml, the FAQ and its render cache as the app does, and shows the first
answer. All run offscreen, or with --xvfb on Xvfb (1366x768) with openbox, to a mapped window
(the way peers such as Zeal and Kiwix were measured), in alternating order (bare, the floors,
app, self-test, bare...) so that drift in the machine hits each alike.
Start is the wall time just before subprocess.Popen; first paint is the wall time the child
records right after the viewer's first paint (the app prints it with
KFR_QUIT_AFTER_FIRST_PAINT=1, see reader/ui/launch.py) before quitting, with its CPU time then.
The whole process runs from Popen to the child's exit: the bare window quits at its first
paint, `main.py --self-test` after opening a question and searching. Peak memory is the
child's ru_maxrss from os.wait4. The app uses a fresh temporary --data-dir: one cold start
(empty caches) is reported on its own, then the measured rounds run warm (caches written by
earlier starts, bytecode cached even when PYTHONDONTWRITEBYTECODE is set in the caller's
environment).
Targets: app time to first paint within 1.3x of bare; the whole --self-test within 2.0x of
the bare window's whole process; app peak within bare + 20 MiB.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
TIME_RATIO_TARGET = 1.3
WHOLE_RATIO_TARGET = 2.0
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
# FLOOR


class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, done)
        return False


def done():
    print(json.dumps({"first_paint": time.time(), "cpu": time.process_time()}), flush=True)
    app.quit()


watcher = FirstPaint()
browser.viewport().installEventFilter(watcher)
window.show()
sys.exit(app.exec())
'''


NAME_QT = """
from PySide6.QtCore import Qt
tree.setTextElideMode(Qt.TextElideMode.ElideRight)  # the default: the window is the same
"""
READ_FAQ = f"""
sys.path.insert(0, {str(ROOT)!r})
from reader.config import load_config
from reader.content import Renderer, load_document
from reader.paths import resolve_paths
paths = resolve_paths()
settings = load_config(paths.config_file)
document = load_document(paths.content_dir, settings.content.crisis_line,
                         settings.content.danger_line)
browser.setHtml(Renderer(document, paths.data_dir / "render-cache").html(document.home))
"""
FLOORS = {"bare + Qt": NAME_QT, "bare + Qt + FAQ": NAME_QT + READ_FAQ}


class Run(NamedTuple):
    paint_s: float  # from just before Popen to the child's first paint
    paint_cpu_s: float  # the child's CPU time at its first paint
    whole_s: float  # from just before Popen to the child's exit
    peak_mib: float  # the child's peak RSS


def measure(cmd: list[str], env: dict[str, str]) -> Run:
    start = time.time()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    with proc.stdout:
        out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)  # not proc.wait(): we want the rusage
    ended = time.time()
    proc.returncode = os.waitstatus_to_exitcode(status)
    painted = None
    for line in out.splitlines():
        if line.startswith("{") and ("first_paint" in line or "first_paint_s" in line):
            painted = json.loads(line)
    if proc.returncode != 0 or painted is None:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{out}")
    peak_kib = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
    paint = painted.get("first_paint", start) - start
    return Run(paint, painted.get("cpu", 0.0), ended - start, peak_kib / 1024)


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


def floor_commands(tmp_path: Path) -> dict[str, list[str]]:
    commands = {}
    for number, (name, code) in enumerate(FLOORS.items()):
        script = tmp_path / f"floor_{number}.py"
        script.write_text(BARE_WINDOW.replace("# FLOOR", code), encoding="utf-8")
        commands[name] = [sys.executable, str(script)]
    return commands


@contextlib.contextmanager
def xvfb_screen(env: dict) -> Iterator[dict]:
    """`env` for windows on a fresh Xvfb at 1366x768 with openbox managing them."""
    missing = [tool for tool in ("Xvfb", "openbox") if not shutil.which(tool)]
    if missing:
        raise SystemExit(f"--xvfb needs {' and '.join(missing)} (Debian: xvfb openbox)")
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1366x768x24",
                             "-nolisten", "tcp"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert xvfb.stdout is not None
    number = xvfb.stdout.readline().strip()
    xvfb.stdout.close()
    screen_env = {key: value for key, value in env.items()
                  if not key.startswith(("QT_", "WAYLAND", "DBUS_"))}
    screen_env.update(DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb")
    openbox = subprocess.Popen(["openbox"], env=screen_env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    time.sleep(0.5)  # openbox takes the screen before the first window maps
    try:
        yield screen_env
    finally:
        for process in (openbox, xvfb):
            process.terminate()
            process.wait(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="measured runs of each (10)")
    parser.add_argument("--xvfb", action="store_true",
                        help="on Xvfb with openbox, to a mapped window, instead of offscreen")
    args = parser.parse_args(argv)
    if not hasattr(os, "wait4"):
        print("needs os.wait4 (Linux or macOS)", file=sys.stderr)
        return 2

    with contextlib.ExitStack() as stack:
        tmp_path = Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="kfr-bench-startup-")))
        bare_script, data_dir, env = prepare(tmp_path)
        if args.xvfb:
            env = stack.enter_context(xvfb_screen(env))
        commands = {
            "bare": [sys.executable, str(bare_script)],
            **floor_commands(tmp_path),
            "app": [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir)],
            "self-test": [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir),
                          "--self-test"],
        }
        measure(commands["bare"], env)  # warms the OS file cache for Python and Qt, for both
        cold = measure(commands["app"], env)  # and writes the render cache the FAQ floor reads
        samples: dict[str, list[Run]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, cmd in commands.items():
                samples[name].append(measure(cmd, env))

    def med(name: str, field: str) -> float:
        return statistics.median(getattr(run, field) for run in samples[name])

    def spread(name: str, field: str) -> str:
        values = [getattr(run, field) * 1000 for run in samples[name]]
        return f"min {min(values):.1f}, max {max(values):.1f}"

    bare_t, app_t = med("bare", "paint_s"), med("app", "paint_s")
    bare_cpu, app_cpu = med("bare", "paint_cpu_s"), med("app", "paint_cpu_s")
    bare_whole, test_whole = med("bare", "whole_s"), med("self-test", "whole_s")
    bare_m, app_m = med("bare", "peak_mib"), med("app", "peak_mib")
    ratio, cpu_ratio, whole_ratio = app_t / bare_t, app_cpu / bare_cpu, test_whole / bare_whole
    delta = app_m - bare_m
    where = "on Xvfb 1366x768 with openbox" if args.xvfb else "offscreen"
    print(f"start-up, {where}, {args.rounds} rounds each, alternating (medians)")
    print(f"  bare window    : {bare_t * 1000:7.1f} ms to first paint "
          f"({spread('bare', 'paint_s')}), CPU {bare_cpu * 1000:.1f} ms, peak {bare_m:6.1f} MiB")
    for name in FLOORS:
        print(f"  {name:<15}: {med(name, 'paint_s') * 1000:7.1f} ms to first paint "
              f"({spread(name, 'paint_s')}), {med(name, 'paint_s') / bare_t:.2f}x bare")
    print(f"  app (warm)     : {app_t * 1000:7.1f} ms to first paint "
          f"({spread('app', 'paint_s')}), CPU {app_cpu * 1000:.1f} ms, peak {app_m:6.1f} MiB")
    print(f"  app (cold)     : {cold.paint_s * 1000:7.1f} ms to first paint, "
          f"peak {cold.peak_mib:6.1f} MiB (one run, empty data dir)")
    print(f"  whole process: bare {bare_whole * 1000:.1f} ms ({spread('bare', 'whole_s')}), "
          f"--self-test {test_whole * 1000:.1f} ms ({spread('self-test', 'whole_s')})")
    verdicts = [
        ("time  app/bare", f"{ratio:.2f}x", f"<= {TIME_RATIO_TARGET}x", ratio <= TIME_RATIO_TARGET),
        ("whole self-test/bare", f"{whole_ratio:.2f}x", f"<= {WHOLE_RATIO_TARGET}x",
         whole_ratio <= WHOLE_RATIO_TARGET),
        ("peak  app-bare", f"{delta:+.1f} MiB", f"<= +{PEAK_DELTA_TARGET_MIB} MiB",
         delta <= PEAK_DELTA_TARGET_MIB),
    ]
    for name, value, target, ok in verdicts:
        print(f"  {name:<21} = {value:<10} (target {target}) {'ok' if ok else 'MISSED'}")
    print(f"  (CPU to first paint app/bare = {cpu_ratio:.2f}x: steadier than wall time on a "
          "shared machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
