"""Window state (geometry, dock layout, recent files) in an INI file under the user data folder.

Created on demand, never at import time, so each test's isolated data folder is honoured.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

from editor.paths import data_dir, private_dir


def window_settings() -> QSettings:
    """The window-state INI, created 0600 first: it lists document paths, and Qt's save keeps the mode it finds."""
    path = private_dir(data_dir()) / "window.ini"
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)
    return QSettings(str(path), QSettings.Format.IniFormat)
