"""Another program changing the open file: noticed while it is open, and checked again right before a save.

A ``QFileSystemWatcher`` reports a change; the file is hashed on the IO worker and compared with the
versions this window read or wrote, so our own saves never count as outside changes. The save job
hashes the file again just before it writes (``unexpected``), so a save never silently replaces what
another program wrote: the window asks first. A version the writer chose to keep their text over is
not announced twice, but the next save still asks.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from app.workers import Runner

SETTLE_MS = 150  # another program's save often arrives as several events; look once they stop


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str | None:
    """The hash of the file's bytes, or None when it is gone (runs on the IO worker)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def unexpected(path: Path, known: frozenset[str]) -> str | None:
    """The hash of the file when it holds a version nobody here read or wrote; None when saving is safe."""
    if not known:
        return None
    current = file_digest(path)
    return current if current is not None and current not in known else None


class OutsideChanges(QObject):
    """Watches the window's file; ``changed(digest)`` when another program wrote a new version."""

    changed = Signal(str)  # the hash of the version on disk
    removed = Signal()  # the file was deleted or moved away

    def __init__(self, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.path: Path | None = None
        self.known: set[str] = set()  # versions this window read or wrote
        self.kept_over: str | None = None  # an outside version the writer chose to keep their text over
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_changed)
        self._timer = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._timer.timeout.connect(self.check)

    def track(self, path: Path | None, text: str | None) -> None:
        """The window now shows ``path`` as ``text`` (opened, saved or reloaded)."""
        self.path = Path(path) if path else None
        self.known = {text_digest(text)} if (path and text is not None) else set()
        self.kept_over = None
        self._rewatch()

    def expect(self, text: str) -> None:
        """A save of ``text`` is about to be written: its change event is ours."""
        self.known.add(text_digest(text))

    def guard(self) -> tuple[Path | None, frozenset[str]]:
        """What a save job compares the file with (taken on the UI thread)."""
        return self.path, frozenset(self.known)

    def keep_mine(self, digest: str) -> None:
        self.kept_over = digest

    def stop(self) -> None:
        self._timer.stop()
        paths = self.watcher.files()
        if paths:
            self.watcher.removePaths(paths)

    def _rewatch(self) -> None:
        """Watches the path afresh: an atomic save (ours or theirs) replaces the file the watcher followed."""
        paths = self.watcher.files()
        if paths:
            self.watcher.removePaths(paths)
        if self.path is not None and self.path.exists():
            self.watcher.addPath(str(self.path))

    def _file_changed(self, _path: str) -> None:
        self._timer.start()

    def check(self) -> None:
        """Hashes the file on the IO worker and reports a version nobody here wrote."""
        self._timer.stop()
        path = self.path
        if path is None:
            return

        def done(result: object) -> None:
            if path != self.path:
                return  # another document was opened meanwhile
            self._rewatch()
            if isinstance(result, BaseException):
                return  # unreadable for a moment (permissions, a half-made copy): the save check still guards
            if result is None:
                self.removed.emit()
            elif result not in self.known and result != self.kept_over:
                self.changed.emit(str(result))

        self.runner.submit("io", lambda: file_digest(path), done)
