"""The HTML the preview shows: the export's own renderer when it is installed, else plain Markdown.

Runs in a worker thread (no Qt here). The fallback is sanitised with nh3 like the export, so the
preview never carries scripts or remote references.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import markdown
import nh3

from editor.model import Document


def _export_renderer() -> Callable[..., str] | None:
    try:
        from export.html import render_html  # the export's renderer, when that package is present
    except ImportError:
        return None
    return render_html


def preview_html(doc: Document) -> str:
    render = _export_renderer()
    if render is not None:
        try:
            return render(doc)
        except Exception:  # a renderer bug must not take the preview down; fall back to plain Markdown
            pass
    return markdown_preview(doc)


def markdown_preview(doc: Document) -> str:
    body = markdown.markdown(doc.body, extensions=["extra", "sane_lists"], output_format="html")
    body = nh3.clean(body, url_schemes={"data"})
    meta = doc.meta
    head = []
    if doc.title:
        head.append(f"<h1 class='title'>{html.escape(doc.title)}</h1>")
    byline = " · ".join(html.escape(str(v)) for v in (meta.get("author"), meta.get("date")) if v)
    if byline:
        head.append(f"<p class='byline'>{byline}</p>")
    return "<html><body>" + "".join(head) + body + "</body></html>"
