"""Review marks in CriticMarkup (DESIGN.md §3): find them with exact offsets, accept or reject them.

The mark syntax is the one pymdown-extensions' critic extension renders; here we only need the
spans, so a small scanner is enough and keeps unknown or unclosed text untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARK = re.compile(
    r"\{\+\+(?P<ins>.*?)\+\+\}"
    r"|\{--(?P<del>.*?)--\}"
    r"|\{~~(?P<old>.*?)~>(?P<new>.*?)~~\}"
    r"|\{==(?P<mark>.*?)==\}"
    r"|\{>>(?P<comment>.*?)<<\}",
    re.S,
)
KIND_LABELS = {
    "insertion": "Suggested insertion",
    "deletion": "Suggested deletion",
    "substitution": "Suggested change",
    "highlight": "Highlight",
    "comment": "Comment",
}


@dataclass(frozen=True, slots=True)
class Mark:
    kind: str  # insertion | deletion | substitution | highlight | comment
    start: int
    end: int
    old: str  # text the mark removes (deletion, substitution) or highlights
    new: str  # text the mark adds (insertion, substitution) or the comment

    @property
    def accepted(self) -> str:
        """The text that replaces the mark when it is accepted (comments vanish)."""
        return {"insertion": self.new, "deletion": "", "substitution": self.new, "highlight": self.old}.get(
            self.kind, ""
        )

    @property
    def rejected(self) -> str:
        return {"insertion": "", "deletion": self.old, "substitution": self.old, "highlight": self.old}.get(
            self.kind, ""
        )


def find_marks(text: str, start: int = 0, end: int | None = None) -> list[Mark]:
    out = []
    for m in _MARK.finditer(text, start, len(text) if end is None else end):
        if m.group("ins") is not None:
            out.append(Mark("insertion", m.start(), m.end(), "", m.group("ins")))
        elif m.group("del") is not None:
            out.append(Mark("deletion", m.start(), m.end(), m.group("del"), ""))
        elif m.group("old") is not None:
            out.append(Mark("substitution", m.start(), m.end(), m.group("old"), m.group("new")))
        elif m.group("mark") is not None:
            out.append(Mark("highlight", m.start(), m.end(), m.group("mark"), ""))
        else:
            out.append(Mark("comment", m.start(), m.end(), "", m.group("comment")))
    return out


def _apply(text: str, marks: list[Mark], accept: bool) -> str:
    parts, at = [], 0
    for mk in sorted(marks, key=lambda m: m.start):
        if mk.start < at:
            continue
        parts.append(text[at : mk.start])
        parts.append(mk.accepted if accept else mk.rejected)
        at = mk.end
    parts.append(text[at:])
    return "".join(parts)


def accept_all(text: str) -> str:
    return _apply(text, find_marks(text), True)


def reject_all(text: str) -> str:
    return _apply(text, find_marks(text), False)


def resolve(text: str, mark: Mark, accept: bool) -> str:
    return _apply(text, [mark], accept)


def mask_marks(text: str) -> str:
    """The text as it reads with every mark accepted, padded so offsets stay put (for linters).

    Mark syntax and comments become spaces; kept words stay at their original offsets.
    """
    chars = list(text)
    for mk in find_marks(text):
        seg = text[mk.start : mk.end]
        blank = [" " if c not in "\r\n" else c for c in seg]
        if mk.kind in ("insertion", "substitution", "highlight"):
            keep = mk.new if mk.kind != "highlight" else mk.old
            inner_at = seg.rfind(keep) if mk.kind == "substitution" else seg.find(keep)
            blank[inner_at : inner_at + len(keep)] = list(keep)
        chars[mk.start : mk.end] = blank
    return "".join(chars)
