"""The read-only preview of the assembled document; it never loads anything from disk or the network."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget

from editor.ui import theme


class PreviewPane(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Preview")
        self.setAccessibleDescription("How the document reads when assembled; updated when you pause typing.")
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.document().setDocumentMargin(18)
        self.revision = -1
        self._style()

    def loadResource(self, _type: int, _name: QUrl):
        """Refuses every resource (images, style sheets): the preview shows the text only."""
        return None

    def show_html(self, revision: int, html: str) -> None:
        bar = self.verticalScrollBar()
        at = bar.value()
        self.setHtml(html)
        bar.setValue(at)
        self.revision = revision

    def _style(self) -> None:
        c = theme.colors(self.palette())
        self.document().setDefaultStyleSheet(
            f"""
            body {{ line-height: 140%; }}
            h1 {{ font-size: 150%; margin-top: 14px; color: {c.heading.name()}; }}
            h1.title {{ font-size: 175%; margin-bottom: 2px; }}
            p.byline {{ color: {c.muted.name()}; margin-top: 0; }}
            h2 {{ font-size: 125%; margin-top: 12px; color: {c.heading.name()}; }}
            h3 {{ font-size: 108%; margin-top: 10px; color: {c.heading.name()}; }}
            p {{ margin-top: 4px; margin-bottom: 8px; }}
            """
        )

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if not hasattr(self, "revision"):
            return  # still being built
        if event.type() == event.Type.PaletteChange:
            self._style()
