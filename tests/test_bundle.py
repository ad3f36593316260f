"""The PyInstaller bundle: builds, runs without Python, stays small.

Slow (a PyInstaller build, ~20 s, cached under build/bundle-cache/ by a hash of the
sources, so an unchanged checkout reuses it). CI runs it; locally: pytest -m slow.
The frozen program runs with a PATH holding no Python at all, a clean HOME, no
environment inherited from the test run, and the offscreen platform.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_spec"))

import build_bundle  # noqa: E402

pytest.importorskip("PyInstaller", reason="install the [build] extra: pip install .[build]")

pytestmark = pytest.mark.slow

SIZE_LIMIT_MIB = 80  # Linux target; Windows and macOS bundles are checked by hand


@pytest.fixture(scope="module")
def dist() -> Path:
    from PyInstaller.depend import bindepend

    try:  # `python3 dev.py test` installs Debian's libpython3.X; a Python of one's own may lack it
        found = bindepend.get_python_library_path()
    except SystemExit:  # PyInstaller's PythonLibraryNotFoundError
        found = None
    if not found:
        version = f"{sys.version_info[0]}.{sys.version_info[1]}"
        pytest.skip(f"PyInstaller needs this Python's shared library (libpython{version}.so), "
                    f"which is not installed: on Debian/Ubuntu apt-get install libpython{version}; "
                    "a Python built by hand needs ./configure --enable-shared")
    return build_bundle.ensure_bundle()


@pytest.fixture
def run(dist, tmp_path):
    empty_bin = tmp_path / "bin"  # PATH: one empty folder, so no python can be found
    empty_bin.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": str(empty_bin), "HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "LANG": "C.UTF-8"}
    if sys.platform == "win32":  # Windows cannot start a process without these
        import os

        env.update({k: os.environ[k] for k in ("SYSTEMROOT", "SYSTEMDRIVE") if k in os.environ})
        env["USERPROFILE"] = env["LOCALAPPDATA"] = str(home)
    assert shutil.which("python", path=env["PATH"]) is None
    assert shutil.which("python3", path=env["PATH"]) is None

    def run_frozen(*args: str, cli: bool = True, timeout: float = 60):
        program = build_bundle.executable(dist, cli=cli)
        return subprocess.run([str(program), *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, encoding="utf-8",
                              timeout=timeout)

    run_frozen.home = home
    return run_frozen


def test_bundle_carries_content_and_resources(dist):
    internal = dist / "_internal"
    assert (internal / "content").is_dir()
    assert any((internal / "content").glob("*.md"))
    assert (internal / "resources" / "icon.png").is_file()
    assert (internal / "resources" / "app.qss").is_file()


def test_bundle_is_small(dist):
    size_mib = build_bundle.folder_size(dist) / 2**20
    if sys.platform.startswith("linux"):
        assert size_mib <= SIZE_LIMIT_MIB, f"bundle is {size_mib:.1f} MiB"
    internal = dist / "_internal"
    # none of the Qt modules the reader does not use
    for unused in ("QtNetwork", "QtQml", "QtQuick", "QtOpenGL", "QtSvg", "QtPdf"):
        assert not list(internal.rglob(f"*{unused}.*")), unused
    assert not (internal / "PySide6" / "Qt" / "translations").exists()


def test_bundle_carries_the_spanish_translations(dist, run, tmp_path):
    folder = dist / "_internal" / "translations"  # reader.ui.i18n.translations_dir()
    assert (folder / "reader_es.qm").stat().st_size > 10_000  # compiled from the .ts
    assert (folder / "qtbase_es.qm").is_file()  # Qt's own dialogs
    config = tmp_path / "reader.toml"
    config.write_text('[reader]\nlanguage = "es"\n', encoding="utf-8")
    result = run("--config", str(config), "--self-test", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ".qm" not in result.stderr  # no "... is missing or cannot be read" warning


def test_self_test_runs_frozen_without_python(run):
    result = run("--self-test", timeout=120)  # on Windows the console exe, for stdout
    assert result.returncode == 0, result.stdout + result.stderr
    verdict = json.loads(result.stdout.strip().splitlines()[-1])
    assert verdict["ok"] is True, verdict
    assert verdict["sections"] > 0


def test_cli_search_feedback_outbox(run):
    result = run("search", "--json", "horse")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert "horse-tranquilizer" in [hit["id"] for hit in found["results"]]

    result = run("feedback", "submit", "--name", "X", "--comments", "Y")
    assert result.returncode == 0, result.stderr

    result = run("outbox", "status", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["queued"] == 1
    # the outbox went to the clean HOME's default data folder, nowhere else
    assert list(run.home.rglob("outbox.sqlite3"))
