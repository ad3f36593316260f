"""One way to run work off the GUI thread: a BackgroundRunner runs callables on its own
Python threads and delivers each result, or the exception it raised, back on the GUI thread
(as Anki's QueryOp does). Search, the outbox sender and the read-aloud voice lookup use it.

Python threads, not a QThreadPool: a pool's destructor waits for its running jobs while it
holds the GIL, so a window deleted while a job ran Python (a voice lookup waiting on its
process) hung the program for good. Nothing here waits unless asked (`wait`), and a job
that ends after its runner is gone delivers nothing."""

from __future__ import annotations

import atexit
import itertools
import threading
import weakref
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
        atexit.register(_end)  # before PySide's own exit handler deletes the application
    return _dispatcher


def _end() -> None:
    global _ending
    with _emitting:
        _ending = True


def _emit(dispatcher: _Dispatcher, deliver: Callable[[], None]) -> None:
    with _emitting:
        if not _ending:
            dispatcher.call.emit(deliver)


class _Queue:
    """The runner's waiting work and threads, apart from the QObject. A worker thread holds
    only job numbers, the work it runs and its result, never a callback: the last reference
    to a callback, dropped on a worker thread, could delete a window there (a window that
    Python owns goes when its last reference does)."""

    def __init__(self, threads: int):
        self.threads = threads
        self.waiting: deque[tuple[int, Callable[[], Any]]] = deque()
        self.finished: dict[int, tuple[Any, Exception | None]] = {}
        self.workers = 0  # threads alive; each ends when nothing waits
        self.running = 0
        self.condition = threading.Condition()


class BackgroundRunner(QObject):
    """`run(work, done, failed)`: work() on a worker thread; done(result) or
    failed(exception) on the GUI thread. One thread by default, so jobs run in order."""

    def __init__(self, parent: QObject | None = None, threads: int = 1):
        super().__init__(parent)
        self._queue = _Queue(threads)
        # GUI thread only: what each job calls back, released here once it is delivered
        self._jobs: dict[int, tuple[Callable[[], Any], Callable[[Any], None],
                                    Callable[[Exception], None] | None]] = {}
        self._numbers = itertools.count()

    def run(self, work: Callable[[], Any], done: Callable[[Any], None],
            failed: Callable[[Exception], None] | None = None) -> None:
        dispatcher, queue = _gui_dispatcher(), self._queue
        number = next(self._numbers)
        self._jobs[number] = (work, done, failed)
        with queue.condition:
            queue.waiting.append((number, work))
            if queue.workers < queue.threads:
                queue.workers += 1
                threading.Thread(target=_work, args=(queue, weakref.ref(self), dispatcher),
                                 name="kfr-background", daemon=True).start()

    def _deliver(self, number: int) -> None:
        """On the GUI thread (through the dispatcher)."""
        with self._queue.condition:
            outcome = self._queue.finished.pop(number, None)
        job = self._jobs.pop(number, None)
        if outcome is None or job is None:  # dropped meanwhile
            return
        _work_kept, done, failed = job
        result, error = outcome
        if error is None:
            done(result)
        elif failed is not None:
            failed(error)
        else:
            raise error

    def drop_queued(self) -> None:
        """Jobs not started yet are dropped: no work, nothing delivered (a newer search
        replaces them); a job already running finishes and delivers."""
        for number in _forget_waiting(self._queue):
            self._jobs.pop(number, None)

    def busy(self) -> bool:
        return bool(self._jobs)

    def wait(self, msecs: int = 30_000) -> bool:
        """True once no job waits or runs (its result may still be on its way)."""
        queue = self._queue
        with queue.condition:
            return queue.condition.wait_for(lambda: not queue.waiting and not queue.running,
                                            timeout=msecs / 1000)


def _forget_waiting(queue: _Queue) -> list[int]:
    with queue.condition:
        numbers = [number for number, _work in queue.waiting]
        queue.waiting.clear()
        queue.condition.notify_all()
    return numbers


def _deliver_to(runner: weakref.ref[BackgroundRunner], number: int) -> None:
    alive = runner()
    if alive is not None and shiboken6.isValid(alive):
        alive._deliver(number)


def _work(queue: _Queue, runner: weakref.ref[BackgroundRunner],
          dispatcher: _Dispatcher) -> None:
    while True:
        with queue.condition:
            if not queue.waiting:
                queue.workers -= 1
                queue.condition.notify_all()
                return
            number, work = queue.waiting.popleft()
            queue.running += 1
        try:
            outcome: tuple[Any, Exception | None] = (work(), None)
        except Exception as exc:  # a thread boundary: report it, never lose it in the pool
            outcome = (None, exc)
        del work  # the runner keeps its own reference, released on the GUI thread
        with queue.condition:
            queue.finished[number] = outcome
            queue.running -= 1
            queue.condition.notify_all()
        del outcome
        _emit(dispatcher, partial(_deliver_to, runner, number))
