"""Background work off the UI thread: named serial queues on a QThreadPool.

Each queue runs one job at a time. A "latest" queue (checks, page count, preview) keeps only the
newest waiting job, so a burst of keystrokes costs one run, not one per key; the "io" queue runs
every job in order (an autosave and the discard after a save must not swap). Results come back on
the UI thread as values — an exception is returned, not raised — so a failing job cannot take the
editor down.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

Done = Callable[[object], None] | None


class _Relay(QObject):
    finished = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.job_id, self.fn, self.relay = job_id, fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # returned as a value; the UI decides what to say
            result = exc
        self.relay.finished.emit(self.job_id, result)


@dataclass
class _Pending:
    job_id: int
    fn: Callable[[], object]
    done: Done


class Runner(QObject):
    def __init__(self, parent: QObject | None = None, threads: int = 3) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._ids = itertools.count(1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self._waiting: dict[str, deque[_Pending]] = {}
        self._running: dict[str, tuple[_Job, Done]] = {}
        self._latest: set[str] = set()
        self._queue_of: dict[int, str] = {}
        self._closed = False

    def submit(self, queue: str, fn: Callable[[], object], done: Done = None, *, latest: bool = False) -> int:
        job_id = next(self._ids)
        waiting = self._waiting.setdefault(queue, deque())
        if latest:
            self._latest.add(queue)
            waiting.clear()
        waiting.append(_Pending(job_id, fn, done))
        self._queue_of[job_id] = queue
        self._start_next(queue)
        return job_id

    def busy(self, queue: str | None = None) -> bool:
        if queue is None:
            return bool(self._running) or any(self._waiting.values())
        return queue in self._running or bool(self._waiting.get(queue))

    def _start_next(self, queue: str) -> None:
        if queue in self._running or self._closed:
            return
        waiting = self._waiting.get(queue)
        if not waiting:
            return
        p = waiting.popleft()
        job = _Job(p.job_id, p.fn, self._relay)
        self._running[queue] = (job, p.done)
        self.pool.start(job)

    @Slot(int, object)
    def _finished(self, job_id: int, result: object) -> None:
        queue = self._queue_of.pop(job_id, None)
        if queue is None:
            return
        _job, done = self._running.pop(queue, (None, None))
        try:
            if done is not None:
                done(result)
        finally:
            self._start_next(queue)

    def close(self, msecs: int = 5000) -> None:
        """At shutdown, after ``flush("io")``: no waiting job starts any more, and the running ones finish.

        Else a job queued behind a running one would start from the finished signal after the window
        closed, and run while Python shuts down (Qt then warns about an exception in a worker thread).
        """
        self._closed = True
        for waiting in self._waiting.values():
            for p in waiting:
                self._queue_of.pop(p.job_id, None)
            waiting.clear()
        self.pool.waitForDone(msecs)

    def flush(self, queue: str, msecs: int = 5000) -> None:
        """Runs a queue to the end before returning (only at shutdown, so saves and autosaves finish)."""
        self.pool.waitForDone(msecs)
        self._running.pop(queue, None)
        for p in self._waiting.pop(queue, deque()):
            self._queue_of.pop(p.job_id, None)
            try:
                result = p.fn()
            except BaseException as exc:
                result = exc
            if p.done is not None:
                p.done(result)
