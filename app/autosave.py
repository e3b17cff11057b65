"""Autosave and crash recovery: the unsaved text goes to a private recovery file, never beside the user's.

``RecoveryStore`` (no Qt) keeps one JSON file per open document in ``data_dir()/recovery`` (folder
0700, files 0600, written atomically). A file whose owning process is gone is an orphan: the next
start offers to restore it. ``Autosaver`` writes it off the UI thread after a few seconds of idle.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from editor.errors import DocumentError
from editor.fileformat import read_text, write_atomic
from editor.paths import data_dir, private_dir

IDLE_MS = 2500  # write this long after the last keystroke
MAX_DELAY_MS = 20_000  # and at least this often while typing without pause


@dataclass(frozen=True)
class Recovery:
    id: str
    path: str | None  # the document's file, None for an unsaved draft
    text: str
    saved_at: float
    pid: int
    file: Path

    @property
    def name(self) -> str:
        return Path(self.path).name if self.path else "an unsaved draft"


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RecoveryStore:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or data_dir() / "recovery"

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def file_for(self, rec_id: str) -> Path:
        return self.folder / f"{rec_id}.json"

    def write(self, rec_id: str, text: str, path: str | None) -> Path:
        private_dir(self.folder)
        target = self.file_for(rec_id)
        payload = {"format": 1, "path": path, "pid": os.getpid(), "saved_at": time.time(), "text": text}
        write_atomic(target, json.dumps(payload, ensure_ascii=False), mode=0o600)
        return target

    def discard(self, rec_id: str) -> None:
        try:
            self.file_for(rec_id).unlink()
        except FileNotFoundError:
            pass

    def read(self, file: Path) -> Recovery | None:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            return Recovery(
                id=file.stem,
                path=data.get("path"),
                text=str(data["text"]),
                saved_at=float(data.get("saved_at", 0)),
                pid=int(data.get("pid", 0)),
                file=file,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def orphans(self) -> list[Recovery]:
        """Recovery files left by a process that is no longer running, newest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for file in self.folder.glob("*.json"):
            rec = self.read(file)
            if rec is None or _alive(rec.pid):
                continue
            if _saved_already(rec):
                self.discard(rec.id)  # nothing to restore: asking would only alarm the writer
                continue
            found.append(rec)
        return sorted(found, key=lambda r: r.saved_at, reverse=True)


def _saved_already(rec: Recovery) -> bool:
    """Killed between a save and the removal of its recovery file: the document already holds this text."""
    if not rec.path:
        return False
    try:
        return read_text(rec.path) == rec.text
    except DocumentError:
        return False


class Autosaver(QObject):
    """Writes the session's text to its recovery file after typing pauses, on the IO worker."""

    written = Signal(str)  # recovery file path
    failed = Signal(str)

    def __init__(self, session, runner, store: RecoveryStore | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.store = store or RecoveryStore()
        self.rec_id = RecoveryStore.new_id()
        self.idle_ms = IDLE_MS
        self._last_written: tuple[str, str | None] | None = None
        self._first_unsaved: float | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.save_now)
        session.changed.connect(self._changed)
        session.modifiedChanged.connect(self._modified_changed)

    def adopt(self, rec_id: str) -> None:
        """Continues writing to a restored recovery file, so it is replaced rather than duplicated."""
        self.rec_id = rec_id

    def _changed(self, _revision: int) -> None:
        # Qt reports the edit before it flips the modified flag, so save_now decides, not this.
        now = time.monotonic()
        if self._first_unsaved is None:
            self._first_unsaved = now
        overdue = (now - self._first_unsaved) * 1000 >= MAX_DELAY_MS
        self.timer.start(0 if overdue else self.idle_ms)

    def _modified_changed(self, modified: bool) -> None:
        if not modified:
            self.discard()

    def save_now(self) -> None:
        if not self.session.modified:
            return
        text = self.session.text()
        path = str(self.session.path) if self.session.path else None
        if self._last_written == (text, path):
            return
        self._first_unsaved = None
        rec_id, store = self.rec_id, self.store

        def job() -> str:
            return str(store.write(rec_id, text, path))

        def done(result: object) -> None:
            if isinstance(result, (DocumentError, OSError)):
                self.failed.emit(str(result))
            elif isinstance(result, BaseException):
                self.failed.emit(f"Autosave failed: {result}")
            else:
                self._last_written = (text, path)
                self.written.emit(str(result))

        self.runner.submit("io", job, done)

    def discard(self) -> None:
        """The text is safe on disk (or thrown away on purpose): remove the recovery file."""
        self.timer.stop()
        self._last_written = None
        self._first_unsaved = None
        rec_id, store = self.rec_id, self.store
        self.runner.submit("io", lambda: store.discard(rec_id), None)
