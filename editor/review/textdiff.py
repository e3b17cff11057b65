"""The few small edits that turn one text into another, so an editor can apply a review operation in
place (keeping the cursor, the scroll position and the undo history) instead of replacing everything."""

from __future__ import annotations

from difflib import SequenceMatcher


def _trim(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common prefix and of the common suffix (not overlapping the prefix)."""
    n = min(len(old), len(new))
    p = 0
    while p < n and old[p] == new[p]:
        p += 1
    s = 0
    while s < n - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    return p, s


def text_edits(old: str, new: str) -> list[tuple[int, int, str]]:
    """Edits ``(start, end, replacement)`` in offsets of ``old``, ascending and non-overlapping; applying
    them from last to first turns ``old`` into ``new``."""
    if old == new:
        return []
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    starts_a = [0]
    for line in a:
        starts_a.append(starts_a[-1] + len(line))
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        seg_old, seg_new = "".join(a[i1:i2]), "".join(b[j1:j2])
        p, s = _trim(seg_old, seg_new)
        start = starts_a[i1] + p
        out.append((start, starts_a[i1] + len(seg_old) - s, seg_new[p : len(seg_new) - s]))
    return out


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, repl in reversed(edits):
        text = text[:start] + repl + text[end:]
    return text
