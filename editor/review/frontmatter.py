"""Targeted edits of the front matter: change one top-level key and leave every other byte alone.

The writer's own comments and layout in the front matter survive a review; when the block cannot be
edited in place safely (the result would not read back as intended) the whole front matter is rewritten.
"""

from __future__ import annotations

import re
from typing import Any

from editor.fileformat import dump_meta, load_meta, parse, with_meta

_CONTINUATION = re.compile(r"[ \t]|-(?:[ \t]|$)")  # indented lines and zero-indent list items belong to the key


def _yaml_region(text: str, body_start: int) -> tuple[int, int]:
    """Offsets of the YAML between the opening and closing '---' lines."""
    first_nl = text.find("\n")
    yaml_start = first_nl + 1
    close_end = body_start - 1 if text[body_start - 1 : body_start] == "\n" else body_start
    close_start = text.rfind("\n", 0, close_end) + 1
    return yaml_start, max(yaml_start, close_start)


def _key_block(yaml_text: str, key: str) -> tuple[int, int] | None:
    """Offsets (within the YAML) of the lines that hold one top-level key and its value."""
    head = re.compile(rf"^{re.escape(key)}[ \t]*:(?=[ \t]|\r?$)", re.M)
    m = head.search(yaml_text)
    if not m:
        return None
    start = m.start()
    line_end = yaml_text.find("\n", start)
    end = len(yaml_text) if line_end == -1 else line_end + 1
    last_content_end = end
    while end < len(yaml_text):
        nl = yaml_text.find("\n", end)
        line = yaml_text[end : (len(yaml_text) if nl == -1 else nl + 1)]
        stripped = line.strip()
        if stripped and not _CONTINUATION.match(line) and not stripped.startswith("#"):
            break
        end += len(line)
        if stripped and not stripped.startswith("#"):
            last_content_end = end
    return start, last_content_end


def set_meta_keys(text: str, updates: dict[str, Any]) -> str:
    """The file text with each key of ``updates`` set (``None`` removes the key); the body is untouched."""
    doc = parse(text)
    expected = dict(doc.meta)
    for key, value in updates.items():
        if value is None:
            expected.pop(key, None)
        else:
            expected[key] = value
    if expected == doc.meta:
        return text
    if doc.front_matter_end == 0:
        return with_meta(doc, expected)
    nl = "\r\n" if "\r\n" in text[: doc.front_matter_end] else "\n"
    y0, y1 = _yaml_region(text, doc.front_matter_end)
    yaml_text = text[y0:y1]
    for key, value in updates.items():
        block = "" if value is None else dump_meta({key: value}).replace("\n", nl)
        span = _key_block(yaml_text, key)
        if span is None:
            if value is None:
                continue
            sep = "" if not yaml_text or yaml_text.endswith("\n") else nl
            yaml_text = yaml_text + sep + block
        else:
            yaml_text = yaml_text[: span[0]] + block + yaml_text[span[1] :]
    try:
        ok = load_meta(yaml_text) == expected
    except Exception:
        ok = False
    if not ok:
        return with_meta(doc, expected)
    return text[:y0] + yaml_text + text[y1:]
