"""Trigger words: the engine skips a pattern wherever its necessary words are missing, so they must
really be necessary (every match contains them), and the one-pass table must find exactly them."""

from __future__ import annotations

import json
import re
from functools import reduce
from operator import or_
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.model import Person
from editor.tone.rules import compile_personal, load_rules
from editor.tone.triggers import TriggerTable, has_run, necessary_sets, required_chars, token_bytes, triggers

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PEOPLE = [Person("Dana Wu", power="low"), Person("Tim Booth", power="low", perceived_underperformer=True)]
_TOKEN = re.compile(r"[a-z0-9]+")


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for d in ("docs", "prose") for p in sorted((FIXTURES / d).glob("*.md"))]
    for name in ("tone-dev.jsonl", "tone-extra.jsonl"):
        lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
        texts += [json.loads(line)["text"] for line in lines if line.strip()]
    for rule in load_rules(include_user=False).rules:
        texts += [e["text"] if isinstance(e, dict) else e for e in rule.examples_fire + rule.examples_pass]
    texts += [t.upper() for t in texts[::3]]
    texts += [
        "Dana Wu changed the rota. Tim says so. Sooooo glad. WHAT THE F***. fuuuuck! ffuucckk it",
        "the p99 v2.3 DX12",
    ]
    return texts


def _meets(member: tuple[str, bool], tokens: list[str], tb: bytes) -> bool:
    word, partial = member
    if word.startswith("="):
        return has_run(tb, int(word[1:]))
    if word.startswith("~"):
        return re.search(word[1:].encode(), tb) is not None
    return any(t.startswith(word) if partial else t == word for t in tokens)


def test_every_match_of_every_pattern_contains_its_necessary_words():
    rules = load_rules(include_user=False).rules
    patterns = [(c.source, r.flags) for r in rules for c in r.compiled]
    patterns += [(c.source, r.flags) for r in rules if r.personal for c in compile_personal(r, PEOPLE)]
    texts = _texts()
    lowered = [(t, t.lower()) for t in texts if len(t.lower()) == len(t)]
    checked = 0
    for source, flags in patterns:
        sets = necessary_sets(source, flags)
        cheapest = triggers(source, flags)
        if cheapest:
            sets = [*sets, frozenset(cheapest)]
        regex = re.compile(source, flags)
        for text, low in lowered:
            for m in regex.finditer(text):
                if m.start() == m.end():
                    continue
                # tokens starting inside the match (a word may run on past its end)
                tokens = [t.group() for t in _TOKEN.finditer(low) if m.start() <= t.start() < m.end()]
                tb = token_bytes(low[m.start() : m.end()])
                for s in sets:
                    assert any(_meets(member, tokens, tb) for member in s), (source[:80], m.group(), sorted(s)[:8])
                checked += 1
    assert checked > 1000


def test_required_characters_are_in_every_match():
    rules = load_rules(include_user=False).rules
    texts = _texts()
    gated = 0
    for rule in rules:
        for c in rule.compiled:
            needed = required_chars(c.source, rule.flags)
            if needed is None:
                continue
            gated += 1
            regex = re.compile(c.source, rule.flags)
            for text in texts:
                for m in regex.finditer(text):
                    assert needed(m.group()), (c.source[:60], m.group())
    assert gated >= 2


def test_has_run_finds_repeated_letters_only():
    assert has_run(token_bytes("so glad, sooooo glad"), 4)
    assert not has_run(token_bytes("sooo glad"), 4)
    assert not has_run(token_bytes("so    many    spaces!!!!"), 4)
    assert has_run(token_bytes("zzzz"), 4) and has_run(token_bytes("x 1111 y"), 4)


_WORDS = st.sampled_from(["a", "an", "ab", "abc", "abcd", "abcde", "b", "ba", "bab", "hr", "hrs", "x1", "xyz"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.tuples(_WORDS, st.booleans()), min_size=1, max_size=3), min_size=1, max_size=6),
    st.lists(_WORDS, max_size=8),
)
def test_table_meets_exactly_the_sets_a_brute_force_check_meets(sets, words):
    keyed = [(k, [frozenset(s)]) for k, s in enumerate(sets)]
    table = TriggerTable(keyed)
    text = " ".join(words)
    tokens = text.split()
    tb = token_bytes(text)
    # a set with a one-letter prefix would be met nearly everywhere: such patterns always run
    expected = {k for k, s in enumerate(sets) if k in table.free or any(_meets(m, tokens, tb) for m in s)}
    assert set(table.candidates(tb)) == expected
    known = table.read(set(tb.split()))
    assert set(table.candidates(tb, known)) == expected
    for m in re.finditer(r"\S+(?: \S+)?", text):  # spans of a word or two, as sentences would be
        part = m.group().split()
        met = reduce(or_, map(known[0].__getitem__, set(tb[m.start() : m.end() + 1].split())), 0)
        assert met == table.met(token_bytes(m.group()))
        assert {k for k in range(len(sets)) if not table.required[k] & ~met} == {
            k for k, s in enumerate(sets) if k in table.free or any(_meets(w, part, token_bytes(m.group())) for w in s)
        }


def test_a_patterns_needs_is_in_every_match():
    gated = 0
    texts = _texts()
    for rule in load_rules(include_user=False).rules:
        for c in rule.compiled:
            if c.needs is None:
                continue
            gated += 1
            regex = re.compile(c.source, rule.flags)
            for text in texts:
                for m in regex.finditer(text):
                    assert c.needs.search(text, m.start(), m.end()), (c.source[:60], m.group())
    assert gated >= 1
