"""Window state (geometry, dock layout, recent files) in an INI file under the user data folder.

Created on demand, never at import time, so each test's isolated data folder is honoured.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from editor.paths import data_dir, private_dir


def window_settings() -> QSettings:
    folder = private_dir(data_dir())
    return QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)
