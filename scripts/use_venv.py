"""Lets the scripts run as ``scripts/NAME`` from any shell: their shebang finds the system Python,
which lacks the project's packages, so they restart themselves with the project's virtualenv."""

from __future__ import annotations

import os
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent.parent / ".venv"


def reexec() -> None:
    """Restarts this script with ``.venv/bin/python`` when another Python runs it and the venv exists."""
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() != VENV.resolve() and python.exists():
        os.execv(python, [str(python), *sys.argv])
