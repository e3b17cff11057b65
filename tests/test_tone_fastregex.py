"""The rewritten rule patterns (editor/tone/fastregex.py) match exactly what ``re`` matches as written."""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.tone.fastregex import IRREGULAR, LETTER_CLASSES, compile_fast, compile_folded
from editor.tone.rules import load_rules

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@functools.cache
def _all_chars() -> str:
    return "".join(map(chr, [*range(0xD800), *range(0xE000, sys.maxunicode + 1)]))


def _matches(pattern: re.Pattern, text: str) -> list:
    return [(m.span(), m.groups(), m.groupdict()) for m in pattern.finditer(text)]


def test_letter_classes_are_what_ignorecase_matches_over_all_of_unicode():
    letters = "abcdefghijklmnopqrstuvwxyz"
    found = set(re.findall("|".join(letters), _all_chars(), re.I))  # one pass: every candidate character
    for letter in letters:
        for pattern in (letter, letter.upper(), f"[{letter}]", f"[{letter.upper()}-{letter.upper()}]"):
            matched = {x for x in found if re.fullmatch(pattern, x, re.I)}
            assert matched == {chr(c) for c in LETTER_CLASSES[letter]}, pattern


def test_character_categories_do_not_depend_on_case():
    for cls in (r"\w", r"\d", r"\s"):
        assert re.findall(f"[{cls}]", _all_chars(), re.I) == re.findall(f"[{cls}]", _all_chars()), cls


def _corpus() -> str:
    """The labelled sentences, some shouted, some with the letters IGNORECASE treats specially."""
    lines = []
    for name in ("tone-dev.jsonl", "tone-extra.jsonl"):
        text = (FIXTURES / name).read_text(encoding="utf-8")
        lines += [json.loads(line)["text"] for line in text.splitlines() if line.strip()]
    odd = [t.replace("s", "ſ").replace("k", "K").replace("i", "ı") for t in lines[1::5]]
    return "\n\n".join([*lines, *(t.upper() for t in lines[::5]), *odd])


def test_every_pack_pattern_matches_the_same_as_written():
    corpus = _corpus()
    rules = load_rules(include_user=False).rules
    sources = [(c.source, r.flags) for r in rules for c in r.compiled]
    sources += [(x.pattern, r.flags) for r in rules for x in (*r.exceptions, *r.requires, *r.context)]
    rewritten = 0
    for source, flags in sources:
        fast = compile_fast(source, flags)
        rewritten += not fast.flags & re.I
        assert _matches(fast, corpus) == _matches(re.compile(source, flags), corpus), source[:80]
    assert rewritten >= 0.9 * len(sources)  # nearly all of them are rewritten


def _lower(text: str) -> str:
    import _sre

    return "".join(chr(_sre.unicode_tolower(ord(c))) for c in text)


def test_folded_pack_patterns_match_the_same_in_lowercased_text():
    texts = [t for t in _corpus().split("\n\n") if not IRREGULAR.search(_lower(t))]
    corpus = "\n\n".join(texts)
    low = _lower(corpus)
    rules = load_rules(include_user=False).rules
    folded = 0
    for rule in rules:
        for c in rule.compiled:
            if c.folded is None:
                continue
            folded += 1
            expected = [
                (m.span(), tuple(m.span(g) for g in range(1, m.re.groups + 1))) for m in c.regex.finditer(corpus)
            ]
            got = [(m.span(), tuple(m.span(g) for g in range(1, m.re.groups + 1))) for m in c.folded.finditer(low)]
            assert got == expected, c.source[:80]
    assert folded >= 0.9 * sum(len(r.compiled) for r in rules)


def test_what_folding_does_not_cover_is_left_to_the_caseless_pattern():
    assert compile_folded(r"\bnever\b", re.I).flags & re.I == 0
    assert compile_folded(r"\bnever\b", 0) is None  # case-sensitive: read as written
    assert compile_folded(r"(?-i:[A-Z][a-z]+) said", re.I) is None
    assert IRREGULAR.search(_lower("Stra\u017fe")) and IRREGULAR.search(_lower("\u03a3\u03bf\u03c6\u03b9\u03b1"))
    assert not IRREGULAR.search(_lower("KELVIN \u212a and Istanbul \u0130 caf\u00e9"))


def test_alternatives_keep_their_order_and_groups():
    for source in (
        r"\b(?P<hit>a|ab|abc|b|ba)\b",
        r"(?:the |a )?(?:new )?(?P<hit>intern|interns|temp|temps|tempo)s?",
        r"(?:ab|ac|[a-c]x|ad|a)(y)?",
        r"\b(?:(?:sh[i1]t|shoot)-?(?:show|storm)|s\w+|sh)",
        r"(?<=[.!?] )\s*(?:so|very)? ?(?:glad|great|good) (?:to|that the|the)\b",
        r"(?i:Kelvin|kilo)|(?-i:Kelvin)",
        r"f+u+c+k\w*|\w+f+u+c+k\w*",
        r"(a)|b(?(1)x|y)",
    ):
        fast = compile_fast(source, re.I)
        for text in ("ab abc b ba a", "The new interns, a temp. Tempo!", "ac ay acy ad adx ax bx cx a", "KELVIN kilo"):
            text = f"{text} {text.upper()} shit-show SHOOTSTORM sh1tstorm fffuuuck xFUCKy. So glad to see"
            assert _matches(fast, text) == _matches(re.compile(source, re.I), text), (source, text)


