"""Shared fixtures: Qt offscreen, and config/data folders isolated per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DOCS = FIXTURES / "docs"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory, monkeypatch):
    """Each test gets its own config and data folders, so no test sees a user's settings."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ONRECORD_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("ONRECORD_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "xdg-data"))
    return base


@pytest.fixture
def sample_docs() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


@pytest.fixture
def main_window(qtbot):
    """The main window on a new draft, checks run without the typing pause; closed without prompts after."""
    from app.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.live.set_delays(check=0, pages=0, preview=0)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window._closing_confirmed = True
    window.close()
    window.runner.pool.waitForDone(10_000)
