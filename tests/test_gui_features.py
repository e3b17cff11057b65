"""The guided editor's features, each driven as a writer would: clicks, keys, the panels' own buttons."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QMessageBox, QPlainTextEdit

from app.main_window import MainWindow
from editor.findings import Finding
from editor.model import Document
from editor.ui.sections import GOOD
from tests.conftest import DOCS, ROOT
from tests.test_gui_journey import click_outline, type_body, type_title, wait_checked

SAMPLE = ROOT / "templates" / "samples" / "sample-exit-interview.md"


def open_doc(qtbot, w: MainWindow, path) -> None:
    with qtbot.waitSignal(w.documentLoaded, timeout=10_000):
        w.open_path(str(path))
    wait_checked(qtbot, w)


def button(box: QMessageBox, text: str) -> QAbstractButton:
    return next(b for b in box.buttons() if b.text().replace("&", "") == text)


# -- the outline -----------------------------------------------------------------------------------
def test_a_fourth_point_is_refused_and_the_outline_says_why(qtbot, main_window):
    w = main_window
    for _ in range(2):
        qtbot.mouseClick(w.outline.add_point, Qt.MouseButton.LeftButton)
    assert len(w.session.document().points) == 3
    assert not w.outline.notice.isVisible()
    before = w.session.text()
    qtbot.mouseClick(w.outline.add_point, Qt.MouseButton.LeftButton)
    assert len(w.session.document().points) == 3
    assert w.session.text() == before
    assert w.outline.notice.isVisible()
    assert "at most 3 points" in w.outline.notice.text()
    # the menu shortcut is refused the same way
    w.outline.clear_notice()
    w.actions_.add_point.trigger()
    assert "at most 3 points" in w.outline.notice.text()


def test_points_and_incidents_reorder_and_remove_as_one_undo_step(qtbot, main_window):
    w = main_window
    open_doc(qtbot, w, SAMPLE)
    titles = [p.section.title for p in w.session.document().points]
    click_outline(qtbot, w, ("point", 1))
    qtbot.mouseClick(w.outline.move_up, Qt.MouseButton.LeftButton)
    doc = w.session.document()
    assert [p.section.title for p in doc.points] == titles[::-1]
    assert w.section_editor.ref == ("point", 0)  # the moved point stays selected
    # the moved point kept its incidents and consequences
    assert doc.points[0].incidents[0].section.title == "The capacity review that never happened"
    w.session.undo()
    assert [p.section.title for p in w.session.document().points] == titles
    assert w.session.text() == SAMPLE.read_text(encoding="utf-8")

    click_outline(qtbot, w, ("incident", 0, 1))
    qtbot.mouseClick(w.outline.remove, Qt.MouseButton.LeftButton)
    assert [i.section.title for i in w.session.document().points[0].incidents] == ["The spring release"]
    w.session.undo()
    assert w.session.text() == SAMPLE.read_text(encoding="utf-8")

    click_outline(qtbot, w, ("thesis",))
    qtbot.mouseClick(w.outline.remove, Qt.MouseButton.LeftButton)
    assert "needs its thesis" in w.outline.notice.text()


def test_adding_an_incident_and_a_consequence_goes_to_the_selected_point(qtbot, main_window):
    w = main_window
    open_doc(qtbot, w, SAMPLE)
    click_outline(qtbot, w, ("point", 1))
    qtbot.mouseClick(w.outline.add_incident, Qt.MouseButton.LeftButton)
    assert w.section_editor.ref == ("incident", 1, 1)
    qtbot.keyClicks(w.section_editor.title, "The second cancellation")
    qtbot.mouseClick(w.outline.add_consequence, Qt.MouseButton.LeftButton)
    assert w.section_editor.ref == ("consequence", 1, 1)
    point = w.session.document().points[1]
    assert [i.section.title for i in point.incidents][-1] == "The second cancellation"
    assert len(point.consequences) == 2
    assert len(w.session.document().points[0].incidents) == 2  # the other point is untouched


# -- one text, two views ------------------------------------------------------------------------------
def test_section_box_and_whole_text_stay_in_sync_both_ways_with_one_undo_history(qtbot, main_window):
    w = main_window
    open_doc(qtbot, w, SAMPLE)
    click_outline(qtbot, w, ("consequence", 1, 0))
    type_body(qtbot, w, " Two managers left in June.")
    assert "with the same result. Two managers left in June." in w.full_text.toPlainText()

    w.actions_.whole.trigger()
    assert w.view_mode() == "whole"
    cur = w.full_text.document().find("Two managers")
    cur.setPosition(cur.selectionStart())
    cur.setPosition(cur.position() + 3, cur.MoveMode.KeepAnchor)
    w.full_text.setTextCursor(cur)  # "Two" selected: typing replaces it
    qtbot.keyClicks(w.full_text, "Both")
    assert w.section_editor.body.toPlainText().endswith("Both managers left in June.")

    w.actions_.guided.trigger()
    qtbot.keyClick(w.section_editor.body, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.section_editor.body.toPlainText().endswith("Two managers left in June.")
    assert w.session.text().count("Two managers left in June.") == 1
    while w.session.qdoc.isUndoAvailable():
        w.actions_.undo.trigger()
    assert w.session.text() == SAMPLE.read_text(encoding="utf-8")
    assert not w.isWindowModified()  # back at the saved text


def test_titles_and_enablers_write_the_headings_and_the_enabled_by_line(qtbot, main_window):
    w = main_window
    open_doc(qtbot, w, SAMPLE)
    click_outline(qtbot, w, ("incident", 0, 1))
    type_title(qtbot, w, "The August release")
    assert "### Incident: The August release\n" in w.session.text()
    picker = w.section_editor.picker
    assert picker.names() == ["Raj Patel", "Diane Cho"]
    picker.toggle("Raj Patel", False)
    assert "Enabled by: Diane Cho\n" in w.session.text()
    picker.toggle("Nina Brandt", True)
    doc = w.session.document()
    assert doc.points[0].incidents[1].enabled_by == ["Diane Cho", "Nina Brandt"]
    assert w.outline._items[("incident", 0, 1)].text(0) == "Incident: The August release"


def test_details_write_the_front_matter(qtbot, main_window):
    w = main_window
    click_outline(qtbot, w, ("details",))
    form = w.section_editor.details
    qtbot.keyClicks(form.title, "Why we lose engineers")
    qtbot.keyClicks(form.author, "Dana Reyes")
    form.date.setFocus()
    form.date.selectAll()
    qtbot.keyClicks(form.date, "2026-11-20")
    qtbot.keyClick(form.date, Qt.Key.Key_Return)
    doc = w.session.document()
    assert doc.title == "Why we lose engineers" and doc.author == "Dana Reyes"
    assert "\ndate: 2026-11-20\n" in doc.text  # a real date, not a quoted string
    wait_checked(qtbot, w)
    assert w.outline.state_of(("details",)) == GOOD


# -- findings -------------------------------------------------------------------------------------------
def test_findings_are_grouped_underlined_with_tooltips_and_clicking_jumps(qtbot, main_window):
    w = main_window
    open_doc(qtbot, w, SAMPLE)
    panel = w.findings_panel
    material = [f for f in panel.findings() if f.rule == "structure.consequence_material"]
    assert material, "the sample's last consequence names nothing material"
    assert any(label.startswith("Point: Raised concerns") for label in panel.group_labels())
    assert w.outline.state_of(("point", 1)) == "needs work"
    assert w.outline.state_of(("point", 0)) == GOOD
    item = next(i for i in panel.items() if i.data(0, Qt.ItemDataRole.UserRole) == material[0])
    tree = panel.tree
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    assert w.section_editor.ref == ("consequence", 1, 0)
    # heading-level findings are listed on the section's card
    assert "names nothing material" in w.section_editor.card.todo.text()
    # the whole-text view underlines it and shows the message over it
    w.actions_.whole.trigger()
    spans = w.full_text.current_mark_spans()
    start = w.session.text().index("### Consequence\n\nWithout a review")
    assert any(a <= start + 3 < b for a, b in spans)
    assert any("names nothing material" in m for m in w.full_text.messages_at(start + 3))


def test_ignore_this_rule_writes_the_front_matter_and_silences_it(qtbot, main_window):
    w = main_window
    open_doc(qtbot, w, SAMPLE)
    panel = w.findings_panel
    target = next(f for f in panel.findings() if f.rule == "structure.consequence_material")
    panel.select(target)
    assert panel.ignore_button.isEnabled()
    qtbot.mouseClick(panel.ignore_button, Qt.MouseButton.LeftButton)
    doc = w.session.document()
    assert doc.ignored_rules == ["structure.consequence_material"]
    assert re.search(r"^ignore: \[structure\.consequence_material\]$", doc.text, re.M)
    original = SAMPLE.read_text(encoding="utf-8")
    assert doc.body == original[original.index("\n---\n") + 5 :]  # only the front matter changed
    wait_checked(qtbot, w)
    assert all(f.rule != "structure.consequence_material" for f in panel.findings())
    assert w.outline.state_of(("point", 1)) == GOOD


def _double_space(doc: Document) -> list[Finding]:
    """A small real checker with a suggestion, like the tone rules that offer a rewrite."""
    return [
        Finding("style.double_space", "style", "warning", m.start(), m.end(), "Two spaces in a row.", " ")
        for m in re.finditer(r"(?<=\S)  (?=\S)", doc.text)
    ]


def test_apply_replaces_the_text_with_the_suggestion(qtbot, main_window):
    w = main_window
    w.live.extra_linters = (_double_space,)
    type_body(qtbot, w, "The rota  is costing us senior engineers.")
    wait_checked(qtbot, w)
    panel = w.findings_panel
    finding = next(f for f in panel.findings() if f.rule == "style.double_space")
    assert finding.suggestion == " "
    panel.select(finding)
    assert panel.apply_button.isEnabled() and "Apply" in panel.apply_button.text()
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert "The rota is costing us senior engineers." in w.session.text()
    assert w.section_editor.body.toPlainText() == "The rota is costing us senior engineers."
    wait_checked(qtbot, w)
    assert all(f.rule != "style.double_space" for f in panel.findings())
    # a finding without a suggestion cannot be applied
    panel.select(next(f for f in panel.findings() if f.suggestion is None))
    assert not panel.apply_button.isEnabled()


def test_stale_check_results_are_dropped(qtbot, main_window):
    w = main_window
    wait_checked(qtbot, w)
    dropped = w.live.dropped
    w.live._start_check()  # a check of the current text is under way …
    type_body(qtbot, w, "The policy is costing us.")  # … and the text changes before it returns
    wait_checked(qtbot, w)
    assert w.live.dropped > dropped
    assert w.result.document.text == w.session.text()


# -- closing, prompts, files ---------------------------------------------------------------------------
def test_closing_with_unsaved_changes_asks_and_cancel_keeps_everything(qtbot, main_window, tmp_path):
    w = main_window
    path = tmp_path / "letter.md"
    path.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    open_doc(qtbot, w, path)
    type_body(qtbot, w, " More.")
    assert w.isWindowModified()
    assert not w.close()
    box = w.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "letter.md" in box.text()
    qtbot.mouseClick(button(box, "Cancel"), Qt.MouseButton.LeftButton)
    assert w.isVisible() and w.isWindowModified()
    assert " More." in w.session.text()

    w.close()
    box = w.dialog
    with qtbot.waitSignal(w.saved, timeout=10_000):
        qtbot.mouseClick(button(box, "Save"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=5000)
    assert " More." in path.read_text(encoding="utf-8")


def test_dont_save_closes_and_drops_the_recovery_copy(qtbot, main_window):
    w = main_window
    w.autosaver.idle_ms = 0
    type_body(qtbot, w, "Draft words.")
    qtbot.waitUntil(lambda: w.autosaver.store.file_for(w.autosaver.rec_id).exists(), timeout=10_000)
    w.close()
    qtbot.mouseClick(button(w.dialog, "Don't Save"), Qt.MouseButton.LeftButton)
    assert not w.isVisible()
    assert not w.autosaver.store.file_for(w.autosaver.rec_id).exists()


def test_new_document_with_unsaved_changes_asks_first(qtbot, main_window):
    w = main_window
    type_body(qtbot, w, "Words I have not saved.")
    w.actions_.new.trigger()
    box = w.dialog
    assert isinstance(box, QMessageBox) and "Untitled" in box.text()
    qtbot.mouseClick(button(box, "Cancel"), Qt.MouseButton.LeftButton)
    assert "Words I have not saved." in w.session.text()


def test_window_geometry_and_recent_files_are_remembered(qtbot, main_window, tmp_path):
    w = main_window
    path = tmp_path / "kept.md"
    path.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    open_doc(qtbot, w, path)
    w.resize(w.width(), 650)  # the offscreen screen is 800 px wide; heights are free
    w.panels["people"].raise_()
    w.close()
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    assert again.height() == 650
    assert not again.panels["people"].visibleRegion().isEmpty()  # the raised tab is raised again
    assert again.panels["findings"].visibleRegion().isEmpty()
    assert again.recent.paths()[0] == path.resolve()
    again.fill_recent_menu()
    entries = [a.text() for a in again.recent_menu.actions()]
    assert any("kept.md" in t for t in entries)
    again._closing_confirmed = True


def test_save_keeps_an_untouched_file_byte_for_byte(qtbot, main_window, tmp_path):
    w = main_window
    raw = SAMPLE.read_bytes().replace(b"\n", b"\r\n")
    path = tmp_path / "crlf.md"
    path.write_bytes(raw)
    open_doc(qtbot, w, path)
    with qtbot.waitSignal(w.saved, timeout=10_000):
        w.save()
    assert path.read_bytes() == raw
    click_outline(qtbot, w, ("ask",))
    type_body(qtbot, w, "\nThank you.")
    with qtbot.waitSignal(w.saved, timeout=10_000):
        w.save()
    written = path.read_bytes()
    assert b"Thank you." in written and b"\r\n" in written and b"\n" not in written.replace(b"\r\n", b"")


def test_find_opens_the_section_with_the_match(qtbot, main_window):
    w = main_window
    open_doc(qtbot, w, SAMPLE)
    qtbot.keyClick(w.section_editor.body, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.find_bar.isVisible() and w.find_bar.field.hasFocus()
    qtbot.keyClicks(w.find_bar.field, "capacity review")
    qtbot.keyClick(w.find_bar.field, Qt.Key.Key_Return)
    assert w.section_editor.ref == ("incident", 1, 0)  # first in the incident's heading …
    assert w.section_editor.title.selectedText() == "capacity review"
    qtbot.keyClick(w.find_bar.field, Qt.Key.Key_Return)
    assert w.section_editor.ref == ("incident", 1, 0)  # … then in its story
    assert w.section_editor.body.textCursor().selectedText() == "capacity review"
    qtbot.keyClick(w.find_bar.field, Qt.Key.Key_Return)
    assert w.section_editor.ref == ("ask",)
    qtbot.keyClick(w.find_bar.field, Qt.Key.Key_Return)
    assert w.find_bar.status.text() == "Wrapped around"
    assert w.section_editor.ref == ("incident", 1, 0)
    qtbot.keyClick(w.find_bar.field, Qt.Key.Key_Escape)
    assert not w.find_bar.isVisible()


def test_a_broken_header_shows_a_notice_and_the_outline_still_works(qtbot, main_window, tmp_path):
    w = main_window
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: [unclosed\n---\n\n# Thesis\n\nA claim that costs us.\n", encoding="utf-8")
    open_doc(qtbot, w, path)
    assert w.banner.isVisible() and "not valid YAML" in w.banner.text()
    assert ("thesis",) in w.outline.refs()


# -- meter, preview, looks, access --------------------------------------------------------------------
def test_page_meter_estimates_while_typing_and_turns_red_over_the_limit(qtbot, main_window):
    w = main_window
    open_doc(qtbot, w, DOCS / "d3-overlong.md")
    qtbot.waitUntil(lambda: w.meter.exact, timeout=30_000)
    assert w.meter.level == "over" and w.meter.pages > 3
    assert re.fullmatch(r"\d+(\.\d)? of 3 pages", w.meter.text())
    qtbot.waitUntil(lambda: any(f.rule == "length.pages" for f in w.findings_panel.findings()), timeout=15_000)
    w.live.set_delays(pages=60_000)  # a long "pause" so the estimate can be seen
    type_body(qtbot, w, " More.")
    qtbot.waitUntil(lambda: not w.meter.exact, timeout=2000)  # an instant estimate while typing …
    assert "estimate" in w.meter.label.text()
    w.live.run_now()
    qtbot.waitUntil(lambda: w.meter.exact, timeout=30_000)  # … and the exact count after the pause
    open_doc(qtbot, w, SAMPLE)
    qtbot.waitUntil(lambda: w.meter.exact, timeout=30_000)
    assert w.meter.level == "ok" and w.meter.pages <= 3


def test_preview_shows_the_assembled_document_and_loads_nothing(qtbot, main_window):
    w = main_window
    w.panels["preview"].raise_()
    open_doc(qtbot, w, SAMPLE)
    qtbot.waitUntil(lambda: w.preview.revision == w.session.revision, timeout=20_000)
    assert "Dates are committed before the work is understood" in w.preview.toPlainText()
    assert w.preview.isReadOnly()
    assert w.preview.loadResource(0, "file:///etc/hostname") is None


def test_every_control_is_named_for_screen_readers_and_reachable_by_keyboard(qtbot, main_window):
    w = main_window
    for panel in w.panels.values():
        panel.show()
    unnamed = []
    widgets = [c for t in (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox) for c in w.findChildren(t)]
    for widget in widgets:
        if not widget.isVisibleTo(w) or widget.objectName().startswith("qt_"):
            continue
        label = widget.accessibleName() or (widget.text() if isinstance(widget, QAbstractButton) else "")
        if not label and not isinstance(widget, QLineEdit | QComboBox):
            unnamed.append(widget)
        if isinstance(widget, QLineEdit | QComboBox) and not (label or _has_buddy(w, widget)):
            unnamed.append(widget)
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus and not isinstance(widget, QAbstractButton):
            unnamed.append(widget)
    assert unnamed == []
    shortcuts = {k.toString() for a in vars(w.actions_).values() for k in a.shortcuts()}
    assert {"Ctrl+N", "Ctrl+O", "Ctrl+S", "Ctrl+Z", "Ctrl+F", "Ctrl+W"} <= shortcuts


def _has_buddy(window, widget) -> bool:
    from PySide6.QtWidgets import QLabel

    return any(label.buddy() is widget for label in window.findChildren(QLabel))


def test_dark_system_palette_switches_the_window(qtbot, main_window, qapp):
    from editor.ui import theme

    w = main_window
    try:
        assert theme.apply(qapp, "dark")
        assert theme.is_dark(w.palette())
        assert theme.colors(w.section_editor.body.palette()).dark
    finally:
        theme.apply(qapp, "light")
    assert not theme.is_dark(w.palette())


def test_readable_at_125_percent_on_a_laptop_screen(qtbot, qapp):
    """With fonts 25% larger the window still fits a 1280×800 screen at 125% (1024×640 logical)."""
    font = qapp.font()
    try:
        bigger = type(font)(font)
        bigger.setPointSizeF(font.pointSizeF() * 1.25)
        qapp.setFont(bigger)
        w = MainWindow()
        qtbot.addWidget(w)
        hint = w.minimumSizeHint()
        assert hint.width() <= 1024 and hint.height() <= 640
        assert w.section_editor.body.font().pointSizeF() > bigger.pointSizeF()  # the letter is larger still
        w._closing_confirmed = True
    finally:
        qapp.setFont(font)


def test_apply_a_tone_rewrite(qtbot, main_window):
    """The tone rules offer rewrites for some findings; Apply puts the rewrite in place of the words."""
    w = main_window
    type_body(qtbot, w, "The capacity reviews never happen, and it is costing us engineers.")
    wait_checked(qtbot, w)
    offers = [f for f in w.findings_panel.findings() if f.rule.startswith("tone.") and f.suggestion]
    if not offers:
        import pytest

        pytest.skip("the installed tone rules offer no rewrite for this sentence")
    f = offers[0]
    original = w.session.text()[f.start : f.end]
    w.findings_panel.select(f)
    qtbot.mouseClick(w.findings_panel.apply_button, Qt.MouseButton.LeftButton)
    assert original not in w.section_editor.body.toPlainText()
    assert f.suggestion in w.section_editor.body.toPlainText()


def test_previous_and_next_walk_the_sections_in_order(qtbot, main_window):
    w = main_window
    open_doc(qtbot, w, SAMPLE)
    click_outline(qtbot, w, ("thesis",))
    assert w.section_editor.next_button.text().startswith("Point 1")
    qtbot.mouseClick(w.section_editor.next_button, Qt.MouseButton.LeftButton)
    assert w.section_editor.ref == ("point", 0) and w.outline.current_ref() == ("point", 0)
    qtbot.keyClick(w.section_editor.body, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert w.section_editor.ref == ("incident", 0, 0)
    qtbot.keyClick(w.section_editor.body, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert w.section_editor.ref == ("point", 0)


def test_the_box_flows_hard_wrapped_lines_but_the_file_keeps_them(qtbot, main_window):
    w = main_window
    open_doc(qtbot, w, SAMPLE)
    click_outline(qtbot, w, ("incident", 0, 0))
    shown = w.section_editor.body.toPlainText()
    assert "largest customers. Engineering was asked" in shown  # one flowing paragraph on screen
    type_body(qtbot, w, " It slipped again.")
    text = w.session.text()
    assert "largest customers.\nEngineering was asked" in text  # the file's own line breaks stay
    assert "until launch. It slipped again.\n\nEnabled by: Raj Patel" in text


def test_keyboard_moves_between_areas_and_to_each_panel(qtbot, main_window, qapp):
    w = main_window
    w.activateWindow()
    w.outline.tree.setFocus()
    qtbot.keyClick(w.outline.tree, Qt.Key.Key_F6)
    assert w.section_editor.isAncestorOf(qapp.focusWidget())
    qtbot.keyClick(qapp.focusWidget(), Qt.Key.Key_F6)
    assert w.findings_panel.isAncestorOf(qapp.focusWidget())
    qtbot.keyClick(qapp.focusWidget(), Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert w.section_editor.isAncestorOf(qapp.focusWidget())
    qtbot.keyClick(qapp.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # Go to People
    assert w.people.isAncestorOf(qapp.focusWidget())
    assert not w.panels["people"].visibleRegion().isEmpty()


def test_export_pdf_opens_the_export_dialog_on_the_current_text(qtbot, main_window):
    pytest = __import__("pytest")
    w = main_window
    if not w.actions_.export_pdf.isEnabled():
        pytest.skip("PDF export is not installed")
    open_doc(qtbot, w, SAMPLE)
    w.actions_.export_pdf.trigger()
    dialog = w.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.text == w.session.file_text()
    dialog.reject()


def test_a_crashed_page_layout_costs_a_count_not_the_editor(qtbot, main_window):
    w = main_window
    if not w.live.layout.available:
        import pytest

        pytest.skip("no layout child process in a frozen build")
    open_doc(qtbot, w, SAMPLE)
    qtbot.waitUntil(lambda: w.meter.exact, timeout=30_000)
    w.live.set_delays(pages=60_000)
    type_body(qtbot, w, " More.")
    with qtbot.waitSignal(w.live.layout.failed, timeout=10_000):
        w.live._start_pages()
        w.live.layout.proc.kill()  # the renderer dies in the middle of a count
    assert not w.meter.exact and "estimate" in w.meter.label.text()
    assert " More." in w.session.text()  # the editor and its text are untouched
    w.live.run_now()
    qtbot.waitUntil(lambda: w.meter.exact, timeout=30_000)  # a fresh child counts again
    assert w.live.layout.starts >= 2


def test_open_and_open_recent_from_the_file_menu(qtbot, main_window, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    w = main_window
    path = tmp_path / "picked.md"
    path.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    w.actions_.open.trigger()
    dialog = w.dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    with qtbot.waitSignal(w.documentLoaded, timeout=10_000):
        dialog.selectFile(str(path))
        dialog.accept()
    assert w.session.path == path.resolve()
    with qtbot.waitSignal(w.documentLoaded, timeout=10_000):
        w.actions_.new.trigger()
        w.dialog.accept()  # a new exit interview
    assert w.session.path is None
    w.fill_recent_menu()
    first = w.recent_menu.actions()[0]
    assert "picked.md" in first.text()
    with qtbot.waitSignal(w.documentLoaded, timeout=10_000):
        first.trigger()
    assert w.session.path == path.resolve()


def test_a_byte_order_mark_survives_untouched_and_edited_saves(qtbot, main_window, tmp_path):
    w = main_window
    raw = "\ufeff" + SAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "bom.md"
    path.write_text(raw, encoding="utf-8")
    open_doc(qtbot, w, path)
    assert not w.session.text().startswith("\ufeff")  # offsets are those of the parsed text
    with qtbot.waitSignal(w.saved, timeout=10_000):
        w.save()
    assert path.read_text(encoding="utf-8") == raw
    type_body(qtbot, w, " Edited.")
    with qtbot.waitSignal(w.saved, timeout=10_000):
        w.save()
    assert path.read_text(encoding="utf-8").startswith("\ufeff---\n")
