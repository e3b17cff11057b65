"""Tone lint: rule packs that catch what gets feedback dismissed (DESIGN.md §6). No Qt here.

``lint(text, people)`` reads a whole file's text (front matter skipped, offsets exact into it);
``lint_document(doc)`` does the same with the document's people registry; ``heat_summary`` says
per part how the text reads. Results are cached per paragraph, so the GUI can lint on every pause
in typing from a worker thread.
"""

from __future__ import annotations

from collections.abc import Iterable

from editor.check import apply_suppressions
from editor.findings import Finding, sort_findings
from editor.model import Document, Person, people_from_meta
from editor.tone.engine import engine, people_key, reload
from editor.tone.heat import Heat, SectionHeat, heat_summary
from editor.tone.rules import CATEGORIES, PackError, load_rules
from editor.tone.text import prepare

__all__ = [
    "CATEGORIES",
    "Heat",
    "PackError",
    "SectionHeat",
    "cache_info",
    "clear_cache",
    "heat_summary",
    "lint",
    "lint_document",
    "load_rules",
    "pack_problems",
    "reload_packs",
]


def _lint(text: str, people: list[Person] | None, doc: Document | None, disabled: Iterable[str]) -> list[Finding]:
    prep = prepare(text)
    if people is None:
        people = people_from_meta(prep.meta)
    eng = engine()
    key = people_key(people)
    rules = eng.rules
    findings: list[Finding] = []
    for par, hits in zip(prep.paragraphs, eng.document_hits(prep.paragraphs, people, key), strict=True):
        for h in hits:
            rule = rules[h.rule]
            message = rule.message.replace("{hits}", h.detail) if h.detail else rule.message
            findings.append(
                Finding(
                    rule.id,
                    rule.category,
                    rule.severity,
                    par.start + h.start,
                    par.start + h.end,
                    message,
                    h.suggestion,
                )
            )
    if doc is None:
        doc = Document(text=text, meta=prep.meta, front_matter_end=prep.body_start)
    return sort_findings(apply_suppressions(doc, findings, disabled))


def lint(text: str, people: list[Person] | None = None, disabled_categories: Iterable[str] = ()) -> list[Finding]:
    """Tone findings for a whole file's text; ``people`` defaults to the front matter's registry.

    Honours the front matter's ``ignore`` list and ``<!-- onrecord: ignore RULE -->`` comments.
    """
    return _lint(text, people, None, disabled_categories)


def lint_document(doc: Document, disabled_categories: Iterable[str] = ()) -> list[Finding]:
    """Tone findings for a parsed document, using its people registry."""
    return _lint(doc.text, doc.people, doc, disabled_categories)


def clear_cache() -> None:
    """Forgets every cached paragraph (benchmarks measure a cold lint this way)."""
    engine().clear_cache()


def cache_info() -> dict[str, int]:
    eng = engine()
    return {"hits": eng.hits, "misses": eng.misses}


def reload_packs() -> list[str]:
    """Re-reads the rule packs (after a user pack changed); returns the user-pack problems."""
    return reload().ruleset.problems


def pack_problems() -> list[str]:
    """Why user packs (or rules in them) were skipped, in plain words."""
    return list(engine().ruleset.problems)
