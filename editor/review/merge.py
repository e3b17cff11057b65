"""Importing a reviewer's marked-up copy into the writer's document, even after the writer kept editing.

The copy with its new marks rejected is the text the reviewer saw. It is aligned word by word with the
writer's current text (both in the copy's redacted form, so roles match roles); a mark whose text is
still there, unchanged, is placed on it in the writer's words. A mark whose text the writer has since
changed is not dropped: it becomes a comment next to where that text was, saying what was suggested.
Names come back in everything the reviewer wrote; marks already in the writer's file are not doubled.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from editor.criticmarkup import Mark, can_hold, find_marks, markup
from editor.errors import DocumentError
from editor.fileformat import parse
from editor.review.copies import COPIES_KEY, COPY_KEY, copy_roles, redact_with_spans, sent_from, unredact
from editor.review.frontmatter import set_meta_keys
from editor.review.log import REVIEWERS_KEY, Entry, mark_ids, now_stamp, read_log, reviewers

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
STALE = "the text has changed since the review copy"
FOREIGN = "This copy was not sent from this document, so its marks were placed by their words alone."


@dataclass
class MergeResult:
    text: str
    placed: int = 0  # items (a mark with the comments attached to it) placed where the reviewer made them
    as_comments: int = 0  # items whose text changed, kept as comments
    already_there: int = 0  # marks the writer's file already had
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        parts = [f"{self.placed} review item{'s' * (self.placed != 1)} merged"]
        if self.as_comments:
            parts.append(f"{self.as_comments} kept as comment{'s' * (self.as_comments != 1)} because {STALE}")
        if self.already_there:
            parts.append(f"{self.already_there} mark{'s' * (self.already_there != 1)} already in the document")
        return "; ".join(parts) + "." + "".join(" " + n for n in self.notes)


def _starts(lines: list[str]) -> list[int]:
    out = [0]
    for line in lines:
        out.append(out[-1] + len(line))
    return out


def _word_blocks(base: str, b0: int, b1: int, cur: str, c0: int, c1: int) -> list[tuple[int, int, int]]:
    """Equal runs of words between base[b0:b1] and cur[c0:c1], in offsets of the whole texts."""
    tb = [(m.start() + b0, m.end() + b0) for m in _TOKEN.finditer(base[b0:b1])]
    tc = [(m.start() + c0, m.end() + c0) for m in _TOKEN.finditer(cur[c0:c1])]
    sm = SequenceMatcher(None, [base[a:b] for a, b in tb], [cur[a:b] for a, b in tc], autojunk=False)
    return [(tb[i][0], tc[j][0], tb[i + n - 1][1] - tb[i][0]) for i, j, n in sm.get_matching_blocks() if n]


def _joined(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Blocks that touch in both texts become one, so a mark spanning a line break still fits in one."""
    out: list[tuple[int, int, int]] = []
    for b, c, n in sorted(blocks):
        if out and out[-1][0] + out[-1][2] == b and out[-1][1] + out[-1][2] == c:
            out[-1] = (out[-1][0], out[-1][1], out[-1][2] + n)
        elif n:
            out.append((b, c, n))
    return out


class _Aligner:
    """Maps offsets of the reviewer's base text to the writer's text through the words they share.

    Lines are matched first (a draft is a few hundred lines, so this is quick), then words only inside
    the lines that differ: a word-level diff of the whole text would be slow, every space being alike.
    """

    def __init__(self, base: str, current: str) -> None:
        self.base_len = len(base)
        blocks: list[tuple[int, int, int]] = []  # (base_start, current_start, length) in characters
        lb, lc = base.splitlines(keepends=True), current.splitlines(keepends=True)
        sb, sc = _starts(lb), _starts(lc)
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, lb, lc, autojunk=False).get_opcodes():
            if tag == "equal":
                blocks.append((sb[i1], sc[j1], sb[i2] - sb[i1]))
            elif tag == "replace":
                blocks += _word_blocks(base, sb[i1], sb[i2], current, sc[j1], sc[j2])
        self.blocks = _joined(blocks)
        self._starts = [b[0] for b in self.blocks]

    def exact(self, a: int, b: int) -> tuple[int, int] | None:
        """Where [a, b) is in the current text, if it and its immediate surroundings are unchanged."""
        ix = bisect_right(self._starts, a) - 1
        if ix < 0:
            return None
        b0, c0, n = self.blocks[ix]
        lo_ok = a > b0 or a == 0
        hi_ok = b < b0 + n or b == self.base_len
        if b > b0 + n or not (lo_ok and hi_ok):
            return None
        return c0 + (a - b0), c0 + (b - b0)

    def near(self, a: int) -> int:
        """The closest sensible place in the current text for base offset ``a`` (for stale marks)."""
        ix = bisect_right(self._starts, a) - 1
        if ix >= 0:
            b0, c0, n = self.blocks[ix]
            if a <= b0 + n:
                return c0 + (a - b0)
            return c0 + n  # in a changed stretch: right after the last shared words before it
        return 0


