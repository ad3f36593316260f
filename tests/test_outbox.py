"""The outbox file: durable, private, versioned, claims atomic, delivered text gone."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reader import __version__
from reader.feedback import FeedbackInput, InvalidFeedback, problems, single_address, validated
from reader.outbox import GIVE_UP_AFTER, SCHEMA_VERSION, Outbox, OutboxError
from reader.paths import Paths

REPO = Path(__file__).resolve().parent.parent
T0 = 1_700_000_000.0


def entry(comments="The dosing answer helped me.", **kw) -> FeedbackInput:
    return FeedbackInput(name=kw.pop("name", "Ana"), comments=comments, **kw)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- validation shared by the form and the CLI ----------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "\t\n", "\x00"])
def test_name_is_required(name):
    assert "name" in problems(entry(name=name))


def test_comments_required_and_limited():
    assert "comments" in problems(entry(comments="  \n "))
    assert "comments" not in problems(entry(comments="x" * 5000))
    error = problems(entry(comments="x" * 5001))["comments"]
    assert "5,001" in error and "5,000" in error


@pytest.mark.parametrize("email", [
    "ana@example.org", "a.b+tag@mail.example.co.uk", "ana@exämple.org",
])
def test_valid_emails(email):
    assert "email" not in problems(entry(email=email))


@pytest.mark.parametrize("email", [
    "ana", "ana@", "@example.org", "ana@example", "a@b@example.org",
    "ana@example.org, eve@example.org", "ana@example.org;eve@example.org",
    "Ana <ana@example.org>", "ana@example.org\r\nBcc: eve@example.org",
    "ana@example.org\nBcc: eve@example.org", "=?utf-8?q?eve?=@example.org",
    "ana@=?utf-8?b?ZXZl?=.org", '"ana"@example.org', "ana(comment)@example.org",
    "ana @example.org", "ana@[127.0.0.1]", "ana@1.2.3.4", "ana@-bad-.org",
])
def test_invalid_emails(email):
    assert "email" in problems(entry(email=email))
    assert single_address(email) is None


def test_validated_tidies_one_line_fields():
    clean = validated(entry(name="  Ana\r\nBcc: x ", username="a\tb", comments="hi\r\nthere\x07"))
    assert clean.name == "Ana Bcc: x"
    assert clean.username == "a b"
    assert clean.comments == "hi\nthere"


def test_invalid_entry_is_not_stored(outbox):
    with pytest.raises(InvalidFeedback) as info:
        outbox.submit(entry(name=" ", email="x@", comments=""))
    assert set(info.value.errors) == {"name", "email", "comments"}
    assert outbox.status().queued == 0


# --- storage ----------------------------------------------------------------------------


def test_submit_survives_reopen_with_message_id(tmp_path):
    path = tmp_path / "outbox.sqlite3"
    with Outbox(path) as box:
        message_id = box.submit(entry(email="ana@example.org", username="ana1",
                                      page_id="is-ketamine-safe", page_title="Is ketamine safe?"),
                                now=T0)
    assert message_id.startswith("<") and message_id.endswith("@ketamine-faq-reader>")
    with Outbox(path) as box:
        [message] = box.messages()
    assert (message.message_id, message.created, message.state) == (message_id, T0, "queued")
    assert (message.name, message.email, message.username) == ("Ana", "ana@example.org", "ana1")
    assert (message.page_id, message.page_title) == ("is-ketamine-safe", "Is ketamine safe?")
    assert message.app_version == __version__
    assert "dosing" not in repr(message)


def test_wal_full_sync_versioned_schema(outbox):
    db = sqlite3.connect(outbox.path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        db.close()
    assert outbox._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert outbox._db.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "outbox.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(OutboxError, match="newer version"):
        Outbox(path)


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "outbox.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(OutboxError, match="outbox"):
        Outbox(path)


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_folder_0700_and_files_0600(tmp_path):
    paths = Paths(tmp_path / "c", tmp_path / "r", tmp_path / "data", tmp_path / "reader.toml")
    with Outbox.open(paths) as box:
        box.submit(entry())
        files = [paths.outbox_file.with_name(paths.outbox_file.name + s) for s in
                 ("", "-wal", "-shm")]
        assert all(f.exists() for f in files)
        assert mode(paths.data_dir) == 0o700
        assert [mode(f) for f in files] == [0o600] * 3


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_a_loose_outbox_file_is_tightened_and_an_existing_folder_left_alone(tmp_path):
    path = tmp_path / "d" / "outbox.sqlite3"
    Outbox(path).close()
    assert mode(path.parent) == 0o700  # the outbox made it
    os.chmod(path.parent, 0o755)  # the owner's choice now (a home, a shared folder)
    os.chmod(path, 0o644)
    Outbox(path).close()
    assert (mode(path.parent), mode(path)) == (0o755, 0o600)


def test_full_disk_is_an_outbox_error_and_nothing_half_stored(outbox):
    outbox.submit(entry())
    pages = outbox._db.execute("PRAGMA page_count").fetchone()[0]
    outbox._db.execute(f"PRAGMA max_page_count={pages}")  # as if the disk were full
    with pytest.raises(OutboxError, match="full"):
        outbox.submit(entry(comments="x" * 5000))
    assert outbox.status().queued == 1


# --- states, claims, backoff --------------------------------------------------------------


def test_status_counts_and_next_attempt(outbox):
    for n in range(3):
        outbox.submit(entry(), now=T0 + n)
    [first, second, _] = outbox.due_ids(T0 + 10)
    a = outbox.claim(first, "tok", T0 + 10, lease=100)
    outbox.fail(a, "tok", "554 rejected")
    outbox.claim(second, "tok", T0 + 10, lease=100)
    status = outbox.status()
    assert (status.queued, status.sending, status.failed) == (1, 1, 1)
    assert status.next_attempt == T0 + 2
    assert status.describe() == "2 messages waiting, 1 message could not be sent"
    assert status.as_json()["failed"] == 1 and status.as_json()["sending"] == 1


def test_claim_is_exclusive_across_connections(outbox):
    outbox.submit(entry(), now=T0)
    with Outbox(outbox.path) as other:
        [row_id] = outbox.due_ids(T0)
        assert outbox.claim(row_id, "a", T0, lease=60) is not None
        assert other.claim(row_id, "b", T0, lease=60) is None
        assert other.due_ids(T0 + 30) == []
        # the lease runs out (the first sender died): the message is queued again
        assert other.due_ids(T0 + 61) == [row_id]
        assert other.claim(row_id, "b", T0 + 61, lease=60) is not None


def test_threads_claim_each_message_once(tmp_path):
    path = tmp_path / "outbox.sqlite3"
    with Outbox(path) as box:
        for _ in range(60):
            box.submit(entry(), now=T0)
    claimed: list[list[int]] = [[], [], []]

    def worker(n):
        with Outbox(path) as box:
            for row_id in box.due_ids(T0):
                message = box.claim(row_id, f"t{n}", T0, lease=60)
                if message:
                    claimed[n].append(message.id)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = sorted(sum(claimed, []))
    assert everything == sorted(set(everything)) and len(everything) == 60


def test_backoff_doubles_to_an_hour_then_fails_after_seven_days(outbox):
    outbox.submit(entry(), now=T0)
    now, delays = T0, []
    while True:
        [row_id] = outbox.due_ids(now)
        message = outbox.claim(row_id, "t", now, lease=60)
        outbox.retry(message, "t", "451 try later", now)
        [after] = outbox.messages("queued") or outbox.messages("failed")
        if after.state == "failed":
            break
        delays.append(after.next_attempt - now)
        now = after.next_attempt
    assert delays[:8] == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert now - T0 >= GIVE_UP_AFTER and now - T0 < GIVE_UP_AFTER + 3600
    assert after.last_error == "451 try later" and after.attempts == len(delays) + 1


def test_defer_backs_off_only_queued_messages(outbox):
    for _ in range(3):
        outbox.submit(entry(), now=T0)
    ids = outbox.due_ids(T0)
    held = outbox.claim(ids[0], "t", T0, lease=600)
    assert outbox.defer(ids, "connection refused", T0) == 2
    assert outbox.due_ids(T0 + 59) == []
    assert outbox.due_ids(T0 + 61) == ids[1:]
    assert outbox.messages("sending")[0].id == held.id


def test_failed_messages_are_kept_and_never_due(outbox):
    outbox.submit(entry(), now=T0)
    [row_id] = outbox.due_ids(T0)
    outbox.fail(outbox.claim(row_id, "t", T0, 60), "t", "550 no such user")
    assert outbox.due_ids(T0 + 10**7, ignore_backoff=True) == []
    [kept] = outbox.messages("failed")
    assert kept.comments == "The dosing answer helped me."


def test_stale_token_cannot_finish_a_reclaimed_message(outbox):
    outbox.submit(entry(), now=T0)
    [row_id] = outbox.due_ids(T0)
    old = outbox.claim(row_id, "old", T0, lease=60)
    outbox.due_ids(T0 + 61)
    outbox.claim(row_id, "new", T0 + 61, lease=60)
    outbox.delivered(old, "old")  # the crashed sender's late word changes nothing
    assert outbox.status().sending == 1


# --- secrecy ---------------------------------------------------------------------------


def data_files(path: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)
    )


def test_delivered_text_is_gone_from_db_wal_and_shm(outbox):
    secret = "my-private-words-" * 250  # long enough to use overflow pages
    keep = "still-waiting-text"
    outbox.submit(entry(comments=secret, name="Secret Sam"), now=T0)
    outbox.submit(entry(comments=keep), now=T0 + 1)
    assert b"my-private-words-" in data_files(outbox.path)
    first = outbox.claim(outbox.due_ids(T0)[0], "t", T0, 60)
    outbox.retry(first, "t", "451", T0)  # more copies of its page in the WAL
    message = outbox.claim(first.id, "t", T0 + 60, 60)
    outbox.delivered(message, "t")
    outbox.purge_deleted()
    blob = data_files(outbox.path)
    assert b"my-private-words" not in blob and b"Secret Sam" not in blob
    assert keep.encode() in blob


def test_comments_never_logged(outbox, caplog):
    caplog.set_level("DEBUG")
    outbox.submit(entry(comments="a-logged-secret"), now=T0)
    outbox.status()
    assert "a-logged-secret" not in caplog.text


# --- power cut / kill mid-submit ---------------------------------------------------------

CHILD = """
import sys
from reader.feedback import FeedbackInput
from reader.outbox import Outbox
box = Outbox(sys.argv[1])
n = 0
while True:
    box.submit(FeedbackInput(name="Kid", comments=f"message {n} " + "x" * 2000))
    print(n, flush=True)
    n += 1
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killed_mid_submit_loses_nothing_acknowledged(tmp_path):
    path = tmp_path / "outbox.sqlite3"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], cwd=REPO,
                             stdout=subprocess.PIPE, text=True)
    acknowledged = [int(child.stdout.readline()) for _ in range(40)]
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    with Outbox(path) as box:
        stored = {m.comments.split()[1] for m in box.messages()}
        assert box._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {str(n) for n in acknowledged} <= stored


