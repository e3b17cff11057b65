"""User settings (a JSON file in the config folder), shared by the CLI and the GUI.

Written atomically with 0600 permissions in a 0700 folder; a damaged file falls back to defaults
rather than stopping the app.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from editor.fileformat import write_atomic
from editor.paths import config_dir, private_dir


@dataclass
class GrammarSettings:
    # auto: the project's local LanguageTool if present, else off | managed: language-tool-python's
    # own download | folder: an existing LanguageTool folder | url: a server the user names | off
    mode: str = "auto"
    url: str = ""
    folder: str = ""


@dataclass
class ExportSettings:
    theme: str = "executive"
    confidential_footer: bool = False
    producer_opt_in: bool = False  # write "On Record" as the PDF producer only if the writer wants it
    at_a_glance: bool = True


@dataclass
class Settings:
    disabled_categories: list[str] = field(default_factory=list)  # tone categories switched off everywhere
    grammar: GrammarSettings = field(default_factory=GrammarSettings)
    export: ExportSettings = field(default_factory=ExportSettings)
    reviewer_name: str = ""


def settings_path() -> Path:
    return config_dir() / "settings.json"


def _merge(cls, data: dict):
    known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
    return cls(**known)


def load_settings() -> Settings:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            return Settings()
        s = _merge(Settings, {k: v for k, v in data.items() if k not in ("grammar", "export")})
        s.grammar = _merge(GrammarSettings, data.get("grammar") or {})
        s.export = _merge(ExportSettings, data.get("export") or {})
        return s
    except (OSError, ValueError, TypeError):
        return Settings()


def save_settings(settings: Settings) -> None:
    path = settings_path()
    private_dir(path.parent)
    write_atomic(path, json.dumps(asdict(settings), indent=2) + "\n", mode=0o600)
    os.chmod(path, 0o600)
