"""Light and dark looks that follow the system colour scheme, and the few colours the editor adds.

Every colour a widget draws comes from here and from the palette, so switching the system to dark
switches the whole window; sizes are in points and layout units, never fixed pixels, so 125% and
200% scaling stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle

SCHEMES = ("system", "light", "dark")
_STYLES: list = []


@dataclass(frozen=True)
class Colors:
    text: QColor
    muted: QColor
    heading: QColor
    accent: QColor
    review: QColor
    good: QColor
    warn: QColor
    error: QColor
    info: QColor
    card: QColor
    card_border: QColor
    notice: QColor
    dark: bool


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colors(palette: QPalette) -> Colors:
    dark = is_dark(palette)
    text = palette.color(QPalette.ColorRole.WindowText)
    base = palette.color(QPalette.ColorRole.Base)
    if dark:
        return Colors(
            text=text,
            muted=QColor("#9aa3ad"),
            heading=QColor("#e9eef5"),
            accent=QColor("#8ab4e8"),
            review=QColor("#d59ee8"),
            good=QColor("#7cc992"),
            warn=QColor("#f0b45a"),
            error=QColor("#f07a72"),
            info=QColor("#8ab4e8"),
            card=base.lighter(135),
            card_border=QColor("#3a4048"),
            notice=QColor("#4a3a1c"),
            dark=True,
        )
    return Colors(
        text=text,
        muted=QColor("#5f6770"),
        heading=QColor("#1b2a3a"),
        accent=QColor("#2b5c8f"),
        review=QColor("#8a3ea8"),
        good=QColor("#2e7d4f"),
        warn=QColor("#b86e00"),
        error=QColor("#c0392b"),
        info=QColor("#2b5c8f"),
        card=QColor("#f3f6fa"),
        card_border=QColor("#d6dee8"),
        notice=QColor("#fff4dc"),
        dark=False,
    )


def light_palette() -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#f5f5f3",
        QPalette.ColorRole.WindowText: "#1f2328",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f0f1f3",
        QPalette.ColorRole.Text: "#1f2328",
        QPalette.ColorRole.Button: "#ececea",
        QPalette.ColorRole.ButtonText: "#1f2328",
        QPalette.ColorRole.Highlight: "#2b5c8f",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: "#1f2328",
        QPalette.ColorRole.PlaceholderText: "#8a9199",
        QPalette.ColorRole.Link: "#2b5c8f",
        QPalette.ColorRole.Light: "#ffffff",
        QPalette.ColorRole.Midlight: "#e3e3e0",
        QPalette.ColorRole.Mid: "#c9c9c6",
        QPalette.ColorRole.Dark: "#9d9d9a",
        QPalette.ColorRole.Shadow: "#5c5c5a",
    }
    return _palette(p, roles, disabled_text="#a0a4a8")


def dark_palette() -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#202327",
        QPalette.ColorRole.WindowText: "#e3e6ea",
        QPalette.ColorRole.Base: "#17191c",
        QPalette.ColorRole.AlternateBase: "#262a2f",
        QPalette.ColorRole.Text: "#e3e6ea",
        QPalette.ColorRole.Button: "#2b2f35",
        QPalette.ColorRole.ButtonText: "#e3e6ea",
        QPalette.ColorRole.Highlight: "#3f74b0",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2b2f35",
        QPalette.ColorRole.ToolTipText: "#e3e6ea",
        QPalette.ColorRole.PlaceholderText: "#7d858e",
        QPalette.ColorRole.Link: "#8ab4e8",
        QPalette.ColorRole.Light: "#3a3f46",
        QPalette.ColorRole.Midlight: "#32363c",
        QPalette.ColorRole.Mid: "#2a2d32",
        QPalette.ColorRole.Dark: "#141618",
        QPalette.ColorRole.Shadow: "#000000",
    }
    return _palette(p, roles, disabled_text="#6b727a")


def _palette(p: QPalette, roles: dict, disabled_text: str) -> QPalette:
    for role, value in roles.items():
        p.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return p


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark


def stylesheet(c: Colors) -> str:
    """The few styled surfaces: the guide card, notices, section captions and the meter chip."""
    card, border, notice = c.card.name(), c.card_border.name(), c.notice.name()
    return f"""
    QFrame#guideCard {{ background: {card}; border: 1px solid {border}; border-radius: 8px; }}
    QLabel#guideRole {{ color: {c.accent.name()}; font-weight: 600; letter-spacing: 0.5px; }}
    QLabel#guideExample {{ color: {c.muted.name()}; }}
    QLabel#notice {{ background: {notice}; border: 1px solid {c.warn.name()}; border-radius: 6px; padding: 6px 8px; }}
    QLabel#panelHint, QLabel#muted {{ color: {c.muted.name()}; }}
    QLabel#sectionCaption {{ color: {c.muted.name()}; font-weight: 600; }}
    QLineEdit#titleEdit {{ font-weight: 600; padding: 4px 6px; }}
    QDockWidget::title {{ padding: 6px 8px; }}
    QToolBar {{ spacing: 4px; border: none; padding: 3px 6px; }}
    QStatusBar::item {{ border: none; }}
    """


class _Style(QProxyStyle):
    """Fusion, with check boxes drawn from the palette so they stay visible on dark backgrounds."""

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        if element not in (
            QStyle.PrimitiveElement.PE_IndicatorCheckBox,
            QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
        ):
            super().drawPrimitive(element, option, painter, widget)
            return
        c = colors(option.palette)
        side = min(option.rect.width(), option.rect.height()) - 2
        r = QRectF(0, 0, side, side)
        r.moveCenter(QRectF(option.rect).center())
        on = bool(option.state & QStyle.StateFlag.State_On)
        partial = bool(option.state & QStyle.StateFlag.State_NoChange)
        enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        accent = option.palette.color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(accent if on or partial else c.muted, 1.2))
        painter.setBrush(accent if on and enabled else option.palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        if on:
            pen = QPen(option.palette.color(QPalette.ColorRole.HighlightedText), max(1.5, side / 8))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            path = QPainterPath(QPointF(r.left() + side * 0.25, r.top() + side * 0.52))
            path.lineTo(QPointF(r.left() + side * 0.43, r.top() + side * 0.70))
            path.lineTo(QPointF(r.left() + side * 0.76, r.top() + side * 0.32))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        elif partial:
            painter.setPen(QPen(accent, 2))
            painter.drawLine(
                QPointF(r.left() + side * 0.28, r.center().y()), QPointF(r.right() - side * 0.28, r.center().y())
            )
        painter.restore()


def apply(app: QApplication, scheme: str = "system") -> bool:
    """Sets the Fusion style and the light or dark palette; returns True when dark."""
    if not isinstance(app.style(), _Style):
        style = _Style("Fusion")
        _STYLES.append(style)  # the application uses it for its lifetime; keep Python from freeing it
        app.setStyle(style)
    dark = system_is_dark() if scheme == "system" else scheme == "dark"
    palette = dark_palette() if dark else light_palette()
    app.setPalette(palette)
    app.setStyleSheet(stylesheet(colors(palette)))
    return dark


def follow_system(app: QApplication) -> None:
    """Re-applies the look when the system switches between light and dark."""
    hints = QGuiApplication.styleHints()
    if hints is not None:
        hints.colorSchemeChanged.connect(lambda _scheme: apply(app, "system"))
