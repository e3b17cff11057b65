"""The speaking-notes card: thesis, one line per point with its strongest consequence, the ask.

It is for the writer's hand in the meeting, so it keeps real names and always fits on one page:
the card is laid out with the same engine and shrunk a step at a time until it does.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from string import Template

from editor.check import resolve_kind
from editor.errors import DocumentError
from editor.model import Document, Point, Section
from editor.settings import load_settings
from export.consequences import plain_text, sentences, strongest
from export.fonts import require_fonts
from export.html import format_date, prepare
from export.layout import render
from export.pdf import ExportResult, check_target, finisher_for, seal, write_bytes_atomic
from export.sanitize import clean_body
from export.themes import PAGE_SIZES, document_shell, page_size_of, read_theme_file

FONT_STEPS = (14, 13, 12, 11, 10, 9)  # pt; the first size that fits on one page wins
WORD_CAPS = (70, 55, 45, 35, 28, 22)  # words kept from each line at the matching step
_BACK_REFERENCE = re.compile(r"^(?:\S+\s+){0,3}(?:them|they|this|these|those|it|that)\b", re.I)
NOTES_FONTS = ("Carlito", "DejaVu Sans")


def _esc(text: str) -> str:
    return html.escape(re.sub(r"(?<=\w)'(?=\w)", "’", text), quote=True)


def _cap_words(text: str, cap: int) -> str:
    words = text.split()
    return text if len(words) <= cap else " ".join(words[:cap]).rstrip(",;:") + "…"


def _ask_items(doc: Document, ask: Section | None) -> list[str]:
    if ask is None:
        return []
    body = ask.body(doc.text)
    items = [m.group(1) for m in re.finditer(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+(.+)$", body, re.M)]
    if items:
        return [plain_text(i) for i in items][:5]
    return sentences(plain_text(body))[:3]


def _strongest_cost(doc: Document, point: Point) -> str:
    """The most material consequence sentence, with the one before it when it says 'them' or 'this'."""
    fact = strongest(doc, point.consequences)
    if fact is None:
        for sec in point.consequences:
            first = sentences(plain_text(sec.body(doc.text)))
            if first:
                return first[0]
        return ""
    sec = point.consequences[fact.section_no]
    all_sentences = sentences(plain_text(sec.body(doc.text)))
    i = fact.index
    if i > 0 and _BACK_REFERENCE.match(fact.sentence):
        return f"{all_sentences[i - 1]} {fact.sentence}"
    return fact.sentence


def _recipients(doc: Document) -> str:
    out = []
    for r in doc.meta.get("recipients") or []:
        if isinstance(r, dict) and r.get("name"):
            role = str(r.get("role") or "").strip()
            out.append(f"{r['name']} ({role})" if role else str(r["name"]))
    return ", ".join(out)


def notes_html(doc: Document, step: int = 0) -> str:
    p = prepare(doc, marks="hide")
    d = p.doc
    cap = WORD_CAPS[step]
    kind, _known = resolve_kind(doc)
    size = page_size_of(doc.meta)
    parts = [
        f'<header class="notes-head"><p class="doc-kind">Speaking notes · {_esc(kind.name)}</p>'
        f'<h1 class="doc-title">{_esc(p.title or kind.name)}</h1></header>'
    ]
    if d.thesis is not None:
        thesis = plain_text(d.thesis.body(d.text))
        parts.append(
            f'<section class="thesis"><p class="section-label">Open with the thesis</p>'
            f'<p class="thesis-text">{_esc(_cap_words(thesis, cap))}</p></section>'
        )
    if d.points:
        items = []
        for pt in d.points:
            cost = _strongest_cost(d, pt)
            line = f"<strong>{_esc(_cap_words(plain_text(pt.section.title) or 'Point', cap))}</strong>"
            if cost:
                line += f'<span class="consequence">Cost: {_esc(_cap_words(cost, cap))}</span>'
            items.append(f"<li>{line}</li>")
        parts.append(f'<p class="section-label">Points</p><ol class="notes-points">{"".join(items)}</ol>')
    asks = _ask_items(d, d.ask)
    if asks:
        lis = "".join(f"<li>{_esc(_cap_words(a, cap))}</li>" for a in asks)
        parts.append(f'<p class="section-label">The ask</p><ul>{lis}</ul>')
    decide = format_date(doc.meta.get("decision_by"), size)
    tip = "Talk first; hand over the written copy at the end, so they hear it from you before they read it."
    if decide:
        tip += f" Decision needed by {decide}."
    who = _recipients(doc)
    if who:
        tip += f" Copies for: {who}."
    parts.append(f'<p class="notes-tip">{_esc(tip)}</p>')
    css = (
        read_theme_file("notes.css")
        + f"\n@page {{ size: {PAGE_SIZES[size]}; }}\nhtml {{ font-size: {FONT_STEPS[step]}pt; }}\n"
    )
    return Template(document_shell()).substitute(
        lang="en",
        title=_esc(f"Speaking notes: {p.title or kind.name}"),
        head_meta=f'<meta name="author" content="{_esc(p.author)}">' if p.author else "",
        css=css,
        body_class="notes",
        body=clean_body("\n".join(parts)),
    )


def notes_pdf(doc: Document, out_path: str | os.PathLike[str]) -> ExportResult:
    """Writes the one-page card; refuses only if even the smallest step cannot fit one page."""
    out = Path(out_path)
    check_target(out)
    require_fonts(NOTES_FONTS, "speaking notes")
    for step in range(len(FONT_STEPS)):
        rendered = render(notes_html(doc, step))
        if len(rendered.pages) == 1:
            break
    else:
        raise DocumentError("The speaking notes do not fit on one page; shorten the point titles or the ask.")
    seal(rendered)
    write_bytes_atomic(out, rendered.write_pdf(finisher=finisher_for(load_settings().export)))
    kind, _known = resolve_kind(doc)
    return ExportResult(1, out, False, kind.page_limit)
