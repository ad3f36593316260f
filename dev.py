#!/usr/bin/env python3
"""Developer entry point: set up what the reader needs, then run it, its tests or its checks.

    python3 dev.py run [ARGS...]     start the reader (ARGS go to main.py, e.g. --kiosk)
    python3 dev.py test [ARGS...]    run the whole test suite (ARGS go to pytest, e.g. -q -x)
    python3 dev.py lint [ARGS...]    ruff check
    python3 dev.py bench [NAME...]   run the scripts in benchmarks/ (all, or those named)

Each command first checks Python >= 3.11, creates .venv if it is missing, installs the project
into it when pyproject.toml has changed since the last install, and on Debian/Ubuntu makes
sure the system libraries Qt needs are installed (as root it installs them with apt-get;
otherwise it prints the command to run). Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

MIN_PYTHON = (3, 11)
ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / "dev-py-install.stamp"
QT_PACKAGES_FILE = ROOT / "scripts" / "qt_system_packages.txt"
TRANSLATIONS = ROOT / "translations"
OFFSCREEN, XCB, TESTS = "offscreen", "xcb", "tests"
# Debian 13 / Ubuntu 24.04 renamed these for the 64-bit time_t transition.
T64_RENAMES = {"libglib2.0-0": "libglib2.0-0t64", "libcups2": "libcups2t64"}
# main.py subcommands: they never load Qt's GUI, so need no display and no Qt libraries.


class Stop(Exception):
    """Setup cannot go on; the message says what to do. Exit code 1."""


def say(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr, flush=True)


# --- Python and the virtual environment ---------------------------------------


def check_python(version=sys.version_info) -> None:
    if tuple(version[:2]) < MIN_PYTHON:
        raise Stop(
            f"Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer is needed, this is "
            f"{version[0]}.{version[1]} ({sys.executable}). On Debian/Ubuntu install a newer "
            "python3, or run this file with a newer interpreter, e.g. python3.11 dev.py test"
        )


def venv_python(venv: Path = VENV) -> Path:
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def ensure_venv() -> Path:
    python = venv_python()
    if python.exists():
        return python
    if VENV.exists():
        say(f"{VENV} is incomplete; making it again")
        shutil.rmtree(VENV)
    say(f"creating the virtual environment {VENV}")
    result = subprocess.run([sys.executable, "-m", "venv", str(VENV)],
                            capture_output=True, text=True)
    if result.returncode != 0 or not python.exists():
        shutil.rmtree(VENV, ignore_errors=True)
        output = (result.stderr + result.stdout).strip()
        if "ensurepip" in output or "No module named venv" in output:
            raise Stop("Python's venv module (with ensurepip) is missing. "
                       "On Debian/Ubuntu install it with:\n    sudo apt-get install python3-venv")
        raise Stop(f"could not create the virtual environment {VENV}:\n{output}")
    return python


def install_key(extras: str) -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return f"{digest} {extras}".strip()


def needs_install(extras: str, stamp: Path = STAMP) -> bool:
    """True unless the last install used this pyproject.toml with these extras (or more)."""
    try:
        done = stamp.read_text().split()
    except OSError:
        return True
    wanted = install_key(extras).split()
    return not done or done[0] != wanted[0] or not set(wanted[1:]) <= set(done[1:])


def ensure_installed(python: Path, extras: str = "") -> None:
    if not needs_install(extras):
        return
    target = f".[{extras}]" if extras else "."
    say(f"installing the project into .venv (pip install -e {target}); this takes a minute "
        "the first time")
    cmd = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
           "-e", target]
    if subprocess.run(cmd, cwd=ROOT).returncode != 0:
        raise Stop("pip could not install the project (see its message above); "
                   "check the network connection and try again")
    STAMP.write_text(install_key(extras) + "\n")


def stale_translations(folder: Path = TRANSLATIONS) -> list[Path]:
    """The Qt Linguist sources (.ts) whose compiled .qm is missing or older."""
    return [ts for ts in sorted(folder.glob("*.ts"))
            if not ts.with_suffix(".qm").exists()
            or ts.with_suffix(".qm").stat().st_mtime < ts.stat().st_mtime]


def compile_translations(python: Path, folder: Path = TRANSLATIONS) -> list[Path]:
    """Compile the stale .ts files with the venv's pyside6-lrelease; returns the .qm made.
    A .ts that does not compile is reported, and the reader shows English."""
    made = []
    tool = python.parent / ("pyside6-lrelease.exe" if os.name == "nt" else "pyside6-lrelease")
    for ts in stale_translations(folder):
        qm = ts.with_suffix(".qm")
        result = _run_quiet([str(tool), "-silent", str(ts), "-qm", str(qm)])
        if result.returncode == 0 and qm.exists():
            made.append(qm)
        else:
            output = (result.stderr + result.stdout).strip()
            say(f"warning: {ts.name} could not be compiled ({output or result.returncode}); "
                "the reader is shown in English")
    return made


# --- system libraries for Qt (Debian/Ubuntu) ----------------------------------


def qt_packages(sections: tuple[str, ...], path: Path = QT_PACKAGES_FILE) -> list[str]:
    """Package names from the list, in the sections asked for ("offscreen", "xcb", "tests")."""
    packages, current = [], None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#"):
            heading = line.lstrip("# ").lower()
            if heading.startswith("offscreen"):
                current = OFFSCREEN
            elif heading.startswith("xcb"):
                current = XCB
            elif heading.startswith("tests"):
                current = TESTS
            continue
        if line and current in sections:
            packages.extend(line.split())
    return packages


def _run_quiet(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True,
                          env={**os.environ, "LC_ALL": "C"})


def dpkg_installed(package: str) -> bool:
    result = _run_quiet(["dpkg-query", "-W", "-f=${Status}\\n", package])
    return result.returncode == 0 and "install ok installed" in result.stdout


def apt_knows(package: str) -> bool:
    """True when apt has an installable version of this (non-virtual) package."""
    result = _run_quiet(["apt-cache", "policy", package])
    for line in result.stdout.splitlines():
        if line.strip().startswith("Candidate:"):
            return line.split(":", 1)[1].strip() != "(none)"
    return False


def release_uses_t64(os_release: Path = Path("/etc/os-release")) -> bool:
    """Fallback when apt's lists are empty: Debian >= 13 and Ubuntu >= 24.04 use t64 names."""
    try:
        fields = dict(line.split("=", 1) for line in os_release.read_text().splitlines()
                      if "=" in line)
    except OSError:
        return False
    distro = fields.get("ID", "").strip('"')
    if "VERSION_ID" not in fields:
        return distro == "debian"  # testing/sid carry no VERSION_ID; they use t64
    try:
        version = float(fields["VERSION_ID"].strip('"'))
    except ValueError:
        return False
    return (distro == "debian" and version >= 13) or (distro == "ubuntu" and version >= 24.04)


