"""Reviewer mode in the editor: typing becomes suggestions, marks are drawn in colour with who made them.

``ReviewerMode`` attaches to a QPlainTextEdit that shows the whole file text (the full-text view). While
it is on, the editor is read-only to Qt's own editing and every key that would change the text goes
through ``editor.review.suggest`` instead, so nothing — cut, paste, drag and drop, input methods — can
change the text behind the reviewer's back. ``MarkFormats`` colours marks across lines; another
highlighter can call it from its ``highlightBlock``, or ``MarkHighlighter`` uses it alone.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolTip,
    QWidget,
)

from editor.criticmarkup import KIND_LABELS, Mark, find_marks
from editor.errors import DocumentError
from editor.review import suggest
from editor.review.frontmatter import header
from editor.review.log import Entry, mark_ids, read_log
from editor.review.textdiff import text_edits

# Mark colours (foreground, background) for light and dark palettes.
_LIGHT = {
    "insertion": ("#17642c", "#e3f3e6"),
    "deletion": ("#a51d1d", "#fbe4e4"),
    "highlight": (None, "#fff0a0"),
    "comment": ("#6b4e00", "#fff4cf"),
    "delimiter": ("#9aa0a6", None),
}
_DARK = {
    "insertion": ("#8fe0a3", "#1f3a26"),
    "deletion": ("#f29a94", "#4a2222"),
    "highlight": (None, "#5a4e12"),
    "comment": ("#f2d58a", "#43381b"),
    "delimiter": ("#7d858f", None),
}


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def mark_colours(palette: QPalette) -> dict[str, tuple[QColor | None, QColor | None]]:
    table = _DARK if _is_dark(palette) else _LIGHT
    return {k: (QColor(f) if f else None, QColor(b) if b else None) for k, (f, b) in table.items()}


def when_label(stamp: str) -> str:
    """'25 Nov 11:58' for a log time; the stamp as written when it is not one."""
    try:
        return datetime.strptime(stamp, "%Y-%m-%d %H:%M").strftime("%-d %b %H:%M")
    except ValueError:
        return stamp


def byline(entry: Entry | None) -> str:
    if entry is None:
        return "reviewer unknown"
    return f"{entry.by} · {when_label(entry.at)}" if entry.at else entry.by


class MarkFormats:
    """The colours of the review marks of one QTextDocument, recomputed once per change of its text."""

    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        self.document = document
        self._text: str | None = None
        self._marks: list[Mark] = []
        self._prev_marks: list[Mark] = []
        self._log: dict[str, Entry] = {}
        self._ids: list[str] = []
        self.set_palette(palette)

    def set_palette(self, palette: QPalette) -> None:
        colours = mark_colours(palette)
        self._fmt: dict[str, QTextCharFormat] = {}
        for kind, (fg, bg) in colours.items():
            f = QTextCharFormat()
            if fg is not None:
                f.setForeground(fg)
            if bg is not None:
                f.setBackground(bg)
            if kind == "insertion":
                f.setFontUnderline(True)
            elif kind == "deletion":
                f.setFontStrikeOut(True)
            elif kind == "comment":
                f.setFontItalic(True)
            elif kind == "delimiter":
                f.setFontWeight(QFont.Weight.Light)
            self._fmt[kind] = f

    def _refresh(self) -> None:
        text = self.document.toPlainText()  # compared, not the revision: setPlainText starts revisions over
        if text == self._text:
            return
        self._text = text
        self._prev_marks = self._marks
        try:
            meta, start = header(text)
            self._log = read_log(meta)
        except DocumentError:
            start, self._log = 0, {}
        self._marks = find_marks(text, start)
        self._ids = mark_ids(self._marks)

    def marks(self) -> list[Mark]:
        self._refresh()
        return list(self._marks)

    def mark_at(self, pos: int) -> tuple[Mark, Entry | None] | None:
        self._refresh()
        for m, mid in zip(self._marks, self._ids, strict=True):
            if m.start <= pos < m.end:
                return m, self._log.get(mid)
        return None

    def spans(self, start: int, end: int) -> list[tuple[int, int, QTextCharFormat]]:
        """(start, end, format) pieces for the marks in [start, end), in document offsets."""
        self._refresh()
        out = []
        for m in self._marks:
            if m.end <= start or m.start >= end:
                continue
            pieces = [(m.start, m.end, "delimiter")]
            if m.kind == "substitution":
                pieces += [(*m.old_span, "deletion"), (*m.new_span, "insertion")]
            elif m.kind in ("deletion", "highlight"):
                pieces.append((*m.old_span, m.kind))
            else:
                pieces.append((*m.new_span, m.kind))
            for a, b, kind in pieces:
                a, b = max(a, start), min(b, end)
                if a < b:
                    out.append((a, b, self._fmt[kind]))
        return out

    def inside_at_end(self, block: QTextBlock) -> int:
        """A block state that changes when a mark runs on past this block (so Qt repaints the next one)."""
        end = block.position() + block.length()
        for m in self._marks:
            if m.start < end <= m.end - 1:
                return 1 + list(KIND_LABELS).index(m.kind)
        return 0

    def apply(self, highlighter: QSyntaxHighlighter, block: QTextBlock, *, set_state: bool = True) -> None:
        """Draws the marks of ``block``; call from a highlighter's ``highlightBlock``."""
        base = block.position()
        for a, b, fmt in self.spans(base, base + block.length()):
            highlighter.setFormat(a - base, b - a, fmt)
        if set_state:
            highlighter.setCurrentBlockState(self.inside_at_end(block))

    def attach(self, highlighter: QSyntaxHighlighter) -> None:
        """Repaints lines *above* an edit when the edit changes a mark that starts there (closing a mark
        three lines down colours the lines between); Qt's highlighter only moves forwards by itself.
        Call after the highlighter is set on the document."""
        self._highlighter = highlighter
        self.document.contentsChange.connect(self._contents_change)

    def _contents_change(self, pos: int, _removed: int, _added: int) -> None:
        self._refresh()
        starts = [m.start for m in (*self._prev_marks, *self._marks) if m.start < pos <= m.end]
        if not starts:
            return
        first = self.document.findBlock(min(starts)).blockNumber()
        last = self.document.findBlock(pos).blockNumber()
        if first < last:
            QTimer.singleShot(0, lambda: self._repaint(first, last))

    def _repaint(self, first: int, last: int) -> None:
        for n in range(first, last):
            block = self.document.findBlockByNumber(n)
            if block.isValid():
                self._highlighter.rehighlightBlock(block)


