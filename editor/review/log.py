"""Who made each mark and when: the ``reviews:`` map in the front matter, keyed by mark id.

A mark id is a fingerprint of the mark (kind letter + 7 hex digits of its text, ``-2``, ``-3`` … for
repeats), so it survives edits elsewhere in the document and needs nothing in the body. Operations that
change marks carry the entries over by aligning the marks before and after (``carry``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from editor.criticmarkup import Mark, find_marks
from editor.review.frontmatter import header, set_meta_keys

REVIEWS_KEY = "reviews"
REVIEWERS_KEY = "reviewers"
TIME_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True, slots=True)
class Entry:
    """The metadata of one mark: the person who made it and when."""

    by: str
    at: str = ""

    def as_yaml(self) -> dict:
        return {"by": self.by, "at": self.at} if self.at else {"by": self.by}


def now_stamp(when: datetime | None = None) -> str:
    return (when or datetime.now()).strftime(TIME_FORMAT)


def mark_ids(marks: list[Mark]) -> list[str]:
    """A stable id per mark; identical marks are told apart by their order (``-2``, ``-3``)."""
    seen: dict[str, int] = {}
    ids = []
    for m in marks:
        digest = hashlib.sha1(f"{m.kind}\0{m.old}\0{m.new}".encode()).hexdigest()[:7]
        base = m.kind[0] + digest
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def body_marks(text: str) -> tuple[list[Mark], int]:
    """The marks of the body (never the front matter) and the offset where the body starts."""
    _meta, body_start = header(text)
    return find_marks(text, body_start), body_start


def read_log(meta: dict) -> dict[str, Entry]:
    """The ``reviews:`` map, read leniently: a damaged entry is skipped, never fatal."""
    raw = meta.get(REVIEWS_KEY)
    out: dict[str, Entry] = {}
    if not isinstance(raw, dict):
        return out
    for key, value in raw.items():
        if isinstance(value, dict) and value.get("by"):
            out[str(key)] = Entry(str(value["by"]), str(value.get("at") or ""))
        elif isinstance(value, str) and value.strip():
            out[str(key)] = Entry(value.strip())
    return out


def reviewers(meta: dict) -> list[dict]:
    raw = meta.get(REVIEWERS_KEY)
    if not isinstance(raw, list):
        return []
    return [r if isinstance(r, dict) else {"name": str(r)} for r in raw if r]


def carry(old: list[Mark], new: list[Mark], log: dict[str, Entry], fresh: Entry | None = None) -> dict[str, Entry]:
    """The log for the ``new`` marks: entries follow their marks by alignment; marks that are new get ``fresh``."""
    old_ids, new_ids = mark_ids(old), mark_ids(new)
    sig = [(m.kind, m.old, m.new) for m in old], [(m.kind, m.old, m.new) for m in new]
    paired: dict[int, Entry | None] = {}
    ops = SequenceMatcher(None, sig[0], sig[1], autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag in ("equal", "replace"):
            for k in range(min(i2 - i1, j2 - j1)):
                paired[j1 + k] = log.get(old_ids[i1 + k])
    out: dict[str, Entry] = {}
    for j, nid in enumerate(new_ids):
        entry = paired.get(j, fresh)
        if entry is not None:
            out[nid] = entry
    return out


def write_log(text: str, log: dict[str, Entry], *, reviewer: str = "") -> str:
    """The text with its ``reviews:`` map replaced (removed when empty); ``reviewer`` joins ``reviewers:``."""
    meta, _body_start = header(text)
    updates: dict = {REVIEWS_KEY: {k: e.as_yaml() for k, e in log.items()} or None}
    if REVIEWS_KEY not in meta and not log:
        updates.pop(REVIEWS_KEY)
    if reviewer:
        people = reviewers(meta)
        if not any(str(r.get("name", "")).casefold() == reviewer.casefold() for r in people):
            updates[REVIEWERS_KEY] = [*people, {"name": reviewer}]
    return set_meta_keys(text, updates) if updates else text


def commit(
    old_text: str, new_text: str, *, author: str = "", when: datetime | None = None, as_reviewer: bool = True
) -> str:
    """``new_text`` with the review log carried over from ``old_text``; marks made by this change get ``author``.

    Every review operation changes the body and then calls this, so the log never points at marks that
    are gone and new marks are attributed.
    """
    old_marks, _ = body_marks(old_text)
    old_log = read_log(header(old_text)[0])
    new_marks, _ = body_marks(new_text)
    fresh = Entry(author, now_stamp(when)) if author else None
    log = carry(old_marks, new_marks, old_log, fresh)
    made_new = fresh is not None and any(e is fresh for e in log.values())
    return write_log(new_text, log, reviewer=author if made_new and as_reviewer else "")
