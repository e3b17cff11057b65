"""Nothing is lost under faults (issue 8): a full or read-only disk, SIGKILL during save, typing and export,
another program editing the open file, LanguageTool dying mid-check.

Real faults where the machine allows them: a tiny tmpfs fills up for real (root only; otherwise those
tests skip and the patched-failure tests below still run), SIGKILL is a real signal to a real process
(the core writer in a loop, the whole app driven by a small script), and LanguageTool is the project's
real server. docs/hardening.md lists what each fault did.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from app.autosave import RecoveryStore
from editor.errors import DocumentError
from editor.fileformat import parse, read_text, write_atomic
from tests.conftest import ROOT

SAMPLE = ROOT / "templates" / "samples" / "sample-exit-interview.md"
REQUIRE_LT = os.environ.get("ONRECORD_REQUIRE_LANGUAGETOOL") == "1"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def temp_litter(folder: Path) -> list[str]:
    """Temp files write_atomic leaves only when it is killed between creating and renaming one."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- a real small disk -------------------------------------------------------------------------------------------


@contextlib.contextmanager
def tmpfs(folder: Path, size_kb: int) -> Iterator[Path]:
    """A real tmpfs of ``size_kb`` at ``folder`` (needs root); skips the test where mounting is not allowed."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root; the patched-failure tests cover this machine")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "onrecord-test", str(folder)],
        capture_output=True,
        text=True,
        timeout=10,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=10)


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True, timeout=10)


def fill_up(folder: Path) -> Path:
    """Writes one file until the disk says ENOSPC; returns it (delete it to free the space)."""
    filler = folder / "filler.bin"
    with open(filler, "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


# -- the core writer -----------------------------------------------------------------------------------------------


def test_disk_full_on_a_real_tmpfs_keeps_the_old_file(tmp_path):
    with tmpfs(tmp_path / "small", 256) as disk:
        doc = disk / "letter.md"
        old = SAMPLE.read_text(encoding="utf-8")
        doc.write_text(old, encoding="utf-8")
        new = old + "We lost three senior engineers in Q3. " * 30_000  # ~1.1 MB, four times the disk
        with pytest.raises(DocumentError, match=r"Could not save letter\.md: the disk is full\. Your text is still"):
            write_atomic(doc, new)
        assert doc.read_text(encoding="utf-8") == old
        assert temp_litter(disk) == []
        filler = fill_up(disk)  # now a small save fails too, and then succeeds once space is back
        with pytest.raises(DocumentError, match="the disk is full"):
            write_atomic(doc, old + "One more line.\n")
        assert doc.read_text(encoding="utf-8") == old and temp_litter(disk) == []
        filler.unlink()
        write_atomic(doc, old + "One more line.\n")
        assert read_text(doc) == old + "One more line.\n"


def test_read_only_folder_gives_a_clear_message(tmp_path):
    old = SAMPLE.read_text(encoding="utf-8")
    if os.geteuid() == 0:  # root ignores folder permissions: use a read-only mount instead
        with tmpfs(tmp_path / "ro", 256) as disk:
            doc = disk / "letter.md"
            doc.write_text(old, encoding="utf-8")
            remount_read_only(disk)
            with pytest.raises(DocumentError, match=r"letter\.md.*(read-only|Read-only)"):
                write_atomic(doc, old + "more\n")
            assert doc.read_text(encoding="utf-8") == old
        return
    folder = tmp_path / "ro"
    folder.mkdir()
    doc = folder / "letter.md"
    doc.write_text(old, encoding="utf-8")
    folder.chmod(0o555)
    try:
        with pytest.raises(DocumentError, match="read-only for you"):
            write_atomic(doc, old + "more\n")
        assert doc.read_text(encoding="utf-8") == old
    finally:
        folder.chmod(0o755)


class FailingFile:
    """Wraps the temp file: writes the first half of the data, then fails like a full disk."""

    def __init__(self, fh, fail_errno: int) -> None:
        self.fh, self.fail_errno = fh, fail_errno

    def write(self, data: bytes) -> int:
        self.fh.write(data[: len(data) // 2])
        self.fh.flush()
        raise OSError(self.fail_errno, os.strerror(self.fail_errno))

    def __getattr__(self, name):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()


@pytest.mark.parametrize(
    ("where", "code", "message"),
    [
        ("write", errno.ENOSPC, "the disk is full"),
        ("write", errno.EIO, "Input/output error"),
        ("fsync", errno.ENOSPC, "the disk is full"),
        ("fsync", errno.EIO, "Input/output error"),
        ("replace", errno.EXDEV, "Invalid cross-device link"),
        ("replace", errno.EROFS, "Read-only file system"),
    ],
)
def test_a_failing_write_fsync_or_rename_keeps_the_old_file(tmp_path, monkeypatch, where, code, message):
    import editor.fileformat as ff

    doc = tmp_path / "letter.md"
    old = SAMPLE.read_text(encoding="utf-8")
    doc.write_text(old, encoding="utf-8")

    def fail(*_a, **_k):
        raise OSError(code, os.strerror(code))

    if where == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(ff.os, "fdopen", lambda fd, *a, **k: FailingFile(real_fdopen(fd, *a, **k), code))
    else:
        monkeypatch.setattr(ff.os, where, fail)
    with pytest.raises(DocumentError) as err:
        write_atomic(doc, old + "A new paragraph that never reaches the disk.\n" * 500)
    monkeypatch.undo()
    assert message in str(err.value) and str(err.value).startswith("Could not save letter.md")
    assert "\n" not in str(err.value)
    assert doc.read_text(encoding="utf-8") == old
    assert temp_litter(tmp_path) == [], "a failed save left its temp file behind"


# -- SIGKILL while saving, in a loop -------------------------------------------------------------------------------

SAVER = r"""
import sys
from editor.fileformat import write_atomic

