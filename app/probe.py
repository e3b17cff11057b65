"""Diagnostic hooks for tests and benchmarks, driven by environment variables; inert unless one is set.

- ``ONRECORD_PROBE_TYPE=TEXT``: once the document is shown, types TEXT into the section editor with
  real key events (the crash-recovery test kills the process afterwards) and prints ``typed``.
- ``ONRECORD_PROBE_FIRST_PAINT=1``: prints ``first-paint EPOCH`` when the window first paints, then quits.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication


class _FirstPaint(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            print(f"first-paint {time.time():.6f}", flush=True)
            obj.removeEventFilter(self)
            QTimer.singleShot(0, QApplication.quit)
        return False


def install(window, *, opening: bool) -> None:
    if os.environ.get("ONRECORD_PROBE_FIRST_PAINT"):
        window._probe = _FirstPaint(window)
        window.installEventFilter(window._probe)
    text = os.environ.get("ONRECORD_PROBE_TYPE")
    if text:

        def type_it() -> None:
            from PySide6.QtTest import QTest

            body = window.section_editor.body
            window.activateWindow()
            body.setFocus()
            body.moveCursor(body.textCursor().MoveOperation.End)
            QTest.keyClicks(body, text)
            print("typed", flush=True)
            sys.stdout.flush()

        if opening:
            window.documentLoaded.connect(lambda _p: QTimer.singleShot(0, type_it))
        else:
            QTimer.singleShot(0, type_it)
