"""Checks and review marks: open marks block the final export; tone and grammar read the text as it
would be with the marks accepted, never the reviewer's comments or the words they delete."""

from __future__ import annotations

import json

from app.cli import main
from editor.check import check
from editor.fileformat import parse
from editor.grammar.prose import prose_chunks
from editor.review import actions
from editor.review.threads import review_items
from editor.tone import lint
from tests.conftest import DOCS

PLAIN = "The rollout was a total shitshow and Desmond is clueless.\n"
MARKED = (
    "The rollout was late.{>>Honestly a total shitshow and Desmond is clueless.<<} "
    "{--What a shitshow.--} It was {~~a shitshow~>three weeks late~~}.\n"
)


def test_tone_ignores_comments_and_deleted_words_but_reads_the_same_words_in_plain_text():
    assert {f.rule.split(".")[1] for f in lint(PLAIN)} >= {"profanity", "insult"}
    assert lint(MARKED) == []


def test_grammar_is_sent_the_text_as_accepted():
    sent = " ".join(c.text for c in prose_chunks(MARKED))
    assert "shitshow" not in sent and "clueless" not in sent
    assert "three weeks late" in sent


def test_check_reports_each_open_item_as_an_error_until_it_is_decided(capsys):
    path = DOCS / "d8-review-marks.md"
    assert main(["check", str(path), "--format", "json", "--no-grammar"]) == 1
    rows = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "review.unresolved"]
    assert len(rows) == 4 and all(r["severity"] == "error" and "R. Lind" in r["message"] for r in rows)
    text = path.read_text(encoding="utf-8")
    for item in reversed(review_items(parse(text))):
        text = actions.resolve(text, item.head_id) if not item.is_edit else actions.accept(text, item.head_id)
    assert not [f for f in check(parse(text)).findings if f.rule == "review.unresolved"]
