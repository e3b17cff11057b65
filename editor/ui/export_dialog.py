"""The Export dialog: theme, page size, draft, redacted review copy, one PDF per recipient, folder.

Each PDF is rendered by a child process (`onrecord export - ...`, the text sent on stdin), like
ReText's converter process: weasyprint never runs in the editor's process, so a crash or a hang
in rendering shows an error here and cannot take the editor or its unsaved text down.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QProcess, QProcessEnvironment, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.errors import DocumentError
from editor.fileformat import parse, with_meta
from editor.model import Document
from editor.ui import theme as ui_theme

PAGE_SIZES = (("letter", "US Letter"), ("a4", "A4"))
THEMES = (("executive", "Executive (serif)"), ("modern", "Modern (sans)"))
JOB_TIMEOUT_MS = 90_000


@dataclass(frozen=True)
class ExportJob:
    output: Path
    for_name: str | None
    label: str  # what the progress line says


def renderer_command() -> list[str]:
    """How to start the renderer: the bundle's own executable, or this Python with `-m app`."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "app"]


def safe_file_part(text: str) -> str:
    """A name that is safe in a file name on every system (no slashes, no dots at the start)."""
    cleaned = re.sub(r"[^\w .,'()-]+", " ", text, flags=re.UNICODE).strip(" .")
    return re.sub(r"\s+", " ", cleaned)[:80] or "document"


def recipients_of(doc: Document) -> list[tuple[str, str]]:
    out = []
    for r in doc.meta.get("recipients") or []:
        if isinstance(r, dict) and str(r.get("name") or "").strip():
            out.append((str(r["name"]).strip(), str(r.get("role") or "").strip()))
    return out


