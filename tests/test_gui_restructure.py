"""The guided editor's pure helpers: outline references and states, outline edits, page estimate, spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.checks import run_check
from editor.fileformat import parse
from editor.kinds import get_kind, new_document_text
from editor.ui import restructure as r
from editor.ui.lenient import lenient_parse
from editor.ui.page_estimate import Calibration, estimate_pages
from editor.ui.section_editor import editable_span, soften
from editor.ui.sections import EMPTY, GOOD, NEEDS_WORK, entries, resolve, states
from editor.ui.session import minimal_change
from tests.conftest import DOCS, ROOT

SAMPLE = (ROOT / "templates" / "samples" / "sample-exit-interview.md").read_text(encoding="utf-8")
KIND = get_kind("exit-interview")


def test_outline_rows_follow_the_method_in_document_order():
    doc = parse(SAMPLE)
    refs = [e.ref for e in entries(doc)]
    assert refs == [
        ("details",),
        ("thesis",),
        ("point", 0),
        ("incident", 0, 0),
        ("consequence", 0, 0),
        ("incident", 0, 1),
        ("consequence", 0, 1),
        ("point", 1),
        ("incident", 1, 0),
        ("consequence", 1, 0),
        ("ask",),
    ]
    assert resolve(doc, ("incident", 1, 0)).title == "The capacity review that never happened"
    assert resolve(doc, ("point", 5)) is None


def test_states_come_from_the_findings():
    doc = parse(SAMPLE)
    result = states(doc, run_check(doc, pages=False).findings)
    assert result[("consequence", 1, 0)].state == NEEDS_WORK
    assert result[("point", 1)].state == NEEDS_WORK  # a point carries its children's state
    assert result[("point", 0)].state == GOOD
    fresh = parse(new_document_text(KIND))
    empty = states(fresh, run_check(fresh, pages=False).findings)
    assert empty[("thesis",)].state == EMPTY and empty[("point", 0)].state == EMPTY


def test_a_fourth_point_is_refused_with_the_reason():
    text = new_document_text(KIND)
    for _ in range(2):
        text = r.add_point(parse(text), KIND).apply(text)
    assert len(parse(text).points) == 3
    with pytest.raises(r.Refused, match="at most 3 points"):
        r.add_point(parse(text), KIND)


def test_moving_a_point_carries_its_incidents_and_is_reversible():
    doc = parse(SAMPLE)
    edit = r.move_section(doc, ("point", 1), -1)
    moved = parse(edit.apply(SAMPLE))
    assert [p.section.title for p in moved.points] == [p.section.title for p in doc.points][::-1]
    assert moved.points[0].incidents[0].section.title == "The capacity review that never happened"
    assert edit.select == ("point", 0)
    back = r.move_section(moved, ("point", 0), 1).apply(moved.text)
    assert back == SAMPLE
    with pytest.raises(r.Refused, match="already the first"):
        r.move_section(doc, ("point", 0), -1)


def test_remove_keeps_the_thesis_and_everything_else_byte_for_byte():
    doc = parse(SAMPLE)
    with pytest.raises(r.Refused):
        r.remove_section(doc, ("thesis",), KIND)
    edit = r.remove_section(doc, ("incident", 0, 1), KIND)
    after = edit.apply(SAMPLE)
    assert "### Incident: The autumn release" not in after
    assert "The autumn release shipped with a crash" in after  # its consequence is a section of its own
    assert after == SAMPLE[: edit.start] + SAMPLE[edit.end :]
    assert edit.select == ("point", 0)


def test_enabled_by_and_titles_are_written_in_place():
    doc = parse(SAMPLE)
    text = r.set_enabled_by(doc, ("incident", 0, 1), ["Diane Cho"]).apply(SAMPLE)
    assert parse(text).points[0].incidents[1].enabled_by == ["Diane Cho"]
    text = r.set_title(parse(text), ("point", 1), "Concerns stall").apply(text)
    assert "## Point: Concerns stall\n" in text
    fresh = new_document_text(KIND)
    added = r.set_enabled_by(parse(fresh), ("incident", 0, 0), ["A B"]).apply(fresh)
    assert parse(added).points[0].incidents[0].enabled_by == ["A B"]


def test_set_meta_changes_only_the_front_matter():
    doc = parse(SAMPLE)
    meta = dict(doc.meta, ignore=["tone.absolute"])
    text = r.set_meta(doc, meta).apply(SAMPLE)
    after = parse(text)
    assert after.ignored_rules == ["tone.absolute"]
    assert after.body == doc.body


def test_the_estimate_is_close_and_calibrates_to_the_layout():
    assert 0.5 < estimate_pages(parse(SAMPLE)) < 1.6
    long = parse((DOCS / "d3-overlong.md").read_text(encoding="utf-8"))
    assert estimate_pages(long) > 3
    cal = Calibration()
    cal.learn(1.0, 1.6)
    assert cal.apply(1.0) == 1.6


def test_a_broken_header_still_gives_the_body_structure():
    text = "---\ntitle: [oops\n---\n\n# Thesis\n\nIt costs us.\n"
    doc, problem = lenient_parse(text)
    assert "not valid YAML" in problem
    assert doc.thesis is not None and doc.text == text
    assert doc.thesis.body(text).strip() == "It costs us."


def test_the_box_shows_a_section_without_its_blank_lines_or_enabled_by_line():
    doc = parse(SAMPLE)
    inc = resolve(doc, ("incident", 0, 0))
    a, b = editable_span(doc.text, inc, hide_enabled_by=True)
    shown = doc.text[a:b]
    assert shown.startswith("On 9 January") and shown.endswith("until launch.")
    a, b = editable_span(doc.text, inc)
    assert doc.text[a:b].endswith("Enabled by: Raj Patel")


def test_soft_wrapping_keeps_every_offset_and_only_joins_paragraph_lines():
    text = "A long line\nthat wraps.\n\n- one\n- two\nEnabled by: X\n> quote\nend  \nhard"
    shown = soften(text)
    assert len(shown) == len(text)
    assert shown.startswith("A long line that wraps.\n\n- one\n- two\nEnabled by: X\n> quote")
    assert shown.endswith("end  \nhard")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab \n", max_size=40), st.text(alphabet="ab \n", max_size=40))
def test_minimal_change_turns_one_text_into_the_other(old, new):
    a, b, rep = minimal_change(old, new)
    assert old[:a] + rep + old[b:] == new


def test_a_rename_touches_whole_names_in_enabled_by_lines_only():
    from editor.model import Person
    from editor.ui.restructure import renamed_people, set_meta_renaming

    text = (
        "---\nformat: 1\npeople:\n  - {name: Mark Ellis, role: Director, power: high}\n"
        "  - {name: Mark Ellison, role: CTO, power: high}\n---\n\n# Thesis\nMark Ellis said so.\n\n"
        "## Point: P\n### Incident: I\nMark Ellis cut the rota.\nEnabled by: Mark Ellison and Mark Ellis\n"
    )
    doc = parse(text)
    before = doc.people
    after = [Person("Mark Elliott", "Director", "high"), before[1]]
    renames = renamed_people(before, after)
    assert renames == {"Mark Ellis": "Mark Elliott"}
    assert renamed_people(before, after[:1]) == {}  # a row removed is not a rename
    meta = dict(doc.meta, people=[{"name": p.name, "role": p.role, "power": p.power} for p in after])
    edit, lines = set_meta_renaming(doc, meta, renames)
    new = edit.apply(text)
    assert lines == 1
    assert new.endswith("Enabled by: Mark Ellison and Mark Elliott\n")
    assert "Mark Ellis said so." in new and "Mark Ellis cut the rota." in new  # prose is the writer's to change
