"""The durable feedback queue: one SQLite file in the data dir. No Qt.

- Private: the folder is 0700 and the database 0600 (SQLite gives its -wal and -shm files
  the database file's mode).
- Durable: WAL with synchronous=FULL, so `submit()` returns only once the message is on disk.
- States: queued -> sending (claimed by one sender, with a token and a lease) -> deleted when
  delivered, or back to queued with a backoff, or failed (permanent; kept for staff).
- Delivered messages leave nothing behind: secure_delete zeroes their rows, and
  `purge_deleted()` checkpoints the WAL into the database and truncates it. The purge waits
  at most PURGE_WAIT_MS; while another connection is reading it cannot finish, so it sets
  `purge_owed` and is tried again at the next submit, status, delivery or close (until then
  the -wal file may still hold a copy of deleted text).
- After close() every method raises OutboxError.
- Nothing here logs what a reader wrote.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from reader import APP_ID, __version__
from reader.feedback import FeedbackInput, validated
from reader.paths import Paths, make_private_dir

T = TypeVar("T")

RETRY_FIRST, RETRY_MAX = 60, 3600  # seconds: 1 minute doubling to 1 hour
GIVE_UP_AFTER = 7 * 24 * 3600  # a message still undelivered after 7 days fails
PURGE_WAIT_MS = 200  # the longest a purge waits for other connections: never freeze a window

# One tuple of statements per schema version (PRAGMA user_version), run in one transaction.
_MIGRATIONS: list[tuple[str, ...]] = [
    (
        """
        CREATE TABLE message (
            id INTEGER PRIMARY KEY,
            message_id TEXT NOT NULL UNIQUE,
            created REAL NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'failed')),
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            username TEXT NOT NULL,
            page_id TEXT NOT NULL,
            page_title TEXT NOT NULL,
            comments TEXT NOT NULL,
            app_version TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt REAL NOT NULL,
            last_error TEXT NOT NULL DEFAULT '',
            claim_token TEXT,
            lease_until REAL
        )
        """,
        "CREATE INDEX message_due ON message (state, next_attempt)",
    ),
    # the language the reader wrote in; messages from before it was recorded have '' (unknown)
    ("ALTER TABLE message ADD COLUMN language TEXT NOT NULL DEFAULT ''",),
    # when staff queued a failed message again (`outbox retry`): its 7 days count from then
    ("ALTER TABLE message ADD COLUMN requeued REAL",),
]
SCHEMA_VERSION = len(_MIGRATIONS)

_COLUMNS = (
    "id, message_id, created, state, name, email, username, page_id, page_title, comments, "
    "app_version, attempts, next_attempt, last_error, language"
)

# Backoff computed in SQL from the attempts made before this one: 60 s, 120 s, ... 3600 s.
_RETRY = f"""
    UPDATE message SET
        state = CASE WHEN :now - coalesce(requeued, created) >= {GIVE_UP_AFTER}
                     THEN 'failed' ELSE 'queued' END,
        attempts = attempts + 1,
        next_attempt = :now + min({RETRY_FIRST} * (1 << min(attempts, 6)), {RETRY_MAX}),
        last_error = :error,
        claim_token = NULL,
        lease_until = NULL
