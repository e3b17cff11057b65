"""The window's actions, menus and toolbar, with the standard shortcuts of each platform."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QToolBar, QWidget

if TYPE_CHECKING:
    from app.main_window import MainWindow

Key = QKeySequence.StandardKey


def _action(w: MainWindow, text: str, slot, shortcut=None, tip: str = "") -> QAction:
    a = QAction(text, w)
    if shortcut is not None:
        if isinstance(shortcut, list):
            a.setShortcuts(shortcut)
        else:
            a.setShortcut(QKeySequence(shortcut))
    if tip:
        a.setStatusTip(tip)
        a.setToolTip(tip)
    a.triggered.connect(lambda _checked=False: slot())
    return a


def _edit_focused(method: str, window: MainWindow | None = None):
    """Cut/copy/paste/select-all for whichever text field has the focus (in reviewer mode, cut and paste
    become suggestions like the keys do)."""

    def run() -> None:
        w: QWidget | None = QApplication.focusWidget()
        review = getattr(window, "review", None)
        if review is not None and w is review.mode.editor and review.active() and method in ("cut", "paste"):
            getattr(review.mode, method)()
            return
        if isinstance(w, (QLineEdit, QPlainTextEdit)) and hasattr(w, method):
            getattr(w, method)()

    return run


def build_actions(w: MainWindow) -> SimpleNamespace:
    a = SimpleNamespace()
    a.new = _action(w, "&New…", w.ask_new, Key.New, "Start a new document of a chosen kind")
    a.open = _action(w, "&Open…", w.ask_open, Key.Open, "Open a document")
    a.save = _action(w, "&Save", w.save, Key.Save, "Save the document")
    a.save_as = _action(w, "Save &As…", w.save_as, Key.SaveAs, "Save the document under a new name")
    if a.save_as.shortcut().isEmpty():
        a.save_as.setShortcut(QKeySequence("Ctrl+Shift+S"))
    a.export_pdf = _action(w, "&Export PDF…", w.export_pdf, "Ctrl+E", "Export the document as a PDF")
    a.close = _action(w, "&Close", w.close, Key.Close, "Close this window")
    keys = [QKeySequence("Ctrl+W")] + [k for k in QKeySequence.keyBindings(Key.Close) if k != QKeySequence("Ctrl+W")]
    a.close.setShortcuts(keys)
    a.quit = _action(w, "&Quit", w.quit_app, Key.Quit, "Quit On Record")
    if a.quit.shortcut().isEmpty():
        a.quit.setShortcut(QKeySequence("Ctrl+Q"))
    a.quit.setMenuRole(QAction.MenuRole.QuitRole)

    a.undo = _action(w, "&Undo", w.session.undo, Key.Undo)
    a.redo = _action(w, "&Redo", w.session.redo, [QKeySequence(Key.Redo), QKeySequence("Ctrl+Y")])
    a.undo.setEnabled(False)
    a.redo.setEnabled(False)
    w.session.qdoc.undoAvailable.connect(a.undo.setEnabled)
    w.session.qdoc.redoAvailable.connect(a.redo.setEnabled)
    a.cut = _action(w, "Cu&t", _edit_focused("cut", w), Key.Cut)
    a.copy = _action(w, "&Copy", _edit_focused("copy"), Key.Copy)
    a.paste = _action(w, "&Paste", _edit_focused("paste", w), Key.Paste)
    a.select_all = _action(w, "Select &All", _edit_focused("selectAll"), Key.SelectAll)
    a.find = _action(w, "&Find…", w.open_find, Key.Find, "Find text in the document")
    a.find_next = _action(w, "Find &Next", lambda: w.find_bar.trigger(False), Key.FindNext)
    a.find_prev = _action(w, "Find Pre&vious", lambda: w.find_bar.trigger(True), Key.FindPrevious)
    a.preferences = _action(w, "Pr&eferences…", w.open_preferences, Key.Preferences, "Tone checks, grammar, export")
    if a.preferences.shortcut().isEmpty():
        a.preferences.setShortcut(QKeySequence("Ctrl+,"))
    a.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)

    a.add_point = _action(w, "Add &Point", w.add_point, "Ctrl+Shift+P", "Add a point (at most the kind's limit)")
    a.add_incident = _action(w, "Add &Incident", w.add_incident, "Ctrl+Shift+I", "Add an incident to this point")
    a.add_consequence = _action(
        w, "Add &Consequence", w.add_consequence, "Ctrl+Shift+K", "Add a consequence to this point"
    )
    a.remove_section = _action(w, "&Remove Section", w.remove_section, None, "Remove the selected section")
    a.move_up = _action(w, "Move &Up", lambda: w.move_section(-1), "Alt+Shift+Up", "Move the section up")
    a.move_down = _action(w, "Move &Down", lambda: w.move_section(1), "Alt+Shift+Down", "Move the section down")
    a.next_section = _action(w, "Next &Section", lambda: w.section_editor.step(1), "Ctrl+PgDown")
    a.prev_section = _action(w, "Previous S&ection", lambda: w.section_editor.step(-1), "Ctrl+PgUp")
    a.next_finding = _action(w, "Next &Finding", lambda: w.step_finding(1), "F8", "Go to the next finding")
    a.prev_finding = _action(w, "Previous F&inding", lambda: w.step_finding(-1), "Shift+F8")
    a.check_now = _action(w, "Check &Now", w.live.run_now, "F5", "Run the checks and the page count now")

    a.guided = QAction("&Guided", w, checkable=True)
    a.guided.setShortcut(QKeySequence("Ctrl+1"))
    a.guided.setStatusTip("One section at a time, with its prompt")
    a.whole = QAction("&Whole Text", w, checkable=True)
    a.whole.setShortcut(QKeySequence("Ctrl+2"))
    a.whole.setStatusTip("The whole file as Markdown")
    group = QActionGroup(w)
    group.setExclusive(True)
    for act in (a.guided, a.whole):
        group.addAction(act)
    a.guided.setChecked(True)
    a.guided.triggered.connect(lambda: w.set_view("guided"))
    a.whole.triggered.connect(lambda: w.set_view("whole"))
    a.focus_next = _action(w, "Next Area", lambda: w.cycle_focus(1), "F6", "Move the keyboard focus to the next area")
    a.focus_prev = _action(w, "Previous Area", lambda: w.cycle_focus(-1), "Shift+F6")
    a.about = _action(w, "&About On Record", w.about)
    return a


def build_menus(w: MainWindow, a: SimpleNamespace) -> None:
    bar = w.menuBar()
    file = bar.addMenu("&File")
    file.addActions([a.new, a.open])
    w.recent_menu = file.addMenu("Open &Recent")
    w.recent_menu.aboutToShow.connect(w.fill_recent_menu)
    file.addSeparator()
    file.addActions([a.save, a.save_as])
    file.addSeparator()
    file.addAction(a.export_pdf)
    file.addSeparator()
    file.addActions([a.close, a.quit])

    edit = bar.addMenu("&Edit")
    edit.addActions([a.undo, a.redo])
    edit.addSeparator()
    edit.addActions([a.cut, a.copy, a.paste, a.select_all])
    edit.addSeparator()
    edit.addActions([a.find, a.find_next, a.find_prev])
    edit.addSeparator()
    edit.addAction(a.preferences)

    doc = bar.addMenu("&Document")
    doc.addActions([a.next_section, a.prev_section])
    doc.addSeparator()
    doc.addActions([a.add_point, a.add_incident, a.add_consequence])
    doc.addSeparator()
    doc.addActions([a.move_up, a.move_down, a.remove_section])
    doc.addSeparator()
    doc.addActions([a.next_finding, a.prev_finding, a.check_now])

    view = bar.addMenu("&View")
    view.addActions([a.guided, a.whole])
    view.addSeparator()
    w.panels_menu = view.addMenu("&Panels")
    w.go_menu = view.addMenu("&Go To")
    w.go_menu.addAction(a.focus_next)
    w.go_menu.addAction(a.focus_prev)
    w.go_menu.addSeparator()

    w.help_menu = bar.addMenu("&Help")
    w.help_menu.addAction(a.about)


def build_review_menu(w: MainWindow) -> None:
    """Review, before Help: reviewer mode and Comment, and the writer's round trip with a reviewer."""
    tools = w.review
    menu = w.menuBar().addMenu("&Review")
    w.menuBar().insertMenu(w.help_menu.menuAction(), menu)
    menu.addAction(tools.mode.toggle_action)
    menu.addAction(tools.mode.comment_action)
    menu.addSeparator()
    menu.addActions([tools.send_action, tools.import_action])
    w.review_menu = menu


def build_toolbar(w: MainWindow, a: SimpleNamespace) -> QToolBar:
    tb = QToolBar("Main toolbar", w)
    tb.setObjectName("mainToolbar")
    tb.setMovable(False)
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    tb.addActions([a.new, a.open, a.save])
    tb.addSeparator()
    tb.addActions([a.guided, a.whole])
    tb.addSeparator()
    tb.addAction(a.export_pdf)
    for act in tb.actions():
        button = tb.widgetForAction(act)
        if button is not None:
            button.setAccessibleName(act.text().replace("&", "").rstrip("…"))
    w.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
    return tb
