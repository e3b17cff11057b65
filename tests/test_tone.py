"""The tone lint engine: offsets, what it skips, suppression, people, cache, threads, user packs, heat."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from pathlib import Path

import pytest

from editor.fileformat import parse
from editor.model import Person
from editor.paths import config_dir
from editor.tone import cache_info, clear_cache, heat_summary, lint, lint_document, pack_problems, reload_packs

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def cats(findings) -> set[str]:
    return {f.category for f in findings if f.severity in ("warning", "error")}


def test_offsets_point_into_the_file_text_after_front_matter():
    text = "---\ntitle: x\n---\n\n# Thesis\n\nHR never follows up on anything.\n"
    [f] = [f for f in lint(text) if f.category == "absolute"]
    assert text[f.start : f.end] == "never"
    assert f.suggestion == "rarely"


def test_front_matter_is_not_linted():
    assert not lint("---\ntitle: The culture here is toxic\n---\n\nOn 3 May the VP cut the budget.\n")


def test_quotes_block_quotes_code_and_comments_are_evidence_not_tone():
    text = (
        'A customer wrote: "Your app is useless, I hate it!!!"\n\n'
        "> The culture here is toxic and management is a disaster.\n\n"
        "```\nNEVER EVER DO THIS!!!\n```\n\n"
        "Use `bullshit_filter()` here.\n\n"
        "<!-- note to self: this place is a joke -->\n"
    )
    assert not [f for f in lint(text) if f.severity != "info"]


def test_letters_lowercasing_does_not_settle_are_read_with_the_caseless_patterns():
    text = "Sorry to bring this up, but possibly the rota could be slightly fairer? The Stra\u017fe office."
    [f] = [f for f in lint(text) if f.rule == "tone.hedging.stacked"]
    assert (f.start, text[f.start : f.end].split()[:3]) == (0, ["Sorry", "to", "bring"])
    assert [(g.rule, g.start, g.end) for g in lint(text)] == [
        (g.rule, g.start, g.end) for g in lint(text.replace("\u017f", "ss"))
    ]


def test_criticmarkup_reads_as_accepted():
    text = (
        "{--This place is a joke.--}{++On 3 May the rota changed.++} "
        "{~~Management is a disaster~>The VP cut the budget~~}.\n"
    )
    assert not lint(text)
    text = "{++The culture here is toxic.++}\n"
    [f] = lint(text)
    assert f.category == "vague" and text[f.start : f.end].startswith("culture")


def test_enabled_by_line_and_heading_marks_are_skipped():
    text = "## Point: NEVER AGAIN\n\nEnabled by: The intern, who is the reason\n"
    assert "low_power_target" not in cats(lint(text))


def test_inline_ignore_comment_and_front_matter_ignore():
    body = "HR never follows up on anything.\n"
    assert cats(lint(body)) == {"absolute"}
    assert not lint("<!-- onrecord: ignore tone.absolute -->\n" + body)
    assert not lint("---\nignore: [tone.absolute]\n---\n" + body)
    assert not lint(body, disabled_categories=["absolute"])


def test_people_registry_finds_low_power_and_underperformer_by_name():
    text = "Dana changed the rota four times in March. Tim Booth says the swaps are why he might leave.\n"
    people = [Person("Dana Wu", power="low"), Person("Tim Booth", power="low", perceived_underperformer=True)]
    assert {"low_power_target", "underperformer_evidence"} <= cats(lint(text, people))
    assert not cats(lint(text, [Person("Dana Wu", power="high"), Person("Tim Booth")]))


def test_lint_document_uses_the_documents_people():
    doc = parse((FIXTURES / "docs" / "d7-underperformer.md").read_text())
    assert {"low_power_target", "underperformer_evidence"} <= cats(lint_document(doc))


def test_only_the_edited_paragraph_is_relinted():
    paras = [f"Paragraph {i}: the rota changed on {i} May and {i} people left." for i in range(1, 31)]
    text = "\n\n".join(paras)
    clear_cache()
    lint(text)
    assert cache_info() == {"hits": 0, "misses": 30}
    edited = text.replace("Paragraph 7: the rota", "Paragraph 7: honestly the rota")
    lint(edited)
    assert cache_info() == {"hits": 29, "misses": 31}


def test_linting_from_many_threads_gives_the_same_answer():
    text = (FIXTURES / "prose" / "dev_02_rant_logistics.md").read_text()
    clear_cache()
    expected = lint(text)
    results, errors = [], []

    def work():
        try:
            for _ in range(5):
                clear_cache()
                results.append(lint(text))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert len(results) == 20 and all(r == expected for r in results)


def test_user_pack_adds_a_rule_and_a_broken_one_is_reported():
    folder = config_dir() / "tone"
    folder.mkdir(parents=True)
    (folder / "house.yaml").write_text(
        "rules:\n"
        "  - id: house.synergy\n    category: jargon\n    severity: warning\n"
        "    message: Say what the teams will do together.\n    patterns: ['\\bsynerg\\w*']\n"
        "    examples: {fire: [We need synergy.], pass: [We need a plan.]}\n"
    )
    (folder / "broken.yaml").write_text("rules:\n  - id: x\n    category: vague\n    patterns: ['(unclosed']\n")
    try:
        problems = reload_packs()
        assert any("broken.yaml" in p for p in problems)
        assert pack_problems() == problems
        [f] = lint("We need more synergy between sales and support.\n")
        assert f.rule == "tone.house.synergy"
    finally:
        for p in folder.iterdir():
            p.unlink()
        reload_packs()


def test_heat_summary_names_the_hot_part():
    text = (FIXTURES / "docs" / "d1-good-exit.md").read_text()
    angry = text.replace(
        "Without a review, the autumn date was set",
        "This place is a joke and the VP is a coward. Nobody ever listens!!! Without a review, the autumn date was set",
    )
    heat = heat_summary(angry, lint(angry))
    assert heat.verdict == "angry in Point 2"
    assert heat_summary(text, lint(text)).verdict == "professional throughout"
    hot = [s for s in heat.sections if s.hot]
    assert [s.label for s in hot] == ["Point 2"] and hot[0].counts["insult"] >= 1


# --- whole documents ---------------------------------------------------------------------

EXPECT_PROSE = {
    "dev_01_exit_letter_software_ok.md": set(),
    "dev_02_rant_logistics.md": {
        "profanity",
        "shouting",
        "insult",
        "venting",
        "absolute",
        "low_power_target",
        "gossip",
        "motive",
        "threat",
        "sarcasm",
    },
    "dev_03_overlong_hospital.md": {"gossip"},
    "dev_04_vague_nonprofit.md": {"vague"},
    "dev_05_escalation_finance_ok.md": set(),
    "dev_06_escalation_jargon_gamestudio.md": {"jargon"},
    "dev_07_criticmarkup_retail.md": {"low_power_target"},
    "dev_08_exit_lab_underperformer.md": {"underperformer_evidence"},
}


@pytest.mark.parametrize("name", sorted(EXPECT_PROSE))
def test_prose_documents(name):
    path = FIXTURES / "prose" / name
    text = path.read_text()
    assert re.match(r"<!-- expect:", text)  # the fixture says what a good checker reports
    got = cats(lint(text))
    assert got == EXPECT_PROSE[name], f"{name}: {Counter(f.category for f in lint(text))}"


def test_sample_documents_match_expectations():
    expectations = json.loads((FIXTURES / "docs" / "expectations.json").read_text())
    found = {name: cats(lint_document(parse((FIXTURES / "docs" / name).read_text()))) for name in expectations}
    assert found["d1-good-exit.md"] == set() and found["d2-escalation-good.md"] == set()
    assert found["d6-rant.md"] >= {
        "profanity",
        "shouting",
        "absolute",
        "insult",
        "motive",
        "gossip",
        "vague",
        "venting",
    }
    assert found["d7-underperformer.md"] >= {"low_power_target", "underperformer_evidence"}
    assert found["d9-jargon-memo.md"] == {"jargon"}
    doc = parse((FIXTURES / "docs" / "d6-rant.md").read_text())
    assert heat_summary(doc, lint_document(doc)).verdict == "angry throughout"