class ExportDialog(QDialog):
    """``exported(list[str])`` when every PDF is written; ``failed(str)`` with the renderer's one line."""

    exported = Signal(list)
    failed = Signal(str)

    def __init__(self, text: str, path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export PDF")
        self.setAccessibleName("Export PDF")
        self.text = text
        self.path = Path(path) if path else None
        self.command = renderer_command()
        self.doc: Document | None = None
        self.parse_error = ""
        try:
            self.doc = parse(text)
        except DocumentError as exc:
            self.parse_error = str(exc)
        self._jobs: list[ExportJob] = []
        self._done: list[str] = []
        self._running = False
        self._current: ExportJob | None = None
        self._process = QProcess(self)
        self._process.finished.connect(self._finished)
        self._process.errorOccurred.connect(self._process_error)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._timed_out)
        self._build()
        self._fill()
        self._update_preview()

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.theme = QComboBox()
        for key, label in THEMES:
            self.theme.addItem(label, key)
        self.theme.setAccessibleName("Theme")
        self.page_size = QComboBox()
        for key, label in PAGE_SIZES:
            self.page_size.addItem(label, key)
        self.page_size.setAccessibleName("Page size")
        self.page_size.setToolTip("Taken from the document; a change here is saved into the exported copy only.")
        self.draft = QCheckBox("&Draft: stamp DRAFT on every page and show review marks")
        self.draft.setAccessibleName("Draft")
        self.redact = QCheckBox("&Review copy: replace every name with the person's role")
        self.redact.setAccessibleName("Redact names")
        self.per_recipient = QCheckBox("One PDF &per recipient, each saying who it was prepared for")
        self.per_recipient.setAccessibleName("One PDF per recipient")
        self.recipients = QListWidget()
        self.recipients.setAccessibleName("Recipients")
        self.recipients.setAccessibleDescription("Check the recipients who get their own copy.")
        self.recipients.setMaximumHeight(120)
        self.folder = QLineEdit()
        self.folder.setAccessibleName("Output folder")
        self.choose = QPushButton("&Choose…")
        self.choose.setAccessibleName("Choose the output folder")
        self.choose.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose)
        self.files = QLabel()
        self.files.setObjectName("panelHint")
        self.files.setWordWrap(True)
        self.files.setAccessibleName("Files to be written")
        self.files.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Export status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        theme_label = QLabel("&Theme")
        theme_label.setBuddy(self.theme)
        size_label = QLabel("Page &size")
        size_label.setBuddy(self.page_size)
        folder_label = QLabel("&Folder")
        folder_label.setBuddy(self.folder)
        form.addRow(theme_label, self.theme)
        form.addRow(size_label, self.page_size)
        form.addRow(folder_label, folder_row)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setAccessibleName("Export")
        self.export_button.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        self.export_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self._close_or_cancel)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.draft)
        lay.addWidget(self.redact)
        lay.addWidget(self.per_recipient)
        lay.addWidget(self.recipients)
        lay.addWidget(self.files)
        lay.addWidget(self.progress)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)

        for w in (self.theme, self.page_size):
            w.currentIndexChanged.connect(self._update_preview)
        for w in (self.draft, self.redact, self.per_recipient):
            w.toggled.connect(self._update_preview)
        self.folder.textChanged.connect(self._update_preview)
        self.recipients.itemChanged.connect(self._update_preview)
        self.setTabOrder(self.theme, self.page_size)
        self.setTabOrder(self.page_size, self.folder)
        self.setTabOrder(self.folder, self.choose)
        self.setTabOrder(self.choose, self.draft)
        self.setTabOrder(self.draft, self.redact)
        self.setTabOrder(self.redact, self.per_recipient)
        self.setTabOrder(self.per_recipient, self.recipients)
        self.setTabOrder(self.recipients, self.export_button)
        self.setTabOrder(self.export_button, self.close_button)

    def _fill(self) -> None:
        from editor.settings import load_settings

        settings = load_settings().export
        doc = self.doc
        meta = doc.meta if doc else {}
        chosen = str(meta.get("theme") or settings.theme or "executive").lower()
        self.theme.setCurrentIndex(max(self.theme.findData(chosen), 0))
        size = str(meta.get("page_size") or "letter").lower()
        self.page_size.setCurrentIndex(max(self.page_size.findData(size), 0))
        self.folder.setText(str(self.path.parent if self.path else Path.home()))
        people = recipients_of(doc) if doc else []
        for name, role in people:
            item = QListWidgetItem(f"{name} ({role})" if role else name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.recipients.addItem(item)
        self.per_recipient.setEnabled(bool(people))
        self.per_recipient.setChecked(bool(people))
        if not people:
            self.per_recipient.setToolTip("Add recipients in the Delivery panel to export one copy each.")
        if self.parse_error:
            self._show_error(self.parse_error)
            self.export_button.setEnabled(False)

    # --- planning -----------------------------------------------------------------------------

    def stem(self) -> str:
        if self.path:
            return safe_file_part(self.path.stem)
        title = self.doc.title if self.doc else ""
        return safe_file_part(title) if title else "On Record"

    def checked_recipients(self) -> list[str]:
        out = []
        for i in range(self.recipients.count()):
            item = self.recipients.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def planned_jobs(self) -> list[ExportJob]:
        folder = Path(self.folder.text().strip() or ".").expanduser()
        tags = (" - review copy" if self.redact.isChecked() else "") + (" - DRAFT" if self.draft.isChecked() else "")
        stem = self.stem()
        if self.per_recipient.isChecked() and self.per_recipient.isEnabled():
            return [
                ExportJob(folder / f"{stem} - for {safe_file_part(n)}{tags}.pdf", n, f"copy for {n}")
                for n in self.checked_recipients()
            ]
        return [ExportJob(folder / f"{stem}{tags}.pdf", None, "the PDF")]

    def _update_preview(self) -> None:
        self.recipients.setEnabled(self.per_recipient.isChecked() and self.per_recipient.isEnabled())
        jobs = self.planned_jobs()
        if not jobs:
            self.files.setText("Check at least one recipient.")
            self.export_button.setEnabled(False)
            return
        lines = []
        for j in jobs:
            note = " (replaces the existing file)" if j.output.exists() else ""
            lines.append(f"{j.output.name}{note}")
        self.files.setText("Writes: " + "; ".join(lines))
        self.export_button.setEnabled(not self.parse_error and not self._running)

    def export_text(self) -> str:
        """The text sent to the renderer: the editor's text, with the page size chosen here."""
        if self.doc is None:
            return self.text
        size = self.page_size.currentData()
        if str(self.doc.meta.get("page_size") or "letter").lower() == size:
            return self.text
        return with_meta(self.doc, {**self.doc.meta, "page_size": size})

    def arguments(self, job: ExportJob) -> list[str]:
        args = [*self.command[1:], "export", "-", "-o", str(job.output), "--theme", self.theme.currentData()]
        if job.for_name:
            args += ["--for", job.for_name]
        if self.redact.isChecked():
            args.append("--redact")
        if self.draft.isChecked():
            args.append("--draft")
        return args

    # --- running ------------------------------------------------------------------------------

    def is_running(self) -> bool:
        return self._running

    def start(self) -> None:
        if self._running or self.parse_error:
            return
        folder = Path(self.folder.text().strip()).expanduser()
        if not folder.is_dir():
            self._show_error(f"The folder {folder} does not exist.")
            return
        self._jobs = self.planned_jobs()
        if not self._jobs:
            return
        self._done = []
        self.progress.setRange(0, len(self._jobs))
        self.progress.setValue(0)
        self.progress.show()
        self._set_running(True)
        self._next()

    def _set_running(self, running: bool) -> None:
        self._running = running
        for w in (self.theme, self.page_size, self.draft, self.redact, self.per_recipient, self.folder, self.choose):
            w.setEnabled(not running)
        self.recipients.setEnabled(not running and self.per_recipient.isChecked())
        self.export_button.setEnabled(not running)
        self.close_button.setText("Cancel" if running else "Close")
        if not running:
            self.per_recipient.setEnabled(self.recipients.count() > 0)

    def _next(self) -> None:
        if not self._running:
            return
        index = len(self._done)
        job = self._jobs[index]
        self.status.setStyleSheet("")
        self.status.setText(f"Exporting {index + 1} of {len(self._jobs)}: {job.label}…")
        self._current = job
        self._process.setProcessEnvironment(QProcessEnvironment.systemEnvironment())
        self._process.start(self.command[0], self.arguments(job))
        self._process.write(self.export_text().encode("utf-8"))
        self._process.closeWriteChannel()
        self._timer.start(JOB_TIMEOUT_MS)

    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._timer.stop()
        err = bytes(self._process.readAllStandardError()).decode("utf-8", "replace").strip()
        self._process.readAllStandardOutput()
        if not self._running:
            return  # cancelled or timed out: already reported
        if status == QProcess.ExitStatus.CrashExit:
            self._fail("The PDF renderer stopped unexpectedly. Nothing was lost: your text is still in the editor.")
            return
        if code != 0:
            message = _last_line(err) or f"The renderer exited with code {code}."
            self._fail(message.removeprefix("onrecord: "))
            return
        self._done.append(str(self._current.output))
        self.progress.setValue(len(self._done))
        if len(self._done) < len(self._jobs):
            QTimer.singleShot(0, self._next)  # start the next copy outside this signal
            return
        self._set_running(False)
        n = len(self._done)
        self.status.setStyleSheet("")
        self.status.setText(f"Exported {n} PDF{'s' * (n != 1)} to {Path(self._done[0]).parent}.")
        self._update_preview()
        self.exported.emit(list(self._done))

    def _process_error(self, error: QProcess.ProcessError) -> None:
        if not self._running or error != QProcess.ProcessError.FailedToStart:
            return  # crashes and exits arrive through finished()
        self._timer.stop()
        self._fail(f"Could not start the PDF renderer ({self._process.errorString()}).")

    def _stop_process(self) -> None:
        self._timer.stop()
        if self._process.state() != QProcess.ProcessState.NotRunning:
            self._process.kill()
            self._process.waitForFinished(2000)  # SIGKILL: returns at once

    def _timed_out(self) -> None:
        if not self._running:
            return
        self._running = False
        self._stop_process()
        self._fail("The PDF renderer took too long and was stopped. Your text is still in the editor.")

    def _fail(self, message: str) -> None:
        self._set_running(False)
        self.progress.hide()
        self._show_error(message)
        self._update_preview()
        self.failed.emit(message)

    def _show_error(self, message: str) -> None:
        self.status.setStyleSheet(f"color: {ui_theme.colors(self.palette()).error.name()}; font-weight: bold;")
        self.status.setText(message)

    def cancel(self) -> None:
        if not self._running:
            return
        self._running = False
        self._stop_process()
        self._set_running(False)
        self.progress.hide()
        self.status.setStyleSheet("")
        self.status.setText("Export cancelled.")
        self._update_preview()

    def _close_or_cancel(self) -> None:
        if self._running:
            self.cancel()
        else:
            self.reject()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to folder", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def closeEvent(self, event) -> None:
        self.cancel()
        super().closeEvent(event)

    def reject(self) -> None:
        self.cancel()
        super().reject()


def _last_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else ""
