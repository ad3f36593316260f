"""Building feedback mail and delivering the outbox over SMTP, failures classified. No Qt.

Headers carry only what we control: a fixed Subject, the configured From and To, the
Message-ID given when the message was queued, the Date it was written, and Reply-To when
the reader's email is exactly one plain address. Everything the reader typed goes in the
body. Every header value is checked here for CR, LF, other control characters, encoded
words and address lists, because this Python may predate the email package's own
header-injection checks.

From: the configured `sender`; when none is configured, the recipient itself
(feedback@ketaminenetwork.org by default), which the organisation's own mail server
accepts more readily than a made-up local address.

Delivery (`deliver_pending`) is at-least-once: a message is deleted only after the server
accepted it, so a crash in between sends it again later with the same Message-ID.
- 4xx replies, timeouts, refused or dropped connections: the message waits, with backoff
  (1 minute doubling to 1 hour); after 7 days in the queue it fails.
- 5xx replies to a message: it fails at once and is never retried automatically.
- Problems with the connection or the settings (TLS, certificate, login, a bad sender
  address, a host name that is not valid) are not the message's fault: every due message
  waits and the error is reported.
- If the outbox cannot be updated (it was closed under a sender, or the disk failed), the
  run stops and reports it; a message sent but not yet marked stays 'sending' until its
  lease runs out and is then sent again.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formatdate

from reader import APP_NAME
from reader.config import SmtpSettings, is_loopback_host
from reader.feedback import clean_body_text, clean_line, single_address
from reader.outbox import Message, Outbox, OutboxError

log = logging.getLogger(__name__)

SUBJECT = f"Feedback from the {APP_NAME}"
EHLO_NAME = "localhost"  # not the machine's name: a kiosk need not announce itself
_MESSAGE_ID = re.compile(r"<[A-Za-z0-9._-]+@[A-Za-z0-9.-]+>\Z")
_UNSAFE_HEADER = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]|=\?")


class MailError(Exception):
    """The mail cannot be built or sent. `permanent` is True for a 5xx reply to it."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class ConnectionProblem(MailError):
    """The connection or the settings failed, not a particular message."""


def header_value(value: str) -> str:
    """`value` if it is safe as a header value; raises MailError otherwise."""
    if _UNSAFE_HEADER.search(value) or not value.isascii():
        raise MailError("refused an unsafe header value")
    return value


def sender_of(settings: SmtpSettings) -> str:
    return settings.sender or settings.recipient


def _address(value: str, what: str) -> str:
    address = single_address(value)
    if address is None:
        raise ConnectionProblem(f"the {what} address {value!r} is not one plain email address")
    return address


def build_message(message: Message, settings: SmtpSettings) -> EmailMessage:
    """The email for one queued message: fixed headers, the reader's words in the body."""
    mail = EmailMessage(policy=SMTP_POLICY)
    mail["Subject"] = header_value(SUBJECT)
    mail["From"] = header_value(_address(sender_of(settings), "sender"))
    mail["To"] = header_value(_address(settings.recipient, "recipient"))
    mail["Date"] = header_value(formatdate(message.created, usegmt=True))
    if not _MESSAGE_ID.match(message.message_id):
        raise MailError("refused an unsafe Message-ID", permanent=True)
    mail["Message-ID"] = header_value(message.message_id)
    reply_to = single_address(message.email) if message.email else None
    if reply_to:
        mail["Reply-To"] = header_value(reply_to)
    mail.set_content(body_text(message), charset="utf-8", cte="quoted-printable")
    return mail


LANGUAGE_NAMES = {"en": "English", "es": "Spanish (español)"}


def body_text(message: Message) -> str:
    written = datetime.fromtimestamp(message.created, UTC)
    question = clean_line(message.page_title)
    if message.page_id:
        question = f"{question} ({clean_line(message.page_id)})" if question else message.page_id
    lines = [
        f"Feedback sent from the {APP_NAME}.",
        "",
        f"Question: {question or '(none)'}",
        f"Your Username: {clean_line(message.username) or '(not given)'}",
        f"Your Name: {clean_line(message.name)}",
        f"Your email: {clean_line(message.email) or '(not given)'}",
        f"Written: {format_datetime(written)}",
        f"Language: {LANGUAGE_NAMES.get(message.language, clean_line(message.language))}",
        f"App version: {message.app_version}",
        "",
        "Your comments about this page:",
        "",
        clean_body_text(message.comments),
        "",
    ]
    return "\n".join(lines)


