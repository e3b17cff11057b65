"""Grammar as a service the CLI and the GUI share: find LanguageTool, start it once, check, stop.

States: ``idle`` (nothing tried yet) → ``starting`` → ``ready``; or ``unavailable`` (with a notice
for the writer), ``off`` (turned off in settings), ``stopped`` (the server died or was stopped;
the next ``start`` restarts a server we own, or probes a configured one again).
Every method is thread-safe; ``start`` blocks, so the GUI calls it from a worker thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from editor.findings import Finding
from editor.grammar.checker import DEFAULT_LANGUAGE, GrammarChecker
from editor.grammar.locate import LocalInstall, NotAvailable, RemoteServer, Source, locate
from editor.grammar.server import DEFAULT_HEAP_MB, LocalServer, ServerError, http_json
from editor.model import Document
from editor.settings import GrammarSettings, load_settings

LANGUAGE = DEFAULT_LANGUAGE
CHECK_TIMEOUT_S = 30  # per request; a hung server must not hold a worker for language-tool-python's 300 s
WARM_UP_TEXT = "This sentence loads the English rules before the first real check."

StatusCallback = Callable[[str, str], None]


def server_errors() -> tuple[type[BaseException], ...]:
    """What a lost or broken server raises through language-tool-python (it wraps requests' errors, which
    are OSErrors, in LanguageToolError); anything else is a bug and must not pass for a server problem.
    Imported on first use: the library pulls in requests, which a CLI run without grammar need not pay for."""
    from language_tool_python.exceptions import LanguageToolError

    return (LanguageToolError, OSError, ValueError)


class GrammarUnavailable(Exception):
    """No grammar check now; the message is the notice to show."""


def _client(url: str, language: str = LANGUAGE):
    """language-tool-python's client for a running server; never starts or downloads anything itself."""
    import language_tool_python

    try:
        client = language_tool_python.LanguageTool(language, remote_server=url)
    except Exception as exc:  # requests' and the library's own errors alike
        raise GrammarUnavailable(f"the LanguageTool server at {url} did not answer") from exc
    client._TIMEOUT = CHECK_TIMEOUT_S
    return client


