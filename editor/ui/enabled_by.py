"""The Enabled-by picker of an incident: the people list as toggles, so naming who allowed it is one click."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.model import Person

_POWER = {"high": "high power", "medium": "medium power", "low": "low power"}


class _ChipList(QListWidget):
    """A wrapping row of checkable names that grows to show every name (no scrolling)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(3)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fit(self) -> None:
        """As tall as the laid-out rows, measured from the view's own layout."""
        row = self.fontMetrics().height() + 12 + 2 * self.spacing()
        if not self.count():
            self.setFixedHeight(row)
            return
        self.doItemsLayout()
        self.verticalScrollBar().setValue(0)
        bottom = max(self.visualItemRect(self.item(i)).bottom() for i in range(self.count()))
        self.setFixedHeight(max(row, bottom + self.spacing() + 4))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()


class EnabledByPicker(QWidget):
    """Checkable people; ``changed(names)`` carries the names in the order the line should list them."""

    changed = Signal(list)
    peopleRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names: list[str] = []
        self._filling = False
        caption = QLabel("Enabled by:")
        caption.setObjectName("sectionCaption")
        self.hint = QLabel(
            "Add the people involved (name, role, power) with “Edit people…”, then tick who enabled this."
        )
        self.hint.setObjectName("panelHint")
        self.hint.setWordWrap(True)
        self.list = _ChipList()
        self.list.setAccessibleName("Enabled by")
        self.list.setAccessibleDescription("People from the people list; check everyone who enabled this incident.")
        self.list.itemChanged.connect(self._item_changed)
        self.people_button = QPushButton("Edit people…")
        self.people_button.setAccessibleName("Edit the people list")
        self.people_button.clicked.connect(self.peopleRequested)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(caption, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.list, 1)
        row.addWidget(self.people_button, 0, Qt.AlignmentFlag.AlignTop)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(row)
        lay.addWidget(self.hint)

    def set_people(self, people: list[Person], enabled_by: list[str]) -> None:
        """Shows everyone in the list plus any name on the line that is not (yet) in it."""
        self._names = list(enabled_by)
        chosen = {n.casefold() for n in enabled_by}
        known = {p.name.casefold() for p in people}
        rows: list[tuple[str, str, bool]] = []
        for p in people:
            bits = [b for b in (p.role, _POWER.get(p.power, "")) if b]
            if p.perceived_underperformer:
                bits.append("seen as an underperformer")
            rows.append((p.name, " · ".join(bits), p.name.casefold() in chosen))
        for n in enabled_by:
            if n.casefold() not in known:
                rows.append((n, "not in the people list", True))
        current = [
            (
                self.list.item(i).data(Qt.ItemDataRole.UserRole),
                self.list.item(i).toolTip(),
                self.list.item(i).checkState() == Qt.CheckState.Checked,
            )
            for i in range(self.list.count())
        ]
        if current == rows:
            return
        self._filling = True
        try:
            self.list.clear()
            for name, detail, on in rows:
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, name)
                item.setToolTip(detail)
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, detail)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                )
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                fm = self.list.fontMetrics()
                item.setSizeHint(QSize(fm.horizontalAdvance(name) + fm.height() * 3, fm.height() + 12))
                self.list.addItem(item)
        finally:
            self._filling = False
        self.hint.setVisible(not people)
        if not people:
            self.hint.setText(
                "Add the people involved (name, role, power) with “Edit people…”, then tick who enabled this."
            )
        lines = max(1, min(3, (self.list.count() + 2) // 3))
        self.list.setFixedHeight(lines * (self.fontMetrics().height() + 16) + 4)

    def names(self) -> list[str]:
        return list(self._names)

    def toggle(self, name: str, on: bool) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole).casefold() == name.casefold():
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                return
        raise KeyError(name)

    def _item_changed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        on = item.checkState() == Qt.CheckState.Checked
        names = [n for n in self._names if n.casefold() != name.casefold()]
        if on:
            names.append(name)
        self._names = names
        self.changed.emit(names)
