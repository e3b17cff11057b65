"""The find bar (Ctrl+F): searches the whole document, whichever view is showing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class FindBar(QWidget):
    """``find(text, backward, match_case)``; the window answers with ``set_status``."""

    find = Signal(str, bool, bool)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find in document")
        self.field.setAccessibleName("Find")
        self.field.setClearButtonEnabled(True)
        self.case = QCheckBox("Match case")
        self.status = QLabel()
        self.status.setObjectName("muted")
        prev_b = QToolButton()
        prev_b.setText("Previous")
        prev_b.setAccessibleName("Find previous")
        next_b = QToolButton()
        next_b.setText("Next")
        next_b.setAccessibleName("Find next")
        close_b = QToolButton()
        close_b.setText("Close")
        close_b.setAccessibleName("Close the find bar")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addWidget(QLabel("Find:"))
        lay.addWidget(self.field, 1)
        lay.addWidget(prev_b)
        lay.addWidget(next_b)
        lay.addWidget(self.case)
        lay.addWidget(self.status)
        lay.addWidget(close_b)
        self.field.returnPressed.connect(lambda: self.trigger(False))
        next_b.clicked.connect(lambda: self.trigger(False))
        prev_b.clicked.connect(lambda: self.trigger(True))
        close_b.clicked.connect(self.close_bar)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape), self, self.close_bar, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        QShortcut(
            QKeySequence("Shift+Return"),
            self.field,
            lambda: self.trigger(True),
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.hide()

    def open_bar(self, text: str = "") -> None:
        if text:
            self.field.setText(text)
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.status.clear()
        self.closed.emit()

    def trigger(self, backward: bool) -> None:
        if self.field.text():
            self.find.emit(self.field.text(), backward, self.case.isChecked())

    def set_status(self, text: str) -> None:
        self.status.setText(text)
