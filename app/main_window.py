"""The main window (minimal until the guided editor lands): shows a draft and its structure findings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QListWidget, QMainWindow, QMessageBox, QPlainTextEdit, QSplitter

from app.checks import run_check
from editor.errors import DocumentError
from editor.fileformat import parse, read_document


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.path: Path | None = None
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Document text")
        self.findings = QListWidget()
        self.findings.setAccessibleName("Findings")
        split = QSplitter()
        split.addWidget(self.editor)
        split.addWidget(self.findings)
        split.setSizes([700, 300])
        self.setCentralWidget(split)
        self.resize(1100, 750)
        self.setWindowTitle("On Record")
        self.editor.textChanged.connect(self.refresh_findings)

    def open_path(self, path: str) -> None:
        try:
            doc = read_document(path)
        except DocumentError as exc:
            QMessageBox.warning(self, "Cannot open", str(exc))
            return
        self.path = Path(path)
        self.editor.setPlainText(doc.text)
        self.setWindowTitle(f"{self.path.name} — On Record")

    def refresh_findings(self) -> None:
        self.findings.clear()
        try:
            doc = parse(self.editor.toPlainText())
        except DocumentError as exc:
            self.findings.addItem(str(exc))
            return
        for f in run_check(doc, tone=False, pages=False).findings:
            self.findings.addItem(f"{f.severity}: {f.message}")
