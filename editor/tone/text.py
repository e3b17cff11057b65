"""What the tone lint reads: the writer's own prose, with offsets kept exact into the file text.

Markdown syntax, code, HTML comments, the front matter and the ``Enabled by:`` line are blanked
to spaces (same length, newlines kept); CriticMarkup reads as if every edit were accepted.
Quoted speech and block quotes are kept apart as evidence: rules skip them unless they say so.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from editor.criticmarkup import mask_marks
from editor.errors import DocumentError
from editor.fileformat import load_meta
from editor.tone.inline import code_spans, emphasis, link_spans

FRONT_MATTER = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M
)
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)[^\n]*\n.*?(?:^[ \t]{0,3}\1[^\n]*$|\Z)", re.S | re.M)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})(?=[ \t]|$)[ \t]*(.*?)[ \t#]*$", re.M)
_SETEXT_OR_RULE = re.compile(r"^[ \t]{0,3}(?:=+|-{3,}|\*{3,}|_{3,})[ \t]*$", re.M)
_SETEXT_OR_RULE_NL = re.compile(r"\n[ \t]{0,3}(?:=+|-{3,}|\*{3,}|_{3,})[ \t]*$", re.M)  # the same after a newline
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+", re.M)
_LIST_MARKER_NL = re.compile(r"\n[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+")  # the same after a newline
_BLOCKQUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.M)
_ENABLED_BY = re.compile(r"^[ \t]*[*_]*Enabled by[*_]*:?[*_]*[^\n]*", re.M | re.I)
_ENABLED_BY_NL = re.compile(r"\n[ \t]*[*_]*Enabled by[*_]*:?[*_]*[^\n]*", re.I)
_TABLE_PIPE = re.compile(r"(?<=\s)\|(?=\s)|^\|", re.M)

# Where a match of each can start: searching for these first lets re skip the rest of the text
_MARKUP_CHARS = re.compile(r"[{`~<:\]=\-*_|>]")
_PIPE_START = re.compile(r"\|")
_URL_START = re.compile(r"h(?=ttps?://)|w(?=ww\.)")

_DOUBLE_QUOTES = re.compile(r"\"[^\"]{1,600}\"|“[^”]{1,600}”|‘[^‘’]{1,600}’(?![A-Za-z])")
# (?<![\w'’])'… written to start with the quote itself, so re skips straight to quotes
_SINGLE_QUOTE = re.compile(r"'(?<![\w'’]')(?=[^\s'])(?:[^'\n]|'(?=\w)|\n(?!\s*\n)){0,400}?(?<=[^\s'])'(?![\w])")

_ABBREVIATIONS = frozenset(
    {"dr", "mr", "mrs", "ms", "prof", "st", "no", "nos", "vs", "inc", "ltd", "co", "jr", "sr", "approx", "dept"}
    | {"fig", "al", "e.g", "i.e", "cf", "mt", "ft", "gen", "col", "capt", "sgt", "u.s", "u.k"}
)
# a run of lines each holding a character that is not space (a block between blank lines); anchored
# to line starts so a long blank line is read once
_BLOCK = re.compile(r"^[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", re.M)
_CONTENT = re.compile(r"\S(?:.*\S)?", re.S)  # from the first to the last character that is not space
# [.!?]+["'”’)\]]*(?=\s)|\n, written to start with one class so re skips to the candidates
# (its group 1 is the next character that is not space, if any)
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=\n)|(?<=[.!?])[.!?]*[\"'”’)\]]*(?=\s))(?=\s*(\S))?")
_LINE_START_MARK = re.compile(r"[ \t]*(?:[-*+>|#•]|\d{1,3}[.)]|[A-Z][\w ]{0,20}:)")


class Paragraph(NamedTuple):
    """One block of prose: ``text`` is the masked text of ``[start, end)`` of the file."""

    start: int
    end: int
    text: str
    heading: bool = False
    quoted: tuple[tuple[int, int], ...] = ()  # block-quote spans, relative to start


@dataclass(frozen=True, slots=True)
class Prepared:
    text: str  # the file text, masked
    body_start: int
    paragraphs: tuple[Paragraph, ...]
    meta: dict


@lru_cache(maxsize=64)
def _meta(yaml_text: str) -> dict:
    try:
        return load_meta(yaml_text)
    except DocumentError:
        return {}


def front_matter(text: str) -> tuple[int, dict]:
    """(offset where the body starts, metadata); lenient: a broken header reads as no metadata."""
    m = FRONT_MATTER.match(text)
    if not m:
        return 0, {}
    return m.end(), _meta(m.group("yaml"))


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    parts, at = [], 0
    for a, b in sorted(spans):
        if b <= at:
            continue
        a = max(a, at)
        parts.append(text[at:a])
        seg = text[a:b]
        parts.append(re.sub(r"[^\n]", " ", seg) if "\n" in seg else " " * len(seg))
        at = b
    parts.append(text[at:])
    return "".join(parts)


def finditer_from(regex: re.Pattern, starts: re.Pattern, text: str, pos: int):
    """``regex.finditer(text, pos)`` for a regex whose every match starts where ``starts`` matches.

    The same matches, but ``re`` runs the whole regex only at those places.
    """
    while True:
        s = starts.search(text, pos)
        if s is None:
            return
        m = regex.match(text, s.start())
        if m is None:
            pos = s.start() + 1
        else:
            yield m
            pos = max(m.end(), s.start() + 1)


def line_matches(regex: re.Pattern, text: str, pos: int, mark: str):
    """``regex.finditer(text, pos)`` for a line-anchored regex (``^[ \\t]{0,3}`` then ``mark``).

    The same matches, but ``re`` runs the regex only on the lines where ``mark`` comes first.
    """
    at = text.find(mark, pos)
    while at != -1:
        line = text.rfind("\n", 0, at) + 1
        if line >= pos and at - line <= 3 and not text[line:at].strip(" \t"):
            m = regex.match(text, line)
            if m is not None:
                yield m
                at = text.find(mark, max(m.end(), at + 1))
                continue
        at = text.find(mark, at + 1)


def line_spans(regex: re.Pattern, after_newline: re.Pattern, text: str, pos: int) -> list[tuple[int, int]]:
    """The spans of ``regex.finditer(text, pos)`` for a one-line regex anchored by ``^`` (``re.M``).

    ``after_newline`` is the same regex starting with a newline instead of ``^``: ``re`` skips
    straight from one newline to the next rather than trying every position.
    """
    out = []
    pos = min(pos, len(text))
    if pos == 0 or text[pos - 1] == "\n":
        m = regex.match(text, pos)
        if m is not None:
            out.append(m.span())
    out += [(m.start() + 1, m.end()) for m in after_newline.finditer(text, pos)]
    return out


def mask(text: str, body_start: int) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """(masked text, heading line spans, block-quote spans) of the file text."""
    # which markup characters the text holds, in one pass: the searches below run only for those
    present = set(_MARKUP_CHARS.findall(text))
    if "{" in present and any(k in text for k in ("{++", "{--", "{~~", "{==", "{>>")):
        text = mask_marks(text)
    spans: list[tuple[int, int]] = [(0, body_start)] if body_start else []
    if ("`" in present and "```" in text) or ("~" in present and "~~~" in text):
        spans += [m.span() for m in _FENCE.finditer(text, body_start)]
    if "<" in present:
        spans += [m.span() for m in _HTML_COMMENT.finditer(text, body_start)]
        spans += [m.span() for m in _HTML_TAG.finditer(text, body_start)]
    if "`" in present:
        spans += code_spans(text, body_start)
    if (":" in present and "://" in text) or "www." in text:
        spans += [m.span() for m in finditer_from(_URL, _URL_START, text, body_start)]
    if "]" in present and "](" in text:
        spans += link_spans(text, body_start)
    spans += line_spans(_ENABLED_BY, _ENABLED_BY_NL, text, body_start)
    if "=" in present or any(c in present and c * 3 in text for c in "-*_"):
        spans += line_spans(_SETEXT_OR_RULE, _SETEXT_OR_RULE_NL, text, body_start)
    bullets = []
    for span in line_spans(_LIST_MARKER, _LIST_MARKER_NL, text, body_start):
        spans.append(span)
        bullets.append(span[1] - 1)
    if "|" in present:
        spans += [m.span() for m in finditer_from(_TABLE_PIPE, _PIPE_START, text, body_start)]
    if "*" in present or "_" in present:
        for a, content_a, content_b, b in emphasis(text, body_start):
            spans += [(a, content_a), (content_b, b)]
    headings = []
    for m in line_matches(_HEADING, text, body_start, "#"):
        spans.append(m.span(1))
        headings.append((m.start(), m.end()))
    quotes = []
    if ">" in present:
        for m in line_matches(_BLOCKQUOTE, text, body_start, ">"):
            spans.append(m.span())
            line_end = text.find("\n", m.end())
            quotes.append((m.end(), len(text) if line_end == -1 else line_end))
    masked = _blank(text, spans)
    if bullets:  # a trace of each list item for the sentence splitter (bullets are in order, one a line)
        parts, at = [], 0
        for b in bullets:
            parts += (masked[at:b], "•")
            at = b + 1
        parts.append(masked[at:])
        masked = "".join(parts)
    # a heading or block quote that was inside code or a comment is not one
    headings = [h for h in headings if masked[h[0] : h[1]].strip()]
    return masked, headings, quotes


def paragraphs(masked: str, body_start: int, headings, quotes) -> tuple[Paragraph, ...]:
    """Blocks separated by blank lines; a heading line is a block of its own.

    ``body_start`` is a line start. The blocks are found by one regex scan, not line by line.
    """
    heading_starts = sorted(a for a, _ in headings)
    out: list[Paragraph] = []

    def close(a: int, b: int, heading: bool = False) -> None:
        stripped = masked[a:b].rstrip()
        if not stripped.strip():
            return
        b = a + len(stripped)
        q = tuple((max(qa, a) - a, min(qb, b) - a) for qa, qb in quotes if qa < b and qb > a) if quotes else ()
        out.append(Paragraph(a, b, stripped, heading, q))

    for m in _BLOCK.finditer(masked, body_start):
        a, b = m.span()
        k = bisect_left(heading_starts, a)
        while k < len(heading_starts) and heading_starts[k] < b:  # a heading line inside the block
            h = heading_starts[k]
            close(a, h)
            line_end = masked.find("\n", h, b)
            close(h, b if line_end == -1 else line_end, heading=True)
            a = b if line_end == -1 else line_end + 1
            k += 1
        close(a, b)
    return tuple(out)


def prepare(text: str) -> Prepared:
    body_start, meta = front_matter(text)
    masked, headings, quotes = mask(text, body_start)
    return Prepared(masked, body_start, paragraphs(masked, body_start, headings, quotes), meta)


def quote_spans(text: str, block: tuple[tuple[int, int], ...] = ()) -> list[tuple[int, int]]:
    """Quoted speech in one paragraph: "…", “…”, ‘…’, '…' and block-quote lines."""
    spans = list(block)
    if '"' in text or "“" in text or "‘" in text:
        spans += [m.span() for m in _DOUBLE_QUOTES.finditer(text)]
    if "'" in text:
        taken = spans[:]
        for m in _SINGLE_QUOTE.finditer(text):
            if not any(a <= m.start() < b for a, b in taken):
                spans.append(m.span())
    return sorted(spans)


def without(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the spans blanked (quotes removed: the writer's own words)."""
    return _blank(text, spans)