# --- review fixes: closed outbox, failed COMMIT, a purge that must not wait ---------------


def test_every_method_after_close_raises_outbox_error(tmp_path):
    box = Outbox(tmp_path / "outbox.sqlite3")
    box.submit(entry(), now=T0)
    [message] = box.messages()
    box.close()
    box.close()  # a second close is harmless
    assert box.closed
    calls = [lambda: box.submit(entry()), box.status, box.messages, box.purge_deleted,
             lambda: box.due_ids(T0), lambda: box.claim(message.id, "t", T0, 60),
             lambda: box.delivered(message, "t"), lambda: box.retry(message, "t", "451", T0),
             lambda: box.release(message, "t"), lambda: box.delete(message)]
    for call in calls:
        with pytest.raises(OutboxError, match="closed"):
            call()


class FailingCommit:
    """The outbox's connection, except that the next COMMIT fails (as on a full disk)."""

    def __init__(self, db):
        self.db, self.armed = db, True

    def execute(self, sql, *args):
        if sql == "COMMIT" and self.armed:
            self.armed = False
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.db, name)


def test_failed_commit_is_rolled_back_and_the_next_submit_works(outbox):
    real = outbox._db
    outbox._db = FailingCommit(real)
    try:
        with pytest.raises(OutboxError, match="full"):
            outbox.submit(entry(comments="not stored"))
        assert not real.in_transaction
        outbox.submit(entry(comments="stored once there is room"))
    finally:
        outbox._db = real
    assert [m.comments for m in outbox.messages()] == ["stored once there is room"]


