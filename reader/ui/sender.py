"""The sender: empties the outbox on a worker thread, so the window never waits for mail.

Not a widget: the reader session owns it (reader/ui/session.py). It retries on the outbox's
backoff by itself and tells the window a short line for staff, never what anyone wrote.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QTimer, Signal

from reader.config import SmtpSettings
from reader.mailer import DeliveryReport, deliver_pending
from reader.outbox import Outbox, OutboxError, OutboxStatus
from reader.ui.i18n import plural
from reader.ui.tasks import BackgroundRunner

log = logging.getLogger(__name__)


class OutboxWorker(QObject):
    """Sends the outbox on a worker thread: call start() once, kick() after each
    submission; it retries on the backoff timer by itself. Emits statusChanged with a
    short line for staff ("2 messages waiting"), never what anyone wrote."""

    statusChanged = Signal(str)
    deliveryFinished = Signal(object)  # the DeliveryReport of each run

    def __init__(self, outbox: Outbox, settings: SmtpSettings, parent=None):
        super().__init__(parent)
        self._outbox, self._settings = outbox, settings
        self._runner = BackgroundRunner(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.kick)
        self._running = self._again = self._stopping = False
        self.status_text = ""
        self.setup_problem = ""  # the last run's setup problem (no password, ...), for staff

    def start(self) -> None:
        self.refresh()
        self.kick()

    def kick(self) -> None:
        """Send what is due now, on the worker thread (or right after the current run)."""
        if self._stopping:
            return
        if not self._settings.configured:
            self.refresh()
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self._timer.stop()
        self._runner.run(self._run, self._finished, self._failed)

    def stop(self, wait_ms: int = 5000) -> bool:
        """No new runs; waits for the current one (it stops between messages)."""
        self._stopping = True
        self._timer.stop()
        return self._runner.wait(wait_ms)

    def is_busy(self) -> bool:
        return self._running

    def refresh(self) -> None:
        try:
            status = self._outbox.status()
        except OutboxError as exc:
            self._set_status(self.tr("Feedback outbox cannot be read: {reason}").format(reason=exc))
            return
        line = self.describe(status)
        if status.waiting and not self._settings.configured:
            line += self.tr(" (email is not set up)")
        elif status.waiting and self.setup_problem:  # no later try helps: say what to mend
            line += self.tr(" (email settings need fixing: main.py config check)")
        elif status.queued and status.next_attempt:
            line += self.tr(", next try at {time}").format(
                time=time.strftime("%H:%M", time.localtime(status.next_attempt)))
        self._set_status(line)

    def describe(self, status: OutboxStatus) -> str:
        """OutboxStatus.describe() in the reader's language, e.g. "2 messages waiting"."""
        return status.describe(self._phrase)

    def _phrase(self, kind: str, n: int) -> str:  # the words of reader.outbox.PHRASES
        if kind == "waiting":
            return plural(self.tr("%n message(s) waiting", "", n), n)
        if kind == "failed":
            return plural(self.tr("%n message(s) could not be sent", "", n), n)
        return self.tr("No messages waiting")

    def _set_status(self, line: str) -> None:
        if line != self.status_text:
            self.status_text = line
            self.statusChanged.emit(line)

    def _run(self) -> DeliveryReport:  # on the worker thread
        return deliver_pending(self._outbox, self._settings, should_stop=lambda: self._stopping)

    def _failed(self, exc: Exception) -> None:  # back on the window's thread
        log.warning("feedback delivery stopped: %s", exc)  # never what anyone wrote
        self._after_run()
        if self._again:  # a message submitted during the run does not wait for the timer
            self._again = False
            self.kick()
        else:
            self._schedule(60)

    def _finished(self, result: DeliveryReport) -> None:  # back on the window's thread
        self.setup_problem = result.error if result.setup else ""
        self._after_run()
        self.deliveryFinished.emit(result)
        if result.next_attempt is not None:
            delay = result.next_attempt - time.time()
            self._schedule(max(delay, 60) if result.error else delay)
        if self._again:
            self._again = False
            self.kick()

    def _after_run(self) -> None:
        self._running = False
        self.refresh()

    def _schedule(self, seconds: float) -> None:
        if not self._stopping:
            self._timer.start(int(min(max(seconds, 1.0), 3600.0) * 1000))
