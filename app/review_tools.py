"""Review in the window (docs/review.md): the writer's review panel as a dock, reviewer mode on the whole text.

Both act on the whole-text view, whose document is the session's: the panel's decisions and the
reviewer's suggestions are ordinary edits of the one text (one undo history, autosave, checks). While
reviewer mode is on, every tool that would change the writer's text directly (the guided view, the
outline's structure buttons, people, delivery, Apply and Ignore, the panel's decisions) is switched
off, so nothing bypasses the suggestions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from editor.model import Document
from editor.ui.review_mode import MarkTooltips, ReviewerBar, ReviewerMode
from editor.ui.review_panel import ReviewPanel
from editor.ui.sections import DETAILS, SectionRef, entries

if TYPE_CHECKING:
    from app.main_window import MainWindow


def open_marks_by_ref(doc: Document, counts: dict[int, int]) -> dict[SectionRef, int]:
    """{section index: open items} (the panel's signal) as outline rows; text before the first heading counts
    under Details."""
    index = {id(s): i for i, s in enumerate(doc.sections)}
    out: dict[SectionRef, int] = {}
    for e in entries(doc):
        i = index.get(id(e.section)) if e.section is not None else None
        if i is not None and counts.get(i):
            out[e.ref] = counts[i]
    if counts.get(-1):
        out[DETAILS] = out.get(DETAILS, 0) + counts[-1]
    return out


class WindowReviewPanel(ReviewPanel):
    """The review panel in the window: the refresh after a pause in typing keeps the writer's cursor where it
    is. The panel re-selects its current item on every refresh, and selecting an item puts the editor's
    cursor on the mark: right when the writer picks an item, wrong 200 ms after each keystroke."""

    _refreshing = False

    def refresh(self) -> None:
        self._refreshing = True
        try:
            super().refresh()
        finally:
            self._refreshing = False

    def show_current(self) -> None:
        if not self._refreshing:
            super().show_current()


class ReviewTools(QObject):
    """The review panel, reviewer mode, its bar and mark tooltips, wired to one window."""

    def __init__(self, window: MainWindow, reviewer_name: str) -> None:
        super().__init__(window)
        self.window = window
        editor = window.full_text
        self.formats = editor.highlighter.review_formats
        self.panel = WindowReviewPanel(editor)
        self.mode = ReviewerMode(editor, reviewer_name, parent=self)
        self.mode.toggle_action.setText("&Reviewer Mode")
        self.mode.toggle_action.setShortcut("Ctrl+Shift+R")
        self.mode.toggle_action.setStatusTip("Suggest edits and comment instead of changing the text")
        self.mode.comment_action.setText("&Comment")
        self.send_action = QAction("&Send for Review…", self)
        self.send_action.setStatusTip("Write a copy for a reviewer to mark up in On Record")
        self.send_action.triggered.connect(lambda _c=False: self.panel.choose_copy_path())
        self.import_action = QAction("&Import Reviewed Copy…", self)
        self.import_action.setStatusTip("Bring the reviewer's marks into this document")
        self.import_action.triggered.connect(lambda _c=False: self.panel.choose_import_path())
        self.bar = ReviewerBar(self.mode, self.formats)
        self.tooltips = MarkTooltips(editor, self.formats)
        self.panel.openSectionsChanged.connect(self._open_sections)
        self.panel.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
        self.mode.refused.connect(lambda text: window.statusBar().showMessage(text, 8000))
        self._was_on = False
        self.mode.activeChanged.connect(self._active_changed)

    def set_reviewer(self, name: str) -> None:
        self.mode.set_reviewer(name)
        self.mode.activeChanged.emit(self.mode.is_active())  # the bar says whose suggestions these are

    def active(self) -> bool:
        return self.mode.is_active()

    def _open_sections(self, counts: dict[int, int]) -> None:
        self.window.outline.set_open_marks(open_marks_by_ref(self.window.session.document(), counts))

    def writer_tools(self) -> list[QWidget]:
        """Panels and buttons that change the writer's text directly (Apply and Ignore refuse in the window)."""
        w = self.window
        tools: list[QWidget] = [w.people, self.panel]
        tools += [w.outline.add_point, w.outline.add_incident, w.outline.add_consequence]
        tools += [w.outline.remove, w.outline.move_up, w.outline.move_down]
        if w.delivery is not None:
            tools.append(w.delivery)
        return tools

    def _active_changed(self, on: bool) -> None:
        w = self.window
        a = w.actions_
        if on:
            w.set_view("whole")
        writer_actions = (a.guided, a.add_point, a.add_incident, a.add_consequence, a.remove_section, a.move_up)
        for act in (*writer_actions, a.move_down, self.send_action, self.import_action):
            act.setEnabled(not on)
        for tool in self.writer_tools():
            tool.setEnabled(not on)
        if self._was_on != on:
            self._was_on = on
            w.full_text.setFocus(Qt.FocusReason.OtherFocusReason)
            w.statusBar().showMessage(
                "Reviewer mode: your edits become suggestions the writer accepts or rejects."
                if on
                else "Reviewer mode is off: edits change the text directly.",
                6000,
            )
