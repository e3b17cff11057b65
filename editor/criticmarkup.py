"""Review marks in CriticMarkup (DESIGN.md §3): find them with exact offsets, write them, accept or reject them.

Finding marks is pymdown-extensions' own scanner (``pymdownx.critic.find_critics``, or its ``RE_CRITIC`` on
releases before 13), so the editor sees exactly the marks the PDF renderer sees. Anything that is not a
complete mark — an unclosed ``{++`` for instance — is plain text and is kept verbatim.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pymdownx import critic as _critic

KIND_LABELS = {
    "insertion": "Suggested insertion",
    "deletion": "Suggested deletion",
    "substitution": "Suggested change",
    "highlight": "Highlight",
    "comment": "Comment",
}
EDIT_KINDS = ("insertion", "deletion", "substitution")

# Opening and closing delimiters per kind; a substitution also has the "~>" separator.
OPEN = {"insertion": "{++", "deletion": "{--", "substitution": "{~~", "highlight": "{==", "comment": "{>>"}
CLOSE = {"insertion": "++}", "deletion": "--}", "substitution": "~~}", "highlight": "==}", "comment": "<<}"}
SUB_MID = "~>"
_KIND_OF = {"++": "insertion", "--": "deletion", "~~": "substitution", "==": "highlight", ">>": "comment"}


@dataclass(frozen=True, slots=True)
class Mark:
    """One mark; ``start``/``end`` span its whole markup in the text it was found in."""

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
        """The text that replaces the mark when it is rejected: the text as it was before the reviewer."""
        return {"insertion": "", "deletion": self.old, "substitution": self.old, "highlight": self.old}.get(
            self.kind, ""
        )

    @property
    def old_span(self) -> tuple[int, int]:
        """Offsets of the old (removed or highlighted) text inside the markup; empty for insertions/comments."""
        at = self.start + 3
        return (at, at + len(self.old)) if self.kind in ("deletion", "substitution", "highlight") else (at, at)

    @property
    def new_span(self) -> tuple[int, int]:
        """Offsets of the new (inserted) text or of the comment inside the markup."""
        if self.kind == "substitution":
            return self.end - 3 - len(self.new), self.end - 3
        at = self.start + 3
        return (at, at + len(self.new)) if self.kind in ("insertion", "comment") else (at, at)

    @property
    def content_span(self) -> tuple[int, int]:
        """Offsets between the opening and closing delimiters."""
        return self.start + 3, self.end - 3


def _scan(text: str) -> Iterator[tuple[int, int, str, str, str | None]]:
    if hasattr(_critic, "find_critics"):
        yield from _critic.find_critics(text)
        return
    for m in _critic.RE_CRITIC.finditer(text):  # pymdown-extensions < 13
        if m.group("ins_open"):
            yield m.start(), m.end(), "++", m.group("ins_text"), None
        elif m.group("del_open"):
            yield m.start(), m.end(), "--", m.group("del_text"), None
        elif m.group("mark_open"):
            yield m.start(), m.end(), "==", m.group("mark_text"), None
        elif m.group("com_open"):
            yield m.start(), m.end(), ">>", m.group("com_text"), None
        else:
            yield m.start(), m.end(), "~~", m.group("sub_del_text"), m.group("sub_ins_text")


def find_marks(text: str, start: int = 0, end: int | None = None) -> list[Mark]:
    """Every complete mark in ``text[start:end]``, with offsets into ``text``."""
    stop = len(text) if end is None else end
    out = []
    for a, b, code, content, sub in _scan(text[start:stop]):
        kind = _KIND_OF[code]
        a, b = a + start, b + start
        if kind == "substitution":
            out.append(Mark(kind, a, b, content, sub or ""))
        elif kind in ("deletion", "highlight"):
            out.append(Mark(kind, a, b, content, ""))
        else:
            out.append(Mark(kind, a, b, "", content))
    return out


def can_hold(kind: str, content: str, new: str = "") -> bool:
    """Whether the content can be written as one mark of this kind and read back unchanged."""
    text = markup(kind, content, new, check=False)
    found = find_marks(text)
    if len(found) != 1 or (found[0].start, found[0].end) != (0, len(text)):
        return False
    m = found[0]
    if kind == "substitution":
        return (m.old, m.new) == (content, new)
    return (m.new if kind in ("insertion", "comment") else m.old) == content


def markup(kind: str, content: str, new: str = "", *, check: bool = True) -> str:
    """The CriticMarkup for one mark: ``content`` is the inserted, deleted, highlighted or comment text;
    for a substitution ``content`` is the old text and ``new`` the replacement.

    Raises ValueError when the content holds the mark's own closing sequence (it would end the mark early).
    """
    if kind == "substitution":
        text = f"{OPEN[kind]}{content}{SUB_MID}{new}{CLOSE[kind]}"
    else:
        text = f"{OPEN[kind]}{content}{CLOSE[kind]}"
    if check and not can_hold(kind, content, new):
        raise ValueError(f"this text cannot be held in one {KIND_LABELS[kind].lower()} mark")
    return text


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


def accept_all(text: str, start: int = 0) -> str:
    """The text with every mark from ``start`` on accepted and every comment removed."""
    return _apply(text, find_marks(text, start), True)


def reject_all(text: str, start: int = 0) -> str:
    """The text as it was before the review: every mark from ``start`` on rejected, comments removed."""
    return _apply(text, find_marks(text, start), False)


def resolve(text: str, mark: Mark, accept: bool) -> str:
    return _apply(text, [mark], accept)


def mask_marks(text: str) -> str:
    """The text as it reads with every mark accepted, padded so offsets stay put (for linters).

    Delimiters, deleted text, the old side of substitutions and comments become spaces (line breaks are
    kept so line numbers hold); inserted and highlighted words stay at their original offsets.
    """
    chars = list(text)
    for mk in find_marks(text):
        keep = mk.old_span if mk.kind == "highlight" else mk.new_span
        if mk.kind == "comment":
            keep = (mk.start, mk.start)
        for i in range(mk.start, mk.end):
            if not keep[0] <= i < keep[1] and chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)