def missing_packages(packages: list[str], installed=dpkg_installed) -> list[str]:
    """The listed packages not installed, under whichever name (old or t64) counts."""
    missing = []
    for package in packages:
        names = [package] + ([T64_RENAMES[package]] if package in T64_RENAMES else [])
        if not any(installed(name) for name in names):
            missing.append(package)
    return missing


def apt_names(packages: list[str], knows=apt_knows, t64=release_uses_t64) -> list[str]:
    """The names apt should install: the t64 rename where this release has it."""
    names = []
    for package in packages:
        renamed = T64_RENAMES.get(package)
        if renamed and (knows(renamed) or (not knows(package) and t64())):
            package = renamed
        names.append(package)
    return names


def apt_lists_empty(lists: Path = Path("/var/lib/apt/lists")) -> bool:
    return not any(lists.glob("*_Packages*"))


def apt_install(names: list[str]) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", *names]
    return subprocess.run(cmd, env=env).returncode == 0


def apt_update() -> None:
    say("apt-get update")
    subprocess.run(["apt-get", "update"], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def python_library_packages(config_var=None, base_prefix: str = sys.base_prefix,
                            version=sys.version_info) -> list[str]:
    """The package holding this Python's shared library, when it is missing: PyInstaller
    (tests/test_bundle.py) needs it, and Debian's python3 ships it apart (libpython3.11)."""
    if config_var is None:
        import sysconfig

        config_var = sysconfig.get_config_var
    name, libdir = config_var("INSTSONAME"), config_var("LIBDIR")
    if base_prefix != "/usr" or not name or not libdir or (Path(libdir) / name).exists():
        return []  # not the distribution's Python (its package name is unknown), or present
    return [f"libpython{version[0]}.{version[1]}"]


def ensure_qt_libraries(sections: tuple[str, ...]) -> None:
    if not sys.platform.startswith("linux") or not shutil.which("dpkg-query"):
        return  # not Debian-like: let Qt name whatever is missing
    wanted = qt_packages(sections) + (python_library_packages() if TESTS in sections else [])
    missing = missing_packages(wanted)
    if not missing:
        return
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root and apt_lists_empty():
        apt_update()
    names = apt_names(missing)
    if not is_root:
        raise Stop("Qt (and for the tests, PyInstaller) needs system libraries that are not "
                   "installed. Install them with:\n"
                   f"    sudo apt-get install -y --no-install-recommends {' '.join(names)}\n"
                   "then run this command again.")
    say(f"installing the system libraries needed: {' '.join(names)}")
    if not apt_install(names):
        apt_update()
        names = apt_names(missing)
        if not apt_install(names):
            raise Stop("apt-get could not install: " + " ".join(names))
    still = missing_packages(missing)
    if still:
        raise Stop("still not installed after apt-get: " + " ".join(still))


# --- commands ------------------------------------------------------------------


def main_subcommand(args: list[str]) -> str | None:
    """The main.py subcommand (search, outbox, ...) in ARGS, if any, as reader/app.py sees it.

    reader.app imports nothing but the standard library until it starts a window, so the
    system Python can ask it before .venv exists."""
    sys.path.insert(0, str(ROOT))
    from reader.app import subcommand

    return subcommand(args)


def has_display(env=os.environ) -> bool:
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


NO_DISPLAY = """\
There is no graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the
reader's window cannot open. Run it from a desktop session, or over ssh with `ssh -X`.
To try it without a screen:  QT_QPA_PLATFORM=offscreen python3 dev.py run --self-test
The command-line parts need no display, e.g.:  python3 dev.py run search side effects"""


def qt_sections_for_run(args: list[str], env=os.environ) -> tuple[str, ...]:
    """Which library sections `run ARGS` needs; () for the subcommands, which use no Qt GUI."""
    if main_subcommand(args) or {"-h", "--help", "--version"} & set(args):
        return ()
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal")):
        return (OFFSCREEN,)
    return (OFFSCREEN, XCB)


def prepare(extras: str, sections: tuple[str, ...]) -> Path:
    python = ensure_venv()
    ensure_installed(python, extras)
    compile_translations(python)
    if sections:
        ensure_qt_libraries(sections)
    return python


def launch(cmd: list[str], cwd: Path | None = None) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        if cwd:
            os.chdir(cwd)
        os.execv(cmd[0], cmd)
    try:
        return subprocess.run(cmd, cwd=cwd).returncode
    except KeyboardInterrupt:
        return 130


def cmd_run(args: list[str]) -> int:
    sections = qt_sections_for_run(args)
    if (XCB in sections and sys.platform.startswith("linux") and not has_display()):
        say(NO_DISPLAY)
        return 1
    python = prepare("", sections)
    return launch([str(python), str(ROOT / "main.py"), *args])


def cmd_test(args: list[str]) -> int:
    python = prepare("test", (OFFSCREEN, XCB, TESTS))  # xcb: the AT-SPI and screen tests
    return launch([str(python), "-m", "pytest", *args], cwd=ROOT)


def cmd_lint(args: list[str]) -> int:
    python = prepare("test", ())
    return launch([str(python), "-m", "ruff", "check", *(args or ["."])], cwd=ROOT)


def cmd_bench(args: list[str]) -> int:
    python = prepare("test", (OFFSCREEN, TESTS))
    scripts = sorted((ROOT / "benchmarks").glob("bench_*.py"))
    if args:
        scripts = [s for s in scripts if any(a in s.name for a in args)]
        if not scripts:
            raise Stop(f"no benchmark matches {' '.join(args)}")
    worst = 0
    for script in scripts:
        print(f"== {script.relative_to(ROOT)}", flush=True)
        worst = max(worst, subprocess.run([str(python), str(script)], cwd=ROOT).returncode)
    return worst


COMMANDS = {"run": cmd_run, "test": cmd_test, "lint": cmd_lint, "bench": cmd_bench}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip(), file=sys.stderr)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    try:
        check_python()  # first: reader/ (asked about subcommands) needs 3.11's tomllib
        return COMMANDS[argv[0]](argv[1:])
    except Stop as exc:
        say(str(exc))
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