class GrammarService:
    """Owns at most one LanguageTool server, started lazily, and one per-paragraph cache."""

    def __init__(
        self,
        settings: GrammarSettings | None = None,
        *,
        heap_mb: int = DEFAULT_HEAP_MB,
        allow_download: bool = True,
        on_status: StatusCallback | None = None,
    ) -> None:
        self.settings = settings if settings is not None else load_settings().grammar
        self.heap_mb = heap_mb
        self.allow_download = allow_download
        self.on_status = on_status
        self.state = "idle"
        self.message = ""
        self.ever_ready = False  # a server that answered once may come back after it stops
        self.source: Source | None = None
        self.server: LocalServer | None = None
        self.checker: GrammarChecker | None = None
        self.url: str | None = None
        self.startup_seconds: float | None = None  # process start until it answers
        self.warmup_seconds: float | None = None  # the first check (English rules loading)
        self._lock = threading.RLock()

    # -- state -------------------------------------------------------------------------------------------------
    def _set(self, state: str, message: str) -> None:
        self.state, self.message = state, message
        self.ever_ready = self.ever_ready or state == "ready"
        if self.on_status is not None:
            self.on_status(state, self.status_text)

    @property
    def status_text(self) -> str:
        """The status line for the editor: what grammar checking is doing right now."""
        if self.state == "starting":
            return self.message
        if self.state == "ready":
            where = (
                self.source.description if self.source is not None and not isinstance(self.source, NotAvailable) else ""
            )
            return self.notice or (f"Grammar: {where}." if where else "Grammar ready.")
        if self.state == "stopped":
            return f"Grammar paused: {self.message}; retrying."
        return self.notice

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    @property
    def owns_server(self) -> bool:
        return self.server is not None

    @property
    def notice(self) -> str:
        """One line for the CLI and the status bar: why grammar is not checked, or where it is checked."""
        if self.state == "ready":
            if isinstance(self.source, RemoteServer) and not self.source.loopback:
                return f"Grammar checked by {self.source.description}."
            return ""
        if self.state == "off":
            return "Grammar check is off (grammar settings)."
        return f"Grammar not checked: {self.message}." if self.message else "Grammar not checked."

    # -- life cycle --------------------------------------------------------------------------------------------
    def start(self) -> bool:
        """Finds LanguageTool and makes it answer (starting a local server once); True when ready."""
        with self._lock:
            if self.state == "ready" and self.alive():
                return True
            if self.state in ("off", "unavailable"):
                return False
            if self.source is None or isinstance(self.source, NotAvailable):
                if (self.settings.mode or "").strip().lower() == "managed":
                    self._set("starting", "Getting LanguageTool (the first time, this downloads it)…")
                self.source = locate(self.settings, allow_download=self.allow_download)
            src = self.source
            if isinstance(src, NotAvailable):
                off = (self.settings.mode or "").strip().lower() == "off"
                self._set("off" if off else "unavailable", src.reason)
                return False
            local = isinstance(src, LocalInstall)
            self._set("starting", "Starting LanguageTool…" if local else f"Connecting to {src.description}…")
            try:
                url = self._bring_up(src)
                client = _client(url)
                if isinstance(src, LocalInstall):
                    began = time.monotonic()
                    client.check(WARM_UP_TEXT)
                    self.warmup_seconds = time.monotonic() - began
                clients = {LANGUAGE: client}

                def connect(language: str, url: str = url):
                    return clients.pop(language, None) or _client(url, language)

            except (ServerError, GrammarUnavailable) as exc:
                self._stop_server()
                self._set("unavailable", str(exc))
                return False
            except server_errors() as exc:  # the warm-up check failed at the HTTP level
                self._stop_server()
                self._set("unavailable", f"LanguageTool did not answer ({type(exc).__name__})")
                return False
            self.url = url
            if self.checker is None:
                self.checker = GrammarChecker(connect)
            else:
                self.checker.reconnect(connect)  # the cache outlives a restart: the text is what it is
            self._set("ready", src.description)
            return True

    def _bring_up(self, src: LocalInstall | RemoteServer) -> str:
        if isinstance(src, RemoteServer):
            return src.url
        if self.server is None:
            self.server = LocalServer(src.classpath, java=src.java, heap_mb=self.heap_mb)
        url = self.server.start()
        self.startup_seconds = self.server.startup_seconds
        return url

    def alive(self) -> bool:
        """Is the server still there? Cheap for our own process; one short probe for a configured one."""
        if self.server is not None:
            return self.server.alive()
        if self.url is None:
            return False
        try:
            http_json(f"{self.url.rstrip('/')}/v2/healthcheck", timeout=3.0)
            return True
        except (OSError, ValueError):
            return False

    def mark_lost(self) -> None:
        """After a failed check: pause until ``start`` brings the server back."""
        with self._lock:
            if self.state == "ready":
                self._set("stopped", "LanguageTool stopped answering")

    def retry(self) -> bool:
        """Tries again after ``unavailable`` or ``stopped`` (the writer installed it, the server came back)."""
        with self._lock:
            if self.state in ("unavailable", "stopped"):
                if self.state == "unavailable":
                    self.source = None
                self.state = "idle"
            return self.start()

    def stop(self) -> None:
        with self._lock:
            self._stop_server()
            if self.state in ("ready", "starting"):
                self._set("stopped", "LanguageTool stopped")

    def _stop_server(self) -> None:
        if self.server is not None:
            self.server.stop()

    # -- checks ------------------------------------------------------------------------------------------------
    def check_document(self, doc: Document) -> list[Finding]:
        """Grammar findings of one document; starts the server if needed. Raises GrammarUnavailable."""
        if not self.start():
            raise GrammarUnavailable(self.notice)
        checker = self.checker
        assert checker is not None
        try:
            return checker.check_document(doc)
        except server_errors() as exc:  # connection refused, timeout, a dead server: pause, do not crash the caller
            self.mark_lost()
            raise GrammarUnavailable(
                f"Grammar not checked: LanguageTool stopped answering ({type(exc).__name__})."
            ) from None


_shared: GrammarService | None = None
_shared_lock = threading.Lock()


def shared_service() -> GrammarService:
    """The process-wide service (CLI, ``run_check``), made on first use from the saved settings."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = GrammarService()
        return _shared


def grammar_linter(service: GrammarService | None, notices: list[str]) -> Callable[[Document], list[Finding]]:
    """A linter for ``editor.check.check`` that never fails the check: when grammar is unavailable it
    adds one notice to ``notices`` and returns no findings."""

    def lint(doc: Document) -> list[Finding]:
        svc = service if service is not None else shared_service()
        try:
            found = svc.check_document(doc)
        except GrammarUnavailable as exc:
            notices.append(str(exc))
            return []
        if svc.notice:
            notices.append(svc.notice)
        return found

    return lint
