"""A message says which language it was written in: stored with it, named in the email."""

from __future__ import annotations

import sqlite3

from smtp_helpers import Inbox, settings_for, smtp_server

from reader.feedback import FeedbackInput, validated
from reader.mailer import body_text, deliver_pending
from reader.outbox import SCHEMA_VERSION, Outbox


def test_the_language_is_stored_and_named_in_the_email(tmp_path):
    inbox = Inbox()
    with Outbox(tmp_path / "outbox.sqlite3") as outbox, smtp_server(inbox) as server:
        outbox.submit(FeedbackInput(name="Ana", comments="Muy claro.", language="es"))
        [message] = outbox.messages("queued")
        assert message.language == "es"
        assert "Language: Spanish (español)" in body_text(message)
        deliver_pending(outbox, settings_for(server.port))
    assert "Language: Spanish (español)" in inbox.messages[0].get_content()


def test_an_odd_language_is_recorded_as_english():
    assert validated(FeedbackInput(name="A", comments="b", language="x\r\nBcc: y")).language == "en"
    assert validated(FeedbackInput(name="A", comments="b")).language == "en"


def test_an_outbox_from_before_gains_the_column_and_keeps_its_messages(tmp_path):
    path = tmp_path / "outbox.sqlite3"
    with Outbox(path) as outbox:
        outbox.submit(FeedbackInput(name="Ana", comments="Written before the upgrade."))
    db = sqlite3.connect(path)  # as the version before this one left it
    db.execute("ALTER TABLE message DROP COLUMN language")
    db.execute("ALTER TABLE message DROP COLUMN requeued")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Outbox(path) as outbox:
        [message] = outbox.messages("queued")
        # its language was never recorded: the email says "unknown", not English
        assert message.language == "" and message.comments == "Written before the upgrade."
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    db.close()
