"""Bounds on what the renderers are handed: no letter needs 1,000-deep lists or 10,000 nested brackets.

Python-Markdown recurses once per list and quote level and rescans the rest of a paragraph for every
unclosed ``[``, ``](`` or ``<!--``; nh3 (html5ever) is quadratic on deeply nested tags and weasyprint
recurses per nested box. Each function here is one linear pass that leaves ordinary documents
untouched (byte for byte) and flattens only what is past a depth no writer reaches, so the renderers
stay fast and inside Python's recursion limit.
"""

from __future__ import annotations

import html
import re

from editor.errors import DocumentError

MAX_QUOTE_DEPTH = 8  # '>' markers kept at the start of a line
MAX_INDENT = 32  # columns of leading whitespace kept: eight list levels of four spaces
MAX_BRACKET_DEPTH = 8  # nested '[' kept live per paragraph; deeper ones are escaped with their ']'
MAX_BRACKETS = 500  # '[' in one paragraph past which it is printed as typed
MAX_OPEN_COMMENTS = 16  # unclosed '<!--' past which their paragraphs are printed as typed
MAX_ESCAPES = 32  # escapes in one paragraph past which it is printed as typed (each costs a rebuild)
MAX_TAG_DEPTH = 40  # nested HTML elements kept in a fragment; deeper tags are dropped, their text kept

_LINE_PREFIX = re.compile(r"([ \t]*)((?:>[ \t]?)*)([ \t]*)")
_BACKTICKS = re.compile(r"`+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_BRACKETS = re.compile(r"\\.|[\[\]()]", re.S)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")
VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)  # fmt: skip


def too_deep(exc: BaseException) -> DocumentError:
    """The one message for a renderer that ran out of stack (or broke) on a pathological document."""
    what = "its nesting went past what the renderer can hold" if isinstance(exc, RecursionError) else str(exc)
    what = " ".join(what.split())[:200] or type(exc).__name__
    return DocumentError(
        f"This document is nested too deeply to lay out: {what}. Flatten deep lists, quotes or brackets and try again."
    )


def _columns(ws: str) -> int:
    col = 0
    for ch in ws:
        col = col + 4 - col % 4 if ch == "\t" else col + 1
    return col


def _cap_ws(ws: str) -> str:
    return ws if len(ws) <= MAX_INDENT // 4 or _columns(ws) <= MAX_INDENT else " " * MAX_INDENT


def _cap_line(line: str) -> str:
    m = _LINE_PREFIX.match(line)
    lead, quotes, inner = m.groups()
    if len(lead) <= MAX_INDENT // 4 and quotes.count(">") <= MAX_QUOTE_DEPTH and len(inner) <= MAX_INDENT // 4:
        return line  # the common case: nothing near a bound
    new_lead = _cap_ws(lead)
    if quotes.count(">") > MAX_QUOTE_DEPTH:
        quotes = "".join(re.findall(r">[ \t]?", quotes)[:MAX_QUOTE_DEPTH])
    new = new_lead + quotes + _cap_ws(inner)
    return line if new == line[: m.end()] else new + line[m.end() :]


def _code_spans(par: str) -> list[tuple[int, int]]:
    """(start, end) of each backtick code span: a run of backticks up to the next run of the same length."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(par)]
    following: list[int | None] = [None] * len(runs)
    seen: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        following[i] = seen.get(length)
        seen[length] = i
    spans, i = [], 0
    while i < len(runs):
        j = following[i]
        if j is None:
            i += 1
        else:
            spans.append((runs[i][0], runs[j][1]))
            i = j + 1
    return spans


def _bracket_escapes(par: str) -> list[int] | None:
    """Where to put a backslash so no '[' or '](' makes Python-Markdown rescan the paragraph; None if too many.

    Escaped: '[' that never closes, '[' nested past MAX_BRACKET_DEPTH with the ']' closing it, and the
    '(' of a '](' that never closes. Each would be printed as typed anyway, so the page does not change.
    """
    if par.count("[") > MAX_BRACKETS:
        return None
    escape: list[int] = []
    square: list[tuple[int, bool]] = []  # (position, escaped)
    parens: list[int] = []
    spans, k = _code_spans(par), 0
    for t in _BRACKETS.finditer(par):
        while k < len(spans) and spans[k][1] <= t.start():
            k += 1
        if k < len(spans) and spans[k][0] <= t.start():
            continue  # inside a code span: printed as typed, nothing to rescan
        ch = t.group()
        if ch == "[":
            deep = len(square) >= MAX_BRACKET_DEPTH
            square.append((t.start(), deep))
        elif ch == "]" and square:
            pos, deep = square.pop()
            if deep:
                escape += (pos, t.start())
        elif ch == "(":
            parens.append(t.start())
        elif ch == ")" and parens:
            parens.pop()
    escape += (pos for pos, _deep in square)
    escape += (p for p in parens if p > 0 and par[p - 1] == "]")
    return sorted(escape) if len(escape) <= MAX_ESCAPES else None


def _escaped(par: str, positions: list[int]) -> str:
    out, last = [], 0
    for pos in positions:
        out += (par[last:pos], "\\")
        last = pos
    out.append(par[last:])
    return "".join(out)


def _literal(par: str) -> str:
    """The paragraph as typed, in a raw HTML block: no inline Markdown, so nothing to rescan."""
    return "<p>" + html.escape(par.strip(), quote=False) + "</p>"


def _tame_paragraph(par: str, open_comment: bool) -> str:
    if open_comment:
        return _literal(par)
    if "[" not in par and "](" not in par:
        return par
    positions = _bracket_escapes(par)
    if positions is None:
        return _literal(par)
    return _escaped(par, positions) if positions else par


def tame_markdown(text: str) -> str:
    """The writer's Markdown with nesting capped; ordinary documents come back unchanged.

    A paragraph past the bounds (an unclosed '<!--', thousands of brackets) is printed as typed,
    without inline formatting: Python-Markdown rebuilds the paragraph for every match, so even
    escaping each bracket would be quadratic.
    """
    lines = text.split("\n")
    capped = [_cap_line(line) for line in lines]
    if capped != lines:
        text = "\n".join(capped)
    closed_until = text.rfind("-->") + 1 if "-->" in text else 0  # a '<!--' after the last '-->' never closes
    if text.count("<!--", closed_until) <= MAX_OPEN_COMMENTS:
        closed_until = len(text)  # a few cost a few rescans: printed as Python-Markdown always did
    if "[" not in text and closed_until == len(text):
        return text
    out, last = [], 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        par = text[last:end]
        out.append(_tame_paragraph(par, text.find("<!--", max(last, closed_until), end) >= 0))
        if brk:
            out.append(brk.group())
            last = brk.end()
    return "".join(out)


def cap_tag_depth(html: str) -> str:
    """Drops tags nested past MAX_TAG_DEPTH (their text stays), so nh3 and weasyprint see a shallow tree."""
    if html.count("<") <= MAX_TAG_DEPTH:
        return html
    stack: list[tuple[str, bool]] = []  # (tag name, kept)
    out, last = [], 0
    for m in _TAG.finditer(html):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        keep = True
        if closing:
            if stack and stack[-1][0] == name:
                keep = stack.pop()[1]
        elif name not in VOID_TAGS and not self_closing:
            keep = len(stack) < MAX_TAG_DEPTH
            stack.append((name, keep))
        if not keep:
            out.append(html[last : m.start()])
            last = m.end()
    if not out:
        return html
    out.append(html[last:])
    return "".join(out)
