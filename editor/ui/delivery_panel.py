"""The delivery tracker: who gets a copy, whether you met them, when they got it (front matter ``recipients``).

The method says: put it in writing and deliver it in person. So the checklist asks for the
conversation first and the copy second, and says so when a copy went out before the meeting.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.model import Document
from editor.ui.tables import row_table

NAME, ROLE, MET, DELIVERED, ON = range(5)
ADVICE = (
    "Deliver it in person: talk with each reader first, then hand them the written copy. "
    "Tick “Met” after the conversation and “Copy” when they have the written copy."
)


def parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


class DeliveryPanel(QWidget):
    """``metaChanged(dict)`` carries the whole new front matter whenever the checklist changes."""

    metaChanged = Signal(dict)

    def __init__(self, parent: QWidget | None = None, *, today=dt.date.today) -> None:
        super().__init__(parent)
        self.setAccessibleName("Delivery")
        self._today = today
        self._meta: dict = {}
        self._recipients: list[dict] = []
        self._filling = False
        self.advice = QLabel(ADVICE)
        self.advice.setObjectName("panelHint")
        self.advice.setWordWrap(True)
        self.advice.setAccessibleName("Hand-over advice")
        self.table = row_table(
            ["Recipient", "Role", "Met", "Copy", "On"],
            "Recipients",
            "One row per recipient: met in person, copy delivered and the date. Space toggles a check box.",
        )
        self.table.horizontalHeaderItem(MET).setToolTip("Ticked once you have talked it through in person.")
        self.table.horizontalHeaderItem(DELIVERED).setToolTip("Ticked once they have the written copy.")
        self.table.itemChanged.connect(self._item_changed)

        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("Name")
        self.new_name.setAccessibleName("New recipient name")
        self.new_role = QLineEdit()
        self.new_role.setPlaceholderText("Role, e.g. CTO")
        self.new_role.setAccessibleName("New recipient role")
        self.add_button = QPushButton("&Add recipient")
        self.add_button.setAccessibleName("Add recipient")
        self.add_button.clicked.connect(self.add_recipient)
        self.new_role.returnPressed.connect(self.add_recipient)
        self.new_name.returnPressed.connect(self.add_recipient)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setAccessibleName("Remove the selected recipient")
        self.remove_button.clicked.connect(self.remove_selected)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_name, 2)
        add_row.addWidget(self.new_role, 2)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.remove_button)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Delivery status")

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.advice)
        lay.addWidget(self.table, 1)
        lay.addLayout(add_row)
        lay.addWidget(self.status)
        self.setTabOrder(self.table, self.new_name)
        self.setTabOrder(self.new_name, self.new_role)
        self.setTabOrder(self.new_role, self.add_button)
        self.setTabOrder(self.add_button, self.remove_button)
        self._update_status()

    # --- document in --------------------------------------------------------------------------

    def set_document(self, doc: Document) -> None:
        self._meta = dict(doc.meta)
        raw = doc.meta.get("recipients") or []
        self._recipients = [dict(r) for r in raw if isinstance(r, dict) and str(r.get("name") or "").strip()]
        self._refill()

    def recipients(self) -> list[dict]:
        return [dict(r) for r in self._recipients]

    def _refill(self) -> None:
        self._filling = True
        try:
            self.table.setRowCount(0)
            for r in self._recipients:
                self._append_row(r)
        finally:
            self._filling = False
        self._update_status()

    def _append_row(self, r: dict) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        name = QTableWidgetItem(str(r.get("name") or ""))
        name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
        role = QTableWidgetItem(str(r.get("role") or ""))
        for item in (name, role):  # the narrow panel elides long names and roles: hovering shows them whole
            item.setToolTip(item.text())
        # the check boxes carry no text (the column header names them), so names and roles get the width;
        # screen readers still hear what each box means
        met = QTableWidgetItem()
        met.setData(Qt.ItemDataRole.AccessibleTextRole, "Met in person")
        met.setFlags((met.flags() | Qt.ItemFlag.ItemIsUserCheckable) & ~Qt.ItemFlag.ItemIsEditable)
        met.setCheckState(Qt.CheckState.Checked if r.get("met_in_person") else Qt.CheckState.Unchecked)
        delivered_on = parse_date(r.get("delivered"))
        delivered = QTableWidgetItem()
        delivered.setData(Qt.ItemDataRole.AccessibleTextRole, "Copy delivered")
        delivered.setFlags((delivered.flags() | Qt.ItemFlag.ItemIsUserCheckable) & ~Qt.ItemFlag.ItemIsEditable)
        has_copy = bool(r.get("delivered"))
        delivered.setCheckState(Qt.CheckState.Checked if has_copy else Qt.CheckState.Unchecked)
        on = QTableWidgetItem(delivered_on.isoformat() if delivered_on else str(r.get("delivered") or ""))
        on.setToolTip("The date the copy was handed over (YYYY-MM-DD).")
        for col, item in ((NAME, name), (ROLE, role), (MET, met), (DELIVERED, delivered), (ON, on)):
            self.table.setItem(row, col, item)

    # --- edits --------------------------------------------------------------------------------

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        row, col = item.row(), item.column()
        if not 0 <= row < len(self._recipients):
            return
        r = self._recipients[row]
        message = ""
        if col == ROLE:
            text = item.text().strip()
            item.setToolTip(text)
            if text:
                r["role"] = text
            else:
                r.pop("role", None)
        elif col == MET:
            if item.checkState() == Qt.CheckState.Checked:
                r["met_in_person"] = True
            else:
                r.pop("met_in_person", None)
        elif col == DELIVERED:
            if item.checkState() == Qt.CheckState.Checked:
                r["delivered"] = parse_date(r.get("delivered")) or self._today()
            else:
                r.pop("delivered", None)
        elif col == ON:
            text = item.text().strip()
            if not text:
                r.pop("delivered", None)
            elif parse_date(text) is None:
                message = f"“{text}” is not a date; write it as YYYY-MM-DD, e.g. {self._today().isoformat()}."
            else:
                r["delivered"] = parse_date(text)
        self._filling = True
        try:
            self._sync_row(row)
        finally:
            self._filling = False
        self._update_status(message)
        if not message:
            self._emit()

    def _sync_row(self, row: int) -> None:
        r = self._recipients[row]
        on = parse_date(r.get("delivered"))
        self.table.item(row, DELIVERED).setCheckState(
            Qt.CheckState.Checked if r.get("delivered") else Qt.CheckState.Unchecked
        )
        self.table.item(row, ON).setText(on.isoformat() if on else "")

    def add_recipient(self) -> None:
        name = self.new_name.text().strip()
        if not name:
            self._update_status("Type the recipient's name first.")
            self.new_name.setFocus()
            return
        if any(str(r.get("name")).casefold() == name.casefold() for r in self._recipients):
            self._update_status(f"{name} is already on the list.")
            return
        r = {"name": name}
        if self.new_role.text().strip():
            r["role"] = self.new_role.text().strip()
        self._recipients.append(r)
        self._filling = True
        try:
            self._append_row(r)
        finally:
            self._filling = False
        self.new_name.clear()
        self.new_role.clear()
        self.new_name.setFocus()
        self._update_status()
        self._emit()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self._recipients):
            return
        del self._recipients[row]
        self._refill()
        self._emit()

    def set_checked(self, name: str, *, met: bool | None = None, delivered: bool | None = None) -> None:
        """Ticks a box by name, as a click would (for keyboard shortcuts and tests)."""
        for row, r in enumerate(self._recipients):
            if str(r.get("name")).casefold() == name.casefold():
                for col, value in ((MET, met), (DELIVERED, delivered)):
                    if value is not None:
                        self.table.item(row, col).setCheckState(
                            Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
                        )
                return
        raise KeyError(name)

    # --- out ----------------------------------------------------------------------------------

    def _emit(self) -> None:
        meta = dict(self._meta)
        meta["recipients"] = self.recipients()
        self._meta = meta
        self.metaChanged.emit(meta)

    def _update_status(self, message: str = "") -> None:
        if message:
            self.status.setText(message)
            return
        n = len(self._recipients)
        if n == 0:
            self.status.setText("No recipients yet. Add the people who should read this, most senior first.")
            return
        met = sum(bool(r.get("met_in_person")) for r in self._recipients)
        copies = sum(bool(r.get("delivered")) for r in self._recipients)
        early = [str(r["name"]) for r in self._recipients if r.get("delivered") and not r.get("met_in_person")]
        text = f"{met} of {n} met in person; {copies} of {n} have their copy."
        if early:
            text += (
                f" {', '.join(early)} {'has' if len(early) == 1 else 'have'} the copy without a conversation:"
                " talk to them soon, so they hear it from you."
            )
        elif copies == n and met == n:
            text += " Every reader has heard it from you and has the written copy."
        else:
            waiting = [str(r["name"]) for r in self._recipients if r.get("met_in_person") and not r.get("delivered")]
            if waiting:
                text += f" Next: hand the copy to {', '.join(waiting)}."
        self.status.setText(text)
