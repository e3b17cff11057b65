"""The full check used by both the CLI and the GUI: structure, review, tone, grammar and pages.

No Qt here; the GUI runs this in a worker thread.
"""

from __future__ import annotations

from collections.abc import Iterable

from editor.check import CheckResult, Linter, check
from editor.model import Document


def run_check(
    doc: Document,
    *,
    tone: bool = True,
    pages: bool = True,
    extra_linters: Iterable[Linter] = (),
    disabled_categories: Iterable[str] = (),
) -> CheckResult:
    """Every check of one document; ``tone`` and ``pages`` switch off the slower parts."""
    linters: list[Linter] = list(extra_linters)
    count = None
    return check(doc, linters=linters, pages=count, disabled_categories=disabled_categories)
