"""Growth with size: every headline figure on a 1-page, a 3-page and a 12-page document.

The documents are built from the project's sample prose (distinct paragraphs, so no cache flatters
a bigger draft), grown until the real layout says exactly 1, 3 and 12 pages. Each figure is the
median of several runs; the rows carry ``group`` and ``size`` so the report can show one line per
measure with a column per size.
"""

from __future__ import annotations

import itertools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PAGES = (1, 3, 12)
SIZE = {1: "1 page", 3: "3 pages", 12: "12 pages"}

HEAD = """---
format: 1
kind: exit-interview
title: Why the platform team keeps losing people
author: Dana Reyes
date: 2026-11-20
people:
  - {name: Mark Ellis, role: Director of Platform, power: high}
  - {name: Priya Natarajan, role: CTO, power: high}
---

"""
HEADINGS = ("## Point: {n}", "### Incident: {n}", "### Consequence")
_EDITS = itertools.count()


def _pool() -> list[str]:
    """Distinct prose paragraphs of the sample documents, in a fixed order."""
    from editor.fileformat import parse

    files = sorted((ROOT / "tests" / "fixtures" / "prose").glob("*.md")) + sorted(
        (ROOT / "tests" / "fixtures" / "docs").glob("*.md")
    )
    out: list[str] = []
    for f in files:
        for para in re.split(r"\n\s*\n", parse(f.read_text(encoding="utf-8")).body):
            para = " ".join(para.split())
            prose = len(para.split()) >= 20 and para[0] not in "#-*>|<{`" and not para.lower().startswith("enabled")
            if prose and para not in out:
                out.append(para)
    return out


def document(n: int, pool: list[str]) -> str:
    """A draft of the first ``n`` paragraphs (the pool repeats with a marker when it runs out)."""
    parts = [HEAD, "# Thesis\n", pool[0], ""]
    for i in range(1, n):
        if i % 4 == 1:
            head = HEADINGS[(i // 4) % 3].format(n=f"part {i // 4 + 1}")
            parts += [head, ""]
        para = pool[i % len(pool)]
        if i >= len(pool):
            para += f" This happened again in round {i // len(pool) + 1}."
        parts += [para, ""]
        if i % 4 == 3:
            parts += ["Enabled by: Mark Ellis", ""]
    parts += ["# Ask", "Cap on-call at one week in six and fund the alerting clean-up.", ""]
    return "\n".join(parts)


def sized_documents() -> dict[int, str]:
    """Binary search on the paragraph count until the real layout gives exactly 1, 3 and 12 pages."""
    from editor.fileformat import parse
    from export.layout import page_count

    pool = _pool()
    out: dict[int, str] = {}
    for target in PAGES:
        lo, hi = 1, 4 * len(pool)
        while lo < hi:  # the largest n with pages(n) <= target
            mid = (lo + hi + 1) // 2
            if page_count(parse(document(mid, pool))) <= target:
                lo = mid
            else:
                hi = mid - 1
        text = document(lo, pool)
        if page_count(parse(text)) != target:
            raise RuntimeError(f"could not build a {target}-page document")
        out[target] = text
    return out


def words(text: str) -> int:
    from editor.fileformat import parse

    return len(parse(text).body.split())


def edited(text: str) -> str:
    """The text with one sentence added to the thesis paragraph: one paragraph changed, the same one at every size.

    Every call makes a new sentence (one counter for the whole module), so no cache has seen it before.
    """
    at = text.index("\n\n", text.index("# Thesis\n"))
    return f"{text[:at]} Edit {next(_EDITS)}: one more sentence the writer typed.{text[at:]}"


def stats(ctx, name: str, ms: list[float], size: int, group: str, **kw):
    return ctx.Row(
        name, statistics.median(ms), min(ms), max(ms), len(ms), group=group, size=SIZE[size], **kw
    )  # fmt: skip


def timed(fn: Callable[[], object], runs: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


# -- measures ------------------------------------------------------------------------------------------------------


def first_paint(ctx, docs: dict[int, Path]) -> list:
    rows = []
    with tempfile.TemporaryDirectory() as home:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            ONRECORD_PROBE_FIRST_PAINT="1",
            ONRECORD_DATA_DIR=f"{home}/data",
            ONRECORD_CONFIG_DIR=f"{home}/config",
        )
        for pages, path in docs.items():
            ms = []
            for _ in range(4):
                began = time.time()
                proc = subprocess.run(
                    [sys.executable, "-m", "app", str(path)], cwd=ROOT, env=env, capture_output=True, text=True,
                    timeout=120,
                )  # fmt: skip
                line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("first-paint ")), "")
                if not line:
                    raise RuntimeError(f"no first paint: {proc.stderr[-300:]}")
                ms.append((float(line.split()[1]) - began) * 1000)
            rows.append(
                stats(ctx, f"app start to first paint, {SIZE[pages]}", ms[1:], pages, "app start to first paint")
            )
    return rows


