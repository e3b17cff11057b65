"""Autosave and recovery: private files in the data folder, written after typing pauses, offered after a crash."""

from __future__ import annotations

import json
import os
import select
import stat
import subprocess
import sys

from PySide6.QtCore import Qt

from app.autosave import RecoveryStore
from editor.paths import data_dir
from tests.conftest import ROOT
from tests.test_gui_journey import type_body, wait_checked

SAMPLE = ROOT / "templates" / "samples" / "sample-exit-interview.md"


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def read_line(proc: subprocess.Popen, timeout: float) -> str:
    """One line of the child's output, or "" if none comes in time (never blocks longer)."""
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    return proc.stdout.readline().strip() if ready else ""


def test_recovery_files_are_private_and_live_in_the_data_folder():
    store = RecoveryStore()
    file = store.write("abc", "my letter", "/home/someone/letter.md")
    assert file.parent == data_dir() / "recovery"
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(file.parent.stat().st_mode) == 0o700
    assert json.loads(file.read_text(encoding="utf-8"))["text"] == "my letter"
    store.discard("abc")
    assert not file.exists()


def test_only_files_of_processes_that_are_gone_are_offered():
    store = RecoveryStore()
    mine = store.write("mine", "still running", None)
    assert store.orphans() == []  # this process is alive: its file is not an orphan
    gone = store.write("gone", "crashed text", "/tmp/x.md")
    data = json.loads(gone.read_text(encoding="utf-8"))
    data["pid"] = dead_pid()
    gone.write_text(json.dumps(data), encoding="utf-8")
    (store.folder / "junk.json").write_text("{not json", encoding="utf-8")
    found = store.orphans()
    assert [r.id for r in found] == ["gone"]
    assert found[0].text == "crashed text" and found[0].name == "x.md"
    assert mine.exists()


def test_a_recovery_the_file_already_holds_is_not_offered(tmp_path):
    """Killed between a save and removing the recovery file: the text is safe, so nothing is asked."""
    store = RecoveryStore()
    letter = tmp_path / "letter.md"
    letter.write_text("# Thesis\nSaved words.\n", encoding="utf-8")
    for rec_id, text in (("saved", "# Thesis\nSaved words.\n"), ("newer", "# Thesis\nSaved words. And more.\n")):
        file = store.write(rec_id, text, str(letter))
        data = json.loads(file.read_text(encoding="utf-8"))
        data["pid"] = dead_pid()
        file.write_text(json.dumps(data), encoding="utf-8")
    assert [r.id for r in store.orphans()] == ["newer"]  # only the text the file does not hold is offered
    assert not store.file_for("saved").exists()
    letter.unlink()  # the document gone: its recovery is all there is, so it is offered whatever it holds
    store.write("lost", "# Thesis\nSaved words.\n", str(letter))
    data = json.loads(store.file_for("lost").read_text(encoding="utf-8"))
    data["pid"] = dead_pid()
    store.file_for("lost").write_text(json.dumps(data), encoding="utf-8")
    assert sorted(r.id for r in store.orphans()) == ["lost", "newer"]


def test_autosave_writes_after_a_pause_never_beside_the_file_and_clears_after_save(qtbot, main_window, tmp_path):
    w = main_window
    doc = tmp_path / "letter.md"
    doc.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    with qtbot.waitSignal(w.documentLoaded, timeout=10_000):
        w.open_path(str(doc))
    w.autosaver.idle_ms = 50
    recovery = w.autosaver.store.file_for(w.autosaver.rec_id)
    with qtbot.waitSignal(w.autosaver.written, timeout=10_000):
        type_body(qtbot, w, " Autosaved words.")
    saved = json.loads(recovery.read_text(encoding="utf-8"))
    assert "Autosaved words." in saved["text"] and saved["path"] == str(doc.resolve())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.md"]  # nothing beside the user's file
    assert "Autosaved words." not in doc.read_text(encoding="utf-8")
    with qtbot.waitSignal(w.saved, timeout=10_000):
        w.save()
    qtbot.waitUntil(lambda: not recovery.exists(), timeout=10_000)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.md"]


