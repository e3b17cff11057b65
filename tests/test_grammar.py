"""Grammar against the real LanguageTool server (no mocks): findings, offsets, fixes, cache, privacy, CLI, GUI worker.

One server is started for the whole session (the ``lt`` fixture) and stopped at its end. Without
LanguageTool these tests skip, unless ONRECORD_REQUIRE_LANGUAGETOOL=1 (set by .ci/run): then they fail.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.checks import run_check
from editor.fileformat import parse
from editor.grammar import GrammarChecker, GrammarService
from editor.grammar.server import LocalServer
from editor.settings import GrammarSettings, Settings, save_settings
from tests.conftest import DOCS, ROOT
from tests.conftest import pid_alive as _pid_alive

REQUIRE = os.environ.get("ONRECORD_REQUIRE_LANGUAGETOOL") == "1"
pytestmark = pytest.mark.slow

DRAFT = """---
format: 1
kind: exit-interview
title: Their is a problem with the the deploy
people:
  - {name: Mark Ellis, role: Director of Platform, power: high}
---

# Thesis
Their is a problem with the the deploy process.

## Point: Releases slip
Dates are promised before the work is understood.
"""


def fresh_checker(lt: GrammarService) -> GrammarChecker:
    """A checker with an empty cache on the session's server."""
    return GrammarChecker(lt.checker.connect)


def apply(text: str, findings) -> str:
    for f in sorted((f for f in findings if f.suggestion is not None), key=lambda f: f.start, reverse=True):
        text = text[: f.start] + f.suggestion + text[f.end :]
    return text


# -- findings -----------------------------------------------------------------------------------------------------


def test_their_is_a_problem_yields_findings_at_the_right_offsets(lt):
    doc = parse(DRAFT)
    findings = fresh_checker(lt).check_document(doc)
    by_rule = {f.rule: f for f in findings}
    body = DRAFT.index("Their is a problem with the the deploy process")
    their = by_rule["grammar.THEIR_IS"]
    assert (their.start, their.end) == (body, body + len("Their"))
    assert their.suggestion == "There" and their.category == "grammar" and their.severity == "warning"
    repeat = by_rule["grammar.ENGLISH_WORD_REPEAT_RULE"]
    at = DRAFT.index("the the", body)
    assert (repeat.start, repeat.end) == (at, at + len("the the"))
    assert repeat.suggestion == "the" and repeat.severity == "warning"
    assert all(f.start >= doc.front_matter_end for f in findings), "the front matter was checked"
    assert all(f.severity != "error" for f in findings)


def test_applying_the_suggestions_fixes_the_text(lt):
    checker = fresh_checker(lt)
    findings = checker.check_document(parse(DRAFT))
    repeat = [f for f in findings if f.rule == "grammar.ENGLISH_WORD_REPEAT_RULE"]
    once = apply(DRAFT, repeat)
    assert "with the deploy process" in once
    left = {f.rule for f in checker.check_document(parse(once))}
    assert "grammar.ENGLISH_WORD_REPEAT_RULE" not in left and "grammar.THEIR_IS" in left
    fixed = apply(DRAFT, findings)
    assert "There is a problem with the deploy" in fixed
    assert [f for f in checker.check_document(parse(fixed)) if f.start < fixed.index("## Point")] == []


def test_offsets_hold_through_markup_criticmarkup_and_emoji(lt):
    text = (
        "# Thesis\n🚀 The **plan** {~~is~>has~~} has a gap{>>Their is teh problem<<} and and the {--teh--}team knows.\n"
    )
    findings = fresh_checker(lt).check_text(text, 0)
    repeats = [text[f.start : f.end] for f in findings if f.rule == "grammar.ENGLISH_WORD_REPEAT_RULE"]
    assert "and and" in repeats
    comment = (text.index("{>>"), text.index("<<}") + 3)
    deletion = (text.index("{--"), text.index("--}") + 3)
    for f in findings:
        assert not (comment[0] <= f.start < comment[1]), f"a finding inside a review comment: {f}"
        assert not (deletion[0] <= f.start < deletion[1]), f"a finding inside a deleted passage: {f}"