class MarkHighlighter(QSyntaxHighlighter):
    """Colours review marks on its own, for editors without another highlighter."""

    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        self.formats = MarkFormats(document, palette)
        super().__init__(document)
        self.formats.attach(self)

    def highlightBlock(self, text: str) -> None:
        self.formats.apply(self, self.currentBlock())


def describe(mark: Mark, entry: Entry | None) -> str:
    """The tooltip of a mark: what it is, who made it and when."""
    head = f"{KIND_LABELS[mark.kind]} — {byline(entry)}"
    if mark.kind == "substitution":
        return f"{head}\n“{mark.old.strip()}” → “{mark.new.strip()}”"
    if mark.kind == "comment":
        return f"{head}\n{mark.new.strip()}"
    return head


class MarkTooltips(QObject):
    """Shows who made a mark, and when, on hover; other tooltips of the editor still work."""

    def __init__(self, editor: QPlainTextEdit, formats: MarkFormats) -> None:
        super().__init__(editor)
        self.editor, self.formats = editor, formats
        editor.viewport().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = self.editor.cursorForPosition(event.pos()).position()
            found = self.formats.mark_at(pos)
            if found is not None:
                QToolTip.showText(event.globalPos(), describe(*found), self.editor.viewport())
                return True
        return False


def apply_text(editor: QPlainTextEdit, new_text: str, cursor: int | None = None, anchor: int | None = None, *,
               join: bool = False) -> None:  # fmt: skip
    """Turns the editor's text into ``new_text`` with the smallest edits, as one undo step."""
    old = editor.toPlainText()
    edits = text_edits(old, new_text)
    cur = QTextCursor(editor.document())
    if edits:
        if join:
            cur.joinPreviousEditBlock()
        else:
            cur.beginEditBlock()
        for start, end, repl in reversed(edits):
            cur.setPosition(start)
            cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cur.insertText(repl)
        cur.endEditBlock()
    if cursor is not None:
        view = editor.textCursor()
        view.setPosition(cursor if anchor is None else anchor)
        if anchor is not None:
            view.setPosition(cursor, QTextCursor.MoveMode.KeepAnchor)
        editor.setTextCursor(view)
        editor.ensureCursorVisible()