"""


class OutboxError(Exception):
    """The outbox file cannot be used (unreadable, read-only, disk full, newer schema)."""


@dataclass(frozen=True)
class Message:
    id: int
    message_id: str
    created: float
    state: str
    name: str
    email: str
    username: str
    page_id: str
    page_title: str
    comments: str
    app_version: str
    attempts: int
    next_attempt: float
    last_error: str
    language: str = "en"  # "" for a message from before the language was recorded

    def __repr__(self) -> str:  # never show what the reader wrote
        return f"Message(id={self.id}, message_id={self.message_id!r}, state={self.state!r})"


# The phrases of OutboxStatus.describe; the window's sender gives them in the reader's language.
PHRASES = {"waiting": "%n message(s) waiting", "failed": "%n message(s) could not be sent",
           "none": "No messages waiting"}


def english(kind: str, n: int) -> str:
    return PHRASES[kind].replace("%n", str(n)).replace("(s)", "" if n == 1 else "s")


@dataclass(frozen=True)
class OutboxStatus:
    queued: int = 0
    sending: int = 0
    failed: int = 0
    next_attempt: float | None = None  # earliest time a queued message is due
    last_error: str = ""
    sending_until: float | None = None  # when the last lease of a 'sending' message ends

    @property
    def waiting(self) -> int:
        return self.queued + self.sending

    def describe(self, phrase: Callable[[str, int], str] = english) -> str:
        """A short line for staff, e.g. "2 messages waiting"; never any message text.
        `phrase(kind, n)` words each part (a key of PHRASES)."""
        parts = []
        if self.waiting:
            parts.append(phrase("waiting", self.waiting))
        if self.failed:
            parts.append(phrase("failed", self.failed))
        return ", ".join(parts) if parts else phrase("none", 0)

    def as_json(self) -> dict[str, int | str | None]:
        return {
            "queued": self.queued,
            "sending": self.sending,
            "failed": self.failed,
            "next_attempt": _iso(self.next_attempt),
            "sending_until": _iso(self.sending_until),
            "last_error": self.last_error,
        }


def _iso(t: float | None) -> str | None:
    if t is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{APP_ID}>"


def _private_file(path: Path) -> None:
    """Create `path` as 0600 (or tighten it) before SQLite opens it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    if os.name == "posix":
        for suffix in ("", "-wal", "-shm"):
            other = path.with_name(path.name + suffix)
            if other.exists():
                os.chmod(other, 0o600)