def test_quoted_words_are_evidence_not_the_writers_grammar(lt):
    checker = fresh_checker(lt)
    plain = "# Thesis\nWe was going to fix it before the launch.\n"
    assert any(f.start == plain.index("was") for f in checker.check_text(plain)), "the rule must fire unquoted"
    quoted = '# Thesis\nHe wrote "we was going to fix it before the launch" in the ticket.\n'
    inside = (quoted.index('"') + 1, quoted.rindex('"'))
    assert [f for f in checker.check_text(quoted) if inside[0] <= f.start < inside[1]] == []


def test_declared_names_are_not_spelling_mistakes_and_other_names_are_only_info(lt):
    text = (
        "---\npeople:\n  - {name: Priya Natarajanova}\nrecipients:\n  - {name: Olamide Fashola, role: CTO}\n---\n"
        "# Thesis\nI told Natarajanova, Fashola and Brightwaterz about the probelm.\n"
    )
    found = {text[f.start : f.end]: f for f in fresh_checker(lt).check_document(parse(text))}
    assert "Natarajanova" not in found and "Fashola" not in found
    name = found["Brightwaterz"]
    assert name.rule.startswith("grammar.MORFOLOGIK") and name.severity == "info" and name.suggestion is None
    typo = found["probelm"]
    assert typo.severity == "warning" and typo.suggestion == "problem"


def test_the_english_variant_follows_the_document(lt):
    checker = fresh_checker(lt)
    body = "# Thesis\nWe organised the programme around the colour of the labels.\n"
    us = {f.rule for f in checker.check_document(parse(body))}
    gb = {f.rule for f in checker.check_document(parse("---\nlanguage: en-GB\n---\n" + body))}
    assert any(r.startswith("grammar.MORFOLOGIK_RULE_EN_US") for r in us)
    assert not any(r.startswith("grammar.MORFOLOGIK") for r in gb)


# -- the cache ----------------------------------------------------------------------------------------------------


def test_unchanged_paragraphs_are_not_sent_again(lt):
    checker = fresh_checker(lt)
    text = (DOCS / "d1-good-exit.md").read_text()
    doc = parse(text)
    first = checker.check_document(doc)
    sent = checker.sent_paragraphs
    assert sent > 5
    assert checker.check_document(doc) == first and checker.sent_paragraphs == sent
    edited = text.replace("Release dates", "Their is a problem: release dates", 1)
    assert edited != text
    findings = checker.check_document(parse(edited))
    assert checker.sent_paragraphs == sent + 1
    assert any(f.rule == "grammar.THEIR_IS" and edited[f.start : f.end] == "Their" for f in findings)


def test_a_document_goes_in_few_requests_with_the_same_findings_as_paragraph_by_paragraph(lt, monkeypatch):
    import editor.grammar.checker as checker_module

    docs = [parse((DOCS / "d1-good-exit.md").read_text()), parse(DRAFT)]
    batched = fresh_checker(lt)
    together = [batched.check_document(d) for d in docs]
    assert batched.sent_requests == len(docs) < batched.sent_paragraphs
    monkeypatch.setattr(checker_module, "BATCH_CHARS", 1)
    alone = fresh_checker(lt)
    assert [alone.check_document(d) for d in docs] == together
    assert alone.sent_requests == alone.sent_paragraphs == batched.sent_paragraphs


