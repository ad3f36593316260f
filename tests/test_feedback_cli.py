"""`feedback submit` and `outbox status | send | export` from the command line."""

from __future__ import annotations

import email
import email.policy
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from smtp_helpers import Inbox, smtp_server

from reader import cli
from reader.outbox import Outbox

REPO = Path(__file__).resolve().parent.parent


class Run:
    def __init__(self, tmp_path: Path, capsys):
        self.data = tmp_path / "data"
        self.config = tmp_path / "reader.toml"
        self.capsys = capsys

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        code = cli.main([*argv, "--data-dir", str(self.data), "--config", str(self.config),
                         "--content", str(REPO / "content")])
        out, err = self.capsys.readouterr()
        return code, out, err

    def smtp(self, port: int, **extra) -> None:
        values = {"host": "127.0.0.1", "port": port, "security": "none", "timeout": 5, **extra}
        lines = ["[smtp]"] + [f"{k} = {json.dumps(v)}" for k, v in values.items()]
        self.config.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def status(self) -> dict:
        code, out, _ = self("outbox", "status", "--json")
        assert code == 0
        return json.loads(out)

    def messages(self, state="queued"):
        with Outbox(self.data / "outbox.sqlite3") as box:
            return box.messages(state)


@pytest.fixture
def run(tmp_path, capsys):
    return Run(tmp_path, capsys)


def submit(run, *extra, comments="Clear answers, thank you."):
    return run("feedback", "submit", "--name", "Ana", "--comments", comments, *extra)


def test_submit_then_status(run):
    code, out, err = submit(run, "--email", "ana@example.org", "--username", "ana1",
                            "--page", "is-ketamine-safe")
    assert code == 0 and "saved <" in out and err == ""
    [message] = run.messages()
    assert (message.page_id, message.page_title) == ("is-ketamine-safe", "Is ketamine safe?")
    assert (message.email, message.username) == ("ana@example.org", "ana1")
    status = run.status()
    assert (status["queued"], status["failed"], status["sending"]) == (1, 0, 0)
    assert status["next_attempt"].endswith("Z")
    code, out, _ = run("outbox", "status")
    assert out.startswith("1 message waiting")
    assert "Clear answers" not in out


def test_comments_from_stdin(run, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Line one\nשורה שתיים\n"))
    code, _, _ = submit(run, comments="-")
    assert code == 0 and run.messages()[0].comments == "Line one\nשורה שתיים"


def test_stdin_that_is_not_utf8_exits_2(run, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"caf\xe9"), "utf-8"))
    code, _, err = submit(run, comments="-")
    assert code == 2 and "UTF-8" in err


@pytest.mark.parametrize("args, reason", [
    (["--name", "  ", "--comments", "hi"], "name"),
    (["--name", "Ana", "--comments", "   "], "comments"),
    (["--name", "Ana", "--comments", "x" * 5001], "5,000"),
    (["--name", "Ana", "--comments", "hi", "--email", "a@b.org, c@d.org"], "email"),
    (["--name", "Ana", "--comments", "hi", "--email", "a@b.org\r\nBcc: x@y.org"], "email"),
    (["--name", "Ana", "--comments", "hi", "--page", "no-such-question"], "no-such-question"),
])
def test_invalid_submission_exits_2_with_the_reason(run, args, reason):
    code, out, err = run("feedback", "submit", *args)
    assert code == 2 and reason in err and err.startswith("error:")
    assert run.status()["queued"] == 0


def test_send_without_smtp_keeps_messages_and_exits_78(run):
    code, out, _ = run("outbox", "send")
    assert code == 0 and "nothing to send" in out
    submit(run)
    code, _, err = run("outbox", "send")
    assert code == 78 and "not set up" in err and str(run.config) in err  # EX_CONFIG
    assert run.status()["queued"] == 1


