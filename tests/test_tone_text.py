"""What the tone lint reads: masking shortcuts find exactly what the plain regex scans find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.tone import inline
from editor.tone import text as T

_PIECES = st.sampled_from(
    ["**bold**", "*it*", "__u__", "_x_", "a*b", "* ", "|", " | ", "`code`", "``a`b``", "`", "http://x.io/a",
     "https://y.org", "www.z.com", "xwww.q", "hhttp://", "word", " ", "\n", "\n\n", "- ", "1. ", "é", "’", "**",
     ".", "?!", "...", "!\"", ".)", "Dr.", " A", "a", "[a](", "](x)", "![i](", "[", "]", "(", ")", "!", "``",
     "```", "\n \n"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.integers(0, 5))
def test_searching_from_start_characters_finds_what_finditer_finds(pieces, pos):
    text = "".join(pieces)
    for regex, starts in (
        (T._TABLE_PIPE, T._PIPE_START),
        (T._URL, T._URL_START),
    ):
        fast = [(m.span(), m.groups()) for m in T.finditer_from(regex, starts, text, pos)]
        assert fast == [(m.span(), m.groups()) for m in regex.finditer(text, pos)], (regex.pattern, text)


# The plain regexes the linear scanners of editor/tone/inline.py stand for (quadratic on unclosed runs)
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])", re.S)
_LINK = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|\]\([^)\n]*\)|\[(?=[^\]\n]*\]\()")
# CommonMark code spans: a whole run of backticks, closed by a whole run of the same length, within a paragraph
_CODE = re.compile(r"(?<!`)(`+)(?=[^`\n])(?:(?!\n[^\S\n]*\n).)*?(?<!`)\1(?!`)", re.S)


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.integers(0, 5))
def test_linear_inline_scanners_find_what_the_plain_regexes_find(pieces, pos):
    text = "".join(pieces)
    expected = []
    for m in _EMPHASIS.finditer(text, pos):
        inner = 2 if m.group(1) else 3
        expected.append((m.start(), m.start(inner), m.end(inner), m.end()))
    assert list(inline.emphasis(text, pos)) == expected, text
    assert inline.link_spans(text, pos) == [m.span() for m in _LINK.finditer(text, pos)], text
    assert inline.code_spans(text, pos) == [m.span() for m in _CODE.finditer(text, pos)], text


def test_an_unclosed_code_span_does_not_hide_the_paragraphs_after_it():
    text = "Run `make test.\n\nThey yelled at us and `this` is code."
    spans = inline.code_spans(text)
    assert spans == [(text.index("`this`"), text.index("`this`") + 6)]
    assert inline.code_spans("``a`b``") == [(0, 7)]  # a single backtick inside a double-backtick span
    assert inline.code_spans("`a``") == []  # runs of different lengths do not pair


_LINES = st.sampled_from(
    ["# h", "## h ##", "#no", "   # h", "    # h", "\t# h", "> q", ">q", "  > q", "x > y", "a # b", "", " "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=12), st.integers(0, 8))
def test_line_anchored_search_finds_what_finditer_finds(lines, pos):
    text = "\n".join(lines)
    for regex, mark in ((T._HEADING, "#"), (T._BLOCKQUOTE, ">")):
        fast = [(m.span(), m.groups()) for m in T.line_matches(regex, text, pos, mark)]
        assert fast == [(m.span(), m.groups()) for m in regex.finditer(text, pos)], (regex.pattern, text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aAbB.!?\n \"'’)]xXyY-", max_size=40))
def test_rewritten_scans_find_what_the_plain_regexes_find(text):
    from editor.tone.engine import _CAPS

    boundary = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n")
    assert [m.span() for m in T._BOUNDARY.finditer(text)] == [m.span() for m in boundary.finditer(text)]
    single = re.compile(r"(?<![\w'’])'(?=[^\s'])(?:[^'\n]|'(?=\w)|\n(?!\s*\n)){0,400}?(?<=[^\s'])'(?![\w])")
    assert [m.span() for m in T._SINGLE_QUOTE.finditer(text)] == [m.span() for m in single.finditer(text)]
    caps = re.compile(r"\b[A-Z][A-Z'’]*[A-Z]\b")
    assert [m.span() for m in _CAPS.finditer(text.upper())] == [m.span() for m in caps.finditer(text.upper())]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \n\t\u00a0\u2003.", max_size=20), st.integers(0, 20), st.integers(0, 20))
def test_sentence_spans_are_stripped_like_str_strip(text, a, b):
    out: list = []
    T._add(text, a, b, out)
    seg = text[a:b]
    lead, trail = len(seg) - len(seg.lstrip()), len(seg) - len(seg.rstrip())
    assert out == ([(a + lead, min(b, len(text)) - trail)] if seg.strip() else [])


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ABNOTSEVRDIMYx '’.", max_size=14))
def test_the_capitals_gate_passes_where_a_shout_word_or_a_long_run_is(text):
    from editor.tone.engine import _caps_gate, engine

    eng = engine()
    shout, _acronyms, _labels, _endings, gate = eng._caps_lexicons[eng.caps[0]]
    words = sorted(shout, key=len, reverse=True)
    listed = re.compile("|".join(re.escape(w).replace("'", "['’]") for w in words))
    expected = re.search(r"[A-Z][A-Z'’]{3,}[A-Z]", text) or listed.search(text)
    assert bool(gate.search(text)) == bool(expected)
    assert _caps_gate(gate, text) == bool(expected)


_MARKED_LINES = st.sampled_from(
    ["- a", "  * b", "12. c", "1) d", "-x", "Enabled by: VP", "**Enabled By** x", "e", "", " ", "---", " === ",
     "   ***", "    ---", "__ _", "___\t", "--", "=", "-- -"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKED_LINES, max_size=10), st.integers(0, 6))
def test_line_anchored_spans_are_what_finditer_finds(lines, pos):
    text = "\n".join(lines)
    for regex, after_newline in (
        (T._LIST_MARKER, T._LIST_MARKER_NL),
        (T._ENABLED_BY, T._ENABLED_BY_NL),
        (T._SETEXT_OR_RULE, T._SETEXT_OR_RULE_NL),
    ):
        expected = [m.span() for m in regex.finditer(text, pos)]
        assert T.line_spans(regex, after_newline, text, pos) == expected, (regex.pattern, text)


def test_guards_do_not_skip_markup():
    text = "Title\n=====\n\n# Heading\n\n```\ncode\n```\n\n*Enabled BY*: the VP\n\n---\n\nPlain words.\n"
    masked, headings, _quotes = T.mask(text, 0)
    assert "=====" not in masked and "```" not in masked and "---" not in masked
    assert "Enabled" not in masked and "#" not in masked and headings


def _paragraphs_line_by_line(masked: str, body_start: int, headings, quotes) -> tuple[T.Paragraph, ...]:
    """The reference for ``paragraphs``: every line read in turn."""
    heading_starts = {a for a, _ in headings}
    out: list[T.Paragraph] = []
    start = None
    pos = body_start

    def close(a: int, b: int, heading: bool = False) -> None:
        stripped = masked[a:b].rstrip()
        if stripped.strip():
            b = a + len(stripped)
            q = tuple((max(qa, a) - a, min(qb, b) - a) for qa, qb in quotes if qa < b and qb > a)
            out.append(T.Paragraph(a, b, stripped, heading, q))

    while pos < len(masked):
        nl = masked.find("\n", pos)
        line_end = len(masked) if nl == -1 else nl
        if pos in heading_starts:
            if start is not None:
                close(start, pos)
            start = None
            close(pos, line_end, heading=True)
        elif not masked[pos:line_end].strip():
            if start is not None:
                close(start, pos)
            start = None
        elif start is None:
            start = pos
        pos = line_end + 1
    if start is not None:
        close(start, len(masked))
    return tuple(out)


_BLOCK_LINES = st.sampled_from(
    ["# Heading", "## h", "text", "more text ", "> quoted", "- item", "", " ", "\t", "\u00a0", "\u2003 ", "\r", "x\r",
     "  # not a heading", "#", "---", "a\x0cb", "\x1c"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_BLOCK_LINES, max_size=14), st.booleans())
def test_paragraph_blocks_are_what_reading_line_by_line_finds(lines, front):
    text = ("---\ntitle: x\n---\n" if front else "") + "\n".join(lines)
    body_start, _meta = T.front_matter(text)
    masked, headings, quotes = T.mask(text, body_start)
    got = T.paragraphs(masked, body_start, headings, quotes)
    assert got == _paragraphs_line_by_line(masked, body_start, headings, quotes), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ABNOTSEVRDIMYx '’.\n", max_size=16), min_size=1, max_size=6))
def test_the_paragraphs_with_capitals_to_read_are_those_the_gate_passes(paragraphs):
    from itertools import accumulate

    from editor.tone.engine import _caps_gate, engine

    eng = engine()
    i = eng.caps[0]
    gate = eng._caps_lexicons[i][4]
    all_text = "\n".join(paragraphs)
    starts = list(accumulate((len(p) + 1 for p in paragraphs), initial=0))
    found = eng._caps_paragraphs(i, all_text, starts)
    assert [k in found for k in range(len(paragraphs))] == [_caps_gate(gate, p) for p in paragraphs]
