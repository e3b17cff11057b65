"""The guided view of one section: the kind's prompt above a text box that edits that section's span.

The box holds a copy of one span of the document text. Typing writes the smallest change into the
session's document at the tracked offset; any other change to the document (the full-text view,
undo, an outline move, the Enabled-by picker) is mirrored back into the box as the smallest change
too, so the caret and the underlines stay where the writer left them.
"""

from __future__ import annotations

import re
from itertools import pairwise

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from editor.findings import Finding
from editor.kinds import Kind
from editor.ui.details_form import DetailsForm
from editor.ui.enabled_by import EnabledByPicker
from editor.ui.restructure import Refused, set_enabled_by, set_title
from editor.ui.sections import DETAILS, THESIS, Entry, SectionRef, entries, resolve
from editor.ui.session import HISTORY, DocumentSession, minimal_change
from editor.ui.text_edit import Mark, WritingEdit, prose_font, severity_colour

_ENABLED_BY_LINE = re.compile(r"^[ \t]*\**Enabled by:?.*$", re.M | re.I)
_ROLE_NAMES = {
    "details": "Details",
    "thesis": "Thesis",
    "point": "Point",
    "incident": "Incident",
    "consequence": "Consequence",
    "ask": "Ask",
    "other": "Section",
}
_PLACEHOLDERS = {
    "thesis": "State your claim in one sentence: what is wrong, and what it is costing.",
    "point": "Optional: a sentence or two that introduces this point. The incidents and consequences follow.",
    "incident": "Tell what happened: when, where, and what it led to, in words a non-specialist can weigh.",
    "consequence": "What did it cost? People who left, customers, money, dates, reputation. Numbers beat adjectives.",
    "ask": "What you want the reader to do, specific enough that they can say yes to it.",
    "other": "Keep it short; every paragraph should support the thesis.",
}
_OTHER_GUIDE = (
    "A section of your own. Readers give a feedback letter a few minutes: keep only what supports the "
    "thesis, and move anything else to an appendix or drop it."
)
_DETAILS_GUIDE = (
    "The header of the letter: its title, who it is from and the date. A title that states the claim "
    "(“Why Platform keeps losing senior engineers”) gets read before a neutral one."
)


