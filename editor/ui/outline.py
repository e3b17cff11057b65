"""The outline on the left: Details, Thesis, each Point with its Incidents and Consequences, Ask.

Each row shows its state (empty / needs work / good) as an icon and in words for screen readers.
The buttons ask the window to change the structure; a refusal ("at most three points") is shown
in a notice right here, where the writer clicked. Sections with open review marks say how many.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.model import Document
from editor.ui import theme
from editor.ui.sections import EMPTY, GOOD, NEEDS_WORK, SectionRef, State, entries

REF_ROLE = Qt.ItemDataRole.UserRole
STATE_WORDS = {EMPTY: "empty", NEEDS_WORK: "needs work", GOOD: "good"}


def state_icon(state: str, palette: QPalette, size: int = 16, ratio: float = 2.0) -> QIcon:
    """A small hollow circle (empty), amber dot (needs work) or green tick (good)."""
    c = theme.colors(palette)
    pm = QPixmap(int(size * ratio), int(size * ratio))
    pm.setDevicePixelRatio(ratio)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    r = QRectF(2.5, 2.5, size - 5, size - 5)
    if state == GOOD:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c.good)
        p.drawEllipse(r)
        tick = QPainterPath(QPointF(size * 0.32, size * 0.52))
        tick.lineTo(QPointF(size * 0.45, size * 0.65))
        tick.lineTo(QPointF(size * 0.70, size * 0.37))
        p.setPen(QPen(QColor("white"), 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(tick)
    elif state == NEEDS_WORK:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c.warn)
        p.drawEllipse(r)
        p.setPen(QPen(QColor("white"), 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(QPointF(size / 2, size * 0.32), QPointF(size / 2, size * 0.56))
        p.drawPoint(QPointF(size / 2, size * 0.69))
    else:
        p.setPen(QPen(c.muted, 1.4))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(r)
    p.end()
    return QIcon(pm)


class OutlinePanel(QWidget):
    selected = Signal(tuple)
    addPointRequested = Signal()
    addIncidentRequested = Signal()
    addConsequenceRequested = Signal()
    removeRequested = Signal()
    moveRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[SectionRef, str, int]] = []
        self._states: dict[SectionRef, State] = {}
        self._items: dict[SectionRef, QTreeWidgetItem] = {}
        self._open_marks: dict[SectionRef, int] = {}
        self._icon_cache: tuple[int, dict] | None = None
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(18)
        self.tree.setUniformRowHeights(True)
        self.tree.setIconSize(QSize(16, 16))
        self.tree.setAccessibleName("Outline")
        self.tree.setAccessibleDescription("The sections of the document; Enter or a click opens one.")
        self.tree.setFrameShape(QTreeWidget.Shape.NoFrame)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Outline notice")
        self.notice.hide()
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.add_point = self._button("+ Point", "Add a point (Ctrl+Shift+P)", self.addPointRequested)
        self.add_incident = self._button(
            "+ Incident", "Add an incident to this point (Ctrl+Shift+I)", self.addIncidentRequested
        )
        self.add_consequence = self._button(
            "+ Consequence", "Add a consequence to this point (Ctrl+Shift+K)", self.addConsequenceRequested
        )
        self.move_up = self._button("Move up", "Move up (Alt+Shift+Up)", lambda: self.moveRequested.emit(-1))
        self.move_down = self._button("Move down", "Move down (Alt+Shift+Down)", lambda: self.moveRequested.emit(1))
        self.remove = self._button("Remove", "Remove this section (undo brings it back)", self.removeRequested)
        grid = QGridLayout()
        grid.setContentsMargins(6, 0, 6, 6)
        grid.setSpacing(4)
        order = (self.add_point, self.add_incident, self.add_consequence, self.remove, self.move_up, self.move_down)
        for i, b in enumerate(order):
            grid.addWidget(b, i // 2, i % 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.tree, 1)
        notice_box = QVBoxLayout()
        notice_box.setContentsMargins(6, 0, 6, 0)
        notice_box.addWidget(self.notice)
        lay.addLayout(notice_box)
        lay.addLayout(grid)

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        b = QToolButton()
        b.setText(text)
        b.setToolTip(tip)
        b.setAccessibleName(tip.split(" (")[0])
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        b.setAutoRaise(False)
        b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        b.clicked.connect(slot)
        return b

    # -- content ----------------------------------------------------------------------------------------
    def set_document(self, doc: Document, states: dict[SectionRef, State] | None = None) -> None:
        """Rebuilds the rows if the structure changed, otherwise only updates labels and states."""
        if states is not None:
            self._states = states
        rows = [(e.ref, e.label, e.depth) for e in entries(doc)]
        if [r[0] for r in rows] != [r[0] for r in self._rows]:
            self._rebuild(rows)
        else:
            for ref, label, _depth in rows:
                self._items[ref].setText(0, self._label(ref, label))
            self._rows = rows
        self._paint_states()

    def set_open_marks(self, counts: dict[SectionRef, int]) -> None:
        """How many review marks are still open in each section (shown after the label)."""
        counts = {ref: n for ref, n in counts.items() if n}
        if counts == self._open_marks:
            return
        self._open_marks = counts
        for ref, label, _depth in self._rows:
            if ref in self._items:
                self._items[ref].setText(0, self._label(ref, label))
        self._paint_states()

    def open_marks(self) -> dict[SectionRef, int]:
        return dict(self._open_marks)

    def _label(self, ref: SectionRef, label: str) -> str:
        n = self._open_marks.get(ref, 0)
        return f"{label}  · {n} open" if n else label

    def set_states(self, states: dict[SectionRef, State]) -> None:
        self._states = states
        self._paint_states()

    def _rebuild(self, rows: list[tuple[SectionRef, str, int]]) -> None:
        keep = self.current_ref()
        self.tree.blockSignals(True)
        try:
            self.tree.clear()
            self._items = {}
            parent: QTreeWidgetItem | None = None
            for ref, label, depth in rows:
                item = QTreeWidgetItem([self._label(ref, label)])
                item.setData(0, REF_ROLE, ref)
                if depth and parent is not None:
                    parent.addChild(item)
                else:
                    self.tree.addTopLevelItem(item)
                    parent = item if ref[0] == "point" else None
                self._items[ref] = item
            self.tree.expandAll()
            self._rows = rows
            if keep in self._items:
                self.tree.setCurrentItem(self._items[keep])
        finally:
            self.tree.blockSignals(False)

    def _paint_states(self) -> None:
        key = self.palette().cacheKey()
        if self._icon_cache is None or self._icon_cache[0] != key:
            pal = self.palette()
            self._icon_cache = (key, {s: state_icon(s, pal) for s in (EMPTY, NEEDS_WORK, GOOD)})
        icons = self._icon_cache[1]
        for ref, item in self._items.items():
            st = self._states.get(ref)
            state = st.state if st else EMPTY
            item.setIcon(0, icons[state])
            label = item.text(0)
            marks = self._open_marks.get(ref, 0)
            if marks:
                label = label.rsplit("  · ", 1)[0] + f", {marks} open review mark{'s' * (marks != 1)}"
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{label}, {STATE_WORDS[state]}")
            tips = [f.message for f in (st.findings if st else [])][:5]
            item.setToolTip(0, f"{label} — {STATE_WORDS[state]}" + ("\n\n• " + "\n• ".join(tips) if tips else ""))

    # -- selection ------------------------------------------------------------------------------------
    def current_ref(self) -> SectionRef | None:
        item = self.tree.currentItem()
        return item.data(0, REF_ROLE) if item else None

    def select_ref(self, ref: SectionRef, *, notify: bool = False) -> None:
        item = self._items.get(ref)
        if item is None:
            return
        self.tree.blockSignals(not notify)
        try:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
        finally:
            self.tree.blockSignals(False)

    def refs(self) -> list[SectionRef]:
        return [r[0] for r in self._rows]

    def state_of(self, ref: SectionRef) -> str:
        st = self._states.get(ref)
        return st.state if st else EMPTY

    def _current_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is not None:
            self.selected.emit(current.data(0, REF_ROLE))

    # -- notices ----------------------------------------------------------------------------------------
    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def clear_notice(self) -> None:
        self.notice.hide()
        self.notice.clear()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if not hasattr(self, "_items"):
            return  # still being built
        if event.type() == event.Type.PaletteChange:
            self._paint_states()