# --- sending ----------------------------------------------------------------------------


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    cafile = str(settings.ca_file) if settings.ca_file else None
    return ssl.create_default_context(cafile=cafile)


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An SMTP session ready to send: TLS as configured, logged in if a username is set."""
    if not settings.configured:
        raise ConnectionProblem("email is not set up (no [smtp] host in reader.toml)")
    password = ""
    if settings.username:
        password = os.environ.get(settings.password_env, "") if settings.password_env else ""
        if not password:
            raise ConnectionProblem(
                f"the SMTP password is missing: set the environment variable "
                f"{settings.password_env or '(password_env is not configured)'}"
            )
    if settings.security == "none" and not is_loopback_host(settings.host):
        raise ConnectionProblem('security "none" is allowed only for a loopback host')
    smtp: smtplib.SMTP
    try:
        if settings.security == "tls":
            smtp = smtplib.SMTP_SSL(
                settings.host, settings.port, local_hostname=EHLO_NAME,
                timeout=settings.timeout, context=_tls_context(settings),
            )
        else:
            smtp = smtplib.SMTP(
                settings.host, settings.port, local_hostname=EHLO_NAME, timeout=settings.timeout
            )
    except UnicodeError:  # IDNA encoding of the name failed: empty or too long label, ...
        raise ConnectionProblem(f"the SMTP host name {settings.host!r} is not valid") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise ConnectionProblem(f"cannot connect to {settings.host}:{settings.port}: "
                                f"{describe(exc)}") from None
    try:
        smtp.ehlo()
        if settings.security == "starttls":
            if not smtp.has_extn("starttls"):
                raise ConnectionProblem(f"{settings.host} does not offer STARTTLS")
            smtp.starttls(context=_tls_context(settings))
            smtp.ehlo()
        if settings.username:
            smtp.login(settings.username, password)
    except ConnectionProblem:
        _close(smtp)
        raise
    except (OSError, smtplib.SMTPException, UnicodeError) as exc:
        _close(smtp)
        raise ConnectionProblem(f"{settings.host}:{settings.port}: {describe(exc)}") from None
    return smtp


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def describe(exc: BaseException) -> str:
    """A short reason for logs and status, built from the server's reply or the OS error."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(exc.recipients.values()))
        return f"{code} {_text(reply)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate not trusted: {exc.verify_message}"
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _text(reply: object) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return " ".join(str(reply).split())[:300]


def _reply_code(exc: smtplib.SMTPException) -> int | None:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return min(code for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code
    return None


def send_one(smtp: smtplib.SMTP, message: Message, settings: SmtpSettings) -> None:
    """Send over an open session. Raises MailError (permanent for 5xx) or ConnectionProblem
    when the session is no longer usable (dropped, timed out)."""
    data = build_message(message, settings).as_bytes()
    sender = _address(sender_of(settings), "sender")
    recipient = _address(settings.recipient, "recipient")
    try:
        smtp.sendmail(sender, [recipient], data)
    except smtplib.SMTPServerDisconnected as exc:
        raise ConnectionProblem(f"connection lost: {describe(exc)}") from None
    except smtplib.SMTPException as exc:
        code = _reply_code(exc)
        raise MailError(describe(exc), permanent=code is not None and 500 <= code < 600) from None
    except OSError as exc:
        raise ConnectionProblem(f"connection lost: {describe(exc)}") from None


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0  # tried and left queued for later
    failed: int = 0  # failed permanently in this run
    waiting: int = 0  # still queued after this run (not counting any another sender holds)
    next_attempt: float | None = None
    error: str = ""  # a connection or settings problem, if any

    def describe(self) -> str:
        parts = [f"{self.sent} sent"]
        if self.retrying:
            parts.append(f"{self.retrying} will be tried again")
        if self.failed:
            parts.append(f"{self.failed} failed permanently")
        if self.error:
            parts.append(f"({self.error})")
        return ", ".join(parts)


def deliver_pending(outbox: Outbox, settings: SmtpSettings, now: float | None = None,
                    ignore_backoff: bool = False,
                    should_stop: Callable[[], bool] | None = None) -> DeliveryReport:
    """Send every due message over one connection. Safe to run from a worker thread and
    in several processes at once: each message is claimed atomically before sending.
    `now` fixes the clock (tests); `should_stop()` is checked between messages."""
    clock: Callable[[], float] = (lambda: now) if now is not None else time.time
    try:
        if not settings.configured:
            raise ConnectionProblem("email is not set up (no [smtp] host in reader.toml)")
        _address(sender_of(settings), "sender")
        _address(settings.recipient, "recipient")
    except ConnectionProblem as exc:  # nothing was tried: the queue is left as it is
        try:
            status = outbox.status()
        except OutboxError as closed:
            return DeliveryReport(error=f"{exc}; {closed}")
        return DeliveryReport(waiting=status.queued, next_attempt=status.next_attempt,
                              error=str(exc))
    token = uuid.uuid4().hex
    lease = 10 * settings.timeout + 60  # longer than a live sender can hold one message
    sent = retrying = failed = 0
    error = ""
    smtp: smtplib.SMTP | None = None
    try:
        ids = outbox.due_ids(clock(), ignore_backoff)
        for position, row_id in enumerate(ids):
            if should_stop and should_stop():
                break
            message = outbox.claim(row_id, token, clock(), lease, ignore_backoff)
            if message is None:
                continue
            try:
                if smtp is None:
                    smtp = connect(settings)
                send_one(smtp, message, settings)
            except ConnectionProblem as exc:
                error = str(exc)
                log.warning("feedback %s not sent: %s", message.message_id, error)
                outbox.retry(message, token, error, clock())
                retrying += 1 + outbox.defer(ids[position + 1:], error, clock())
                break
            except MailError as exc:
                log.warning("feedback %s not sent: %s", message.message_id, exc)
                if exc.permanent:
                    outbox.fail(message, token, str(exc))
                    failed += 1
                else:
                    outbox.retry(message, token, str(exc), clock())
                    retrying += 1
            else:
                outbox.delivered(message, token)
                sent += 1
                log.info("feedback %s delivered", message.message_id)
    except OutboxError as exc:  # e.g. closed under us: what is 'sending' waits for its lease
        error = str(exc)
        log.warning("feedback delivery stopped: %s", error)
    finally:
        if smtp is not None:
            _close(smtp)
        if (sent or outbox.purge_owed) and not outbox.closed:
            try:
                outbox.purge_deleted()
            except OutboxError as exc:
                log.warning("%s", exc)
    try:
        status = outbox.status()
    except OutboxError as exc:
        return DeliveryReport(sent, retrying, failed, error=error or str(exc))
    return DeliveryReport(sent, retrying, failed, status.queued, status.next_attempt, error)
