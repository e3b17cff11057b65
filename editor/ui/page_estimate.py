"""An instant page estimate from word and heading counts, used while typing until the exact layout is back.

The exact count comes from the same layout as the PDF (export.layout); this estimate only has to be
close and immediate. ``Calibration`` nudges it toward the last exact count so the two do not disagree.
No Qt here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from editor.check import WORDS_PER_PAGE
from editor.model import Document

_WORD = re.compile(r"[^\s#>*_`|-]+")
_COMMENT = re.compile(r"<!--.*?-->|\{>>.*?<<\}", re.S)
HEADER_BLOCK_PAGES = 0.12  # title, from, to, date at the top of page one
HEADING_PAGES = 0.035  # a heading and the space around it


def estimate_pages(doc: Document) -> float:
    body = _COMMENT.sub(" ", doc.body)
    words = len(_WORD.findall(body))
    headings = len(doc.sections)
    return round(HEADER_BLOCK_PAGES + words / WORDS_PER_PAGE + headings * HEADING_PAGES, 2)


@dataclass
class Calibration:
    """The ratio of the last exact layout to the estimate of the same text, applied while typing."""

    factor: float = 1.0

    def learn(self, estimate: float, exact_pages: float) -> None:
        """``exact_pages`` is the layout's figure, whole pages plus the last page's fill (2.4)."""
        if estimate <= 0 or exact_pages <= 0:
            return
        self.factor = max(0.4, min(2.5, exact_pages / estimate))

    def apply(self, estimate: float) -> float:
        return round(estimate * self.factor, 1)
