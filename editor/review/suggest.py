"""Reviewer mode without Qt: every edit becomes a suggestion instead of a change.

Typing adds ``{++…++}``, deleting marks ``{--…--}``, typing over a selection makes ``{~~old~>new~~}``,
and Comment wraps the selection as ``{==…==}{>>…<<}``. Consecutive typing, backspacing or deleting
grows the reviewer's own mark instead of making a new one per key; the reviewer's own inserted text and
comments are edited directly. Other people's marks are never changed. Each operation takes the whole
file text and a selection and returns the new text and where the cursor goes, with the review log
(who, when) updated in the front matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from editor.criticmarkup import CLOSE, OPEN, SUB_MID, Mark, can_hold, markup
from editor.review.frontmatter import header
from editor.review.log import commit, mark_ids, read_log


class Refused(Exception):
    """The edit cannot be made as a suggestion; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class Result:
    text: str
    cursor: int
    anchor: int | None = None  # selection anchor when the result selects something

    @property
    def selection(self) -> tuple[int, int]:
        a = self.cursor if self.anchor is None else self.anchor
        return min(a, self.cursor), max(a, self.cursor)


_EDITABLE = ("insertion", "substitution", "comment")  # the reviewer's own text inside these is theirs to edit


class _State:
    def __init__(self, text: str, reviewer: str) -> None:
        from editor.criticmarkup import find_marks

        meta, self.body = header(text)
        self.text = text
        self.marks = find_marks(text, self.body)
        log = read_log(meta)
        who = reviewer.casefold()
        self.own = [bool(e and e.by.casefold() == who) for e in (log.get(i) for i in mark_ids(self.marks))]

    def at(self, p: int) -> tuple[int, Mark] | None:
        """The mark whose markup strictly contains position ``p``."""
        for i, m in enumerate(self.marks):
            if m.start < p < m.end:
                return i, m
            if m.start >= p:
                break
        return None

    def ending_at(self, p: int) -> tuple[int, Mark] | None:
        for i, m in enumerate(self.marks):
            if m.end == p:
                return i, m
        return None

    def starting_at(self, p: int) -> tuple[int, Mark] | None:
        for i, m in enumerate(self.marks):
            if m.start == p:
                return i, m
        return None

    def editable(self, i: int) -> bool:
        return self.own[i] and self.marks[i].kind in _EDITABLE

    def own_deletion(self, found: tuple[int, Mark] | None) -> bool:
        return found is not None and self.own[found[0]] and found[1].kind == "deletion"

    def check_body(self, p: int) -> None:
        if p < self.body:
            raise Refused("The header (between the --- lines) belongs to the writer; suggest changes in the text.")


def _finish(state: _State, new_text: str, cursor: int, reviewer: str, when: datetime | None, anchor=None) -> Result:
    """Carries the review log over; the front matter may change length, so positions shift with it."""
    out = commit(state.text, new_text, author=reviewer, when=when)
    shift = len(out) - len(new_text)
    return Result(out, cursor + shift, None if anchor is None else anchor + shift)


def _checked(kind: str, content: str, new: str = "") -> str:
    try:
        return markup(kind, content, new)
    except ValueError:
        raise Refused(f"That text would close the mark early (it contains '{CLOSE[kind]}').") from None


def _edit_inside(state: _State, i: int, a: int, b: int, typed: str) -> tuple[str, int]:
    """Replaces [a, b) inside the reviewer's own mark ``i`` (within its editable text)."""
    m = state.marks[i]
    s0, s1 = m.new_span
    a, b = max(a, s0), min(b, s1)
    content = state.text[s0:a] + typed + state.text[b:s1]
    t = state.text
    if m.kind == "substitution":
        if content:
            piece = _checked("substitution", m.old, content)
            cursor = m.start + len(OPEN["substitution"]) + len(m.old) + len(SUB_MID) + (a - s0) + len(typed)
        else:  # nothing left of the new side: the suggestion is now a deletion
            piece, cursor = _checked("deletion", m.old), m.start
    elif m.kind == "insertion" and not content:
        piece, cursor = "", m.start
    else:
        piece = _checked(m.kind, content)
        cursor = s0 + (a - s0) + len(typed)
    return t[: m.start] + piece + t[m.end :], cursor