def test_the_checker_is_safe_from_several_threads(lt):
    checker = fresh_checker(lt)
    docs = [parse(p.read_text()) for p in sorted(DOCS.glob("d[1-4]*.md"))] + [parse(DRAFT)]
    serial = [GrammarChecker(lt.checker.connect).check_document(d) for d in docs]
    results: dict[int, list] = {}

    def work(i: int) -> None:
        results[i] = checker.check_document(docs[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(docs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [results[i] for i in range(len(docs))] == serial


# -- privacy ------------------------------------------------------------------------------------------------------


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback or host.startswith("::ffff:127.")
    except ValueError:
        return host == "localhost"


def _java_peers(pid: int) -> list[str]:
    """Remote addresses of the server process's TCP sockets (0.0.0.0 for listening ones)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    peers = []
    for table, v6 in (("/proc/net/tcp", False), ("/proc/net/tcp6", True)):
        for line in Path(table).read_text().splitlines()[1:]:
            cols = line.split()
            if cols[9] not in inodes:
                continue
            raw = bytes.fromhex(cols[2].split(":")[0])
            if v6:
                addr = ipaddress.IPv6Address(b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4)))
                peers.append(str(addr.ipv4_mapped or addr))
            else:
                peers.append(str(ipaddress.IPv4Address(raw[::-1])))
    return peers


def test_a_check_connects_to_the_loopback_server_only(lt, monkeypatch):
    connects: list = []
    lookups: list = []
    real_connect, real_connect_ex, real_gai = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def connect(self, address):
        connects.append(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        connects.append(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        lookups.append(host)
        return real_gai(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    nonce = f"Their is a problem number {time.monotonic_ns()} with the the deploy process."
    # the default path (auto mode, our own server) and a fresh client through the url mode, each a real check
    found = lt.check_document(parse(f"# Thesis\n{nonce}\n"))
    other = GrammarService(GrammarSettings(mode="url", url=lt.url)).check_document(parse(f"# Ask\n{nonce} Again.\n"))
    assert found and other
    assert connects, "the check made no connection at all: the recorder is broken"
    port = lt.server.port
    assert all(isinstance(a, tuple) and _loopback(a[0]) and a[1] == port for a in connects), connects
    assert all(h is None or _loopback(str(h)) for h in lookups), lookups
    assert all(_loopback(p) or p in ("0.0.0.0", "::") for p in _java_peers(lt.server.pid))


def test_the_server_listens_on_loopback_only(lt):
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            cols = line.split()
            local, state = cols[1], cols[3]
            if state == "0A" and int(local.split(":")[1], 16) == lt.server.port:
                listening.append(local.split(":")[0])
    assert listening
    assert all(
        a in ("0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000") for a in listening
    )


# -- run_check and the CLI ---------------------------------------------------------------------------------------


def test_run_check_adds_grammar_or_a_notice(lt, tmp_path):
    doc = parse(DRAFT)
    with_grammar = run_check(doc, grammar=True, grammar_service=lt)
    assert any(f.rule == "grammar.THEIR_IS" for f in with_grammar.findings)
    assert any(f.rule.startswith("structure.") for f in with_grammar.findings)
    assert not any("Grammar" in n for n in with_grammar.notices)
    missing = GrammarService(GrammarSettings(mode="folder", folder=str(tmp_path / "nowhere")))
    without = run_check(doc, grammar=True, grammar_service=missing)
    assert not any(f.category == "grammar" for f in without.findings)
    assert any(f.rule.startswith("structure.") for f in without.findings), "everything else still runs"
    assert any(n.startswith("Grammar not checked") and "nowhere" in n for n in without.notices)
    assert not any(f.category == "grammar" for f in run_check(doc, grammar=False, grammar_service=lt).findings)
    silenced = parse(DRAFT.replace("format: 1\n", "format: 1\nignore: [grammar.THEIR_IS]\n"))
    rules = {f.rule for f in run_check(silenced, grammar=True, grammar_service=lt).findings}
    assert "grammar.THEIR_IS" not in rules and "grammar.ENGLISH_WORD_REPEAT_RULE" in rules


def onrecord(*args):
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_cli_check_includes_grammar_from_a_configured_server(lt, tmp_path):
    save_settings(Settings(grammar=GrammarSettings(mode="url", url=lt.url)))
    path = tmp_path / "draft.md"
    path.write_text(DRAFT)
    out = onrecord("check", path, "--format", "json")
    assert out.returncode in (0, 1), out.stderr
    data = json.loads(out.stdout)
    rows = [r for r in data["findings"] if r["rule"] == "grammar.THEIR_IS"]
    assert (
        rows
        and rows[0]["line"] == DRAFT[: DRAFT.index("Their is a problem with the the deploy process")].count("\n") + 1
    )
    assert rows[0]["column"] == 1 and rows[0]["suggestion"] == "There"
    assert not any("Grammar" in n for n in data["notices"])
    text = onrecord("check", path, "--no-grammar")
    assert "grammar." not in text.stdout and "Grammar" not in text.stdout


def test_cli_check_says_when_grammar_is_unavailable(tmp_path):
    save_settings(Settings(grammar=GrammarSettings(mode="folder", folder=str(tmp_path / "no-lt"))))
    out = onrecord("check", DOCS / "d2-escalation-good.md")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Grammar not checked" in out.stdout and "no-lt" in out.stdout
    save_settings(Settings(grammar=GrammarSettings(mode="off")))
    off = onrecord("check", DOCS / "d2-escalation-good.md")
    assert "Grammar check is off" in off.stdout and off.returncode == 0


def test_missing_languagetool_fails_when_required(tmp_path):
    """The CI switch: without LanguageTool the session fixture fails instead of skipping."""
    env = dict(os.environ, ONRECORD_LANGUAGETOOL_CACHE=str(tmp_path / "none"), LTP_PATH=str(tmp_path / "ltp"))
    args = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        f"{__file__}::test_applying_the_suggestions_fixes_the_text",
    ]
    required = subprocess.run(
        args, env={**env, "ONRECORD_REQUIRE_LANGUAGETOOL": "1"}, capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert required.returncode != 0 and "1 error" in required.stdout, required.stdout[-800:]
    optional = subprocess.run(
        args, env={**env, "ONRECORD_REQUIRE_LANGUAGETOOL": "0"}, capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert optional.returncode == 0 and "1 skipped" in optional.stdout, optional.stdout[-800:]


# -- the server process -------------------------------------------------------------------------------------------


def test_a_local_server_stops_and_frees_its_port(lt):
    server = LocalServer(lt.server.classpath, java=lt.server.java, heap_mb=256)
    try:
        server.start()
        assert server.healthy() and server.startup_seconds is not None
        pid, port = server.pid, server.port
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        assert b"-Xmx256m" in cmdline and b"--public" not in cmdline
    finally:
        server.stop()
    assert not _pid_alive(pid)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_a_server_dies_with_a_process_killed_outright(lt):
    """SIGKILL skips atexit; the kernel still stops the server (setpriv --pdeathsig)."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from editor.grammar.server import LocalServer\n"
        "s = LocalServer([Path(p) for p in sys.argv[2:]], java=sys.argv[1], heap_mb=256)\n"
        "s.start()\n"
        "print(s.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    args = [sys.executable, "-c", code, lt.server.java, *map(str, lt.server.classpath)]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        pid = int(child.stdout.readline())
        assert _pid_alive(pid)
    finally:
        child.kill()
        child.wait(10)
    deadline = time.monotonic() + 15
    while _pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _pid_alive(pid):
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the server outlived the process that started it")


def test_a_server_started_by_a_thread_that_ends_keeps_running(lt):
    """Closing the first of two windows ends the thread that started the shared server; the server stays."""
    server = LocalServer(lt.server.classpath, java=lt.server.java, heap_mb=256)
    starter = threading.Thread(target=server.start)
    try:
        starter.start()
        starter.join(120)
        assert server.alive(), server.log_tail()
        time.sleep(1.0)  # the parent-death signal, if any, comes as the thread ends
        assert server.healthy(), "the server died with the thread that started it"
    finally:
        server.stop()


# -- the GUI worker -----------------------------------------------------------------------------------------------


def test_worker_checks_after_a_pause_and_drops_stale_results(lt, qtbot):
    from app.grammar_worker import GrammarWorker

    worker = GrammarWorker(GrammarService(GrammarSettings(mode="url", url=lt.url)), debounce_ms=50)
    got = []
    worker.findingsReady.connect(lambda rev, found: got.append((rev, found)))
    try:
        worker.set_text("# Thesis\nA first draft with with a slip.\n")
        rev = worker.set_text(DRAFT)  # typing on: only the latest text is checked
        qtbot.waitUntil(lambda: bool(got), timeout=30000)
        assert [r for r, _ in got] == [rev]
        assert any(f.rule == "grammar.THEIR_IS" for f in got[0][1])
        # a check that starts after the text moved on is dropped by the worker itself
        gate = threading.Event()
        worker._pool.submit(gate.wait, 10)
        worker.set_text("# Thesis\nThe the old text.\n")
        worker.check_now()
        newest = worker.set_text("# Thesis\nThe new text is is here.\n")
        worker.check_now()
        gate.set()
        qtbot.waitUntil(lambda: len(got) >= 2, timeout=30000)
        qtbot.wait(200)
        assert [r for r, _ in got[1:]] == [newest]
    finally:
        worker.shutdown()
    assert lt.server.alive(), "a worker on a configured server must not stop that server"


def test_worker_starts_lazily_restarts_a_dead_server_and_stops_it_at_quit(lt, qtbot):
    from PySide6.QtCore import QTimer

    from app.grammar_worker import GrammarWorker

    svc = GrammarService(GrammarSettings(mode="auto"), allow_download=False)
    worker = GrammarWorker(svc, debounce_ms=50, retry_ms=300)
    states: list[str] = []
    worker.statusChanged.connect(lambda state, message: states.append(state))
    ticks: list[float] = []
    heartbeat = QTimer(interval=20)
    heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))
    try:
        assert svc.server is None, "nothing starts before the first check"
        heartbeat.start()
        with qtbot.waitSignal(worker.findingsReady, timeout=90000) as first:
            worker.set_text(DRAFT)
        heartbeat.stop()
        assert any(f.rule == "grammar.THEIR_IS" for f in first.args[1])
        assert states[0] == "starting" and "ready" in states
        gaps = [b - a for a, b in itertools.pairwise(ticks)]
        assert len(ticks) > 20 and max(gaps) < 0.5, (
            f"the UI thread stalled {max(gaps):.2f} s while LanguageTool started"
        )
        pid = svc.server.pid
        os.kill(pid, signal.SIGKILL)
        qtbot.waitUntil(lambda: not _pid_alive(pid), timeout=10000)
        states.clear()
        with qtbot.waitSignal(worker.findingsReady, timeout=90000) as second:
            worker.set_text(DRAFT.replace("Dates are", "Dates is"))
        assert "starting" in states and states[-1] == "ready"
        assert svc.server.pid != pid and second.args[0] == worker.revision
    finally:
        last = svc.server.pid if svc.server else None
        worker.shutdown()
    assert last is None or not _pid_alive(last), "the worker left its server running"


def test_worker_pauses_when_a_configured_server_goes_away_and_resumes(lt, qtbot):
    from app.grammar_worker import GrammarWorker

    server = LocalServer(lt.server.classpath, java=lt.server.java, heap_mb=384)
    server.start()
    port = server.port
    worker = GrammarWorker(GrammarService(GrammarSettings(mode="url", url=server.url)), debounce_ms=50, retry_ms=300)
    states: list[tuple[str, str]] = []
    worker.statusChanged.connect(lambda state, message: states.append((state, message)))
    try:
        with qtbot.waitSignal(worker.findingsReady, timeout=60000):
            worker.set_text(DRAFT)
        server.stop()
        worker.set_text(DRAFT + "\nIt are late.\n")
        qtbot.waitUntil(lambda: bool(states) and states[-1][0] in ("unavailable", "stopped"), timeout=30000)
        assert "did not answer" in states[-1][1] or "paused" in states[-1][1]
        back = LocalServer(lt.server.classpath, java=lt.server.java, heap_mb=384, port=port)
        with qtbot.waitSignal(worker.findingsReady, timeout=90000) as resumed:
            back.start()
        assert resumed.args[0] == worker.revision and states[-1][0] == "ready"
    finally:
        worker.shutdown()
        server.stop()
        if "back" in locals():
            back.stop()
