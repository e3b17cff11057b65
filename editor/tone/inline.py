"""Inline Markdown the tone lint blanks (code spans, emphasis marks, link syntax), found in linear time.

Each of these is easy to write as one regex, and each such regex backtracks over the rest of the
line or file when its closing half is missing: quadratic on a run of backticks, of ``*a **b`` or
of ``[a](``. A pasted log or a broken table can hold thousands of them, so the openers are paired
with their closers here by position lists and bisection instead.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_BACKTICK_RUN = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[^\S\n]*(?=\n)")
# every start of "**" or "__" (overlapping: "***" holds two); a closer also needs no space before it
_DOUBLE = {"**": re.compile(r"\*(?=\*)"), "__": re.compile(r"_(?=_)")}
_EMPHASIS_START = re.compile(r"[*_]")
# one "*" around a few words, on one line: it cannot run past the next "*" or newline, so it stays linear
_SINGLE_STAR = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])")
_LINK_MIDDLE = re.compile(r"\]\(")
_LINK_OPEN = re.compile(r"\[")


def code_spans(text: str, pos: int = 0) -> list[tuple[int, int]]:
    """Code spans as CommonMark reads them: a run of backticks closed by the next run of the same length.

    The content may not start with a newline, and a span never crosses a blank line (the end of a
    paragraph): an unmatched run is literal text, so the prose after it is still read.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICK_RUN.finditer(text, pos)]
    if runs and runs[0][0] == pos and pos and text[pos - 1] == "`":
        del runs[0]  # the tail of a run that starts before pos
    if len(runs) < 2:
        return []
    by_length: dict[int, list[int]] = {}
    for k, (a, b) in enumerate(runs):
        by_length.setdefault(b - a, []).append(k)
    blanks = [m.start() for m in _BLANK_LINE.finditer(text, pos)]
    out = []
    k = 0
    while k < len(runs):
        a, b = runs[k]
        if b < len(text) and text[b] != "\n":
            same = by_length[b - a]
            j = bisect_left(same, k + 1)
            if j < len(same):
                close_a, close_b = runs[same[j]]
                blank = bisect_left(blanks, b)
                if blank == len(blanks) or blanks[blank] >= close_a:
                    out.append((a, close_b))
                    k = same[j] + 1
                    continue
        k += 1
    return out


def emphasis(text: str, pos: int = 0):
    """The matches of ``(\\*\\*|__)(?=\\S)(.+?)(?<=\\S)\\1`` or a single ``*…*``, as ``finditer`` finds them.

    Yields ``(start, content start, content end, end)``: the marks are the parts outside the content.
    """
    closers: dict[str, list[int]] = {}
    n = len(text)
    at = pos
    while True:
        s = _EMPHASIS_START.search(text, at)
        if s is None:
            return
        p = s.start()
        delim = text[p : p + 2]
        if (delim == "**" or delim == "__") and p + 2 < n and not text[p + 2].isspace():
            if delim not in closers:
                starts = (m.start() for m in _DOUBLE[delim].finditer(text, p + 3))
                closers[delim] = [q for q in starts if not text[q - 1].isspace()]
            ends = closers[delim]
            j = bisect_left(ends, p + 3)
            if j < len(ends):
                q = ends[j]
                yield p, p + 2, q, q + 2
                at = q + 2
                continue
        if text[p] == "*":
            m = _SINGLE_STAR.match(text, p)
            if m is not None:
                yield p, p + 1, m.end() - 1, m.end()
                at = m.end()
                continue
        at = p + 1


def link_spans(text: str, pos: int = 0) -> list[tuple[int, int]]:
    """Link and image syntax to blank: ``![alt](dest)`` whole, ``](dest)``, and each ``[`` that opens a link.

    The same spans as ``finditer`` of ``!\\[[^\\]\\n]*\\]\\([^)\\n]*\\)|\\]\\([^)\\n]*\\)|\\[(?=[^\\]\\n]*\\]\\()``,
    with the next ``)`` and newline remembered between one ``](`` and the next rather than searched again.
    """
    out: list[tuple[int, int]] = []
    done = pos  # where the last span ended: nothing before it starts a new one
    paren = newline = -2  # the next ")" and "\n" found so far (-1: none left)
    for m in _LINK_MIDDLE.finditer(text, pos):
        p = m.start()
        if p < done:
            continue
        # the "[" that open this link: those after the previous "]" (and line start) on the way here
        seg = max(text.rfind("]", done, p) + 1, done)
        seg = max(text.rfind("\n", seg, p) + 1, seg)
        if paren != -1 and paren < p + 2:
            paren = text.find(")", p + 2)
        if newline != -1 and newline < p:
            newline = text.find("\n", p)
        closes = paren != -1 and (newline == -1 or paren < newline)
        opens = [o.start() for o in _LINK_OPEN.finditer(text, seg, p)]
        image = next((k - 1 for k in opens if k > seg and text[k - 1] == "!"), None) if closes else None
        for k in opens:
            if image is not None and k > image:
                break
            out.append((k, k + 1))
        if closes:
            out.append((image if image is not None else p, paren + 1))
            done = paren + 1
        else:
            done = p + 1
    return out