def test_a_refused_recipient_fixed_then_retried_is_delivered_exactly_once(run):
    """550 (a typo in the recipient): failed for good; fixed, `outbox retry`, sent once."""
    submit(run, comments="first")
    submit(run, comments="second")
    inbox = Inbox(replies=["550 5.1.1 no such mailbox", "550 5.1.1 no such mailbox"])
    with smtp_server(inbox) as server:
        run.smtp(server.port, recipient="feedbak@ketaminenetwork.org")
        code, out, _ = run("outbox", "send")
        assert code == 1 and "2 failed permanently" in out
        code, out, err = run("outbox", "send")  # nothing queued, but nothing is done either
        assert code == 0 and out.startswith("0 sent") and len(run.messages("failed")) == 2
        assert "2 message(s) failed for good and are kept" in err and "outbox retry" in err
        code, out, _ = run("outbox", "status")
        assert "2 messages could not be sent" in out and "550 5.1.1 no such mailbox" in out
        ids = [m.id for m in run.messages("failed")]
        assert f"--id {ids[0]}" in out and "first" not in out  # ids, never the text

        run.smtp(server.port, recipient="feedback@ketaminenetwork.org")  # fixed
        code, out, _ = run("outbox", "retry", "--id", str(ids[0]))
        assert code == 0 and out.startswith("1 message(s) queued again")
        code, out, _ = run("outbox", "retry")
        assert code == 0 and out.startswith("1 message(s) queued again")
        code, out, _ = run("outbox", "send")
        assert code == 0 and out.startswith("2 sent")
        code, out, err = run("outbox", "send")
        assert code == 0 and out.startswith("0 sent") and "failed for good" not in err
    assert len(inbox.messages) == 2  # each exactly once
    assert sorted(m.get_content().split("Your comments about this page:")[1].strip()
                  for m in inbox.messages) == ["first", "second"]
    assert [rcpt for _, rcpt in inbox.envelopes] == [["feedback@ketaminenetwork.org"]] * 2
    assert run.status()["failed"] == 0 and run.status()["queued"] == 0


def test_retry_of_a_message_that_has_not_failed_exits_2(run):
    submit(run)
    [message] = run.messages()
    code, _, err = run("outbox", "retry", "--id", str(message.id))
    assert code == 2 and "it has not failed: it is queued" in err
    code, _, err = run("outbox", "retry", "--id", "999")
    assert code == 2 and "there is no such message" in err
    code, out, _ = run("outbox", "retry")
    assert code == 0 and "nothing to queue again" in out


def test_no_password_is_a_setup_problem_78_and_the_message_is_kept(run, monkeypatch,
                                                                   certificate):
    submit(run)
    inbox = Inbox()
    with smtp_server(inbox, tls=certificate, logins={"kiosk": "s3cret"}) as server:
        run.smtp(server.port, username="kiosk", password_env="KFR_TEST_SMTP_PASSWORD",
                 security="starttls", ca_file=str(certificate[0]))
        code, out, err = run("outbox", "send")
        assert code == 78, (out, err)
        assert "KFR_TEST_SMTP_PASSWORD is not set" in err and "setup problem" in err
        assert out.startswith("0 sent, 1 kept (the SMTP password is missing")  # nothing tried
        assert run.status()["queued"] == 1
        monkeypatch.setenv("KFR_TEST_SMTP_PASSWORD", "wrong")
        code, out, err = run("outbox", "send")
        assert code == 78 and "535" in err  # a refused login: no later try helps
        monkeypatch.setenv("KFR_TEST_SMTP_PASSWORD", "s3cret")
        code, out, _ = run("outbox", "send")
        assert code == 0 and out.startswith("1 sent")
    assert len(inbox.messages) == 1