def test_next_start_offers_the_orphaned_text_and_restore_puts_it_back(qtbot, tmp_path):
    from app.gui import start

    doc = tmp_path / "letter.md"
    doc.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    store = RecoveryStore()
    text = doc.read_text(encoding="utf-8").replace("# Ask", "# Ask\n\nRecovered sentence.")
    file = store.write("crashed", text, str(doc))
    data = json.loads(file.read_text(encoding="utf-8"))
    data["pid"] = dead_pid()
    file.write_text(json.dumps(data), encoding="utf-8")

    w = start(str(doc))
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.objectName() == "restorePrompt", timeout=10_000)
    assert "letter.md" in w.dialog.text()
    restore = next(b for b in w.dialog.buttons() if b.text() == "Restore")
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Recovered sentence." in w.session.text(), timeout=10_000)
    assert w.session.text() == text and w.isWindowModified()
    assert w.autosaver.rec_id == "crashed"  # the recovered file is carried on, not duplicated
    w.session.undo()
    assert w.session.text() == doc.read_text(encoding="utf-8")  # undo goes back to the file on disk
    w._closing_confirmed = True


def test_a_killed_app_is_restored_on_the_next_start(qtbot, tmp_path):
    """Starts `python -m app FILE` for real, types into it, SIGKILLs it, and restores the text on restart."""
    from app.gui import start

    doc = tmp_path / "letter.md"
    original = SAMPLE.read_text(encoding="utf-8")
    doc.write_text(original, encoding="utf-8")
    typed = " Typed just before the crash."
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONRECORD_PROBE_TYPE=typed)
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", str(doc)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert read_line(proc, timeout=60) == "typed"  # the app prints it once the keys are in
        folder = RecoveryStore().folder

        def autosaved() -> bool:
            return (
                any(typed in f.read_text(encoding="utf-8") for f in folder.glob("*.json")) if folder.is_dir() else False
            )

        qtbot.waitUntil(autosaved, timeout=30_000)
        proc.kill()  # SIGKILL: no chance to clean up
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert proc.returncode == -9
    assert doc.read_text(encoding="utf-8") == original  # the user's file was never touched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.md"]

    w = start(str(doc))
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.objectName() == "restorePrompt", timeout=10_000)
    qtbot.mouseClick(next(b for b in w.dialog.buttons() if b.text() == "Restore"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: typed in w.session.text(), timeout=10_000)
    assert w.isWindowModified()
    wait_checked(qtbot, w)
    with qtbot.waitSignal(w.saved, timeout=10_000):
        w.save()
    assert typed in doc.read_text(encoding="utf-8")
    qtbot.waitUntil(lambda: not any(folder.glob("*.json")), timeout=10_000)  # nothing left to offer


def test_an_unsaved_draft_is_restored_as_an_untitled_modified_document(qtbot):
    from app.gui import start

    store = RecoveryStore()
    file = store.write("draft", "# Thesis\n\nWords that were never saved.\n", None)
    data = json.loads(file.read_text(encoding="utf-8"))
    data["pid"] = dead_pid()
    file.write_text(json.dumps(data), encoding="utf-8")
    w = start(None)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.objectName() == "restorePrompt", timeout=10_000)
    assert "an unsaved draft" in w.dialog.text()
    qtbot.mouseClick(next(b for b in w.dialog.buttons() if b.text() == "Restore"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "never saved" in w.session.text(), timeout=10_000)
    assert w.session.path is None and w.isWindowModified()
    assert w.windowTitle().startswith("Untitled")
    w._closing_confirmed = True


def test_discard_deletes_the_orphan_and_later_keeps_it(qtbot):
    from app.gui import start

    store = RecoveryStore()
    for rec_id in ("one", "two"):
        file = store.write(rec_id, f"text {rec_id}", None)
        data = json.loads(file.read_text(encoding="utf-8"))
        data["pid"] = dead_pid()
        file.write_text(json.dumps(data), encoding="utf-8")
    w = start(None)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.objectName() == "restorePrompt", timeout=10_000)
    first = w.dialog
    qtbot.mouseClick(next(b for b in first.buttons() if b.text() == "Discard"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog is not first, timeout=10_000)  # the next one
    qtbot.mouseClick(next(b for b in w.dialog.buttons() if b.text() == "Later"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(list(store.folder.glob("*.json"))) == 1, timeout=10_000)
    assert len(store.orphans()) == 1  # kept for the next start
    w._closing_confirmed = True


def test_a_single_keystroke_is_autosaved(qtbot, main_window):
    w = main_window
    w.autosaver.idle_ms = 50
    with qtbot.waitSignal(w.autosaver.written, timeout=10_000):
        type_body(qtbot, w, "x")
    assert "x" in json.loads(w.autosaver.store.file_for(w.autosaver.rec_id).read_text(encoding="utf-8"))["text"]
