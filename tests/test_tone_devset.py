"""The labelled development set: the floors of issue #4, on the whole set and on a held-out half.

Each item is linted as its own paragraph; flagged = any warning or error. The dev items name no
registered people (low-power targets and weak witnesses are described by role), so no people
registry is needed; the registry-based rules are covered by their own examples and the documents.
"""

from __future__ import annotations

from pathlib import Path

from editor.tone.evaluate import half, load_items, score

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEV = load_items(FIXTURES / "tone-dev.jsonl")
EXTRA = load_items(FIXTURES / "tone-extra.jsonl")
# Written by sessions that never read the rules (see each file's notes). The rules were then tuned on
# the hold-out set and on blind2; blind3 was only ever measured, so it is the honest figure for
# "other sentences of the same kinds" (docs/tone.md, Scoring).
HOLDOUT = load_items(FIXTURES / "tone-holdout.jsonl")
BLIND2 = load_items(FIXTURES / "tone-blind2.jsonl")
BLIND3 = load_items(FIXTURES / "tone-blind3.jsonl")
# Three fresh sets of 480 (20 per category, 200 ok), written the same way in one round; the packs were
# then tuned on blind4 and blind5, and blind6 was only measured.
BLIND4 = load_items(FIXTURES / "tone-blind4.jsonl")
BLIND5 = load_items(FIXTURES / "tone-blind5.jsonl")
BLIND6 = load_items(FIXTURES / "tone-blind6.jsonl")


def _floors(s, precision=0.90, recall=0.85, category=0.6):
    assert s.precision >= precision, s.report("precision below floor")
    assert s.recall >= recall, s.report("recall below floor")
    for cat in s.by_category:
        assert s.category_recall(cat, strict=True) >= category, f"{cat} recall below {category}\n{s.report('')}"


def _measured(capsys, items, title: str):
    s = score(items)
    with capsys.disabled():
        print("\n" + s.report(title))
    return s


def test_dev_set_floors(capsys):
    _floors(_measured(capsys, DEV, "tone-dev.jsonl (all)"))


def test_dev_set_held_out_half(capsys):
    _floors(_measured(capsys, [i for i in DEV if half(i["id"]) == "held-out"], "tone-dev.jsonl (held-out half)"))


def test_project_sentences_written_apart_from_the_dev_set(capsys):
    _floors(_measured(capsys, EXTRA, "tone-extra.jsonl"))


def test_hold_out_set_written_blind(capsys):
    """First run, before any tuning on it: precision 0.945, recall 0.613 (the rules were overfit)."""
    _floors(_measured(capsys, HOLDOUT, "tone-holdout.jsonl (written blind, then tuned on)"))


def test_second_blind_set(capsys):
    """First run, before any tuning on it: precision 0.977, recall 0.607."""
    _floors(_measured(capsys, BLIND2, "tone-blind2.jsonl (written blind, then tuned on)"))


def test_fourth_and_fifth_blind_sets(capsys):
    """First run, before any tuning on them: blind4 P 0.995 R 0.650, blind5 P 0.968 R 0.654."""
    _floors(_measured(capsys, BLIND4, "tone-blind4.jsonl (written blind, then tuned on)"))
    _floors(_measured(capsys, BLIND5, "tone-blind5.jsonl (written blind, then tuned on)"))


def test_third_blind_set_never_tuned_on(capsys):
    """Measured only. Before the generalisation work: precision 0.988, recall 0.600; after two rounds
    of it: P 1.000, R 0.793; after the third (tuned on blind4 and blind5): P 1.000, R 0.821, sarcasm
    0.4 and motive 0.6. The issue's floors (recall 0.85, no category below 0.6) are NOT met on unseen
    sentences, so this test guards the measured level against regressions instead. Tuning on this set
    would spoil it; raise these floors when the rules get there."""
    s = _measured(capsys, BLIND3, "tone-blind3.jsonl (written blind, never tuned on)")
    _floors(s, precision=0.95, recall=0.75, category=0.35)


def test_sixth_blind_set_never_tuned_on(capsys):
    """Measured only, like blind3: first run P 0.994, R 0.639; after the packs were tuned on blind4 and
    blind5 (which reached 1.00): P 0.995, R 0.725, absolute 0.55 and sarcasm 0.50 the weakest. Rules
    written from the sentences one has seen close those families, not the kinds; docs/tone.md, Scoring,
    has what a statistical reading added in an experiment. Guarded at the measured level."""
    s = _measured(capsys, BLIND6, "tone-blind6.jsonl (written blind, never tuned on)")
    _floors(s, precision=0.95, recall=0.70, category=0.45)
