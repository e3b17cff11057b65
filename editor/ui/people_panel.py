"""The people involved (front matter ``people``): name, role, power, perceived underperformer.

The checks use this list to tell whether an incident aims up and whether evidence rests on someone
the readers already discount; the Enabled-by picker offers these names.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.model import POWER_LEVELS, Person
from editor.ui.tables import row_table

NAME, ROLE, POWER, UNDERPERFORMER = range(4)


def person_to_meta(p: Person) -> dict:
    out = {"name": p.name, "role": p.role, "power": p.power}
    if p.perceived_underperformer:
        out["perceived_underperformer"] = True
    return out


class PeoplePanel(QWidget):
    """``edited(list[Person])`` whenever the writer changes the list."""

    edited = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        hint = QLabel("Everyone your incidents name. Power says who could have changed things.")
        hint.setObjectName("panelHint")
        hint.setWordWrap(True)
        self.table = row_table(
            ["Name", "Role", "Power", "Underperformer?"],
            "People",
            "Name, role, power (high, medium, low) and whether seen as underperforming.",
        )
        self.table.horizontalHeaderItem(UNDERPERFORMER).setToolTip(
            "Tick if readers see this person as an underperformer: evidence that rests on them gets discounted."
        )
        self.table.itemChanged.connect(self._changed)
        self.add_button = QPushButton("Add person")
        self.add_button.setAccessibleName("Add a person")
        self.add_button.clicked.connect(self.add_person)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove the selected person")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(hint)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)

    # -- from the document ----------------------------------------------------------------------
    def set_people(self, people: list[Person]) -> None:
        if people == self.people():
            return
        if self.table.state() == QAbstractItemView.State.EditingState:
            return  # the writer is typing in a cell; their edit will write the list
        self._filling = True
        try:
            self.table.setRowCount(0)
            for p in people:
                self._append(p)
        finally:
            self._filling = False

    def _append(self, p: Person) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, NAME, QTableWidgetItem(p.name))
        self.table.setItem(row, ROLE, QTableWidgetItem(p.role))
        combo = QComboBox()
        combo.addItems(list(POWER_LEVELS))
        combo.setCurrentText(p.power)
        combo.setAccessibleName("Power")
        combo.currentTextChanged.connect(lambda _t: self._changed())
        self.table.setCellWidget(row, POWER, combo)
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
        check.setCheckState(Qt.CheckState.Checked if p.perceived_underperformer else Qt.CheckState.Unchecked)
        check.setData(Qt.ItemDataRole.AccessibleTextRole, "Seen as an underperformer")
        self.table.setItem(row, UNDERPERFORMER, check)
        return row

    # -- to the document ------------------------------------------------------------------------
    def people(self) -> list[Person]:
        out = []
        for row in range(self.table.rowCount()):
            name = self._text(row, NAME)
            if not name:
                continue
            combo = self.table.cellWidget(row, POWER)
            check = self.table.item(row, UNDERPERFORMER)
            out.append(
                Person(
                    name=name,
                    role=self._text(row, ROLE),
                    power=combo.currentText() if isinstance(combo, QComboBox) else "medium",
                    perceived_underperformer=bool(check and check.checkState() == Qt.CheckState.Checked),
                )
            )
        return out

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return " ".join(item.text().split()) if item else ""

    def _changed(self, *_args) -> None:
        if not self._filling:
            self.edited.emit(self.people())

    def add_person(self) -> None:
        """Adds an empty row and starts editing its name (it is written once it has one)."""
        self._filling = True
        try:
            row = self._append(Person(name=""))
        finally:
            self._filling = False
        self.table.setCurrentCell(row, NAME)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.editItem(self.table.item(row, NAME))

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._changed()

    def set_person(self, row: int, person: Person) -> None:
        """Fills one row (used by keyboard-free callers such as tests and imports)."""
        self.table.item(row, NAME).setText(person.name)
        self.table.item(row, ROLE).setText(person.role)
        combo = self.table.cellWidget(row, POWER)
        if isinstance(combo, QComboBox):
            combo.setCurrentText(person.power)
        self.table.item(row, UNDERPERFORMER).setCheckState(
            Qt.CheckState.Checked if person.perceived_underperformer else Qt.CheckState.Unchecked
        )