def type_text(text: str, start: int, end: int, typed: str, reviewer: str, when: datetime | None = None) -> Result:
    """What typing ``typed`` with [start, end) selected does in reviewer mode."""
    if not typed:
        return Result(text, end)
    st = _State(text, reviewer)
    a, b = min(start, end), max(start, end)
    st.check_body(a)
    if a == b:
        return _type_at(st, a, typed, reviewer, when)
    inside_a, inside_b = st.at(a), st.at(b)
    if inside_a and inside_b and inside_a[0] == inside_b[0] and st.editable(inside_a[0]):
        s0, s1 = inside_a[1].new_span
        if s0 <= a and b <= s1:
            new, cursor = _edit_inside(st, inside_a[0], a, b, typed)
            return _finish(st, new, cursor, reviewer, when)
    if not any(m.start < b and a < m.end for m in st.marks):
        piece = _checked("substitution", text[a:b], typed)
        cursor = a + len(piece) - len(CLOSE["substitution"])
        return _finish(st, text[:a] + piece + text[b:], cursor, reviewer, when)
    # A selection across marks: suggest deleting what can be deleted, then insert after it.
    deleted = delete(text, a, b, reviewer, forward=True, when=when)
    return type_text(deleted.text, deleted.cursor, deleted.cursor, typed, reviewer, when)


def _type_at(st: _State, p: int, typed: str, reviewer: str, when: datetime | None) -> Result:
    text = st.text
    inside = st.at(p)
    if inside is not None:
        i, m = inside
        s0, s1 = m.new_span
        if st.editable(i) and s0 <= p <= s1:
            new, cursor = _edit_inside(st, i, p, p, typed)
            return _finish(st, new, cursor, reviewer, when)
        p = m.end  # inside someone else's mark (or its delimiters): suggest right after it
    before, after = st.ending_at(p), st.starting_at(p)
    if before is not None and st.own[before[0]] and before[1].kind in ("insertion", "substitution"):
        s1 = before[1].new_span[1]
        new, cursor = _edit_inside(st, before[0], s1, s1, typed)
        return _finish(st, new, cursor, reviewer, when)
    if st.own_deletion(before):  # deleted, then typed: one substitution
        m = before[1]
        piece = _checked("substitution", m.old, typed)
        cursor = m.start + len(piece) - len(CLOSE["substitution"])
        return _finish(st, text[: m.start] + piece + text[m.end :], cursor, reviewer, when)
    if after is not None and st.own[after[0]] and after[1].kind == "insertion":
        s0 = after[1].new_span[0]
        new, cursor = _edit_inside(st, after[0], s0, s0, typed)
        return _finish(st, new, cursor, reviewer, when)
    piece = _checked("insertion", typed)
    cursor = p + len(OPEN["insertion"]) + len(typed)
    return _finish(st, text[:p] + piece + text[p:], cursor, reviewer, when)


def backspace(text: str, p: int, reviewer: str, when: datetime | None = None) -> Result:
    """Backspace with no selection: the character before the cursor is marked deleted."""
    st = _State(text, reviewer)
    for _ in range(len(st.marks) + 2):
        st.check_body(p)
        if p <= st.body:
            return Result(text, p)
        inside = st.at(p)
        if inside is not None:
            i, m = inside
            s0, s1 = m.new_span
            if st.editable(i) and s0 < p <= s1:
                new, cursor = _edit_inside(st, i, p - 1, p, "")
                return _finish(st, new, cursor, reviewer, when)
            return Result(text, m.start)  # step over marks that are not the reviewer's own text
        ending = st.ending_at(p)
        if ending is not None:
            i, m = ending
            if st.own[i] and m.kind in ("insertion", "substitution") and m.new_span[1] > m.new_span[0]:
                s1 = m.new_span[1]
                new, cursor = _edit_inside(st, i, s1 - 1, s1, "")
                return _finish(st, new, cursor, reviewer, when)
            if st.own_deletion(ending):
                p = m.start  # keep growing the same deletion backwards
                continue
            return Result(text, m.start)
        return delete(text, p - 1, p, reviewer, forward=False, when=when)
    return Result(text, p)


def delete_forward(text: str, p: int, reviewer: str, when: datetime | None = None) -> Result:
    """Delete with no selection: the character after the cursor is marked deleted."""
    st = _State(text, reviewer)
    st.check_body(p)
    for _ in range(len(st.marks) + 2):
        if p >= len(text):
            return Result(text, p)
        inside = st.at(p)
        if inside is not None:
            i, m = inside
            s0, s1 = m.new_span
            if st.editable(i) and s0 <= p < s1:
                new, cursor = _edit_inside(st, i, p, p + 1, "")
                return _finish(st, new, cursor, reviewer, when)
            return Result(text, m.end)
        starting = st.starting_at(p)
        if starting is not None:
            i, m = starting
            if st.own_deletion(starting):
                p = m.end  # keep growing the same deletion forwards
                continue
            return Result(text, m.end)
        return delete(text, p, p + 1, reviewer, forward=True, when=when)
    return Result(text, p)


