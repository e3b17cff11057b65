"""Export one PDF: refuse what must not be handed over, stamp drafts, carry nothing unintended.

A final copy is refused while it is over the kind's page limit or review marks are unresolved;
a draft is written anyway with DRAFT (and OVER LIMIT) on every page. The PDF holds the title and
author only; no producer string unless the writer opted in, no attachments, no local links.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from editor.check import length_findings, resolve_kind, review_findings
from editor.errors import DocumentError
from editor.fileformat import write_bytes_atomic as write_file_atomic
from editor.findings import Finding, LineIndex
from editor.model import Document
from editor.settings import ExportSettings, load_settings
from export.guard import too_deep
from export.html import Marks, render_html
from export.layout import check_fonts, render

PRODUCER = "On Record"
SAFE_LINK_SCHEMES = ("http:", "https:", "mailto:")


class ExportRefused(DocumentError):
    """The final copy was not written; ``findings`` say why (length.pages, review.unresolved)."""

    def __init__(self, message: str, findings: list[Finding], pages: int | None = None) -> None:
        super().__init__(message)
        self.findings = findings
        self.pages = pages


@dataclass(frozen=True)
class ExportResult:
    pages: int
    path: Path
    over_limit: bool
    page_limit: int = 3
    draft: bool = False
    notes: list[str] = field(default_factory=list)


def _review_message(doc: Document, found: list[Finding]) -> str:
    line, _col = LineIndex(doc.text).line_col(found[0].start)
    n = len(found)
    return (
        f"The document has {n} unresolved review mark{'s' * (n != 1)} (the first on line {line}). "
        "Accept or reject them before the final export, or export a draft."
    )


def finisher_for(settings: ExportSettings):
    """Strips what weasyprint would add on its own: its producer string, attachments, local links."""

    def finish(document, pdf) -> None:
        if settings.producer_opt_in:
            pdf.info["Producer"] = _pdf_string(PRODUCER)
        else:
            pdf.info.pop("Producer", None)
            pdf.info.pop("Creator", None)
        names = pdf.catalog.get("Names")
        if names is not None and hasattr(names, "pop"):
            names.pop("EmbeddedFiles", None)

    return finish


def _pdf_string(text: str):
    import pydyf

    return pydyf.String(text)


def seal(rendered) -> None:
    """Drops attachments and any link that is not a web or mail address from the laid-out pages."""
    rendered.metadata.attachments = []
    for page in rendered.pages:
        page.links = [
            link
            for link in page.links
            if link[0] == "internal" or (link[0] == "external" and str(link[1]).lower().startswith(SAFE_LINK_SCHEMES))
        ]


def check_target(out_path: Path) -> None:
    if out_path.suffix.lower() != ".pdf":
        raise DocumentError(f"The output {out_path.name} must end in .pdf (so a draft is never written over).")
    if out_path.is_dir():
        raise DocumentError(f"{out_path} is a folder; give a file name ending in .pdf.")
    if not out_path.parent.is_dir():
        raise DocumentError(f"The folder {out_path.parent} does not exist.")


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """A new PDF is private (0600) until the writer hands it over; an existing one keeps its mode."""
    write_file_atomic(path, data, new_mode=0o600)


def export_pdf(
    doc: Document,
    out_path: str | os.PathLike[str],
    *,
    theme: str | None = None,
    for_name: str | None = None,
    redact: bool = False,
    draft: bool = False,
    marks: Marks = "hide",
    final: bool = True,
) -> ExportResult:
    """Writes the PDF. ``final`` refuses over-limit or unreviewed copies; otherwise they become drafts."""
    out = Path(out_path)
    check_target(out)
    settings = load_settings().export
    check_fonts(doc, theme, settings)
    kind, _known = resolve_kind(doc)
    notes: list[str] = []

    open_marks = review_findings(doc)
    if open_marks and not draft:
        if final:
            raise ExportRefused(_review_message(doc, open_marks), open_marks)
        draft = True
        notes.append("unresolved review marks: written as a draft")

    def lay_out(is_draft: bool, over: tuple[int, int] | None = None):
        html = render_html(
            doc, theme=theme, for_name=for_name, redact=redact, draft=is_draft, marks=marks, over_limit=over,
            settings=settings,
        )  # fmt: skip
        try:
            return render(html)
        except RecursionError as exc:  # weasyprint recurses per nested box; one line for the writer
            raise too_deep(exc) from None

    rendered = lay_out(draft)
    pages = len(rendered.pages)
    over_limit = pages > kind.page_limit
    if over_limit and not draft:
        if final:
            found = length_findings(doc, kind, pages)
            raise ExportRefused(found[0].message, found, pages)
        draft = True
        notes.append("over the page limit: written as a draft")
        rendered = lay_out(True)
    if draft and over_limit:
        rendered = lay_out(True, (pages, kind.page_limit))
    if len(rendered.pages) != pages:  # the stamps are fixed-position and must not move the text
        raise DocumentError("The draft stamp changed the layout; this is a bug in the theme.")
    seal(rendered)
    data = rendered.write_pdf(finisher=finisher_for(settings))
    write_bytes_atomic(out, data)
    return ExportResult(pages, out, over_limit, kind.page_limit, draft, notes)
