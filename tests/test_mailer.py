"""Mail building and delivery against real SMTP servers on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from smtp_helpers import (
    Inbox,
    settings_for,
    silent_server,
    smtp_server,
    wait_until,
)

from reader import __version__, mailer
from reader.config import DEFAULT_RECIPIENT, SmtpSettings
from reader.feedback import FeedbackInput
from reader.mailer import (
    SUBJECT,
    MailError,
    body_text,
    build_message,
    deliver_pending,
    header_value,
)
from reader.outbox import Outbox

REPO = Path(__file__).resolve().parent.parent
T0 = 1_700_000_000.0


def submit(outbox, comments="The answer about dosing helped.", now=None, **kw) -> str:
    kw.setdefault("name", "Ana")
    return outbox.submit(FeedbackInput(comments=comments, **kw), now=now)


def queued(outbox):
    return outbox.messages("queued")


# --- building ----------------------------------------------------------------------------


def test_message_headers_and_body(outbox):
    message_id = submit(outbox, email="ana@example.org", username="ana1",
                        page_id="is-ketamine-safe", page_title="Is ketamine safe?", now=T0)
    mail = build_message(queued(outbox)[0], SmtpSettings(sender="kiosk@clinic.example"))
    assert mail["Subject"] == SUBJECT
    assert mail["From"] == "kiosk@clinic.example"
    assert mail["To"] == DEFAULT_RECIPIENT
    assert mail["Reply-To"] == "ana@example.org"
    assert mail["Message-ID"] == message_id
    assert mail["Date"].startswith("Tue, 14 Nov 2023 22:13:20")
    body = mail.get_content()
    for text in ("The answer about dosing helped.", "Ana", "ana1", "Is ketamine safe?",
                 "is-ketamine-safe", f"App version: {__version__}", "14 Nov 2023 22:13:20"):
        assert text in body


def test_sender_defaults_to_recipient_and_no_reply_to_without_email(outbox):
    submit(outbox)
    mail = build_message(queued(outbox)[0], SmtpSettings(recipient="staff@clinic.example"))
    assert mail["From"] == mail["To"] == "staff@clinic.example"
    assert "Reply-To" not in mail


INJECTIONS = [
    "x\r\nBcc: eve@evil.example",
    "x\nBcc: eve@evil.example",
    "x\rBcc: eve@evil.example",
    "=?utf-8?q?x=0D=0ABcc:_eve@evil.example?=",
    "ana@example.org, eve@evil.example",
    "Ana <eve@evil.example>",
    "x\u2028Bcc: eve@evil.example",
    "x\x85Bcc: eve@evil.example",
]


@pytest.mark.parametrize("attack", INJECTIONS)
@pytest.mark.parametrize("field", ["name", "username", "page_id", "page_title", "comments"])
def test_no_field_becomes_a_header(outbox, field, attack):
    values = {"name": "Ana", "comments": "fine", field: attack}
    outbox.submit(FeedbackInput(**values))
    data = build_message(queued(outbox)[0], SmtpSettings()).as_bytes()
    head = data.split(b"\r\n\r\n", 1)[0]
    assert b"evil" not in head and b"Bcc" not in head
    assert sorted(line.split(b":")[0] for line in head.split(b"\r\n")) == sorted([
        b"Subject", b"From", b"To", b"Date", b"Message-ID", b"Content-Type",
        b"Content-Transfer-Encoding", b"MIME-Version"])


@pytest.mark.parametrize("attack", INJECTIONS)
def test_bad_email_is_refused_at_submit_and_never_a_header(outbox, attack):
    with pytest.raises(ValueError):
        submit(outbox, email=attack)
    # even if one reached the database another way, it never becomes Reply-To
    submit(outbox)
    outbox._db.execute("UPDATE message SET email = ?", (attack,))
    data = build_message(queued(outbox)[0], SmtpSettings()).as_bytes()
    assert b"Reply-To" not in data.split(b"\r\n\r\n", 1)[0]


@pytest.mark.parametrize("value", ["a\r\nb", "a\nb", "=?utf-8?b?QmNjOg==?=", "caf\u00e9"])
def test_header_value_refuses_unsafe_text(value):
    with pytest.raises(MailError):
        header_value(value)


@pytest.mark.parametrize("setting", ["sender", "recipient"])
def test_bad_configured_address_sends_nothing(outbox, setting):
    submit(outbox)
    settings = settings_for(1, **{setting: "a@example.org, b@example.org"})
    report = deliver_pending(outbox, settings)
    assert report.sent == 0 and "not one plain email address" in report.error
    assert queued(outbox)[0].attempts == 0


def test_unicode_and_right_to_left_text_arrive_intact(outbox):
    comments = "שלום, זה עזר לי מאוד.\nمرحبا \u202eevil\u202c\n日本語 — ünïcödé 🙂\n.\n..lone dots"
    name = "José Ñúñez עברית"
    submit(outbox, comments=comments, name=name, email="jose@exämple.org")
    inbox = Inbox()
    with smtp_server(inbox) as server:
        report = deliver_pending(outbox, settings_for(server.port))
    assert report.sent == 1
    [mail] = inbox.messages
    body = mail.get_content().replace("\r\n", "\n")
    assert comments in body and name in body
    assert mail["Reply-To"] == "jose@xn--exmple-cua.org"
    assert all(byte < 128 for byte in inbox.raw[0])  # 7-bit clean on the wire


# --- delivery ----------------------------------------------------------------------------


def test_delivers_everything_over_one_connection(outbox):
    ids = [submit(outbox, comments=f"message {n}") for n in range(5)]
    inbox = Inbox()
    with smtp_server(inbox) as server:
        report = deliver_pending(outbox, settings_for(server.port, sender="kiosk@clinic.example"))
    assert (report.sent, report.waiting, report.failed, report.error) == (5, 0, 0, "")
    assert inbox.message_ids == ids
    assert len(inbox.sessions) == 1
    assert inbox.envelopes[0] == ("kiosk@clinic.example", [DEFAULT_RECIPIENT])
    assert outbox.status().waiting == 0 and report.next_attempt is None


def test_temporary_failure_then_success(outbox):
    message_id = submit(outbox, now=T0)
    inbox = Inbox(replies=["451 4.3.0 try again later"])
    with smtp_server(inbox) as server:
        settings = settings_for(server.port)
        report = deliver_pending(outbox, settings, now=T0)
        assert (report.sent, report.retrying, report.waiting) == (0, 1, 1)
        assert report.next_attempt == T0 + 60
        [waiting] = queued(outbox)
        assert waiting.attempts == 1 and waiting.last_error.startswith("451")
        assert deliver_pending(outbox, settings, now=T0 + 30).sent == 0  # backing off
        report = deliver_pending(outbox, settings, now=T0 + 60)
    assert report.sent == 1 and inbox.message_ids == [message_id]


def test_permanent_failure_is_kept_and_not_retried(outbox):
    submit(outbox, now=T0)
    second = submit(outbox, now=T0 + 1)
    inbox = Inbox(replies=["554 5.7.1 rejected"])
    with smtp_server(inbox) as server:
        report = deliver_pending(outbox, settings_for(server.port), now=T0 + 2)
        assert (report.sent, report.failed) == (1, 1)
        [failed] = outbox.messages("failed")
        assert failed.last_error.startswith("554")
        again = deliver_pending(outbox, settings_for(server.port), now=T0 + 10**6,
                                ignore_backoff=True)
    assert again.sent == 0 and inbox.message_ids == [second]


def test_connection_dropped_after_data_keeps_the_message(outbox):
    message_id = submit(outbox, now=T0)
    other = submit(outbox, now=T0 + 1)
    inbox = Inbox(replies=["drop"])
    with smtp_server(inbox) as server:
        report = deliver_pending(outbox, settings_for(server.port), now=T0 + 2)
        assert report.sent == 0 and report.retrying == 2 and "connection lost" in report.error
        assert len(queued(outbox)) == 2
        report = deliver_pending(outbox, settings_for(server.port), now=T0 + 100)
    assert report.sent == 2
    # it may have arrived twice, always with the same Message-ID
    assert inbox.message_ids == [message_id, message_id, other]


def test_refused_connection_backs_off_every_due_message(outbox):
    for n in range(3):
        submit(outbox, now=T0 + n)
    report = deliver_pending(outbox, settings_for(1), now=T0 + 5)
    assert report.retrying == 3 and "refused" in report.error.lower()
    assert not report.setup  # a passing problem: `outbox send` exits 75
    assert [m.attempts for m in queued(outbox)] == [1, 1, 1]
    assert report.next_attempt == T0 + 65


def test_server_that_never_answers_times_out(outbox):
    submit(outbox)
    with silent_server() as port:
        started = time.monotonic()
        report = deliver_pending(outbox, settings_for(port, timeout=0.3))
    assert time.monotonic() - started < 3
    assert report.sent == 0 and "timed out" in report.error and not report.setup
    assert queued(outbox)[0].attempts == 1


def test_not_configured_sends_nothing_and_changes_nothing(outbox):
    submit(outbox)
    report = deliver_pending(outbox, SmtpSettings())
    assert report.waiting == 1 and "not set up" in report.error
    assert queued(outbox)[0].attempts == 0


def test_none_security_refused_for_a_remote_host(outbox):
    submit(outbox)
    report = deliver_pending(outbox, SmtpSettings(host="mail.example.org", security="none"))
    assert "loopback" in report.error and report.sent == 0


# --- TLS and login -----------------------------------------------------------------------


def test_starttls_refuses_an_unknown_certificate(outbox, certificate):
    submit(outbox)
    inbox = Inbox()
    with smtp_server(inbox, tls=certificate) as server:
        report = deliver_pending(outbox, settings_for(server.port, security="starttls"))
    assert report.sent == 0 and "certificate" in report.error and inbox.messages == []
    assert report.setup  # staff must mend it: `outbox send` exits 78, not 75
    assert len(queued(outbox)) == 1


def test_starttls_with_ca_file_and_password_from_environment(outbox, certificate, monkeypatch):
    submit(outbox)
    monkeypatch.setenv("KFR_TEST_SMTP_PASSWORD", "s3cret")
    inbox = Inbox()
    with smtp_server(inbox, tls=certificate, logins={"kiosk": "s3cret"}) as server:
        settings = settings_for(server.port, security="starttls", ca_file=certificate[0],
                                username="kiosk", password_env="KFR_TEST_SMTP_PASSWORD")
        report = deliver_pending(outbox, settings)
        assert report.sent == 1 and len(inbox.messages) == 1
        submit(outbox)
        monkeypatch.setenv("KFR_TEST_SMTP_PASSWORD", "wrong")
        report = deliver_pending(outbox, settings)
        assert report.sent == 0 and "535" in report.error and len(queued(outbox)) == 1
        assert report.setup
        monkeypatch.delenv("KFR_TEST_SMTP_PASSWORD")
        report = deliver_pending(outbox, settings, ignore_backoff=True)
        assert "KFR_TEST_SMTP_PASSWORD" in report.error and report.setup


def test_starttls_required_when_the_server_does_not_offer_it(outbox):
    submit(outbox)
    with smtp_server(Inbox()) as server:
        report = deliver_pending(outbox, settings_for(server.port, security="starttls"))
    assert "STARTTLS" in report.error and report.sent == 0


def test_implicit_tls(outbox, certificate):
    submit(outbox)
    inbox = Inbox()
    with smtp_server(inbox, tls=certificate, implicit_tls=True) as server:
        refused = deliver_pending(outbox, settings_for(server.port, security="tls"))
        assert "certificate" in refused.error
        report = deliver_pending(outbox, settings_for(server.port, security="tls",
                                                      ca_file=certificate[0]),
                                 ignore_backoff=True)
    assert report.sent == 1 and len(inbox.messages) == 1


# --- several senders, crashes, secrecy ---------------------------------------------------


def test_concurrent_senders_send_each_message_once(outbox):
    ids = [submit(outbox, comments=f"m{n}") for n in range(40)]
    inbox = Inbox()
    with smtp_server(inbox) as server:
        settings = settings_for(server.port)
        reports = []

        def sender():
            with Outbox(outbox.path) as mine:
                reports.append(deliver_pending(mine, settings))

        threads = [threading.Thread(target=sender) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(inbox.message_ids) == sorted(ids)
    assert sum(r.sent for r in reports) == 40


SENDER_CHILD = """
import sys
from reader.config import SmtpSettings
from reader.mailer import deliver_pending
from reader.outbox import Outbox
with Outbox(sys.argv[1]) as box:
    deliver_pending(box, SmtpSettings(host="127.0.0.1", port=int(sys.argv[2]), security="none",
                                      timeout=30))
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("server_accepted", [False, True])
def test_sender_killed_mid_send_loses_nothing(outbox, server_accepted):
    message_id = submit(outbox, comments="killed mid-send")
    hold = threading.Event()
    inbox = Inbox(replies=["250 OK" if server_accepted else "451 never answered"], hold=hold)
    with smtp_server(inbox) as server:
        child = subprocess.Popen(
            [sys.executable, "-c", SENDER_CHILD, str(outbox.path), str(server.port)], cwd=REPO
        )
        assert inbox.received.wait(20)  # the child waits for the reply to its DATA
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        hold.set()
        assert outbox.status().sending == 1
        # nothing happens while the dead sender's lease lasts; afterwards it is sent again
        assert deliver_pending(outbox, settings_for(server.port)).sent == 0
        report = deliver_pending(outbox, settings_for(server.port), now=time.time() + 400)
    assert report.sent == 1 and outbox.status().waiting == 0
    expected = [message_id, message_id] if server_accepted else [message_id]
    assert inbox.message_ids == expected


