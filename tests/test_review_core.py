"""The writer's side in the core: decisions on marks, the review log, review copies and their import."""

from __future__ import annotations

from datetime import datetime

import pytest

from editor.check import check
from editor.criticmarkup import find_marks
from editor.errors import DocumentError
from editor.fileformat import parse
from editor.review import actions, suggest
from editor.review.copies import (
    make_review_copy,
    names_left,
    people_to_hide,
    record_copy,
    redact_with_spans,
    unredact,
)
from editor.review.frontmatter import set_meta_keys
from editor.review.log import read_log
from editor.review.merge import STALE, merge_review
from editor.review.threads import review_items, section_has_open_marks, sections_with_open_marks
from tests.conftest import DOCS

WHEN = datetime(2026, 9, 2, 10, 14)
D1 = (DOCS / "d1-good-exit.md").read_text(encoding="utf-8")
D8 = (DOCS / "d8-review-marks.md").read_text(encoding="utf-8")


def body(text: str) -> str:
    return text[parse(text).front_matter_end :]


def ids(text: str) -> dict[str, str]:
    """Head id by item kind (the first of each kind)."""
    out: dict[str, str] = {}
    for it in review_items(parse(text)):
        out.setdefault(it.kind, it.head_id)
    return out


# -- the front matter --------------------------------------------------------------------------------


def test_setting_a_key_leaves_every_other_header_byte_alone():
    text = "---\ntitle: A  # my note\npeople:\n- {name: X}\n\ndate: 2026-01-01\n---\nBody\n"
    out = set_meta_keys(text, {"reviews": {"c1234567": {"by": "Rita", "at": "2026-09-02 10:14"}}})
    assert out.startswith("---\ntitle: A  # my note\npeople:\n- {name: X}\n\ndate: 2026-01-01\n")
    assert parse(out).meta["reviews"] == {"c1234567": {"by": "Rita", "at": "2026-09-02 10:14"}}
    assert set_meta_keys(out, {"reviews": None}) == text
    replaced = set_meta_keys(text, {"people": [{"name": "Y"}]})
    assert parse(replaced).meta["people"] == [{"name": "Y"}] and "# my note" in replaced


# -- decisions ---------------------------------------------------------------------------------------


def test_items_are_listed_in_order_with_their_sections():
    items = review_items(parse(D8))
    assert [(i.kind, i.section) for i in items] == [
        ("substitution", "Thesis"),
        ("comment", "Incident: The March audit"),
        ("deletion", "Incident: The March audit"),
        ("insertion", "Consequence"),
    ]
    assert items[0].entry is not None and items[0].entry.by == "R. Lind"  # the one reviewer in the header
    doc = parse(D8)
    open_by_section = sections_with_open_marks(doc)
    assert sum(open_by_section.values()) == 4
    assert section_has_open_marks(doc, doc.thesis) and not section_has_open_marks(doc, doc.ask)


def test_accept_reject_resolve_and_the_export_check():
    k = ids(D8)
    text = actions.accept(D8, k["substitution"])
    assert "the medical director has known since March." in text
    text = actions.reject(text, ids(text)["deletion"])
    assert "no action was\nassigned. This is honestly shocking." in text
    text = actions.resolve(text, ids(text)["comment"])
    assert "in one week. The finding" in text
    assert [f.rule for f in check(parse(text)).findings if f.category == "review"] == ["review.unresolved"]
    text = actions.accept_all(text)
    assert "Two misdirected emails were already reported in July." in text
    assert find_marks(body(text)) == []
    assert not [f for f in check(parse(text)).findings if f.category == "review"]


def test_accepting_a_deletion_does_not_leave_a_doubled_space():
    text = actions.accept(D8, ids(D8)["deletion"])
    assert "no action was\nassigned.\n" in text


def test_reject_all_gives_back_the_writers_text_and_keeps_comments_open():
    text = actions.reject_all(D8)
    assert "has known for months." in text and "{>>Give the" in text
    assert [i.kind for i in review_items(parse(text))] == ["comment"]


def test_reply_is_signed_in_the_log_and_resolve_closes_the_thread():
    head = ids(D8)["comment"]
    text = actions.reply(D8, head, "Added: 3–9 March.", "Grace Obi", when=WHEN)
    assert "{>>Give the\nweek's dates so nobody can dispute the number.<<}{>>Added: 3–9 March.<<}" in text
    item = next(i for i in review_items(parse(text)) if i.head_id == head)
    assert [(m.text, m.entry.by if m.entry else None) for m in item.messages][1] == ("Added: 3–9 March.", "Grace Obi")
    assert parse(text).meta["reviewers"] == parse(D8).meta["reviewers"]  # the writer is not a reviewer
    text = actions.resolve(text, head)
    assert "Added" not in text and "reviews" not in parse(text).meta


def test_a_decision_on_a_mark_that_is_gone_says_so():
    with pytest.raises(DocumentError, match="no longer in the document"):
        actions.accept(D8, "s0000000")
    with pytest.raises(DocumentError, match="accepted or rejected"):
        actions.resolve(D8, ids(D8)["insertion"])
    with pytest.raises(DocumentError, match="empty"):
        actions.reply(D8, ids(D8)["comment"], "  ", "Grace")