def test_what_the_rewrite_does_not_cover_is_compiled_as_written():
    assert compile_fast(r"caf\u00e9", re.I).flags & re.I  # a non-ASCII cased letter
    assert compile_fast(r"([a-z])\1", re.I).flags & re.I  # a back-reference under IGNORECASE
    assert compile_fast(r"\bnever\b", re.I).pattern == r"\bnever\b"
    assert not compile_fast(r"\bnever\b", re.I).flags & re.I


_ATOMS = st.sampled_from(["a", "b", "k", "s", "i", "A", "K", "[a-c]", "[^b]", r"\w", r"\d", ".", " ", "-", r"\b", "ab"])


@st.composite
def _patterns(draw, depth=0):
    seq = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 5 if depth < 2 else 1))
        if kind <= 1:
            item = draw(_ATOMS)
        elif kind == 2:
            item = "(?:" + "|".join(draw(st.lists(_patterns(depth + 1), min_size=1, max_size=5))) + ")"
        elif kind == 3:
            item = "(" + "|".join(draw(st.lists(_patterns(depth + 1), min_size=1, max_size=4))) + ")"
        elif kind == 4:
            item = (
                "(?:" + draw(_patterns(depth + 1)) + ")" + draw(st.sampled_from(["?", "*", "+", "{1,2}", "??", "+?"]))
            )
        else:
            item = "(?<!" + draw(st.sampled_from(["a", "k", r"\w", " "])) + ")"
        seq.append(item)
    return "".join(seq)


@settings(max_examples=400, deadline=None)
@given(
    _patterns(),
    st.text(alphabet="abkisABKIS1 -.\u017f\u0131\u0130\u212a", max_size=40),
    st.booleans(),
)
def test_random_patterns_match_the_same_as_written(source, text, ignore_case):
    flags = re.I if ignore_case else 0
    assert _matches(compile_fast(source, flags), text) == _matches(re.compile(source, flags), text)
    folded = compile_folded(source, flags)
    low = _lower(text)
    if folded is not None and not IRREGULAR.search(low):
        spans = [(m.span(), tuple(m.span(g) for g in range(1, m.re.groups + 1))) for m in folded.finditer(low)]
        want = [
            (m.span(), tuple(m.span(g) for g in range(1, m.re.groups + 1))) for m in re.finditer(source, text, flags)
        ]
        assert spans == want


def _windowed(pattern: re.Pattern, text: str, pos: int, endpos: int) -> list:
    return [(m.span(), [m.span(g) for g in range(1, m.re.groups + 1)]) for m in pattern.finditer(text, pos, endpos)]


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from([r"\b", r"(?<!\w)", r"(?=[ab])", r"\b(?<!-)", ""]),
    _patterns(),
    st.lists(st.sampled_from(["a", "b", "k", "ab", "A", "B", "K", "1", "_", "é", " ", "-", ".", "\n"]), max_size=16),
    st.integers(0, 4),
    st.integers(0, 4),
    st.booleans(),
)
def test_patterns_searched_from_their_first_characters_match_the_same(lead, source, pieces, pos, cut, ic):
    """A leading zero-width check, then known first characters: searches skip to those, also in windows."""
    source = lead + source
    text = "".join(pieces)
    endpos = len(text) - cut
    flags = re.I if ic else 0
    want = _windowed(re.compile(source, flags), text, pos, endpos)
    assert _windowed(compile_fast(source, flags), text, pos, endpos) == want, source
    folded = compile_folded(source, flags)
    if folded is not None:
        assert _windowed(folded, text.lower(), pos, endpos) == want, source


def test_the_first_characters_are_read_past_zero_width_checks_into_groups_and_alternatives():
    from re import _parser as P

    from editor.tone.fastregex import _leading

    def chars(source: str) -> str | None:
        got = _leading(P.parse(source).data)
        return None if got is None or got[1] else "".join(map(chr, sorted(got[0])))

    assert chars(r"\b(?P<hit>(?:foo|bar)s?)\b") == "bf"
    assert chars(r"(?<![\w*])\b(?:[Kk]ill|x)") == "Kkx"
    assert chars(r"\b(?:the |a )?(?:new )?(?:intern|temp)s?") == "aint"
    assert chars(r"(?P<hit>[!?]{2,})") == "!?"
    assert chars(r"\b(?:foo|\w+)") is None  # a class that is not a few characters
    assert chars(r"\b(?:|x)") is None  # an empty alternative: a match may start anywhere
    assert chars(r"\b(?:a|b)?c?") is None
