"""The document's details (the front matter a writer cares about): kind, title, author, date, page size."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from editor.kinds import Kind

PAGE_SIZES = (("letter", "US Letter"), ("a4", "A4"))


class DetailsForm(QWidget):
    """Emits ``edited(key, value)``; the window writes it into the front matter."""

    edited = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self.kind = QComboBox()
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Why Platform keeps losing senior engineers")
        self.author = QLineEdit()
        self.author.setPlaceholderText("Your name")
        self.date = QLineEdit()
        self.date.setPlaceholderText("YYYY-MM-DD")
        self.page_size = QComboBox()
        for key, label in PAGE_SIZES:
            self.page_size.addItem(label, key)
        self.decision_by = QLineEdit()
        self.decision_by.setPlaceholderText("YYYY-MM-DD — the date you need a decision by")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._rows = {}
        for key, label, w in (
            ("kind", "&Kind", self.kind),
            ("title", "&Title", self.title),
            ("author", "&From", self.author),
            ("date", "&Date", self.date),
            ("page_size", "&Paper", self.page_size),
            ("decision_by", "Decision &by", self.decision_by),
        ):
            lab = QLabel(label)
            lab.setBuddy(w)
            w.setAccessibleName(label.replace("&", ""))
            form.addRow(lab, w)
            self._rows[key] = (lab, w)
        note = QLabel("Recipients and delivery are tracked in the Delivery panel; people in the People panel.")
        note.setObjectName("panelHint")
        note.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addStretch(1)
        self.title.textEdited.connect(lambda t: self._emit("title", t))
        self.author.textEdited.connect(lambda t: self._emit("author", t))
        self.date.editingFinished.connect(lambda: self._emit("date", self.date.text().strip()))
        self.decision_by.editingFinished.connect(lambda: self._emit("decision_by", self.decision_by.text().strip()))
        self.page_size.activated.connect(lambda _i: self._emit("page_size", self.page_size.currentData()))
        self.kind.activated.connect(lambda _i: self._emit("kind", self.kind.currentData()))

    def _emit(self, key: str, value: object) -> None:
        if not self._filling:
            self.edited.emit(key, value)

    def set_meta(self, meta: dict, kinds: dict[str, Kind], kind: Kind) -> None:
        self._filling = True
        try:
            if self.kind.count() != len(kinds) or [self.kind.itemData(i) for i in range(self.kind.count())] != list(
                kinds
            ):
                self.kind.clear()
                for k in kinds.values():
                    self.kind.addItem(k.name, k.id)
            self.kind.setCurrentIndex(max(0, self.kind.findData(kind.id)))
            for key, w in (
                ("title", self.title),
                ("author", self.author),
                ("date", self.date),
                ("decision_by", self.decision_by),
            ):
                value = "" if meta.get(key) is None else str(meta.get(key))
                if w.text() != value and not (w.hasFocus() and w.text().strip() == value.strip()):
                    w.setText(value)
            size = str(meta.get("page_size") or "letter").lower()
            self.page_size.setCurrentIndex(max(0, self.page_size.findData(size)))
            for w in self._rows["decision_by"]:
                w.setVisible(kind.requires_decision_by or bool(meta.get("decision_by")))
        finally:
            self._filling = False
