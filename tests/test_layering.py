"""Core without Qt: only app/ and editor/ui/ may import Qt."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pytestqt")
ALLOWED = ("app", "editor/ui")


def _qt_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for n in names:
            if n.split(".")[0] in QT_MODULES:
                yield node.lineno, n


def test_no_qt_outside_app_and_editor_ui():
    offenders = []
    for top in ("editor", "export", "templates"):
        for path in (ROOT / top).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if any(rel.startswith(a + "/") for a in ALLOWED):
                continue
            offenders += [f"{rel}:{line} imports {name}" for line, name in _qt_imports(path)]
    assert offenders == []


def test_the_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\n")
    assert list(_qt_imports(bad)) == [(1, "PySide6.QtCore")]


def test_cli_modules_do_not_load_qt():
    import subprocess
    import sys

    code = "import sys, app.cli, app.checks, editor.check; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"
