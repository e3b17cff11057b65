"""The prose of a draft, paragraph by paragraph, as LanguageTool should read it.

What is sent: the words a reader sees. What is not: the front matter, headings' role labels,
``Enabled by:`` lines, code, tables, HTML and Markdown syntax, and CriticMarkup syntax, comments
and deletions (``mask_marks`` gives the text as it reads with every mark accepted). Each sent
character remembers its offset in the file text, so a LanguageTool match maps back exactly.

Quoted words (inside double quotes, block quotes, code spans and URLs) are sent, because the
sentence around them needs them, but marked *quiet*: a finding inside them is dropped, since a
quotation is evidence and its wording is not the writer's to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from editor.criticmarkup import mask_marks

_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_ROLE_LABEL = re.compile(
    r"^(?:thesis|point|incident|story|example|consequences?|impact|ask|the ask|request|what i am asking)\b\s*:?\s*",
    re.I,
)
_ENABLED_BY = re.compile(r"^[ \t]*\**Enabled by\b", re.I)
_SKIP_LINE = re.compile(
    r"^[ \t]*\|"  # table row
    r"|^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$"  # horizontal rule (or a setext heading's ---)
    r"|^[ \t]{0,3}=+[ \t]*$"  # a setext heading's ===
    r"|^[ \t]{0,3}\[[^\]]+\]:[ \t]"  # link reference definition
    r"|^[ \t]*<!--.*-->[ \t]*$"  # a comment line
)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_QUOTE_MARKERS = re.compile(r"^(?:[ \t]{0,3}>[ \t]?)+")
_INDENTED_CODE = re.compile(r"^(?: {4}|\t)")
_BLANK = re.compile(r"\s")
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)  # unclosed: to the end, as HTML reads it (and linear)

# Inline syntax, matched on a paragraph's text (line breaks already turned into spaces).
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# no "[" in link text and no "(" in a destination: each scan stops at the next bracket, so a run of
# unclosed "[a " or "[a](" stays linear (nested brackets in link text are rare enough to read as text)
_IMAGE = re.compile(r"!\[[^\][]*\]\([^()]*\)")
_LINK = re.compile(r"(\[)([^\][]+)(\]\([^()]*\)|\]\[[^\][]*\])")
_FOOTNOTE_REF = re.compile(r"\[\^[^\][]+\]")
_AUTOLINK = re.compile(r"(<)((?:https?://|mailto:)[^>\s]+)(>)")
_BARE_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()]+[^\s<>().,;:!?\"'”’]")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_EMPHASIS = re.compile(r"\*+|~~|(?<!\w)_+|_+(?!\w)")
_ESCAPE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!>|~])")
_QUOTED = re.compile(r"“([^”]*)”|\"([^\"]*)\"")


@dataclass(frozen=True, slots=True)
class ProseChunk:
    """One paragraph as sent to LanguageTool, with the way back to the file text."""

    text: str
    origins: tuple[int, ...]  # origins[i]: offset in the file text of text[i]
    quiet: tuple[tuple[int, int], ...] = ()  # file spans where findings are dropped (quotations, code, URLs)

    def file_span(self, start: int, length: int) -> tuple[int, int]:
        """File offsets [start, end) of ``text[start:start + length]``."""
        start = max(0, min(start, len(self.text)))
        end = max(start, min(start + length, len(self.text)))
        if not self.origins:
            return 0, 0
        if start == end:
            at = self.origins[start] if start < len(self.origins) else self.origins[-1] + 1
            return at, at
        return self.origins[start], self.origins[end - 1] + 1

    def is_exact(self, file_text: str, start: int, length: int) -> bool:
        """True when the file span reads like the sent span, so replacing it cannot break markup."""
        fs, fe = self.file_span(start, length)
        return _squash(file_text[fs:fe]) == _squash(self.text[start : start + length])

    def is_quiet(self, file_start: int, file_end: int) -> bool:
        return any(a <= file_start and file_end <= b for a, b in self.quiet)


def _squash(s: str) -> str:
    return " ".join(s.split())


class _Paragraph:
    def __init__(self, quoted: bool = False) -> None:
        self.ranges: list[tuple[int, int]] = []
        self.quoted = quoted


def prose_chunks(text: str, body_start: int = 0) -> list[ProseChunk]:
    """The paragraphs of ``text`` after ``body_start`` (the end of the front matter), ready to send."""
    masked = mask_marks(text)
    # mask_marks blanks removed text to spaces and keeps line breaks; stand every blank in with a NUL
    # to learn which spaces and line breaks a mark removes.
    flat = _BLANK.sub("\x00", text)
    removed = bytearray(a != b for a, b in zip(flat, mask_marks(flat), strict=True))
    for m in _HTML_COMMENT.finditer(masked, body_start):
        removed[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    chunks: list[ProseChunk] = []
    for para in _paragraphs(masked, body_start):
        chunk = _chunk(masked, removed, para)
        if chunk is not None and any(c.isalpha() for c in chunk.text):
            chunks.append(chunk)
    return chunks


def _paragraphs(masked: str, body_start: int) -> list[_Paragraph]:
    out: list[_Paragraph] = []
    cur: _Paragraph | None = None
    in_fence = False
    last_kind = "blank"

    def flush() -> None:
        nonlocal cur
        if cur is not None and cur.ranges:
            out.append(cur)
        cur = None

    pos = body_start
    for line in masked[body_start:].splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        content = line.rstrip("\r\n")
        end = start + len(content)
        if _FENCE.match(content):
            flush()
            in_fence, last_kind = not in_fence, "code"
            continue
        if in_fence:
            continue
        if not content.strip():
            flush()
            last_kind = "blank" if last_kind != "list" else "list"
            continue
        if _INDENTED_CODE.match(content) and cur is None and last_kind == "blank":
            last_kind = "code"
            continue
        heading = _HEADING.match(content)
        if heading:
            flush()
            title = heading.group(2)
            label = _ROLE_LABEL.match(title)
            t_start = start + heading.start(2) + (label.end() if label else 0)
            t_end = start + heading.end(2)
            if t_end > t_start:
                out.append(_Paragraph())
                out[-1].ranges.append((t_start, t_end))
            last_kind = "heading"
            continue
        if _ENABLED_BY.match(content) or _SKIP_LINE.match(content):
            flush()
            last_kind = "skip"
            continue
        item = _LIST_ITEM.match(content)
        quote = _QUOTE_MARKERS.match(content)
        if item:
            flush()
            cur = _Paragraph()
            cur.ranges.append((start + item.end(), end))
            last_kind = "list"
            continue
        if quote:
            if cur is None or not cur.quoted:
                flush()
                cur = _Paragraph(quoted=True)
            cur.ranges.append((start + quote.end(), end))
            last_kind = "quote"
            continue
        if cur is None or cur.quoted:
            flush()
            cur = _Paragraph()
        lead = len(content) - len(content.lstrip())
        cur.ranges.append((start + lead, end))
        if last_kind != "list":
            last_kind = "text"
    flush()
    return out


def _chunk(masked: str, removed: bytearray, para: _Paragraph) -> ProseChunk | None:
    # Pass 1: the paragraph's characters, CriticMarkup syntax and comments left out, lines joined by a space.
    chars: list[str] = []
    origins: list[int] = []
    for n, (a, b) in enumerate(para.ranges):
        brk = para.ranges[n - 1][1] if n else -1  # the line break before this line
        if n and not removed[brk]:
            chars.append(" ")
            origins.append(brk)
        for i in range(a, b):
            if not removed[i]:
                chars.append(masked[i])
                origins.append(i)
    pre = "".join(chars)
    # Pass 2: inline Markdown syntax to drop, and quiet spans.
    drop = bytearray(len(pre))
    quiet: list[tuple[int, int]] = []
    protected: list[tuple[int, int]] = []

    def cut(a: int, b: int) -> None:
        drop[a:b] = b"\x01" * (b - a)

    def free(m: re.Match) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in protected)

    for m in _CODE_SPAN.finditer(pre):
        cut(m.start(1), m.end(1))
        cut(m.start(2) + len(m.group(2)), m.end())
        quiet.append((m.start(2), m.end(2)))
        protected.append((m.start(), m.end()))
    for m in _IMAGE.finditer(pre):
        if free(m):
            cut(m.start(), m.end())
            protected.append((m.start(), m.end()))
    for m in _LINK.finditer(pre):
        if free(m):
            cut(m.start(1), m.end(1))
            cut(m.start(3), m.end(3))
    for m in _FOOTNOTE_REF.finditer(pre):
        if free(m):
            cut(m.start(), m.end())
    for m in _AUTOLINK.finditer(pre):
        if free(m):
            cut(m.start(1), m.end(1))
            cut(m.start(3), m.end(3))
            quiet.append((m.start(2), m.end(2)))
            protected.append((m.start(), m.end()))
    for m in _BARE_URL.finditer(pre):
        if free(m):
            quiet.append((m.start(), m.end()))
            protected.append((m.start(), m.end()))
    for rx in (_HTML_TAG, _EMPHASIS, _ESCAPE):
        for m in rx.finditer(pre):
            if free(m) and not all(drop[m.start() : m.end()]):
                cut(m.start(), m.end())
    for m in _QUOTED.finditer(pre):
        g = 1 if m.group(1) is not None else 2
        quiet.append((m.start(g), m.end(g)))
    # Pass 3: the text to send, whitespace runs collapsed (Markdown renders them as one space).
    out_chars: list[str] = []
    out_origins: list[int] = []
    for i, ch in enumerate(pre):
        if drop[i]:
            continue
        if ch.isspace():
            if not out_chars or out_chars[-1] == " ":
                continue
            ch = " "
        out_chars.append(ch)
        out_origins.append(origins[i])
    while out_chars and out_chars[-1] == " ":
        out_chars.pop()
        out_origins.pop()
    if not out_chars:
        return None
    file_quiet = [(origins[a], origins[b - 1] + 1) for a, b in quiet if b > a]
    if para.quoted:
        file_quiet.append((out_origins[0], out_origins[-1] + 1))
    return ProseChunk("".join(out_chars), tuple(out_origins), tuple(file_quiet))