def delete(text: str, start: int, end: int, reviewer: str, *, forward: bool, when: datetime | None = None) -> Result:
    """Marks [start, end) deleted: plain text becomes ``{--…--}`` (joined with the reviewer's own deletions
    it touches), the reviewer's own inserted text and comments inside it are removed outright, and other
    marks are left as they are. The cursor goes to the start (Backspace) or the end (Delete) of the result.
    """
    st = _State(text, reviewer)
    a, b = min(start, end), max(start, end)
    st.check_body(a)
    if a == b:
        return Result(text, a)
    a, b = _widen(st, a, max(b, st.body))
    tokens: list[tuple[str, str]] = []  # ("del", deleted text) or ("raw", markup kept as it is)
    pos = a
    for i, m in enumerate(st.marks):
        if m.end <= a or m.start >= b:
            continue
        if m.start > pos:
            tokens.append(("del", text[pos : m.start]))
        seg_a, seg_b = max(a, m.start), min(b, m.end)
        if st.own[i] and m.kind == "deletion":
            tokens.append(("del", m.old))
        elif st.editable(i):
            s0, s1 = m.new_span
            cut_a, cut_b = max(seg_a, s0), min(seg_b, s1)
            if cut_a < cut_b:
                edited, _ = _edit_inside(st, i, cut_a, cut_b, "")
                piece = edited[m.start : len(edited) - (len(text) - m.end)]
                if m.kind == "substitution" and piece.startswith(OPEN["deletion"]):
                    tokens.append(("del", m.old))
                else:
                    tokens.append(("raw", piece[seg_a - m.start : len(piece) - (m.end - seg_b)]))
            else:
                tokens.append(("raw", text[seg_a:seg_b]))
        else:
            tokens.append(("raw", text[seg_a:seg_b]))
        pos = m.end
    if pos < b:
        tokens.append(("del", text[pos:b]))
    merged: list[tuple[str, str]] = []
    for kind, value in tokens:
        if kind == "del" and merged and merged[-1][0] == "del":
            merged[-1] = ("del", merged[-1][1] + value)
        elif value or kind == "del":
            merged.append((kind, value))
    out = "".join(_checked("deletion", v) if k == "del" and v else v for k, v in merged)
    new = text[:a] + out + text[b:]
    return _finish(st, new, a + len(out) if forward else a, reviewer, when)


def _widen(st: _State, a: int, b: int) -> tuple[int, int]:
    """Moves range ends out of marks they would cut (except inside the reviewer's own text) and takes in
    the reviewer's own deletions that touch the range, so they join into one."""
    for p_is_a in (True, False):
        p = a if p_is_a else b
        inside = st.at(p)
        if inside is not None:
            i, m = inside
            s0, s1 = m.new_span
            if not (st.editable(i) and s0 <= p <= s1):
                p = m.start if p_is_a else m.end
        if p_is_a:
            a = p
        else:
            b = p
    for i, m in enumerate(st.marks):  # all of a mark's own text goes: the whole mark is in the range
        s0, s1 = m.new_span
        if st.editable(i) and m.start < b and a < m.end and a <= s0 and b >= s1:
            a, b = min(a, m.start), max(b, m.end)
    before, after = st.ending_at(a), st.starting_at(b)
    if st.own_deletion(before):
        a = before[1].start
    if st.own_deletion(after):
        b = after[1].end
    return a, b


def comment(text: str, start: int, end: int, note: str, reviewer: str, when: datetime | None = None) -> Result:
    """Attaches a comment to the selection (``{==sel==}{>>note<<}``) or at the cursor (``{>>note<<}``).

    The cursor lands at the end of the comment text, so the reviewer can type it there when ``note`` is empty.
    """
    st = _State(text, reviewer)
    a, b = min(start, end), max(start, end)
    st.check_body(a)
    inside = st.at(a)
    if a == b:
        if inside is not None:
            a = b = inside[1].end
        piece = _checked("comment", note)
        return _finish(st, text[:a] + piece + text[a:], a + len(piece) - 3, reviewer, when)
    if any(m.start < b and a < m.end for m in st.marks):
        raise Refused("Select plain text to comment on; the selection runs into another mark.")
    if not can_hold("highlight", text[a:b]):
        raise Refused("That selection cannot be highlighted (it contains '==}').")
    piece = markup("highlight", text[a:b]) + _checked("comment", note)
    return _finish(st, text[:a] + piece + text[b:], a + len(piece) - 3, reviewer, when)
