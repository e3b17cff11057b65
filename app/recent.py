"""The Open Recent list: most recent first, at most ten; a file that fails to open is dropped from it."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

KEY = "recent/files"
LIMIT = 10


class RecentFiles:
    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def paths(self) -> list[Path]:
        raw = self.settings.value(KEY, [])
        if isinstance(raw, str):
            raw = [raw]
        out = []
        for p in raw or []:
            path = Path(str(p))
            if path not in out:
                out.append(path)
        return out[:LIMIT]

    def add(self, path: str | os.PathLike[str]) -> None:
        p = Path(path).resolve()
        items = [p, *(q for q in self.paths() if q != p)][:LIMIT]
        self.settings.setValue(KEY, [str(q) for q in items])

    def remove(self, path: str | os.PathLike[str]) -> None:
        p = Path(path).resolve()
        self.settings.setValue(KEY, [str(q) for q in self.paths() if q != p])

    def clear(self) -> None:
        self.settings.setValue(KEY, [])
