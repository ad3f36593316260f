"""One way to run work off the GUI thread: a BackgroundRunner runs callables on its own
Python threads and delivers each result, or the exception it raised, back on the GUI thread
(as Anki's QueryOp does). Search, the outbox sender and the read-aloud voice lookup use it.

Python threads, not a QThreadPool: a pool's destructor waits for its running jobs while it
holds the GIL, so a window deleted while a job ran Python (a voice lookup waiting on its
process) hung the program for good. Nothing here waits unless asked (`wait`), and a job
that ends after its runner is gone delivers nothing."""

from __future__ import annotations

import atexit
import threading
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal


class _Dispatcher(QObject):
    """Lives on the GUI thread for the whole program and is never deleted, so a worker may
    always emit on it; each emission runs its callable on the GUI thread."""

    call = Signal(object)

    def __init__(self):
        super().__init__()
        self.call.connect(lambda deliver: deliver(), Qt.ConnectionType.QueuedConnection)


_dispatcher: _Dispatcher | None = None
# A worker emits holding this lock, and only while the program is not ending: an emission
# while Qt tears itself down at exit crashed the process (a search warm-up still running).
_emitting = threading.Lock()
_ending = False


def _gui_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = _Dispatcher()
        application = QCoreApplication.instance()
        if application is not None:
            _dispatcher.moveToThread(application.thread())
            application.destroyed.connect(_end)
        atexit.register(_end)  # before PySide's own exit handler deletes the application
    return _dispatcher


def _end(*_) -> None:
    global _ending
    with _emitting:
        _ending = True


def _emit(dispatcher: _Dispatcher, deliver: Callable[[], None]) -> None:
    with _emitting:
        if not _ending:
            dispatcher.call.emit(deliver)


class _Job:
    __slots__ = ("work", "done", "failed")

    def __init__(self, work: Callable[[], Any], done: Callable[[Any], None],
                 failed: Callable[[Exception], None] | None):
        self.work, self.done, self.failed = work, done, failed


class _Queue:
    """The runner's jobs and threads, kept apart from the QObject: a worker thread touches
    only this, never a Qt object that the GUI thread may delete."""

    def __init__(self, threads: int):
        self.threads = threads
        self.waiting: deque[_Job] = deque()
        self.undelivered: set[_Job] = set()  # queued, running, or result not yet delivered
        self.workers = 0  # threads alive; each ends when nothing waits
        self.running = 0
        self.condition = threading.Condition()


class BackgroundRunner(QObject):
    """`run(work, done, failed)`: work() on a worker thread; done(result) or
    failed(exception) on the GUI thread. One thread by default, so jobs run in order."""

    def __init__(self, parent: QObject | None = None, threads: int = 1):
        super().__init__(parent)
        self._queue = _Queue(threads)
        queue = self._queue
        self.destroyed.connect(lambda *_: _forget_waiting(queue))

    def run(self, work: Callable[[], Any], done: Callable[[Any], None],
            failed: Callable[[Exception], None] | None = None) -> None:
        dispatcher, queue = _gui_dispatcher(), self._queue
        job = _Job(work, done, failed)
        with queue.condition:
            queue.waiting.append(job)
            queue.undelivered.add(job)
            if queue.workers < queue.threads:
                queue.workers += 1
                threading.Thread(target=_work, args=(queue, self._deliver, dispatcher),
                                 name="kfr-background", daemon=True).start()

    def _deliver(self, job: _Job, result: Any, error: Exception | None) -> None:
        """On the GUI thread (through the dispatcher), unless this runner is gone."""
        if not shiboken6.isValid(self):
            return
        with self._queue.condition:
            if job not in self._queue.undelivered:  # dropped meanwhile
                return
            self._queue.undelivered.discard(job)
        if error is None:
            job.done(result)
        elif job.failed is not None:
            job.failed(error)
        else:
            raise error

    def drop_queued(self) -> None:
        """Jobs not started yet are dropped: no work, nothing delivered (a newer search
        replaces them); a job already running finishes and delivers."""
        _forget_waiting(self._queue)

    def busy(self) -> bool:
        with self._queue.condition:
            return bool(self._queue.undelivered)

    def wait(self, msecs: int = 30_000) -> bool:
        """True once no job waits or runs (its result may still be on its way)."""
        queue = self._queue
        with queue.condition:
            return queue.condition.wait_for(lambda: not queue.waiting and not queue.running,
                                            timeout=msecs / 1000)


def _forget_waiting(queue: _Queue) -> None:
    with queue.condition:
        for job in queue.waiting:
            queue.undelivered.discard(job)
        queue.waiting.clear()
        queue.condition.notify_all()


def _work(queue: _Queue, deliver: Callable[[_Job, Any, Exception | None], None],
          dispatcher: _Dispatcher) -> None:
    while True:
        with queue.condition:
            if not queue.waiting:
                queue.workers -= 1
                queue.condition.notify_all()
                return
            job = queue.waiting.popleft()
            queue.running += 1
        try:
            result, error = job.work(), None
        except Exception as exc:  # a thread boundary: report it, never lose it in the pool
            result, error = None, exc
        _emit(dispatcher, partial(deliver, job, result, error))
        with queue.condition:
            queue.running -= 1
            queue.condition.notify_all()
