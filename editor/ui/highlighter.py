"""Light Markdown colouring for the editors: headings, the Enabled-by line, review marks, the header block.

Only cheap per-line regular expressions run here (DESIGN.md §8: no heavy work in highlightBlock);
findings are drawn separately as extra selections. Review marks are drawn by ``MarkFormats`` (the same
colours as reviewer mode and the review panel, marks across lines included): one highlighter per
document, so this one carries them (docs/review.md).
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from editor.ui import theme
from editor.ui.review_mode import MarkFormats

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")
_ENABLED = re.compile(r"^[ \t]*\**Enabled by:?\**:?", re.I)
_COMMENT = re.compile(r"<!--.*?-->")
_EMPH = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")

IN_FRONT_MATTER, AFTER_FRONT_MATTER = 1, 2
_BASE_STATE = 0xF  # the low bits hold the front-matter state, the bits above whether a review mark runs on


class MarkdownHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, palette: QPalette, *, front_matter: bool = True) -> None:
        self.review_formats = MarkFormats(document, palette)
        super().__init__(document)
        self.front_matter = front_matter
        self.set_palette(palette, rehighlight=False)
        self.review_formats.attach(self)

    def set_palette(self, palette: QPalette, *, rehighlight: bool = True) -> None:
        c = theme.colors(palette)
        self._heading = self._fmt(c.heading, bold=True)
        self._marker = self._fmt(c.muted)
        self._enabled = self._fmt(c.accent, bold=True)
        self._comment = self._fmt(c.muted, italic=True)
        self._front = self._fmt(c.muted)
        self._strong = self._fmt(None, bold=True)
        self.review_formats.set_palette(palette)
        if rehighlight:
            self.rehighlight()

    @staticmethod
    def _fmt(color: QColor | None, *, bold: bool = False, italic: bool = False) -> QTextCharFormat:
        f = QTextCharFormat()
        if color is not None:
            f.setForeground(color)
        if bold:
            f.setFontWeight(QFont.Weight.DemiBold)
        if italic:
            f.setFontItalic(True)
        return f

    def highlightBlock(self, text: str) -> None:
        prev = self.previousBlockState()
        prev = prev & _BASE_STATE if prev != -1 else -1
        block = self.currentBlock()
        if self.front_matter and (prev == IN_FRONT_MATTER or (block.blockNumber() == 0 and text.rstrip() == "---")):
            self.setFormat(0, len(text), self._front)
            closing = prev == IN_FRONT_MATTER and text.rstrip() in ("---", "...")
            self.setCurrentBlockState(AFTER_FRONT_MATTER if closing else IN_FRONT_MATTER)
            return
        m = _HEADING.match(text)
        if m:
            self.setFormat(0, len(text), self._heading)
            self.setFormat(0, len(m.group(1)), self._marker)
        else:
            m = _ENABLED.match(text)
            if m:
                self.setFormat(0, m.end(), self._enabled)
            for m in _EMPH.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), self._strong)
            for m in _COMMENT.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), self._comment)
        self.review_formats.apply(self, block, set_state=False)
        # a mark that opens or closes past this line changes the state, so Qt repaints the lines below
        self.setCurrentBlockState(AFTER_FRONT_MATTER | self.review_formats.inside_at_end(block) << 4)
