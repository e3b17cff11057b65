"""Reviewer mode in the core: every edit becomes a suggestion, consecutive keys grow one mark, and the
writer's original text can always be recovered by rejecting everything."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.criticmarkup import find_marks, reject_all
from editor.fileformat import parse
from editor.review import suggest
from editor.review.log import read_log

WHEN = datetime(2026, 9, 2, 10, 14)
HEAD = "---\ntitle: Memo\n# the writer's own note\npeople:\n  - {name: Mark Ellis, role: Director}\n---\n"
BODY = "The team was paged on six weekends. It was honestly shocking. Three engineers resigned.\n"
TEXT = HEAD + BODY


def body(text: str) -> str:
    return text[parse(text).front_matter_end :]


def at(text: str, needle: str, offset: int = 0) -> int:
    return text.index(needle, parse(text).front_matter_end) + offset


def type_keys(text: str, pos: int, keys: str, who: str = "Rita") -> suggest.Result:
    r = suggest.Result(text, pos)
    for ch in keys:
        r = suggest.type_text(r.text, r.cursor, r.cursor, ch, who, WHEN)
    return r


def test_typing_makes_one_insertion_and_the_log_says_who_and_when():
    r = type_keys(TEXT, at(TEXT, "six"), "about ")
    assert body(r.text) == BODY.replace("six", "{++about ++}six")
    assert r.text[r.cursor :].startswith("++}six")  # the cursor stays inside, so typing goes on in the mark
    log = read_log(parse(r.text).meta)
    assert [(e.by, e.at) for e in log.values()] == [("Rita", "2026-09-02 10:14")]
    assert parse(r.text).meta["reviewers"] == [{"name": "Rita"}]
    assert "# the writer's own note" in r.text  # the rest of the header is left byte for byte


def test_typing_over_a_selection_is_one_substitution():
    a = at(TEXT, "six")
    r = suggest.type_text(TEXT, a, a + 3, "s", "Rita", WHEN)
    r = type_keys(r.text, r.cursor, "even")
    assert body(r.text) == BODY.replace("six", "{~~six~>seven~~}")
    assert len(read_log(parse(r.text).meta)) == 1


def test_backspace_grows_one_deletion_backwards():
    p = at(TEXT, " Three")
    r = suggest.Result(TEXT, p)
    for _ in range(len(" It was honestly shocking.")):
        r = suggest.backspace(r.text, r.cursor, "Rita", WHEN)
    assert body(r.text) == BODY.replace(" It was honestly shocking.", "{-- It was honestly shocking.--}")
    assert len(find_marks(r.text, parse(r.text).front_matter_end)) == 1


def test_delete_forward_then_typing_becomes_a_substitution():
    p = at(TEXT, "six")
    r = suggest.Result(TEXT, p)
    for _ in range(3):
        r = suggest.delete_forward(r.text, r.cursor, "Rita", WHEN)
    assert "{--six--}" in r.text
    r = type_keys(r.text, r.cursor, "seven")
    assert body(r.text) == BODY.replace("six", "{~~six~>seven~~}")


def test_a_selected_sentence_deleted_at_once():
    a = at(TEXT, "It was")
    b = at(TEXT, "shocking.", len("shocking."))
    r = suggest.delete(TEXT, a, b, "Rita", forward=True, when=WHEN)
    assert "{--It was honestly shocking.--}" in r.text
    assert r.text[: r.cursor].endswith("--}")


def test_backspace_inside_own_insertion_edits_it_and_an_empty_one_vanishes():
    r = type_keys(TEXT, at(TEXT, "six"), "ab")
    r = suggest.backspace(r.text, r.cursor, "Rita", WHEN)
    r = suggest.backspace(r.text, r.cursor, "Rita", WHEN)
    assert body(r.text) == BODY
    assert "reviews" not in parse(r.text).meta  # no entry is left pointing at a mark that is gone


def test_someone_elses_mark_is_never_edited():
    r = type_keys(TEXT, at(TEXT, "six"), "about ", who="Rita")
    inside = r.text.index("about") + 2
    r2 = suggest.type_text(r.text, inside, inside, "X", "Sam", WHEN)
    assert "{++about ++}{++X++}six" in r2.text
    r3 = suggest.backspace(r2.text, r2.text.index("++}{++X") + 3, "Sam", WHEN)
    assert "{++about ++}" in r3.text  # Sam's backspace steps over Rita's mark
    log = read_log(parse(r2.text).meta)
    assert sorted(e.by for e in log.values()) == ["Rita", "Sam"]


def test_comment_on_a_selection_and_typing_it_in_place():
    a = at(TEXT, "six weekends")
    r = suggest.comment(TEXT, a, a + len("six weekends"), "", "Rita", WHEN)
    r = type_keys(r.text, r.cursor, "Which ones?")
    assert "{==six weekends==}{>>Which ones?<<}" in r.text
    assert len(read_log(parse(r.text).meta)) == 2


def test_the_header_is_not_the_reviewers_to_edit():
    with pytest.raises(suggest.Refused):
        suggest.type_text(TEXT, 5, 5, "x", "Rita")


def test_text_that_would_close_the_mark_early_is_refused():
    r = type_keys(TEXT, at(TEXT, "six"), "a++")
    with pytest.raises(suggest.Refused):
        suggest.type_text(r.text, r.cursor, r.cursor, "}", "Rita")


def test_comment_across_another_mark_is_refused():
    r = type_keys(TEXT, at(TEXT, "six"), "about ")
    with pytest.raises(suggest.Refused):
        suggest.comment(r.text, at(r.text, "paged"), at(r.text, "weekends"), "x", "Rita")


OPS = st.lists(
    st.tuples(
        st.sampled_from(["type", "type_sel", "back", "del", "del_sel", "comment"]),
        st.integers(0, 10_000),
        st.integers(0, 12),
        st.sampled_from(["x", "ab", " ", "\n", "é", "}", "+", "~>"]),
        st.sampled_from(["Rita", "Sam"]),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_any_sequence_of_reviewer_edits_keeps_the_writers_text(ops):
    """Rejecting every mark always gives back exactly what the writer wrote; the header keeps its keys."""
    text = TEXT
    for op, pos, length, typed, who in ops:
        start = parse(text).front_matter_end
        a = start + pos % (len(text) - start + 1)
        b = min(len(text), a + length)
        try:
            if op == "type":
                r = suggest.type_text(text, a, a, typed, who, WHEN)
            elif op == "type_sel":
                r = suggest.type_text(text, a, b, typed, who, WHEN)
            elif op == "back":
                r = suggest.backspace(text, a, who, WHEN)
            elif op == "del":
                r = suggest.delete_forward(text, a, who, WHEN)
            elif op == "del_sel":
                r = suggest.delete(text, a, b, who, forward=True, when=WHEN)
            else:
                r = suggest.comment(text, a, b, typed, who, WHEN)
        except suggest.Refused:
            continue
        assert 0 <= r.cursor <= len(r.text)
        text = r.text
        doc = parse(text)
        assert reject_all(text[doc.front_matter_end :]) == BODY
        assert doc.meta["title"] == "Memo" and doc.meta["people"] == [{"name": "Mark Ellis", "role": "Director"}]
        assert len(read_log(doc.meta)) <= len(find_marks(text, doc.front_matter_end))
        assert {e.by for e in read_log(doc.meta).values()} <= {"Rita", "Sam"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_importing_a_copy_into_an_unchanged_document_reproduces_every_mark(ops):
    """Whatever the reviewer did, if the writer has not touched the text, the import gives the reviewer's body."""
    from editor.review.copies import make_review_copy, record_copy
    from editor.review.merge import merge_review

    copy = make_review_copy(parse(TEXT), redact=False, when=WHEN)
    writer = record_copy(TEXT, copy)
    text = copy.text
    for op, pos, length, typed, who in ops:
        start = parse(text).front_matter_end
        a = start + pos % (len(text) - start + 1)
        b = min(len(text), a + length)
        try:
            if op in ("type", "type_sel"):
                text = suggest.type_text(text, a, b if op == "type_sel" else a, typed, who, WHEN).text
            elif op in ("back", "del"):
                text = (suggest.backspace if op == "back" else suggest.delete_forward)(text, a, who, WHEN).text
            elif op == "del_sel":
                text = suggest.delete(text, a, b, who, forward=True, when=WHEN).text
            else:
                text = suggest.comment(text, a, b, typed, who, WHEN).text
        except suggest.Refused:
            continue
    result = merge_review(writer, text)
    assert body(result.text) == body(text)
    assert result.as_comments == 0
    assert sorted(e.by for e in read_log(parse(result.text).meta).values()) == sorted(
        e.by for e in read_log(parse(text).meta).values()
    )