def _base_of(copy_body: str, marks: list[Mark], new: set[int]) -> tuple[str, list[tuple[int, int]]]:
    """The copy's body with its new marks rejected, and each new mark's range in that text."""
    out, ranges, at, pos = [], [], 0, 0
    for i, m in enumerate(marks):
        if i not in new:
            continue
        out.append(copy_body[at : m.start])
        pos += m.start - at
        kept = m.rejected
        out.append(kept)
        ranges.append((pos, pos + len(kept)))
        pos += len(kept)
        at = m.end
    out.append(copy_body[at:])
    return "".join(out), ranges


def _stale_note(m: Mark, roles: dict[str, str]) -> str:
    old, new = unredact(m.old, roles), unredact(m.new, roles)
    if m.kind == "insertion":
        note = f"Suggested adding “{new}”"
    elif m.kind == "deletion":
        note = f"Suggested deleting “{old}”"
    elif m.kind == "substitution":
        note = f"Suggested replacing “{old}” with “{new}”"
    elif m.kind == "highlight":
        note = f"Highlighted “{old}”"
    else:
        return new
    return f"{note} ({STALE})."


def _safe_comment(text: str) -> str:
    text = text.replace("<<}", "<< }")
    return markup("comment", text) if can_hold("comment", text) else markup("comment", text.replace("}", ")"))


def merge_review(writer_text: str, copy_text: str) -> MergeResult:
    """The writer's text with the reviewer's marks merged in (see the module docstring)."""
    writer = parse(writer_text)
    try:
        copy = parse(copy_text)
    except DocumentError as exc:
        raise DocumentError(f"The reviewer's copy cannot be read: {exc}") from None
    roles = copy_roles(writer, copy.meta)
    notes = [] if sent_from(writer, copy.meta) else [FOREIGN]
    phrases = {name: phrase for phrase, name in roles.items()}
    w_body = writer.text[writer.front_matter_end :]
    red = redact_with_spans(w_body, phrases)
    c_body = copy.text[copy.front_matter_end :]
    c_marks = find_marks(c_body)
    w_ids = set(mark_ids(find_marks(red.text)))
    c_ids = mark_ids(c_marks)
    new = {i for i, mid in enumerate(c_ids) if mid not in w_ids}
    base, ranges = _base_of(c_body, c_marks, new)
    align = _Aligner(base, red.text)
    c_log = read_log(copy.meta)
    result = MergeResult(writer_text, already_there=len(c_marks) - len(new), notes=notes)

    placements: list[tuple[int, int, str, Entry | None]] = []  # (start, end, markup, who) in the writer's body
    prefix: dict[int, str] = {}  # comments whose highlighted text changed: "On “…”: " goes before them
    for (a, b), i in zip(ranges, sorted(new), strict=True):
        m = c_marks[i]
        # A comment right after another new mark belongs to it: the two are one item for the writer.
        counts = not (m.kind == "comment" and i - 1 in new and c_marks[i - 1].end == m.start)
        entry = c_log.get(c_ids[i])
        spot = None if i in prefix else align.exact(a, b)
        piece = None
        if spot is not None:
            wa = red.to_original(spot[0], side="start")
            wb = red.to_original(spot[1], side="end") if spot[1] > spot[0] else wa
            clash = any(x.start < wb and wa < x.end for x in find_marks(w_body)) or any(
                (pa < wb and wa < pb) or pa < wa < pb for pa, pb, _p, _e in placements
            )  # two marks inside one name both widen to the whole name: the second cannot go there
            if not clash:
                piece = _placed(m, w_body[wa:wb], roles)
        if piece is not None:
            placements.append((wa, wb, piece, entry))
            result.placed += counts
            continue
        follower = i + 1 if i + 1 in new and c_marks[i + 1].start == m.end else None
        if m.kind == "highlight" and follower is not None and c_marks[follower].kind == "comment":
            prefix[follower] = f"On “{unredact(m.old, roles)}” ({STALE}): "
            result.as_comments += 1
            continue
        at = _outside_marks(w_body, red.to_original(align.near(a), side="end"))
        had_prefix = i in prefix
        note = prefix.pop(i, "") + _stale_note(m, roles)
        placements.append((at, at, _safe_comment(note), entry))
        result.as_comments += counts and not had_prefix
    body, starts = _splice_all(w_body, placements)
    text = writer.text[: writer.front_matter_end] + body
    result.text = _merged_log(writer_text, text, starts, copy.meta)
    return result


