"""dev.py, the README's Quick start and .ci/run: the way in for a new machine and for CI."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dev():
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^##\s*Quick start\s*$.*?^```[a-z]*\n(.*?)^```", text, re.M | re.S)
    assert match, "README.md has no '## Quick start' heading followed by a fenced block"
    return [line.strip() for line in match.group(1).splitlines() if line.strip()]


def test_readme_quick_start_is_the_two_commands():
    assert quick_start_commands() == ["python3 dev.py run", "python3 dev.py test"]


def test_ci_runs_the_readme_test_command_literally():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in ci
    test_command = quick_start_commands()[1]
    assert re.search(rf"^{re.escape(test_command)}$", ci, re.M), ci


def test_dev_py_uses_only_the_standard_library_and_the_reader_itself():
    tree = ast.parse((ROOT / "dev.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    allowed = set(sys.stdlib_module_names) | {"reader"}  # reader.app: stdlib until a window
    assert names <= allowed, names - allowed


def test_old_python_gets_a_clear_message(dev):
    with pytest.raises(dev.Stop, match=r"Python 3\.11 or newer is needed, this is 3\.9"):
        dev.check_python((3, 9, 18))
    dev.check_python((3, 11, 0))


@pytest.mark.parametrize("args", [["run", "search", "x"], ["run"], ["test"]])
def test_old_python_is_told_before_the_reader_is_imported(tmp_path, args):
    """Python 3.10 has no tomllib, which reader/ imports: the version message must come
    first, not a traceback from asking reader.app which arguments are subcommands."""
    code = ("import runpy, sys; sys.version_info = (3, 10, 12, 'final', 0); "
            "sys.modules['tomllib'] = None; "
            f"sys.argv = ['dev.py', *{args!r}]; "
            f"runpy.run_path({str(ROOT / 'dev.py')!r}, run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    assert "Python 3.11 or newer is needed, this is 3.10" in result.stderr
    assert result.returncode == 1


def test_debian_python_asks_for_its_shared_library(dev, tmp_path):
    """PyInstaller needs libpython3.X.so, which Debian's python3 leaves to another package."""
    variables = {"INSTSONAME": "libpython3.11.so.1.0", "LIBDIR": str(tmp_path)}
    assert dev.python_library_packages(variables.get, "/usr", (3, 11)) == ["libpython3.11"]
    (tmp_path / "libpython3.11.so.1.0").write_bytes(b"")
    assert dev.python_library_packages(variables.get, "/usr", (3, 11)) == []
    (tmp_path / "libpython3.11.so.1.0").unlink()
    # a Python of its own (pyenv, python.org): no Debian package would help
    assert dev.python_library_packages(variables.get, "/opt/py311", (3, 11)) == []


def test_package_list_sections(dev):
    offscreen = dev.qt_packages((dev.OFFSCREEN,))
    both = dev.qt_packages((dev.OFFSCREEN, dev.XCB))
    assert "libxkbcommon0" in offscreen and "libglib2.0-0" in offscreen
    assert "libxcb1" not in offscreen and "libcups2" not in offscreen
    assert set(offscreen) < set(both)
    assert {"libxcb-cursor0", "libxkbcommon-x11-0", "libcups2"} <= set(both)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", name) for name in both), both


