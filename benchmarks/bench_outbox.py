"""Outbox benchmark: submit latency (each one synced to disk) and delivery of 1,000 messages.

    .venv/bin/python benchmarks/bench_outbox.py [--submits 200] [--deliver 1000] [--dir DIR]

Targets: submit p95 within 20 ms; 1,000 messages delivered within 10 s to a local aiosmtpd
server over loopback (one connection per batch). Use --dir to measure on the disk the
reader really uses (the default temporary folder may be in memory).
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402

from reader.config import SmtpSettings  # noqa: E402
from reader.feedback import FeedbackInput  # noqa: E402
from reader.mailer import deliver_pending  # noqa: E402
from reader.outbox import Outbox  # noqa: E402

COMMENTS = ("I read the answer about how long the effects last. It helped me prepare "
            "for my first appointment. ") * 8


class CountingHandler:
    def __init__(self):
        self.count = 0
        self.sessions: set[int] = set()

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        self.sessions.add(id(session))
        return "250 OK"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_submit(folder: Path, count: int) -> None:
    with Outbox(folder / "submit.sqlite3") as outbox:
        times = []
        for n in range(count):
            entry = FeedbackInput(name="Bench", comments=f"{n} {COMMENTS}",
                                  email="bench@example.org", page_id="is-ketamine-safe")
            started = time.perf_counter()
            outbox.submit(entry)
            times.append((time.perf_counter() - started) * 1000)
    print(f"submit x{count} (synchronous=FULL): p50 {statistics.median(times):.2f} ms, "
          f"p95 {percentile(times, 0.95):.2f} ms, max {max(times):.2f} ms")


def bench_deliver(folder: Path, count: int) -> None:
    with Outbox(folder / "deliver.sqlite3") as outbox:
        for n in range(count):
            outbox.submit(FeedbackInput(name="Bench", comments=f"{n} {COMMENTS}"))
        handler = CountingHandler()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(handler, hostname="127.0.0.1", port=port,
                                server_hostname="localhost")
        controller.start()
        try:
            settings = SmtpSettings(host="127.0.0.1", port=port, security="none")
            started = time.perf_counter()
            report = deliver_pending(outbox, settings)
            elapsed = time.perf_counter() - started
        finally:
            controller.stop()
    print(f"deliver x{count} over loopback: {elapsed:.2f} s "
          f"({count / elapsed:.0f} messages/s), sent {report.sent}, "
          f"received {handler.count}, connections {len(handler.sessions)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submits", type=int, default=200)
    parser.add_argument("--deliver", type=int, default=1000)
    parser.add_argument("--dir", type=Path, help="folder to put the outbox files in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        bench_submit(Path(folder), args.submits)
        bench_deliver(Path(folder), args.deliver)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
