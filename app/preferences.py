"""Edit > Preferences: tone categories on or off, where grammar is checked, export defaults, the reviewer's name.

The dialog edits a copy of the settings and hands the result to the window (``chosen``), which saves it
off the UI thread (``editor.settings.save_settings``: 0600) and applies it at once: a category turned
off disappears from the findings, a new grammar mode switches the checker. Opened with ``open()``.
"""

from __future__ import annotations

import dataclasses
import urllib.parse

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from editor.grammar.locate import RemoteServer, remote_server
from editor.settings import ExportSettings, GrammarSettings, Settings
from editor.tone import CATEGORIES
from editor.ui.export_dialog import THEMES

CATEGORY_LABELS = {
    "profanity": "Profanity",
    "insult": "Insults and name-calling",
    "shouting": "Shouting (capitals, !!!)",
    "vague": "Vague abstractions (“toxic culture”)",
    "absolute": "Absolutes (always, never, everyone)",
    "motive": "Guessing at motives",
    "sarcasm": "Sarcasm",
    "threat": "Threats and ultimatums",
    "venting": "Venting",
    "low_power_target": "Blaming junior staff",
    "underperformer_evidence": "Leaning on weak witnesses",
    "jargon": "Jargon only engineers can weigh",
    "hedging": "Hedging",
    "gossip": "Gossip and hearsay",
}
GRAMMAR_MODES = (
    ("auto", "On this computer, if LanguageTool is installed"),
    ("managed", "Download LanguageTool once, then check on this computer"),
    ("folder", "A LanguageTool folder on this computer"),
    ("url", "A LanguageTool server (your text is sent to it)"),
    ("off", "Off"),
)


