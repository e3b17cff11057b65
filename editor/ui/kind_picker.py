"""The New dialog: pick a document kind, each with its one-line description and limits.

Opened with ``open()`` (never ``exec()``), so the window stays responsive and tests can drive it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from editor.kinds import Kind

KIND_ROLE = Qt.ItemDataRole.UserRole
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 1
LIMITS_ROLE = Qt.ItemDataRole.UserRole + 2


def kind_limits(kind: Kind) -> str:
    points = f"{kind.min_points}–{kind.max_points} points" if kind.min_points != kind.max_points else "1 point"
    extra = " · decision date" if kind.requires_decision_by else ""
    return f"{kind.page_limit} pages · {points}{extra}"


def kind_summary(kind: Kind) -> str:
    return f"{kind.description} ({kind_limits(kind)})"


class _TwoLineDelegate(QStyledItemDelegate):
    """Kind name in bold over its description, muted."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        fm = option.fontMetrics
        return QSize(0, fm.height() * 2 + fm.height() // 2 + 18)  # as wide as the view

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        text_col = pal.color(pal.ColorRole.HighlightedText if selected else pal.ColorRole.Text)
        muted = text_col if selected else pal.color(pal.ColorRole.PlaceholderText)
        r = option.rect.adjusted(12, 8, -12, -8)
        fm = option.fontMetrics
        bold = QFont(option.font)
        bold.setBold(True)
        painter.save()
        painter.setFont(bold)
        painter.setPen(text_col)
        painter.drawText(QRect(r.x(), r.y(), r.width(), fm.height()), Qt.AlignmentFlag.AlignLeft, index.data())
        painter.setFont(option.font)
        painter.setPen(muted)
        painter.drawText(
            QRect(r.x(), r.y(), r.width(), fm.height()), Qt.AlignmentFlag.AlignRight, index.data(LIMITS_ROLE) or ""
        )
        detail = fm.elidedText(index.data(DETAIL_ROLE) or "", Qt.TextElideMode.ElideRight, r.width())
        painter.drawText(
            QRect(r.x(), r.y() + fm.height() + 4, r.width(), fm.height()), Qt.AlignmentFlag.AlignLeft, detail
        )
        painter.restore()


class KindPicker(QDialog):
    """``chosen(kind, title)`` when the writer creates the draft."""

    chosen = Signal(object, str)

    def __init__(self, kinds: dict[str, Kind], parent: QWidget | None = None, current: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("New document")
        self.setObjectName("kindPicker")
        intro = QLabel("What are you writing? Each kind has its own structure, prompts and page limit.")
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Document kind")
        self.list.setItemDelegate(_TwoLineDelegate(self.list))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(True)
        for kind in kinds.values():
            item = QListWidgetItem(kind.name)
            item.setData(KIND_ROLE, kind)
            item.setData(DETAIL_ROLE, kind.description)
            item.setData(LIMITS_ROLE, kind_limits(kind))
            item.setToolTip(kind_summary(kind))
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, kind_summary(kind))
            self.list.addItem(item)
            if kind.id == current:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.title = QLineEdit()
        self.title.setPlaceholderText("Title (optional; you can set it later under Details)")
        self.title.setAccessibleName("Title")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _i: self.accept())
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.title)
        lay.addWidget(buttons)
        self.resize(self.fontMetrics().horizontalAdvance("n") * 80, self.fontMetrics().height() * 22)

    def choose(self, kind_id: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(KIND_ROLE).id == kind_id:
                self.list.setCurrentRow(i)
                return
        raise KeyError(kind_id)

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        super().accept()
        self.chosen.emit(item.data(KIND_ROLE), self.title.text().strip())
