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
- Problems with the connection or the settings are not the message's fault: every due
  message waits and the error is reported. A setup problem (no password, a login refused,
  a certificate not trusted, no STARTTLS, a bad sender address or host name) is marked
  `setup`: trying again later cannot help until staff fix it (the command line's exit 78).
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formatdate
from pathlib import Path

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
    """The connection or the settings failed, not a particular message. `setup` is True
    when only a change of the settings (or the server's) can help."""

    def __init__(self, message: str, setup: bool = False):
        super().__init__(message)
        self.setup = setup


def password_for(settings: SmtpSettings, environ: Mapping[str, str] = os.environ) -> str:
    """The SMTP password from its source: the systemd credential named `password_credential`
    (a file in $CREDENTIALS_DIRECTORY), else the variable named `password_env`. Raises a
    setup ConnectionProblem saying which source is missing."""
    problem = password_problem(settings, environ)
    if problem:
        raise ConnectionProblem(problem, setup=True)
    if settings.password_credential:
        folder = environ.get("CREDENTIALS_DIRECTORY", "")
        return read_credential(Path(folder) / settings.password_credential)
    return environ.get(settings.password_env, "")


def read_credential(path: Path) -> str:
    """A credential file's text without its final line break."""
    return path.read_text(encoding="utf-8").rstrip("\r\n")


def password_problem(settings: SmtpSettings, environ: Mapping[str, str] = os.environ) -> str:
    """Why no password can be had here ("" if it can, or none is needed)."""
    if not settings.username:
        return ""
    if settings.password_credential:
        folder = environ.get("CREDENTIALS_DIRECTORY", "")
        if not folder:
            return (f"the SMTP password is missing: the systemd credential "
                    f"{settings.password_credential!r} is given only to the kiosk's unit "
                    "($CREDENTIALS_DIRECTORY is not set here)")
        path = Path(folder) / settings.password_credential
        try:
            if read_credential(path):
                return ""
        except (OSError, UnicodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            return f"the SMTP password is missing: cannot read the credential {path}: {reason}"
        return f"the SMTP password is missing: the credential {path} is empty"
    if not settings.password_env:
        return ("the SMTP password is missing: [smtp] username needs password_env or "
                "password_credential")
    if not environ.get(settings.password_env):
        return (f"the SMTP password is missing: the environment variable "
                f"{settings.password_env} is not set")
    return ""


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
        raise ConnectionProblem(f"the {what} address {value!r} is not one plain email address",
                                setup=True)
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


def language_name(code: str) -> str:
    """How the email names the reader's language; "unknown" for messages from before the
    reader recorded it (outbox schema 1)."""
    return LANGUAGE_NAMES.get(code, clean_line(code)) or "unknown"


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
        f"Language: {language_name(message.language)}",
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
        raise ConnectionProblem("email is not set up (no [smtp] host in reader.toml)",
                                setup=True)
    password = password_for(settings)
    if settings.security == "none" and not is_loopback_host(settings.host):
        raise ConnectionProblem('security "none" is allowed only for a loopback host',
                                setup=True)
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
        raise ConnectionProblem(f"the SMTP host name {settings.host!r} is not valid",
                                setup=True) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise ConnectionProblem(f"cannot connect to {settings.host}:{settings.port}: "
                                f"{describe(exc)}", setup=is_setup_problem(exc)) from None
    try:
        smtp.ehlo()
        if settings.security == "starttls":
            if not smtp.has_extn("starttls"):
                raise ConnectionProblem(f"{settings.host} does not offer STARTTLS", setup=True)
            smtp.starttls(context=_tls_context(settings))
            smtp.ehlo()
        if settings.username:
            smtp.login(settings.username, password)
    except ConnectionProblem:
        _close(smtp)
        raise
    except (OSError, smtplib.SMTPException, UnicodeError) as exc:
        _close(smtp)
        raise ConnectionProblem(f"{settings.host}:{settings.port}: {describe(exc)}",
                                setup=is_setup_problem(exc)) from None
    return smtp


def is_setup_problem(exc: BaseException) -> bool:
    """True for what only staff can mend: a refused login (5xx), a certificate not
    trusted, TLS that cannot be agreed, a 5xx to the greeting or EHLO. Timeouts, refused or
    dropped connections, unknown names (offline) and 4xx replies pass with time."""
    if isinstance(exc, ssl.SSLError):  # certificate, wrong port for TLS, no common cipher
        return True
    if isinstance(exc, UnicodeError):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    if isinstance(exc, smtplib.SMTPNotSupportedError):  # e.g. no AUTH offered
        return True
    return isinstance(exc, smtplib.SMTPException) and "No suitable authentication" in str(exc)


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
    setup: bool = False  # that problem is one of the settings: later tries cannot help

    def describe(self) -> str:
        parts = [f"{self.sent} sent"]
        if self.retrying:
            parts.append(f"{self.retrying} will be tried again")
        if self.failed:
            parts.append(f"{self.failed} failed permanently")
        if self.waiting and not self.retrying:  # nothing tried (a setup problem): all kept
            parts.append(f"{self.waiting} kept")
        line = ", ".join(parts)
        return f"{line} ({self.error})" if self.error else line


def deliver_pending(outbox: Outbox, settings: SmtpSettings, now: float | None = None,
                    ignore_backoff: bool = False,
                    should_stop: Callable[[], bool] | None = None) -> DeliveryReport:
    """Send every due message over one connection. Safe to run from a worker thread and
    in several processes at once: each message is claimed atomically before sending.
    `now` fixes the clock (tests); `should_stop()` is checked between messages."""
    clock: Callable[[], float] = (lambda: now) if now is not None else time.time
    try:
        if not settings.configured:
            raise ConnectionProblem("email is not set up (no [smtp] host in reader.toml)",
                                    setup=True)
        _address(sender_of(settings), "sender")
        _address(settings.recipient, "recipient")
        missing = password_problem(settings)  # known before any connection: no try is spent
        if missing:
            raise ConnectionProblem(missing, setup=True)
    except ConnectionProblem as exc:  # nothing was tried: the queue is left as it is
        try:
            status = outbox.status()
        except OutboxError as closed:
            return DeliveryReport(error=f"{exc}; {closed}", setup=exc.setup)
        return DeliveryReport(waiting=status.queued, next_attempt=status.next_attempt,
                              error=str(exc), setup=exc.setup)
    token = uuid.uuid4().hex
    lease = 10 * settings.timeout + 60  # longer than a live sender can hold one message
    sent = retrying = failed = 0
    error, setup = "", False
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
                error, setup = str(exc), exc.setup
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
        return DeliveryReport(sent, retrying, failed, error=error or str(exc), setup=setup)
    return DeliveryReport(sent, retrying, failed, status.queued, status.next_attempt, error,
                          setup)