class GuideCard(QFrame):
    """What good looks like for this section, with an example; and what the checks still ask for."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideCard")
        self.role = QLabel()
        self.role.setObjectName("guideRole")
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.prompt.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.example = QLabel()
        self.example.setObjectName("guideExample")
        self.example.setWordWrap(True)
        self.example.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.todo = QLabel()
        self.todo.setWordWrap(True)
        self.todo.setTextFormat(Qt.TextFormat.RichText)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 10, 14, 12)
        lay.setSpacing(5)
        lay.addWidget(self.role)
        lay.addWidget(self.prompt)
        lay.addWidget(self.example)
        lay.addWidget(self.todo)
        self.setAccessibleName("Guidance for this section")

    def set_guide(self, caption: str, prompt: str, example: str) -> None:
        self.role.setText(caption.upper())
        self.prompt.setText(prompt)
        self.example.setVisible(bool(example))
        self.example.setText(f"<i>For example:</i> “{_escape(example)}”" if example else "")
        self.setAccessibleDescription(f"{prompt} {('For example: ' + example) if example else ''}".strip())

    def set_todo(self, findings: list[Finding]) -> None:
        if not findings:
            self.todo.hide()
            return
        rows = []
        for f in findings[:4]:
            colour = severity_colour(self.palette(), f.severity).name()
            rows.append(f"<span style='color:{colour}'>●</span>&nbsp;{_escape(f.message)}")
        if len(findings) > 4:
            rows.append(f"… and {len(findings) - 4} more in the Findings panel")
        self.todo.setText("<br>".join(rows))
        self.todo.show()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SectionEditor(QWidget):
    """Edits one section of the session's document; ``show_ref`` picks which."""

    peopleRequested = Signal()
    undoRequested = Signal()
    redoRequested = Signal()
    refusal = Signal(str)
    metaEdited = Signal(str, object)
    navigate = Signal(tuple)  # the section the Previous/Next buttons lead to

    def __init__(self, session: DocumentSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ref: SectionRef = THESIS
        self._start = 0  # offset of the shown body in the session text
        self._synced = ""  # the body text the box mirrors (as in the file)
        self._shown = ""  # the same text as the box shows it (hard-wrapped lines joined, same length)
        self._loading = False
        self._kind_id = ""
        self._findings: list[tuple[int, int, Finding]] = []
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)

        self.crumb = QLabel()
        self.crumb.setObjectName("muted")
        self.card = GuideCard()
        self.title_label = QLabel()
        self.title_label.setObjectName("sectionCaption")
        self.title = QLineEdit()
        self.title.setObjectName("titleEdit")
        self.title.setFont(prose_font(self.font(), bump=5))
        self.title.setFrame(False)
        self.title.setAccessibleName("Section title")
        self.body = WritingEdit(route_history=True, column_chars=10_000, front_matter=False)
        self.body.setAccessibleName("Section text")
        self.body.document().setDocumentMargin(4)
        self.body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.details = DetailsForm()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.body)
        self.stack.addWidget(self.details)
        self.picker = EnabledByPicker()

        title_row = QHBoxLayout()
        title_row.setSpacing(6)
        title_row.addWidget(self.title_label)
        title_row.addWidget(self.title, 1)
        column = QWidget()
        column.setObjectName("sectionColumn")
        col = QVBoxLayout(column)
        col.setContentsMargins(0, 16, 0, 12)
        col.setSpacing(10)
        col.addWidget(self.crumb)
        col.addWidget(self.card)
        col.addLayout(title_row)
        col.addWidget(self.picker)
        col.addWidget(self.stack, 1)
        self.prev_button = QPushButton()
        self.next_button = QPushButton()
        for b, step in ((self.prev_button, -1), (self.next_button, 1)):
            b.setFlat(True)
            b.setObjectName("navButton")
            b.clicked.connect(lambda _c=False, step=step: self.step(step))
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        col.addLayout(nav)
        self.column = column
        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 0, 16, 0)
        outer.addStretch(1)
        outer.addWidget(column, 100)
        outer.addStretch(1)
        self._fit_column()

        self.body.textChanged.connect(self._body_edited)
        self.body.undoRequested.connect(self.undoRequested)
        self.body.redoRequested.connect(self.redoRequested)
        self.title.textEdited.connect(self._title_edited)
        self.picker.changed.connect(self._enablers_chosen)
        self.picker.peopleRequested.connect(self.peopleRequested)
        self.details.edited.connect(self.metaEdited)
        session.changed.connect(self._session_changed)
        session.loaded.connect(self.reload)

    # -- which section -----------------------------------------------------------------------------
    def show_ref(self, ref: SectionRef) -> None:
        self.ref = ref
        self.reload()

    def reload(self) -> None:
        """Shows the current ref from scratch (after a load or a new selection)."""
        doc = self.session.document()
        if self.ref != DETAILS and resolve(doc, self.ref) is None:
            self.ref = THESIS if resolve(doc, THESIS) is not None else DETAILS
        self._show_guide()
        self._mirror(force=True)

    def _show_guide(self) -> None:
        kind = self.session.kind()
        self._kind_id = kind.id
        role = self.ref[0]
        guide = kind.guide(role)
        caption = self._caption(kind)
        if role == "details":
            prompt, example = _DETAILS_GUIDE, ""
        elif guide is None:
            prompt, example = _OTHER_GUIDE, ""
        else:
            prompt, example = guide.prompt, guide.example
        self.card.set_guide(caption, prompt, example)
        self.crumb.setText(self._crumb(kind))
        self.stack.setCurrentWidget(self.details if role == "details" else self.body)
        titled = role in ("point", "incident", "other")
        self.title_label.setText({"point": "Point:", "incident": "Incident:"}.get(role, "Heading:"))
        self.title_label.setVisible(titled)
        self.title.setVisible(titled)
        self.title.setPlaceholderText(
            {
                "point": "One short claim, e.g. " + (kind.guide("point").example if kind.guide("point") else ""),
                "incident": "A short name for the story, e.g. The spring release",
            }.get(role, "Section heading")
        )
        self.picker.setVisible(role == "incident")
        self.body.setPlaceholderText(_PLACEHOLDERS.get(role, ""))
        self.setAccessibleName(f"{caption} editor")
        self.show_neighbours()

    def neighbours(self) -> tuple[Entry | None, Entry | None]:
        rows = entries(self.session.document())
        refs = [e.ref for e in rows]
        if self.ref not in refs:
            return None, None
        i = refs.index(self.ref)
        return (rows[i - 1] if i > 0 else None), (rows[i + 1] if i + 1 < len(rows) else None)

    def step(self, delta: int) -> None:
        before, after = self.neighbours()
        target = before if delta < 0 else after
        if target is not None:
            self.navigate.emit(target.ref)

    def show_neighbours(self) -> None:
        before, after = self.neighbours()
        for button, entry, text in ((self.prev_button, before, "‹  {}"), (self.next_button, after, "{}  ›")):
            button.setVisible(entry is not None)
            if entry is not None:
                label = entry.label if len(entry.label) <= 48 else entry.label[:47] + "…"
                button.setText(text.format(label))
                which = "Previous" if button is self.prev_button else "Next"
                button.setAccessibleName(f"{which} section: {entry.label}")
                button.setToolTip(f"{which} section ({'Ctrl+PgUp' if which == 'Previous' else 'Ctrl+PgDown'})")

    def _caption(self, kind: Kind) -> str:
        role = self.ref[0]
        if role == "point":
            return f"Point {self.ref[1] + 1} of up to {kind.max_points}"
        if role in ("incident", "consequence"):
            return f"{_ROLE_NAMES[role]} · Point {self.ref[1] + 1}"
        return _ROLE_NAMES.get(role, "Section")

    def _crumb(self, kind: Kind) -> str:
        return f"{kind.name} · {self.session.name}"

    # -- mirroring the document into the box -------------------------------------------------------
    def _mirror(self, *, force: bool = False, history: bool = False) -> None:
        doc = self.session.document()
        if self.ref == DETAILS:
            self.details.set_meta(doc.meta, self.session.kinds(), self.session.kind())
            self._start, self._synced, self._shown = 0, "", ""
            return
        s = resolve(doc, self.ref)
        if s is None:
            self.reload()
            return
        a, b = editable_span(doc.text, s, hide_enabled_by=self.ref[0] == "incident")
        body = doc.text[a:b]
        shown = soften(body)
        self._start = a
        if force:
            self._loading = True
            try:
                self.body.setPlainText(shown)
            finally:
                self._loading = False
            self._synced, self._shown = body, shown
        elif body != self._synced:
            a, b, new = minimal_change(self._shown, shown)
            self._loading = True
            try:
                cur = QTextCursor(self.body.document())
                cur.setPosition(a)
                cur.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
                cur.insertText(new)
            finally:
                self._loading = False
            self._synced, self._shown = body, shown
            if history:
                caret = self.body.textCursor()
                caret.setPosition(a + len(new))
                self.body.setTextCursor(caret)
        title = s.title if self.ref[0] != "other" else s.label()
        if " ".join(self.title.text().split()) != title:
            self.title.setText(title)
        if self.ref[0] == "incident":
            point = doc.points[self.ref[1]]
            inc = point.incidents[self.ref[2]]
            self.picker.set_people(doc.people, inc.enabled_by)
        self._paint_marks()

    def _session_changed(self, _revision: int) -> None:
        if self.session.change_source is self:
            return
        if self.session.kind().id != self._kind_id:
            self._show_guide()  # the writer switched the document kind: its prompts and limits apply now
        self._mirror(history=self.session.change_source == HISTORY)

    # -- the box and fields writing into the document ---------------------------------------------
    def _body_edited(self) -> None:
        if self._loading or self.ref == DETAILS:
            return
        shown = self._raw_body()
        a, b, rep = minimal_change(self._shown, shown)
        if a == b and not rep:
            return
        # the box shows soft-wrapped paragraphs (same length as the source), so offsets carry over
        new = self._synced[:a] + rep + self._synced[b:]
        text = self.session.text()
        start, end = self._start, self._start + len(self._synced)
        # a heading with nothing under it may lack the line breaks that keep typed text off its line
        prefix = "\n" if new and start > 0 and text[start - 1] != "\n" else ""
        suffix = "\n" if new and end < len(text) and text[end] != "\n" and not new.endswith("\n") else ""
        if not self._synced and new and text[end : end + 1] == "\n" and text[end + 1 : end + 2] not in ("\n", ""):
            suffix = "\n"  # first words in an empty section: keep a blank line before what follows
        self._synced, self._shown = new, shown
        if prefix or suffix:
            self._start = start + len(prefix)
            self.session.replace(start, end, prefix + new + suffix, source=self)
        else:
            self.session.replace(start + a, start + b, rep, source=self)

    def _raw_body(self) -> str:
        return self.body.document().toRawText().replace("\u2029", "\n")

    def _title_edited(self, text: str) -> None:
        try:
            edit = set_title(self.session.document(), self.ref, text)
        except Refused as exc:
            self.refusal.emit(str(exc))
            return
        self.session.apply(edit, source="title")

    def _enablers_chosen(self, names: list[str]) -> None:
        try:
            edit = set_enabled_by(self.session.document(), self.ref, names)
        except Refused as exc:
            self.refusal.emit(str(exc))
            return
        self.session.apply(edit, source="picker")

    # -- findings ------------------------------------------------------------------------------------
    def set_findings(self, spans: list[tuple[int, int, Finding]], section_findings: list[Finding]) -> None:
        """``spans`` are (start, end, finding) in session offsets; ``section_findings`` are this section's."""
        self._findings = spans
        self.card.set_todo(section_findings)
        self._paint_marks()

    def _paint_marks(self) -> None:
        size = len(self._synced)
        marks = []
        for a, b, f in self._findings:
            start, end = a - self._start, b - self._start
            if end <= 0 or start >= size:
                continue
            marks.append(Mark(max(0, start), min(size, end), f.severity, f.message))
        self.body.set_marks(marks)

    # -- focus and caret ---------------------------------------------------------------------------
    def reveal(self, offset: int, length: int = 0) -> bool:
        """Puts the caret at a session offset inside this section; False if it is not shown here."""
        if self.ref == DETAILS:
            return False
        if self.title.isVisible() and self._reveal_in_title(offset, length):
            return True
        if not (self._start <= offset <= self._start + len(self._synced)):
            return False
        self.body.scroll_to(offset - self._start, length)
        self.body.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _reveal_in_title(self, offset: int, length: int) -> bool:
        s = resolve(self.session.document(), self.ref)
        if s is None or not (s.start <= offset < s.body_start):
            return False
        line = self.session.text()[s.start : s.body_start]
        words = self.title.text()
        at = line.find(words) if words else -1
        if at < 0 or not (s.start + at <= offset <= s.start + at + len(words)):
            return False
        self.title.setSelection(offset - s.start - at, length)  # no focus change: a find bar keeps its focus
        return True

    def body_offset(self) -> int:
        return self._start

    def focus_text(self) -> None:
        target = self.details.title if self.ref == DETAILS else self.body
        if self.ref[0] in ("point", "incident") and not self.title.text():
            target = self.title
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- layout ----------------------------------------------------------------------------------------
    def _fit_column(self) -> None:
        self.column.setMaximumWidth(self.fontMetrics().horizontalAdvance("n") * 92)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if not hasattr(self, "column"):
            return  # still being built
        if event.type() in (event.Type.FontChange, event.Type.StyleChange):
            self._fit_column()