def test_purge_never_waits_for_a_reader_and_is_finished_later(outbox):
    secret = "seen-by-a-slow-reader-" * 200
    outbox.submit(entry(comments=secret), now=T0)
    outbox.submit(entry(comments="still-waiting-text"), now=T0 + 1)
    reader = sqlite3.connect(outbox.path)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM message").fetchone()  # holds a snapshot
        message = outbox.claim(outbox.due_ids(T0)[0], "t", T0, 60)
        outbox.delivered(message, "t")
        started = time.monotonic()
        assert outbox.purge_deleted() is False
        assert time.monotonic() - started < 1 and outbox.purge_owed
        reader.rollback()  # the reader is done
        outbox.status()  # the next natural point finishes the purge
        assert not outbox.purge_owed
        assert outbox._db.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
        blob = data_files(outbox.path)
        assert b"seen-by-a-slow-reader" not in blob and b"still-waiting-text" in blob
    finally:
        reader.close()


def test_a_schema_1_outbox_is_migrated_and_its_old_messages_say_language_unknown(tmp_path):
    """Messages saved before the reader recorded the language are not passed off as English."""
    from reader.mailer import body_text
    from reader.outbox import _MIGRATIONS

    path = tmp_path / "outbox.sqlite3"
    db = sqlite3.connect(path)
    for statement in _MIGRATIONS[0]:
        db.execute(statement)
    db.execute("INSERT INTO message (message_id, created, state, name, email, username, "
               "page_id, page_title, comments, app_version, next_attempt) VALUES "
               "('<a@b>', ?, 'queued', 'Ana', '', '', '', '', 'Hola', '1.0.0', ?)", (T0, T0))
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    with Outbox(path) as box:
        [old] = box.messages()
        box.submit(entry(language="es"), now=T0 + 1)
        new = box.messages()[1]
    assert old.language == "" and "Language: unknown" in body_text(old)
    assert "Language: Spanish (español)" in body_text(new)
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    check.close()


def test_requeued_failed_messages_get_seven_days_again(outbox):
    outbox.submit(entry(), now=T0)
    [row_id] = outbox.due_ids(T0)
    outbox.fail(outbox.claim(row_id, "t", T0, lease=60), "t", "550 no such mailbox")
    assert outbox.due_ids(T0 + 10) == [] and outbox.status().failed == 1
    later = T0 + GIVE_UP_AFTER + 86_400  # staff fix the recipient eight days on
    assert outbox.requeue_failed(now=later) == 1
    assert outbox.due_ids(later) == [row_id]
    message = outbox.claim(row_id, "t", later, lease=60)
    outbox.retry(message, "t", "451 try later", later)  # a passing problem: it waits again
    assert outbox.messages("queued")[0].id == row_id
    assert outbox.requeue_failed(now=later) == 0  # nothing failed now
    assert outbox.state_of(row_id) == "queued" and outbox.state_of(999) is None