def test_the_password_from_a_systemd_credential(run, tmp_path, monkeypatch, certificate):
    submit(run)
    credentials = tmp_path / "credentials"
    credentials.mkdir(mode=0o700)
    (credentials / "smtp-password").write_text("s3cret\n")
    inbox = Inbox()
    with smtp_server(inbox, tls=certificate, logins={"kiosk": "s3cret"}) as server:
        run.smtp(server.port, username="kiosk", password_credential="smtp-password",
                 security="starttls", ca_file=str(certificate[0]))
        code, _, err = run("outbox", "send")
        assert code == 78 and "$CREDENTIALS_DIRECTORY is not set" in err
        monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(credentials))
        code, out, _ = run("outbox", "send")
        assert code == 0 and out.startswith("1 sent")
    assert len(inbox.messages) == 1


def test_an_untrusted_certificate_is_78_and_unreachable_is_75(run, certificate):
    submit(run)
    with smtp_server(Inbox(), tls=certificate) as server:
        run.smtp(server.port, security="starttls")
        code, _, err = run("outbox", "send")
    assert code == 78 and "certificate not trusted" in err
    run.smtp(server.port)  # the server is gone: connection refused, a passing problem
    code, out, err = run("outbox", "send")
    assert code == 75 and "will be tried again" in out and err == ""
    assert run.status()["queued"] == 1


def test_status_counts_a_message_stuck_in_sending_and_its_lease(run):
    import time

    submit(run)
    [message] = run.messages()
    with Outbox(run.data / "outbox.sqlite3") as box:  # a sender killed after claiming it
        assert box.claim(message.id, "killed-sender", time.time(), 600) is not None
    status = run.status()
    assert (status["queued"], status["sending"]) == (0, 1)
    assert status["sending_until"].endswith("Z")
    code, out, _ = run("outbox", "status")
    assert out.startswith("1 message waiting")
    assert "1 being sent now, or held by a sender that stopped; not delivered yet" in out
    assert f"lease ends at {status['sending_until']}" in out


def test_send_delivers_and_exits_0(run):
    submit(run)
    submit(run, comments="second")
    inbox = Inbox()
    with smtp_server(inbox) as server:
        run.smtp(server.port, sender="kiosk@clinic.example")
        code, out, _ = run("outbox", "send")
    assert code == 0 and "2 sent" in out and len(inbox.messages) == 2
    assert run.status() == {"queued": 0, "sending": 0, "failed": 0, "next_attempt": None,
                            "sending_until": None, "last_error": "", "email_configured": True}


def test_send_ignores_backoff_and_exits_75_while_waiting(run):
    submit(run)
    with smtp_server(Inbox(replies=["451 later", "451 later"])) as server:
        run.smtp(server.port)
        assert run("outbox", "send")[0] == 75
        code, out, _ = run("outbox", "send")  # tried again at once, backoff or not
        assert code == 75 and "will be tried again" in out
        assert run.messages()[0].attempts == 2
        assert run("outbox", "send")[0] == 0


def test_send_exits_1_on_permanent_failure(run):
    submit(run)
    with smtp_server(Inbox(replies=["550 no such mailbox"])) as server:
        run.smtp(server.port)
        code, out, _ = run("outbox", "send")
    assert code == 1 and "1 failed permanently" in out
    assert run.status()["failed"] == 1


def test_bad_config_exits_2(run):
    run.config.write_text('[smtp]\nhost = "mail.example.org"\nsecurity = "none"\n')
    submit(run)
    code, _, err = run("outbox", "send")
    assert code == 2 and "loopback" in err


def test_export_writes_eml_files_and_empties_the_queue(run, tmp_path):
    submit(run, "--email", "ana@example.org", comments="export me — ünïcode")
    submit(run, comments="and me")
    ids = [m.message_id for m in run.messages()]
    folder = tmp_path / "usb"
    code, out, _ = run("outbox", "export", str(folder), "--keep")
    assert code == 0 and "exported 2" in out and run.status()["queued"] == 2
    code, _, _ = run("outbox", "export", str(folder))
    assert code == 0 and run.status()["queued"] == 0
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 2 and not list(folder.glob(".*"))
    mails = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
             for f in files]
    assert sorted(m["Message-ID"] for m in mails) == sorted(ids)
    bodies = " ".join(m.get_content() for m in mails)
    assert "export me — ünïcode" in bodies and "and me" in bodies
    if os.name == "posix":
        assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert b"export me" not in (run.data / "outbox.sqlite3").read_bytes()


