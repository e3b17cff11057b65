"""One check of a Document: structure, review marks, length and whatever linters are given.

Suppression lives here so every checker honours it the same way: the front matter's ``ignore``
list, an ``<!-- onrecord: ignore RULE -->`` comment on the line before, and categories turned
off in settings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from editor.findings import Finding, sort_findings
from editor.kinds import Kind, load_kinds
from editor.model import Document
from editor.review.threads import review_items
from editor.structure import check_structure

Linter = Callable[[Document], list[Finding]]
_INLINE_IGNORE = re.compile(r"<!--\s*onrecord:\s*ignore\s+(?P<rules>[^>]*?)\s*-->", re.I)
WORDS_PER_PAGE = 430  # at the themes' minimum type size; used to say roughly how much to cut


@dataclass
class CheckResult:
    document: Document
    kind: Kind
    findings: list[Finding] = field(default_factory=list)
    pages: int | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def rule_matches(rule: str, pattern: str) -> bool:
    """'tone' silences tone.*, 'tone.absolute' silences tone.absolute and tone.absolute.*."""
    pattern = pattern.strip()
    return bool(pattern) and (rule == pattern or rule.startswith(pattern + "."))


def apply_suppressions(
    doc: Document, findings: Iterable[Finding], disabled_categories: Iterable[str] = ()
) -> list[Finding]:
    text = doc.text
    ignored = doc.ignored_rules
    off = set(disabled_categories)
    inline: list[tuple[int, int, list[str]]] = []  # (next line start, next line end, rules)
    for m in _INLINE_IGNORE.finditer(text):
        nl = text.find("\n", m.end())
        if nl == -1:
            continue
        line_end = text.find("\n", nl + 1)
        inline.append((nl + 1, line_end if line_end != -1 else len(text), m.group("rules").replace(",", " ").split()))
    out = []
    for f in findings:
        if f.category in off or any(rule_matches(f.rule, p) for p in ignored):
            continue
        if any(a <= f.start <= b and any(rule_matches(f.rule, p) for p in rules) for a, b, rules in inline):
            continue
        out.append(f)
    return out


def review_findings(doc: Document) -> list[Finding]:
    """One error per open review item (a highlight and its comments are one), naming who made it."""
    out = []
    for it in review_items(doc):
        who = f" from {it.entry.by}" if it.entry else " from a reviewer"
        todo = "Accept or reject it" if it.is_edit else "Resolve it"
        msg = f"{it.label}{who} is still open ({it.summary}). {todo} before the final export."
        out.append(Finding("review.unresolved", "review", "error", it.start, it.end, msg))
    return out


def length_findings(doc: Document, kind: Kind, pages: int | None) -> list[Finding]:
    if pages is None or pages <= kind.page_limit:
        return []
    words = len(re.findall(r"\w+", doc.body))
    cut = max(50, math.ceil(words * (pages - kind.page_limit) / pages / 10) * 10)
    return [
        Finding(
            "length.pages",
            "length",
            "error",
            doc.front_matter_end,
            doc.front_matter_end,
            f"The document is {pages} pages; {kind.a_name} keeps to {kind.page_limit}. "
            f"Cut roughly {cut} words: keep the strongest points and incidents.",
        )
    ]


def resolve_kind(doc: Document) -> tuple[Kind, bool]:
    kinds = load_kinds()
    if doc.kind in kinds:
        return kinds[doc.kind], True
    return kinds["exit-interview"], False


def check(
    doc: Document,
    *,
    linters: Iterable[Linter] = (),
    pages: int | None = None,
    disabled_categories: Iterable[str] = (),
) -> CheckResult:
    kind, known = resolve_kind(doc)
    findings = check_structure(doc, kind, known) + review_findings(doc) + length_findings(doc, kind, pages)
    for lint in linters:
        findings += lint(doc)
    findings = apply_suppressions(doc, findings, disabled_categories)
    for i, f in enumerate(findings):
        if not f.section:
            sec = doc.section_at(f.start)
            findings[i] = Finding(
                f.rule,
                f.category,
                f.severity,
                f.start,
                f.end,
                f.message,
                f.suggestion,
                sec.label() if sec else "Details",
            )
    return CheckResult(doc, kind, sort_findings(findings), pages)
