"""Starts the Qt application; with app/ and editor/ui/ the only code that imports Qt."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow


def create_app(scheme: str = "system") -> QApplication:
    from editor.ui import theme

    # Checks and the preview (and the layout, in a frozen bundle) run in Python worker threads; a 1 ms
    # GIL switch interval (default 5 ms) hands the UI thread the interpreter sooner: it cut the longest
    # event-loop stall during a cold layout in a thread from ~35-55 ms to ~12 ms on these machines.
    sys.setswitchinterval(0.001)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("On Record")
    app.setApplicationDisplayName("On Record")
    app.setOrganizationName("onrecord")
    app.setDesktopFileName("onrecord")
    theme.apply(app, scheme)
    if scheme == "system":
        theme.follow_system(app)
    return app


def start(path: str | None = None, *, reviewer: bool = False) -> MainWindow:
    """Opens the window: on FILE, or on a new draft with the kind picker; offers any crashed session's text."""
    from app import probe
    from app.autosave import RecoveryStore

    window = MainWindow(reviewer=reviewer)
    orphans = RecoveryStore().orphans()
    if path:
        window.open_path(path)
    window.show()
    if orphans:
        QTimer.singleShot(0, window, lambda: window.offer_recovery(orphans))
    elif not path:
        QTimer.singleShot(0, window, window.ask_new)
    probe.install(window, opening=bool(path))
    return window


def run_gui(path: str | None = None, *, reviewer: bool = False) -> int:
    app = create_app()
    window = start(path, reviewer=reviewer)
    code = app.exec()
    del window
    return code
