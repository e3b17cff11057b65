"""Print themes as data (templates/themes/<id>/theme.yaml + theme.css on top of base.css)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import yaml

from editor.errors import DocumentError
from templates import THEMES_DIR

DEFAULT_THEME = "executive"
PAGE_SIZES = {"letter": "letter", "a4": "A4"}


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    description: str
    fonts: tuple[str, ...]
    css: str  # base.css followed by the theme's own rules


@functools.cache
def read_theme_file(name: str) -> str:
    return (THEMES_DIR / name).read_text(encoding="utf-8")


@functools.cache
def available_themes() -> dict[str, Theme]:
    out: dict[str, Theme] = {}
    base = read_theme_file("base.css")
    for folder in sorted(p for p in THEMES_DIR.iterdir() if (p / "theme.yaml").is_file()):
        data = yaml.safe_load((folder / "theme.yaml").read_text(encoding="utf-8")) or {}
        css = (folder / "theme.css").read_text(encoding="utf-8")
        out[folder.name] = Theme(
            id=folder.name,
            name=str(data.get("name", folder.name.title())),
            description=str(data.get("description", "")),
            fonts=tuple(str(f) for f in data.get("fonts") or ()),
            css=base + "\n" + css,
        )
    return out


def get_theme(theme_id: str | None) -> Theme:
    themes = available_themes()
    key = (theme_id or DEFAULT_THEME).strip().lower()
    if key not in themes:
        raise DocumentError(f"There is no theme called '{theme_id}'; choose one of: {', '.join(sorted(themes))}.")
    return themes[key]


def page_size_of(meta: dict) -> str:
    """'letter' or 'a4' from the front matter; anything else falls back to letter."""
    size = str(meta.get("page_size") or "letter").strip().lower().replace(" ", "")
    return size if size in PAGE_SIZES else "letter"


def document_shell() -> str:
    return read_theme_file("document.html")
