"""The Export dialog and the Delivery panel, driven as a user would (pytest-qt, real renderer processes)."""

from __future__ import annotations

import datetime as dt
import sys

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from editor.fileformat import parse, with_meta
from editor.ui.delivery_panel import DeliveryPanel
from editor.ui.export_dialog import ExportDialog
from tests.conftest import DOCS, ROOT

RENDER_TIMEOUT_MS = 60_000


@pytest.fixture
def renderer_env(monkeypatch):
    """The child process must import this checkout's packages, wherever the test runs from."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.chdir(ROOT)


def dialog_for(qtbot, name: str, tmp_path, text: str | None = None) -> ExportDialog:
    path = DOCS / f"{name}.md"
    dlg = ExportDialog(text if text is not None else path.read_text(), path)
    qtbot.addWidget(dlg)
    dlg.folder.setText(str(tmp_path))
    return dlg


def pdf_text(path) -> str:
    return " ".join("".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages).split())


def test_dialog_reads_its_choices_from_the_document(qtbot, tmp_path):
    dlg = dialog_for(qtbot, "d1-good-exit", tmp_path)
    assert dlg.page_size.currentData() == "a4"
    assert dlg.theme.currentData() == "executive"
    assert dlg.per_recipient.isEnabled() and dlg.per_recipient.isChecked()
    assert dlg.checked_recipients() == ["Diane Cho", "Raj Patel"]
    names = [j.output.name for j in dlg.planned_jobs()]
    assert names == ["d1-good-exit - for Diane Cho.pdf", "d1-good-exit - for Raj Patel.pdf"]
    dlg.redact.setChecked(True)
    dlg.per_recipient.setChecked(False)
    assert [j.output.name for j in dlg.planned_jobs()] == ["d1-good-exit - review copy.pdf"]
    assert "d1-good-exit - review copy.pdf" in dlg.files.text()


def test_dialog_is_named_and_keyboard_reachable(qtbot, tmp_path):
    dlg = dialog_for(qtbot, "d1-good-exit", tmp_path)
    dlg.show()
    qtbot.waitExposed(dlg)
    widgets = [dlg.theme, dlg.page_size, dlg.folder, dlg.draft, dlg.redact, dlg.per_recipient, dlg.recipients]
    widgets += [dlg.export_button, dlg.close_button]
    for w in widgets:
        assert w.accessibleName(), w
        assert w.focusPolicy() & Qt.FocusPolicy.TabFocus, w
    dlg.theme.setFocus()
    seen = set()
    for _ in range(20):
        seen.add(dlg.focusWidget())
        dlg.focusNextChild()
    assert {dlg.theme, dlg.page_size, dlg.draft, dlg.redact, dlg.per_recipient, dlg.export_button} <= seen


def test_one_pdf_per_recipient_in_one_action(qtbot, tmp_path, renderer_env):
    dlg = dialog_for(qtbot, "d1-good-exit", tmp_path)
    dlg.theme.setCurrentIndex(dlg.theme.findData("modern"))
    with qtbot.waitSignal(dlg.exported, timeout=RENDER_TIMEOUT_MS) as got:
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
        assert dlg.is_running() and not dlg.progress.isHidden()
    paths = got.args[0]
    assert len(paths) == 2 and dlg.progress.value() == 2
    assert "Prepared for Diane Cho, VP Engineering" in pdf_text(paths[0])
    assert "Prepared for Raj Patel, Chief Product Officer" in pdf_text(paths[1])
    assert "Exported 2 PDFs" in dlg.status.text() and not dlg.is_running()


def test_page_size_change_applies_to_the_copy_only(qtbot, tmp_path, renderer_env):
    dlg = dialog_for(qtbot, "d2-escalation-good", tmp_path)
    original = dlg.text
    dlg.page_size.setCurrentIndex(dlg.page_size.findData("a4"))
    assert "page_size: a4" in dlg.export_text() and dlg.text == original
    with qtbot.waitSignal(dlg.exported, timeout=RENDER_TIMEOUT_MS) as got:
        dlg.start()
    box = pypdf.PdfReader(got.args[0][0]).pages[0].mediabox
    assert round(float(box.width)) == 595


def test_refusal_shows_the_renderers_message(qtbot, tmp_path, renderer_env):
    dlg = dialog_for(qtbot, "d3-overlong", tmp_path)
    with qtbot.waitSignal(dlg.failed, timeout=RENDER_TIMEOUT_MS) as got:
        dlg.start()
    assert "4 pages" in got.args[0] and "Cut roughly" in got.args[0]
    assert "Cut roughly" in dlg.status.text() and dlg.export_button.isEnabled()
    assert not any(tmp_path.iterdir())
    dlg.draft.setChecked(True)
    with qtbot.waitSignal(dlg.exported, timeout=RENDER_TIMEOUT_MS) as done:
        dlg.start()
    assert done.args[0][0].endswith("d3-overlong - DRAFT.pdf")
    assert "OVER LIMIT" in pdf_text(done.args[0][0])


def test_a_crashing_renderer_cannot_take_the_editor_down(qtbot, tmp_path):
    host = QWidget()
    qtbot.addWidget(host)
    text = (DOCS / "d2-escalation-good.md").read_text()
    dlg = ExportDialog(text, None, host)
    dlg.folder.setText(str(tmp_path))
    dlg.command = [sys.executable, "-c", "import os, sys; sys.stdin.read(); os.abort()"]
    with qtbot.waitSignal(dlg.failed, timeout=RENDER_TIMEOUT_MS) as got:
        dlg.start()
    assert "stopped unexpectedly" in got.args[0] and "still in the editor" in got.args[0]
    assert dlg.text == text and not dlg.is_running() and dlg.export_button.isEnabled()


def test_unreadable_front_matter_disables_export(qtbot, tmp_path):
    dlg = ExportDialog("---\ntitle: [unclosed\n---\n# Thesis\n", None)
    qtbot.addWidget(dlg)
    assert not dlg.export_button.isEnabled()
    assert "not valid YAML" in dlg.status.text()


# --- delivery panel ---------------------------------------------------------------------------------


def panel_with(qtbot, name: str = "d1-good-exit") -> tuple[DeliveryPanel, object]:
    panel = DeliveryPanel(today=lambda: dt.date(2026, 10, 20))
    qtbot.addWidget(panel)
    doc = parse((DOCS / f"{name}.md").read_text())
    panel.set_document(doc)
    return panel, doc


def test_delivery_panel_lists_recipients_with_advice(qtbot):
    panel, _doc = panel_with(qtbot)
    assert panel.table.rowCount() == 2
    assert panel.table.item(0, 0).text() == "Diane Cho" and panel.table.item(1, 1).text() == "Chief Product Officer"
    assert "talk with each reader first, then hand them the written copy" in panel.advice.text()
    assert "0 of 2 met in person" in panel.status.text()
    for w in (panel, panel.table, panel.advice, panel.new_name, panel.new_role, panel.add_button, panel.status):
        assert w.accessibleName()


def test_ticking_met_and_delivered_writes_the_front_matter(qtbot):
    panel, doc = panel_with(qtbot)
    with qtbot.waitSignal(panel.metaChanged) as got:
        panel.set_checked("Diane Cho", met=True)
    assert got.args[0]["recipients"][0]["met_in_person"] is True
    with qtbot.waitSignal(panel.metaChanged) as got:
        panel.set_checked("Diane Cho", delivered=True)
    meta = got.args[0]
    assert meta["recipients"][0]["delivered"] == dt.date(2026, 10, 20)
    assert meta["title"] == doc.title and meta["people"] == doc.meta["people"]
    saved = with_meta(doc, meta)
    again = parse(saved)
    assert again.meta["recipients"][0] == {
        "name": "Diane Cho",
        "role": "VP Engineering",
        "met_in_person": True,
        "delivered": dt.date(2026, 10, 20),
    }
    assert again.body == doc.body
    assert "Next" not in panel.status.text() and "1 of 2 met in person; 1 of 2 have their copy" in panel.status.text()


def test_a_copy_before_the_meeting_is_called_out(qtbot):
    panel, _doc = panel_with(qtbot)
    panel.set_checked("Raj Patel", delivered=True)
    assert "Raj Patel has the copy without a conversation" in panel.status.text()
    panel.set_checked("Raj Patel", met=True)
    assert "without a conversation" not in panel.status.text()


def test_keyboard_space_toggles_met(qtbot):
    panel, _doc = panel_with(qtbot)
    panel.show()
    qtbot.waitExposed(panel)
    panel.table.setFocus()
    panel.table.setCurrentCell(1, 2)
    with qtbot.waitSignal(panel.metaChanged) as got:
        qtbot.keyClick(panel.table, Qt.Key.Key_Space)
    assert got.args[0]["recipients"][1].get("met_in_person") is True


def test_date_edit_validates_and_add_remove_recipients(qtbot):
    panel, _doc = panel_with(qtbot)
    with qtbot.assertNotEmitted(panel.metaChanged):
        panel.table.item(0, 4).setText("next tuesday")
    assert "not a date" in panel.status.text()
    with qtbot.waitSignal(panel.metaChanged) as got:
        panel.table.item(0, 4).setText("2026-10-22")
    assert got.args[0]["recipients"][0]["delivered"] == dt.date(2026, 10, 22)
    assert panel.table.item(0, 3).checkState() == Qt.CheckState.Checked

    panel.new_name.setText("Priya Natarajan")
    panel.new_role.setText("CTO")
    with qtbot.waitSignal(panel.metaChanged) as got:
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert got.args[0]["recipients"][-1] == {"name": "Priya Natarajan", "role": "CTO"}
    assert panel.table.rowCount() == 3
    panel.new_name.setText("priya natarajan")
    panel.add_recipient()
    assert "already on the list" in panel.status.text() and panel.table.rowCount() == 3
    panel.table.setCurrentCell(0, 0)
    with qtbot.waitSignal(panel.metaChanged) as got:
        panel.remove_selected()
    assert [r["name"] for r in got.args[0]["recipients"]] == ["Raj Patel", "Priya Natarajan"]


def test_document_without_recipients_invites_adding(qtbot):
    panel, _doc = panel_with(qtbot, "d2-escalation-good")
    assert panel.table.rowCount() == 0 and "No recipients yet" in panel.status.text()
