"""Where the user's config and data live; overridable by environment for tests and portable use."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def config_dir() -> Path:
    """User config: extra document kinds (kinds/*.yaml), tone packs (tone/*.yaml), settings."""
    env = os.environ.get("ONRECORD_CONFIG_DIR")
    return Path(env) if env else Path(platformdirs.user_config_dir("onrecord", appauthor=False))


def data_dir() -> Path:
    """User data: recovery files and caches, created private (0700)."""
    env = os.environ.get("ONRECORD_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir("onrecord", appauthor=False))


def cache_dir() -> Path:
    """What the app computed and can compute again (the tone engine's compiled patterns): the data
    folder's ``cache``, or ``ONRECORD_CACHE_DIR`` (the test session shares one across its tests)."""
    env = os.environ.get("ONRECORD_CACHE_DIR")
    return Path(env) if env else data_dir() / "cache"


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path
