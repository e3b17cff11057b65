from __future__ import annotations

from app.main_window import MainWindow
from tests.conftest import DOCS


def test_window_opens_a_draft(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.open_path(str(DOCS / "d1-good-exit.md"))
    w.show()
    qtbot.waitExposed(w)
    assert "d1-good-exit.md" in w.windowTitle()
