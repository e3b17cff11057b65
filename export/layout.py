"""The one layout: weasyprint pages of the printed HTML. The page meter, `check` and the PDF share it.

Rendering is serialised by a lock (pango and fontconfig are not meant to be driven from two
threads at once) and remembered: the page count of an HTML string is cached, and the last
rendered document is kept so an export right after a page count does not lay out twice.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from editor.model import Document
from editor.settings import ExportSettings, load_settings
from export.fonts import require_fonts
from export.guard import too_deep
from export.html import render_html, resolve_theme

if TYPE_CHECKING:
    import weasyprint

_lock = threading.RLock()
_counts: OrderedDict[str, int] = OrderedDict()
_last: tuple[str, weasyprint.Document] | None = None
_COUNT_CACHE = 64
_log_quiet = False


def _quiet_weasyprint_log() -> None:
    """weasyprint logs each refused URL as a warning; the CLI must print one line, not a log."""
    global _log_quiet
    if not _log_quiet:
        log = logging.getLogger("weasyprint")
        log.addHandler(logging.NullHandler())
        log.propagate = False
        _log_quiet = True


def _key(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def render(html: str) -> weasyprint.Document:
    """Lays out one HTML string with the sealed fetcher; the last result is reused when unchanged."""
    global _last
    key = _key(html)
    with _lock:
        if _last is not None and _last[0] == key:
            return _last[1]
        import weasyprint

        from export.fetcher import SealedFetcher

        _quiet_weasyprint_log()
        try:
            rendered = weasyprint.HTML(string=html, base_url=None, url_fetcher=SealedFetcher()).render()
        except RecursionError as exc:  # weasyprint recurses per nested box; one line for the writer
            raise too_deep(exc) from None
        _last = (key, rendered)
        _remember(key, len(rendered.pages))
        return rendered


def _remember(key: str, pages: int) -> None:
    _counts[key] = pages
    _counts.move_to_end(key)
    while len(_counts) > _COUNT_CACHE:
        _counts.popitem(last=False)


def count_html(html: str) -> int:
    key = _key(html)
    with _lock:
        if key in _counts:
            _counts.move_to_end(key)
            return _counts[key]
    return len(render(html).pages)


def check_fonts(doc: Document, theme: str | None, settings: ExportSettings) -> None:
    chosen = resolve_theme(theme, doc, settings)
    require_fonts(chosen.fonts, chosen.name)


def page_count(doc: Document, theme: str | None = None) -> int:
    """Exact number of pages the final PDF of ``doc`` will have (same HTML, same layout)."""
    settings = load_settings().export
    check_fonts(doc, theme, settings)
    return count_html(render_html(doc, theme=theme, settings=settings))


def clear_cache() -> None:
    global _last
    with _lock:
        _counts.clear()
        _last = None
