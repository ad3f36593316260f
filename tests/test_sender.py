"""The window's sender (reader/ui/sender.py), against a real SMTP server on loopback."""

from __future__ import annotations

import threading

from smtp_helpers import Inbox, settings_for, smtp_server

from reader import mailer
from reader.feedback import FeedbackInput
from reader.outbox import OutboxStatus
from reader.ui import sender
from reader.ui.sender import OutboxWorker


def entry(comments: str) -> FeedbackInput:
    return FeedbackInput(name="Ana", comments=comments)


def test_a_message_submitted_during_a_failed_run_goes_at_once(qtbot, outbox, monkeypatch):
    """A run that ends in an error (here: the first, held until a message is submitted)
    no longer leaves that message waiting for the 60 s timer."""
    release, calls = threading.Event(), []

    def first_run_breaks(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            release.wait(10)
            raise RuntimeError("the disk went away")
        return mailer.deliver_pending(*args, **kwargs)

    monkeypatch.setattr(sender, "deliver_pending", first_run_breaks)
    inbox = Inbox()
    with smtp_server(inbox) as server:
        worker = OutboxWorker(outbox, settings_for(server.port))
        worker.start()  # the first run starts, and is held
        qtbot.waitUntil(lambda: len(calls) == 1)
        outbox.submit(entry("written while the run failed"))
        worker.kick()  # as the session does after a submission: noted for after this run
        with qtbot.waitSignal(worker.deliveryFinished, timeout=10_000) as blocker:
            release.set()
        assert blocker.args[0].sent == 1
        assert worker.stop()
    assert len(inbox.messages) == 1


def test_the_status_line_is_worded_once_in_both_languages(qtbot):
    worker = OutboxWorker(None, settings_for(25))
    status = OutboxStatus(queued=2, sending=1, failed=1)
    assert worker.describe(status) == status.describe() == \
        "3 messages waiting, 1 message could not be sent"


def test_a_setup_problem_is_named_in_the_status_not_a_next_try(qtbot, outbox, monkeypatch,
                                                               certificate):
    """No password: staff read what to mend, not "next try at" forever."""
    outbox.submit(entry("waits for the password"))
    with smtp_server(Inbox(), tls=certificate, logins={"kiosk": "s3cret"}) as server:
        settings = settings_for(server.port, security="starttls", ca_file=certificate[0],
                                username="kiosk", password_env="KFR_TEST_SMTP_PASSWORD")
        worker = OutboxWorker(outbox, settings)
        with qtbot.waitSignal(worker.deliveryFinished, timeout=10_000) as blocker:
            worker.start()
        assert blocker.args[0].setup
        assert worker.status_text == ("1 message waiting (email settings need fixing: "
                                      "main.py config check)")
        assert "SMTP password is missing" in worker.setup_problem
        assert "next try" not in worker.status_text
        assert worker.stop()
