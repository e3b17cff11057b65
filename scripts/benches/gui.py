"""GUI timings: app start to first paint (a real process), keystroke to updated highlights on a
three-page document, and how long checks ever hold the UI thread.

The keystroke figure is measured from the key event to the new highlights being on screen, with
the 300 ms typing pause set to zero so the figure is the work itself, not the wait. The UI-thread
figure is the longest single slice the checks take on the UI thread (snapshot + applying results);
the event-loop figure is the longest a 1 ms heartbeat timer was kept waiting while checks, layout
(in its child process) and preview ran in the background, as a cross-check.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "templates" / "samples" / "sample-exit-interview.md"
KEYSTROKE_TARGET_MS = 50
UI_BLOCK_TARGET_MS = 16


def three_page_document() -> str:
    """The over-long sample trimmed until the real layout says three pages (the estimate if no layout)."""
    from editor.fileformat import parse
    from editor.ui.page_estimate import estimate_pages

    try:
        from export.layout import page_count
    except ImportError:
        page_count = None

    def pages(text: str) -> float:
        doc = parse(text)
        return page_count(doc) if page_count else estimate_pages(doc)

    text = (ROOT / "tests" / "fixtures" / "docs" / "d3-overlong.md").read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    while pages(text) > 3 and len(paragraphs) > 10:
        # drop the longest plain paragraph (never a heading or an Enabled-by line)
        i = max(
            (i for i, p in enumerate(paragraphs) if not p.lstrip().startswith(("#", "Enabled", "---"))),
            key=lambda i: len(paragraphs[i]),
        )
        paragraphs.pop(i)
        text = "\n\n".join(paragraphs)
    return text


def _stats(name: str, values: list[float], ctx, target: str = "", met: bool | None = None):
    return ctx.Row(name, statistics.median(values), min(values), max(values), len(values), target=target, met=met)


def first_paint(runs: int = 5) -> list[float]:
    out = []
    with tempfile.TemporaryDirectory() as home:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            ONRECORD_PROBE_FIRST_PAINT="1",
            ONRECORD_DATA_DIR=f"{home}/data",
            ONRECORD_CONFIG_DIR=f"{home}/config",
        )
        for _ in range(runs):
            t0 = time.time()
            proc = subprocess.run(
                [sys.executable, "-m", "app", str(SAMPLE)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("first-paint ")), "")
            if not line:
                raise RuntimeError(f"the app did not report its first paint: {proc.stderr[-300:]}")
            out.append((float(line.split()[1]) - t0) * 1000)
    return out


def run(ctx) -> list:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    rows = [_stats("app start to first paint (python -m app FILE)", first_paint(), ctx)]

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtTest import QTest

    from app.gui import create_app
    from app.main_window import MainWindow

    with tempfile.TemporaryDirectory() as home:
        os.environ["ONRECORD_DATA_DIR"] = f"{home}/data"
        os.environ["ONRECORD_CONFIG_DIR"] = f"{home}/config"
        app = create_app("light")
        path = Path(home) / "three-pages.md"
        path.write_text(three_page_document(), encoding="utf-8")
        w = MainWindow()
        w.resize(1400, 900)
        w.show()
        loaded: list[str] = []
        w.documentLoaded.connect(loaded.append)
        w.open_path(str(path))
        _spin(app, lambda: bool(loaded), 30)
        w.live.set_delays(check=0)  # measure the work, not the 300 ms typing pause
        applied: list[int] = []
        w.findingsApplied.connect(applied.append)
        _spin(app, lambda: w.result is not None and w.result.document.text == w.session.text(), 30)
        w.outline.select_ref(("incident", 0, 0), notify=True)
        body = w.section_editor.body
        body.setFocus()
        body.moveCursor(body.textCursor().MoveOperation.End)
        words = len(w.session.document().body.split())

        keystroke, typing = [], []
        w.live.ui_costs.clear()
        for i in range(25):
            key = "x" if i % 2 == 0 else " "
            applied.clear()
            t0 = time.perf_counter()
            QTest.keyClick(body, key)
            typing.append((time.perf_counter() - t0) * 1000)
            rev = w.session.revision
            _spin(app, lambda rev=rev: rev in applied, 10)
            keystroke.append((time.perf_counter() - t0) * 1000)
        ui_costs = list(w.live.ui_costs)

        # heartbeat: how late a 1 ms timer fires while checks, the layout and the preview run
        lateness: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.nsecsElapsed()]

        def beat() -> None:
            now = clock.nsecsElapsed()
            lateness.append((now - last[0]) / 1e6)
            last[0] = now

        timer = QTimer()
        timer.setInterval(1)
        timer.timeout.connect(beat)
        timer.start()
        for _ in range(5):
            w.live.run_now()
            _spin(app, lambda: not w.runner.busy(), 30)
        timer.stop()
        w.session.qdoc.setModified(False)
        w.close()
        app.processEvents()

    rows.append(_stats(f"keystroke handling on the UI thread ({words} words, 3 pages)", typing, ctx))
    rows.append(
        _stats(
            f"keystroke to updated highlights ({words} words, 3 pages; typing pause excluded)",
            keystroke,
            ctx,
            target=f"< {KEYSTROKE_TARGET_MS} ms median",
            met=statistics.median(keystroke) < KEYSTROKE_TARGET_MS,
        )
    )
    rows.append(
        _stats(
            "longest UI-thread slice taken by checks (snapshot or applying results)",
            ui_costs,
            ctx,
            target=f"<= {UI_BLOCK_TARGET_MS} ms max",
            met=max(ui_costs) <= UI_BLOCK_TARGET_MS,
        )
    )
    rows.append(_stats("event-loop stall while checks, layout and preview run (1 ms heartbeat)", lateness[1:], ctx))
    return rows


def _spin(app, done, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for the window")
        app.processEvents()
        time.sleep(0.0005)


if __name__ == "__main__":  # a quick look without the whole bench suite
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench

    for r in run(bench):
        print(f"{r.name}: median {r.median_ms:.1f} ms (min {r.min_ms:.1f}, max {r.max_ms:.1f}, n={r.runs}) {r.target}")