def test_delivered_text_absent_from_data_files(outbox):
    secret = "only-for-the-network " * 50
    submit(outbox, comments=secret, name="Private Person")
    with smtp_server(Inbox()) as server:
        assert deliver_pending(outbox, settings_for(server.port)).sent == 1
    files = [p for p in outbox.path.parent.iterdir() if p.name.startswith(outbox.path.name)]
    assert {p.name[len(outbox.path.name):] for p in files} <= {"", "-wal", "-shm"}
    for path in files:
        data = path.read_bytes()
        assert b"only-for-the-network" not in data and b"Private Person" not in data


def test_comments_never_logged(outbox, caplog):
    caplog.set_level("DEBUG")
    submit(outbox, comments="log-me-not")
    with smtp_server(Inbox(replies=["451 later", "554 no"])) as server:
        deliver_pending(outbox, settings_for(server.port))
        deliver_pending(outbox, settings_for(server.port), ignore_backoff=True)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("reader"))
    assert "not sent" in ours and "log-me-not" not in ours


def test_body_text_lists_missing_fields():
    from reader.outbox import Message

    message = Message(1, "<a@b>", T0, "queued", "Ana", "", "", "", "", "hi", "1.0", 0, T0, "")
    body = body_text(message)
    assert "Your email: (not given)" in body and "Question: (none)" in body


