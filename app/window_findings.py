"""The findings on screen: the checks' and grammar's merged into one list and one set of underlines.

Each finding is anchored to the text it is about by a ``QTextCursor`` (an ``Anchor``), so its span
moves with edits made since the check; jumping to it, applying its suggestion or ignoring its rule
all go through that anchor. ``FindingsView`` is a mixin for ``MainWindow``: the anchors live on the
window (``_check_anchors``, ``_anchors``, ``result``, ``states``), which resets them with each new document.
"""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtGui import QTextCursor

from editor.check import CheckResult
from editor.findings import SEVERITIES, Finding
from editor.ui.restructure import set_meta
from editor.ui.sections import DETAILS, SectionRef, entries, states
from editor.ui.text_edit import Mark

_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}
Anchor = tuple[Finding, QTextCursor, str]  # a finding, where its text is now, the text it was about


class FindingsView:
    """Shows, paints, steps through and acts on findings, for ``MainWindow``."""

    # == findings =====================================================================================
    def _apply_check(self, revision: int, result: CheckResult) -> None:
        t0 = time.perf_counter()
        self.result = result
        doc = result.document
        self._check_anchors = []
        for f in result.findings:
            cur = QTextCursor(self.session.qdoc)
            cur.setPosition(min(f.start, len(doc.text)))
            cur.setPosition(min(max(f.end, f.start), len(doc.text)), QTextCursor.MoveMode.KeepAnchor)
            self._check_anchors.append((f, cur, doc.text[f.start : f.end]))
        self.outline.set_document(doc, None)
        self._show_findings()
        self.check_state.setToolTip("\n".join(result.notices))
        self.check_state.setText("Some checks unavailable" if result.notices else "")
        self.live.record_ui_cost((time.perf_counter() - t0) * 1000)
        self.findingsApplied.emit(revision)

    def _apply_grammar(self, revision: int) -> None:
        self._show_findings()
        self.grammarApplied.emit(revision)

    def _show_findings(self) -> None:
        """One list, one set of underlines and the outline's states: the checks' findings and grammar's, in
        text order, each where its text is now."""
        current = self.result is not None and self.result.document.text == self.session.text()
        doc = self.result.document if current else self.session.document()  # the worker's parse, if current
        grammar = self.grammar.findings(doc, self.live.disabled_categories())
        merged = self._check_anchors + grammar
        merged.sort(key=lambda a: (a[1].selectionStart(), _SEVERITY_ORDER.get(a[0].severity, 9), a[0].rule))
        self._anchors = merged
        if self.result is not None:
            here = [replace(f, start=c.selectionStart(), end=c.selectionEnd()) for f, c, _t in merged]
            self.states = states(doc, here)
            self.outline.set_states(self.states)
        self.findings_panel.set_findings([f for f, _c, _t in merged])
        if self.result is None or self.live.busy():
            self.findings_panel.set_checking(True)
        self._paint_findings()

    def _apply_tone(self, _revision: int, heat: object) -> None:
        if heat is None:
            self.findings_panel.set_tone("")
            return
        self.findings_panel.set_tone(heat.verdict, heat.level, heat.line())

    def finding_spans(self) -> list[tuple[int, int, Finding]]:
        """Where each finding is now (its span moves with edits made since the check)."""
        return [(c.selectionStart(), c.selectionEnd(), f) for f, c, _t in self._anchors]

    def _paint_findings(self) -> None:
        # review marks are drawn in their own colours by the highlighter; a squiggle under each would only
        # repeat them (the list still names every open one)
        spans = [s for s in self.finding_spans() if s[2].category != "review"]
        st = self.states.get(self.section_editor.ref)
        self.section_editor.set_findings(spans, st.findings if st else [])
        self.full_text.set_marks([Mark(a, b, f.severity, f.message) for a, b, f in spans])

    def _anchor_of(self, finding: Finding) -> Anchor | None:
        return next((a for a in self._anchors if a[0] == finding), None)

    def _span_of(self, finding: Finding) -> tuple[int, int] | None:
        anchor = self._anchor_of(finding)
        return (anchor[1].selectionStart(), anchor[1].selectionEnd()) if anchor else None

    def jump_to(self, finding: Finding) -> None:
        span = self._span_of(finding) or (finding.start, finding.end)
        self.reveal(span[0], span[1] - span[0])

    def reveal(self, offset: int, length: int = 0) -> None:
        """Shows an offset of the document in the current view, opening its section in the guided view."""
        if self.view_mode() == "whole":
            self.full_text.scroll_to(offset, length)
            self.full_text.setFocus()
            return
        doc = self.session.document()
        ref: SectionRef = DETAILS
        for e in entries(doc):
            if e.section is not None and e.section.start <= offset:
                ref = e.ref
        if ref != self.section_editor.ref:
            self.outline.select_ref(ref)
            self.show_section(ref)
        if not self.section_editor.reveal(offset, length):
            self.section_editor.focus_text()

    def step_finding(self, delta: int) -> None:
        items = self.findings_panel.findings()
        if not items:
            return
        current = self.findings_panel.current_finding()
        i = items.index(current) + delta if current in items else (0 if delta > 0 else len(items) - 1)
        f = items[i % len(items)]
        self.findings_panel.select(f)
        self.jump_to(f)

    def apply_suggestion(self, finding: Finding) -> None:
        if finding.suggestion is None or self._refuse_in_review():
            return
        anchor = self._anchor_of(finding)
        span = (anchor[1].selectionStart(), anchor[1].selectionEnd()) if anchor else None
        if span is None or self.session.text()[span[0] : span[1]] != anchor[2]:
            self.statusBar().showMessage("That text changed since it was checked; the findings will catch up.", 6000)
            return
        self.session.replace(span[0], span[1], finding.suggestion, source="apply")
        self.statusBar().showMessage(f"Applied: {finding.suggestion}", 4000)
        self._show_findings()  # a grammar finding on the words just replaced goes at once
        self.live.run_now()

    def ignore_rule(self, rule: str) -> None:
        if self._refuse_in_review():
            return
        doc = self.session.document()
        if self.session.parse_problem:
            self.statusBar().showMessage("Fix the details at the top first; then rules can be ignored.", 6000)
            return
        meta = dict(doc.meta)
        ignore = [str(r) for r in (meta.get("ignore") or [])] if isinstance(meta.get("ignore"), list) else []
        if rule not in ignore:
            ignore.append(rule)
        meta["ignore"] = ignore
        self.session.apply(set_meta(doc, meta), source="ignore")
        self.statusBar().showMessage(f"“{rule}” is ignored in this document (listed under ignore: at the top).", 6000)
        self._show_findings()  # grammar's findings of the rule go at once
        self.live.run_now()
