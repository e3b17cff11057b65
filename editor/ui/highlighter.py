"""Light Markdown colouring for the editors: headings, the Enabled-by line, review marks, the header block.

Only cheap per-line regular expressions run here (DESIGN.md §8: no heavy work in highlightBlock);
findings are drawn separately as extra selections.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from editor.ui import theme

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")
_ENABLED = re.compile(r"^[ \t]*\**Enabled by:?\**:?", re.I)
_CRITIC = re.compile(r"\{(\+\+|--|~~|==|>>).*?(\+\+|--|~~|==|<<)\}")
_COMMENT = re.compile(r"<!--.*?-->")
_EMPH = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")

IN_FRONT_MATTER, AFTER_FRONT_MATTER = 1, 2


class MarkdownHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, palette: QPalette, *, front_matter: bool = True) -> None:
        super().__init__(document)
        self.front_matter = front_matter
        self.set_palette(palette, rehighlight=False)

    def set_palette(self, palette: QPalette, *, rehighlight: bool = True) -> None:
        c = theme.colors(palette)
        self._heading = self._fmt(c.heading, bold=True)
        self._marker = self._fmt(c.muted)
        self._enabled = self._fmt(c.accent, bold=True)
        self._critic = self._fmt(c.review)
        self._comment = self._fmt(c.muted, italic=True)
        self._front = self._fmt(c.muted)
        self._strong = self._fmt(None, bold=True)
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
        block_no = self.currentBlock().blockNumber()
        if self.front_matter and (prev == IN_FRONT_MATTER or (block_no == 0 and text.rstrip() == "---")):
            self.setFormat(0, len(text), self._front)
            closing = prev == IN_FRONT_MATTER and text.rstrip() in ("---", "...")
            self.setCurrentBlockState(AFTER_FRONT_MATTER if closing else IN_FRONT_MATTER)
            return
        self.setCurrentBlockState(AFTER_FRONT_MATTER)
        m = _HEADING.match(text)
        if m:
            self.setFormat(0, len(text), self._heading)
            self.setFormat(0, len(m.group(1)), self._marker)
            return
        m = _ENABLED.match(text)
        if m:
            self.setFormat(0, m.end(), self._enabled)
        for m in _EMPH.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), self._strong)
        for m in _COMMENT.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), self._comment)
        for m in _CRITIC.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), self._critic)
