from __future__ import annotations

import json

import pytest

from editor.check import check
from editor.fileformat import parse, read_document
from editor.kinds import get_kind, load_kinds, new_document_text
from editor.structure import thesis_is_claim
from tests.conftest import DOCS

EXPECTATIONS = json.loads((DOCS / "expectations.json").read_text())


def _rules(path):
    return [f.rule for f in check(read_document(path)).findings if f.severity == "error"]


@pytest.mark.parametrize("name", sorted(EXPECTATIONS), ids=str)
def test_sample_documents_raise_the_expected_structure_errors(name):
    errors = _rules(DOCS / name)
    for family in EXPECTATIONS[name]["errors"]:
        if family.startswith(("structure", "review")):
            assert any(r.startswith(family) for r in errors), (name, family, errors)
    if not any(f.startswith("structure") for f in EXPECTATIONS[name]["errors"]):
        assert not [r for r in errors if r.startswith("structure")], (name, errors)


def test_missing_links_are_named():
    rules = _rules(DOCS / "d5-missing-links.md")
    assert "structure.enabled_by" in rules and "structure.consequence" in rules


def test_low_power_enabler_and_underperformer():
    found = {f.rule: f for f in check(read_document(DOCS / "d7-underperformer.md")).findings}
    assert found["structure.enabled_by_low_power"].severity == "error"
    assert found["structure.underperformer"].severity == "warning"


def test_four_points_error_points_at_the_fourth():
    doc = read_document(DOCS / "d4-four-points.md")
    f = next(f for f in check(doc).findings if f.rule == "structure.points")
    assert doc.text[f.start : f.end].startswith("## Point")
    assert f.start == doc.points[3].section.start


@pytest.mark.parametrize(
    ("thesis", "ok"),
    [
        ("Platform's on-call policy is driving out our senior engineers.", True),
        ("The lab's data practices put years of work at risk.", True),
        ("Management repeatedly overpromised delivery dates to customers.", True),
        ("On-call policy", False),
        ("Thoughts on the mobile team and its leadership", False),
        ("Why is nobody fixing the release process?", False),
    ],
)
def test_thesis_claim_heuristic(thesis, ok):
    assert thesis_is_claim(thesis)[0] is ok


def test_topic_thesis_and_missing_ask_and_decision_date():
    doc = parse("---\nkind: escalation-memo\n---\n# Thesis\nThe warehouse fire doors\n")
    rules = {f.rule for f in check(doc).findings}
    assert {"structure.thesis_claim", "structure.points", "structure.ask", "structure.decision_by"} <= rules


def test_immaterial_consequence_is_a_warning():
    doc = read_document(DOCS / "d1-good-exit.md")
    warns = [f for f in check(doc).findings if f.rule == "structure.consequence_material"]
    assert len(warns) == 1 and warns[0].severity == "warning"


def test_ignore_in_front_matter_and_inline():
    text = (DOCS / "d5-missing-links.md").read_text()
    ignored = text.replace("format: 1\n", "format: 1\nignore: [structure.enabled_by]\n")
    assert "structure.enabled_by" not in {f.rule for f in check(parse(ignored)).findings}
    inline = text.replace(
        "### Incident: The freezer log", "<!-- onrecord: ignore structure.enabled_by -->\n### Incident: The freezer log"
    )
    assert "structure.enabled_by" not in {f.rule for f in check(parse(inline)).findings}
    assert "structure.enabled_by" in {f.rule for f in check(parse(text)).findings}


def test_kinds_are_data_and_users_can_add_one(isolated_dirs):
    kinds = load_kinds()
    assert {"exit-interview", "escalation-memo", "upward-feedback"} <= set(kinds)
    assert kinds["exit-interview"].page_limit == 3 and kinds["escalation-memo"].page_limit == 2
    assert kinds["escalation-memo"].requires_decision_by
    for kind in kinds.values():
        for role in ("thesis", "point", "incident", "consequence", "ask"):
            guide = kind.guide(role)
            assert guide and guide.prompt and guide.example, (kind.id, role)
    folder = isolated_dirs / "config" / "kinds"
    folder.mkdir(parents=True)
    (folder / "board-letter.yaml").write_text(
        "id: board-letter\nname: Letter to the board\npage_limit: 1\npoints: {min: 1, max: 2}\n"
    )
    (folder / "broken.yaml").write_text("id: [")
    problems: list[str] = []
    kinds = load_kinds(problems)
    assert kinds["board-letter"].page_limit == 1 and kinds["board-letter"].source == "user"
    assert len(problems) == 1 and "broken.yaml" in problems[0]


@pytest.mark.parametrize("kind_id", ["exit-interview", "escalation-memo", "upward-feedback"])
def test_new_document_parses_and_guides(kind_id):
    doc = parse(new_document_text(get_kind(kind_id), title="T"))
    assert doc.kind == kind_id and doc.thesis is not None and len(doc.points) == 1
    rules = {f.rule for f in check(doc).findings}
    assert "structure.thesis" in rules
