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


_Role = QMessageBox.ButtonRole
_Button = tuple[str | QMessageBox.StandardButton, _Role | None, str]  # (label or standard button, role, answer)


def _ask(
    parent: QWidget,
    object_name: str,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    info: str,
    buttons: list[_Button],
    *,
    default: str,
    escape: str,
    answer: Callable[[str], None],
) -> QMessageBox:
    """One question with named answers; closing it any other way (Escape, the title bar) answers ``escape``."""
    box = QMessageBox(parent)
    box.setObjectName(object_name)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(info)
    made = {}
    for label, role, value in buttons:
        made[value] = (
            box.addButton(label) if isinstance(label, QMessageBox.StandardButton) else box.addButton(label, role)
        )
    box.setDefaultButton(made[default])
    box.setEscapeButton(made[escape])

    def finished(_code: int) -> None:
        clicked = box.clickedButton()
        answer(next((value for value, button in made.items() if button is clicked), escape))

    box.finished.connect(finished)
    box.open()
    return box


def ask_unsaved(parent: QWidget, name: str, answer: Callable[[str], None]) -> QMessageBox:
    return _ask(
        parent, "unsavedPrompt", QMessageBox.Icon.Warning, "Unsaved changes",
        f"Save the changes to {name} before closing it?",
        "If you don't save, the changes since the last save are lost.",
        [("Save", _Role.AcceptRole, SAVE), ("Don't Save", _Role.DestructiveRole, DISCARD),
         (QMessageBox.StandardButton.Cancel, None, CANCEL)],
        default=SAVE, escape=CANCEL, answer=answer,
    )  # fmt: skip


def ask_restore(parent: QWidget, rec: Recovery, answer: Callable[[str], None]) -> QMessageBox:
    when = dt.datetime.fromtimestamp(rec.saved_at).strftime("%H:%M on %d %b")
    return _ask(
        parent, "restorePrompt", QMessageBox.Icon.Question, "Restore unsaved work?",
        f"On Record closed before you saved {rec.name}. Restore the text autosaved at {when}?",
        "Restore opens it with the unsaved text, ready to save. Discard deletes the recovered copy. "
        "Later keeps it for the next start.",
        [("Restore", _Role.AcceptRole, RESTORE), ("Discard", _Role.DestructiveRole, DISCARD),
         ("Later", _Role.RejectRole, LATER)],
        default=RESTORE, escape=LATER, answer=answer,
    )  # fmt: skip


def ask_outside_change(parent: QWidget, name: str, answer: Callable[[str], None]) -> QMessageBox:
    """Another program changed the open file: reload it, or keep the editor's text (losing neither)."""
    return _ask(
        parent, "outsideChangePrompt", QMessageBox.Icon.Warning, "Changed by another program",
        f"{name} was changed by another program while it was open here.",
        "Reload shows the version on disk; your text stays one Undo away. Keep mine keeps your text "
        "here and leaves the file alone; saving will ask before it replaces the other version.",
        [("Reload", _Role.AcceptRole, RELOAD), ("Keep mine", _Role.RejectRole, KEEP)],
        default=RELOAD, escape=KEEP, answer=answer,
    )  # fmt: skip


def ask_overwrite(parent: QWidget, name: str, answer: Callable[[str], None]) -> QMessageBox:
    """A save would replace a version another program wrote: say so and let the writer choose."""
    return _ask(
        parent, "overwritePrompt", QMessageBox.Icon.Warning, "Not saved yet",
        f"{name} on disk was changed by another program since you opened or saved it.",
        "Replace it with your text (the other version is lost), or reload the other version "
        "(your text stays one Undo away).",
        [("Replace", _Role.DestructiveRole, REPLACE), ("Reload", _Role.AcceptRole, RELOAD),
         (QMessageBox.StandardButton.Cancel, None, CANCEL)],
        default=CANCEL, escape=CANCEL, answer=answer,
    )  # fmt: skip


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
