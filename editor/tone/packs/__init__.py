"""The built-in tone rule packs (YAML data, one file per category; see docs/tone.md)."""