def test_export_failed_messages_for_staff(run, tmp_path):
    submit(run)
    with smtp_server(Inbox(replies=["554 no"])) as server:
        run.smtp(server.port)
        run("outbox", "send")
    code, out, _ = run("outbox", "export", str(tmp_path / "failed"), "--failed")
    assert code == 0 and "exported 1" in out and run.status()["failed"] == 0


def test_unusable_outbox_exits_1(run):
    run.data.mkdir(mode=0o700)
    (run.data / "outbox.sqlite3").write_bytes(b"garbage" * 1000)
    code, _, err = run("outbox", "status")
    assert code == 1 and "outbox" in err


def test_two_scheduled_senders_at_once_send_each_message_once(run):
    for n in range(30):
        submit(run, comments=f"message {n}")
    ids = sorted(m.message_id for m in run.messages())
    inbox = Inbox()
    with smtp_server(inbox) as server:
        run.smtp(server.port)
        argv = [sys.executable, "main.py", "outbox", "send", "--data-dir", str(run.data),
                "--config", str(run.config)]
        children = [subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [child.communicate(timeout=60) for child in children]
    assert [child.returncode for child in children] == [0, 0], results
    assert sorted(inbox.message_ids) == ids


# --- review fixes: a failed export, the export folder, a bad host -----------------------


def data_files(path: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)
    )