def _placed(m: Mark, writer_words: str, roles: dict[str, str]) -> str | None:
    new = unredact(m.new, roles)
    kind, old = m.kind, writer_words
    if kind in ("insertion", "comment"):
        return markup(kind, new) if can_hold(kind, new) else None
    if kind == "substitution":
        return markup(kind, old, new) if can_hold(kind, old, new) else None
    return markup(kind, old) if can_hold(kind, old) else None


def _outside_marks(body: str, at: int) -> int:
    for m in find_marks(body):
        if m.start < at < m.end:
            return m.end
    return at


def _splice_all(body: str, placements: list[tuple[int, int, str, Entry | None]]) -> tuple[str, dict[int, Entry]]:
    """The body with every placement made; also where each placed mark starts now, with its author."""
    ordered = [p for _, p in sorted(enumerate(placements), key=lambda q: (q[1][0], q[0]))]
    out, at, length, starts = [], 0, 0, {}
    for a, b, piece, entry in ordered:
        a = max(a, at)
        out.append(body[at:a])
        length += a - at
        if entry is not None:
            starts[length] = entry
        out.append(piece)
        length += len(piece)
        at = max(at, b)
    out.append(body[at:])
    return "".join(out), starts


def _merged_log(before: str, after: str, placed: dict[int, Entry], copy_meta: dict) -> str:
    """Carries the writer's log over and attributes each merged mark to the reviewer who made it."""
    old_doc, new_doc = parse(before), parse(after)
    old_marks = find_marks(before, old_doc.front_matter_end)
    new_marks = find_marks(after, new_doc.front_matter_end)
    old_ids, new_ids = mark_ids(old_marks), mark_ids(new_marks)
    old_log = read_log(old_doc.meta)
    log: dict[str, Entry] = {}
    k = 0
    for nid, m in zip(new_ids, new_marks, strict=True):
        rel = m.start - new_doc.front_matter_end
        if rel in placed:
            entry: Entry | None = placed[rel]
        else:  # one of the writer's own marks, unchanged and in the same order
            entry = old_log.get(old_ids[k]) if k < len(old_ids) else None
            k += 1
        if entry is not None:
            log[nid] = entry
    updates: dict = {"reviews": {key: e.as_yaml() for key, e in log.items()} or None}
    known = reviewers(old_doc.meta)
    names = {str(r.get("name", "")).casefold() for r in known}
    added = [r for r in reviewers(copy_meta) if str(r.get("name", "")).casefold() not in names]
    if added:
        updates[REVIEWERS_KEY] = known + added
    info = copy_meta.get(COPY_KEY)
    raw = old_doc.meta.get(COPIES_KEY)
    if isinstance(info, dict) and isinstance(raw, list):
        stamped = []
        for e in raw:
            if isinstance(e, dict) and str(e.get("id")) == str(info.get("id")):
                e = {**e, "returned": now_stamp()}
            stamped.append(e)
        updates[COPIES_KEY] = stamped
    if "reviews" not in old_doc.meta and not log:
        updates.pop("reviews")
    return set_meta_keys(after, updates)
