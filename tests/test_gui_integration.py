"""The finished pieces as a user meets them in the main window: grammar, review, delivery, tone verdict,
preferences and a file changed by another program. Real widgets, real LanguageTool for grammar."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox

from app.main_window import MainWindow
from app.preferences import PreferencesDialog
from editor.check import check
from editor.fileformat import parse
from editor.review.log import read_log
from editor.settings import GrammarSettings, Settings, load_settings, save_settings, settings_path
from editor.tone import heat_summary
from tests.conftest import DOCS
from tests.test_gui_journey import click_outline, type_body, wait_checked

D1 = DOCS / "d1-good-exit.md"
D6 = DOCS / "d6-rant.md"
D8 = DOCS / "d8-review-marks.md"
SENTENCE = "Their is a problem with the the deploy process."


@pytest.fixture
def make_window(qtbot):
    """Builds windows on the settings given (grammar off unless asked), closes them without prompts after."""
    made: list[MainWindow] = []

    def make(*, reviewer: bool = False, settings: Settings | None = None) -> MainWindow:
        save_settings(settings or Settings(grammar=GrammarSettings(mode="off")))
        w = MainWindow(reviewer=reviewer)
        qtbot.addWidget(w)
        w.live.set_delays(check=0, pages=0, preview=0)
        w.show()
        qtbot.waitExposed(w)
        made.append(w)
        return w

    yield make
    for w in made:
        w._closing_confirmed = True
        w.close()
        w.runner.pool.waitForDone(10_000)


def open_copy(qtbot, w: MainWindow, source: Path, tmp_path: Path) -> Path:
    path = tmp_path / source.name
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    with qtbot.waitSignal(w.documentLoaded, timeout=10_000):
        w.open_path(str(path))
    wait_checked(qtbot, w)
    return path


def grammar_findings(w: MainWindow) -> list:
    return [f for f in w.findings_panel.findings() if f.rule.startswith("grammar.")]


def button(box: QMessageBox, text: str):
    return next(b for b in box.buttons() if b.text().replace("&", "") == text)


def prompt(qtbot, w: MainWindow, name: str) -> QMessageBox:
    qtbot.waitUntil(lambda: isinstance(w.dialog, QMessageBox) and w.dialog.objectName() == name, timeout=10_000)
    assert w.dialog.isVisible()
    return w.dialog


# -- grammar ------------------------------------------------------------------------------------------------
def test_grammar_findings_reach_the_panel_and_the_underlines_and_apply_fixes_the_text(
    qtbot, make_window, lt, monkeypatch
):
    monkeypatch.setenv("ONRECORD_LANGUAGETOOL_URL", lt.url)
    w = make_window(settings=Settings())  # grammar auto: the session's LanguageTool
    click_outline(qtbot, w, ("thesis",))
    type_body(qtbot, w, SENTENCE)
    qtbot.waitUntil(lambda: len({f.rule for f in grammar_findings(w)}) >= 2, timeout=60_000)
    text = w.session.text()
    their, dup = text.index("Their is"), text.index("the the")
    by_rule = {f.rule: f for f in grammar_findings(w)}
    assert (by_rule["grammar.THEIR_IS"].start, by_rule["grammar.THEIR_IS"].end) == (their, their + len("Their"))
    repeat = by_rule["grammar.ENGLISH_WORD_REPEAT_RULE"]
    assert (repeat.start, repeat.end) == (dup, dup + len("the the"))
    assert repeat.section == "Thesis"  # grouped with the section like every other finding
    # underlined in the section box, at the box's own offsets
    base = w.section_editor.body_offset()
    assert (their - base, their - base + 5) in [(m.start, m.end) for m in w.section_editor.body.marks()]
    # the other checks' findings are still there next to grammar's
    wait_checked(qtbot, w)
    assert any(not f.rule.startswith("grammar.") for f in w.findings_panel.findings())
    assert w.outline.state_of(("thesis",)) == "needs work"  # the outline agrees with the list

    w.findings_panel.select(repeat)
    assert w.findings_panel.apply_button.isEnabled()
    qtbot.mouseClick(w.findings_panel.apply_button, Qt.MouseButton.LeftButton)
    assert "with the deploy process." in w.session.text()
    # the fixed repeat is gone at once (its words changed), and the recheck agrees
    assert all(f.rule != "grammar.ENGLISH_WORD_REPEAT_RULE" for f in grammar_findings(w))
    qtbot.waitUntil(lambda: w.grammar.checked_revision == w.session.revision, timeout=30_000)
    rules = {f.rule for f in grammar_findings(w)}
    assert "grammar.THEIR_IS" in rules and "grammar.ENGLISH_WORD_REPEAT_RULE" not in rules

    # "Ignore this rule" on a grammar finding: written to the front matter, gone from the list at once
    w.findings_panel.select(next(f for f in grammar_findings(w) if f.rule == "grammar.THEIR_IS"))
    qtbot.mouseClick(w.findings_panel.ignore_button, Qt.MouseButton.LeftButton)
    assert "grammar.THEIR_IS" in w.session.document().meta["ignore"]
    assert all(f.rule != "grammar.THEIR_IS" for f in grammar_findings(w))


def test_a_late_grammar_result_for_older_text_is_dropped(qtbot, make_window, lt, monkeypatch):
    monkeypatch.setenv("ONRECORD_LANGUAGETOOL_URL", lt.url)
    w = make_window(settings=Settings())
    click_outline(qtbot, w, ("thesis",))
    type_body(qtbot, w, SENTENCE)
    qtbot.waitUntil(lambda: any(f.rule == "grammar.THEIR_IS" for f in grammar_findings(w)), timeout=60_000)
    shown = grammar_findings(w)
    words = [w.session.text()[f.start : f.end] for f in shown]
    stale = w.grammar.checked_revision
    type_body(qtbot, w, " More.")
    dropped = w.grammar.dropped
    w.grammar.worker.findingsReady.emit(stale, [])  # a result that arrives after the writer typed on
    assert w.grammar.dropped == dropped + 1
    assert [f.rule for f in grammar_findings(w)] == [f.rule for f in shown]
    text = w.session.text()
    assert [text[f.start : f.end] for f in grammar_findings(w)] == words  # still on their words


def test_turning_grammar_off_in_the_preferences_takes_its_findings_away(qtbot, make_window, lt, monkeypatch):
    monkeypatch.setenv("ONRECORD_LANGUAGETOOL_URL", lt.url)
    w = make_window(settings=Settings())
    click_outline(qtbot, w, ("thesis",))
    type_body(qtbot, w, SENTENCE)
    qtbot.waitUntil(lambda: any(f.rule == "grammar.THEIR_IS" for f in grammar_findings(w)), timeout=60_000)
    w.actions_.preferences.trigger()
    dlg = w.dialog
    dlg.tabs.setCurrentIndex(1)
    dlg.mode.setCurrentIndex(dlg.mode.findData("off"))
    dlg.save_button.click()
    assert not grammar_findings(w)
    qtbot.waitUntil(lambda: w.grammar_state.text() == "Grammar off", timeout=10_000)
    qtbot.waitUntil(lambda: not w.runner.busy("io"), timeout=5_000)
    assert load_settings().grammar.mode == "off"


def test_grammar_off_in_the_settings_says_so_and_the_rest_works(qtbot, make_window):
    w = make_window()
    qtbot.waitUntil(lambda: w.grammar.state == "off", timeout=10_000)
    assert w.grammar_state.text() == "Grammar off"
    assert "off" in w.grammar_state.toolTip()
    assert w.result is not None and not grammar_findings(w)


# -- review -------------------------------------------------------------------------------------------------
def test_reviewer_mode_window_records_suggestions_and_comments(qtbot, make_window, tmp_path):
    w = make_window(reviewer=True, settings=Settings(grammar=GrammarSettings(mode="off"), reviewer_name="Rita Lind"))
    path = open_copy(qtbot, w, D1, tmp_path)
    assert w.view_mode() == "whole" and w.review.active()
    assert w.review.bar.isVisible() and "Rita Lind" in w.review.bar.title.text()
    assert not w.actions_.guided.isEnabled() and not w.people.isEnabled()
    assert w.review.mode.toggle_action in w.review_menu.actions()
    assert w.review.mode.comment_action.shortcut().toString() == "Ctrl+Alt+M"

    ed = w.full_text
    text = ed.toPlainText()
    c = ed.textCursor()
    c.setPosition(text.index("engineers who hold", parse(text).front_matter_end))
    ed.setTextCursor(c)
    ed.setFocus()
    qtbot.keyClicks(ed, "experienced ")
    after = w.session.text()
    assert "{++experienced ++}engineers who hold" in after
    log = read_log(parse(after).meta)
    assert [e.by for e in log.values()] == ["Rita Lind"]
    assert parse(after).body.replace("{++experienced ++}", "") == parse(text).body  # the writer's words stand
    assert path.read_text(encoding="utf-8") == D1.read_text(encoding="utf-8")  # nothing saved behind their back

    # Comment (its shortcut) on selected words, then the note typed into it
    c = ed.textCursor()
    at = after.index("product office", parse(after).front_matter_end)
    c.setPosition(at)
    c.setPosition(at + len("product office"), QTextCursor.MoveMode.KeepAnchor)
    ed.setTextCursor(c)
    qtbot.keyClick(ed, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(ed, "Which team?")
    assert "{==product office==}{>>Which team?<<}" in w.session.text()
    # the Review panel lists both, and the outline says where they are
    qtbot.waitUntil(lambda: len(w.review.panel.items()) == 2, timeout=5_000)
    assert sum(w.outline.open_marks().values()) == 2
    # the guided view and the outline's structure buttons stay off while reviewing
    w.outline.add_point.click()
    assert len(parse(w.session.text()).points) == len(parse(text).points)

    w.review.mode.toggle_action.trigger()  # reviewer mode off: the writer's tools come back
    assert not w.review.bar.isVisible() and w.actions_.guided.isEnabled() and w.people.isEnabled()


def test_review_panel_lists_the_marks_and_accept_changes_the_text(qtbot, make_window, tmp_path):
    w = make_window()
    open_copy(qtbot, w, D8, tmp_path)
    panel = w.review.panel
    qtbot.waitUntil(lambda: len(panel.items()) == 4, timeout=5_000)
    assert [it.kind for it in panel.items()] == ["substitution", "comment", "deletion", "insertion"]
    assert w.review.panel.document_path == (tmp_path / D8.name).resolve()
    opened = w.outline.open_marks()
    assert opened[("thesis",)] == 1 and opened[("incident", 0, 0)] == 2 and opened[("consequence", 0, 0)] == 1
    assert "· 1 open" in w.outline._items[("thesis",)].text(0)
    # the marks are coloured in the whole-text view by the one highlighter of the document, not squiggled:
    # their "still open" errors are in the list only
    w.set_view("whole")
    unresolved = [f for f in w.findings_panel.findings() if f.rule == "review.unresolved"]
    assert len(unresolved) == 4
    assert not {(f.start, f.end) for f in unresolved} & {(m.start, m.end) for m in w.full_text.marks()}
    block = w.session.qdoc.findBlock(w.session.text().index("Two misdirected"))
    formats = block.layout().formats()
    assert any(f.format.fontUnderline() for f in formats), "the insertion is underlined"

    # typing elsewhere: the panel's refresh after the pause leaves the writer's cursor alone
    ed = w.full_text
    c = ed.textCursor()
    c.setPosition(w.session.text().index("Fund the portal"))
    ed.setTextCursor(c)
    ed.setFocus()
    with qtbot.waitSignal(panel.openSectionsChanged, timeout=5_000):
        qtbot.keyClicks(ed, "Please ")
    assert ed.textCursor().position() == w.session.text().index("Please ") + len("Please ")
    assert not ed.textCursor().hasSelection()
    w.actions_.undo.trigger()

    before = w.session.text()
    w.focus_panel(w.panels["review"])
    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    after = w.session.text()
    assert "known since March" in after and "{~~" not in after
    qtbot.waitUntil(lambda: len(panel.items()) == 3, timeout=5_000)
    qtbot.waitUntil(lambda: ("thesis",) not in w.outline.open_marks(), timeout=5_000)
    w.actions_.undo.trigger()
    assert w.session.text() == before  # one decision, one undo step


# -- delivery -----------------------------------------------------------------------------------------------
def test_delivery_panel_writes_met_in_person_into_the_front_matter_as_one_undo_step(qtbot, make_window, tmp_path):
    w = make_window()
    path = tmp_path / "letter.md"
    original = D1.read_text(encoding="utf-8").replace("page_size:", "# the writer's own note\npage_size:", 1)
    assert "# the writer's own note" in original
    path.write_text(original, encoding="utf-8")
    with qtbot.waitSignal(w.documentLoaded, timeout=10_000):
        w.open_path(str(path))
    w.focus_panel(w.panels["delivery"])
    panel = w.delivery
    assert [r["name"] for r in panel.recipients()] == ["Diane Cho", "Raj Patel"]
    panel.set_checked("Diane Cho", met=True)
    doc = parse(w.session.text())
    assert doc.meta["recipients"][0] == {"name": "Diane Cho", "role": "VP Engineering", "met_in_person": True}
    assert "met_in_person" not in doc.meta["recipients"][1]
    assert "# the writer's own note" in w.session.text()  # the rest of the header keeps its bytes
    assert doc.body == parse(original).body
    assert w.isWindowModified()
    w.actions_.undo.trigger()
    assert w.session.text() == original


# -- people --------------------------------------------------------------------------------------------------
def test_renaming_a_person_in_the_table_renames_them_in_every_enabled_by_line_as_one_undo_step(
    qtbot, make_window, tmp_path
):
    w = make_window()
    path = tmp_path / "letter.md"
    original = D1.read_text(encoding="utf-8").replace("Enabled by: Diane Cho", "Enabled by: diane cho", 1)
    path.write_text(original, encoding="utf-8")
    with qtbot.waitSignal(w.documentLoaded, timeout=10_000):
        w.open_path(str(path))
    w.focus_panel(w.panels["people"])
    table = w.people.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Diane Cho")
    table.item(row, 0).setText("Diane Cho-Park")  # what committing an edit of the name cell does
    doc = parse(w.session.text())
    assert [p.name for p in doc.people] == ["Diane Cho-Park", "Raj Patel", "Nina Brandt"]
    lines = [inc.enabled_by for p in doc.points for inc in p.incidents]
    assert lines == [["Raj Patel"], ["Raj Patel", "Diane Cho-Park"], ["Diane Cho-Park"]]
    assert "Diane Cho," not in w.session.text().split("---", 2)[2].replace("Diane Cho-Park", "")
    assert "2 Enabled by lines" in w.statusBar().currentMessage()
    assert not [f for f in check(doc).findings if f.rule == "structure.enabled_by_unknown"]
    w.actions_.undo.trigger()
    assert w.session.text() == original  # registry and lines come back together


def test_export_pdf_gets_the_unsaved_text(qtbot, make_window, tmp_path):
    w = make_window()
    if not w.actions_.export_pdf.isEnabled():
        pytest.skip("PDF export is not installed")
    open_copy(qtbot, w, D1, tmp_path)
    click_outline(qtbot, w, ("thesis",))
    type_body(qtbot, w, " Not saved yet.")
    w.actions_.export_pdf.trigger()
    assert "Not saved yet." in w.dialog.text and w.dialog.text == w.session.file_text()
    w.dialog.reject()


# -- tone verdict and preferences -----------------------------------------------------------------------------
def test_tone_verdict_in_the_findings_panel_follows_the_text(qtbot, make_window, tmp_path):
    w = make_window()
    open_copy(qtbot, w, D6, tmp_path)
    expected = heat_summary(w.result.document, w.result.findings)
    assert "angry" in expected.verdict
    assert w.findings_panel.tone_text() == f"Tone: {expected.verdict}"
    open_copy(qtbot, w, D1, tmp_path)
    qtbot.waitUntil(lambda: w.findings_panel.tone_text() == "Tone: professional throughout", timeout=10_000)


def test_preferences_turn_a_tone_category_off_and_its_findings_go(qtbot, make_window, tmp_path):
    w = make_window()
    open_copy(qtbot, w, D6, tmp_path)
    assert any(f.category == "insult" for f in w.findings_panel.findings())
    w.actions_.preferences.trigger()
    dlg = w.dialog
    assert isinstance(dlg, PreferencesDialog) and dlg.isVisible()
    box = dlg.categories["insult"]
    assert box.isChecked()
    box.click()
    dlg.reviewer_name.setText("Rita Lind")
    with qtbot.waitSignal(w.findingsApplied, timeout=15_000):
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not any(f.category == "insult" for f in w.findings_panel.findings())
    assert any(f.category == "shouting" for f in w.findings_panel.findings())  # only that category went
    qtbot.waitUntil(lambda: not w.runner.busy("io"), timeout=5_000)
    saved = load_settings()
    assert saved.disabled_categories == ["insult"] and saved.reviewer_name == "Rita Lind"
    assert stat.S_IMODE(os.stat(settings_path()).st_mode) == 0o600
    assert w.review.mode.reviewer == "Rita Lind"
    # and it comes back
    w.actions_.preferences.trigger()
    w.dialog.categories["insult"].click()
    with qtbot.waitSignal(w.findingsApplied, timeout=15_000):
        w.dialog.save_button.click()
    assert any(f.category == "insult" for f in w.findings_panel.findings())


def test_preferences_refuse_a_grammar_server_without_an_address(qtbot, make_window):
    w = make_window()
    w.open_preferences()
    dlg = w.dialog
    dlg.mode.setCurrentIndex(dlg.mode.findData("url"))
    assert not dlg.save_button.isEnabled() and dlg.url.isEnabled()
    dlg.url.setText("http://languagetool.example.org/")
    assert dlg.save_button.isEnabled()
    assert "languagetool.example.org" in dlg.grammar_note.text()  # the writer is told where the text goes
    dlg.reject()
    assert load_settings().grammar.mode == "off"  # Cancel changes nothing


# -- a file changed by another program ---------------------------------------------------------------------
def test_outside_change_offers_reload_or_keep_and_a_save_after_keep_asks(qtbot, make_window, tmp_path):
    w = make_window()
    path = open_copy(qtbot, w, D1, tmp_path)
    click_outline(qtbot, w, ("thesis",))
    type_body(qtbot, w, " Mine.")
    mine = w.session.text()
    # our own save is not an outside change
    with qtbot.waitSignal(w.saved, timeout=10_000):
        w.save()
    w.disk.check()
    qtbot.waitUntil(lambda: not w.runner.busy("io"), timeout=5_000)
    assert w.dialog is None or not w.dialog.isVisible()

    theirs = path.read_text(encoding="utf-8").replace("# Ask", "# Ask\n\nAdded in another editor.", 1)
    path.write_text(theirs, encoding="utf-8")
    box = prompt(qtbot, w, "outsideChangePrompt")
    button(box, "Keep mine").click()
    assert w.session.text() == mine
    type_body(qtbot, w, " More mine.")
    w.save()
    box = prompt(qtbot, w, "overwritePrompt")
    assert path.read_text(encoding="utf-8") == theirs  # nothing was written behind the question
    button(box, "Cancel").click()
    assert path.read_text(encoding="utf-8") == theirs and w.isWindowModified()

    # asked again, the writer replaces the other version knowingly
    w.save()
    box = prompt(qtbot, w, "overwritePrompt")
    with qtbot.waitSignal(w.saved, timeout=10_000):
        button(box, "Replace").click()
    assert path.read_text(encoding="utf-8") == w.session.file_text()


def test_reload_shows_the_other_version_and_undo_brings_mine_back(qtbot, make_window, tmp_path):
    w = make_window()
    path = open_copy(qtbot, w, D1, tmp_path)
    click_outline(qtbot, w, ("thesis",))
    type_body(qtbot, w, " Unsaved words.")
    mine = w.session.text()
    theirs = path.read_text(encoding="utf-8").replace("# Ask", "# Ask\n\nAdded in another editor.", 1)
    path.write_text(theirs, encoding="utf-8")
    box = prompt(qtbot, w, "outsideChangePrompt")
    with qtbot.waitSignal(w.session.modifiedChanged, timeout=10_000):
        button(box, "Reload").click()
    assert w.session.text() == theirs and not w.isWindowModified()
    w.actions_.undo.trigger()
    assert w.session.text() == mine  # the writer's text is one undo away
    # a save now writes without asking: the version on disk is one this window has read
    with qtbot.waitSignal(w.saved, timeout=10_000):
        w.save()
    assert path.read_text(encoding="utf-8") == mine


def test_whole_text_view_settles_its_column_at_any_width(qtbot, make_window):
    """The column margins come from the editor's width: they once fed back into the viewport's resize
    (the reviewer bar appearing at 1440x900 recursed until the process crashed)."""
    w = make_window(reviewer=True)
    for width in (1440, 1000, 1777, 1320):
        w.resize(width, 900)
        QApplication.processEvents()  # the layout runs now (the recursion happened right here)
        ed = w.full_text
        margins = ed.viewportMargins()
        assert margins.left() == margins.right() >= 0
        assert ed.viewport().width() <= ed.width()


def test_the_window_names_the_same_running_server_variable_as_the_grammar_core():
    from app import grammar_link
    from editor.grammar import locate

    assert grammar_link.RUNNING_SERVER_ENV == locate.RUNNING_SERVER_ENV


QUIT_DRIVER = r"""
import sys
from PySide6.QtCore import QTimer
from app.gui import create_app
from app.main_window import MainWindow

