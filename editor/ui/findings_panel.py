"""The findings panel: every checker's findings grouped by section, with Go to, Apply and Ignore.

Above the list, one line says how the text reads (the tone heat summary: "mostly professional",
"angry in Point 2"), so the writer sees the overall verdict before the single findings.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.findings import Finding
from editor.ui.text_edit import severity_colour

FINDING_ROLE = Qt.ItemDataRole.UserRole
_SEVERITY_WORDS = {"error": "Error", "warning": "Warning", "info": "Note"}


def severity_icon(severity: str, palette, size: int = 12, ratio: float = 2.0) -> QIcon:
    pm = QPixmap(int(size * ratio), int(size * ratio))
    pm.setDevicePixelRatio(ratio)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(severity_colour(palette, severity))
    if severity == "error":
        p.drawEllipse(QRectF(1.5, 1.5, size - 3, size - 3))
    elif severity == "warning":
        p.drawRoundedRect(QRectF(2, 2, size - 4, size - 4), 2, 2)
    else:
        p.drawEllipse(QRectF(3, 3, size - 6, size - 6))
    p.end()
    return QIcon(pm)


def short_rule(rule: str) -> str:
    return rule.split(".", 1)[-1].replace("_", " ")


class _WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped message, so nothing is cut off in a narrow panel."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        base = super().sizeHint(option, index)
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = self.tree.viewport().width() - self.tree.indentation() * (depth + 1) - self.tree.iconSize().width() - 16
        if width <= 40:
            return base
        rect = option.fontMetrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, index.data() or "")
        return QSize(base.width(), max(base.height(), rect.height() + 8))


class _WrapTree(QTreeWidget):
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()


class FindingsPanel(QWidget):
    jumpRequested = Signal(object)
    applyRequested = Signal(object)
    ignoreRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._findings: list[Finding] = []
        self._shape: list[tuple] = []
        self._icon_cache: tuple[int, dict[str, QIcon]] | None = None
        self.summary = QLabel("Checking…")
        self.summary.setObjectName("sectionCaption")
        self.summary.setAccessibleName("Findings summary")
        self.tone = QLabel("")
        self.tone.setObjectName("toneVerdict")
        self.tone.setAccessibleName("Tone verdict")
        self.tone.setWordWrap(True)
        self.tone.setTextFormat(Qt.TextFormat.PlainText)
        self.tone.hide()
        self.tree = _WrapTree()
        self.tree.setItemDelegate(_WrapDelegate(self.tree))
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setIconSize(QSize(12, 12))
        self.tree.setAccessibleName("Findings")
        self.tree.setAccessibleDescription("Problems the checks found, grouped by section. Enter jumps to one.")
        self.tree.setFrameShape(QTreeWidget.Shape.NoFrame)
        self.tree.header().setStretchLastSection(True)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.itemClicked.connect(lambda item, _c: self._jump(item))
        self.tree.itemActivated.connect(lambda item, _c: self._jump(item))
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.apply_button = QPushButton("Apply")
        self.apply_button.setAccessibleName("Apply the suggested rewrite")
        self.apply_button.clicked.connect(self._apply_current)
        self.ignore_button = QPushButton("Ignore this rule")
        self.ignore_button.setAccessibleName("Ignore this rule in this document")
        self.ignore_button.setToolTip(
            "Ignore this rule in this document: it is written to the ignore list in the document's details"
        )
        self.ignore_button.clicked.connect(self._ignore_current)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(6, 0, 6, 6)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.ignore_button)
        buttons.addStretch(1)
        head = QVBoxLayout()
        head.setContentsMargins(8, 6, 8, 0)
        head.setSpacing(2)
        head.addWidget(self.summary)
        head.addWidget(self.tone)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addLayout(head)
        lay.addWidget(self.tree, 1)
        lay.addLayout(buttons)
        self._update_buttons()

    # -- content ---------------------------------------------------------------------------------
    def set_findings(self, findings: list[Finding]) -> None:
        shape = [(f.section, f.rule, f.severity, f.message, f.suggestion) for f in findings]
        if shape == self._shape and shape:
            # typing moved the findings but did not change them: update the rows in place, no relayout
            for item, f in zip(self.items(), findings, strict=True):
                item.setData(0, FINDING_ROLE, f)
            self._findings = list(findings)
            self.set_checking(False)
            self._update_buttons()
            return
        self._shape = shape
        keep = self.current_finding()
        self._findings = list(findings)
        icons = self._icons()
        groups: dict[str, QTreeWidgetItem] = {}
        self.tree.blockSignals(True)
        try:
            self.tree.clear()
            for f in findings:
                label = f.section or "Document"
                group = groups.get(label)
                if group is None:
                    group = QTreeWidgetItem([label])
                    font = group.font(0)
                    font.setBold(True)
                    group.setFont(0, font)
                    group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    self.tree.addTopLevelItem(group)
                    groups[label] = group
                item = QTreeWidgetItem([f.message])
                item.setIcon(0, icons.get(f.severity, icons["info"]))
                item.setData(0, FINDING_ROLE, f)
                words = _SEVERITY_WORDS.get(f.severity, f.severity)
                hint = f"\nSuggestion: {f.suggestion}" if f.suggestion else ""
                item.setToolTip(0, f"{words} · {f.rule}{hint}")
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{words}: {f.message}")
                group.addChild(item)
                if keep is not None and (f.rule, f.message, f.section) == (keep.rule, keep.message, keep.section):
                    self.tree.setCurrentItem(item)
            for label, group in groups.items():
                group.setText(0, f"{label}  ({group.childCount()})")
            self.tree.expandAll()
        finally:
            self.tree.blockSignals(False)
        self.set_checking(False)
        self._update_buttons()

    def set_tone(self, verdict: str, level: str = "", detail: str = "") -> None:
        """The one-line tone verdict; ``level`` (professional | mostly professional | heated) colours it."""
        if not verdict:
            self.tone.hide()
            return
        colours = {"heated": severity_colour(self.palette(), "error"), "mostly professional": None}
        colour = colours.get(level)
        self.tone.setStyleSheet(f"color: {colour.name()};" if colour is not None else "")
        self.tone.setText(f"Tone: {verdict}")
        self.tone.setToolTip(detail)
        self.tone.show()

    def tone_text(self) -> str:
        return "" if self.tone.isHidden() else self.tone.text()

    def _icons(self) -> dict[str, QIcon]:
        key = self.palette().cacheKey()
        if self._icon_cache is None or self._icon_cache[0] != key:
            pal = self.palette()
            self._icon_cache = (key, {s: severity_icon(s, pal) for s in ("error", "warning", "info")})
        return self._icon_cache[1]

    def set_checking(self, busy: bool) -> None:
        if busy:
            self.summary.setText(self._counts() + "  · checking…" if self._findings else "Checking…")
        else:
            self.summary.setText(self._counts() if self._findings else "No problems found")

    def _counts(self) -> str:
        parts = []
        for sev, word in (("error", "error"), ("warning", "warning"), ("info", "note")):
            n = sum(f.severity == sev for f in self._findings)
            if n:
                parts.append(f"{n} {word}{'s' if n != 1 else ''}")
        return " · ".join(parts)

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            g = self.tree.topLevelItem(i)
            out += [g.child(j) for j in range(g.childCount())]
        return out

    def group_labels(self) -> list[str]:
        return [self.tree.topLevelItem(i).text(0) for i in range(self.tree.topLevelItemCount())]

    def current_finding(self) -> Finding | None:
        item = self.tree.currentItem()
        return item.data(0, FINDING_ROLE) if item is not None else None

    def select(self, finding: Finding) -> bool:
        for item in self.items():
            if item.data(0, FINDING_ROLE) == finding:
                self.tree.setCurrentItem(item)
                return True
        return False

    # -- actions ----------------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        f = self.current_finding()
        self.apply_button.setEnabled(bool(f and f.suggestion is not None))
        self.apply_button.setText(f"Apply: “{_clip(f.suggestion)}”" if f and f.suggestion else "Apply suggestion")
        self.ignore_button.setEnabled(f is not None)

    def _jump(self, item: QTreeWidgetItem) -> None:
        f = item.data(0, FINDING_ROLE)
        if f is not None:
            self.jumpRequested.emit(f)

    def _apply_current(self) -> None:
        f = self.current_finding()
        if f is not None and f.suggestion is not None:
            self.applyRequested.emit(f)

    def _ignore_current(self) -> None:
        f = self.current_finding()
        if f is not None:
            self.ignoreRequested.emit(f.rule)

    def _menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        f = item.data(0, FINDING_ROLE) if item else None
        if f is None:
            return
        menu = QMenu(self)
        menu.addAction("Go to", lambda: self.jumpRequested.emit(f))
        if f.suggestion is not None:
            menu.addAction(f"Apply “{_clip(f.suggestion)}”", lambda: self.applyRequested.emit(f))
        menu.addAction(f"Ignore “{short_rule(f.rule)}” in this document", lambda: self.ignoreRequested.emit(f.rule))
        menu.popup(self.tree.viewport().mapToGlobal(pos))


def _clip(text: str | None, n: int = 28) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"
