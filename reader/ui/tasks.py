"""One way to run work off the GUI thread: a BackgroundRunner runs callables on its own
pool and delivers each result, or the exception it raised, back on the GUI thread (as Anki's
QueryOp does). Search and the outbox sender both use it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Delivery(QObject):
    finished = Signal(object, object)  # result, exception (one of them is None)


_DROPPED = object()


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], delivery: _Delivery):
        super().__init__()
        self._work, self._delivery = work, delivery
        self.dropped = False  # set from the GUI thread before the job starts: skip the work

    def run(self) -> None:
        if self.dropped:
            result, error = _DROPPED, None
        else:
            try:
                result, error = self._work(), None
            except Exception as exc:  # a thread boundary: report it, never lose it in the pool
                result, error = None, exc
        self._delivery.finished.emit(result, error)


class BackgroundRunner(QObject):
    """`run(work, done, failed)`: work() on the pool; done(result) or failed(exception) on
    the thread this runner lives in. One thread by default, so jobs run in order."""

    def __init__(self, parent: QObject | None = None, threads: int = 1):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._jobs: set[_Job] = set()

    def run(self, work: Callable[[], Any], done: Callable[[Any], None],
            failed: Callable[[Exception], None] | None = None) -> None:
        delivery = _Delivery(self)
        job = _Job(work, delivery)
        job.setAutoDelete(False)  # kept in self._jobs until its result is delivered
        self._jobs.add(job)

        def deliver(result: Any, error: Exception | None) -> None:
            self._jobs.discard(job)
            delivery.deleteLater()
            if result is _DROPPED:
                return
            if error is None:
                done(result)
            elif failed is not None:
                failed(error)
            else:
                raise error

        delivery.finished.connect(deliver)
        self._pool.start(job)

    def drop_queued(self) -> None:
        """Jobs not started yet skip their work and deliver nothing (a newer search
        replaces them); a job already running finishes and delivers."""
        for job in self._jobs:
            job.dropped = True

    def busy(self) -> bool:
        return bool(self._jobs)

    def wait(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)