class ReviewerMode(QObject):
    """Turns a QPlainTextEdit's editing into suggestions while active (see the module docstring)."""

    activeChanged = Signal(bool)
    refused = Signal(str)  # a plain-words reason an edit could not be made as a suggestion
    suggested = Signal()  # the text changed through a suggestion

    def __init__(self, editor: QPlainTextEdit, reviewer: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent or editor)
        self.editor = editor
        self.reviewer = reviewer.strip()
        self._active = False
        self._saved: tuple | None = None
        self._last_cursor: int | None = None
        self.toggle_action = QAction("Reviewer mode", self)
        self.toggle_action.setCheckable(True)
        self.toggle_action.setToolTip("Suggest edits and comment instead of changing the text")
        self.toggle_action.toggled.connect(self.set_active)
        self.comment_action = QAction("Comment", self)
        self.comment_action.setShortcut(QKeySequence("Ctrl+Alt+M"))
        self.comment_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.comment_action.setToolTip("Comment on the selected words (Ctrl+Alt+M)")
        self.comment_action.setEnabled(False)
        self.comment_action.triggered.connect(lambda: self.add_comment(""))
        editor.addAction(self.comment_action)

    # -- switching -----------------------------------------------------------------------------------
    def is_active(self) -> bool:
        return self._active

    def set_reviewer(self, name: str) -> None:
        self.reviewer = name.strip()

    def set_active(self, on: bool) -> None:
        if on == self._active:
            return
        ed = self.editor
        if on:
            self._saved = (ed.isReadOnly(), ed.textInteractionFlags(), ed.contextMenuPolicy(), ed.acceptDrops())
            ed.setReadOnly(True)
            ed.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            ed.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            ed.customContextMenuRequested.connect(self._context_menu)
            ed.setAcceptDrops(False)
            ed.installEventFilter(self)
        else:
            ed.removeEventFilter(self)
            ed.customContextMenuRequested.disconnect(self._context_menu)
            read_only, flags, policy, drops = self._saved or (False, None, None, True)
            ed.setReadOnly(read_only)
            if flags is not None:
                ed.setTextInteractionFlags(flags)
            if policy is not None:
                ed.setContextMenuPolicy(policy)
            ed.setAcceptDrops(drops)
        self._active = on
        self.comment_action.setEnabled(on)
        if self.toggle_action.isChecked() != on:
            self.toggle_action.setChecked(on)
        self.activeChanged.emit(on)

    # -- operations ----------------------------------------------------------------------------------
    def _who(self) -> str:
        return self.reviewer or "Reviewer"

    def _run(self, op, *, typing: bool = False) -> bool:
        text = self.editor.toPlainText()
        try:
            result = op(text)
        except suggest.Refused as exc:
            self.refused.emit(str(exc))
            return False
        except DocumentError as exc:
            self.refused.emit(f"The document's header cannot be read, so no suggestion was made: {exc}")
            return False
        join = typing and self._last_cursor == self.editor.textCursor().position()
        apply_text(self.editor, result.text, result.cursor, result.anchor, join=join)
        self._last_cursor = result.cursor if typing else None
        if result.text != text:
            self.suggested.emit()
        return True

    def _selection(self) -> tuple[int, int]:
        c = self.editor.textCursor()
        return c.selectionStart(), c.selectionEnd()

    def type_text(self, typed: str) -> bool:
        a, b = self._selection()
        return self._run(lambda t: suggest.type_text(t, a, b, typed, self._who()), typing=a == b)

    def backspace(self) -> bool:
        a, b = self._selection()
        if a != b:
            return self._run(lambda t: suggest.delete(t, a, b, self._who(), forward=False))
        return self._run(lambda t: suggest.backspace(t, a, self._who()))

    def delete(self) -> bool:
        a, b = self._selection()
        if a != b:
            return self._run(lambda t: suggest.delete(t, a, b, self._who(), forward=True))
        return self._run(lambda t: suggest.delete_forward(t, a, self._who()))

    def delete_word(self, forward: bool) -> bool:
        c = self.editor.textCursor()
        if not c.hasSelection():
            c.movePosition(
                QTextCursor.MoveOperation.NextWord if forward else QTextCursor.MoveOperation.StartOfWord,
                QTextCursor.MoveMode.KeepAnchor,
            )
            if not c.hasSelection() and not forward:
                c.movePosition(QTextCursor.MoveOperation.PreviousWord, QTextCursor.MoveMode.KeepAnchor)
        a, b = c.selectionStart(), c.selectionEnd()
        return self._run(lambda t: suggest.delete(t, a, b, self._who(), forward=forward))

    def add_comment(self, note: str = "") -> bool:
        """Comments on the selection (or at the cursor); with no ``note`` the cursor waits inside the comment."""
        a, b = self._selection()
        ok = self._run(lambda t: suggest.comment(t, a, b, note, self._who()))
        self.editor.setFocus()
        return ok

    def cut(self) -> bool:
        c = self.editor.textCursor()
        if not c.hasSelection():
            return False
        QGuiApplication.clipboard().setText(c.selectedText().replace("\u2029", "\n"))
        return self.delete()

    def paste(self) -> bool:
        text = QGuiApplication.clipboard().text()
        return self.type_text(text.replace("\r\n", "\n")) if text else False

    # -- events ----------------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        if obj is self.editor and event.type() == QEvent.Type.KeyPress:
            return self._key(event)
        return False

    def _key(self, ev: QKeyEvent) -> bool:
        S = QKeySequence.StandardKey
        if ev.matches(S.Undo):
            self.editor.document().undo()
            return True
        if ev.matches(S.Redo):
            self.editor.document().redo()
            return True
        if ev.matches(S.Cut):
            self.cut()
            return True
        if ev.matches(S.Paste):
            self.paste()
            return True
        if ev.matches(S.DeleteStartOfWord):
            self.delete_word(False)
            return True
        if ev.matches(S.DeleteEndOfWord):
            self.delete_word(True)
            return True
        key = ev.key()
        if key == Qt.Key.Key_Backspace:
            self.backspace()
            return True
        if key == Qt.Key.Key_Delete:
            self.delete()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.type_text("\n")
            return True
        mods = ev.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        text = ev.text()
        if (
            text
            and text.isprintable()
            and not mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier)
        ):
            self.type_text(text)
            return True
        return False  # navigation, selection, copy: Qt handles them (the editor is read-only to it)

    def _context_menu(self, pos) -> None:
        menu = QMenu(self.editor)
        copy = menu.addAction("Copy", self.editor.copy)
        copy.setEnabled(self.editor.textCursor().hasSelection())
        menu.addAction(self.comment_action)
        menu.addSeparator()
        menu.addAction(self.toggle_action)
        menu.popup(self.editor.mapToGlobal(pos))


