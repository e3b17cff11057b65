"""Nothing leaked (issue 8): no network but loopback LanguageTool, private recovery and settings files,
no document text in logs.

The socket guard wraps ``socket.socket.connect`` and ``getaddrinfo`` for the whole test: anything but a
loopback address is refused and recorded, so a leak fails the test instead of reaching the network.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import socket
import stat
from pathlib import Path

import pytest

from app.cli import main
from editor.paths import config_dir, data_dir
from tests.conftest import ROOT

SAMPLE = ROOT / "templates" / "samples" / "sample-exit-interview.md"
SECRET = "Quillon Vantreese shredded the Harrowgate audit"  # appears nowhere but in the document


def _loopback(host: object) -> bool:
    if host in (None, "", "localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _numeric(host: object) -> bool:
    try:
        ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False
    return True


class SocketGuard:
    """Refuses and records every connection (and name lookup) that is not loopback; records loopback ones too."""

    def __init__(self, monkeypatch) -> None:
        self.refused: list[str] = []
        self.loopback: list[str] = []
        real_connect, real_connect_ex, real_lookup = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo
        guard = self

        def allowed(sock, address) -> bool:
            if sock.family == getattr(socket, "AF_UNIX", None):
                return True
            host = address[0] if isinstance(address, tuple) else address
            (guard.loopback if _loopback(host) else guard.refused).append(f"connect {address}")
            return _loopback(host)

        def connect(sock, address):
            if not allowed(sock, address):
                raise ConnectionRefusedError(f"test guard: no network ({address})")
            return real_connect(sock, address)

        def connect_ex(sock, address):
            if not allowed(sock, address):
                return 111
            return real_connect_ex(sock, address)

        def getaddrinfo(host, *args, **kwargs):
            if not _loopback(host) and not _numeric(host):  # a numeric address needs no lookup; connect decides
                guard.refused.append(f"lookup {host}")
                raise socket.gaierror(socket.EAI_NONAME, f"test guard: no name lookups ({host})")
            return real_lookup(host, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


class AllLogs(logging.Handler):
    """Every log record of every logger at every level, even loggers that do not propagate (weasyprint's)."""

    def __init__(self, monkeypatch) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[str] = []
        real_handle = logging.Logger.handle
        handler = self

        def handle(logger, record):
            handler.records.append(f"{record.name} {record.levelname} {record.getMessage()}")
            if record.exc_info and record.exc_info[1] is not None:
                handler.records.append(repr(record.exc_info[1]))
            return real_handle(logger, record)

        monkeypatch.setattr(logging.Logger, "isEnabledFor", lambda _logger, _level: True)
        monkeypatch.setattr(logging.Logger, "handle", handle)
        monkeypatch.setattr(logging, "lastResort", None)

    def text(self) -> str:
        return "\n".join(self.records)


def hostile_draft() -> str:
    """The sample with the secret sentence and everything that could make an export reach out."""
    text = SAMPLE.read_text(encoding="utf-8")
    extra = (
        f"{SECRET} in March.\n\n"
        '<img src="https://tracker.example.com/pixel.png"> ![logo](http://198.51.100.7/logo.png)\n\n'
        '<style>@import url("https://fonts.example.net/font.css");</style>\n'
        '<link rel="stylesheet" href="https://cdn.example.org/x.css">\n\n'
        "[our policy](https://example.org/policy) and <https://example.com/auto>\n"
    )
    return text.replace("# Ask", extra + "\n# Ask", 1)


def test_the_guard_itself_refuses_the_network_and_allows_loopback(monkeypatch):
    guard = SocketGuard(monkeypatch)
    with pytest.raises(OSError), socket.create_connection(("192.0.2.1", 80), timeout=1):
        pass
    with pytest.raises(OSError):
        socket.getaddrinfo("example.org", 443)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    with socket.create_connection(server.getsockname(), timeout=2):
        pass
    server.close()
    assert guard.refused == ["connect ('192.0.2.1', 80)", "lookup example.org"]
    assert len(guard.loopback) == 1


def run_cli_session(tmp_path: Path, capsys, *, grammar: bool) -> dict[str, int]:
    draft = tmp_path / "letter.md"
    codes = {"new": main(["new", str(tmp_path / "new.md"), "--kind", "escalation-memo", "--title", "Escalation"])}
    draft.write_text(hostile_draft(), encoding="utf-8")
    codes["kinds"] = main(["kinds"])
    codes["check"] = main(["check", str(draft), "--format", "json", *([] if grammar else ["--no-grammar"])])
    codes["lint"] = main(["lint", str(draft)])
    codes["export"] = main(["export", str(draft), "-o", str(tmp_path / "letter.pdf"), "--draft"])
    codes["redacted"] = main(["export", str(draft), "-o", str(tmp_path / "review.pdf"), "--redact", "--draft"])
    codes["notes"] = main(["notes", str(draft), "-o", str(tmp_path / "notes.pdf")])
    out = capsys.readouterr()
    assert "Traceback" not in out.err, out.err
    return codes


def test_a_full_cli_session_makes_no_connection_and_logs_no_document_text(tmp_path, monkeypatch, capsys):
    guard = SocketGuard(monkeypatch)
    logs = AllLogs(monkeypatch)
    codes = run_cli_session(tmp_path, capsys, grammar=False)
    assert codes["new"] == codes["kinds"] == 0 and codes["notes"] == 0, codes
    assert codes["check"] in (0, 1) and codes["lint"] in (0, 1) and codes["export"] == 0, codes
    assert guard.refused == [], f"the session tried to reach the network: {guard.refused}"
    assert (tmp_path / "letter.pdf").stat().st_size > 0 and (tmp_path / "notes.pdf").stat().st_size > 0
    assert logs.records, "the log capture saw nothing at all (is it wired?)"
    assert SECRET not in logs.text() and "Quillon" not in logs.text(), "document text reached a log"


def test_check_with_grammar_talks_to_loopback_languagetool_only(tmp_path, monkeypatch, capsys, lt):
    monkeypatch.setenv("ONRECORD_LANGUAGETOOL_URL", lt.url)  # auto mode reuses the session's loopback server
    import editor.grammar.service as service

    monkeypatch.setattr(service, "_shared", None)  # a fresh process-wide service, as in a new CLI run
    guard = SocketGuard(monkeypatch)
    logs = AllLogs(monkeypatch)
    draft = tmp_path / "letter.md"
    draft.write_text(hostile_draft(), encoding="utf-8")
    code = main(["check", str(draft), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    assert not any("not checked" in n for n in report.get("notices", [])), report.get("notices")
    assert guard.loopback, "grammar was checked without any loopback connection: the guard saw nothing"
    assert guard.refused == [], f"grammar reached beyond loopback: {guard.refused}"
    assert SECRET not in logs.text() and "Quillon" not in logs.text(), "document text reached a log"


def _modes(root: Path) -> list[tuple[str, int, bool]]:
    out = []
    for dirpath, _dirnames, filenames in os.walk(root):
        out.append((dirpath, stat.S_IMODE(os.stat(dirpath).st_mode), True))
        out += [
            (os.path.join(dirpath, f), stat.S_IMODE(os.stat(os.path.join(dirpath, f)).st_mode), False)
            for f in filenames
        ]
    return out


KNOWN_LOOSE: set[str] = set()  # file names allowed to be readable by others (none)


def keep_a_gui_session(qtbot, w, tmp_path: Path) -> Path:
    """Autosave, settings, window state, recent files and a save, with an ordinary umask of 022."""
    from editor.settings import load_settings, save_settings
    from tests.test_gui_journey import type_body

    old_umask = os.umask(0o022)
    try:
        w.autosaver.idle_ms = 50
        with qtbot.waitSignal(w.autosaver.written, timeout=15_000):
            type_body(qtbot, w, SECRET + ".")
        settings = load_settings()
        settings.reviewer_name = "A reviewer"
        save_settings(settings)
        w.save_window_state()
        doc = tmp_path / "letter.md"
        with qtbot.waitSignal(w.saved, timeout=15_000):
            w.save_to(doc)
        w.recent.add(doc)
        w.settings.sync()
    finally:
        os.umask(old_umask)
    return doc


def test_window_state_file_is_private(qtbot, main_window, tmp_path):
    keep_a_gui_session(qtbot, main_window, tmp_path)
    ini = data_dir() / "window.ini"
    assert ini.is_file() and stat.S_IMODE(ini.stat().st_mode) == 0o600


def test_everything_the_app_keeps_is_private(qtbot, main_window, tmp_path):
    """After a GUI session (autosave, save, settings, window state) with an ordinary umask of 022:
    every file in the config and data folders is 0600 and every folder 0700."""
    doc = keep_a_gui_session(qtbot, main_window, tmp_path)
    kept = _modes(config_dir()) + _modes(data_dir())
    assert any(p.endswith(".json") and "recovery" in p for p, _m, _d in kept) or any(
        p.endswith("settings.json") for p, _m, _d in kept
    )
    loose = [f"{p} {m:04o}" for p, m, _is_dir in kept if m & 0o077 and Path(p).name not in KNOWN_LOOSE]
    assert loose == [], f"readable by others: {loose}"
    assert all(m == 0o700 for p, m, is_dir in kept if is_dir), [f"{p} {m:04o}" for p, m, d in kept if d]
    assert stat.S_IMODE(doc.stat().st_mode) == 0o600, "a new letter saved from the app is private"


def test_a_gui_session_logs_no_document_text(qtbot, main_window, tmp_path, monkeypatch, qtlog):
    from tests.test_gui_journey import type_body, wait_checked

    logs = AllLogs(monkeypatch)
    guard = SocketGuard(monkeypatch)
    w = main_window
    doc = tmp_path / "letter.md"
    doc.write_text(hostile_draft(), encoding="utf-8")
    with qtbot.waitSignal(w.documentLoaded, timeout=15_000):
        w.open_path(str(doc))
    w.autosaver.idle_ms = 50
    with qtbot.waitSignal(w.autosaver.written, timeout=15_000):
        type_body(qtbot, w, " " + SECRET + " again.")
    wait_checked(qtbot, w)
    with qtbot.waitSignal(w.saved, timeout=15_000):
        w.save()
    assert SECRET not in logs.text() and "Quillon" not in logs.text(), "document text reached a log"
    qt_messages = "\n".join(r.message for r in qtlog.records)
    assert "Quillon" not in qt_messages, "document text reached Qt's message log"
    assert guard.refused == [], f"the editor reached the network: {guard.refused}"
