"""Tone lint speed on a ~1,300-word document: cold (cache cleared every run), warm after a
one-paragraph edit, and proselint's own in-process lint of the same text in the same run (proselint
and the cold lint in alternating blocks, 21 runs each). Also what a fresh process pays before its
first finding (``onrecord lint`` on a one-page letter): with no compiled-pattern cache, and with it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_RATIO = 10.0


def _document() -> str:
    """The first ~1,300 words of the long hospital letter, cut at a paragraph end."""
    text = (ROOT / "tests" / "fixtures" / "prose" / "dev_03_overlong_hospital.md").read_text(encoding="utf-8")
    out, words = [], 0
    for para in text.split("\n\n"):
        if words >= 1300:
            break
        out.append(para)
        words += len(para.split())
    return "\n\n".join(out) + "\n"


def _proselint(text: str):
    from proselint.checks import __register__
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile

    CheckRegistry().register_many(__register__)
    return lambda: LintFile("bench.md", text).lint()


def run(ctx) -> list:
    from editor.tone import clear_cache, lint

    text = _document()
    words = len(text.split())
    paras = text.split("\n\n")
    edits = [
        "\n\n".join([*paras[:5], paras[5] + f" Edit {n}.", *paras[6:]]) for n in range(100)
    ]  # one paragraph changed each run

    def cold():
        clear_cache()
        lint(text)

    counter = iter(range(10**6))

    def warm_edit():
        lint(edits[next(counter) % len(edits)])

    # proselint and the cold lint in alternating blocks, so a burst of load on this shared machine hits both
    peer, ours = ctx.paired(_proselint(text), cold, runs=21)
    base = ctx.from_times(f"proselint {words} words (in-process)", peer)
    cold_row = ctx.from_times(f"tone lint {words} words, cold cache", ours)
    found = lint(text)
    ctx.note(
        f"tone: the {words}-word document has {len(found)} tone findings ({100 * len(found) / words:.1f} per 100 words)"
    )
    warm_row = ctx.row(f"tone lint {words} words, warm, one paragraph edited", warm_edit, runs=15)
    first, later = _fresh_process_lint(ctx)
    for r in (cold_row, warm_row):
        ratio = base.median_ms / r.median_ms if r.median_ms else float("inf")
        r.ratio = f"{ratio:.1f}x faster than proselint"
        r.target = f">= {TARGET_RATIO:.0f}x proselint"
        r.met = ratio >= TARGET_RATIO
    return [base, cold_row, warm_row, first, later]


def _fresh_process_lint(ctx):
    """``onrecord lint`` of a one-page letter in a new process: the first ever (the packs compiled and the
    cache written), then three later ones (read from the cache), each against that same first run."""
    letter = ROOT / "tests" / "fixtures" / "docs" / "d1-good-exit.md"
    with tempfile.TemporaryDirectory() as data:
        env = {k: v for k, v in os.environ.items() if k != "ONRECORD_CACHE_DIR"}  # the fresh data folder's cache
        env["ONRECORD_DATA_DIR"] = data
        cmd = [sys.executable, "-m", "app", "lint", str(letter)]

        def once() -> float:
            t = time.perf_counter()
            done = subprocess.run(cmd, env=env, cwd=ROOT, check=False, capture_output=True, text=True)
            if done.returncode not in (0, 1):  # 1: the letter has findings
                raise RuntimeError(f"onrecord lint failed: {done.stderr.strip()[-300:]}")
            return (time.perf_counter() - t) * 1000

        first = once()
        later = [once() for _ in range(3)]
    first_row = ctx.from_times("onrecord lint, 1-page letter, new process, no pattern cache yet", [first])
    later_row = ctx.from_times("onrecord lint, 1-page letter, new process, patterns read from the cache", later)
    later_row.ratio = f"{first / later_row.median_ms:.1f}x faster than the first run"
    return first_row, later_row
