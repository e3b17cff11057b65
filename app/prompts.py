"""The window's questions to the writer, as non-blocking dialogs opened with ``open()``.

Each function shows its dialog and returns it at once; the answer arrives in a callback. The
window keeps the open dialog in ``window.dialog`` so tests (and accessibility tools) can find and
answer it like a user, without a nested event loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.autosave import Recovery

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
RESTORE, LATER = "restore", "later"
RELOAD, KEEP, REPLACE = "reload", "keep", "replace"
FILE_FILTER = "On Record documents (*.md *.markdown *.txt);;All files (*)"


def ask_unsaved(parent: QWidget, name: str, answer: Callable[[str], None]) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("unsavedPrompt")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    box.setText(f"Save the changes to {name} before closing it?")
    box.setInformativeText("If you don't save, the changes since the last save are lost.")
    save = box.addButton("Save", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Don't Save", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)

    def finished(_code: int) -> None:
        clicked = box.clickedButton()
        answer(SAVE if clicked is save else DISCARD if clicked is discard else CANCEL)

    box.finished.connect(finished)
    box.open()
    return box


def ask_restore(parent: QWidget, rec: Recovery, answer: Callable[[str], None]) -> QMessageBox:
    when = dt.datetime.fromtimestamp(rec.saved_at).strftime("%H:%M on %d %b")
    box = QMessageBox(parent)
    box.setObjectName("restorePrompt")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Restore unsaved work?")
    box.setText(f"On Record closed before you saved {rec.name}. Restore the text autosaved at {when}?")
    box.setInformativeText(
        "Restore opens it with the unsaved text, ready to save. Discard deletes the recovered copy. "
        "Later keeps it for the next start."
    )
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    later = box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.setEscapeButton(later)

    def finished(_code: int) -> None:
        clicked = box.clickedButton()
        answer(RESTORE if clicked is restore else DISCARD if clicked is discard else LATER)

    box.finished.connect(finished)
    box.open()
    return box


def ask_outside_change(parent: QWidget, name: str, answer: Callable[[str], None]) -> QMessageBox:
    """Another program changed the open file: reload it, or keep the editor's text (losing neither)."""
    box = QMessageBox(parent)
    box.setObjectName("outsideChangePrompt")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Changed by another program")
    box.setText(f"{name} was changed by another program while it was open here.")
    box.setInformativeText(
        "Reload shows the version on disk; your text stays one Undo away. Keep mine keeps your text "
        "here and leaves the file alone; saving will ask before it replaces the other version."
    )
    reload = box.addButton("Reload", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("Keep mine", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(reload)
    box.setEscapeButton(keep)

    def finished(_code: int) -> None:
        answer(RELOAD if box.clickedButton() is reload else KEEP)

    box.finished.connect(finished)
    box.open()
    return box


def ask_overwrite(parent: QWidget, name: str, answer: Callable[[str], None]) -> QMessageBox:
    """A save would replace a version another program wrote: say so and let the writer choose."""
    box = QMessageBox(parent)
    box.setObjectName("overwritePrompt")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Not saved yet")
    box.setText(f"{name} on disk was changed by another program since you opened or saved it.")
    box.setInformativeText(
        "Replace it with your text (the other version is lost), or reload the other version "
        "(your text stays one Undo away)."
    )
    replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
    reload = box.addButton("Reload", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)

    def finished(_code: int) -> None:
        clicked = box.clickedButton()
        answer(REPLACE if clicked is replace else RELOAD if clicked is reload else CANCEL)

    box.finished.connect(finished)
    box.open()
    return box


def choose_open_path(parent: QWidget, folder: str, answer: Callable[[str], None]) -> QFileDialog:
    dlg = QFileDialog(parent, "Open a document", folder, FILE_FILTER)
    dlg.setObjectName("openDialog")
    dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dlg.fileSelected.connect(answer)
    dlg.open()
    return dlg


def choose_save_path(parent: QWidget, suggested: str, answer: Callable[[str], None]) -> QFileDialog:
    dlg = QFileDialog(parent, "Save the document as", suggested, FILE_FILTER)
    dlg.setObjectName("saveDialog")
    dlg.setFileMode(QFileDialog.FileMode.AnyFile)
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dlg.setDefaultSuffix("md")

    def selected(path: str) -> None:
        answer(str(Path(path)))

    dlg.fileSelected.connect(selected)
    dlg.open()
    return dlg


def show_error(parent: QWidget, title: str, text: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("errorMessage")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    box.addButton(QMessageBox.StandardButton.Ok)
    box.open()
    return box
