"""The outline as the guided editor sees it: stable references to sections, and each one's state.

A reference (``SectionRef``) names a section by its place in the method — ``("point", 1)``,
``("incident", 1, 0)`` — rather than by offset, so a selection survives edits elsewhere in the text.
No Qt here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from editor.findings import Finding
from editor.model import Document, Section

SectionRef = tuple
DETAILS: SectionRef = ("details",)
THESIS: SectionRef = ("thesis",)
ASK: SectionRef = ("ask",)

EMPTY, NEEDS_WORK, GOOD = "empty", "needs work", "good"
_ENABLED_LINE = re.compile(r"^[ \t]*\**Enabled by:?.*$", re.M | re.I)
_ENABLED_LABEL = re.compile(r"^[ \t]*\**Enabled by:?\**:?", re.M | re.I)
_COMMENTS = re.compile(r"<!--.*?-->|\{>>.*?<<\}", re.S)


@dataclass(frozen=True)
class Entry:
    """One row of the outline: a section (None for the front-matter details) and where it sits."""

    ref: SectionRef
    section: Section | None
    depth: int
    label: str


@dataclass
class State:
    state: str
    findings: list[Finding] = field(default_factory=list)


def entries(doc: Document) -> list[Entry]:
    """The outline rows in document order: details, then every heading, points with their children."""
    points = {id(p.section): i for i, p in enumerate(doc.points)}
    children: dict[int, tuple[str, int, int]] = {}
    for i, p in enumerate(doc.points):
        for j, inc in enumerate(p.incidents):
            children[id(inc.section)] = ("incident", i, j)
        for j, cons in enumerate(p.consequences):
            children[id(cons)] = ("consequence", i, j)
    out = [Entry(DETAILS, None, 0, "Details")]
    others = 0
    for s in doc.sections:
        if s is doc.thesis:
            out.append(Entry(THESIS, s, 0, "Thesis"))
        elif s is doc.ask:
            out.append(Entry(ASK, s, 0, "Ask"))
        elif id(s) in points:
            i = points[id(s)]
            out.append(Entry(("point", i), s, 0, f"Point {i + 1}: {s.title}" if s.title else f"Point {i + 1}"))
        elif id(s) in children:
            role, i, j = children[id(s)]
            label = s.label() if role == "incident" else (f"Consequence: {s.title}" if s.title else "Consequence")
            out.append(Entry((role, i, j), s, 1, label))
        else:
            out.append(Entry(("other", others), s, 0, s.label() or "Untitled section"))
            others += 1
    return out


def resolve(doc: Document, ref: SectionRef) -> Section | None:
    """The section a reference names in this version of the document, or None if it is gone."""
    for e in entries(doc):
        if e.ref == ref:
            return e.section
    return None


def role_of(ref: SectionRef) -> str:
    return ref[0]


def block_end(doc: Document, section: Section) -> int:
    """Where a section's block ends: at the next heading of the same or a higher level (or the end)."""
    after = False
    for s in doc.sections:
        if s is section:
            after = True
        elif after and s.level <= section.level:
            return s.start
    return len(doc.text)


def prose(doc: Document, section: Section, *, keep_names: bool = False) -> str:
    """The words a writer put in a section, without the Enabled-by line (or just its label) and comments."""
    body = section.body(doc.text)
    body = _ENABLED_LABEL.sub("", body) if keep_names else _ENABLED_LINE.sub("", body)
    return _COMMENTS.sub(" ", body).strip()


def _is_empty(doc: Document, entry: Entry) -> bool:
    if entry.section is None:
        return not (doc.title or doc.author)
    s = entry.section
    if entry.ref[0] in ("incident", "other", "point") and s.title:
        return False
    return not prose(doc, s, keep_names=True)


def states(doc: Document, findings: Iterable[Finding]) -> dict[SectionRef, State]:
    """empty / needs work / good for every outline row; a point also carries its children's state."""
    rows = entries(doc)
    out = {e.ref: State(EMPTY if _is_empty(doc, e) else GOOD) for e in rows}
    spans = [(e.ref, e.section.start, e.section.end) for e in rows if e.section is not None]
    for f in findings:
        if f.severity not in ("error", "warning"):
            continue
        if f.start < doc.front_matter_end:
            out[DETAILS].findings.append(f)
            continue
        for ref, a, b in spans:
            if a <= f.start < b:
                out[ref].findings.append(f)
                break
    for e in rows:
        st = out[e.ref]
        if st.findings and st.state != EMPTY:
            st.state = NEEDS_WORK
    for i, point in enumerate(doc.points):
        ref = ("point", i)
        kids = [out[e.ref] for e in rows if e.ref[0] in ("incident", "consequence") and e.ref[1] == i]
        own = out[ref]
        if own.state == EMPTY and all(k.state == EMPTY for k in kids):
            continue
        untitled = not point.section.title
        own.state = NEEDS_WORK if (untitled or own.findings or any(k.state != GOOD for k in kids)) else GOOD
    return out