def test_failed_export_leaves_no_partial_file_and_purges_what_was_exported(
        run, tmp_path, monkeypatch):
    submit(run, comments="first-exported-words")
    submit(run, comments="second-waits")
    calls = []
    real_fsync = os.fsync

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 2:  # the USB stick is full while writing the second message
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    folder = tmp_path / "usb"
    with Outbox(run.data / "outbox.sqlite3") as window:  # the reader app is open meanwhile
        code, _, err = run("outbox", "export", str(folder))
        blob = data_files(window.path)
    assert code == 1 and "cannot export" in err and "No space left" in err
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
    assert len(list(folder.glob("*.eml"))) == 1
    assert b"first-exported-words" not in blob and b"second-waits" in blob
    assert [m.comments for m in run.messages()] == ["second-waits"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_export_folder_created_private_and_an_existing_one_left_alone(run, tmp_path):
    submit(run)
    new = tmp_path / "new"
    old_umask = os.umask(0o222)
    try:
        code, _, _ = run("outbox", "export", str(new), "--keep")
    finally:
        os.umask(old_umask)
    assert code == 0 and stat.S_IMODE(new.stat().st_mode) == 0o700
    assert [stat.S_IMODE(f.stat().st_mode) for f in new.glob("*.eml")] == [0o600]
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    code, _, err = run("outbox", "export", str(shared))
    assert code == 0 and err == "" and stat.S_IMODE(shared.stat().st_mode) == 0o755


def test_invalid_smtp_host_exits_2_naming_the_file_and_key(run):
    submit(run)
    run.config.write_text('[smtp]\nhost = "exa mple..com"\n', encoding="utf-8")
    code, _, err = run("outbox", "send")
    assert code == 2 and "[smtp] host" in err and str(run.config) in err
    code, _, err = run("outbox", "status")  # read the same way, failing the same way
    assert code == 2 and "[smtp] host" in err
    assert len(run.messages()) == 1
    run.config.unlink()
    assert run.status()["queued"] == 1 and run.status()["email_configured"] is False


def test_status_and_submit_say_when_email_is_not_set_up(run):
    code, out, _ = submit(run)
    assert code == 0 and "on this computer only: email is not set up" in out
    assert "will be emailed" not in out
    code, out, _ = run("outbox", "status")
    assert code == 0 and "email: not configured" in out
    run.smtp(2525)
    code, out, _ = submit(run)
    assert "will be sent to feedback@ketaminenetwork.org" in out
    code, out, _ = run("outbox", "status")
    assert "email: to feedback@ketaminenetwork.org through 127.0.0.1:2525 (none)" in out


# --- outbox commands read reader.toml as the window does, and refuse any mistake -----------


@pytest.mark.parametrize("command", [["outbox", "status"], ["outbox", "status", "--json"],
                                     ["outbox", "send"], ["outbox", "export", "EXPORT"]])
@pytest.mark.parametrize(("text", "named"), [
    ('[smtp]\nhost = "mail.example.org"\nport = "25"\n', "[smtp] port"),
    ('[content]\ncrisis_line = 988\n', "[content] crisis_line"),
    ('[kiosk]\nidle_seconds = 0\n', "[kiosk] idle_seconds"),
    ('[smtp]\nsender = "a@b.org\\r\\nBcc: c@d.org"\n', "[smtp] sender"),
    ('[smtp]\nhost = "mail.example.org"\nsecurity = tls\n', "line 3 in [smtp]"),
    ('[mail]\nhost = "x"\n', "unknown section [mail]"),
])
def test_outbox_commands_exit_2_on_any_config_mistake(run, tmp_path, command, text, named):
    submit(run)
    run.config.write_text(text, encoding="utf-8")
    argv = [str(tmp_path / "export") if arg == "EXPORT" else arg for arg in command]
    code, out, err = run(*argv)
    assert code == 2, (out, err)
    assert err.startswith(f"error: {run.config}: ") and named in err
    assert out == ""
    assert len(run.messages()) == 1  # nothing sent, exported or deleted
    assert not (tmp_path / "export").exists()


def test_status_says_whether_email_is_configured(run):
    submit(run)
    code, out, err = run("outbox", "status")
    assert code == 0 and err == ""
    assert f"email: not configured (no [smtp] host in {run.config})" in out
    assert run.status()["email_configured"] is False
    run.smtp(2525)
    code, out, _ = run("outbox", "status")
    assert "email: to feedback@ketaminenetwork.org through 127.0.0.1:2525 (none)" in out
    assert run.status()["email_configured"] is True


def test_search_warns_about_a_config_mistake_and_still_answers(run):
    run.config.write_text('[content]\ncrisis_line = 988\n', encoding="utf-8")
    code, out, err = run("search", "--json", "horse")
    assert code == 0
    assert err == f"warning: {run.config}: [content] crisis_line must be text in quotes, " \
                  "not 988\n"
    assert "horse-tranquilizer" in out


# --- config check --------------------------------------------------------------------------


def test_config_check_prints_the_settings_in_effect_never_the_password(run, monkeypatch):
    monkeypatch.setenv("KFR_TEST_SMTP_PASSWORD", "hunter2-correct-horse")
    run.config.write_text("""\
[smtp]
host = "mail.example.org"
username = "kiosk"
password_env = "KFR_TEST_SMTP_PASSWORD"
sender = "kiosk@clinic.example"

[kiosk]
enabled = true
exit_pin_hash = "pbkdf2_sha256$1000$c2FsdA==$aGFzaA=="
keyboard = false
crisis_note = "Tell the front desk."

[reader]
language = "es"
""", encoding="utf-8")
    code, out, err = run("config", "check")
    assert code == 0 and err == ""
    assert out.startswith(f"# {run.config}\n")
    for line in ('[smtp]  # email: to feedback@ketaminenetwork.org through mail.example.org:587',
                 'host = "mail.example.org"', "port = 587", 'security = "starttls"',
                 'password_env = "KFR_TEST_SMTP_PASSWORD"  # the password is read from it; '
                 'here it is set', 'sender = "kiosk@clinic.example"',
                 "[kiosk]  # a kiosk at every start", "enabled = true", "keyboard = false",
                 'crisis_note = "Tell the front desk."', 'language = "es"', "timeout = 20.0",
                 'exit_pin_hash = "(set, not shown)"  # staff can close the kiosk with the PIN',
                 "# no problems"):
        assert line in out.splitlines(), line
    assert "hunter2" not in out and "aGFzaA" not in out
    monkeypatch.delenv("KFR_TEST_SMTP_PASSWORD")
    _, out, _ = run("config", "check")
    assert "here it is NOT set" in out


def test_config_check_lists_every_problem_and_exits_2(run):
    run.config.write_text('[smtp]\nport = "x"\nhots = "y"\n[kiosk]\nenabled = yes\n',
                          encoding="utf-8")
    code, out, err = run("config", "check")
    assert code == 2
    assert err.splitlines() == [
        f"error: {run.config}: line 5 in [kiosk]: not valid TOML: Invalid value",
        f"error: {run.config}: [smtp] hots is not a known setting (known: ca_file, host, "
        "password_credential, password_env, port, recipient, security, sender, timeout, "
        "username); did you mean host?",
        f"error: {run.config}: [smtp] port must be a whole number, not 'x'",
        f"error: {run.config}: [kiosk] has a mistake that may hide enabled = true, so the "
        "reader starts as a kiosk; a readable enabled = false makes it a desktop",
    ]
    assert "[kiosk]  # a kiosk at every start" in out  # what the window does with it
    assert 'host = ""' in out and "port = 587" in out  # [smtp] falls back whole
    assert "[smtp]  # email: off, [smtp] has a mistake (named below)" in out
    assert "# 4 problem(s)" in out


def test_config_check_without_a_file_shows_the_defaults(run, capsys):
    code = cli.main(["config", "check", "--content", str(REPO / "content")])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    default = Path(os.environ["XDG_CONFIG_HOME"]) / "ketamine-faq-reader" / "reader.toml"
    assert out.startswith(f"# {default} does not exist: every setting is its default")
    assert "[smtp]  # email: not configured (no host): feedback waits in the outbox" in out
    assert 'crisis_line = ""  # the content\'s own: In crisis? Call or text 988' in out


def test_config_check_refuses_a_mistyped_config_path(run, monkeypatch):
    code, out, err = run("config", "check")  # run passes --config, to a file not there
    assert code == 2
    assert err == (f"error: {run.config}: does not exist (named by --config); check the path, "
                   "or leave it out to use the default\n")
    monkeypatch.setenv("KFR_CONFIG", str(run.config))
    code = cli.main(["config", "check"])
    assert code == 2 and "(named by KFR_CONFIG)" in run.capsys.readouterr().err


@pytest.mark.parametrize("source, named", [
    ('password_env = "KFR_TEST_SMTP_PASSWORD"',
     "password_env names KFR_TEST_SMTP_PASSWORD, which is not set here"),
    ('password_credential = "kfr-test-smtp-password"',
     "password_credential names 'kfr-test-smtp-password', but "
     "/etc/ketamine-faq-reader/kfr-test-smtp-password does not exist"),
    ("", "username needs a password: set password_env"),
])
def test_config_check_exits_2_when_the_password_source_is_missing(run, source, named):
    run.config.write_text(f'[smtp]\nhost = "mail.example.org"\nusername = "kiosk"\n{source}\n')
    code, out, err = run("config", "check")
    assert code == 2 and named in err, err
    assert "# 1 problem(s)" in out


def test_config_check_accepts_a_credential_that_is_there(run, tmp_path, monkeypatch):
    run.config.write_text('[smtp]\nhost = "mail.example.org"\nusername = "kiosk"\n'
                          'password_credential = "smtp-password"\n')
    (tmp_path / "smtp-password").write_text("s3cret")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))  # as systemd runs it
    code, out, err = run("config", "check")
    assert code == 0 and err == "" and "s3cret" not in out
    assert 'password_credential = "smtp-password"  # the password is read from this ' \
           "systemd credential" in out
    (tmp_path / "smtp-password").write_text("")
    code, _, err = run("config", "check")
    assert code == 2 and "is empty" in err