def only(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with everything outside the spans blanked (the quoted words alone)."""
    if not spans:
        return re.sub(r"[^\n]", " ", text)
    keep, at = [], 0
    gaps = []
    for a, b in spans:
        if a > at:
            gaps.append((at, a))
        at = max(at, b)
    if at < len(text):
        gaps.append((at, len(text)))
    keep = _blank(text, gaps)
    return keep


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph (stripped of surrounding space), abbreviation-aware.

    A line break ends a sentence when the line ended with punctuation or the next line starts a
    list item, a label ("Date:") or other block syntax; soft-wrapped prose continues.
    """
    out: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        at, end = m.span()
        mark = text[at]
        if mark == "\n":
            last = at - 1  # the line's last character that is not space
            while last >= start and text[last].isspace():
                last -= 1
            if last < start or (text[last] not in ".!?:;" and not _LINE_START_MARK.match(text, end, end + 30)):
                continue
        else:
            if mark == "." and end - at == 1:
                before = text[start:at].rsplit(None, 1)
                word = before[-1].lower().strip("(\"'“‘") if before else ""
                if word in _ABBREVIATIONS or len(word) == 1:
                    continue
            following = m.group(1)
            if following is not None and following.islower():
                continue
        m2 = _CONTENT.search(text, start, end)
        if m2 is not None:
            out.append(m2.span())
        start = end
    _add(text, start, len(text), out)
    return out


def _add(text: str, a: int, b: int, out: list) -> None:
    """Appends ``[a, b)`` without the space around it, unless nothing else is left."""
    m = _CONTENT.search(text, a, b)
    if m is not None:
        out.append(m.span())