NAMED = HEAD + "Mark Ellis approved the rota. Ellis said six weekends was fine; Mark's team disagreed.\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_importing_a_redacted_copy_keeps_every_mark_and_the_writers_names(ops):
    from editor.review.copies import make_review_copy, record_copy
    from editor.review.merge import merge_review

    copy = make_review_copy(parse(NAMED), redact=True, when=WHEN)
    assert "Ellis" not in copy.text
    writer = record_copy(NAMED, copy)
    text = copy.text
    for op, pos, length, typed, who in ops:
        start = parse(text).front_matter_end
        a = start + pos % (len(text) - start + 1)
        b = min(len(text), a + length)
        try:
            if op in ("type", "type_sel"):
                text = suggest.type_text(text, a, b if op == "type_sel" else a, typed, who, WHEN).text
            elif op in ("back", "del"):
                text = (suggest.backspace if op == "back" else suggest.delete_forward)(text, a, who, WHEN).text
            elif op == "del_sel":
                text = suggest.delete(text, a, b, who, forward=True, when=WHEN).text
            else:
                text = suggest.comment(text, a, b, typed, who, WHEN).text
        except suggest.Refused:
            continue
    result = merge_review(writer, text)
    merged = body(result.text)
    assert reject_all(merged) == body(NAMED)  # the writer's own words, names included, are untouched
    # Nothing is dropped: a mark that cannot sit inside a name comes back as a comment beside it.
    assert len(find_marks(merged)) >= len([m for m in find_marks(body(text)) if m.kind != "highlight"])
