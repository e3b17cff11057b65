"""The `onrecord` command as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import DOCS, ROOT


def onrecord(*args, cwd=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=120,
        env=env,
    )


@pytest.fixture
def lt_env(lt):
    """Subprocesses use the session's LanguageTool instead of starting one each."""
    return dict(os.environ, ONRECORD_LANGUAGETOOL_URL=lt.url)


def test_version_and_help():
    v = onrecord("--version")
    assert v.returncode == 0 and v.stdout.startswith("onrecord ")
    h = onrecord("--help")
    assert h.returncode == 0 and "check" in h.stdout and "export" in h.stdout


def test_kinds_lists_the_builtin_kinds():
    out = onrecord("kinds")
    assert out.returncode == 0
    for kind in ("exit-interview", "escalation-memo", "upward-feedback"):
        assert kind in out.stdout


def test_new_then_check(tmp_path, lt_env):
    path = tmp_path / "draft.md"
    out = onrecord("new", path, "--kind", "escalation-memo", "--title", "Fire doors")
    assert out.returncode == 0, out.stderr
    assert "kind: escalation-memo" in path.read_text()
    assert path.stat().st_mode & 0o777 == 0o600, "a new draft is private"
    again = onrecord("new", path)
    assert again.returncode == 2 and "already exists" in again.stderr
    res = onrecord("check", path, "--format", "json", env=lt_env)
    assert res.returncode == 1
    data = json.loads(res.stdout)
    assert {"file", "pages", "page_limit", "findings"} <= set(data)
    assert any(f["rule"] == "structure.thesis" for f in data["findings"])
    f = data["findings"][0]
    assert {"rule", "category", "severity", "start", "end", "line", "column", "message", "suggestion"} <= set(f)


def test_check_good_document_exits_zero_and_prints_summary(lt_env):
    out = onrecord("check", DOCS / "d2-escalation-good.md", env=lt_env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 errors" in out.stdout


def test_check_points_at_lines(lt_env):
    out = onrecord("check", DOCS / "d4-four-points.md", env=lt_env)
    assert out.returncode == 1
    assert "[structure.points]" in out.stdout
    line = next(ln for ln in out.stdout.splitlines() if "[structure.points]" in ln)
    lineno = int(line.split(":")[1])
    assert (DOCS / "d4-four-points.md").read_text().splitlines()[lineno - 1].startswith("## Point")


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p / "missing.md", "does not exist"),
        (lambda p: p, "folder"),
        (lambda p: (p / "b.md", (p / "b.md").write_bytes(b"\x00\x01"))[0], "binary"),
        (lambda p: (p / "y.md", (p / "y.md").write_text("---\nx: [\n---\n"))[0], "YAML"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, make, needle):
    out = onrecord("check", make(tmp_path))
    assert out.returncode == 2
    assert needle in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_unknown_command_option_is_exit_2():
    out = onrecord("check")
    assert out.returncode == 2 and "Traceback" not in out.stderr
