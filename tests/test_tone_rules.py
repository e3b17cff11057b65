"""Every rule's own examples: each 'fire' example must raise that rule, each 'pass' example must not."""

from __future__ import annotations

import pytest

from editor.model import people_from_meta
from editor.tone import lint, load_rules

RULES = load_rules(include_user=False).rules
CASES = [
    (rule.id, kind, ex)
    for rule in RULES
    for kind, examples in (("fire", rule.examples_fire), ("pass", rule.examples_pass))
    for ex in examples
]


def test_every_rule_has_examples_both_ways():
    for rule in RULES:
        assert rule.examples_fire, f"{rule.id} has no must-fire example"
        assert rule.examples_pass, f"{rule.id} has no must-not-fire example"


def test_every_category_has_rules():
    from editor.tone import CATEGORIES

    assert {r.category for r in RULES} == set(CATEGORIES)


@pytest.mark.parametrize(("rule_id", "kind", "example"), CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_rule_example(rule_id, kind, example):
    if isinstance(example, dict):
        text, people = example["text"], people_from_meta({"people": example.get("people", [])})
    else:
        text, people = example, None
    fired = [f for f in lint(text, people) if f.rule == rule_id]
    if kind == "fire":
        assert fired, f"{rule_id} should fire on: {text}"
    else:
        assert not fired, f"{rule_id} should not fire on: {text} (got {text[fired[0].start : fired[0].end]!r})"
