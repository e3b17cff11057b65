"""Grammar as you type: a Qt front for ``editor.grammar.GrammarService`` that never blocks the UI thread.

Wire-up (for the main window)::

    worker = GrammarWorker(parent=window)
    worker.statusChanged.connect(lambda state, message: window.statusBar().showMessage(message))
    worker.findingsReady.connect(window.show_grammar_findings)  # (revision, list[Finding])
    editor.textChanged.connect(lambda: worker.set_text(editor.toPlainText()))

Typing restarts a short timer; when it fires, one background thread checks the paragraphs that
changed (the rest come from the cache) and emits the findings with the revision they belong to,
so the window can drop stale ones (the worker drops those it knows are stale itself). The first
check starts LanguageTool (seconds): that shows as a status, not a hang. If the server dies, checks
pause with a notice and a timer retries until it is back. At quit the worker stops the server it
started.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from editor.errors import DocumentError
from editor.fileformat import parse
from editor.grammar import GrammarService
from editor.grammar.checker import document_language, known_words
from editor.grammar.locate import RemoteServer
from editor.grammar.prose import prose_chunks
from editor.grammar.service import server_errors

DEBOUNCE_MS = 400
RETRY_MS = 5000


class GrammarWorker(QObject):
    statusChanged = Signal(str, str)  # state (idle|starting|ready|unavailable|stopped|off), message for the writer
    findingsReady = Signal(int, object)  # revision, list[Finding]

    def __init__(
        self,
        service: GrammarService | None = None,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        retry_ms: int = RETRY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service if service is not None else GrammarService()
        self.service.on_status = self.statusChanged.emit  # called from the worker thread; Qt queues it to us
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="grammar")
        self._lock = threading.Lock()
        self._text = ""
        self._revision = 0
        self._closed = False
        self._debounce = QTimer(self, singleShot=True, interval=debounce_ms)
        self._debounce.timeout.connect(self._submit)
        self._retry = QTimer(self, interval=retry_ms)
        self._retry.timeout.connect(self._submit_revive)
        self.statusChanged.connect(self._on_status)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- what the window calls ---------------------------------------------------------------------------------
    @property
    def state(self) -> str:
        return self.service.state

    @property
    def revision(self) -> int:
        return self._revision

    def start(self) -> None:
        """Starts LanguageTool in the background now (otherwise the first check does)."""
        if not self._closed:
            self._pool.submit(self._guard, self._bring_up)

    def set_text(self, text: str, revision: int | None = None) -> int:
        """The editor's text changed; checks it after a pause in typing. Returns the revision it gets."""
        with self._lock:
            self._text = text
            self._revision = revision if revision is not None else self._revision + 1
            rev = self._revision
        self._debounce.start()
        return rev

    def check_now(self) -> None:
        self._debounce.stop()
        self._submit()

    def shutdown(self) -> None:
        """Stops checking and stops the server this worker's service started (quit)."""
        if self._closed:
            return
        self._closed = True
        self._debounce.stop()
        self._retry.stop()
        self.service.on_status = None
        self.service.stop()  # a check in flight fails fast once the server is gone
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- main thread -------------------------------------------------------------------------------------------
    @Slot(str, str)
    def _on_status(self, state: str, _message: str) -> None:
        if state == "ready":
            self._retry.stop()
        elif state in ("stopped", "unavailable") and not self._closed and self._worth_retrying():
            self._retry.start()

    def _worth_retrying(self) -> bool:
        """A server we had, or one the writer configured, may come back; a missing install will not.

        Asked of the service, not of this worker's own signals: a second window shares a server that
        was ready before its worker was made, and must still bring it back when it stops.
        """
        return self.service.ever_ready or isinstance(self.service.source, RemoteServer)

    def _submit(self) -> None:
        if self._closed:
            return
        with self._lock:
            text, rev = self._text, self._revision
        self._pool.submit(self._guard, self._check, text, rev)

    def _submit_revive(self) -> None:
        if not self._closed:
            self._pool.submit(self._guard, self._revive)

    # -- worker thread -----------------------------------------------------------------------------------------
    def _guard(self, fn, *args) -> None:
        """Nothing a check raises may escape into the pool, where it would vanish silently."""
        try:
            fn(*args)
        except Exception as exc:  # the service reports its own failures; this is the last net
            if not self._closed:
                self.statusChanged.emit("stopped", f"Grammar check failed ({type(exc).__name__}); paused")

    def _stale(self, rev: int) -> bool:
        return self._closed or rev != self._revision

    def _bring_up(self) -> bool:
        if self._closed:
            return False
        return self.service.start()

    def _revive(self) -> None:
        if not self._closed and self.service.retry():
            self._submit_from_worker()

    def _submit_from_worker(self) -> None:
        with self._lock:
            text, rev = self._text, self._revision
        if text:
            self._check(text, rev)

    def _check(self, text: str, rev: int) -> None:
        if self._stale(rev) or not self._bring_up() or self._stale(rev):
            return
        try:
            doc = parse(text)
        except DocumentError:
            return  # the structure panel explains the broken front matter; grammar waits for a readable file
        checker = self.service.checker
        assert checker is not None
        chunks = prose_chunks(doc.text, doc.front_matter_end)
        language = document_language(doc)
        try:
            checker.fetch((c.text for c in chunks), language, stop=lambda: self._stale(rev))
            if self._stale(rev):
                return  # the writer moved on; what was fetched stays cached for the next check
            findings = checker.check_chunks(doc.text, chunks, known_words(doc), language)
        except server_errors():
            if not self._closed:
                self.service.mark_lost()
            return
        if not self._stale(rev):
            self.findingsReady.emit(rev, findings)
