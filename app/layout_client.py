"""Talks to the page-layout child process (app.page_layout): one request in flight, the newest waiting.

If the child dies or hangs, the request fails with a plain message and the next request starts a
fresh child; the editor keeps its estimate meanwhile.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QTimer, Signal

import app

TIMEOUT_MS = 60_000


def child_command() -> list[str] | None:
    """``python -m app.page_layout``; None in a frozen bundle (no interpreter to start)."""
    if getattr(sys, "frozen", False):
        return None
    return [sys.executable, "-m", "app.page_layout"]


class LayoutProcess(QObject):
    finished = Signal(int, object)  # revision, pages (float) or None when the layout is not installed
    failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.command = child_command()
        self.proc: QProcess | None = None
        self._buffer = b""
        self._in_flight: int | None = None
        self._pending: tuple[int, str] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._timed_out)
        self.starts = 0
        qapp = QCoreApplication.instance()
        if qapp is not None:
            qapp.aboutToQuit.connect(self.stop)

    @property
    def available(self) -> bool:
        return self.command is not None

    def busy(self) -> bool:
        return self._in_flight is not None or self._pending is not None

    def request(self, revision: int, text: str) -> None:
        if self._in_flight is not None:
            self._pending = (revision, text)  # only the newest text matters
            return
        self._send(revision, text)

    def _ensure_started(self) -> QProcess:
        if self.proc is not None and self.proc.state() != QProcess.ProcessState.NotRunning:
            return self.proc
        proc = QProcess(self)
        proc.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        proc.setWorkingDirectory(str(Path(app.__file__).resolve().parent.parent))
        proc.readyReadStandardOutput.connect(self._read)
        proc.finished.connect(self._ended)
        proc.errorOccurred.connect(self._ended)
        proc.start(self.command[0], self.command[1:])
        self.proc = proc
        self.starts += 1
        return proc

    def _send(self, revision: int, text: str) -> None:
        proc = self._ensure_started()
        self._in_flight = revision
        proc.write((json.dumps({"id": revision, "text": text}) + "\n").encode("utf-8"))
        self._timer.start(TIMEOUT_MS)

    def _read(self) -> None:
        if self.proc is None:
            return
        self._buffer += bytes(self.proc.readAllStandardOutput())
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            try:
                reply = json.loads(line)
            except ValueError:
                continue
            if reply.get("id") != self._in_flight:
                continue
            self._timer.stop()
            rev, self._in_flight = self._in_flight, None
            if "error" in reply:
                self.failed.emit(rev, str(reply["error"]))
            else:
                self.finished.emit(rev, reply.get("pages"))
            self._next()

    def _next(self) -> None:
        if self._pending is not None and self._in_flight is None:
            rev, text = self._pending
            self._pending = None
            self._send(rev, text)

    def _ended(self, *_args) -> None:
        """The child exited or could not start: fail the request in flight; the next one restarts it."""
        if self.proc is None or self.sender() not in (self.proc, None):
            return  # a child that was already replaced or stopped
        proc, self.proc = self.proc, None
        self._buffer = b""
        self._timer.stop()
        if proc is not None:
            proc.deleteLater()
        if self._in_flight is not None:
            rev, self._in_flight = self._in_flight, None
            self.failed.emit(rev, "The page layout stopped unexpectedly; the count is an estimate until it restarts.")
        if self._pending is not None:
            QTimer.singleShot(500, self, self._next)  # give a crashing renderer a breath before retrying

    def _timed_out(self) -> None:
        if self.proc is not None:
            self.proc.kill()

    def stop(self) -> None:
        self._pending = None
        proc, self.proc = self.proc, None
        if proc is not None:
            proc.finished.disconnect()
            proc.errorOccurred.disconnect()
            proc.kill()  # it holds nothing worth saving; do not make closing wait for a layout
            proc.waitForFinished(1000)
