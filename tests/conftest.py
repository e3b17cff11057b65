"""Shared fixtures: Qt offscreen, and config/data folders isolated per test."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# One compiled-pattern cache for the whole session (each test still gets its own data folder): every
# `onrecord` subprocess would otherwise compile the tone packs from scratch. Its own tests use a fresh one.
os.environ.setdefault("ONRECORD_CACHE_DIR", tempfile.mkdtemp(prefix="onrecord-test-cache-"))

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


@pytest.fixture(scope="session")
def lt():
    """The session's LanguageTool, found the way the app finds it by default (auto: the project cache).

    Without LanguageTool, tests that use it skip, unless ONRECORD_REQUIRE_LANGUAGETOOL=1 (CI): then they fail.
    """
    from editor.grammar import GrammarService
    from editor.settings import GrammarSettings

    svc = GrammarService(GrammarSettings(mode="auto"), allow_download=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("ONRECORD_LANGUAGETOOL_URL", raising=False)  # this fixture owns its server
        started = svc.start()
    if not started:
        svc.stop()
        message = f"LanguageTool is not available: {svc.notice}"
        if os.environ.get("ONRECORD_REQUIRE_LANGUAGETOOL") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    yield svc
    pid = svc.server.pid if svc.server else None
    svc.stop()
    assert pid is None or not pid_alive(pid), "the session's LanguageTool server outlived the tests"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text())