_BLOCK_LINE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|>|#|\||```|~~~|<!--|\{|\**Enabled by)|^ {4}|^\t", re.I)


def soften(text: str) -> str:
    """The text with hard-wrapped lines of a paragraph joined by spaces, for reading in a narrow box.

    Only a line break inside a paragraph becomes a space (Markdown reads it as one); list items,
    quotes, headings, tables, hard breaks and the Enabled-by line keep theirs. Same length as the
    input, so every offset means the same character in both.
    """
    lines = text.split("\n")
    out = [lines[0]]
    for prev, line in pairwise(lines):
        joined = (
            prev.strip()
            and line.strip()
            and not prev.endswith("  ")
            and not _BLOCK_LINE.match(line)
            and not prev.lstrip().startswith(("#", "|"))
        )
        out.append((" " if joined else "\n") + line)
    return "".join(out)


def editable_span(text: str, s, *, hide_enabled_by: bool = False) -> tuple[int, int]:
    """The part of a section the box shows: its text without the blank line after the heading and the
    blank lines before the next one; for an empty section, the empty line where writing starts.

    With ``hide_enabled_by`` a closing "Enabled by:" line stays out of the box (the picker writes it),
    so typing at the end of the story never lands on that line.
    """
    end = s.end
    if hide_enabled_by:
        matches = list(_ENABLED_BY_LINE.finditer(text, s.body_start, s.end))
        last = matches[-1] if matches else None
        if last is not None and not text[last.end() : s.end].strip():
            end = last.start()
    body = text[s.body_start : end]
    lead = 1 if body.startswith("\n") else 0
    if not body.strip():
        return s.body_start + lead, s.body_start + lead
    trail = len(body) - len(body.rstrip("\n"))
    return s.body_start + lead, end - trail
