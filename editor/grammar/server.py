"""A LanguageTool HTTP server as a child process: loopback only, a free port, a capped heap.

Start-up takes about a second on these machines and the first check several more (the English rules
load lazily), so callers start it once, in the background, and stop it when they quit. An
``atexit`` hook stops any server still running, so a CLI run never leaves one behind, and on Linux
the kernel stops it if we are killed outright (``setpriv --pdeathsig``).
"""

from __future__ import annotations

import atexit
import collections
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import weakref
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path

MAIN_CLASS = "org.languagetool.server.HTTPServer"
DEFAULT_HEAP_MB = 512
LOG_LINES = 40
# Server settings. Limits: a draft is ~10 kB; anything far larger is a mistake, not a document.
SERVER_PROPERTIES = (
    "maxTextLength=200000\n"
    "maxCheckTimeMillis=60000\n"
    "maxCheckThreads=2\n"
    # Reusing the rule pipeline makes a one-paragraph request cheap: 42 paragraphs sent one by one took
    # 2.5-4.4 s without it and ~1 s with it, about what the same text costs as a single request.
    "pipelineCaching=true\n"
    "maxPipelinePoolSize=4\n"
    "pipelineExpireTimeInSeconds=3600\n"
)

_running: weakref.WeakSet[LocalServer] = weakref.WeakSet()


class ServerError(Exception):
    """The server could not be started; the message is one sentence for the writer."""


def _die_with_parent() -> list[str]:
    """``setpriv --pdeathsig``: the kernel stops the server if we die without cleaning up (SIGKILL, a crash).

    The signal follows the *thread* that forked the server, not the process: every server is therefore
    forked by ``_launcher``, one thread that lives as long as the process.
    """
    setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    return [setpriv, "--pdeathsig", "TERM"] if setpriv else []


class _Launcher:
    """The one thread that forks every server, so a server lives exactly as long as this process.

    Forked from a worker thread instead, the server got the parent-death signal when that thread
    ended: closing the first of two windows stopped the server the other window was using.
    """

    def __init__(self) -> None:
        self._requests: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def popen(self, cmd: list[str], **kw) -> subprocess.Popen:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, name="languagetool-launcher", daemon=True)
                self._thread.start()
        done: Future[subprocess.Popen] = Future()
        self._requests.put((cmd, kw, done))
        return done.result()

    def _serve(self) -> None:
        while True:
            cmd, kw, done = self._requests.get()
            try:
                done.set_result(subprocess.Popen(cmd, **kw))
            except BaseException as exc:  # handed to the caller, who raises it
                done.set_exception(exc)


_launcher = _Launcher()


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_json(url: str, data: dict | None = None, timeout: float = 5.0):
    """GET (or POST form ``data``) and parse JSON; plain urllib so the health probe needs no session."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(url, data=body, timeout=timeout) as resp:
        raw = resp.read()
    return json.loads(raw) if raw.strip().startswith((b"{", b"[")) else raw.decode(errors="replace")


class LocalServer:
    """One ``HTTPServer`` process bound to 127.0.0.1. Thread-safe: ``start`` runs once, ``stop`` any time."""

    def __init__(
        self,
        classpath: Sequence[Path],
        *,
        java: str = "java",
        heap_mb: int = DEFAULT_HEAP_MB,
        startup_timeout: float = 120.0,
        port: int | None = None,
    ) -> None:
        self.classpath = tuple(Path(p) for p in classpath)
        self.java = java
        self.heap_mb = heap_mb
        self.startup_timeout = startup_timeout
        self.fixed_port = port  # normally a free port is picked at each start
        self.port: int | None = port
        self.startup_seconds: float | None = None
        self._proc: subprocess.Popen | None = None
        self._log: collections.deque[str] = collections.deque(maxlen=LOG_LINES)
        self._lock = threading.RLock()
        self._config_dir: tempfile.TemporaryDirectory | None = None

    @property
    def url(self) -> str:
        """The base URL language-tool-python expects (it appends ``v2/``)."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def log_tail(self) -> list[str]:
        return list(self._log)

    def command(self, port: int, config: Path) -> list[str]:
        return [
            *_die_with_parent(),
            self.java,
            f"-Xmx{self.heap_mb}m",
            "-XX:+UseSerialGC",  # fewer GC threads and less memory on a 2-core machine
            "-Djava.awt.headless=true",
            "-cp",
            os.pathsep.join(str(p) for p in self.classpath),
            MAIN_CLASS,
            "--port",
            str(port),
            "--config",
            str(config),
        ]  # no --public: HTTPServer then listens on localhost only

    def alive(self) -> bool:
        proc = self._proc
        return proc is not None and proc.poll() is None

    def healthy(self, timeout: float = 2.0) -> bool:
        if not self.alive():
            return False
        try:
            http_json(f"{self.url}v2/healthcheck", timeout=timeout)
            return True
        except (OSError, ValueError):
            return False

    def start(self) -> str:
        """Starts the server (once) and waits until it answers; returns its URL. Raises ServerError."""
        with self._lock:
            if self.alive():
                return self.url
            self._stop_locked()
            self._config_dir = tempfile.TemporaryDirectory(prefix="onrecord-lt-")
            config = Path(self._config_dir.name) / "server.properties"
            config.write_text(SERVER_PROPERTIES, encoding="utf-8")
            began = time.monotonic()
            for _attempt in range(3):  # another program may take the port between our probe and the bind
                self.port = self.fixed_port or free_loopback_port()
                self._spawn(self.command(self.port, config))
                if self._wait_ready(began):
                    self.startup_seconds = time.monotonic() - began
                    _running.add(self)
                    return self.url
                if self.fixed_port or not any("already in use" in line for line in self._log):
                    break
            tail = next((ln for ln in reversed(self._log) if ln.strip() and not ln.startswith("\tat ")), "")
            self._stop_locked()
            raise ServerError(f"LanguageTool did not start{': ' + tail if tail else ''}")

    def _spawn(self, cmd: list[str]) -> None:
        self._log.clear()
        try:
            self._proc = _launcher.popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                start_new_session=True,  # a Ctrl-C in the terminal reaches us, and we stop the server ourselves
            )
        except OSError as exc:
            raise ServerError(f"LanguageTool could not be run: {exc.strerror or exc}") from None
        threading.Thread(target=self._drain, args=(self._proc,), name="languagetool-log", daemon=True).start()

    def _drain(self, proc: subprocess.Popen) -> None:
        """Keeps the last log lines for error messages; the pipe must be read or the server blocks."""
        assert proc.stdout is not None
        with proc.stdout:
            for line in proc.stdout:
                self._log.append(line.rstrip("\n"))

    def _wait_ready(self, began: float) -> bool:
        while time.monotonic() - began < self.startup_timeout:
            if self._proc is None or self._proc.poll() is not None:
                time.sleep(0.05)  # let the log reader catch the last lines
                return False
            if self.healthy(timeout=1.0):
                return True
            time.sleep(0.1)
        return False

    def stop(self, timeout: float = 5.0) -> None:
        with self._lock:
            self._stop_locked(timeout)

    def _stop_locked(self, timeout: float = 5.0) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)
        _running.discard(self)
        if self._config_dir is not None:
            self._config_dir.cleanup()
            self._config_dir = None


@atexit.register
def stop_all() -> None:
    """Stops every server this process started and did not stop (a CLI run, a crash in a test)."""
    for server in list(_running):
        server.stop()
