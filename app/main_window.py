"""The main window: one document, its outline, the guided section editor, findings, people and preview.

The window wires parts that each do one job (``editor.ui`` widgets, ``app.live_checks``,
``app.grammar_link``, ``app.review_tools``, ``app.disk_watch``, ``app.autosave``, ``app.workers``);
every panel is a dock made in its own small method. Two mixins hold the rest of ``MainWindow``:
``app.window_files`` (new, open, save, reload, another program's changes, recovery) and
``app.window_findings`` (the checks' and grammar's findings merged into one list and one set of
underlines, each anchored to the text it is about). Disk, checks and grammar run off the UI thread;
dialogs are opened with ``open()`` and kept in ``self.dialog`` so they never block.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QTextDocument
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
from app.autosave import Autosaver, RecoveryStore
from app.disk_watch import OutsideChanges
from app.grammar_link import GrammarLink
from app.live_checks import LiveChecks
from app.menus import build_actions, build_menus, build_review_menu, build_toolbar
from app.qsettings import window_settings
from app.recent import RecentFiles
from app.review_tools import ReviewTools
from app.window_files import DocumentFiles
from app.window_findings import Anchor, FindingsView
from app.workers import Runner
from editor.check import CheckResult
from editor.kinds import DEFAULT_KIND
from editor.model import Person
from editor.review.frontmatter import set_meta_keys
from editor.settings import Settings, load_settings, save_settings
from editor.ui.find_bar import FindBar
from editor.ui.findings_panel import FindingsPanel
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
from editor.ui.sections import SectionRef, State
from editor.ui.session import DocumentSession
from editor.ui.text_edit import WritingEdit

APP_NAME = "On Record"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class MainWindow(DocumentFiles, FindingsView, QMainWindow):
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

    def _grammar_status(self, state: str, message: str) -> None:
        words = {"starting": "Grammar: starting…", "stopped": "Grammar paused", "unavailable": "Grammar off"}
        words["off"] = "Grammar off"
        self.grammar_state.setText(words.get(state, ""))
        self.grammar_state.setToolTip(message)
        if state in ("starting", "stopped", "unavailable") and message:
            self.statusBar().showMessage(message, 8000)
        elif state == "ready" and message:
            self.statusBar().showMessage(message, 4000)

    def _refuse_in_review(self) -> bool:
        if self.review.active():
            self.statusBar().showMessage(
                "In reviewer mode the text changes only through suggestions: type the change, or comment.", 8000
            )
            return True
        return False

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

    # == window state, closing ========================================================================
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
        self.runner.close(5000)

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
