"""Outline changes as text edits: add, remove and reorder points, incidents and consequences.

Each function returns one ``Edit`` (a replacement of one span of the file text), so the change is a
single undo step and everything the writer typed outside that span stays byte for byte. Changes the
method does not allow raise ``Refused`` with a sentence saying why. No Qt here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from editor.fileformat import with_meta
from editor.kinds import Kind
from editor.model import Document, Person, Section
from editor.ui.sections import ASK, THESIS, SectionRef, block_end, resolve

_ENABLED_BY = re.compile(r"^[ \t]*\**Enabled by:?\**[ \t]*:?[ \t]*(?P<names>.*?)[ \t]*$", re.M | re.I)


class Refused(ValueError):
    """An outline change the method does not allow; the message says why in plain words."""


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with ``text``; ``select`` names the section to show afterwards."""

    start: int
    end: int
    text: str
    select: SectionRef | None = None

    def apply(self, text: str) -> str:
        return text[: self.start] + self.text + text[self.end :]


def _a(name: str) -> str:
    """'An exit interview letter', 'An escalation memo', 'An upward feedback'."""
    name = name.lower()
    return f"{'An' if name[:1] in 'aeiou' else 'A'} {name}"


def _hashes(level: int) -> str:
    return "#" * max(1, min(6, level))


def _separated(text: str, at: int, block: str) -> str:
    """``block`` with the newlines it needs to sit at ``at`` as its own paragraph group."""
    before = text[:at]
    if not before or before.endswith("\n\n"):
        lead = ""
    elif before.endswith("\n"):
        lead = "\n"
    else:
        lead = "\n\n"
    after = text[at:]
    if after and not block.endswith("\n\n"):
        block = block.rstrip("\n") + "\n\n"
    return lead + block


def _point_level(doc: Document) -> int:
    return doc.points[0].section.level if doc.points else 2


def add_point(doc: Document, kind: Kind) -> Edit:
    if len(doc.points) >= kind.max_points:
        raise Refused(
            f"{_a(kind.name)} keeps to at most {kind.max_points} points, so the strongest ones get read. "
            "Fold this idea into an existing point, or remove the weakest point first."
        )
    level = _point_level(doc)
    block = (
        f"{_hashes(level)} Point: \n\n{_hashes(level + 1)} Incident: \n\n\nEnabled by: \n\n"
        f"{_hashes(level + 1)} Consequence\n\n\n"
    )
    if doc.points:
        at = block_end(doc, doc.points[-1].section)
    elif doc.ask is not None:
        at = doc.ask.start
    else:
        at = len(doc.text)
    return Edit(at, at, _separated(doc.text, at, block), ("point", len(doc.points)))


def _point(doc: Document, index: int):
    if not 0 <= index < len(doc.points):
        raise Refused("Select a point first, then add to it.")
    return doc.points[index]


def add_incident(doc: Document, point_index: int) -> Edit:
    p = _point(doc, point_index)
    level = p.section.level + 1
    at = block_end(doc, p.section)
    block = f"{_hashes(level)} Incident: \n\n\nEnabled by: \n\n"
    return Edit(at, at, _separated(doc.text, at, block), ("incident", point_index, len(p.incidents)))


def add_consequence(doc: Document, point_index: int) -> Edit:
    p = _point(doc, point_index)
    level = p.section.level + 1
    at = block_end(doc, p.section)
    block = f"{_hashes(level)} Consequence\n\n\n"
    return Edit(at, at, _separated(doc.text, at, block), ("consequence", point_index, len(p.consequences)))


def _required(ref: SectionRef, kind: Kind) -> str | None:
    if ref == THESIS:
        return "Every document needs its thesis; clear or rewrite its text instead of removing it."
    if ref == ASK and kind.requires_ask:
        return f"{_a(kind.name)} needs an Ask; rewrite it instead of removing it."
    if ref[0] == "details":
        return "The details (title, author, date) cannot be removed."
    return None


def remove_section(doc: Document, ref: SectionRef, kind: Kind) -> Edit:
    why = _required(ref, kind)
    if why:
        raise Refused(why)
    s = resolve(doc, ref)
    if s is None:
        raise Refused("That section is no longer in the document.")
    end = block_end(doc, s)
    after: SectionRef | None = None
    if ref[0] == "point":
        after = ("point", ref[1] - 1) if ref[1] > 0 else (("point", 0) if len(doc.points) > 1 else THESIS)
    elif ref[0] in ("incident", "consequence"):
        after = ("point", ref[1])
    return Edit(s.start, end, "", after)


def _siblings(doc: Document, ref: SectionRef) -> list[tuple[SectionRef, Section]]:
    """The sections ``ref`` can swap places with, in document order."""
    if ref[0] == "point":
        return [(("point", i), p.section) for i, p in enumerate(doc.points)]
    if ref[0] in ("incident", "consequence"):
        p = _point(doc, ref[1])
        kids = [(("incident", ref[1], j), inc.section) for j, inc in enumerate(p.incidents)]
        kids += [(("consequence", ref[1], j), c) for j, c in enumerate(p.consequences)]
        return sorted(kids, key=lambda k: k[1].start)
    raise Refused("Only points, incidents and consequences can be moved.")


def _block(doc: Document, s: Section) -> str:
    text = doc.text[s.start : block_end(doc, s)]
    return text if text.endswith("\n") else text + "\n"