app = create_app("light")
w = MainWindow()
w.show()
seen = {}

def status(state, _message):
    if state == "ready" and "service" not in seen:
        seen["service"] = w.grammar.worker.service
        server = seen["service"].server
        print("ready", server.pid if server else 0, flush=True)
        QTimer.singleShot(0, w.close)  # the writer closes the window; the app quits with it
    elif state in ("unavailable", "off"):
        print("unavailable", flush=True)
        QTimer.singleShot(0, w.close)

w.grammar.statusChanged.connect(status)
w.open_path(sys.argv[1])
app.exec()
server = seen["service"].server if "service" in seen else None
print("after-quit", "running" if server is not None and server.alive() else "stopped", flush=True)
"""


def test_closing_the_window_stops_the_languagetool_it_started(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT, pid_alive

    doc = tmp_path / "letter.md"
    doc.write_text(D1.read_text(encoding="utf-8"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "ONRECORD_LANGUAGETOOL_URL"}  # auto: the app's own server
    env["QT_QPA_PLATFORM"] = "offscreen"
    run = subprocess.run(
        [sys.executable, "-c", QUIT_DRIVER, str(doc)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    lines = [line.split() for line in run.stdout.splitlines() if line.strip()]
    if ["unavailable"] in lines:
        if os.environ.get("ONRECORD_REQUIRE_LANGUAGETOOL") == "1":
            pytest.fail("LanguageTool is not available to the app", pytrace=False)
        pytest.skip("LanguageTool is not installed")
    assert run.returncode == 0, run.stderr[-2000:]
    ready = next(parts for parts in lines if parts[0] == "ready")
    pid = int(ready[1])
    assert pid > 0, "auto mode starts the app's own server"
    assert ["after-quit", "stopped"] in lines  # stopped at quit, not left to the exit hook
    assert not pid_alive(pid)
