"""Starting the app: --self-test, bad content and config, --open, corrupt settings."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # until tests/conftest.py sets it

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from reader.app import build_parser
from reader.ui import launch
from reader.ui.kiosk import KioskController
from reader.ui.window import MainWindow

ROOT = Path(__file__).resolve().parent.parent


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("KFR_DATA_DIR", "KFR_CONFIG", "KFR_QUIT_AFTER_FIRST_PAINT")}
    env.update(QT_QPA_PLATFORM="offscreen", KFR_CONFIG=str(tmp_path / "reader.toml"),
               HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "xdg-data"),
               XDG_CONFIG_HOME=str(tmp_path / "xdg-config"))
    env.update(extra)
    return env


def run_main(tmp_path: Path, *args: str, env: dict[str, str] | None = None, timeout=90):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True, text=True, timeout=timeout, cwd=tmp_path,
        env=env if env is not None else clean_env(tmp_path),
    )


def last_json_line(stdout: str) -> dict:
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert lines, "nothing on stdout"
    return json.loads(lines[-1])


def assert_clean_usage_error(result, *names: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "error:" in result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    for name in names:
        assert name in result.stderr, (name, result.stderr)


# --- self-test ----------------------------------------------------------------------------


def test_self_test_prints_a_json_verdict_last(tmp_path):
    data = tmp_path / "data"
    result = run_main(tmp_path, "--self-test", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    verdict = last_json_line(result.stdout)
    assert verdict["ok"] is True
    assert verdict["opened"] == "is-ketamine-safe"
    assert verdict["sections"] == 16
    assert verdict["search_hits"] > 0
    for key in ("first_paint_s", "open_s", "search_s"):
        assert isinstance(verdict[key], float) and verdict[key] >= 0, key
    assert "Traceback" not in result.stderr
    assert not (data / "settings.json").exists()  # a self-test leaves no preferences behind


def test_the_first_start_caches_every_answer_for_the_next(tmp_path):
    data = tmp_path / "data"
    assert run_main(tmp_path, "--self-test", "--data-dir", str(data)).returncode == 0
    caches = list((data / "render-cache").glob("*.json"))
    assert len(caches) == 1
    assert len(json.loads(caches[0].read_text(encoding="utf-8"))) == 16  # not only the first


@pytest.mark.parametrize("settings_text", [
    "{corrupt",
    '{"text_scale": "huge", "theme": 5, "last_section": ["x"]}',
    '{"geometry": "abc", "last_section": "insurance"}',
])
def test_a_corrupt_settings_file_still_starts(tmp_path, settings_text):
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_text(settings_text, encoding="utf-8")
    result = run_main(tmp_path, "--self-test", "--data-dir", str(data))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert last_json_line(result.stdout)["ok"] is True


def test_a_broken_page_is_a_warning_not_a_failure(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("## Alpha question {#alpha}\n\nAlpha answer.\n\n"
                                  "## Beta question {#beta}\n\nBeta answer.\n", encoding="utf-8")
    bad = content / "b.md"
    bad.write_bytes("## Caf\u00e9\n".encode("latin-1"))
    result = run_main(tmp_path, "--self-test", "--content", str(content),
                      "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert f"warning: {bad}" in result.stderr and "UTF-8" in result.stderr
    assert last_json_line(result.stdout)["sections"] == 2


# --- bad input: a clear message, exit code 2, no traceback -------------------------------------


def test_missing_content_folder(tmp_path):
    missing = tmp_path / "missing"
    result = run_main(tmp_path, "--content", str(missing), "--self-test",
                      "--data-dir", str(tmp_path / "data"))
    assert_clean_usage_error(result, str(missing))
    assert result.stdout.strip() == ""


def test_missing_content_folder_literal_path(tmp_path):
    result = run_main(tmp_path, "--content", "/missing", "--self-test",
                      "--data-dir", str(tmp_path / "data"))
    assert_clean_usage_error(result, "/missing")


def test_empty_content_folder(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_main(tmp_path, "--content", str(empty), "--self-test",
                      "--data-dir", str(tmp_path / "data"))
    assert_clean_usage_error(result, str(empty), "no Markdown")


def test_content_that_is_not_utf8_names_the_file(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    bad = content / "faq.md"
    bad.write_bytes("## Qu\u00e9?\n\nS\u00ed.\n".encode("cp1252"))
    result = run_main(tmp_path, "--content", str(content), "--self-test",
                      "--data-dir", str(tmp_path / "data"))
    assert_clean_usage_error(result, str(bad), "UTF-8")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any folder")
def test_unreadable_content_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.md").write_text("## A\n\na\n", encoding="utf-8")
    locked.chmod(0)
    try:
        result = run_main(tmp_path, "--content", str(locked), "--self-test",
                          "--data-dir", str(tmp_path / "data"))
    finally:
        locked.chmod(0o700)
    assert_clean_usage_error(result, str(locked))


def test_a_bad_config_key_is_a_warning_and_the_window_starts(tmp_path):
    config = tmp_path / "reader.toml"
    config.write_text('[smtp]\nhost = "mail.example.org"\nport = "twenty-five"\n'
                      '[content]\ncrisis_line = 988\n', encoding="utf-8")
    result = run_main(tmp_path, "--self-test", "--config", str(config),
                      "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert last_json_line(result.stdout)["ok"] is True
    assert f"warning: {config}: [smtp] port must be a whole number" in result.stderr
    assert f"warning: {config}: [content] crisis_line must be text" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_config_that_cannot_be_read_is_still_an_error(tmp_path):
    config = tmp_path / "reader.toml"
    config.mkdir()  # a folder where the file should be
    result = run_main(tmp_path, "--self-test", "--config", str(config),
                      "--data-dir", str(tmp_path / "data"))
    assert_clean_usage_error(result, str(config), "cannot be read")


def test_unknown_option_is_a_usage_error(tmp_path):
    result = run_main(tmp_path, "--no-such-option")
    assert result.returncode == 2
    assert "usage:" in result.stderr and "Traceback" not in result.stderr


def test_no_display_gives_a_message_not_a_crash(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux needs DISPLAY")
    env = clean_env(tmp_path)
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    result = run_main(tmp_path, "--data-dir", str(tmp_path / "data"), env=env)
    assert_clean_usage_error(result, "no display")


# --- in-process: the dialog, and --open --------------------------------------------------------


def gui_args(tmp_path: Path, *argv: str) -> argparse.Namespace:
    return build_parser().parse_args(
        ["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "reader.toml"),
         *argv])


def test_missing_content_shows_a_dialog_in_the_app(qapp, tmp_path, monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(launch, "_headless", lambda: False)
    monkeypatch.setattr(launch.QMessageBox, "critical",
                        staticmethod(lambda parent, title, text, *a: shown.append((title, text))))
    missing = tmp_path / "nowhere"
    code = launch.run_gui(gui_args(tmp_path, "--content", str(missing)))
    assert code == 2
    assert len(shown) == 1
    title, text = shown[0]
    assert title == "Ketamine FAQ Reader"
    assert str(missing) in text and "Traceback" not in text
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(missing) in err


def test_unreadable_content_folder_in_process(qapp, tmp_path, monkeypatch, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.md").write_text("## A\n\na\n", encoding="utf-8")
    real = os.listdir

    def listdir(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", listdir)
    assert launch.run_gui(gui_args(tmp_path, "--content", str(locked))) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: The content folder {locked} cannot be read")


def test_headless_error_prints_only(qapp, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(launch.QMessageBox, "critical",
                        staticmethod(lambda *a: pytest.fail("no dialog when headless")))
    empty = tmp_path / "empty"
    empty.mkdir()
    assert launch.run_gui(gui_args(tmp_path, "--content", str(empty))) == 2
    assert "no Markdown" in capsys.readouterr().err


@pytest.fixture
def started_window(qapp, monkeypatch):
    """Runs launch.run_gui up to app.exec(), then hands over the window it built."""
    seen: dict = {}

    def fake_exec(self=None):
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
                   and w.isVisible()]
        assert len(windows) == 1
        seen["window"] = windows[0]
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    yield seen
    window = seen.get("window")
    if window is not None:
        window.search_panel.wait_idle()
        window.save_on_close = False
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_open_unknown_id_opens_home_with_a_note(tmp_path, started_window):
    assert launch.run_gui(gui_args(tmp_path, "--open", "unknown-id")) == 0
    window = started_window["window"]
    assert window.current_id == window.document.home.id == "what-is-ketamine"
    assert window.notice.isVisibleTo(window)
    assert "unknown-id" in window.notice.text()


def test_open_id_opens_that_question(tmp_path, started_window):
    assert launch.run_gui(gui_args(tmp_path, "--open", "insurance")) == 0
    window = started_window["window"]
    assert window.current_id == "insurance"
    assert "Does insurance cover ketamine treatment?" in window.viewer.toPlainText()
    assert not window.notice.isVisibleTo(window)


def test_present_and_print_are_in_the_menus_and_load_on_first_use(tmp_path):
    # in a fresh process: this one has imported everything long ago
    script = """
