"""Real SMTP servers on 127.0.0.1 for the outbox and mailer tests.

- `Inbox`: an aiosmtpd handler that records each message and can answer 4xx/5xx, drop the
  connection after DATA, or hold its reply until told to go on.
- `smtp_server(handler, ...)`: an aiosmtpd Controller on a free port (plain, STARTTLS,
  implicit TLS, or with AUTH).
- `silent_server()`: accepts connections and never says a word (for timeouts).
- `make_certificate(folder)`: a self-signed certificate for 127.0.0.1, made with openssl.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import ssl
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from reader.config import SmtpSettings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """Handler that keeps what it receives. `replies`: answers for the next DATA commands
    ("451 ...", "554 ...", or "drop" to close the connection without answering); after
    they run out every message gets "250 OK". `hold`: an Event the reply waits for."""

    def __init__(self, replies: list[str] | None = None, hold: threading.Event | None = None):
        self.replies = list(replies or [])
        self.hold = hold
        self.received = threading.Event()  # set when a message arrives
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.sessions: list[object] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            reply = self.replies.pop(0) if self.replies else "250 OK"
            if not any(s is session for s in self.sessions):
                self.sessions.append(session)
            if reply.startswith("250") or reply == "drop":
                self.raw.append(envelope.content)
                self.messages.append(
                    email.message_from_bytes(envelope.content, policy=email.policy.default)
                )
                self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.received.set()
        if self.hold is not None:
            while not self.hold.is_set():
                await asyncio.sleep(0.01)
        if reply == "drop":
            server.transport.close()
        return reply

    @property
    def message_ids(self) -> list[str]:
        with self._lock:
            return [m["Message-ID"] for m in self.messages]


@contextmanager
def smtp_server(handler, *, tls: tuple[Path, Path] | None = None, implicit_tls: bool = False,
                logins: dict[str, str] | None = None):
    """A running aiosmtpd server; yields the Controller (use .port). `tls` is (cert, key):
    offered with STARTTLS, or from the first byte with implicit_tls. `logins` requires
    AUTH with these user -> password pairs."""
    kwargs: dict = {"server_hostname": "localhost"}
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*tls)
        kwargs["ssl_context" if implicit_tls else "tls_context"] = context
    if logins is not None:
        kwargs["authenticator"] = _authenticator(logins)
        kwargs["auth_required"] = True
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def _authenticator(logins: dict[str, str]):
    def check(server, session, envelope, mechanism, auth_data):
        user = auth_data.login.decode()
        ok = logins.get(user) == auth_data.password.decode()
        return AuthResult(success=ok, handled=False)

    return check


def settings_for(port: int, **overrides) -> SmtpSettings:
    values = {"host": "127.0.0.1", "port": port, "security": "none", "timeout": 5.0}
    values.update(overrides)
    return SmtpSettings(**values)


@contextmanager
def silent_server():
    """Accepts connections and never answers; yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.05)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate valid for IP 127.0.0.1 and localhost; (cert, key)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )
    return cert, key


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.01)
