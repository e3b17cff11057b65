"""The open document: one QTextDocument that holds the whole file text, the single source of truth.

Every view edits this text (the full-text view shares it; section editors write their span into it),
so there is one undo history and nothing to merge. The parsed ``Document`` is a cached view of the
current revision. Line endings and a byte-order mark are remembered so that saving an untouched
file writes it back byte for byte.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

from editor.kinds import Kind, load_kinds
from editor.model import Document
from editor.ui.lenient import lenient_parse
from editor.ui.restructure import Edit

HISTORY = "history"  # change_source of undo and redo


class DocumentSession(QObject):
    """The file text, its path and its history; emits ``changed(revision)`` after every edit."""

    changed = Signal(int)
    modifiedChanged = Signal(bool)
    loaded = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.qdoc = QTextDocument(self)
        self.qdoc.setDocumentLayout(QPlainTextDocumentLayout(self.qdoc))
        self.path: Path | None = None
        self.revision = 0
        self.change_source: object | None = None  # who made the edit being reported, if it was us
        self.newline = "\n"
        self.bom = False
        self._original = ""
        self._original_normal = ""
        self._text: tuple[int, str] = (-1, "")
        self._doc: tuple[int, Document, str] | None = None
        self._kinds: dict[str, Kind] | None = None
        self.qdoc.contentsChange.connect(self._on_contents_change)
        self.qdoc.modificationChanged.connect(self.modifiedChanged)

    # -- loading and saving -------------------------------------------------------------------
    def load(self, file_text: str, path: Path | None, *, modified: bool = False) -> None:
        """Replaces the document (no undo back past this point)."""
        self.bom = file_text.startswith("\ufeff")
        text = file_text[1:] if self.bom else file_text
        self.newline = "\r\n" if "\r\n" in text else "\n"
        normal = text.replace("\r\n", "\n").replace("\r", "\n")
        self._original, self._original_normal = file_text, normal
        self.path = Path(path) if path else None
        self.qdoc.setUndoRedoEnabled(False)
        self.qdoc.setPlainText(normal)
        self.qdoc.setUndoRedoEnabled(True)
        self.qdoc.setModified(modified)
        self.loaded.emit()

    def file_text(self, text: str | None = None) -> str:
        """What to write to disk: the original bytes when nothing changed, else the text in the file's style."""
        text = self.text() if text is None else text
        if text == self._original_normal:
            return self._original
        out = text.replace("\n", self.newline) if self.newline != "\n" else text
        return ("\ufeff" if self.bom else "") + out

    def mark_saved(self, path: Path, written: str, revision: int) -> None:
        """Records a finished save of the text at ``revision``; clears the modified mark if still current."""
        self.path = Path(path)
        self._original = written
        self._original_normal = (written[1:] if written.startswith("\ufeff") else written).replace("\r\n", "\n")
        if revision == self.revision:
            self.qdoc.setModified(False)

    @property
    def modified(self) -> bool:
        return self.qdoc.isModified()

    @property
    def name(self) -> str:
        return self.path.name if self.path else "Untitled"

    # -- reading ---------------------------------------------------------------------------------
    def text(self) -> str:
        rev, text = self._text
        if rev != self.revision:
            text = self.qdoc.toRawText().replace("\u2029", "\n")
            self._text = (self.revision, text)
        return text

    def document(self) -> Document:
        """The parsed current text (cached per revision); never raises."""
        if self._doc is None or self._doc[0] != self.revision:
            doc, problem = lenient_parse(self.text())
            self._doc = (self.revision, doc, problem)
        return self._doc[1]

    @property
    def parse_problem(self) -> str:
        self.document()
        return self._doc[2] if self._doc else ""

    def kinds(self) -> dict[str, Kind]:
        if self._kinds is None:
            self._kinds = load_kinds()
        return self._kinds

    def kind(self) -> Kind:
        kinds = self.kinds()
        return kinds.get(self.document().kind) or kinds["exit-interview"]

    # -- editing ---------------------------------------------------------------------------------
    def replace(self, start: int, end: int, text: str, *, source: object | None = None) -> None:
        """One edit of the file text; a plain insertion merges with neighbouring typing in the undo history."""
        size = self.qdoc.characterCount() - 1
        start, end = max(0, min(start, size)), max(0, min(end, size))
        if start == end and not text:
            return
        cur = QTextCursor(self.qdoc)
        previous, self.change_source = self.change_source, source
        try:
            if start == end:
                cur.setPosition(start)
                cur.insertText(text)
            else:
                cur.beginEditBlock()
                cur.setPosition(start)
                cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cur.insertText(text)
                cur.endEditBlock()
        finally:
            self.change_source = previous

    def apply(self, edit: Edit, *, source: object | None = None) -> None:
        """Applies an outline edit as the smallest replacement that has the same result."""
        current = self.text()[edit.start : edit.end]
        a, b, new = minimal_change(current, edit.text)
        self.replace(edit.start + a, edit.start + b, new, source=source)

    def set_text(self, text: str, *, source: object | None = None) -> None:
        a, b, new = minimal_change(self.text(), text)
        self.replace(a, b, new, source=source)

    def undo(self) -> None:
        self._history(self.qdoc.undo)

    def redo(self) -> None:
        self._history(self.qdoc.redo)

    def _history(self, step) -> None:
        previous, self.change_source = self.change_source, HISTORY
        try:
            step()
        finally:
            self.change_source = previous

    def _on_contents_change(self, _pos: int, removed: int, added: int) -> None:
        if removed == 0 and added == 0:
            return
        self.revision += 1
        self.changed.emit(self.revision)


def minimal_change(old: str, new: str) -> tuple[int, int, str]:
    """(start, end, replacement) turning ``old`` into ``new`` by replacing as little as possible."""
    if old == new:
        return 0, 0, ""
    limit = min(len(old), len(new))
    p = 0
    while p < limit and old[p] == new[p]:
        p += 1
    s = 0
    while s < limit - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    return p, len(old) - s, new[p : len(new) - s]
