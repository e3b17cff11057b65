"""The PyInstaller one-folder bundle builds and starts offscreen."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_bundle_builds_and_reports_its_version(tmp_path):
    pyinstaller = os.path.join(os.path.dirname(sys.executable), "pyinstaller")
    if not os.path.exists(pyinstaller):
        pytest.fail("PyInstaller is not installed; run `make test`, which installs the dev extras")
    subprocess.run(
        [
            pyinstaller,
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "work"),
            "build.spec",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=880,
    )
    exe = tmp_path / "dist" / "onrecord" / "onrecord"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0 and out.stdout.startswith("onrecord ")
    kinds = subprocess.run([str(exe), "kinds"], capture_output=True, text=True, timeout=60, env=env)
    assert "escalation-memo" in kinds.stdout
