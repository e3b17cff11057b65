"""Starts the Qt application; the only entry point that imports Qt."""

from __future__ import annotations

import sys


def run_gui(path: str | None = None, *, reviewer: bool = False) -> int:
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("On Record")
    app.setOrganizationName("onrecord")
    window = MainWindow()
    if path:
        window.open_path(path)
    window.show()
    return app.exec()