def test_package_list_parser_on_a_small_file(dev, tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text("# header\n# offscreen (tests)\na\nb c\n\n# xcb (desktop)\nd\n"
                       "# e: a comment inside the xcb section\ne\n")
    assert dev.qt_packages((dev.OFFSCREEN,), listing) == ["a", "b", "c"]
    assert dev.qt_packages((dev.XCB,), listing) == ["d", "e"]


def test_t64_names_count_as_installed(dev):
    installed = {"libglib2.0-0t64", "libgl1"}
    missing = dev.missing_packages(["libglib2.0-0", "libgl1", "libcups2"], installed.__contains__)
    assert missing == ["libcups2"]


@pytest.mark.parametrize(
    ("known", "t64_release", "expected"),
    [
        ({"libglib2.0-0", "libcups2", "libgl1"}, False, ["libglib2.0-0", "libcups2", "libgl1"]),
        ({"libglib2.0-0t64", "libcups2t64", "libgl1"}, True,
         ["libglib2.0-0t64", "libcups2t64", "libgl1"]),
        # apt's lists are empty: the release decides
        (set(), True, ["libglib2.0-0t64", "libcups2t64", "libgl1"]),
        (set(), False, ["libglib2.0-0", "libcups2", "libgl1"]),
    ],
)
def test_apt_names_follow_the_release(dev, known, t64_release, expected):
    names = dev.apt_names(["libglib2.0-0", "libcups2", "libgl1"], known.__contains__,
                          lambda: t64_release)
    assert names == expected


@pytest.mark.parametrize(
    ("os_release", "expected"),
    [
        ('ID=debian\nVERSION_ID="12"\n', False),
        ('ID=debian\nVERSION_ID="13"\n', True),
        ("ID=debian\n", True),  # testing / sid
        ('ID=ubuntu\nVERSION_ID="22.04"\n', False),
        ('ID=ubuntu\nVERSION_ID="24.04"\n', True),
        ('ID=fedora\nVERSION_ID="40"\n', False),
    ],
)
def test_release_uses_t64(dev, tmp_path, os_release, expected):
    path = tmp_path / "os-release"
    path.write_text(os_release)
    assert dev.release_uses_t64(path) is expected


def test_install_stamp(dev, tmp_path):
    stamp = tmp_path / "stamp"
    assert dev.needs_install("", stamp)
    stamp.write_text(dev.install_key("test"))
    assert not dev.needs_install("test", stamp)
    assert not dev.needs_install("", stamp)  # [test] includes the plain install
    stamp.write_text(dev.install_key(""))
    assert dev.needs_install("test", stamp)
    assert not dev.needs_install("", stamp)
    stamp.write_text("0" * 64 + " test")  # pyproject.toml changed since
    assert dev.needs_install("", stamp)


@pytest.mark.parametrize(
    ("args", "sections"),
    [
        ([], ("offscreen", "xcb")),
        (["--kiosk"], ("offscreen", "xcb")),
        (["--content", "search", "--open", "x"], ("offscreen", "xcb")),  # a folder named search
        (["search", "side", "effects"], ()),
        (["--data-dir", "/tmp/d", "outbox", "status"], ()),
        (["--help"], ()),
    ],
)
def test_run_needs_qt_libraries_only_for_the_window(dev, monkeypatch, args, sections):
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    assert dev.qt_sections_for_run(args) == sections


def test_offscreen_run_needs_no_xcb(dev):
    assert dev.qt_sections_for_run([], {"QT_QPA_PLATFORM": "offscreen"}) == ("offscreen",)


def test_no_display_gets_a_message_not_a_qt_crash(dev, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)

    def no_setup(*_args):
        raise AssertionError("must stop before setting anything up")

    monkeypatch.setattr(dev, "prepare", no_setup)
    assert dev.cmd_run(["--kiosk"]) == 1
    err = capsys.readouterr().err
    assert "no graphical display" in err and "QT_QPA_PLATFORM=offscreen" in err


def test_unknown_command_prints_usage(dev, capsys):
    assert dev.main(["frobnicate"]) == 2
    assert "python3 dev.py test" in capsys.readouterr().err


def test_dev_py_asks_main_which_arguments_are_subcommands(dev):
    """dev.py skips the Qt libraries for subcommands; it must read them as main.py does."""
    assert dev.main_subcommand(["search", "ketamine"]) == "search"
    assert dev.main_subcommand(["--data-dir", "/tmp/x", "outbox", "status"]) == "outbox"
    assert dev.main_subcommand(["--open", "feedback"]) is None  # a question id, not a command
    assert dev.main_subcommand(["--kiosk"]) is None
