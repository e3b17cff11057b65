"""The exact page count, from the same weasyprint layout as the PDF, served from a child process.

``python -m app.page_layout`` reads one JSON request per line (``{"id": 7, "text": "..."}``) and
answers one line each (``{"id": 7, "pages": 2.4}`` or ``{"id": 7, "error": "..."}``). Running the
layout in its own process keeps weasyprint's work off the editor's interpreter entirely (no GIL
contention with typing), and a crash in the renderer costs a page count, not the editor.
No Qt here.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from typing import TextIO

from editor.model import Document


def _layout_counter() -> Callable[[Document], int] | None:
    try:
        from export.layout import page_count  # the PDF's own layout, when the export package is present
    except ImportError:
        return None
    return page_count


def last_page_fill(doc: Document) -> float | None:
    """How full the last printed page is (0–1), read from the same weasyprint layout as the count.

    weasyprint has no public API for this, so it reads the page box's line boxes and gives up
    (None: the meter then shows whole pages) if that ever changes.
    """
    try:
        from editor.settings import load_settings
        from export.html import render_html
        from export.layout import render

        page = render(render_html(doc, settings=load_settings().export)).pages[-1]._page_box
        top, height = page.content_box_y(), page.height
        bottom = top
        stack = list(page.children[:1])
        while stack:
            box = stack.pop()
            if type(box).__name__ in ("LineBox", "ImageBox"):
                bottom = max(bottom, box.position_y + box.margin_height())
            stack.extend(getattr(box, "children", ()))
        return max(0.0, min(1.0, (bottom - top) / height)) if height > 0 else None
    except Exception:
        return None


def exact_pages(doc: Document) -> float | None:
    """Pages the PDF will have, the last one as a fraction: 2.4 is two full pages and 40% of a third.

    The fraction is rounded up, so a few lines on page three read 2.1, never 2.0.
    """
    counter = _layout_counter()
    if counter is None:
        return None
    pages = int(counter(doc))
    fill = last_page_fill(doc)
    if fill is None or pages == 0:
        return float(pages)
    return round(pages - 1 + max(0.1, math.ceil(fill * 10) / 10), 1)


def answer(line: str) -> dict:
    from editor.ui.lenient import lenient_parse

    try:
        request = json.loads(line)
        job = request["id"]
    except (ValueError, KeyError, TypeError):
        return {"id": None, "error": "unreadable request"}
    try:
        return {"id": job, "pages": exact_pages(lenient_parse(str(request["text"]))[0])}
    except Exception as exc:  # one clear line back; the editor keeps its estimate
        return {"id": job, "error": str(exc) or type(exc).__name__}


def serve(stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    for line in stdin:
        if line.strip():
            stdout.write(json.dumps(answer(line)) + "\n")
            stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(serve())