def version(n):
    line = "We lost three senior engineers in Q3 and two customers with them. "
    body = f"Version {n}. " + line * (1500 + 700 * (n % 5))
    return f"---\nformat: 1\ntitle: Kill test\nversion: {n}\n---\n\n# Thesis\n{body}\n\n# Ask\nVersion {n} ends here.\n"

path, n = sys.argv[1], int(sys.argv[2])
print("ready", flush=True)
while True:
    n += 1
    write_atomic(path, version(n))
"""


def saver_version(n: int) -> str:
    namespace: dict = {}
    exec(SAVER.split("path, n =")[0], namespace)  # the same function the child runs
    return namespace["version"](n)


def test_sigkill_during_saves_leaves_one_complete_version(tmp_path):
    """A process saving 100-300 kB versions in a loop is killed at random moments, again and again."""
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    doc = tmp_path / "letter.md"
    doc.write_text(saver_version(0), encoding="utf-8")
    seen, litter = set(), 0
    for _round in range(10):
        last = parse(doc.read_text(encoding="utf-8")).meta.get("version", 0)
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(doc), str(last)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.35))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            proc.stdout.close()
        text = doc.read_text(encoding="utf-8")
        n = parse(text).meta.get("version")  # never a torn file: it always parses...
        assert isinstance(n, int), f"seed {seed}: the file on disk is torn ({len(text)} characters)"
        assert text == saver_version(n), f"seed {seed}: version {n} on disk is not the complete text"  # ...whole
        assert n >= last
        seen.add(n)
        leftovers = temp_litter(tmp_path)
        litter += len(leftovers)
        doc_mode = stat.S_IMODE(doc.stat().st_mode)
        for name in leftovers:  # what a crash leaves: a private, complete-or-partial temp copy beside the file
            # private, or (killed between chmod and replace) exactly as readable as the file it replaces
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) in (0o600, doc_mode)
            (tmp_path / name).unlink()
    assert len(seen) > 3, f"seed {seed}: the saver hardly ran ({sorted(seen)})"


# -- the app itself, killed ----------------------------------------------------------------------------------------

DRIVER = r"""
import hashlib, json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from app.gui import create_app
from app.main_window import MainWindow

path, mode, out = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
sha = lambda text: hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
say = lambda *parts: print(*parts, flush=True)
app = create_app("light")
w = MainWindow()
w.autosaver.idle_ms = 40
w.show()
step = {"n": 0}

def recovered(p):
    try:
        say("autosaved", sha(json.loads(Path(p).read_text(encoding="utf-8"))["text"]))
    except (OSError, ValueError, KeyError):
        pass

def type_some():
    step["n"] += 1
    body = w.section_editor.body
    body.setFocus()
    body.moveCursor(body.textCursor().MoveOperation.End)
    QTest.keyClicks(body, f" Edit {step['n']} typed.")
    say("typed", sha(w.session.text()))

