"""Opening, saving and recovering the window's one document: the file side of ``MainWindow``.

Kept apart from the window's layout because every path here runs off the UI thread and back
(``Runner`` jobs) and asks before any text could be lost: unsaved changes, a file another program
changed, a save that would overwrite it, a recovery copy left by a crash. ``DocumentFiles`` is a mixin:
it holds no state of its own and uses the window's ``session``, ``runner``, ``disk``, ``autosaver``,
``recent`` and signals, so ``w.open_path``, ``w.save_to``… stay where callers expect them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from app import prompts
from app.autosave import Recovery, RecoveryStore
from app.disk_watch import unexpected
from editor.errors import DocumentError
from editor.fileformat import read_text, write_atomic
from editor.kinds import Kind, new_document_text
from editor.ui.kind_picker import KindPicker
from editor.ui.page_estimate import Calibration
from editor.ui.sections import DETAILS, THESIS


@dataclass(frozen=True)
class _Conflict:
    """A save found a version on disk that another program wrote."""

    digest: str


class DocumentFiles:
    """New, open, save, save as, reload, another program's changes and recovery, for ``MainWindow``."""

    # == documents ====================================================================================
    def new_document(self, kind: Kind, title: str = "") -> None:
        self._replace_document(new_document_text(kind, title=title), None)
        self.activateWindow()
        self.focus_text()
        self.documentLoaded.emit("")

    def ask_new(self) -> None:
        def pick() -> None:
            picker = KindPicker(self.session.kinds(), self, current=self.session.kind().id)
            picker.chosen.connect(lambda kind, title: self.new_document(kind, title))
            self.dialog = picker
            picker.open()

        self.maybe_discard(pick)

    def ask_open(self) -> None:
        folder = str(self.session.path.parent) if self.session.path else str(Path.home())
        self.maybe_discard(lambda: self._set_dialog(prompts.choose_open_path(self, folder, self.open_path)))

    def open_path(self, path: str | Path, *, then=None) -> None:
        """Reads the file off the UI thread, then shows it; a bad file gets one clear message."""
        p = Path(path).expanduser()
        self.statusBar().showMessage(f"Opening {p.name}…")

        def done(result: object) -> None:
            if isinstance(result, BaseException):
                why = str(result) if isinstance(result, DocumentError) else f"{p.name} could not be read: {result}"
                self.recent.remove(p)
                self.statusBar().clearMessage()
                self._set_dialog(prompts.show_error(self, "Cannot open the document", why))
                return
            self._replace_document(str(result), p.resolve())
            self.recent.add(p)
            self.statusBar().showMessage(f"Opened {p.name}", 4000)
            self.documentLoaded.emit(str(p))
            if then is not None:
                then()

        self.runner.submit("io", lambda: read_text(p), done)

    def _replace_document(self, text: str, path: Path | None, *, modified: bool = False) -> None:
        self.autosaver.discard()
        self.autosaver.rec_id = RecoveryStore.new_id()
        self.result = None
        self._anchors = []
        self._check_anchors = []
        self.states = {}
        self.calibration = Calibration()
        self.live.exact_pages = None
        self.session.load(text, path, modified=modified)
        self.disk.track(path, text)
        self.review.panel.document_path = path
        self.findings_panel.set_findings([])
        self.findings_panel.set_tone("")
        self.findings_panel.set_checking(True)
        self.refresh_structure()
        first = THESIS if THESIS in self.outline.refs() else DETAILS
        self.show_section(first)
        self.outline.select_ref(first)
        self._update_title()
        self.live.run_now()

    def maybe_discard(self, then) -> None:
        """Runs ``then`` once unsaved changes are saved or knowingly dropped; asks first if there are any."""
        if not self.session.modified:
            then()
            return

        def answer(choice: str) -> None:
            self.dialog = None
            if choice == prompts.SAVE:
                self.save(then=then)
            elif choice == prompts.DISCARD:
                self.autosaver.discard()
                then()

        self._set_dialog(prompts.ask_unsaved(self, self.session.name, answer))

    def save(self, *, then=None) -> None:
        if self.session.path is None:
            self.save_as(then=then)
        else:
            self.save_to(self.session.path, then=then)

    def save_as(self, *, then=None) -> None:
        suggested = self.session.path or Path.home() / (self._suggested_name() + ".md")
        self._set_dialog(prompts.choose_save_path(self, str(suggested), lambda p: self.save_to(p, then=then)))

    def _suggested_name(self) -> str:
        title = self.session.document().title or self.session.kind().name
        slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()
        return slug[:60] or "draft"

    def save_to(self, path: str | Path, *, then=None, replace_outside: bool = False) -> None:
        """Writes atomically off the UI thread; the modified mark clears only if nothing changed meanwhile.

        Just before writing, the job hashes the file: if another program wrote a version this window never
        read or wrote, nothing is written and the writer is asked (``replace_outside`` is their answer).
        """
        p = Path(path)
        rev, text = self.session.revision, self.session.file_text()
        watched, known = self.disk.guard()
        if replace_outside:
            known = frozenset()
        self.disk.expect(text)
        self.statusBar().showMessage(f"Saving {p.name}…")

        def job() -> Path | _Conflict:
            if watched is not None and p.resolve() == watched:
                theirs = unexpected(p, known)
                if theirs is not None:
                    return _Conflict(theirs)
            mode = None if p.exists() else 0o600  # a new letter is private until the writer shares it
            write_atomic(p, text, mode=mode)
            return p

        def done(result: object) -> None:
            if isinstance(result, _Conflict):
                self.statusBar().showMessage(f"{p.name} was not saved: another program changed it.", 8000)
                self._ask_overwrite(p, then)
                return
            if isinstance(result, BaseException):
                why = str(result) if isinstance(result, DocumentError) else f"Could not save {p.name}: {result}"
                self.statusBar().showMessage(why, 10000)
                self.saveFailed.emit(why)
                self._set_dialog(prompts.show_error(self, "Not saved", why + " Your text is still here."))
                return
            self.session.mark_saved(p.resolve(), text, rev)
            self.disk.track(p.resolve(), text)
            self.review.panel.document_path = p.resolve()
            self.recent.add(p)
            self._update_title()
            self.statusBar().showMessage(f"Saved {p.name}", 4000)
            self.saved.emit(str(p))
            if then is not None:
                then()

        self.runner.submit("io", job, done)

    # == another program changed the file ==============================================================
    def _outside_change(self, digest: str) -> None:
        """Another program wrote the open file: Reload or Keep mine, and neither text is lost."""
        asking = ("outsideChangePrompt", "overwritePrompt")
        if isinstance(self.dialog, QMessageBox) and self.dialog.isVisible() and self.dialog.objectName() in asking:
            return  # already asking about it

        def answer(choice: str) -> None:
            self.dialog = None
            if choice == prompts.RELOAD:
                self.reload_from_disk()
            else:
                self.disk.keep_mine(digest)
                self.statusBar().showMessage(
                    f"Kept your text. {self.session.name} on disk still holds the other version; "
                    "saving will ask before replacing it.",
                    10000,
                )

        self._set_dialog(prompts.ask_outside_change(self, self.session.name, answer))

    def _outside_removal(self) -> None:
        self.statusBar().showMessage(
            f"{self.session.name} was moved or deleted by another program. Your text is here; Save writes it again.",
            10000,
        )

    def _ask_overwrite(self, path: Path, then) -> None:
        def answer(choice: str) -> None:
            self.dialog = None
            if choice == prompts.REPLACE:
                self.save_to(path, then=then, replace_outside=True)
            elif choice == prompts.RELOAD:
                self.reload_from_disk()
            else:
                self.statusBar().showMessage(f"Not saved. {path.name} on disk keeps the other program's version.", 8000)

        self._set_dialog(prompts.ask_overwrite(self, path.name, answer))

    def reload_from_disk(self) -> None:
        """Shows the file as it is on disk, as one edit: Undo brings the editor's text back."""
        p = self.session.path
        if p is None:
            return

        def done(result: object) -> None:
            if p != self.session.path:
                return
            if isinstance(result, BaseException):
                why = str(result) if isinstance(result, DocumentError) else f"{p.name} could not be read: {result}"
                self._set_dialog(prompts.show_error(self, "Not reloaded", why + " Your text is still here."))
                return
            raw = str(result)
            normal = (raw[1:] if raw.startswith("\ufeff") else raw).replace("\r\n", "\n").replace("\r", "\n")
            if normal != self.session.text():
                self.session.set_text(normal, source="reload")
            self.session.mark_saved(p, raw, self.session.revision)
            self.disk.track(p, raw)
            self._update_title()
            self.live.run_now()
            self.statusBar().showMessage(f"Reloaded {p.name}. Undo (Ctrl+Z) brings your version back.", 10000)

        self.runner.submit("io", lambda: read_text(p), done)

    # == recovery =====================================================================================
    def offer_recovery(self, orphans: list[Recovery]) -> None:
        """Asks about the newest orphaned recovery file; after Discard, about the next one."""
        if not orphans:
            return
        rec, rest = orphans[0], orphans[1:]

        def answer(choice: str) -> None:
            self.dialog = None
            if choice == prompts.RESTORE:
                self.restore(rec)
            elif choice == prompts.DISCARD:
                store = self.autosaver.store
                self.runner.submit("io", lambda: store.discard(rec.id), None)
                self.offer_recovery(rest)

        self._set_dialog(prompts.ask_restore(self, rec, answer))

    def restore(self, rec: Recovery) -> None:
        def adopt() -> None:
            self.autosaver.adopt(rec.id)
            self.session.set_text(rec.text)
            self.statusBar().showMessage(f"Restored the unsaved text of {rec.name}. Save to keep it.", 8000)
            self.autosaver.save_now()

        path = Path(rec.path) if rec.path else None

        def opened_or_not(exists: object) -> None:
            if exists is True:
                self.open_path(path, then=adopt)
            else:
                self._replace_document(rec.text, path, modified=True)
                adopt()

        self.runner.submit("io", lambda: bool(path and path.is_file()), opened_or_not)

    # == recent files =================================================================================
    def fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        paths = self.recent.paths()
        for i, p in enumerate(paths, 1):
            act = menu.addAction(f"&{i % 10} {p.name}  —  {p.parent}")
            act.triggered.connect(lambda _c=False, path=p: self.maybe_discard(lambda: self.open_path(path)))
        if not paths:
            menu.addAction("No recent documents").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear the list", self.recent.clear)
