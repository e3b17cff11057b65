"""The row tables of the side panels (people, recipients): one look and one way to edit them."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget


def row_table(headers: list[str], name: str, description: str, stretch: int = 2) -> QTableWidget:
    """A table of whole-row selection, edited by double click or by typing; the first ``stretch``
    columns (name, role) share the width, the rest fit their contents (combo boxes, check boxes)."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setAccessibleDescription(description)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    header = table.horizontalHeader()
    for col in range(len(headers)):
        mode = QHeaderView.ResizeMode.Stretch if col < stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(col, mode)
    return table
