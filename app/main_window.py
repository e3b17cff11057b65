"""The main window: one document, its outline, the guided section editor, findings, people and preview.

The window wires parts that each do one job (``editor.ui`` widgets, ``app.live_checks``,
``app.grammar_link``, ``app.review_tools``, ``app.disk_watch``, ``app.autosave``, ``app.workers``);
every panel is a dock made in its own small method. Findings from the checks and from grammar are
merged into one list and one set of underlines, each anchored to the text it is about. Disk, checks
and grammar run off the UI thread; dialogs are opened with ``open()`` and kept in ``self.dialog`` so
they never block.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import prompts
from app.autosave import Autosaver, Recovery, RecoveryStore
from app.disk_watch import OutsideChanges, unexpected
from app.grammar_link import GrammarLink
from app.live_checks import LiveChecks
from app.menus import build_actions, build_menus, build_review_menu, build_toolbar
from app.qsettings import window_settings
from app.recent import RecentFiles
from app.review_tools import ReviewTools
from app.workers import Runner
from editor.check import CheckResult
from editor.errors import DocumentError
from editor.fileformat import read_text, write_atomic
from editor.findings import SEVERITIES, Finding
from editor.kinds import DEFAULT_KIND, Kind, new_document_text
from editor.model import Person
from editor.review.frontmatter import set_meta_keys
from editor.settings import Settings, load_settings, save_settings
from editor.ui.find_bar import FindBar
from editor.ui.findings_panel import FindingsPanel
from editor.ui.kind_picker import KindPicker
from editor.ui.outline import OutlinePanel
from editor.ui.page_estimate import Calibration, estimate_pages
from editor.ui.page_meter import PageMeter
from editor.ui.people_panel import PeoplePanel, person_to_meta
from editor.ui.preview import PreviewPane
from editor.ui.restructure import (
    Edit,
    Refused,
    add_consequence,
    add_incident,
    add_point,
    move_section,
    remove_section,
    renamed_people,
    set_meta,
    set_meta_renaming,
)
from editor.ui.section_editor import SectionEditor
from editor.ui.sections import DETAILS, THESIS, SectionRef, State, entries, states
from editor.ui.session import DocumentSession
from editor.ui.text_edit import Mark, WritingEdit

APP_NAME = "On Record"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}
Anchor = tuple[Finding, QTextCursor, str]  # a finding, where its text is now, the text it was about


@dataclass(frozen=True)
class _Conflict:
    """A save found a version on disk that another program wrote."""

    digest: str


class MainWindow(QMainWindow):
    documentLoaded = Signal(str)  # path, or "" for a new draft
    saved = Signal(str)
    saveFailed = Signal(str)
    findingsApplied = Signal(int)  # revision the findings on screen belong to
    grammarApplied = Signal(int)  # revision the grammar findings now shown were checked at
    pagesShown = Signal(object)  # exact page count shown in the meter, or None

    def __init__(
        self,
        *,
        settings: QSettings | None = None,
        store: RecoveryStore | None = None,
        reviewer: bool = False,
    ) -> None:
        super().__init__()
        self.reviewer = reviewer
        self.settings = settings or window_settings()
        self.user_settings: Settings = load_settings()
        self.recent = RecentFiles(self.settings)
        self.runner = Runner(self)
        self.session = DocumentSession(self)
        self.live = LiveChecks(self.session, self.runner, self)
        self.live.set_disabled_categories(self.user_settings.disabled_categories)
        self.autosaver = Autosaver(self.session, self.runner, store, self)
        self.disk = OutsideChanges(self.runner, self)
        self.dialog: QWidget | None = None  # the open question, if any (tests answer it)
        self.result: CheckResult | None = None
        self.states: dict[SectionRef, State] = {}
        self.calibration = Calibration()
        self._check_anchors: list[Anchor] = []
        self._anchors: list[Anchor] = []  # every finding shown: the checks' and grammar's
        self._closing_confirmed = False
        self._estimate = 0.0
        self._exact_shown: float | None = None
        self._last_find: tuple[str, int] | None = None

        self._build_views()
        self.panels: dict[str, QDockWidget] = {}
        self.actions_ = build_actions(self)
        build_menus(self, self.actions_)
        self.toolbar = build_toolbar(self, self.actions_)
        self._add_outline_panel()
        self._add_findings_panel()
        self._add_people_panel()
        self._add_preview_panel()
        self._add_optional_panels()
        self._add_review_tools()
        self._build_status()
        self.grammar = GrammarLink(self.session, self)
        QTimer.singleShot(0, self, lambda: self.grammar.configure(self.user_settings.grammar))  # after first paint
        self._connect()
        self.resize(1320, 840)
        self.setWindowTitle(APP_NAME)
        self.restore_window_state()
        self.new_document(self.session.kinds().get(DEFAULT_KIND) or next(iter(self.session.kinds().values())))
        if reviewer:
            self.review.mode.set_active(True)

    # == building =====================================================================================
    def _build_views(self) -> None:
        self.section_editor = SectionEditor(self.session)
        self.full_text = WritingEdit()
        self.full_text.setDocument(self.session.qdoc)
        self.full_text.setAccessibleName("Whole document (Markdown)")
        self.views = QStackedWidget()
        self.views.addWidget(self.section_editor)
        self.views.addWidget(self.full_text)
        self.find_bar = FindBar()
        self.banner = QLabel()
        self.banner.setObjectName("notice")
        self.banner.setWordWrap(True)
        self.banner.hide()
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.banner)
        lay.addWidget(self.views, 1)
        lay.addWidget(self.find_bar)
        self.central_layout = lay
        self.setCentralWidget(central)

    def add_panel(
        self,
        name: str,
        title: str,
        widget: QWidget,
        area: Qt.DockWidgetArea,
        *,
        tabify_with: str | None = None,
        shortcut: str | None = None,
    ) -> QDockWidget:
        """Adds a dock panel (used for every panel; others add theirs the same way)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{name}Panel")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        widget.setAccessibleName(widget.accessibleName() or title)
        self.addDockWidget(area, dock)
        if tabify_with and tabify_with in self.panels:
            self.tabifyDockWidget(self.panels[tabify_with], dock)
        self.panels_menu.addAction(dock.toggleViewAction())
        go = QAction(f"Go to {title}", self)
        if shortcut:
            go.setShortcut(shortcut)
        go.triggered.connect(lambda _c=False, d=dock: self.focus_panel(d))
        self.go_menu.addAction(go)
        self.panels[name] = dock
        return dock

    def focus_panel(self, dock: QDockWidget) -> None:
        """Shows a panel (if it was closed), brings its tab forward and puts the keyboard focus in it."""
        dock.show()
        dock.raise_()
        widget = dock.widget()
        target = widget.focusProxy() or next(
            (w for w in widget.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible()),
            widget,
        )
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def cycle_focus(self, step: int) -> None:
        """F6 / Shift+F6: outline → text → the visible right-hand panel, and round."""
        areas: list[QWidget] = [self.outline.tree, self.views.currentWidget()]
        for dock in self.panels.values():
            if dock is not self.panels["outline"] and dock.isVisible() and not dock.visibleRegion().isEmpty():
                areas.append(dock.widget())
        focus = QApplication.focusWidget()
        here = next((i for i, a in enumerate(areas) if focus is not None and (a is focus or a.isAncestorOf(focus))), -1)
        target = areas[(here + step) % len(areas)]
        if target is self.section_editor:
            self.section_editor.focus_text()
        elif target is self.outline.tree or target is self.full_text:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            dock = next(d for d in self.panels.values() if d.widget() is target)
            self.focus_panel(dock)

    def _add_outline_panel(self) -> None:
        self.outline = OutlinePanel()
        self.add_panel("outline", "Outline", self.outline, Qt.DockWidgetArea.LeftDockWidgetArea, shortcut="Alt+1")

    def _add_people_panel(self) -> None:
        self.people = PeoplePanel()
        self.add_panel(
            "people",
            "People",
            self.people,
            Qt.DockWidgetArea.RightDockWidgetArea,
            tabify_with="findings",
            shortcut="Alt+2",
        )

    def _add_findings_panel(self) -> None:
        self.findings_panel = FindingsPanel()
        self.add_panel(
            "findings", "Findings", self.findings_panel, Qt.DockWidgetArea.RightDockWidgetArea, shortcut="Alt+3"
        )

    def _add_preview_panel(self) -> None:
        self.preview = PreviewPane()
        self.add_panel(
            "preview",
            "Preview",
            self.preview,
            Qt.DockWidgetArea.RightDockWidgetArea,
            tabify_with="findings",
            shortcut="Alt+4",
        )
        self.panels["findings"].raise_()

    def _add_optional_panels(self) -> None:
        """Panels from other parts of the app, added when those parts are installed."""
        try:
            from editor.ui.delivery_panel import DeliveryPanel
        except ImportError:
            self.delivery = None
        else:
            self.delivery = DeliveryPanel()
            self.delivery.metaChanged.connect(self._delivery_meta)
            self.add_panel(
                "delivery",
                "Delivery",
                self.delivery,
                Qt.DockWidgetArea.RightDockWidgetArea,
                tabify_with="findings",
                shortcut="Alt+5",
            )
            self.panels["findings"].raise_()
        try:
            from editor.ui.export_dialog import ExportDialog  # noqa: F401 - only probing availability
        except ImportError:
            self.actions_.export_pdf.setEnabled(False)
            self.actions_.export_pdf.setToolTip("PDF export is not installed in this build")

    def _add_review_tools(self) -> None:
        """The review panel (a dock), reviewer mode on the whole text with its bar above it, the Review menu."""
        self.review = ReviewTools(self, self.user_settings.reviewer_name)
        self.add_panel(
            "review",
            "Review",
            self.review.panel,
            Qt.DockWidgetArea.RightDockWidgetArea,
            tabify_with="findings",
            shortcut="Alt+6",
        )
        self.panels["findings"].raise_()
        self.central_layout.insertWidget(self.central_layout.indexOf(self.views), self.review.bar)
        build_review_menu(self)

    def _build_status(self) -> None:
        bar = self.statusBar()
        self.check_state = QLabel("")
        self.check_state.setObjectName("muted")
        self.grammar_state = QLabel("")
        self.grammar_state.setObjectName("muted")
        self.grammar_state.setAccessibleName("Grammar check status")
        self.words = QLabel("")
        self.words.setObjectName("muted")
        self.meter = PageMeter()
        bar.addPermanentWidget(self.grammar_state)
        bar.addPermanentWidget(self.check_state)
        bar.addPermanentWidget(self.words)
        bar.addPermanentWidget(self.meter)

    def _connect(self) -> None:
        s = self.session
        s.changed.connect(self._document_changed)
        s.modifiedChanged.connect(lambda _m: self._update_title())
        self._structure_timer = QTimer(self)
        self._structure_timer.setSingleShot(True)
        self._structure_timer.setInterval(40)
        self._structure_timer.timeout.connect(self.refresh_structure)

        self.outline.selected.connect(self.show_section)
        self.outline.addPointRequested.connect(self.add_point)
        self.outline.addIncidentRequested.connect(self.add_incident)
        self.outline.addConsequenceRequested.connect(self.add_consequence)
        self.outline.removeRequested.connect(self.remove_section)
        self.outline.moveRequested.connect(self.move_section)

        ed = self.section_editor
        ed.undoRequested.connect(s.undo)
        ed.redoRequested.connect(s.redo)
        ed.peopleRequested.connect(self.edit_people)
        ed.refusal.connect(self.outline.show_notice)
        ed.metaEdited.connect(self.set_meta_value)
        ed.navigate.connect(self.go_to_section)

        self.people.edited.connect(self.set_people)
        self.findings_panel.jumpRequested.connect(self.jump_to)
        self.findings_panel.applyRequested.connect(self.apply_suggestion)
        self.findings_panel.ignoreRequested.connect(self.ignore_rule)
        self.find_bar.find.connect(self.find)

        self.live.toned.connect(self._apply_tone)
        self.live.checked.connect(self._apply_check)
        self.grammar.statusChanged.connect(self._grammar_status)
        self.grammar.findingsChanged.connect(self._apply_grammar)
        self.disk.changed.connect(self._outside_change)
        self.disk.removed.connect(self._outside_removal)
        self.live.paged.connect(self._apply_pages)
        self.live.previewed.connect(self.preview.show_html)
        self.live.busyChanged.connect(self._busy)
        self.live.failed.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        self.panels["preview"].visibilityChanged.connect(self._preview_visibility)
        self.autosaver.failed.connect(lambda msg: self.statusBar().showMessage(f"Autosave failed: {msg}", 8000))

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

    # == preferences ==================================================================================
    def open_preferences(self) -> None:
        from app.preferences import PreferencesDialog

        dlg = PreferencesDialog(self.user_settings, self)
        dlg.chosen.connect(self.apply_settings)
        self._set_dialog(dlg)
        dlg.open()

    def apply_settings(self, new: Settings) -> None:
        """Saves the settings (0600, off the UI thread) and applies them to this window at once."""
        old, self.user_settings = self.user_settings, new

        def saved(result: object) -> None:
            if isinstance(result, BaseException):
                self.statusBar().showMessage(f"The preferences were not saved: {result}", 10000)

        self.runner.submit("io", lambda: save_settings(new), saved)
        if new.disabled_categories != old.disabled_categories:
            self.live.set_disabled_categories(new.disabled_categories)
            self._show_findings()  # grammar findings follow at once; the checks' after the run below
            self.live.run_now()
        if new.grammar != old.grammar:
            self.grammar.configure(new.grammar)
        if new.reviewer_name != old.reviewer_name:
            self.review.set_reviewer(new.reviewer_name)

    def export_pdf(self) -> None:
        try:
            from editor.ui.export_dialog import ExportDialog
        except ImportError:
            self._set_dialog(prompts.show_error(self, "Export", "PDF export is not installed in this build."))
            return
        dlg = ExportDialog(self.session.file_text(), self.session.path, self)
        self._set_dialog(dlg)
        dlg.open()

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

    # == views and sections ===========================================================================
    def set_view(self, mode: str) -> None:
        whole = mode == "whole"
        self.views.setCurrentWidget(self.full_text if whole else self.section_editor)
        (self.actions_.whole if whole else self.actions_.guided).setChecked(True)
        if whole:
            offset = self.section_editor.body_offset()
            self.full_text.scroll_to(offset)
            self.full_text.setFocus()
        else:
            self.section_editor.focus_text()

    def focus_text(self) -> None:
        """The keyboard focus into the text of the current view."""
        if self.view_mode() == "whole":
            self.full_text.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.section_editor.focus_text()

    def view_mode(self) -> str:
        return "whole" if self.views.currentWidget() is self.full_text else "guided"

    def show_section(self, ref: SectionRef) -> None:
        self.outline.clear_notice()
        self.section_editor.show_ref(ref)
        if self.view_mode() == "whole":
            s = self.section_editor.body_offset()
            self.full_text.scroll_to(s)
        self._paint_findings()

    def go_to_section(self, ref: SectionRef) -> None:
        self.outline.select_ref(ref)
        self.show_section(ref)
        self.section_editor.focus_text()

    def current_ref(self) -> SectionRef:
        return self.section_editor.ref

    def refresh_structure(self) -> None:
        """Outline labels, page estimate, word count, header problems: cheap, right after typing."""
        doc = self.session.document()
        self.outline.set_document(doc, None)
        self.section_editor.show_neighbours()
        if self.outline.current_ref() != self.section_editor.ref:
            self.outline.select_ref(self.section_editor.ref)
        kind = self.session.kind()
        self._estimate = estimate_pages(doc)
        exact = self.live.exact_pages
        if exact and exact[0] == self.session.revision and self._exact_shown is not None:
            self.meter.set_exact(self._exact_shown, kind.page_limit)
        else:
            self.meter.set_estimate(self.calibration.apply(self._estimate), kind.page_limit)
        words = len(re.findall(r"\w+", doc.body))
        self.words.setText(f"{words:,} words")
        problem = self.session.parse_problem
        self.banner.setVisible(bool(problem))
        if problem:
            self.banner.setText(f"{problem} Fix it in the whole-text view (Ctrl+2); the rest of the document works.")
        self.people.set_people(doc.people)
        if self.delivery is not None:
            self.delivery.set_document(doc)

    def _document_changed(self, _revision: int) -> None:
        self.findings_panel.set_checking(True)
        source = self.session.change_source
        if source is None or source is self.section_editor:
            self._structure_timer.start()  # typing: wait for a short pause
        else:
            self.refresh_structure()  # undo, outline changes, fields: show the new structure at once

    def _busy(self, busy: bool) -> None:
        notices = self.result.notices if self.result is not None else []
        self.check_state.setText("Checking…" if busy else ("Some checks unavailable" if notices else ""))

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.session.name}[*] — {APP_NAME}")
        self.setWindowModified(self.session.modified)

    # == findings =====================================================================================
    def _apply_check(self, revision: int, result: CheckResult) -> None:
        t0 = time.perf_counter()
        self.result = result
        doc = result.document
        self._check_anchors = []
        for f in result.findings:
            cur = QTextCursor(self.session.qdoc)
            cur.setPosition(min(f.start, len(doc.text)))
            cur.setPosition(min(max(f.end, f.start), len(doc.text)), QTextCursor.MoveMode.KeepAnchor)
            self._check_anchors.append((f, cur, doc.text[f.start : f.end]))
        self.outline.set_document(doc, None)
        self._show_findings()
        self.check_state.setToolTip("\n".join(result.notices))
        self.check_state.setText("Some checks unavailable" if result.notices else "")
        self.live.record_ui_cost((time.perf_counter() - t0) * 1000)
        self.findingsApplied.emit(revision)

    def _apply_grammar(self, revision: int) -> None:
        self._show_findings()
        self.grammarApplied.emit(revision)

    def _show_findings(self) -> None:
        """One list, one set of underlines and the outline's states: the checks' findings and grammar's, in
        text order, each where its text is now."""
        current = self.result is not None and self.result.document.text == self.session.text()
        doc = self.result.document if current else self.session.document()  # the worker's parse, if current
        grammar = self.grammar.findings(doc, self.live.disabled_categories())
        merged = self._check_anchors + grammar
        merged.sort(key=lambda a: (a[1].selectionStart(), _SEVERITY_ORDER.get(a[0].severity, 9), a[0].rule))
        self._anchors = merged
        if self.result is not None:
            here = [replace(f, start=c.selectionStart(), end=c.selectionEnd()) for f, c, _t in merged]
            self.states = states(doc, here)
            self.outline.set_states(self.states)
        self.findings_panel.set_findings([f for f, _c, _t in merged])
        if self.result is None or self.live.busy():
            self.findings_panel.set_checking(True)
        self._paint_findings()

    def _apply_tone(self, _revision: int, heat: object) -> None:
        if heat is None:
            self.findings_panel.set_tone("")
            return
        self.findings_panel.set_tone(heat.verdict, heat.level, heat.line())

    def _grammar_status(self, state: str, message: str) -> None:
        words = {"starting": "Grammar: starting…", "stopped": "Grammar paused", "unavailable": "Grammar off"}
        words["off"] = "Grammar off"
        self.grammar_state.setText(words.get(state, ""))
        self.grammar_state.setToolTip(message)
        if state in ("starting", "stopped", "unavailable") and message:
            self.statusBar().showMessage(message, 8000)
        elif state == "ready" and message:
            self.statusBar().showMessage(message, 4000)

    def finding_spans(self) -> list[tuple[int, int, Finding]]:
        """Where each finding is now (its span moves with edits made since the check)."""
        return [(c.selectionStart(), c.selectionEnd(), f) for f, c, _t in self._anchors]

    def _paint_findings(self) -> None:
        # review marks are drawn in their own colours by the highlighter; a squiggle under each would only
        # repeat them (the list still names every open one)
        spans = [s for s in self.finding_spans() if s[2].category != "review"]
        st = self.states.get(self.section_editor.ref)
        self.section_editor.set_findings(spans, st.findings if st else [])
        self.full_text.set_marks([Mark(a, b, f.severity, f.message) for a, b, f in spans])

    def _anchor_of(self, finding: Finding) -> Anchor | None:
        return next((a for a in self._anchors if a[0] == finding), None)

    def _span_of(self, finding: Finding) -> tuple[int, int] | None:
        anchor = self._anchor_of(finding)
        return (anchor[1].selectionStart(), anchor[1].selectionEnd()) if anchor else None

    def jump_to(self, finding: Finding) -> None:
        span = self._span_of(finding) or (finding.start, finding.end)
        self.reveal(span[0], span[1] - span[0])

    def reveal(self, offset: int, length: int = 0) -> None:
        """Shows an offset of the document in the current view, opening its section in the guided view."""
        if self.view_mode() == "whole":
            self.full_text.scroll_to(offset, length)
            self.full_text.setFocus()
            return
        doc = self.session.document()
        ref: SectionRef = DETAILS
        for e in entries(doc):
            if e.section is not None and e.section.start <= offset:
                ref = e.ref
        if ref != self.section_editor.ref:
            self.outline.select_ref(ref)
            self.show_section(ref)
        if not self.section_editor.reveal(offset, length):
            self.section_editor.focus_text()

    def step_finding(self, delta: int) -> None:
        items = self.findings_panel.findings()
        if not items:
            return
        current = self.findings_panel.current_finding()
        i = items.index(current) + delta if current in items else (0 if delta > 0 else len(items) - 1)
        f = items[i % len(items)]
        self.findings_panel.select(f)
        self.jump_to(f)

    def _refuse_in_review(self) -> bool:
        if self.review.active():
            self.statusBar().showMessage(
                "In reviewer mode the text changes only through suggestions: type the change, or comment.", 8000
            )
            return True
        return False

    def apply_suggestion(self, finding: Finding) -> None:
        if finding.suggestion is None or self._refuse_in_review():
            return
        anchor = self._anchor_of(finding)
        span = (anchor[1].selectionStart(), anchor[1].selectionEnd()) if anchor else None
        if span is None or self.session.text()[span[0] : span[1]] != anchor[2]:
            self.statusBar().showMessage("That text changed since it was checked; the findings will catch up.", 6000)
            return
        self.session.replace(span[0], span[1], finding.suggestion, source="apply")
        self.statusBar().showMessage(f"Applied: {finding.suggestion}", 4000)
        self._show_findings()  # a grammar finding on the words just replaced goes at once
        self.live.run_now()

    def ignore_rule(self, rule: str) -> None:
        if self._refuse_in_review():
            return
        doc = self.session.document()
        if self.session.parse_problem:
            self.statusBar().showMessage("Fix the details at the top first; then rules can be ignored.", 6000)
            return
        meta = dict(doc.meta)
        ignore = [str(r) for r in (meta.get("ignore") or [])] if isinstance(meta.get("ignore"), list) else []
        if rule not in ignore:
            ignore.append(rule)
        meta["ignore"] = ignore
        self.session.apply(set_meta(doc, meta), source="ignore")
        self.statusBar().showMessage(f"“{rule}” is ignored in this document (listed under ignore: at the top).", 6000)
        self._show_findings()  # grammar's findings of the rule go at once
        self.live.run_now()

    # == front matter =================================================================================
    def set_meta_value(self, key: str, value: object) -> None:
        doc = self.session.document()
        if self.session.parse_problem:
            return
        if isinstance(value, str) and key in ("date", "decision_by") and _ISO_DATE.match(value):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                pass
        meta = dict(doc.meta)
        if meta.get(key) == value:
            return
        meta[key] = value
        self.session.apply(set_meta(doc, meta), source="details")

    def set_people(self, people: list[Person]) -> None:
        doc = self.session.document()
        if self.session.parse_problem:
            return
        meta = dict(doc.meta)
        new = [person_to_meta(p) for p in people]
        if meta.get("people") == new:
            return
        meta["people"] = new
        renames = renamed_people(doc.people, people)
        edit, lines = set_meta_renaming(doc, meta, renames)
        self.session.apply(edit, source=self.people)
        if lines:
            old, new_name = next(iter(renames.items()))
            what = f"{old} to {new_name}" if len(renames) == 1 else f"{len(renames)} people"
            self.statusBar().showMessage(
                f"Renamed {what} in {lines} Enabled by line{'s' if lines > 1 else ''} (Undo puts them back)", 8000
            )

    def _delivery_meta(self, meta: dict) -> None:
        """The delivery checklist changed: its keys are rewritten in place (the rest of the header keeps its
        bytes, comments included), as one undo step."""
        doc = self.session.document()
        if self.session.parse_problem:
            return
        updates = {k: v for k, v in meta.items() if doc.meta.get(k) != v}
        updates.update({k: None for k in doc.meta if k not in meta})
        if not updates:
            return
        text = self.session.text()
        new = set_meta_keys(text, updates)
        body = text[doc.front_matter_end :]
        if new.endswith(body):
            head = new[: len(new) - len(body)]
            self.session.apply(Edit(0, doc.front_matter_end, head, None), source="delivery")
        else:
            self.session.set_text(new, source="delivery")

    def edit_people(self) -> None:
        dock = self.panels["people"]
        dock.show()
        dock.raise_()
        if self.people.people():
            self.people.table.setFocus()
        else:
            self.people.add_person()

    # == outline changes ==============================================================================
    def _restructure(self, make) -> None:
        self.outline.clear_notice()
        if self._refuse_in_review():
            return
        try:
            edit: Edit = make(self.session.document())
        except Refused as exc:
            self.outline.show_notice(str(exc))
            self.statusBar().showMessage(str(exc), 8000)
            return
        self.session.apply(edit, source="outline")
        self.refresh_structure()
        if edit.select is not None:
            self.outline.select_ref(edit.select)
            self.show_section(edit.select)
            self.section_editor.focus_text()
        self.live.run_now()

    def _point_index(self) -> int:
        ref = self.section_editor.ref
        if ref[0] in ("point", "incident", "consequence"):
            return ref[1]
        return len(self.session.document().points) - 1

    def add_point(self) -> None:
        self._restructure(lambda doc: add_point(doc, self.session.kind()))

    def add_incident(self) -> None:
        self._restructure(lambda doc: add_incident(doc, self._point_index()))

    def add_consequence(self) -> None:
        self._restructure(lambda doc: add_consequence(doc, self._point_index()))

    def remove_section(self) -> None:
        ref = self.section_editor.ref
        self._restructure(lambda doc: remove_section(doc, ref, self.session.kind()))

    def move_section(self, delta: int) -> None:
        ref = self.section_editor.ref
        self._restructure(lambda doc: move_section(doc, ref, delta))

    # == find =========================================================================================
    def open_find(self) -> None:
        focus = QApplication.focusWidget()
        selected = focus.textCursor().selectedText() if isinstance(focus, WritingEdit) else ""
        self.find_bar.open_bar(selected if "\u2029" not in selected else "")

    def find(self, text: str, backward: bool, match_case: bool) -> None:
        doc = self.session.qdoc
        flags = QTextDocument.FindFlag(0)
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        if match_case:
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        start = self._find_start(backward)
        cur = doc.find(text, start, flags)
        wrapped = False
        if cur.isNull():
            cur = doc.find(text, doc.characterCount() - 1 if backward else 0, flags)
            wrapped = True
        if cur.isNull():
            self.find_bar.set_status("Not found")
            return
        self.find_bar.set_status("Wrapped around" if wrapped else "")
        self._last_find = (text, cur.selectionStart())
        self.reveal(cur.selectionStart(), cur.selectionEnd() - cur.selectionStart())
        self.find_bar.field.setFocus()

    def _find_start(self, backward: bool) -> int:
        if self.view_mode() == "whole":
            cur = self.full_text.textCursor()
            return cur.selectionStart() if backward else cur.selectionEnd()
        cur = self.section_editor.body.textCursor()
        base = self.section_editor.body_offset()
        return base + (cur.selectionStart() if backward else cur.selectionEnd())

    # == recent files, window state, closing ==========================================================
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

    def restore_window_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        else:
            self.resizeDocks([self.panels["outline"], self.panels["findings"]], [310, 400], Qt.Orientation.Horizontal)

    def save_window_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def _preview_visibility(self, visible: bool) -> None:
        self.live.preview_wanted = visible
        if visible and self.preview.revision != self.session.revision:
            self.live.schedule()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing_confirmed or not self.session.modified:
            self._shutdown()
            event.accept()
            return
        event.ignore()
        self.maybe_discard(self._close_confirmed)

    def _close_confirmed(self) -> None:
        self._closing_confirmed = True
        self.close()

    def _shutdown(self) -> None:
        self.grammar.stop()
        self.disk.stop()
        self.save_window_state()
        self.live.preview_wanted = False
        self.live.stop()
        self.runner.flush("io")
        self.runner.pool.waitForDone(5000)

    def quit_app(self) -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and not w.close():
                return

    def about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About On Record")
        box.setText(
            "<b>On Record</b><br>Write feedback that gets read: one thesis, one to three points, each with "
            "concrete incidents, the people who enabled them and what they cost."
        )
        box.addButton(QMessageBox.StandardButton.Ok)
        self._set_dialog(box)
        box.open()

    def _set_dialog(self, dlg: QWidget) -> QWidget:
        self.dialog = dlg
        return dlg

    # == exact pages ==================================================================================
    def _apply_pages(self, revision: int, pages: object) -> None:
        limit = self.session.kind().page_limit
        if pages is None:
            self._exact_shown = None
            self.meter.set_estimate(self.calibration.apply(self._estimate), limit)
            self.pagesShown.emit(None)
            return
        if revision != self.session.revision:
            return
        self.calibration.learn(estimate_pages(self.session.document()), pages)
        self._exact_shown = float(pages)
        self.meter.set_exact(float(pages), limit)
        self.pagesShown.emit(float(pages))
