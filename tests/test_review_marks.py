"""CriticMarkup with exact offsets, and the properties every generated marked-up text must keep."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.criticmarkup import (
    CLOSE,
    accept_all,
    can_hold,
    find_marks,
    markup,
    mask_marks,
    reject_all,
)
from tests.conftest import DOCS

PLAIN = st.text(alphabet=st.characters(blacklist_characters="{", blacklist_categories=("Cs",)), max_size=12)
CONTENT = st.text(
    alphabet=st.sampled_from(list("ab c\n+-~=<>}.é")), min_size=0, max_size=10
)  # marks' text may hold delimiter characters, but never '{' (so accepting cannot create new markup)


@st.composite
def marked_texts(draw):
    """A text of plain stretches and marks, with the marks we expect to find in it."""
    parts, expected, accepted, rejected = [], [], [], []
    at = 0
    for _ in range(draw(st.integers(0, 6))):
        plain = draw(PLAIN)
        parts.append(plain)
        accepted.append(plain)
        rejected.append(plain)
        at += len(plain)
        kind = draw(st.sampled_from(["insertion", "deletion", "substitution", "highlight", "comment"]))
        content = draw(CONTENT)
        new = draw(CONTENT) if kind == "substitution" else ""
        if not can_hold(kind, content, new):
            continue
        piece = markup(kind, content, new)
        old_new = {
            "insertion": ("", content),
            "deletion": (content, ""),
            "substitution": (content, new),
            "highlight": (content, ""),
            "comment": ("", content),
        }[kind]
        expected.append((kind, at, at + len(piece), *old_new))
        accepted.append({"insertion": content, "substitution": new, "highlight": content}.get(kind, ""))
        rejected.append({"deletion": content, "substitution": content, "highlight": content}.get(kind, ""))
        parts.append(piece)
        at += len(piece)
    tail = draw(PLAIN)
    parts.append(tail)
    accepted.append(tail)
    rejected.append(tail)
    return "".join(parts), expected, "".join(accepted), "".join(rejected)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marked_texts())
def test_offsets_are_exact_and_accept_reject_remove_all_markup(case):
    text, expected, accepted, rejected = case
    found = find_marks(text)
    assert [(m.kind, m.start, m.end, m.old, m.new) for m in found] == expected
    for m in found:  # the spans of old and new text point at exactly those characters
        assert text[slice(*m.old_span)] == m.old
        assert text[slice(*m.new_span)] == m.new
        assert text[m.start : m.start + 3] in ("{++", "{--", "{~~", "{==", "{>>")
    assert accept_all(text) == accepted
    assert reject_all(text) == rejected
    assert "{" not in accepted + rejected and find_marks(accepted) == [] == find_marks(rejected)


@settings(max_examples=200, deadline=None)
@given(marked_texts(), st.sampled_from(["{++", "{--", "{~~", "{==", "{>>", "{~~x~>"]), PLAIN)
def test_unclosed_markup_is_kept_verbatim(case, opener, tail):
    text, expected, accepted, rejected = case
    tail = tail.replace("}", "")
    broken = text + opener + tail
    assert [(m.kind, m.start, m.end) for m in find_marks(broken)] == [e[:3] for e in expected]
    assert accept_all(broken) == accepted + opener + tail
    assert reject_all(broken) == rejected + opener + tail


@settings(max_examples=200, deadline=None)
@given(marked_texts())
def test_mask_keeps_offsets_and_hides_comments(case):
    text, expected, _accepted, _rejected = case
    masked = mask_marks(text)
    assert len(masked) == len(text)
    for kind, start, end, _old, new in expected:
        seg = masked[start:end]
        if kind == "comment":
            assert seg.strip(" \n") == ""
        if kind in ("insertion", "substitution") and new.strip():
            assert new.strip() in seg
        if kind == "deletion":
            assert seg.strip(" \n") == ""


def test_round_trip_of_a_sample_is_byte_identical():
    text = (DOCS / "d8-review-marks.md").read_text(encoding="utf-8")
    marks = find_marks(text)
    assert [m.kind for m in marks] == ["substitution", "comment", "deletion", "insertion"]
    rebuilt, at = [], 0
    for m in marks:
        rebuilt.append(text[at : m.start])
        rebuilt.append(markup(m.kind, m.old if m.kind in ("deletion", "substitution", "highlight") else m.new, m.new))
        at = m.end
    rebuilt.append(text[at:])
    assert "".join(rebuilt) == text
    assert marks[0].old == "known for months" and marks[0].new == "known since March"


def test_mask_leaves_the_words_a_reader_sees_at_their_offsets():
    text = "We {~~never~>rarely~~} ship{>>really? idiots<<} {--damn--}on time."
    masked = mask_marks(text)
    assert "idiots" not in masked and "damn" not in masked and "never" not in masked
    assert masked.index("rarely") == text.index("rarely")
    assert masked.index("ship") == text.index("ship")


@pytest.mark.parametrize("kind", sorted(CLOSE))
def test_content_holding_its_own_closer_is_refused(kind):
    with pytest.raises(ValueError):
        if kind == "substitution":  # the old side ends at the first "~>", the new side at the first "~~}"
            markup(kind, "x", "a" + CLOSE[kind] + "b")
        else:
            markup(kind, "a" + CLOSE[kind] + "b", "x")
    if kind == "substitution":
        with pytest.raises(ValueError):
            markup(kind, "a~>b", "x")