def move_section(doc: Document, ref: SectionRef, delta: int) -> Edit:
    """Swaps a point (with its incidents and consequences) or a point's child with its neighbour."""
    sibs = _siblings(doc, ref)
    refs = [r for r, _ in sibs]
    if ref not in refs:
        raise Refused("That section is no longer in the document.")
    i = refs.index(ref)
    j = i + (1 if delta > 0 else -1)
    if not 0 <= j < len(sibs):
        where = "first" if delta < 0 else "last"
        raise Refused(f"It is already the {where} {'point' if ref[0] == 'point' else 'part of this point'}.")
    (_ra, a), (_rb, b) = sorted([sibs[i], sibs[j]], key=lambda k: k[1].start)
    a_end, b_end = block_end(doc, a), block_end(doc, b)
    middle = doc.text[a_end : b.start]
    new = _block(doc, b) + middle + _block(doc, a)
    if b_end == len(doc.text) and not doc.text.endswith("\n"):
        new = new.rstrip("\n")
    moved = ref
    if ref[0] == "point":
        moved = ("point", j)
    else:
        # the moved child keeps its role; its index among same-role siblings may change
        order = [r for r, _ in sibs]
        order[i], order[j] = order[j], order[i]
        same = [r for r in order if r[0] == ref[0]]
        moved = (ref[0], ref[1], same.index(ref))
    return Edit(a.start, b_end, new, moved)


def set_enabled_by(doc: Document, ref: SectionRef, names: list[str]) -> Edit:
    """Writes the incident's 'Enabled by:' line (adding one at the end of its text if missing)."""
    s = resolve(doc, ref)
    if s is None or ref[0] != "incident":
        raise Refused("Select an incident to say who enabled it.")
    joined = ", ".join(n.strip() for n in names if n.strip())
    m = _ENABLED_BY.search(doc.text, s.body_start, s.end)
    if m:
        return Edit(m.start("names"), m.end("names"), joined, ref)
    body = doc.text[s.body_start : s.end]
    at = s.body_start + len(body.rstrip())
    line = f"Enabled by: {joined}"
    if at == s.body_start:
        return Edit(at, at, f"\n{line}\n" + ("\n" if s.end < len(doc.text) and not body.strip("\n") else ""), ref)
    return Edit(at, at, f"\n\n{line}", ref)


def set_title(doc: Document, ref: SectionRef, title: str) -> Edit:
    """Rewrites the words after 'Point:' / 'Incident:' (or a custom section's whole heading)."""
    s = resolve(doc, ref)
    if s is None:
        raise Refused("That section is no longer in the document.")
    title = " ".join(title.split())
    line_end = doc.text.find("\n", s.start)
    line_end = len(doc.text) if line_end == -1 else line_end
    line = doc.text[s.start : line_end]
    m = re.match(r"(#{1,6}[ \t]+)(.*?)([ \t#]*)$", line)
    if m is None:  # pragma: no cover - parse only makes sections from heading lines
        raise Refused("That heading could not be read.")
    words_at = s.start + m.start(2)
    words = m.group(2) if "#" in m.group(3) else line[m.start(2) :]
    if ref[0] == "other":
        return Edit(words_at, words_at + len(words), title, ref)
    head, colon, _rest = words.partition(":")
    if colon:
        start = words_at + len(head) + 1
        return Edit(start, words_at + len(words), f" {title}", ref)
    return Edit(words_at + len(words), words_at + len(words), f": {title}", ref)


def set_meta(doc: Document, meta: dict) -> Edit:
    """Replaces only the front matter; the body is untouched."""
    new = with_meta(doc, meta)
    body = doc.text[doc.front_matter_end :]
    head = new[: len(new) - len(body)] if body else new
    return Edit(0, doc.front_matter_end, head, None)


def renamed_people(before: list[Person], after: list[Person]) -> dict[str, str]:
    """Old name → new name for registry rows whose name was edited in place (same row, same count)."""
    if len(before) != len(after):
        return {}  # a row added or removed: names moved, nothing was renamed
    return {b.name: a.name for b, a in zip(before, after, strict=True) if b.name and a.name and b.name != a.name}


def set_meta_renaming(doc: Document, meta: dict, renames: dict[str, str]) -> tuple[Edit, int]:
    """The new front matter and, for each renamed person, the ``Enabled by:`` lines naming them, as one edit.

    Without this a rename in the people table left every incident naming the old name, and the check
    then warned about an unknown person the writer had just fixed. Returns the edit and how many lines
    it rewrites.
    """
    edit = set_meta(doc, meta)
    spans = sorted(inc.enabled_by_span for p in doc.points for inc in p.incidents if inc.enabled_by_span)
    if not renames or not spans:
        return edit, 0
    new_name = {old.casefold(): new for old, new in renames.items()}
    names = "|".join(re.escape(old) for old in sorted(renames, key=len, reverse=True))
    whole = re.compile(rf"(?<!\w)(?:{names})(?!\w)", re.I)
    text = doc.text
    pieces, at, changed = [edit.text], doc.front_matter_end, 0
    for a, b in spans:
        line = whole.sub(lambda m: new_name[m.group().casefold()], text[a:b])
        changed += line != text[a:b]
        pieces += [text[at:a], line]
        at = b
    if not changed:
        return edit, 0
    return Edit(0, at, "".join(pieces), None), changed
