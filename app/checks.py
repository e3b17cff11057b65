"""The full check used by both the CLI and the GUI: structure, review, tone, grammar and pages.

No Qt here; the GUI runs this in a worker thread.
"""

from __future__ import annotations

from collections.abc import Iterable

from editor.check import CheckResult, Linter, check
from editor.grammar import GrammarService, grammar_linter
from editor.model import Document


def run_check(
    doc: Document,
    *,
    tone: bool = True,
    pages: bool = True,
    extra_linters: Iterable[Linter] = (),
    disabled_categories: Iterable[str] = (),
    grammar: bool = False,
    grammar_service: GrammarService | None = None,
) -> CheckResult:
    """Every check of one document; ``tone`` and ``pages`` switch off the slower parts.

    ``grammar`` adds LanguageTool (blocking: it may start the server), through ``grammar_service`` or the
    process-wide one; when it is unavailable the result carries a notice instead of findings.
    """
    linters: list[Linter] = list(extra_linters)
    notices: list[str] = []
    if tone:
        from editor.tone import lint_document

        linters.append(lint_document)
    if grammar:
        linters.append(grammar_linter(grammar_service, notices))
    count = page_count_or_notice(doc, notices) if pages else None
    result = check(doc, linters=linters, pages=count, disabled_categories=disabled_categories)
    result.notices.extend(notices)
    return result


def page_count_or_notice(doc: Document, notices: list[str]) -> int | None:
    """Exact pages from the export layout (weasyprint is imported only here); a missing font is a notice."""
    from editor.errors import DocumentError
    from export.layout import page_count

    try:
        return page_count(doc)
    except DocumentError as exc:
        notices.append(f"Page count unavailable: {exc}")
        return None