class PreferencesDialog(QDialog):
    """``chosen(Settings)`` when the writer saves; nothing changes on Cancel."""

    chosen = Signal(object)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self.original = settings
        self.tabs = QTabWidget()
        self.tabs.addTab(self._tone_tab(settings), "&Tone")
        self.tabs.addTab(self._grammar_tab(settings.grammar), "&Grammar")
        self.tabs.addTab(self._export_tab(settings.export), "&Export")
        self.tabs.addTab(self._review_tab(settings), "&Review")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addWidget(self.buttons)
        self._mode_changed()
        self.resize(max(560, self.sizeHint().width()), self.sizeHint().height())

    # -- tabs --------------------------------------------------------------------------------------------
    def _tone_tab(self, settings: Settings) -> QWidget:
        page = QWidget()
        hint = QLabel(
            "Checks of how the text reads. A category switched off here is off in every document "
            "(the checks from the command line honour it too)."
        )
        hint.setWordWrap(True)
        hint.setObjectName("panelHint")
        grid = QGridLayout()
        self.categories: dict[str, QCheckBox] = {}
        off = set(settings.disabled_categories)
        for i, cat in enumerate(CATEGORIES):
            box = QCheckBox(CATEGORY_LABELS.get(cat, cat.replace("_", " ").capitalize()))
            box.setAccessibleName(f"Check {CATEGORY_LABELS.get(cat, cat)}")
            box.setChecked(cat not in off)
            self.categories[cat] = box
            grid.addWidget(box, i // 2, i % 2)
        lay = QVBoxLayout(page)
        lay.addWidget(hint)
        lay.addLayout(grid)
        lay.addStretch(1)
        return page

    def _grammar_tab(self, g: GrammarSettings) -> QWidget:
        page = QWidget()
        self.mode = QComboBox()
        self.mode.setAccessibleName("Grammar check")
        for key, label in GRAMMAR_MODES:
            self.mode.addItem(label, key)
        self.mode.setCurrentIndex(max(self.mode.findData((g.mode or "auto").strip().lower()), 0))
        self.url = QLineEdit(g.url)
        self.url.setPlaceholderText("http://127.0.0.1:8081/")
        self.url.setAccessibleName("LanguageTool server address")
        self.folder = QLineEdit(g.folder)
        self.folder.setAccessibleName("LanguageTool folder")
        self.choose_folder = QPushButton("&Choose…")
        self.choose_folder.setAccessibleName("Choose the LanguageTool folder")
        self.choose_folder.clicked.connect(self._pick_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_folder)
        self.grammar_note = QLabel()
        self.grammar_note.setWordWrap(True)
        self.grammar_note.setObjectName("panelHint")
        self.grammar_note.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout(page)
        form.addRow("Check &grammar", self.mode)
        form.addRow("Server &address", self.url)
        folder_label = QLabel("&Folder")
        folder_label.setBuddy(self.folder)  # a row with a layout gets no buddy by itself
        form.addRow(folder_label, folder_row)
        form.addRow(self.grammar_note)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.url.textChanged.connect(self._mode_changed)
        return page

    def _export_tab(self, e: ExportSettings) -> QWidget:
        page = QWidget()
        self.theme = QComboBox()
        self.theme.setAccessibleName("Default theme")
        for key, label in THEMES:
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(self.theme.findData(e.theme), 0))
        self.confidential = QCheckBox("“Confidential” in the footer of every page")
        self.confidential.setChecked(e.confidential_footer)
        self.at_a_glance = QCheckBox("An “at a glance” box of the consequences on page one")
        self.at_a_glance.setChecked(e.at_a_glance)
        self.producer = QCheckBox("Name On Record as the PDF's producer (off: the PDF does not say what made it)")
        self.producer.setChecked(e.producer_opt_in)
        form = QFormLayout(page)
        form.addRow("Default &theme", self.theme)
        for box in (self.confidential, self.at_a_glance, self.producer):
            box.setAccessibleName(box.text())
            form.addRow(box)
        return page

    def _review_tab(self, settings: Settings) -> QWidget:
        page = QWidget()
        self.reviewer_name = QLineEdit(settings.reviewer_name)
        self.reviewer_name.setAccessibleName("Your name as a reviewer")
        self.reviewer_name.setPlaceholderText("e.g. Rita Lind")
        hint = QLabel(
            "Your suggestions and comments in reviewer mode carry this name, so the writer knows who made them."
        )
        hint.setWordWrap(True)
        hint.setObjectName("panelHint")
        form = QFormLayout(page)
        form.addRow("Your &name", self.reviewer_name)
        form.addRow(hint)
        return page

    # -- behaviour ---------------------------------------------------------------------------------------
    def _mode_changed(self) -> None:
        mode = self.mode.currentData()
        self.url.setEnabled(mode == "url")
        self.folder.setEnabled(mode == "folder")
        self.choose_folder.setEnabled(mode == "folder")
        note, ok = "", True
        if mode == "url":
            src = remote_server(self.url.text()) if self.url.text().strip() else None
            if src is None:
                note, ok = "Name the server, e.g. http://127.0.0.1:8081/.", False
            elif not isinstance(src, RemoteServer):
                note, ok = src.reason.capitalize() + ".", False
            elif not src.loopback:
                note = f"Your text will be sent to {urllib.parse.urlsplit(src.url).hostname} for every check."
        elif mode == "managed":
            note = "The first check downloads LanguageTool from the web (a large download); then nothing leaves here."
        elif mode == "auto":
            note = "Nothing leaves this computer. Without LanguageTool installed, grammar is simply not checked."
        self.grammar_note.setText(note)
        self.save_button.setEnabled(ok)

    def _pick_folder(self) -> None:
        dlg = QFileDialog(self, "Choose the LanguageTool folder", self.folder.text())
        dlg.setFileMode(QFileDialog.FileMode.Directory)
        dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dlg.fileSelected.connect(self.folder.setText)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def settings(self) -> Settings:
        """The settings as the dialog shows them (categories the dialog does not know are kept)."""
        off = [c for c, box in self.categories.items() if not box.isChecked()]
        off += [c for c in self.original.disabled_categories if c not in self.categories]
        return dataclasses.replace(
            self.original,
            disabled_categories=off,
            grammar=GrammarSettings(self.mode.currentData(), self.url.text().strip(), self.folder.text().strip()),
            export=ExportSettings(
                theme=self.theme.currentData(),
                confidential_footer=self.confidential.isChecked(),
                producer_opt_in=self.producer.isChecked(),
                at_a_glance=self.at_a_glance.isChecked(),
            ),
            reviewer_name=self.reviewer_name.text().strip(),
        )

    def accept(self) -> None:
        self.chosen.emit(self.settings())
        super().accept()
