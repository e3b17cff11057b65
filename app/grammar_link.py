"""Grammar in the window: feeds the open document to a ``GrammarWorker`` and keeps its findings on the text.

Findings come back with the revision they were checked at; one for an older revision is dropped (the
writer has moved on and a newer check is on its way). Kept findings are anchored with text cursors, so
their underlines move with later edits until the next result replaces them.

One LanguageTool per process: every window (and, in a test session, every test's window) shares the
service made for the current grammar settings, so a window never starts a second server. Changing the
settings replaces the service (the old server stops in the background); the server stops when the
application quits, and at exit in any case (``editor.grammar.server``).
"""

from __future__ import annotations

import dataclasses
import os
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QTextCursor

from editor.check import apply_suppressions
from editor.findings import Finding
from editor.model import Document
from editor.settings import GrammarSettings
from editor.ui.session import DocumentSession

if TYPE_CHECKING:
    from app.grammar_worker import GrammarWorker
    from editor.grammar import GrammarService

RUNNING_SERVER_ENV = "ONRECORD_LANGUAGETOOL_URL"  # editor.grammar.locate's; read here without importing it

Anchored = tuple[Finding, QTextCursor, str]  # the finding as checked, where its text is now, the text checked

_shared: tuple[tuple, GrammarService] | None = None
_lock = threading.Lock()
_quit_hooked: QCoreApplication | None = None


def _key(settings: GrammarSettings) -> tuple:
    return (
        (settings.mode or "auto").strip().lower(),
        settings.url.strip(),
        settings.folder.strip(),
        os.environ.get(RUNNING_SERVER_ENV, "").strip(),
    )


def shared_service(settings: GrammarSettings) -> GrammarService:
    """The process's grammar service for these settings; a service for other settings is stopped (off-thread)."""
    global _shared, _quit_hooked
    with _lock:
        key = _key(settings)
        if _shared is not None and _shared[0] == key:
            return _shared[1]
        old = _shared[1] if _shared is not None else None
        from editor.grammar import GrammarService

        service = GrammarService(dataclasses.replace(settings))
        _shared = (key, service)
    if old is not None:
        threading.Thread(target=old.stop, name="grammar-stop", daemon=True).start()
    app = QCoreApplication.instance()
    if app is not None and app is not _quit_hooked:
        _quit_hooked = app
        app.aboutToQuit.connect(stop_shared)
    return service


def stop_shared() -> None:
    """Stops the shared service's server (at quit)."""
    with _lock:
        service = _shared[1] if _shared is not None else None
    if service is not None:
        service.on_status = None
        service.stop()


class _Released:
    """Stands in for the shared service in a worker that is let go, so its shutdown stops nothing shared."""

    on_status = None
    state = "stopped"
    checker = None
    source = None

    def start(self) -> bool:
        return False

    def retry(self) -> bool:
        return False

    def stop(self) -> None:
        pass

    def mark_lost(self) -> None:
        pass


def release(worker: GrammarWorker) -> None:
    """Stops one window's checks; the shared server keeps running for the next window."""
    service = worker.service
    service.on_status = None
    worker.service = _Released()
    worker.shutdown()


class GrammarLink(QObject):
    """Grammar findings for one window's document (see the module docstring)."""

    statusChanged = Signal(str, str)  # state, message (the worker's)
    findingsChanged = Signal(int)  # the revision the grammar findings now shown were checked at

    def __init__(self, session: DocumentSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.worker: GrammarWorker | None = None
        self.state = "idle"
        self.message = ""
        self.checked_revision = -1
        self.dropped = 0
        self._stopped = False
        self._anchors: list[Anchored] = []
        session.changed.connect(self._changed)
        session.loaded.connect(self._loaded)

    # -- settings ------------------------------------------------------------------------------------
    def configure(self, settings: GrammarSettings) -> None:
        """Starts checking with the grammar settings given (after the window's first paint, and again when the
        preferences change); until then the text waits."""
        from app.grammar_worker import GrammarWorker  # LanguageTool's client code is not needed to paint

        if self._stopped:
            return
        if self.worker is not None:
            release(self.worker)
            self.worker.deleteLater()
            self._anchors = []  # findings of the old checker go; the new one checks the text afresh
            self.checked_revision = -1
            self.findingsChanged.emit(self.session.revision)
        self.worker = GrammarWorker(shared_service(settings), parent=self)
        self.worker.statusChanged.connect(self._status)
        self.worker.findingsReady.connect(self._ready)
        if self.worker.state != "idle":  # a shared service already running (or known to be off)
            self._status(self.worker.state, self.worker.service.status_text)
        self._changed(self.session.revision)

    def stop(self) -> None:
        """The window is closing: no more checks from it."""
        self._stopped = True
        if self.worker is not None:
            release(self.worker)
            self.worker = None

    # -- text in -------------------------------------------------------------------------------------
    def _changed(self, revision: int) -> None:
        if self.worker is not None:
            self.worker.set_text(self.session.text(), revision)

    def _loaded(self) -> None:
        self._anchors = []
        self.checked_revision = -1
        self.findingsChanged.emit(self.session.revision)

    def check_now(self) -> None:
        if self.worker is not None:
            self.worker.set_text(self.session.text(), self.session.revision)
            self.worker.check_now()

    # -- findings out --------------------------------------------------------------------------------
    def _status(self, state: str, message: str) -> None:
        self.state, self.message = state, message
        self.statusChanged.emit(state, message)

    def _ready(self, revision: int, findings: list[Finding]) -> None:
        if revision != self.session.revision:
            self.dropped += 1  # the text moved on; the check of the newer text is on its way
            return
        text = self.session.text()
        anchors = []
        for f in findings:
            cur = QTextCursor(self.session.qdoc)
            cur.setPosition(min(f.start, len(text)))
            cur.setPosition(min(max(f.end, f.start), len(text)), QTextCursor.MoveMode.KeepAnchor)
            anchors.append((f, cur, text[f.start : f.end]))
        self._anchors = anchors
        self.checked_revision = revision
        self.findingsChanged.emit(revision)

    def findings(self, doc: Document, disabled: list[str]) -> list[Anchored]:
        """The grammar findings where their text is now, labelled with their section, minus those ignored
        (the front matter's ``ignore`` list, inline comments, categories turned off)."""
        out: dict[Finding, Anchored] = {}
        for f, cur, original in self._anchors:
            a, b = cur.selectionStart(), cur.selectionEnd()
            if b == a and original:
                continue  # its words were deleted
            sec = doc.section_at(a)
            moved = dataclasses.replace(f, start=a, end=b, section=sec.label() if sec else "Details")
            out[moved] = (moved, cur, original)
        kept = apply_suppressions(doc, list(out), disabled)
        return [out[f] for f in kept]
