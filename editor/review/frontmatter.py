"""The front matter for review operations: read it once per header, change one key and leave every other
byte alone.

Reviewer mode rewrites the ``reviews:`` block on most keystrokes, so reading the header must not mean a
YAML parse each time: ``header`` caches by the header's own text, and ``set_meta_keys`` only reads the
small block it replaces (to be sure of its bounds). The writer's own comments and layout in the front
matter survive; when a block cannot be replaced in place safely, the whole front matter is rewritten.
"""

from __future__ import annotations

import copy
import re
from collections import OrderedDict
from typing import Any

from editor.fileformat import FRONT_MATTER, dump_meta, load_meta, parse, with_meta

_CONTINUATION = re.compile(r"[ \t]|-(?:[ \t]|$)")  # indented lines and zero-indent list items belong to the key
_CACHE: OrderedDict[str, tuple[dict, int]] = OrderedDict()
_BLOCKS: OrderedDict[str, dict] = OrderedDict()  # YAML blocks this module wrote, with what they hold
_CACHE_SIZE = 64


def _remember(cache: OrderedDict, key: str, value) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)


def header(text: str) -> tuple[dict, int]:
    """(meta, offset where the body starts), exactly as ``fileformat.parse`` reads them, without a YAML
    parse when this header was read or written before. Raises DocumentError like ``parse``."""
    m = FRONT_MATTER.match(text)
    if not m:
        return (parse(text).meta if text.startswith("---") else {}), 0  # parse raises on an unclosed header
    head = text[: m.end()]
    hit = _CACHE.get(head)
    if hit is None:
        doc = parse(head)
        hit = (doc.meta, doc.front_matter_end)
        _remember(_CACHE, head, hit)
    else:
        _CACHE.move_to_end(head)
    return copy.deepcopy(hit[0]), hit[1]


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


def _holds(block: str, key: str, value: Any) -> bool:
    """Whether a block of YAML lines is exactly ``key: value`` (so replacing it replaces just that key)."""
    known = _BLOCKS.get(block)
    if known is not None:
        return known == {key: value}
    try:
        return load_meta(block) == {key: value}
    except Exception:
        return False


def set_meta_keys(text: str, updates: dict[str, Any]) -> str:
    """The file text with each key of ``updates`` set (``None`` removes the key); the body is untouched."""
    meta, body_start = header(text)
    expected = dict(meta)
    for key, value in updates.items():
        if value is None:
            expected.pop(key, None)
        else:
            expected[key] = value
    if expected == meta:
        return text
    if body_start == 0:
        return with_meta(parse(text), expected)
    nl = "\r\n" if "\r\n" in text[:body_start] else "\n"
    y0, y1 = _yaml_region(text, body_start)
    yaml_text = text[y0:y1]
    ok = True
    written: list[tuple[str, dict]] = []
    for key, value in updates.items():
        block = "" if value is None else dump_meta({key: value}).replace("\n", nl)
        span = _key_block(yaml_text, key)
        if span is None:
            if value is None:
                continue
            sep = "" if not yaml_text or yaml_text.endswith("\n") else nl
            yaml_text = yaml_text + sep + block
        else:
            ok = ok and _holds(yaml_text[span[0] : span[1]], key, meta.get(key))
            yaml_text = yaml_text[: span[0]] + block + yaml_text[span[1] :]
        if block:
            written.append((block, {key: value}))
    if not ok:
        return with_meta(parse(text), expected)
    out = text[:y0] + yaml_text + text[y1:]
    for block, holds in written:
        _remember(_BLOCKS, block, copy.deepcopy(holds))
    m = FRONT_MATTER.match(out)
    if m:
        _remember(_CACHE, out[: m.end()], (copy.deepcopy(expected), m.end()))
    return out
