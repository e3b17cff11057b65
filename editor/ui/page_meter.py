"""The page meter in the status bar: "2.4 of 3 pages", amber near the limit, red over it.

It says whether the figure is an estimate (while typing) or the exact count from the PDF layout.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from editor.ui import theme

OK, NEAR, OVER = "ok", "near", "over"
NEAR_FRACTION = 0.85


def level(pages: float, limit: int) -> str:
    if pages > limit:
        return OVER
    if pages >= limit * NEAR_FRACTION:
        return NEAR
    return OK


class _Bar(QWidget):
    def __init__(self, meter: PageMeter) -> None:
        super().__init__(meter)
        self.meter = meter
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def sizeHint(self) -> QSize:
        h = max(6, self.fontMetrics().height() // 3)
        return QSize(self.fontMetrics().horizontalAdvance("n") * 14, h)

    def paintEvent(self, _event) -> None:
        m = self.meter
        c = theme.colors(self.palette())
        colour = {OK: c.good, NEAR: c.warn, OVER: c.error}[m.level]
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = r.height() / 2
        track = self.palette().color(self.palette().ColorRole.Mid)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(track)
        p.drawRoundedRect(r, radius, radius)
        span = max(m.limit, m.pages, 1)
        fill = QRectF(r.x(), r.y(), r.width() * min(1.0, m.pages / span), r.height())
        p.setBrush(colour)
        p.drawRoundedRect(fill, radius, radius)
        # a tick where the limit is when the document runs over
        if m.pages > m.limit:
            x = r.x() + r.width() * m.limit / span
            p.setPen(self.palette().color(self.palette().ColorRole.Base))
            p.drawLine(int(x), int(r.top()), int(x), int(r.bottom()))
        p.end()


class PageMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = 0.0
        self.limit = 3
        self.exact = False
        self.level = OK
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.bar = _Bar(self)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 0, 6, 0)
        lay.setSpacing(8)
        lay.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignVCenter)
        lay.addWidget(self.label)
        self.setAccessibleName("Page meter")
        self._render()

    def set_estimate(self, pages: float, limit: int) -> None:
        self._set(round(pages, 1), limit, exact=False)

    def set_exact(self, pages: float, limit: int) -> None:
        self._set(pages, limit, exact=True)

    def _set(self, pages: float, limit: int, *, exact: bool) -> None:
        self.pages, self.limit, self.exact = pages, limit, exact
        self.level = level(pages, limit)
        self._render()

    def text(self) -> str:
        n = f"{self.pages:g}" if float(self.pages).is_integer() else f"{self.pages:.1f}"
        return f"{n} of {self.limit} pages"

    def _render(self) -> None:
        c = theme.colors(self.palette())
        colour = {OK: c.text, NEAR: c.warn, OVER: c.error}[self.level]
        tag = "exact" if self.exact else "estimate"
        self.label.setText(
            f"<span style='color:{colour.name()}; font-weight:600'>{self.text()}</span>"
            f"&nbsp;&nbsp;<span style='color:{c.muted.name()}'>{tag}</span>"
        )
        state = {OK: "", NEAR: ", near the limit", OVER: ", over the limit"}[self.level]
        self.setAccessibleDescription(f"{self.text()} ({tag}){state}")
        self.setToolTip(
            f"{self.text()} ({tag}{state}). "
            + (
                "Counted with the same layout as the PDF."
                if self.exact
                else "Estimated from the word count while you type; the exact count follows when you pause."
            )
        )
        self.bar.update()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if not hasattr(self, "label"):
            return  # still being built
        if event.type() == event.Type.PaletteChange:
            self._render()