def test_log_entries_follow_their_marks_through_other_decisions():
    text = D8
    at = text.index("{~~")
    r = suggest.type_text(text, at - 4, at - 4, "X", "Rita", WHEN)  # a new mark before the others
    log_before = read_log(parse(r.text).meta)
    assert [e.by for e in log_before.values()] == ["Rita"]
    text = actions.accept(r.text, ids(r.text)["substitution"])
    assert [e.by for e in read_log(parse(text).meta).values()] == ["Rita"]


# -- review copies -----------------------------------------------------------------------------------


def test_redacted_copy_names_nobody_and_the_writer_keeps_the_key():
    doc = parse(D1)
    copy = make_review_copy(doc, redact=True, when=WHEN)
    assert names_left(copy.text, people_to_hide(doc)) == []
    assert "Alex Moreno" not in copy.text and "recipients" not in parse(copy.text).meta
    assert "Enabled by: the Chief Product Officer, the VP Engineering" in copy.text
    meta = parse(copy.text).meta
    assert meta["review_copy"] == {"id": copy.copy_id, "sent": "2026-09-02 10:14", "redacted": True}
    writer = record_copy(D1, copy)
    assert body(writer) == body(D1)
    entry = parse(writer).meta["review_copies"][0]
    assert entry["id"] == copy.copy_id and entry["roles"]["the Chief Product Officer"] == "Raj Patel"


def test_unredacted_copy_keeps_names():
    copy = make_review_copy(parse(D1), redact=False, when=WHEN)
    assert "Raj Patel" in copy.text and copy.roles == {}


def test_redaction_spans_map_offsets_back():
    text = "Ask Raj Patel and Diane. Raj's call."
    red = redact_with_spans(text, {"Raj Patel": "the CPO", "Diane Cho": "the VP"})
    assert red.text == "Ask the CPO and the VP. the CPO's call."
    assert red.to_original(red.text.index("and")) == text.index("and")
    inside = red.text.index("CPO")
    assert red.to_original(inside, side="start") == 4 and red.to_original(inside, side="end") == 13
    assert unredact("The CPO agreed with the VP's plan.", {"the CPO": "Raj Patel", "the VP": "Diane Cho"}) == (
        "Raj Patel agreed with Diane Cho's plan."
    )


# -- import ------------------------------------------------------------------------------------------


def _reviewed(copy_text: str) -> str:
    """A reviewer's pass over D1's copy: a substitution, a deleted sentence, a comment naming a role."""
    t = copy_text
    a = t.index("senior engineers resigned")
    t = suggest.type_text(t, a, a + len("senior"), "experienced", "Rita Lind", WHEN).text
    a = t.index("The date\nwas not moved.")
    t = suggest.delete(t, a, a + len("The date\nwas not moved."), "Rita Lind", forward=True, when=WHEN).text
    a = t.index("descope later")
    note = "Who decided? Name the Chief Product Officer here."
    return suggest.comment(t, a, a + len("descope later"), note, "Rita Lind", WHEN).text


def test_import_into_an_unchanged_document_places_every_mark_and_names_come_back():
    copy = make_review_copy(parse(D1), redact=True, when=WHEN)
    writer = record_copy(D1, copy)
    result = merge_review(writer, _reviewed(copy.text))
    assert (result.placed, result.as_comments) == (3, 0)
    out = result.text
    assert "Two {~~senior~>experienced~~} engineers" in out
    assert "{--The date\nwas not moved.--}" in out
    assert "{==descope later==}{>>Who decided? Name Raj Patel here.<<}" in out
    assert "Enabled by: Raj Patel, Diane Cho" in out  # the writer's own text keeps its names
    log = read_log(parse(out).meta)
    assert len(log) == 4 and {e.by for e in log.values()} == {"Rita Lind"}
    assert parse(out).meta["reviewers"] == [{"name": "Rita Lind"}]
    assert parse(out).meta["review_copies"][0]["returned"]
    again = merge_review(out, _reviewed(copy.text))  # importing twice does not double the marks
    assert body(again.text) == body(out) and again.already_there == 4


def test_import_after_the_writer_kept_editing_keeps_changed_marks_as_comments():
    copy = make_review_copy(parse(D1), redact=True, when=WHEN)
    writer = record_copy(D1, copy)
    edited = writer.replace("The date\nwas not moved.", "The date stayed.").replace("descope later", "cut scope")
    edited = edited.replace("# Thesis\n", "# Thesis\n\nA new opening line the writer added.\n")
    result = merge_review(edited, _reviewed(copy.text))
    out = body(result.text)
    assert result.placed == 1 and result.as_comments == 2
    assert "Two {~~senior~>experienced~~} engineers" in out
    assert f"{{>>Suggested deleting “The date\nwas not moved.” ({STALE}).<<}}" in out
    assert f"{{>>On “descope later” ({STALE}): Who decided? Name Raj Patel here.<<}}" in out
    assert "The date stayed." in out and "A new opening line the writer added." in out
    assert len(read_log(parse(result.text).meta)) == 3


def test_import_of_something_that_is_not_a_document_says_so():
    with pytest.raises(DocumentError, match="reviewer's copy cannot be read"):
        merge_review(D1, "---\ntitle: [unclosed\n---\nx")


def test_import_of_a_copy_this_document_did_not_send_says_so():
    copy = make_review_copy(parse(D1), redact=False, when=WHEN)
    result = merge_review(D1, _reviewed(copy.text))  # the writer's file has no record of this copy
    assert result.placed == 3 and "not sent from this document" in result.summary
