"""The writer's review panel: every open mark in order, with who made it, and the decisions on it.

It attaches to the QPlainTextEdit that shows the whole file text and changes that text only through
``editor.review.actions`` (one undo step per decision). It also sends review copies and imports the
marked-up copy that comes back; the disk and weasyprint work runs on the thread pool, never on the UI
thread. ``openSectionsChanged`` tells an outline which sections still have open marks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from editor.errors import DocumentError
from editor.fileformat import parse, read_text, write_atomic
from editor.review import actions
from editor.review.copies import make_review_copy, record_copy
from editor.review.merge import merge_review
from editor.review.threads import Item, review_items, sections_with_open_marks
from editor.ui.review_mode import apply_text, byline, mark_colours

HEAD_ROLE = Qt.ItemDataRole.UserRole + 1


def kind_icon(kind: str, palette: QPalette, size: int = 12) -> QIcon:
    """A small swatch in the mark's colour, so the list reads like the editor."""
    colours = mark_colours(palette)
    key = {"substitution": "insertion", "highlight": "comment"}.get(kind, kind)
    fg, bg = colours[key]
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(fg or QColor("#888"))
    p.setBrush(bg or QColor("#fff0a0"))
    p.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    p.end()
    return QIcon(pm)


def item_text(item: Item) -> str:
    """Three lines (what, where; the proposal; who and when) and one per reply."""
    lines = [f"{item.label} · {item.section}", item.summary, byline(item.entry)]
    replies = item.messages if item.is_edit else item.messages[1:]
    lines += [f"↳ {msg.entry.by if msg.entry else 'unknown'}: {' '.join(msg.text.split())}" for msg in replies]
    return "\n".join(lines)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    """Runs ``work`` on the thread pool; a DocumentError comes back as a message, never a traceback."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except DocumentError as exc:
            self.signals.failed.emit(str(exc))
        except OSError as exc:
            self.signals.failed.emit(f"The file could not be written: {exc.strerror or exc}.")
        except Exception as exc:  # a renderer failure must reach the writer as words, not a silent stop
            self.signals.failed.emit(f"That did not work ({type(exc).__name__}: {exc}). Nothing was changed.")
        else:
            self.signals.done.emit(result)


def write_review_files(copy_text: str, md_path: Path, pdf_path: Path | None) -> tuple[Path, Path | None]:
    """Writes the review copy and, if asked, its DRAFT PDF with the marks shown (runs off the UI thread)."""
    write_atomic(md_path, copy_text)
    if pdf_path is not None:
        from export.pdf import export_pdf

        export_pdf(parse(copy_text), pdf_path, draft=True, marks="show", final=False)
    return md_path, pdf_path


class ReviewPanel(QWidget):
    """Lists the review items of the editor's text and applies the writer's decisions (module docstring)."""

    changed = Signal()  # the panel changed the document text
    openSectionsChanged = Signal(object)  # {section index: open items}, -1 before the first heading
    copySent = Signal(object, object)  # (md path, pdf path or None)
    reviewImported = Signal(object)  # MergeResult
    message = Signal(str)

    def __init__(self, editor: QPlainTextEdit, writer: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.writer = writer
        self.document_path: Path | None = None
        self.pool = QThreadPool.globalInstance()
        self._jobs: set[_Job] = set()
        self._items: list[Item] = []

        self.heading = QLabel("Review")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        f = self.heading.font()
        f.setBold(True)
        self.heading.setFont(f)
        self.list = QListWidget()
        self.list.setAccessibleName("Review marks")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemActivated.connect(lambda _i: self.show_current())

        self.accept_button = QPushButton("Accept")
        self.reject_button = QPushButton("Reject")
        self.resolve_button = QPushButton("Resolve")
        self.accept_all_button = QPushButton("Accept all")
        self.reject_all_button = QPushButton("Reject all")
        self.accept_button.setToolTip("Make the suggested edit")
        self.reject_button.setToolTip("Keep your text as it was")
        self.resolve_button.setToolTip("Close the comment; the text stays as it is")
        self.accept_all_button.setToolTip("Make every suggested edit (comments stay open)")
        self.reject_all_button.setToolTip("Turn down every suggested edit (comments stay open)")
        self.accept_button.clicked.connect(lambda: self._decide(actions.accept))
        self.reject_button.clicked.connect(lambda: self._decide(actions.reject))
        self.resolve_button.clicked.connect(lambda: self._decide(actions.resolve))
        self.accept_all_button.clicked.connect(lambda: self._apply(actions.accept_all))
        self.reject_all_button.clicked.connect(lambda: self._apply(actions.reject_all))
        self.reply_edit = QLineEdit()
        self.reply_edit.setPlaceholderText("Reply to this mark…")
        self.reply_edit.setAccessibleName("Reply")
        self.reply_edit.returnPressed.connect(self.reply)
        self.reply_button = QPushButton("Reply")
        self.reply_button.clicked.connect(self.reply)

        self.redact_box = QCheckBox("Replace names with roles")
        self.redact_box.setChecked(True)
        self.pdf_box = QCheckBox("Also write a DRAFT PDF showing the marks")
        self.pdf_box.setChecked(True)
        self.send_button = QPushButton("Send for review…")
        self.send_button.setToolTip("Write a copy for a reviewer to mark up in On Record")
        self.send_button.clicked.connect(self.choose_copy_path)
        self.import_button = QPushButton("Import reviewed copy…")
        self.import_button.setToolTip("Bring the reviewer's marks into this document")
        self.import_button.clicked.connect(self.choose_import_path)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        grid = QGridLayout()
        grid.addWidget(self.accept_button, 0, 0)
        grid.addWidget(self.reject_button, 0, 1)
        grid.addWidget(self.resolve_button, 0, 2)
        grid.addWidget(self.accept_all_button, 1, 0)
        grid.addWidget(self.reject_all_button, 1, 1)
        reply_row = QHBoxLayout()
        reply_row.addWidget(self.reply_edit, 1)
        reply_row.addWidget(self.reply_button)
        send_row = QHBoxLayout()
        send_row.addWidget(self.send_button)
        send_row.addWidget(self.import_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.list, 1)
        lay.addLayout(grid)
        lay.addLayout(reply_row)
        lay.addSpacing(6)
        lay.addWidget(self.redact_box)
        lay.addWidget(self.pdf_box)
        lay.addLayout(send_row)
        lay.addWidget(self.status)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh)
        editor.textChanged.connect(self._timer.start)
        self.refresh()

    # -- the list ------------------------------------------------------------------------------------
    def items(self) -> list[Item]:
        return list(self._items)

    def current_item(self) -> Item | None:
        row = self.list.currentRow()
        return self._items[row] if 0 <= row < len(self._items) else None

    def select_head(self, head_id: str) -> bool:
        for row, it in enumerate(self._items):
            if it.head_id == head_id:
                self.list.setCurrentRow(row)
                return True
        return False

    @Slot()
    def refresh(self) -> None:
        self._timer.stop()
        text = self.editor.toPlainText()
        try:
            doc = parse(text)
        except DocumentError as exc:
            self.status.setText(f"Review marks are not listed while the header cannot be read: {exc}")
            return
        if not self.writer and doc.author:
            self.writer = doc.author
        keep = self.current_item().head_id if self.current_item() else None
        self._items = review_items(doc)
        self.list.blockSignals(True)
        self.list.clear()
        pal = self.palette()
        for it in self._items:
            row = QListWidgetItem(kind_icon(it.kind, pal), item_text(it))
            row.setData(HEAD_ROLE, it.head_id)
            row.setToolTip(item_text(it))
            self.list.addItem(row)
        self.list.blockSignals(False)
        n = len(self._items)
        edits = sum(it.is_edit for it in self._items)
        self.heading.setText(
            f"Review — {n} open ({edits} edit{'s' * (edits != 1)}, {n - edits} comment{'s' * (n - edits != 1)})"
            if n
            else "Review — nothing open"
        )
        if not (keep and self.select_head(keep)) and n:
            self.list.setCurrentRow(0)
        self._update_buttons()
        self.openSectionsChanged.emit(sections_with_open_marks(doc))

    def _current_changed(self, *_args) -> None:
        self._update_buttons()
        self.show_current()

    def _update_buttons(self) -> None:
        it = self.current_item()
        self.accept_button.setEnabled(bool(it and it.is_edit))
        self.reject_button.setEnabled(bool(it and it.is_edit))
        self.resolve_button.setEnabled(bool(it and not it.is_edit))
        self.reply_button.setEnabled(it is not None)
        self.reply_edit.setEnabled(it is not None)
        any_edit = any(i.is_edit for i in self._items)
        self.accept_all_button.setEnabled(any_edit)
        self.reject_all_button.setEnabled(any_edit)

    def show_current(self) -> None:
        """Selects the current mark in the editor, so the writer sees it in place."""
        it = self.current_item()
        if it is None:
            return
        c = self.editor.textCursor()
        c.setPosition(min(it.end, len(self.editor.toPlainText())))
        c.setPosition(it.start, c.MoveMode.KeepAnchor)
        self.editor.setTextCursor(c)
        self.editor.ensureCursorVisible()

    # -- decisions -----------------------------------------------------------------------------------
    def _apply(self, op: Callable[[str], str]) -> bool:
        text = self.editor.toPlainText()
        try:
            new = op(text)
        except DocumentError as exc:
            self._say(str(exc))
            return False
        row = self.list.currentRow()
        apply_text(self.editor, new)
        self.refresh()
        if self._items:
            self.list.setCurrentRow(min(max(row, 0), len(self._items) - 1))
        self.changed.emit()
        return True

    def _decide(self, op: Callable[[str, str], str]) -> bool:
        it = self.current_item()
        return self._apply(partial(op, head_id=it.head_id)) if it else False

    def accept_current(self) -> bool:
        return self._decide(actions.accept)

    def reject_current(self) -> bool:
        return self._decide(actions.reject)

    def resolve_current(self) -> bool:
        return self._decide(actions.resolve)

    @Slot()
    def reply(self) -> bool:
        it, message = self.current_item(), self.reply_edit.text()
        if it is None or not message.strip():
            return False
        ok = self._apply(lambda t: actions.reply(t, it.head_id, message, self.writer or "Writer"))
        if ok:
            self.reply_edit.clear()
            self.select_head(it.head_id)
        return ok

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)

    # -- review copies -------------------------------------------------------------------------------
    def _dialog(self, title: str, save: bool, on_chosen: Callable[[str], None]) -> QFileDialog:
        """A non-blocking file dialog (so tests and the event loop are never stuck in exec())."""
        dlg = QFileDialog(self, title)
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dlg.setNameFilter("On Record documents (*.md)")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
        dlg.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
        dlg.setDefaultSuffix("md")
        if self.document_path is not None:
            dlg.setDirectory(str(self.document_path.parent))
            if save:
                dlg.selectFile(f"{self.document_path.stem}.review.md")
        dlg.fileSelected.connect(on_chosen)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def choose_copy_path(self) -> QFileDialog:
        return self._dialog("Save the review copy", True, self.send_for_review)

    def choose_import_path(self) -> QFileDialog:
        return self._dialog("Import the reviewer's copy", False, self.import_copy)

    def _run(self, work: Callable[[], object], done: Callable[[object], None]) -> _Job:
        job = _Job(work)
        job.signals.done.connect(done)
        job.signals.failed.connect(self._say)
        job.signals.done.connect(lambda _r, j=job: self._jobs.discard(j))
        job.signals.failed.connect(lambda _m, j=job: self._jobs.discard(j))
        self._jobs.add(job)
        self.pool.start(job)
        return job

    @Slot(str)
    def send_for_review(self, md_path: str) -> _Job | None:
        """Writes the review copy (and its DRAFT PDF) in the background, then notes it in the writer's header."""
        try:
            doc = parse(self.editor.toPlainText())
        except DocumentError as exc:
            self._say(str(exc))
            return None
        md = Path(md_path)
        if self.document_path is not None and md.resolve() == self.document_path.resolve():
            self._say("Choose another name: the review copy must not replace your own document.")
            return None
        copy = make_review_copy(doc, redact=self.redact_box.isChecked())
        pdf = md.with_suffix(".pdf") if self.pdf_box.isChecked() else None
        self._say("Writing the review copy…")

        def done(paths: object) -> None:
            apply_text(self.editor, record_copy(self.editor.toPlainText(), copy))
            md_out, pdf_out = paths  # type: ignore[misc]
            names = md_out.name + (f" and {pdf_out.name}" if pdf_out else "")
            self._say(f"Review copy written: {names}. Send it to your reviewer; import it here when it comes back.")
            self.copySent.emit(md_out, pdf_out)

        return self._run(partial(write_review_files, copy.text, md, pdf), done)

    @Slot(str)
    def import_copy(self, path: str) -> _Job:
        """Reads the reviewer's copy in the background, then merges its marks into the current text."""
        self._say("Reading the reviewer's copy…")

        def done(copy_text: object) -> None:
            try:
                result = merge_review(self.editor.toPlainText(), str(copy_text))
            except DocumentError as exc:
                self._say(str(exc))
                return
            apply_text(self.editor, result.text)
            self.refresh()
            self._say(f"Imported {Path(path).name}: {result.summary}")
            self.changed.emit()
            self.reviewImported.emit(result)

        return self._run(partial(read_text, path), done)
