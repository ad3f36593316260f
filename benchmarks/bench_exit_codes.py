"""What `outbox send` tells clinic IT, case by case, against real SMTP servers on loopback.

    .venv/bin/python benchmarks/bench_exit_codes.py

Each case is a mail setup IT meets (a server down, a 4xx, a typo in the recipient, no or
a wrong password, an untrusted certificate, no STARTTLS, a silent server); each runs the
real `main.py outbox send` with one queued message and prints the exit code it gave, the one
it should give (75 try later, 78 a setup problem, 1 refused for good, 0 sent), and whether
the message was kept. Target: every case right, no message lost.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from smtp_helpers import (  # noqa: E402
    Inbox,
    free_port,
    make_certificate,
    silent_server,
    smtp_server,
)

from reader.outbox import Outbox  # noqa: E402


def main_py(folder: Path, *args: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args, "--data-dir",
                           str(folder / "data"), "--config", str(folder / "reader.toml")],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})}).returncode


def case(folder: Path, smtp: dict[str, object], env: dict[str, str] | None = None
         ) -> tuple[int, int]:
    """(exit code of outbox send, messages still in the outbox: queued or failed)."""
    lines = ["[smtp]"] + [f"{key} = {json.dumps(value)}" for key, value in smtp.items()]
    (folder / "reader.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main_py(folder, "feedback", "submit", "--name", "Ana", "--comments", "test") == 0
    code = main_py(folder, "outbox", "send", env=env)
    with Outbox(folder / "data" / "outbox.sqlite3") as box:
        status = box.status()
    return code, status.queued + status.failed + status.sending


def main() -> int:
    import logging
    import warnings

    logging.getLogger("mail.log").disabled = True  # the servers' own tracebacks (refused TLS)
    warnings.filterwarnings("ignore", module="aiosmtpd")
    rows = []
    with tempfile.TemporaryDirectory() as top_name:
        top = Path(top_name)
        cert = make_certificate(top)
        plain = {"host": "127.0.0.1", "security": "none", "timeout": 2}
        tls = {"host": "127.0.0.1", "security": "starttls", "timeout": 5,
               "ca_file": str(cert[0])}
        login = {**tls, "username": "kiosk", "password_env": "KFR_BENCH_PASSWORD"}
        stack = contextlib.ExitStack()
        with stack:
            ok = stack.enter_context(smtp_server(Inbox()))
            later = stack.enter_context(smtp_server(Inbox(replies=["451 4.3.0 try later"])))
            refused = stack.enter_context(smtp_server(Inbox(replies=["550 5.1.1 no such user"])))
            secure = stack.enter_context(smtp_server(Inbox(), tls=cert,
                                                     logins={"kiosk": "s3cret"}))
            silent = stack.enter_context(silent_server())
            cases = [
                ("delivered", {**plain, "port": ok.port}, None, 0, 0),
                ("server down (connection refused)", {**plain, "port": free_port()}, None,
                 75, 1),
                ("server silent (timeout)", {**plain, "port": silent}, None, 75, 1),
                ("451 try later", {**plain, "port": later.port}, None, 75, 1),
                ("550 recipient refused", {**plain, "port": refused.port}, None, 1, 1),
                ("no password (variable unset)", {**login, "port": secure.port}, None, 78, 1),
                ("wrong password (535)", {**login, "port": secure.port},
                 {"KFR_BENCH_PASSWORD": "wrong"}, 78, 1),
                ("right password", {**login, "port": secure.port},
                 {"KFR_BENCH_PASSWORD": "s3cret"}, 0, 0),
                ("certificate not trusted", {**tls, "port": secure.port, "ca_file": ""},
                 None, 78, 1),
                ("no STARTTLS offered", {**tls, "port": ok.port}, None, 78, 1),
                ("email not set up", {}, None, 78, 1),
            ]
            for number, (name, smtp, env, wanted, kept) in enumerate(cases):
                folder = top / f"case{number}"
                folder.mkdir()
                code, left = case(folder, smtp, env)
                rows.append((name, code, wanted, left, kept))
    print(f"{'case':36} {'exit':>4} {'want':>4} {'kept':>4}  verdict")
    right = 0
    for name, code, wanted, left, kept in rows:
        good = code == wanted and left == kept
        right += good
        print(f"{name:36} {code:>4} {wanted:>4} {left:>4}  {'ok' if good else 'WRONG'}")
    print(f"{right} of {len(rows)} cases right; target: all")
    return 0 if right == len(rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
