#!/usr/bin/env python3
"""Writes PNGs of review: the reviewer at work in reviewer mode, and the writer's review panel after import.

    scripts/screenshot_review.py OUT_DIR [--dark]

Runs offscreen. Plays the same steps a user would (a redacted review copy, three suggestions made in
reviewer mode, the import, a reply) with the real widgets, then grabs them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "docs" / "d1-good-exit.md"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--dark", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPalette, QTextCursor
    from PySide6.QtWidgets import QApplication, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

    from editor.fileformat import parse
    from editor.review.copies import make_review_copy, record_copy
    from editor.review.merge import merge_review
    from editor.ui.review_mode import MarkHighlighter, MarkTooltips, ReviewerBar, ReviewerMode
    from editor.ui.review_panel import ReviewPanel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    if args.dark:
        pal = QPalette()
        for role, colour in {
            QPalette.ColorRole.Window: "#202327",
            QPalette.ColorRole.WindowText: "#e6e9ed",
            QPalette.ColorRole.Base: "#17191c",
            QPalette.ColorRole.AlternateBase: "#23262b",
            QPalette.ColorRole.Text: "#e6e9ed",
            QPalette.ColorRole.Button: "#2b2f35",
            QPalette.ColorRole.ButtonText: "#e6e9ed",
            QPalette.ColorRole.Highlight: "#3d6fb6",
            QPalette.ColorRole.PlaceholderText: "#9aa3ad",
        }.items():
            pal.setColor(role, QColor(colour))
        app.setPalette(pal)
    args.out.mkdir(parents=True, exist_ok=True)
    prose = QFont(app.font())
    prose.setPointSizeF(max(prose.pointSizeF(), 10.0) + 1)

    def editor() -> QPlainTextEdit:
        ed = QPlainTextEdit()
        ed.setFont(prose)
        ed.document().setDocumentMargin(12)
        return ed

    def select(ed: QPlainTextEdit, needle: str) -> None:
        text = ed.toPlainText()
        at = text.index(needle, parse(text).front_matter_end)
        c = ed.textCursor()
        c.setPosition(at)
        c.setPosition(at + len(needle), QTextCursor.MoveMode.KeepAnchor)
        ed.setTextCursor(c)

    def save(widget: QWidget, path: Path) -> None:
        """A palette PNG (a few dozen kB): screenshots of text and flat colours lose nothing visible."""
        image = (
            widget.grab().toImage().convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.AvoidDither)
        )
        image.save(str(path), "PNG", 0)

    def settle() -> None:
        for _ in range(10):
            app.processEvents()

    writer_text = SAMPLE.read_text(encoding="utf-8")
    copy = make_review_copy(parse(writer_text), redact=True)
    writer_text = record_copy(writer_text, copy)

    # The reviewer at work.
    r_ed = editor()
    r_ed.setPlainText(copy.text)
    hl = MarkHighlighter(r_ed.document(), r_ed.palette())
    MarkTooltips(r_ed, hl.formats)
    mode = ReviewerMode(r_ed, "Rita Lind")
    bar = ReviewerBar(mode, hl.formats)
    mode.set_active(True)
    select(r_ed, "senior")
    mode.type_text("experienced")
    select(r_ed, "The date\nwas not moved.")
    mode.delete()
    select(r_ed, "descope later")
    mode.add_comment("Who decided? Name the Chief Product Officer here.")
    r_ed.setFocus()
    reviewer = QWidget()
    lay = QVBoxLayout(reviewer)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(0)
    lay.addWidget(bar)
    lay.addWidget(r_ed)
    reviewer.resize(900, 470)
    reviewer.show()
    settle()
    r_ed.verticalScrollBar().setValue(r_ed.document().findBlock(r_ed.toPlainText().index("### Incident")).blockNumber())
    c = r_ed.textCursor()
    c.setPosition(r_ed.toPlainText().index("Who decided") + 5)
    r_ed.setTextCursor(c)
    settle()
    path = args.out / f"review-reviewer-mode{'-dark' if args.dark else ''}.png"
    save(reviewer, path)
    print(path)

    # The writer after importing the copy, with the panel.
    w_ed = editor()
    w_ed.setPlainText(merge_review(writer_text, r_ed.toPlainText()).text)
    MarkHighlighter(w_ed.document(), w_ed.palette())
    panel = ReviewPanel(w_ed)
    panel.status.setText("Imported exit-letter.review.md: 3 review items merged.")
    for row, it in enumerate(panel.items()):
        if it.kind == "highlight":
            panel.list.setCurrentRow(row)
    panel.reply_edit.setText("It was the product office; I have said so.")
    panel.reply()
    panel.list.setCurrentRow(0)
    split = QSplitter()
    split.addWidget(w_ed)
    split.addWidget(panel)
    split.resize(1080, 540)
    split.setSizes([680, 400])
    split.show()
    settle()
    c = w_ed.textCursor()
    c.setPosition(panel.current_item().start)
    w_ed.setTextCursor(c)  # the mark in place, its colours not hidden by a selection
    w_ed.verticalScrollBar().setValue(w_ed.document().findBlock(w_ed.toPlainText().index("### Incident")).blockNumber())
    settle()
    path = args.out / f"review-panel{'-dark' if args.dark else ''}.png"
    save(split, path)
    print(path)
    return 0


if __name__ == "__main__":
    import use_venv

    use_venv.reexec()
    sys.exit(main())
