"""Data: document kinds (templates/kinds/*.yaml) and print themes (templates/themes/)."""

from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent
KINDS_DIR = TEMPLATES_DIR / "kinds"
THEMES_DIR = TEMPLATES_DIR / "themes"
