"""A writer's whole journey through the guided editor, driven with real clicks and key presses.

New exit interview → thesis → two points, each with an incident, its enabler and a consequence →
the findings shrink as the gaps are filled → save → reopen → the file on disk is a valid On Record
document that the CLI checks clean.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLineEdit

from app.cli import main as cli_main
from app.main_window import MainWindow
from editor.fileformat import read_document
from editor.ui.people_panel import NAME, POWER, ROLE

THESIS = "Platform's on-call policy rewards heroics over planning, and it is costing us our senior engineers."
POINTS = [
    {
        "title": "On-call load is driving people out",
        "incident": "The summer rota",
        "story": "From July to September the team was paged on six weekends. The request for a second rota "
        "was declined in the August planning meeting.",
        "enabler": "Mark Ellis",
        "consequence": "Three of five senior engineers resigned between July and September; replacing them "
        "will cost about 120,000 dollars in recruiting fees.",
    },
    {
        "title": "Alerting debt keeps slipping",
        "incident": "The clean-up that was cut",
        "story": "In May the clean-up of noisy alerts was planned for the second quarter. It was removed "
        "from the plan in June to make room for a launch.",
        "enabler": "Priya Natarajan",
        "consequence": "Pages rose from 40 to 95 a month by October, and two customers cited outages at renewal.",
    },
]
PEOPLE = [("Mark Ellis", "Director of Platform", "high"), ("Priya Natarajan", "CTO", "high")]


def structure_errors(w: MainWindow) -> list[str]:
    return [f.rule for f in w.findings_panel.findings() if f.severity == "error" and f.category == "structure"]


def wait_checked(qtbot, w: MainWindow) -> None:
    """Waits until the findings on screen belong to the current text."""
    qtbot.waitUntil(lambda: w.result is not None and w.result.document.text == w.session.text(), timeout=15_000)


def click_outline(qtbot, w: MainWindow, ref: tuple) -> None:
    item = w.outline._items[ref]
    tree = w.outline.tree
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    assert w.section_editor.ref == ref


def type_body(qtbot, w: MainWindow, text: str) -> None:
    body = w.section_editor.body
    body.setFocus()
    body.moveCursor(body.textCursor().MoveOperation.End)
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(body, Qt.Key.Key_Return)
        qtbot.keyClicks(body, line)


def type_title(qtbot, w: MainWindow, text: str) -> None:
    w.section_editor.title.setFocus()
    w.section_editor.title.selectAll()
    qtbot.keyClicks(w.section_editor.title, text)


def add_person(qtbot, w: MainWindow, name: str, role: str, power: str) -> None:
    panel = w.people
    if panel.isVisible():
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    else:  # the People panel is behind Findings: the incident's button brings it forward
        qtbot.mouseClick(w.section_editor.picker.people_button, Qt.MouseButton.LeftButton)
    assert panel.isVisible()
    row = panel.table.rowCount() - 1
    for col, value in ((NAME, name), (ROLE, role)):
        panel.table.setCurrentCell(row, col)
        panel.table.editItem(panel.table.item(row, col))
        editor = [e for e in panel.table.viewport().findChildren(QLineEdit) if e.isVisible()][-1]
        qtbot.keyClicks(editor, value)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    combo = panel.table.cellWidget(row, POWER)
    combo.setFocus()
    combo.setCurrentIndex(combo.findText(power))


def tick_enabler(qtbot, w: MainWindow, name: str) -> None:
    lst = w.section_editor.picker.list
    items = [lst.item(i) for i in range(lst.count())]
    item = next(i for i in items if i.text() == name)
    lst.setFocus()
    lst.setCurrentItem(item)
    qtbot.keyClick(lst, Qt.Key.Key_Space)
    assert item.checkState() == Qt.CheckState.Checked


def test_whole_journey_from_new_draft_to_a_saved_checked_file(qtbot, main_window, tmp_path):
    w = main_window
    # File > New: the kind picker lists every kind with its one-line description.
    w.actions_.new.trigger()
    picker = w.dialog
    assert picker is not None and picker.isVisible()
    names = [picker.list.item(i).text() for i in range(picker.list.count())]
    assert "Exit interview letter" in names
    picker.choose("exit-interview")
    qtbot.keyClicks(picker.title, "Why Platform keeps losing senior engineers")
    create = picker.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(w.documentLoaded, timeout=5000):
        qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    assert w.session.kind().id == "exit-interview"
    assert w.section_editor.ref == ("thesis",)
    assert "claim" in w.section_editor.card.prompt.text()  # the kind's prompt shows above the text
    wait_checked(qtbot, w)
    before = structure_errors(w)
    assert "structure.thesis" in before
    assert w.outline.state_of(("thesis",)) == "empty"

    # Thesis
    type_body(qtbot, w, THESIS)
    wait_checked(qtbot, w)
    assert "structure.thesis" not in structure_errors(w)
    assert w.outline.state_of(("thesis",)) == "good"

    # People, from the incident's "Edit people…" button.
    click_outline(qtbot, w, ("incident", 0, 0))
    for name, role, power in PEOPLE:
        add_person(qtbot, w, name, role, power)
    assert [p.name for p in w.session.document().people] == [p[0] for p in PEOPLE]
    assert {p.power for p in w.session.document().people} == {"high"}

    # Point 1 came with the template; point 2 is added from the outline.
    for i, point in enumerate(POINTS):
        if i > 0:
            qtbot.mouseClick(w.outline.add_point, Qt.MouseButton.LeftButton)
            assert w.section_editor.ref == ("point", i)
        click_outline(qtbot, w, ("point", i))
        type_title(qtbot, w, point["title"])
        click_outline(qtbot, w, ("incident", i, 0))
        type_title(qtbot, w, point["incident"])
        type_body(qtbot, w, point["story"])
        tick_enabler(qtbot, w, point["enabler"])
        click_outline(qtbot, w, ("consequence", i, 0))
        type_body(qtbot, w, point["consequence"])

    click_outline(qtbot, w, ("ask",))
    type_body(qtbot, w, "Cap on-call at one week in six and fund the alerting clean-up this quarter.")
    wait_checked(qtbot, w)
    assert structure_errors(w) == []
    assert len(before) > 4  # the findings really changed on the way
    not_good = [(ref, w.outline.state_of(ref)) for ref in w.outline.refs() if w.outline.state_of(ref) != "good"]
    assert not_good == []

    # Save (Ctrl+S on an untitled draft asks for a name), then reopen in a fresh window.
    target = tmp_path / "letter.md"
    qtbot.keyClick(w.section_editor.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    dialog = w.dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    with qtbot.waitSignal(w.saved, timeout=10_000):
        dialog.selectFile(str(target))
        dialog.accept()
    assert not w.isWindowModified()
    assert "letter.md" in w.windowTitle()

    doc = read_document(target)
    assert doc.meta["format"] == 1 and doc.meta["kind"] == "exit-interview"
    assert doc.title == "Why Platform keeps losing senior engineers"
    assert doc.body.lstrip().startswith("# Thesis")
    assert doc.thesis.body(doc.text).strip() == THESIS
    assert [p.section.title for p in doc.points] == [p["title"] for p in POINTS]
    assert [p.incidents[0].enabled_by for p in doc.points] == [[p["enabler"]] for p in POINTS]
    assert [p.incidents[0].section.title for p in doc.points] == [p["incident"] for p in POINTS]
    assert [p.name for p in doc.people] == [p[0] for p in PEOPLE]
    assert "Enabled by: Mark Ellis" in doc.text
    assert cli_main(["check", str(target), "--no-grammar"]) == 0  # the same checks the CLI runs

    again = MainWindow()
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.documentLoaded, timeout=10_000):
        again.open_path(str(target))
    assert again.session.text() == target.read_text(encoding="utf-8")
    assert again.outline.refs().count(("point", 1)) == 1
    again.outline.select_ref(("incident", 1, 0), notify=True)
    assert again.section_editor.picker.names() == ["Priya Natarajan"]
    assert again.section_editor.title.text() == POINTS[1]["incident"]
    assert str(target.resolve()) in [str(p) for p in again.recent.paths()]
    again._closing_confirmed = True
