"""The prose editor both views use: a readable centred column, findings underlined, tooltips with the message."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QKeySequence, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from editor.ui import theme
from editor.ui.highlighter import MarkdownHighlighter


@dataclass(frozen=True)
class Mark:
    """A finding's span in this editor's own text."""

    start: int
    end: int
    severity: str
    message: str


SERIF_FAMILIES = ["Charter", "Source Serif 4", "Georgia", "Cambria", "Liberation Serif", "DejaVu Serif", "serif"]


def prose_font(base: QFont, *, bump: float = 2.0, serif: bool = True) -> QFont:
    """The letter's own typeface: a book serif a little larger than the interface text."""
    f = QFont(base)
    if serif:
        f.setFamilies(SERIF_FAMILIES)
        f.setStyleHint(QFont.StyleHint.Serif)
    size = f.pointSizeF() if f.pointSizeF() > 0 else 10.0
    f.setPointSizeF(size + bump)
    return f


class WritingEdit(QPlainTextEdit):
    """A plain-text editor for prose; with ``route_history`` its undo/redo keys act on the whole document."""

    undoRequested = Signal()
    redoRequested = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, route_history: bool = False, column_chars: int = 78, front_matter=True
    ) -> None:
        super().__init__(parent)
        self._route_history = route_history
        self._column_chars = column_chars
        self._marks: list[Mark] = []
        self.setTabChangesFocus(True)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self.setFont(prose_font(self.font()))
        self.document().setDocumentMargin(14)
        self.highlighter = MarkdownHighlighter(self.document(), self.palette(), front_matter=front_matter)
        if route_history:
            self.document().setUndoRedoEnabled(False)

    # -- a document swapped in (the full-text view shares the session's) --------------------------
    def setDocument(self, document) -> None:
        front_matter = self.highlighter.front_matter
        super().setDocument(document)  # deletes the old document and its highlighter
        document.setDocumentMargin(14)
        document.setDefaultFont(self.font())
        self.highlighter = MarkdownHighlighter(document, self.palette(), front_matter=front_matter)

    # -- marks -------------------------------------------------------------------------------------
    def set_marks(self, marks: list[Mark]) -> None:
        self._marks = marks
        c = theme.colors(self.palette())
        colour = {"error": c.error, "warning": c.warn}
        size = self.document().characterCount() - 1
        selections = []
        for m in marks:
            start, end = max(0, min(m.start, size)), max(0, min(m.end, size))
            if end <= start:
                continue
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(colour.get(m.severity, c.info))
            fmt.setToolTip(m.message)
            cur = QTextCursor(self.document())
            cur.setPosition(start)
            cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor, sel.format = cur, fmt
            selections.append(sel)
        self.setExtraSelections(selections)

    def marks(self) -> list[Mark]:
        return list(self._marks)

    def current_mark_spans(self) -> list[tuple[int, int]]:
        """Where the underlines are now (they move with the text as it is edited)."""
        return [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in self.extraSelections()]

    def messages_at(self, pos: int) -> list[str]:
        out = []
        for s in self.extraSelections():
            if s.cursor.selectionStart() <= pos <= s.cursor.selectionEnd():
                tip = s.format.toolTip()
                if tip and tip not in out:
                    out.append(tip)
        return out

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = self.cursorForPosition(event.pos()).position()
            messages = self.messages_at(pos)
            if messages:
                QToolTip.showText(event.globalPos(), "\n\n".join(messages), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    # -- history routing ---------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._route_history:
            if event.matches(QKeySequence.StandardKey.Undo):
                self.undoRequested.emit()
                return
            if event.matches(QKeySequence.StandardKey.Redo):
                self.redoRequested.emit()
                return
        super().keyPressEvent(event)

    # -- layout --------------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        # Before the relayout, so lines wrap to the column. The editor's own width, not the event's: Qt also
        # sends the viewport's resize here, and a margin computed from the viewport's width changes that
        # width again (an endless recursion, seen with the reviewer bar appearing above the editor).
        self._centre_column()
        super().resizeEvent(event)

    def _centre_column(self, width: int | None = None) -> None:
        column = self.fontMetrics().horizontalAdvance("n") * self._column_chars
        width = self.width() if width is None else width
        spare = max(0, width - column - self.verticalScrollBar().sizeHint().width())
        side = spare // 2
        if self.viewportMargins().left() != side:
            self.setViewportMargins(side, 0, side, 0)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if not hasattr(self, "highlighter"):
            return  # still being built
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_palette(self.palette())
            self.set_marks(self._marks)
        elif event.type() == QEvent.Type.FontChange:
            self._centre_column()

    def scroll_to(self, pos: int, length: int = 0) -> None:
        cur = QTextCursor(self.document())
        size = self.document().characterCount() - 1
        cur.setPosition(max(0, min(pos, size)))
        if length:
            cur.setPosition(max(0, min(pos + length, size)), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cur)
        self.centerCursor()


def severity_colour(palette: QPalette, severity: str) -> QColor:
    c = theme.colors(palette)
    return {"error": c.error, "warning": c.warn}.get(severity, c.info)