import sys
from reader.app import main
from PySide6.QtWidgets import QApplication
from reader.ui.window import MainWindow
def done(self=None):
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    print(sorted(a.text() for a in window.file_menu.actions() + window.view_menu.actions()))
    print("PySide6.QtPrintSupport" in sys.modules, "reader.ui.presenter" in sys.modules)
    return 0
QApplication.exec = done
main(["--data-dir", sys.argv[1], "--config", sys.argv[2]])
"""
    env = clean_env(tmp_path)
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "data"),
                             str(tmp_path / "none.toml")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr
    actions, loaded = result.stdout.splitlines()[-2:]
    assert "&Present" in actions and "&Print or save handout…" in actions
    assert loaded == "False False"


def test_a_question_id_named_like_a_subcommand_opens_the_window():
    from reader.app import subcommand

    assert subcommand(["--open", "feedback"]) is None
    assert subcommand(["--open", "feedback", "search", "x"]) == "search"
    assert subcommand(["--data-dir", "search", "outbox", "status"]) == "outbox"


def test_the_data_dir_and_its_caches_are_owner_only(tmp_path):
    data = tmp_path / "data"
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "--self-test",
                           "--data-dir", str(data)], capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=60)
    assert proc.returncode == 0, proc.stderr
    for path in [data, *data.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


# --- a mistake in reader.toml: named for staff, reading goes on ---------------------------


def test_a_config_mistake_is_named_in_the_notice_and_feedback_queues(tmp_path, started_window):
    (tmp_path / "reader.toml").write_text(
        '[smtp]\nhost = "mail.example.org"\nsender = "kiosk"\n', encoding="utf-8")
    assert launch.run_gui(gui_args(tmp_path)) == 0
    window = started_window["window"]
    assert window.notice.isVisibleTo(window)
    assert "[smtp] sender must be one plain email address" in window.notice.text()
    assert "Email is off until [smtp] is fixed" in window.notice.text()
    assert not window.settings.smtp.configured  # email is off: nothing half set up is tried
    from reader.feedback import FeedbackInput

    window.session.submit_feedback(FeedbackInput(name="Ana", comments="Still stored."))
    status = window.session.outbox().status()
    assert status.queued == 1 and status.failed == 0


@pytest.mark.parametrize("text", [
    "[kiosk]\nenabled = True\n",  # not TOML
    '[kiosk]\nenable = true\nidle_seconds = 60\n',
    '[kisok]\nenabled = true\n',
])
def test_a_kiosk_with_a_typo_starts_as_a_kiosk_and_tells_only_staff(tmp_path, started_window,
                                                                    text):
    (tmp_path / "reader.toml").write_text(text, encoding="utf-8")
    assert launch.run_gui(gui_args(tmp_path)) == 0
    window = started_window["window"]
    assert window.isFullScreen() and not window.menuBar().isVisible()
    assert window.policy.may_close is not None and not window.policy.may_close()
    assert not window.notice.isVisibleTo(window)  # patients see no settings problem
    controllers = [c for c in window.children() if isinstance(c, KioskController)]
    assert len(controllers) == 1
    assert any(str(tmp_path / "reader.toml") in note for note in controllers[0].staff_notes)
    controllers[0].allow_exit()


def _broken_crisis_list(tmp_path: Path, how: str) -> Path:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / "crisis.txt"
    if how == "missing":
        path.unlink()
    elif how == "empty":
        path.write_text("# nothing left\n", encoding="utf-8")
    else:  # an accent saved by a Windows editor
        path.write_bytes("suicide\nsuicidal\nacci\u00f3n\n".encode("cp1252"))
    return path


@pytest.mark.parametrize("how", ["missing", "empty", "not utf-8"])
def test_a_broken_crisis_list_is_in_the_notice_and_the_built_in_words_hold(tmp_path,
                                                                           started_window, how):
    path = _broken_crisis_list(tmp_path, how)
    assert launch.run_gui(gui_args(tmp_path, "--content", str(path.parent))) == 0
    window = started_window["window"]
    assert window.notice.isVisibleTo(window)
    assert "The crisis word list needs fixing" in window.notice.text()
    assert str(path) in window.notice.text()
    words = window.session.crisis_words()
    assert words.matches("i want to kill myself") and words.matches("no quiero vivir")


@pytest.mark.parametrize("how", ["missing", "not utf-8"])
def test_a_broken_crisis_list_on_a_kiosk_is_for_staff_only(tmp_path, started_window, how):
    path = _broken_crisis_list(tmp_path, how)
    assert launch.run_gui(gui_args(tmp_path, "--content", str(path.parent), "--kiosk")) == 0
    window = started_window["window"]
    assert not window.notice.isVisibleTo(window)  # patients see no staff problem
    controllers = [c for c in window.children() if isinstance(c, KioskController)]
    assert any(str(path) in note for note in controllers[0].staff_notes)
    assert window.session.crisis_words().matches("dont wanna live")
    controllers[0].allow_exit()


def test_a_folder_the_user_names_keeps_its_mode_and_what_the_reader_writes_is_private(
        tmp_path):
    shared = tmp_path / "shared"  # like --data-dir ~ or a folder shared with colleagues
    shared.mkdir()
    shared.chmod(0o755)
    (shared / "theirs.txt").write_text("not the reader's", encoding="utf-8")
    env = clean_env(tmp_path)
    result = run_main(tmp_path, "--self-test", "--data-dir", str(shared), env=env)
    assert result.returncode == 0, result.stderr
    code = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(shared),
                           "feedback", "submit", "--name", "Ana", "--comments", "private"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert code.returncode == 0, code.stderr
    assert shared.stat().st_mode & 0o777 == 0o755
    written = [p for p in shared.rglob("*") if p.name != "theirs.txt"]
    assert any(p.name == "outbox.sqlite3" for p in written)
    for path in written:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_folders_the_reader_creates_are_owner_only_down_from_the_first_missing(tmp_path):
    from reader.paths import resolve_paths

    (tmp_path / "home").mkdir(mode=0o755)
    paths = resolve_paths(data_dir=tmp_path / "home" / "new" / "deeper" / "data")
    old = os.umask(0o022)
    try:
        paths.ensure_data_dir()
    finally:
        os.umask(old)
    assert (tmp_path / "home").stat().st_mode & 0o777 == 0o755
    for folder in ("new", "new/deeper", "new/deeper/data"):
        assert (tmp_path / "home" / folder).stat().st_mode & 0o777 == 0o700, folder


# --- one shape: no import cycle, the location options declared once -------------------------


def test_launch_does_not_import_the_entry_point_back():
    import ast

    tree = ast.parse((ROOT / "reader" / "ui" / "launch.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for a in node.names}
    assert "reader.app" not in imported


def test_the_self_test_times_from_the_start_it_is_given(tmp_path, capsys, qapp):
    import time

    started = time.perf_counter() - 100  # as if main.py had started 100 s ago
    assert launch.run_gui(gui_args(tmp_path, "--self-test"), started=started) == 0
    verdict = last_json_line(capsys.readouterr().out)
    assert verdict["ok"] is True and 100 < verdict["first_paint_s"] < 160
    for window in [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]:
        window.search_panel.wait_idle()
        window.close()
        window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_content_data_dir_and_config_are_the_same_options_for_window_and_subcommands():
    from reader import cli

    def described(parser):
        return {a.dest: (tuple(a.option_strings), a.metavar, a.help) for a in parser._actions
                if a.dest in ("content", "data_dir", "config")}

    window = described(build_parser())
    assert len(window) == 3
    assert described(cli.build_parser()) == window
    search = cli.build_parser()._subparsers._group_actions[0].choices["search"]
    assert described(search) == window


def test_version_says_the_release_the_content_date_and_the_outbox_schema(tmp_path):
    from reader import __version__
    from reader.outbox import SCHEMA_VERSION

    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--version"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Ketamine FAQ Reader {__version__}", f"content: 2015 ({ROOT / 'content'})",
        f"outbox schema: {SCHEMA_VERSION}"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {__version__}\n" in changelog  # each release says what changed
    assert f'version = "{__version__}"' in (ROOT / "pyproject.toml").read_text()


@pytest.mark.parametrize("kiosk", [False, True])
def test_the_session_plan_is_a_facilitators_not_a_kiosks(tmp_path, kiosk):
    script = """
import sys
from reader.app import main
from PySide6.QtWidgets import QApplication, QMenu
from reader.ui.window import MainWindow
def done(self=None):
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    print(window.findChild(QMenu, "planMenu") is not None)
    print(sorted(a.text() for a in window.actions()))
    return 0
QApplication.exec = done
main(sys.argv[1:])
"""
    args = ["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "none.toml"),
            *(["--kiosk"] if kiosk else [])]
    result = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT,
                            env=clean_env(tmp_path), capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr
    menu, actions = result.stdout.splitlines()[-2:]
    tools = ("&Present", "&Print or save handout…", "&Add this question to the plan")
    assert menu == str(not kiosk)
    assert all((tool in actions) != kiosk for tool in tools), actions


@pytest.mark.parametrize("json_option", [["--json"], []])
def test_a_closed_pipe_ends_search_without_a_traceback(json_option):
    """`search --json | head -c 300`: once the reader of the pipe has gone, the search
    stops quietly (exit 1), no BrokenPipeError traceback."""
    read, write = os.pipe()
    os.close(read)  # head has read its 300 bytes and left
    try:
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), "search",
                                 *json_option, "--limit", "50", "ketamine"],
                                stdout=write, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr
