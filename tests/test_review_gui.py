"""Both roles played as users would, in real widgets: the writer sends a redacted review copy, the reviewer
marks it up in reviewer mode, the writer imports it, decides, and the final PDF carries none of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog, QPlainTextEdit

from editor.criticmarkup import find_marks
from editor.fileformat import parse, write_atomic
from editor.review.copies import names_left, people_to_hide
from editor.review.log import read_log
from editor.ui.review_mode import MarkHighlighter, ReviewerBar, ReviewerMode
from editor.ui.review_panel import ReviewPanel
from tests.conftest import DOCS

D1 = DOCS / "d1-good-exit.md"
D8 = DOCS / "d8-review-marks.md"


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


def put_cursor(editor: QPlainTextEdit, needle: str) -> None:
    c = editor.textCursor()
    c.setPosition(editor.toPlainText().index(needle, parse(editor.toPlainText()).front_matter_end))
    editor.setTextCursor(c)


def select_with_keys(qtbot, editor: QPlainTextEdit, needle: str) -> None:
    """Puts the cursor before ``needle`` and selects it with Shift+Right, as a user would."""
    put_cursor(editor, needle)
    for _ in needle:
        qtbot.keyClick(editor, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert editor.textCursor().selectedText().replace("\u2029", "\n") == needle


def choose_file(qtbot, panel: ReviewPanel, button, path: Path) -> None:
    """Clicks a panel button and picks ``path`` in the file dialog it opens."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = panel.findChild(QFileDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.selectFile(str(path))
    dialog.accept()


def click_item(qtbot, panel: ReviewPanel, kind: str) -> None:
    row = next(i for i, it in enumerate(panel.items()) if it.kind == kind)
    rect = panel.list.visualItemRect(panel.list.item(row))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.current_item().kind == kind


@pytest.fixture
def writer(qtbot, tmp_path):
    path = tmp_path / "exit-letter.md"
    path.write_text(D1.read_text(encoding="utf-8"), encoding="utf-8")
    editor = QPlainTextEdit()
    editor.setPlainText(path.read_text(encoding="utf-8"))
    MarkHighlighter(editor.document(), editor.palette())
    panel = ReviewPanel(editor)
    panel.document_path = path
    qtbot.addWidget(editor)
    qtbot.addWidget(panel)
    editor.show()
    panel.show()
    return editor, panel


def test_writer_and_reviewer_round_trip(qtbot, writer, tmp_path):
    w_editor, panel = writer
    original = w_editor.toPlainText()
    copy_path = tmp_path / "out" / "exit-letter.review.md"
    copy_path.parent.mkdir()

    # The writer sends a redacted review copy with its DRAFT PDF.
    assert panel.redact_box.isChecked() and panel.pdf_box.isChecked()
    with qtbot.waitSignal(panel.copySent, timeout=60_000) as sent:
        choose_file(qtbot, panel, panel.send_button, copy_path)
    md, pdf = sent.args
    copy_text = md.read_text(encoding="utf-8")
    people = people_to_hide(parse(original))
    assert names_left(copy_text, people) == []
    draft = pdf_text(pdf)
    assert "DRAFT" in draft and not [p.name for p in people if p.name in draft]
    assert parse(w_editor.toPlainText()).meta["review_copies"][0]["redacted"] is True

    # The reviewer opens the copy in reviewer mode and marks it up with the keyboard and the Comment button.
    r_editor = QPlainTextEdit()
    qtbot.addWidget(r_editor)
    r_editor.setPlainText(copy_text)
    highlighter = MarkHighlighter(r_editor.document(), r_editor.palette())
    mode = ReviewerMode(r_editor, "Rita Lind")
    bar = ReviewerBar(mode, highlighter.formats)
    qtbot.addWidget(bar)
    r_editor.show()
    bar.show()
    mode.toggle_action.trigger()
    assert mode.is_active() and r_editor.isReadOnly()

    select_with_keys(qtbot, r_editor, "senior engineers resigned"[:6])
    qtbot.keyClicks(r_editor, "experienced")
    select_with_keys(qtbot, r_editor, "The date\nwas not moved.")
    qtbot.keyClick(r_editor, Qt.Key.Key_Delete)
    select_with_keys(qtbot, r_editor, "descope later")
    qtbot.mouseClick(bar.comment_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(r_editor, "Who decided? Ask the Chief Product Officer.")
    assert "Comment — Rita Lind" in bar.at_cursor.toolTip()  # the strip shows what is under the cursor

    reviewed = r_editor.toPlainText()
    body = reviewed[parse(reviewed).front_matter_end :]
    assert "Two {~~senior~>experienced~~} engineers" in body
    assert "{--The date\nwas not moved.--}" in body
    assert '"{==descope later==}{>>Who decided? Ask the Chief Product Officer.<<}"' in body
    assert {e.by for e in read_log(parse(reviewed).meta).values()} == {"Rita Lind"}
    write_atomic(copy_path, reviewed)  # the reviewer saves and sends it back

    # Meanwhile the writer kept writing (in the normal editor, typing goes straight into the text).
    put_cursor(w_editor, "I am happy to talk")
    qtbot.keyClicks(w_editor, "Thank you for reading. ")
    with qtbot.waitSignal(panel.reviewImported, timeout=20_000) as imported:
        choose_file(qtbot, panel, panel.import_button, copy_path)
    assert (imported.args[0].placed, imported.args[0].as_comments) == (3, 0)
    qtbot.waitUntil(lambda: len(panel.items()) == 3)
    assert "Ask Raj Patel." in w_editor.toPlainText()  # the role in the reviewer's words is a name again

    # The writer accepts one, rejects one and resolves the comment, all by clicking.
    click_item(qtbot, panel, "substitution")
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    click_item(qtbot, panel, "deletion")
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    click_item(qtbot, panel, "highlight")
    assert not panel.accept_button.isEnabled()
    qtbot.mouseClick(panel.resolve_button, Qt.MouseButton.LeftButton)
    assert panel.items() == [] and panel.heading.text() == "Review — nothing open"

    final = parse(w_editor.toPlainText())
    assert find_marks(final.body) == []
    assert "Thank you for reading." in final.body and "Two experienced engineers" in final.body

    from export.pdf import export_pdf

    out = tmp_path / "final.pdf"
    export_pdf(final, out)  # a final export: refused if any mark were still open
    text = pdf_text(out)
    for leftover in ("{", "}", "++", "~>", "Who decided", "Rita", "Chief Product Officer", "[Reviewer"):
        assert leftover not in text, leftover
    assert "Two experienced engineers resigned" in text
    assert "The date was not moved." in text  # the rejected deletion keeps the writer's words
    assert "Raj Patel" in text and "Diane Cho" in text  # names are back


def test_undo_in_reviewer_mode_takes_back_a_whole_suggestion(qtbot):
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    text = D1.read_text(encoding="utf-8")
    editor.setPlainText(text)
    mode = ReviewerMode(editor, "Rita")
    mode.set_active(True)
    put_cursor(editor, "five months")
    before = editor.toPlainText()
    qtbot.keyClicks(editor, "very ")
    assert "{++very ++}" in editor.toPlainText()
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == before
    mode.set_active(False)
    assert not editor.isReadOnly()


def test_reviewer_mode_refuses_edits_in_the_header_and_says_why(qtbot):
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(D8.read_text(encoding="utf-8"))
    mode = ReviewerMode(editor, "Rita")
    mode.set_active(True)
    c = editor.textCursor()
    c.movePosition(QTextCursor.MoveOperation.Start)
    editor.setTextCursor(c)
    with qtbot.waitSignal(mode.refused) as refused:
        qtbot.keyClicks(editor, "x")
    assert "header" in refused.args[0]
    assert editor.toPlainText() == D8.read_text(encoding="utf-8")


def test_review_copy_pdf_shows_the_open_marks(qtbot, tmp_path):
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(D8.read_text(encoding="utf-8"))
    panel = ReviewPanel(editor)
    qtbot.addWidget(panel)
    panel.redact_box.setChecked(True)
    with qtbot.waitSignal(panel.copySent, timeout=60_000) as sent:
        panel.send_for_review(str(tmp_path / "memo.review.md"))
    text = pdf_text(sent.args[1])
    assert "DRAFT" in text
    assert "known for months" in text and "known since March" in text  # both sides of the change
    assert "This is honestly shocking." in text  # the deleted sentence, struck through
    assert "Give the week's dates" in text  # the comment
    assert "Hal Morgan" not in text and "Grace Obi" not in text
    assert re.search(r"the Medical Director", text, re.I)


def test_panel_reply_and_outline_signal(qtbot):
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(D8.read_text(encoding="utf-8"))
    panel = ReviewPanel(editor, writer="Grace Obi")
    qtbot.addWidget(panel)
    click_item(qtbot, panel, "comment")
    assert panel.resolve_button.isEnabled() and not panel.reject_button.isEnabled()
    qtbot.keyClicks(panel.reply_edit, "Added the dates.")
    with qtbot.waitSignal(panel.openSectionsChanged) as sections:
        qtbot.keyClick(panel.reply_edit, Qt.Key.Key_Return)
    assert sum(sections.args[0].values()) == 4
    assert "↳ Grace Obi: Added the dates." in panel.list.currentItem().text()
    assert "{>>Added the dates.<<}" in editor.toPlainText()
    qtbot.mouseClick(panel.accept_all_button, Qt.MouseButton.LeftButton)
    assert [it.kind for it in panel.items()] == ["comment"]
    editor.document().undo()  # each decision is one undo step
    qtbot.waitUntil(lambda: len(panel.items()) == 4)


def _formats(editor: QPlainTextEdit, block_no: int) -> list:
    return list(editor.document().findBlockByNumber(block_no).layout().formats())


def test_marks_are_coloured_across_lines_and_a_new_closing_repaints_the_lines_between(qtbot):
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText("Plain first line.\n{--deleted start\nmiddle line\nend--} after.\nUnmarked.\n")
    MarkHighlighter(editor.document(), editor.palette())
    qtbot.waitUntil(lambda: bool(_formats(editor, 2)))
    middle = _formats(editor, 2)  # a line wholly inside the deletion is struck out from start to end
    assert middle and all(r.format.fontStrikeOut() for r in middle)
    assert min(r.start for r in middle) == 0 and max(r.start + r.length for r in middle) >= len("middle line")
    assert _formats(editor, 0) == [] and _formats(editor, 4) == []
    # Breaking the closing delimiter un-marks the lines above it; restoring it marks them again.
    c = editor.textCursor()
    c.setPosition(editor.toPlainText().index("--}"))
    c.deleteChar()
    qtbot.waitUntil(lambda: _formats(editor, 2) == [])
    c.insertText("-")
    qtbot.waitUntil(lambda: bool(_formats(editor, 2)))


def test_hovering_a_mark_says_who_made_it_and_when(qtbot):
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from editor.ui.review_mode import MarkTooltips

    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.resize(600, 300)
    text = "---\nreviews:\n  s1234567: {by: Rita Lind, at: '2026-09-02 10:14'}\n---\nWe {~~never~>rarely~~} ship.\n"
    editor.setPlainText(text)
    hl = MarkHighlighter(editor.document(), editor.palette())
    found = hl.formats.mark_at(text.index("never"))
    assert found is not None and found[1] is None  # the id above is made up: the mark is unattributed
    mark = found[0]
    from editor.review.log import mark_ids

    real_id = mark_ids([mark])[0]
    editor.setPlainText(text.replace("s1234567", real_id))
    editor.show()
    qtbot.waitExposed(editor)
    MarkTooltips(editor, hl.formats)
    c = editor.textCursor()
    c.setPosition(editor.toPlainText().index("rarely"))
    pos = editor.cursorRect(c).center() + QPoint(2, 0)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, editor.viewport().mapToGlobal(pos))
    QApplication.sendEvent(editor.viewport(), event)
    assert "Suggested change — Rita Lind · 2 Sep 10:14" in QToolTip.text()
    assert "“never” → “rarely”" in QToolTip.text()


def test_bad_files_get_one_clear_message(qtbot, tmp_path):
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(D8.read_text(encoding="utf-8"))
    before = editor.toPlainText()
    panel = ReviewPanel(editor)
    qtbot.addWidget(panel)
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x89PNG\x00\x00binary")
    with qtbot.waitSignal(panel.message, timeout=10_000, check_params_cb=lambda m: "not a text file" in m):
        panel.import_copy(str(binary))
    with qtbot.waitSignal(panel.message, timeout=10_000, check_params_cb=lambda m: "does not exist" in m):
        panel.import_copy(str(tmp_path / "missing.md"))
    with qtbot.waitSignal(panel.message, timeout=10_000, check_params_cb=lambda m: "does not exist" in m):
        panel.send_for_review(str(tmp_path / "no-such-folder" / "copy.md"))
    assert editor.toPlainText() == before
