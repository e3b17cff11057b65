from __future__ import annotations

from tests.conftest import DOCS


def test_window_opens_a_draft(qtbot, main_window):
    w = main_window
    with qtbot.waitSignal(w.documentLoaded, timeout=10_000):
        w.open_path(str(DOCS / "d1-good-exit.md"))
    assert "d1-good-exit.md" in w.windowTitle()
    assert not w.isWindowModified()
    assert w.session.text() == (DOCS / "d1-good-exit.md").read_text(encoding="utf-8")


def test_a_file_that_cannot_be_read_gets_one_clear_message(qtbot, main_window, tmp_path):
    w = main_window
    bad = tmp_path / "binary.md"
    bad.write_bytes(b"\x00\x01\x02 not text")
    w.open_path(str(bad))
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible(), timeout=10_000)
    assert "not a text file" in w.dialog.text()
    assert w.session.path is None  # the draft that was open stays open


def test_starting_without_a_file_offers_the_kind_picker(qtbot):
    from app.gui import start
    from editor.ui.kind_picker import DETAIL_ROLE, LIMITS_ROLE, KindPicker

    w = start(None)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: isinstance(w.dialog, KindPicker) and w.dialog.isVisible(), timeout=5000)
    items = [w.dialog.list.item(i) for i in range(w.dialog.list.count())]
    assert len(items) >= 3 and all(i.data(DETAIL_ROLE) and "pages" in i.data(LIMITS_ROLE) for i in items)
    assert any("decision" in i.data(LIMITS_ROLE) for i in items)  # each kind: its description and limits
    w.dialog.choose("escalation-memo")
    w.dialog.accept()
    assert w.session.kind().id == "escalation-memo"
    assert w.windowTitle().startswith("Untitled") and not w.isWindowModified()
    qtbot.waitUntil(lambda: w.result is not None and w.result.document.text == w.session.text(), timeout=15_000)
    assert any(f.rule == "structure.decision_by" for f in w.result.findings)  # the memo's own rule
    w._closing_confirmed = True