def test_should_stop_leaves_the_rest_queued(outbox):
    for n in range(3):
        submit(outbox, comments=f"s{n}")
    inbox = Inbox()
    with smtp_server(inbox) as server:
        report = deliver_pending(outbox, settings_for(server.port),
                                 should_stop=lambda: len(inbox.messages) >= 1)
    assert report.sent == 1 and report.waiting == 2


def test_wait_helper_times_out():
    with pytest.raises(AssertionError):
        wait_until(lambda: False, timeout=0.05)


# --- review fixes: host names IDNA refuses, an outbox closed mid-send -------------------


@pytest.mark.parametrize("host", ["exa mple..com", "a" * 64 + ".example.org", "xn--ü.org"])
def test_invalid_host_name_is_a_connection_problem(outbox, host):
    submit(outbox, now=T0)
    report = deliver_pending(outbox, SmtpSettings(host=host, timeout=1), now=T0)
    assert report.sent == 0 and report.retrying == 1
    assert "host name" in report.error and "not valid" in report.error
    [message] = queued(outbox)
    assert message.attempts == 1 and "not valid" in message.last_error


def test_outbox_closed_mid_send_stops_the_sender_cleanly(tmp_path, monkeypatch):
    path = tmp_path / "outbox.sqlite3"
    box = Outbox(path)
    submit(box, now=T0)
    submit(box, now=T0)
    real_send = mailer.send_one

    def send_then_close(smtp, message, settings):
        real_send(smtp, message, settings)
        box.close()  # the window closed the outbox while this sender was mid-SMTP

    monkeypatch.setattr(mailer, "send_one", send_then_close)
    inbox = Inbox()
    with smtp_server(inbox) as server:
        report = deliver_pending(box, settings_for(server.port), now=T0)
    assert box.closed and report.sent == 0 and "closed" in report.error
    assert len(inbox.messages) == 1
    with Outbox(path) as again:  # sent but not marked: it waits for its lease, then goes again
        status = again.status()
        assert (status.sending, status.queued) == (1, 1)
        assert len(again.due_ids(T0 + 10 * 5.0 + 60 + 1)) == 2


@pytest.mark.parametrize("settings", [SmtpSettings(), SmtpSettings(host="m.example.org",
                                                                   sender="not an address")])
def test_nothing_to_try_on_a_closed_outbox_reports_instead_of_raising(tmp_path, settings):
    box = Outbox(tmp_path / "outbox.sqlite3")
    submit(box)
    box.close()  # the window closed it while a sender found email not set up
    report = deliver_pending(box, settings)
    assert report.sent == report.waiting == 0
    assert "closed" in report.error