class ReviewerBar(QWidget):
    """The strip above the editor in reviewer mode: who is reviewing, the Comment button, what is under the cursor."""

    def __init__(self, mode: ReviewerMode, formats: MarkFormats, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode, self.formats = mode, formats
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.at_cursor = QLabel()
        self.at_cursor.setTextFormat(Qt.TextFormat.PlainText)
        self.at_cursor.setAccessibleName("Mark at the cursor")
        pal = self.at_cursor.palette()
        pal.setColor(QPalette.ColorRole.WindowText, pal.color(QPalette.ColorRole.PlaceholderText))
        self.at_cursor.setPalette(pal)
        self.comment_button = QPushButton("Comment")
        self.comment_button.setToolTip(mode.comment_action.toolTip())
        self.comment_button.clicked.connect(lambda: mode.add_comment(""))
        self.stop_button = QPushButton("Stop reviewing")
        self.stop_button.clicked.connect(lambda: mode.set_active(False))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.title)
        row.addSpacing(12)
        self.at_cursor.setMinimumWidth(40)
        self.at_cursor.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.at_cursor, 1)
        row.addWidget(self.comment_button)
        row.addWidget(self.stop_button)
        self.setAutoFillBackground(True)
        bar = self.palette()
        bar.setColor(QPalette.ColorRole.Window, mark_colours(bar)["comment"][1])
        self.setPalette(bar)
        mode.activeChanged.connect(self._active_changed)
        mode.refused.connect(self.show_refusal)
        mode.editor.cursorPositionChanged.connect(self.update_cursor)
        self._active_changed(mode.is_active())

    def _active_changed(self, on: bool) -> None:
        self.setVisible(on)
        self.title.setText(f"Reviewing as {self.mode.reviewer or 'Reviewer'}: your edits become suggestions.")
        self.title.setToolTip(
            "Typing, deleting and pasting are kept as suggested edits the writer accepts or rejects; "
            "Comment attaches a note to the selected words. The writer's text itself is never changed."
        )
        self.update_cursor()

    def show_refusal(self, message: str) -> None:
        self._show(message)

    def update_cursor(self) -> None:
        if not self.mode.is_active():
            return
        pos = self.mode.editor.textCursor().position()
        found = self.formats.mark_at(pos) or self.formats.mark_at(pos - 1)
        self._show(" ".join(describe(*found).replace("\n", ": ", 1).split()) if found else "")

    def _show(self, text: str) -> None:
        """Shows ``text`` in the strip, shortened to fit; the whole of it is in the tooltip."""
        self.at_cursor.setToolTip(text)
        self.at_cursor.setProperty("full_text", text)
        width = max(40, self.at_cursor.width())
        metrics = self.at_cursor.fontMetrics()
        self.at_cursor.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, width))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._show(self.at_cursor.property("full_text") or "")