def editor_typing(ctx, docs: dict[int, Path]) -> list:
    """Keystroke to highlights, the longest UI-thread slice, and keystroke to the exact page count shown."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.gui import create_app

    rows = []
    app = create_app("light")
    with tempfile.TemporaryDirectory() as home:
        os.environ["ONRECORD_DATA_DIR"] = f"{home}/data"
        os.environ["ONRECORD_CONFIG_DIR"] = f"{home}/config"
        for pages, path in docs.items():
            keystroke, ui, to_pages = type_into(app, path)
            n = words(path.read_text(encoding="utf-8"))
            three = pages == 3  # the issue's targets are set on three pages
            rows.append(
                stats(
                    ctx, f"keystroke to updated highlights, {SIZE[pages]} ({n} words)", keystroke, pages,
                    "keystroke to highlights (typing pause excluded)", target="< 50 ms median" if three else "",
                    met=statistics.median(keystroke) < 50 if three else None, issue="#3",
                )
            )  # fmt: skip
            rows.append(
                stats(
                    ctx, f"longest UI-thread slice taken by checks, {SIZE[pages]}", ui, pages,
                    "longest UI-thread slice taken by checks", target="<= 16 ms max" if three else "",
                    met=max(ui) <= 16 if three else None, issue="#3", show="max",
                )
            )  # fmt: skip
            if to_pages:
                rows.append(
                    stats(
                        ctx, f"keystroke to exact page count in the meter, {SIZE[pages]}", to_pages, pages,
                        "keystroke to exact page count shown (layout child process)",
                    )
                )  # fmt: skip
    return rows


def type_into(app, path: Path) -> tuple[list[float], list[float], list[float]]:
    """Opens ``path`` in a real window and types 16 keys into its last section, waiting for each result."""
    from PySide6.QtTest import QTest

    from app.main_window import MainWindow

    w = MainWindow()
    w.resize(1400, 900)
    w.show()
    loaded: list[str] = []
    w.documentLoaded.connect(loaded.append)
    w.open_path(str(path))
    spin(app, lambda: bool(loaded), 60)
    w.live.set_delays(check=0, pages=0, preview=10_000)  # the work itself, not the typing pause
    applied: list[int] = []
    paged: list[int] = []
    w.findingsApplied.connect(applied.append)
    w.live.paged.connect(lambda rev, _p: paged.append(rev))
    spin(app, lambda: w.result is not None and w.result.document.text == w.session.text(), 60)
    refs = [r for r in w.outline.refs() if r and r[0] in ("incident", "point")]
    if refs:
        w.outline.select_ref(refs[-1], notify=True)
    body = w.section_editor.body
    body.setFocus()
    body.moveCursor(body.textCursor().MoveOperation.End)
    w.live.ui_costs.clear()
    keystroke, to_pages = [], []
    for i in range(16):
        applied.clear()
        paged.clear()
        began = time.perf_counter()
        QTest.keyClick(body, "x" if i % 2 == 0 else " ")
        rev = w.session.revision
        spin(app, lambda rev=rev: rev in applied, 30)
        keystroke.append((time.perf_counter() - began) * 1000)
        spin(app, lambda rev=rev: rev in paged or w.session.revision != rev, 60)
        if rev in paged:
            to_pages.append((time.perf_counter() - began) * 1000)
    ui = list(w.live.ui_costs)
    w.session.qdoc.setModified(False)
    w._closing_confirmed = True
    w.close()
    spin(app, lambda: not w.runner.busy(), 30)
    app.processEvents()
    return keystroke[1:], ui, to_pages[1:]


def spin(app, done: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for the window")
        app.processEvents()
        time.sleep(0.0005)


def tone_vs_proselint(ctx, texts: dict[int, str]) -> list:
    from proselint.checks import __register__
    from proselint.registry import CheckRegistry

    # proselint's registry is a process-wide singleton: registering its checks twice runs each twice (and
    # doubles its time), so add only what is missing and leave the registry as it was for the next module
    registry = CheckRegistry()
    added = tuple(c for c in __register__ if c not in registry.checks)
    registry.register_many(added)
    try:
        return _tone_rows(ctx, texts)
    finally:
        for check in added:
            registry.checks.remove(check)


def _tone_rows(ctx, texts: dict[int, str]) -> list:
    from proselint.tools import LintFile

    from editor.tone import clear_cache, lint

    rows = []
    for pages, text in texts.items():

        def cold(text=text) -> None:
            clear_cache()
            lint(text)

        # in alternating blocks, so a burst of load on this shared machine hits both sides of the ratio
        base, ours = ctx.paired(lambda text=text: LintFile("bench.md", text).lint(), cold, runs=9)
        ratio = statistics.median(base) / statistics.median(ours)
        rows.append(stats(ctx, f"proselint, {SIZE[pages]} ({words(text)} words)", base, pages, "proselint (peer)"))
        rows.append(
            stats(
                ctx, f"tone lint cold, {SIZE[pages]} ({words(text)} words)", ours, pages, "tone lint, cold cache",
                ratio=f"{ratio:.1f}x faster than proselint", target=">= 10x proselint", met=ratio >= 10, issue="#4",
            )
        )  # fmt: skip
        found = lint(text)
        # the lint's cost follows what it finds (proselint's barely does): say how dense this text is
        ctx.note(
            f"tone: the {SIZE[pages]} document has {len(found)} tone findings "
            f"({100 * len(found) / words(text):.1f} per 100 words)"
        )
        warm = timed(lambda text=text: lint(edited(text)), runs=9)
        rows.append(stats(ctx, f"tone lint after a one-paragraph edit, {SIZE[pages]}", warm, pages, "tone lint, warm"))
    return rows


def page_count_after_edit(ctx, texts: dict[int, str]) -> list:
    from editor.fileformat import parse
    from export.layout import page_count

    rows = []
    for pages, text in texts.items():
        page_count(parse(text))
        ms = timed(lambda text=text: page_count(parse(edited(text))), runs=9)
        rows.append(
            stats(
                ctx, f"exact page count after an edit (in-process, warm), {SIZE[pages]}", ms, pages,
                "exact page count after an edit (warm, in-process)",
                target="< 150 ms" if pages == 3 else "", met=statistics.median(ms) < 150 if pages == 3 else None,
                issue="#5",
            )
        )  # fmt: skip
    return rows


def cold_export(ctx, docs: dict[int, Path]) -> list:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for pages, path in docs.items():
            out = Path(tmp) / f"{pages}.pdf"
            draft = ["--draft"] if pages > 3 else []  # over the limit only a draft is written
            cmd = [sys.executable, "-m", "app", "export", str(path), "-o", str(out), *draft]

            def run_once(cmd=cmd) -> None:
                done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
                if done.returncode != 0:
                    raise RuntimeError(done.stderr.strip())

            ms = timed(run_once, runs=5)
            rows.append(
                stats(
                    ctx, f"cold `onrecord export{' --draft' if draft else ''}`, {SIZE[pages]} (whole process)", ms,
                    pages, "cold export (whole process)", target="< 1500 ms" if pages == 3 else "",
                    met=statistics.median(ms) < 1500 if pages == 3 else None, issue="#5",
                )
            )  # fmt: skip
    return rows


def grammar(ctx, texts: dict[int, str]) -> list:
    from editor.fileformat import parse
    from editor.grammar import GrammarChecker, GrammarService
    from editor.settings import GrammarSettings

    svc = GrammarService(GrammarSettings(mode="auto"), allow_download=False)
    if not svc.start():
        raise RuntimeError(svc.notice)
    rows = []
    try:
        for pages, text in texts.items():
            doc = parse(text)
            whole = timed(lambda doc=doc: GrammarChecker(svc.checker.connect).check_document(doc), runs=3)
            rows.append(
                stats(ctx, f"grammar, whole document, empty cache, {SIZE[pages]}", whole, pages,
                      "LanguageTool: whole document, empty cache", issue="#6")
            )  # fmt: skip
            warm = svc.checker
            warm.check_document(doc)
            one = timed(
                lambda text=text, warm=warm: warm.check_document(parse(edited(text))),
                runs=7,
            )
            rows.append(
                stats(ctx, f"grammar after one paragraph changed, {SIZE[pages]}", one, pages,
                      "LanguageTool: one changed paragraph (rest cached)", issue="#6")
            )  # fmt: skip
    finally:
        svc.stop()
    return rows


def run(ctx) -> list:
    texts = sized_documents()
    rows: list = []
    with tempfile.TemporaryDirectory() as tmp:
        docs = {}
        for pages, text in texts.items():
            docs[pages] = Path(tmp) / f"{pages}-pages.md"
            docs[pages].write_text(text, encoding="utf-8")
            ctx.note(f"sizes: the {SIZE[pages]} document has {words(text)} words")
        for part in (
            lambda: first_paint(ctx, docs),
            lambda: editor_typing(ctx, docs),
            lambda: tone_vs_proselint(ctx, texts),
            lambda: page_count_after_edit(ctx, texts),
            lambda: cold_export(ctx, docs),
            lambda: grammar(ctx, texts),
        ):
            try:
                rows += part()
            except Exception as exc:  # one broken measure must not hide the others
                ctx.note(f"sizes: a measure failed: {type(exc).__name__}: {exc}")
    return rows