class Outbox:
    """The queue. One connection, shared by threads under a lock; several processes may
    open the same file at once (claims are atomic, see `claim`)."""

    def __init__(self, path: Path | str, busy_timeout: float = 10.0):
        self.path = Path(path)
        self._lock = threading.RLock()
        self._busy_ms = int(busy_timeout * 1000)
        self._closed = False
        self.purge_owed = False  # deleted text may still be in the WAL; see purge_deleted()
        try:
            make_private_dir(self.path.parent)
            _private_file(self.path)
            self._db = sqlite3.connect(
                self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise OutboxError(f"{self.path}: cannot open the outbox: {_reason(exc)}") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            if self._db.execute("PRAGMA secure_delete=ON").fetchone()[0] != 1:
                raise OutboxError(f"{self.path}: this SQLite cannot zero deleted text")
            self._migrate()
            self.purge_deleted()
        except sqlite3.Error as exc:
            self._db.close()
            raise OutboxError(f"{self.path}: cannot use the outbox: {_reason(exc)}") from None
        except OutboxError:
            self._db.close()
            raise

    @classmethod
    def open(cls, paths: Paths) -> Outbox:
        """The outbox in a reader.paths.Paths data dir."""
        paths.ensure_data_dir()
        return cls(paths.outbox_file)

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._purge_if_owed()
                self._closed = True
                self._db.close()

    def _check_open(self) -> None:
        if self._closed:
            raise OutboxError(f"{self.path}: the outbox is closed")

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # --- schema --------------------------------------------------------------

    def _migrate(self) -> None:
        with self._transaction():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise OutboxError(
                    f"{self.path}: was written by a newer version of the reader "
                    f"(schema {version}, this one knows {SCHEMA_VERSION})"
                )
            for number in range(version, SCHEMA_VERSION):
                for statement in _MIGRATIONS[number]:
                    self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self, durable: bool = True,
                     write: bool = True) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT under the thread lock. durable=False commits without
        the fsync (still atomic and safe from a crash of this process; a power cut may undo
        it), for claims and deletions whose loss only means a message is tried again."""
        with self._lock:
            self._check_open()
            if not durable:
                self._db.execute("PRAGMA synchronous=NORMAL")
            try:
                self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield self._db
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:  # SQLite may have rolled back already
                        self._db.execute("ROLLBACK")
                    raise
            finally:
                if not durable:
                    self._db.execute("PRAGMA synchronous=FULL")

    def _run(self, what: str, fn: Callable[[sqlite3.Connection], T], *,
             durable: bool = True, write: bool = True) -> T:
        try:
            with self._transaction(durable, write) as db:
                return fn(db)
        except sqlite3.Error as exc:
            raise OutboxError(f"{self.path}: cannot {what}: {_reason(exc)}") from None

    # --- writing -------------------------------------------------------------

    def submit(self, entry: FeedbackInput, now: float | None = None) -> str:
        """Store one message durably and return its Message-ID. Raises InvalidFeedback for
        bad input and OutboxError when it cannot be stored (disk full, read-only, ...)."""
        entry = validated(entry)
        now = time.time() if now is None else now
        message_id = new_message_id()

        def insert(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO message (message_id, created, state, name, email, username, "
                "page_id, page_title, comments, app_version, next_attempt, language) "
                "VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (message_id, now, entry.name, entry.email, entry.username, entry.page_id,
                 entry.page_title, entry.comments, __version__, now, entry.language),
            )

        self._run("save the message", insert)
        self._purge_if_owed()
        return message_id

    def due_ids(self, now: float, ignore_backoff: bool = False) -> list[int]:
        """Queued messages to try now, oldest first. First puts back in the queue any
        'sending' message whose lease has run out (its sender crashed)."""

        def select(db: sqlite3.Connection) -> list[int]:
            db.execute(
                "UPDATE message SET state = 'queued', claim_token = NULL, lease_until = NULL "
                "WHERE state = 'sending' AND lease_until <= ?",
                (now,),
            )
            rows = db.execute(
                "SELECT id FROM message WHERE state = 'queued' AND (? OR next_attempt <= ?) "
                "ORDER BY next_attempt, id",
                (ignore_backoff, now),
            )
            return [row[0] for row in rows]

        return self._run("read the queue", select, durable=False)

    def claim(self, row_id: int, token: str, now: float, lease: float,
              ignore_backoff: bool = False) -> Message | None:
        """Atomically mark one queued message as being sent by `token` until now+lease;
        None if another sender has it, or it is gone or not due."""

        def take(db: sqlite3.Connection) -> Message | None:
            cursor = db.execute(
                "UPDATE message SET state = 'sending', claim_token = ?, lease_until = ? "
                "WHERE id = ? AND state = 'queued' AND (? OR next_attempt <= ?)",
                (token, now + lease, row_id, ignore_backoff, now),
            )
            if cursor.rowcount != 1:
                return None
            row = db.execute(f"SELECT {_COLUMNS} FROM message WHERE id = ?", (row_id,))
            return Message(*row.fetchone())

        return self._run("claim a message", take, durable=False)

    def delivered(self, message: Message, token: str) -> None:
        """The server accepted it: delete it (its text is zeroed by secure_delete)."""
        self._run(
            "remove a delivered message",
            lambda db: db.execute(
                "DELETE FROM message WHERE id = ? AND claim_token = ?", (message.id, token)
            ),
            durable=False,
        )

    def retry(self, message: Message, token: str, error: str, now: float) -> None:
        """A temporary failure: back to the queue with a backoff (fails after 7 days)."""
        self._run(
            "record a failed attempt",
            lambda db: db.execute(
                _RETRY + " WHERE id = :id AND claim_token = :token",
                {"now": now, "error": error[:500], "id": message.id, "token": token},
            ),
        )

    def defer(self, row_ids: Iterable[int], error: str, now: float) -> int:
        """A batch could not be tried (no connection): back off each of these still queued.
        Returns how many were."""
        ids = list(row_ids)
        if not ids:
            return 0

        def update(db: sqlite3.Connection) -> int:
            changed = 0
            for row_id in ids:
                changed += db.execute(
                    _RETRY + " WHERE id = :id AND state = 'queued'",
                    {"now": now, "error": error[:500], "id": row_id},
                ).rowcount
            return changed

        return self._run("record a failed attempt", update)

    def fail(self, message: Message, token: str, error: str) -> None:
        """A permanent failure: kept, never retried automatically."""
        self._run(
            "record a failure",
            lambda db: db.execute(
                "UPDATE message SET state = 'failed', attempts = attempts + 1, last_error = ?, "
                "claim_token = NULL, lease_until = NULL WHERE id = ? AND claim_token = ?",
                (error[:500], message.id, token),
            ),
        )

    def requeue_failed(self, row_id: int | None = None, now: float | None = None) -> int:
        """Queue again the messages that failed for good (all, or the one with `row_id`),
        due now and with seven days ahead of them again; how many were."""
        now = time.time() if now is None else now
        return self._run(
            "queue the failed messages again",
            lambda db: db.execute(
                "UPDATE message SET state = 'queued', next_attempt = :now, requeued = :now, "
                "claim_token = NULL, lease_until = NULL "
                "WHERE state = 'failed' AND (:id IS NULL OR id = :id)",
                {"now": now, "id": row_id},
            ).rowcount,
        )

    def state_of(self, row_id: int) -> str | None:
        """'queued', 'sending' or 'failed'; None when there is no such message."""
        row = self._run(
            "read the queue",
            lambda db: db.execute("SELECT state FROM message WHERE id = ?", (row_id,)).fetchone(),
            write=False,
        )
        return row[0] if row else None

    def release(self, message: Message, token: str) -> None:
        """Give a claimed message back to the queue unchanged."""
        self._run(
            "release a message",
            lambda db: db.execute(
                "UPDATE message SET state = 'queued', claim_token = NULL, lease_until = NULL "
                "WHERE id = ? AND claim_token = ?",
                (message.id, token),
            ),
            durable=False,
        )

    def purge_deleted(self) -> bool:
        """After deleting: copy the WAL into the database and truncate it, so no copy of
        deleted text remains in it. Waits at most PURGE_WAIT_MS for other connections; if
        one is still reading, returns False and sets `purge_owed` (tried again later)."""
        with self._lock:
            self._check_open()
            try:
                self._db.execute(f"PRAGMA busy_timeout={PURGE_WAIT_MS}")
                try:
                    busy = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                finally:
                    self._db.execute(f"PRAGMA busy_timeout={self._busy_ms}")
            except sqlite3.Error as exc:
                raise OutboxError(f"{self.path}: cannot checkpoint: {_reason(exc)}") from None
            self.purge_owed = bool(busy)
            return not busy

    def _purge_if_owed(self) -> None:
        if self.purge_owed and not self._closed:
            with suppress(OutboxError):  # tried again at the next chance
                self.purge_deleted()

    # --- reading -------------------------------------------------------------

    def status(self) -> OutboxStatus:
        """Counts and the next attempt time; no message text."""

        def read(db: sqlite3.Connection) -> OutboxStatus:
            counts = dict(db.execute("SELECT state, count(*) FROM message GROUP BY state"))
            next_attempt = db.execute(
                "SELECT min(next_attempt) FROM message WHERE state = 'queued'"
            ).fetchone()[0]
            lease, sending_until = db.execute(
                "SELECT min(lease_until), max(lease_until) FROM message WHERE state = 'sending'"
            ).fetchone()
            if lease is not None and (next_attempt is None or lease < next_attempt):
                next_attempt = lease
            error = db.execute(
                "SELECT last_error FROM message WHERE last_error != '' "
                "ORDER BY next_attempt DESC LIMIT 1"
            ).fetchone()
            return OutboxStatus(
                queued=counts.get("queued", 0),
                sending=counts.get("sending", 0),
                failed=counts.get("failed", 0),
                next_attempt=next_attempt,
                last_error=error[0] if error else "",
                sending_until=sending_until,
            )

        status = self._run("read the queue", read, write=False)
        self._purge_if_owed()
        return status

    def messages(self, state: str = "queued") -> list[Message]:
        rows = self._run(
            "read the queue",
            lambda db: db.execute(
                f"SELECT {_COLUMNS} FROM message WHERE state = ? ORDER BY created, id", (state,)
            ).fetchall(),
            write=False,
        )
        return [Message(*row) for row in rows]

    def delete(self, message: Message, token: str | None = None) -> None:
        """Remove a message (exported, or read by staff); call purge_deleted() after."""
        self._run(
            "remove a message",
            lambda db: db.execute(
                "DELETE FROM message WHERE id = ? AND (? IS NULL OR claim_token = ?)",
                (message.id, token, token),
            ),
        )


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
