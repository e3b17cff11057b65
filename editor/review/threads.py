"""Marks as the writer sees them: review items in document order, and which sections still have any.

A highlight followed directly by comments is one commented passage (``{==sel==}{>>note<<}{>>reply<<}``);
a suggestion followed directly by comments carries the reviewer's reason; adjacent comments are a
thread of replies. The review panel lists these items and the outline asks which sections have them.
"""

from __future__ import annotations

from dataclasses import dataclass

from editor.criticmarkup import EDIT_KINDS, KIND_LABELS, Mark, find_marks
from editor.model import Document, Section
from editor.review.log import Entry, mark_ids, read_log, reviewers


@dataclass(frozen=True, slots=True)
class Message:
    """One comment of a thread, with its author and time when the log knows them."""

    text: str
    entry: Entry | None
    mark_id: str


@dataclass(frozen=True, slots=True)
class Item:
    head: Mark  # the suggestion, the highlight or the first comment
    head_id: str
    entry: Entry | None  # who made the head mark
    messages: tuple[Message, ...]  # the comments attached to the head (the head itself when it is a comment)
    start: int
    end: int
    section: str

    @property
    def kind(self) -> str:
        return self.head.kind

    @property
    def is_edit(self) -> bool:
        return self.head.kind in EDIT_KINDS

    @property
    def label(self) -> str:
        if self.head.kind == "highlight" and self.messages:
            return "Comment"
        return KIND_LABELS[self.head.kind]

    @property
    def ids(self) -> tuple[str, ...]:
        rest = tuple(m.mark_id for m in self.messages if m.mark_id != self.head_id)
        return (self.head_id, *rest)

    @property
    def summary(self) -> str:
        """One line that says what the mark proposes, for a list."""
        h = self.head
        if h.kind == "insertion":
            return f"Add “{_short(h.new)}”"
        if h.kind == "deletion":
            return f"Delete “{_short(h.old)}”"
        if h.kind == "substitution":
            return f"“{_short(h.old)}” → “{_short(h.new)}”"
        if h.kind == "highlight":
            first = self.messages[0].text if self.messages else ""
            return f"On “{_short(h.old)}”: {_short(first, 80)}" if first else f"Highlighted “{_short(h.old)}”"
        return _short(h.new, 100) or "(empty comment)"


def _short(text: str, n: int = 48) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1].rstrip() + "…"


def review_items(doc: Document) -> list[Item]:
    """The open review items of a document, in the order they appear."""
    marks = find_marks(doc.text, doc.front_matter_end)
    ids = mark_ids(marks)
    log = read_log(doc.meta)
    named = [str(r.get("name")) for r in reviewers(doc.meta) if r.get("name")]
    sole = Entry(named[0]) if len(named) == 1 else None  # one reviewer named in the header: their marks
    groups: list[list[int]] = []
    for i, m in enumerate(marks):
        prev = marks[groups[-1][-1]] if groups else None
        if m.kind == "comment" and prev is not None and prev.end == m.start:
            groups[-1].append(i)
        else:
            groups.append([i])
    items = []
    for g in groups:
        head = marks[g[0]]
        comment_ix = [i for i in g if marks[i].kind == "comment"]
        messages = tuple(Message(marks[i].new, log.get(ids[i], sole), ids[i]) for i in comment_ix)
        sec = doc.section_at(head.start)
        items.append(
            Item(
                head,
                ids[g[0]],
                log.get(ids[g[0]], sole),
                messages,
                head.start,
                marks[g[-1]].end,
                sec.label() if sec else "Details",
            )
        )
    return items


def sections_with_open_marks(doc: Document) -> dict[int, int]:
    """Open review items per section, keyed by the section's index in ``doc.sections`` (for the outline).

    Items before the first heading count under -1.
    """
    out: dict[int, int] = {}
    starts = [s.start for s in doc.sections]
    for item in review_items(doc):
        ix = -1
        for i, s in enumerate(starts):
            if s <= item.start:
                ix = i
            else:
                break
        out[ix] = out.get(ix, 0) + 1
    return out


def section_has_open_marks(doc: Document, section: Section) -> bool:
    return any(section.start <= it.start < section.end for it in review_items(doc))