def save_round():
    type_some()
    QTimer.singleShot(60, lambda: (say("saving", sha(w.session.file_text())), w.save()))

def export_round():
    type_some()
    def go():
        w.export_pdf()
        dlg = w.dialog
        dlg.folder.setText(out)
        dlg.draft.setChecked(True)
        dlg.exported.connect(lambda files: (say("exported"), dlg.reject(), QTimer.singleShot(0, export_round)))
        dlg.failed.connect(lambda message: say("export-failed", message))
        dlg.start()
        say("exporting", dlg._process.processId())
    QTimer.singleShot(80, go)

w.autosaver.written.connect(recovered)
w.saved.connect(lambda p: (say("saved", sha(Path(p).read_text(encoding="utf-8"))), QTimer.singleShot(0, save_round)))
w.saveFailed.connect(lambda message: say("save-failed", message))
def idle_round():
    type_some()  # one edit, then quiet: grammar starts its LanguageTool after the typing pause
    w.grammar.statusChanged.connect(lambda state, _m: say("grammar", state))

first_round = {"save": save_round, "export": export_round, "idle": idle_round}[mode]
w.documentLoaded.connect(lambda _p: (say("loaded"), QTimer.singleShot(0, first_round)))
w.open_path(str(path))
sys.exit(app.exec())
"""


class AppRun:
    """The real app in a child process, driven by DRIVER; its event lines are collected with their times."""

    def __init__(self, doc: Path, mode: str, out: Path, env: dict) -> None:
        self.lines: list[tuple[float, list[str]]] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(doc), mode, str(out)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append((time.monotonic(), line.split()))

    def wait_for(self, word: str, timeout: float) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for _t, parts in self.lines:
                if parts and parts[0] == word:
                    return parts
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"the app never said {word!r}; it said {[p for _t, p in self.lines][-5:]}")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._reader.join(10)
        self.proc.stdout.close()

    def events(self, word: str) -> list[str]:
        return [parts[1] for _t, parts in self.lines if parts and parts[0] == word and len(parts) > 1]


def _pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" in status.read_text()


def check_nothing_lost(run: AppRun, doc: Path, original: str) -> str | None:
    """Disk holds the original or one whole saved version; disk or recovery hold the last text made safe.

    Returns the text the next start must offer (None when there is nothing to offer).
    """
    states = [sha(original), *run.events("typed")]
    index = {s: i for i, s in enumerate(states)}
    disk = doc.read_text(encoding="utf-8")
    parse(disk)
    assert sha(disk) in {sha(original), *run.events("saving")}, "the file on disk is not a version the app saved"
    safe = [parts[1] for _t, parts in run.lines if parts and parts[0] in ("autosaved", "saved") and len(parts) > 1]
    orphans = [r for r in RecoveryStore().orphans() if r.path and Path(r.path) == doc.resolve()]
    offered = orphans[0].text if orphans else None
    if offered is not None:
        assert sha(offered) in index, "the recovery file holds text the writer never had"
    if safe:
        best = max(index[sha(disk)], index.get(sha(offered), -1) if offered is not None else -1)
        assert best >= index[safe[-1]], "text that was saved or autosaved before the kill is lost"
    return offered


def restart_offers(qtbot, doc: Path, offered: str | None) -> None:
    """Starts the app as a user would after the crash and restores what it offers."""
    from PySide6.QtCore import Qt

    from app.gui import start

    w = start(str(doc))
    qtbot.addWidget(w)
    try:
        if offered is None:
            qtbot.waitUntil(lambda: w.session.path is not None, timeout=15_000)
            assert w.dialog is None or w.dialog.objectName() != "restorePrompt"
            return
        qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.objectName() == "restorePrompt", timeout=15_000)
        assert doc.name in w.dialog.text()
        qtbot.mouseClick(next(b for b in w.dialog.buttons() if b.text() == "Restore"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: w.session.text() == offered, timeout=15_000)
        # killed between a save and the recovery file's removal, the offer can equal the file: nothing to save
        assert w.isWindowModified() == (offered != doc.read_text(encoding="utf-8"))
    finally:
        w._closing_confirmed = True
        w.close()
        w.runner.pool.waitForDone(10_000)


def _round_env(tmp_path: Path, monkeypatch, n: int) -> dict:
    data = tmp_path / f"data{n}"
    monkeypatch.setenv("ONRECORD_DATA_DIR", str(data))  # each round its own recovery folder
    return dict(os.environ, QT_QPA_PLATFORM="offscreen")


def test_app_killed_while_typing_and_saving_loses_nothing(qtbot, tmp_path, monkeypatch):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    doc = tmp_path / "letter.md"
    original = SAMPLE.read_text(encoding="utf-8")
    for n in range(3):
        doc.write_text(original, encoding="utf-8")
        run = AppRun(doc, "save", tmp_path, _round_env(tmp_path, monkeypatch, n))
        try:
            run.wait_for("loaded", 60)
            time.sleep(rng.uniform(0.3, 2.5))
        finally:
            run.kill()
        assert run.events("typed"), f"seed {seed}: the app was killed before it typed anything"
        offered = check_nothing_lost(run, doc, original)
        assert temp_litter(tmp_path) == [] or all(
            stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600 for name in temp_litter(tmp_path)
        )
        for name in temp_litter(tmp_path):
            (tmp_path / name).unlink()
        restart_offers(qtbot, doc, offered)


def test_app_killed_during_export_loses_nothing_and_leaves_no_torn_pdf(qtbot, tmp_path, monkeypatch):
    import pypdf

    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    doc = tmp_path / "letter.md"
    original = SAMPLE.read_text(encoding="utf-8")
    for n in range(2):
        out = tmp_path / f"out{n}"
        out.mkdir()
        doc.write_text(original, encoding="utf-8")
        run = AppRun(doc, "export", out, _round_env(tmp_path, monkeypatch, n))
        try:
            exporting = run.wait_for("exporting", 60)
            time.sleep(rng.uniform(0.0, 1.2))
        finally:
            run.kill()
        renderer = int(exporting[1])
        deadline = time.monotonic() + 90
        while not _pid_gone(renderer) and time.monotonic() < deadline:  # the orphaned renderer finishes alone
            time.sleep(0.1)
        assert _pid_gone(renderer), "the PDF renderer outlived the app by more than its own time limit"
        assert doc.read_text(encoding="utf-8") == original, "export must not touch the document"
        for pdf in out.glob("*.pdf"):  # copies finished before or after the kill; none half-written
            assert len(pypdf.PdfReader(pdf).pages) >= 1, f"a torn PDF was left behind: {pdf.name}"
        assert temp_litter(out) == []
        restart_offers(qtbot, doc, check_nothing_lost(run, doc, original))


# -- the app: a full or read-only disk on save ---------------------------------------------------------------------


def test_save_on_a_full_disk_says_why_and_keeps_the_text_in_editor_and_recovery(qtbot, main_window, tmp_path):
    from tests.test_gui_journey import type_body

    w = main_window
    with tmpfs(tmp_path / "small", 128) as disk:
        doc = disk / "letter.md"
        original = SAMPLE.read_text(encoding="utf-8")
        doc.write_text(original, encoding="utf-8")
        with qtbot.waitSignal(w.documentLoaded, timeout=15_000):
            w.open_path(str(doc))
        filler = fill_up(disk)
        w.autosaver.idle_ms = 50
        typed = " Typed on a full disk."
        with qtbot.waitSignal(w.autosaver.written, timeout=15_000) as autosaved:
            type_body(qtbot, w, typed)
        with qtbot.waitSignal(w.saveFailed, timeout=15_000) as failed:
            w.save()
        message = failed.args[0]
        assert "the disk is full" in message and "\n" not in message
        assert w.dialog is not None and w.dialog.objectName() == "errorMessage"
        assert "Your text is still" in w.dialog.text()
        assert typed in w.session.text() and w.isWindowModified()
        assert doc.read_text(encoding="utf-8") == original and temp_litter(disk) == []
        recovery = json.loads(Path(autosaved.args[0]).read_text(encoding="utf-8"))
        assert typed in recovery["text"], "the unsaved text must be in the recovery file"
        w.dialog.done(0)
        filler.unlink()
        with qtbot.waitSignal(w.saved, timeout=15_000):
            w.save()
        assert typed in doc.read_text(encoding="utf-8") and not w.isWindowModified()


def test_save_into_a_read_only_folder_says_why_and_keeps_the_text(qtbot, main_window, tmp_path):
    from tests.test_gui_journey import type_body

    w = main_window
    original = SAMPLE.read_text(encoding="utf-8")
    if os.geteuid() == 0:
        ctx = tmpfs(tmp_path / "ro", 256)
    else:
        ctx = contextlib.nullcontext(tmp_path / "ro")
        (tmp_path / "ro").mkdir()
    with ctx as folder:
        doc = folder / "letter.md"
        doc.write_text(original, encoding="utf-8")
        with qtbot.waitSignal(w.documentLoaded, timeout=15_000):
            w.open_path(str(doc))
        if os.geteuid() == 0:
            remount_read_only(folder)
        else:
            folder.chmod(0o555)
        try:
            type_body(qtbot, w, " Typed into a read-only folder.")
            with qtbot.waitSignal(w.saveFailed, timeout=15_000) as failed:
                w.save()
            assert "read-only" in failed.args[0].lower()
            assert "read-only folder" in w.session.text() and w.isWindowModified()
            assert doc.read_text(encoding="utf-8") == original
        finally:
            if os.geteuid() != 0:
                folder.chmod(0o755)


def test_autosave_on_a_full_disk_is_reported_and_the_editor_keeps_working(qtbot, main_window, tmp_path, monkeypatch):
    from tests.test_gui_journey import type_body

    w = main_window
    with tmpfs(tmp_path / "data", 64) as disk:
        monkeypatch.setenv("ONRECORD_DATA_DIR", str(disk))
        w.autosaver.store = RecoveryStore()
        fill_up(disk)
        w.autosaver.idle_ms = 50
        with qtbot.waitSignal(w.autosaver.failed, timeout=15_000) as failed:
            type_body(qtbot, w, "Words while the disk is full.")
        assert "disk is full" in failed.args[0]
        assert "Autosave failed" in w.statusBar().currentMessage()
        type_body(qtbot, w, " More words.")
        assert w.session.text().count("More words.") == 1


# -- another program changes the open file -------------------------------------------------------------------------

OTHER_PROGRAM = r"""
import os, sys
path, style, text = sys.argv[1], sys.argv[2], sys.argv[3]
if style == "in place":  # truncate and write the same file, as simple tools do
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
elif style == "rename":  # write a new file and rename it over the old one, as most editors and git do
    with open(path + ".new", "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(path + ".new", path)
else:  # delete, then create a new file of the same name
    os.unlink(path)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
"""


def another_program_writes(path: Path, style: str, text: str) -> None:
    subprocess.run([sys.executable, "-c", OTHER_PROGRAM, str(path), style, text], check=True, timeout=30)


def wait_for_prompt(qtbot, w, name: str, previous=None):
    qtbot.waitUntil(
        lambda: w.dialog is not None and w.dialog is not previous and w.dialog.objectName() == name
        and w.dialog.isVisible(),
        timeout=15_000,
    )  # fmt: skip
    return w.dialog


def click(box, label: str) -> None:
    next(b for b in box.buttons() if b.text() == label).click()


@pytest.mark.parametrize("style", ["in place", "rename", "delete and recreate"])
def test_another_program_saving_twice_is_noticed_each_time_and_nothing_is_lost(qtbot, main_window, tmp_path, style):
    """A real second process saves the open file twice (three ways programs save); Keep, then Reload."""
    from tests.test_gui_journey import type_body

    w = main_window
    doc = tmp_path / "letter.md"
    original = SAMPLE.read_text(encoding="utf-8")
    doc.write_text(original, encoding="utf-8")
    with qtbot.waitSignal(w.documentLoaded, timeout=15_000):
        w.open_path(str(doc))
    type_body(qtbot, w, " Mine, typed in the app.")
    mine = w.session.text()
    box = None
    for n, answer in ((1, "Keep mine"), (2, "Reload")):
        theirs = original.replace("# Ask", f"# Ask\n\nAdded by another program, save {n}.", 1)
        another_program_writes(doc, style, theirs)
        box = wait_for_prompt(qtbot, w, "outsideChangePrompt", box)
        assert doc.read_text(encoding="utf-8") == theirs, "the app wrote over the other program's save"
        if answer == "Keep mine":
            click(box, answer)
            assert w.session.text() == mine and w.isWindowModified()
        else:
            with qtbot.waitSignal(w.session.modifiedChanged, timeout=15_000):
                click(box, answer)
    assert w.session.text() == theirs and doc.read_text(encoding="utf-8") == theirs
    w.session.undo()
    assert w.session.text() == mine, "after Reload, the writer's own text is one Undo away"


def test_an_outside_write_racing_a_save_is_never_overwritten_silently(qtbot, main_window, tmp_path):
    """The other program writes and the writer presses Save in the same instant, before any watcher settles."""
    from tests.test_gui_journey import type_body

    w = main_window
    doc = tmp_path / "letter.md"
    original = SAMPLE.read_text(encoding="utf-8")
    doc.write_text(original, encoding="utf-8")
    with qtbot.waitSignal(w.documentLoaded, timeout=15_000):
        w.open_path(str(doc))
    type_body(qtbot, w, " Mine.")
    saved: list[str] = []
    w.saved.connect(saved.append)
    theirs = original.replace("# Ask", "# Ask\n\nWritten by another program at the same moment.", 1)
    doc.write_text(theirs, encoding="utf-8")
    w.save()
    qtbot.waitUntil(
        lambda: bool(saved) or (w.dialog is not None and w.dialog.objectName() in ("overwritePrompt",
                                                                                 "outsideChangePrompt")),
        timeout=15_000,
    )  # fmt: skip
    assert not saved and doc.read_text(encoding="utf-8") == theirs, "the save replaced the other version unasked"
    assert "Mine." in w.session.text() and w.isWindowModified()


# -- LanguageTool dies in the middle of a check --------------------------------------------------------------------


@pytest.mark.slow
def test_languagetool_killed_mid_check_pauses_with_a_notice_and_resumes(qtbot, monkeypatch):
    from app.grammar_worker import GrammarWorker
    from editor.grammar import GrammarService
    from editor.settings import GrammarSettings

    long_text = (ROOT / "tests" / "fixtures" / "prose" / "dev_03_overlong_hospital.md").read_text(encoding="utf-8")
    svc = GrammarService(GrammarSettings(mode="auto"), allow_download=False)
    worker = GrammarWorker(svc, debounce_ms=20, retry_ms=300)
    statuses: list[tuple[str, str]] = []
    results: list[int] = []
    worker.statusChanged.connect(lambda state, message: statuses.append((state, message)))
    worker.findingsReady.connect(lambda rev, _f: results.append(rev))
    gaps: list[float] = []  # the UI thread's event loop, ticking every 10 ms throughout
    last = [time.monotonic()]

    def tick() -> None:
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now

    ticker = QTimer(interval=10)
    ticker.timeout.connect(tick)
    try:
        with qtbot.waitSignal(worker.findingsReady, timeout=120_000):
            worker.set_text("# Thesis\nTheir is a problem.\n")
        if svc.state != "ready":
            if REQUIRE_LT:
                pytest.fail(f"LanguageTool is not available: {svc.notice}")
            pytest.skip(f"LanguageTool is not available: {svc.notice}")
        pid = svc.server.pid
        killed = threading.Event()
        real_fetch = svc.checker.fetch

        def fetch_then_die(*args, **kwargs):
            """The check has started sending paragraphs: the server is killed 50 ms into it."""
            if not killed.is_set():

                def kill() -> None:
                    time.sleep(0.05)
                    os.kill(pid, signal.SIGKILL)
                    killed.set()

                threading.Thread(target=kill, daemon=True).start()
            return real_fetch(*args, **kwargs)

        monkeypatch.setattr(svc.checker, "fetch", fetch_then_die)
        statuses.clear()
        results.clear()
        last[0] = time.monotonic()
        ticker.start()
        rev = worker.set_text(long_text)
        qtbot.waitUntil(lambda: any(state == "stopped" for state, _m in statuses), timeout=60_000)
        assert killed.is_set()
        notice = next(m for state, m in statuses if state == "stopped")
        assert "paused" in notice or "stopped" in notice.lower(), notice
        assert rev not in results, "a check the server died in must not report (partial) findings"
        qtbot.waitUntil(lambda: worker.revision in results, timeout=120_000)  # resumes on its own
        assert statuses[-1][0] == "ready" and svc.server.pid != pid
        assert max(gaps) < 0.25, f"the UI thread stalled {max(gaps) * 1000:.0f} ms while LanguageTool died"
    finally:
        ticker.stop()
        last_pid = svc.server.pid if svc.server else None
        worker.shutdown()
    assert last_pid is None or _pid_gone(last_pid), "the restarted server outlived the worker"


@pytest.mark.slow
def test_languagetool_killed_mid_check_in_the_window_says_paused_and_resumes(qtbot, main_window, tmp_path, monkeypatch):
    """The same fault as the writer sees it: the status line says grammar is paused, then findings come back."""
    w = main_window
    doc = tmp_path / "long.md"
    doc.write_text(
        (ROOT / "tests" / "fixtures" / "prose" / "dev_03_overlong_hospital.md").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    qtbot.waitUntil(lambda: w.grammar.state in ("ready", "unavailable", "off"), timeout=120_000)
    if w.grammar.state != "ready":
        if REQUIRE_LT:
            pytest.fail(f"LanguageTool is not available: {w.grammar.message}")
        pytest.skip(f"LanguageTool is not available: {w.grammar.message}")
    svc = w.grammar.worker.service
    if svc.server is None:
        pytest.skip("grammar runs on a configured server this test must not kill")
    assert svc.alive(), "the shared server outlives the windows closed before this one"
    pid = svc.server.pid
    killed = threading.Event()
    real_fetch = svc.checker.fetch

    def fetch_then_die(texts, *args, **kwargs):
        """Arms once, on the check of the long document (not a check of the draft the window started on)."""
        texts = list(texts)
        if not killed.is_set() and any("Ward 4B" in t for t in texts):
            killed.set()
            threading.Timer(0.05, os.kill, (pid, signal.SIGKILL)).start()
        return real_fetch(texts, *args, **kwargs)

    monkeypatch.setattr(svc.checker, "fetch", fetch_then_die)
    states: list[tuple[str, str]] = []
    w.grammar.statusChanged.connect(lambda state, message: states.append((state, message)))
    with qtbot.waitSignal(w.documentLoaded, timeout=15_000):
        w.open_path(str(doc))
    try:
        qtbot.waitUntil(lambda: w.grammar_state.text() == "Grammar paused", timeout=60_000)
    except qtbot.TimeoutError:
        raise AssertionError(
            f"never paused: killed={killed.is_set()} states={states} on_status={svc.on_status} "
            f"checked={w.grammar.checked_revision} revision={w.session.revision} alive={svc.alive()}"
        ) from None
    assert killed.is_set() and "paused" in w.grammar_state.toolTip()
    assert w.session.text() == doc.read_text(encoding="utf-8")  # the editor carries on, text untouched
    try:
        qtbot.waitUntil(lambda: w.grammar.checked_revision == w.session.revision, timeout=120_000)
    except qtbot.TimeoutError:
        raise AssertionError(
            f"never resumed: states={states} state={svc.state} message={svc.message} alive={svc.alive()} "
            f"checked={w.grammar.checked_revision} revision={w.session.revision} log={svc.server.log_tail()[-5:]}"
        ) from None
    assert w.grammar_state.text() == "" and svc.server.pid != pid


def _languagetool_children(parent: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat_fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat_fields[1]) == parent and b"org.languagetool.server.HTTPServer" in cmdline:
            found.append(int(proc.name))
    return found


@pytest.mark.slow
def test_a_killed_app_does_not_leave_its_languagetool_running(tmp_path, monkeypatch):
    """SIGKILL gives the app no chance to stop its server; the kernel must (several hundred MB otherwise)."""
    doc = tmp_path / "letter.md"
    doc.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    run = AppRun(doc, "idle", tmp_path, _round_env(tmp_path, monkeypatch, 0))
    servers: list[int] = []
    try:
        run.wait_for("loaded", 60)
        deadline = time.monotonic() + 120
        while not servers and time.monotonic() < deadline and run.proc.poll() is None:
            servers = _languagetool_children(run.proc.pid)
            time.sleep(0.2)
        if not servers:
            states = run.events("grammar")
            if REQUIRE_LT:
                pytest.fail(f"the app started no LanguageTool (grammar states: {states})")
            pytest.skip(f"the app started no LanguageTool here (grammar states: {states})")
        run.wait_for("grammar", 5)
    finally:
        run.kill()
    deadline = time.monotonic() + 15
    while not all(_pid_gone(pid) for pid in servers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_pid_gone(pid) for pid in servers), "LanguageTool outlived the killed app"
