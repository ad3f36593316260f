"""The staff exit PIN: hashing, checking, and `main.py kiosk set-pin` writing reader.toml."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from reader import cli
from reader.config import load_config
from reader.kiosk import PinError, hash_pin, verify_pin, with_pin_hash, write_pin_hash

ROOT = Path(__file__).resolve().parent.parent
FAST = 1000  # iterations: the real default (200 000) is slow on purpose


def test_hash_format_and_verify():
    stored = hash_pin("2468")
    algorithm, iterations, salt, digest = stored.split("$")
    assert algorithm == "pbkdf2_sha256" and iterations == "200000"
    assert salt and digest and "2468" not in stored
    assert verify_pin("2468", stored)
    assert not verify_pin("2469", stored)
    assert not verify_pin("24680", stored)


def test_salted():
    assert hash_pin("2468", iterations=FAST) != hash_pin("2468", iterations=FAST)
    salt = b"0123456789abcdef"
    assert hash_pin("2468", salt, FAST) == hash_pin("2468", salt, FAST)


@pytest.mark.parametrize("pin", ["", "123", "1234567890123", "12a4", " 1234", "١٢٣٤", "12 34"])
def test_pin_rules(pin):
    with pytest.raises(PinError, match="4 to 12 digits"):
        hash_pin(pin)


@pytest.mark.parametrize("stored", [
    "", "2468", "garbage", "pbkdf2_sha256$1000$c2FsdA==", "md5$1000$c2FsdA==$c2FsdA==",
    "pbkdf2_sha256$x$c2FsdA==$c2FsdA==", "pbkdf2_sha256$0$c2FsdA==$c2FsdA==",
    "pbkdf2_sha256$999999999$c2FsdA==$c2FsdA==", "pbkdf2_sha256$1000$!!$c2FsdA==",
    "pbkdf2_sha256$1000$c2FsdA==$", "pbkdf2_sha256$1000$c2FsdA==$c2FsdA==$extra",
])
def test_malformed_stored_values_never_match(stored):
    assert verify_pin("2468", stored) is False


def test_non_digit_pin_never_matches():
    assert not verify_pin("abcd", hash_pin("2468", iterations=FAST))


STORED = "pbkdf2_sha256$1000$c2FsdA==$aGFzaA=="
LINE = f'exit_pin_hash = "{STORED}"'


@pytest.mark.parametrize("before, after", [
    ("", f"[kiosk]\n{LINE}\n"),
    ("[smtp]\nhost = \"mail\"", f"[smtp]\nhost = \"mail\"\n\n[kiosk]\n{LINE}\n"),
    ("# staff\n[kiosk]\nenabled = true\n\n[smtp]\nhost = \"mail\"\n",
     f"# staff\n[kiosk]\nenabled = true\n{LINE}\n\n[smtp]\nhost = \"mail\"\n"),
    ("[kiosk]\nexit_pin_hash = \"old\"  # set by staff\nidle_seconds = 90\n",
     f"[kiosk]\n{LINE}\nidle_seconds = 90\n"),
    ("[ kiosk ]  # the kiosk\r\nenabled = true\r\n",
     f"[ kiosk ]  # the kiosk\r\nenabled = true\r\n{LINE}\r\n"),
])
def test_with_pin_hash_keeps_everything_else(before, after):
    assert with_pin_hash(before, STORED) == after


def test_write_creates_a_private_file(tmp_path):
    config = tmp_path / "new" / "reader.toml"
    write_pin_hash(config, STORED)
    assert tomllib.loads(config.read_text())["kiosk"]["exit_pin_hash"] == STORED
    if os.name == "posix":
        assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert [p.name for p in config.parent.iterdir()] == ["reader.toml"]  # no temp file left


@pytest.mark.parametrize("text", ["[kiosk\nenabled = true\n", "kiosk = { enabled = true }\n"])
def test_write_refuses_what_it_cannot_edit_safely(tmp_path, text):
    config = tmp_path / "reader.toml"
    config.write_text(text)
    with pytest.raises(PinError, match="left alone"):
        write_pin_hash(config, STORED)
    assert config.read_text() == text


def set_pin(monkeypatch, capsys, config: Path, stdin: str, *extra: str):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(["kiosk", "set-pin", "--config", str(config), *extra])
    return code, capsys.readouterr()


def test_cli_set_pin_from_stdin(tmp_path, monkeypatch, capsys):
    config = tmp_path / "reader.toml"
    config.write_text("# clinic kiosk\n[kiosk]\nenabled = true\nidle_seconds = 90\n")
    code, out = set_pin(monkeypatch, capsys, config, "2468\n", "--pin-stdin")
    assert code == 0 and str(config) in out.out
    kiosk = load_config(config).kiosk
    assert kiosk.enabled and kiosk.idle_seconds == 90
    assert verify_pin("2468", kiosk.exit_pin_hash)
    assert config.read_text().startswith("# clinic kiosk\n[kiosk]\nenabled = true\n")
    if os.name == "posix":
        assert stat.S_IMODE(config.stat().st_mode) == 0o600

    code, _ = set_pin(monkeypatch, capsys, config, "1357\n", "--pin-stdin")
    assert code == 0
    stored = load_config(config).kiosk.exit_pin_hash
    assert verify_pin("1357", stored) and not verify_pin("2468", stored)
    assert config.read_text().count("exit_pin_hash") == 1


@pytest.mark.parametrize("pin", ["12", "abcd", ""])
def test_cli_rejects_a_bad_pin(tmp_path, monkeypatch, capsys, pin):
    config = tmp_path / "reader.toml"
    code, out = set_pin(monkeypatch, capsys, config, pin + "\n", "--pin-stdin")
    assert code == 2 and "4 to 12 digits" in out.err
    assert not config.exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("answers, code", [(["2468", "2468"], 0), (["2468", "2469"], 2)])
def test_cli_prompts_twice_on_a_terminal(tmp_path, monkeypatch, capsys, answers, code):
    import getpass

    prompts = []
    replies = iter(answers)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: prompts.append(prompt) or next(replies))
    monkeypatch.setattr(sys, "stdin", _Terminal())
    config = tmp_path / "reader.toml"
    assert cli.main(["kiosk", "set-pin", "--config", str(config)]) == code
    assert len(prompts) == 2
    if code:
        assert "differ" in capsys.readouterr().err and not config.exists()
    else:
        assert verify_pin("2468", load_config(config).kiosk.exit_pin_hash)


def test_main_py_set_pin(tmp_path):
    config = tmp_path / "reader.toml"
    run = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "kiosk", "set-pin", "--pin-stdin",
         "--config", str(config)],
        input="97531\n", capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert str(config) in run.stdout
    assert verify_pin("97531", load_config(config).kiosk.exit_pin_hash)


@pytest.mark.parametrize("pin", ["1234", "0000", "9876", "123456", "1212", "2580", "890123"])
def test_cli_refuses_a_pin_easy_to_guess(tmp_path, monkeypatch, capsys, pin):
    config = tmp_path / "reader.toml"
    code, out = set_pin(monkeypatch, capsys, config, pin + "\n", "--pin-stdin")
    assert code == 2 and "too easy to guess" in out.err and "nothing was changed" in out.err
    assert f" {pin} " not in out.err.replace("(like 1234)", "").replace("(like 1212)", "")
    assert not config.exists()


def test_cli_empty_stdin_is_no_pin(tmp_path, monkeypatch, capsys):
    code, out = set_pin(monkeypatch, capsys, tmp_path / "reader.toml", "", "--pin-stdin")
    assert code == 2 and "no PIN given" in out.err


@pytest.mark.skipif(os.name != "posix", reason="a pseudo-terminal")
@pytest.mark.parametrize("typed, said", [(b"\x04", "no PIN given (input ended)"),
                                         (b"\r", "no PIN was typed")])
def test_set_pin_at_a_real_terminal_ctrl_d_or_enter_alone(tmp_path, typed, said):
    """At a terminal, Ctrl-D (or Enter alone) ends with a sentence, no traceback."""
    import pty

    config = tmp_path / "reader.toml"
    pid, fd = pty.fork()
    if pid == 0:  # the child: main.py on the terminal
        os.execv(sys.executable, [sys.executable, str(ROOT / "main.py"), "kiosk", "set-pin",
                                  "--config", str(config)])
    output = b""
    try:
        while b"PIN" not in output:
            output += os.read(fd, 1024)
        os.write(fd, typed)
        while True:
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    text = output.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 2, text
    assert said in text and "Traceback" not in text
    assert not config.exists()
