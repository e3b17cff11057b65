"""Export timings: cold `onrecord export` of a three-page document as a whole process, and the page
meter's warm page count after an edit in a running app (in-process, weasyprint already loaded)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

COLD_TARGET_MS = 1500
WARM_TARGET_MS = 150


def three_page_document() -> str:
    """The over-long sample, trimmed sentence by sentence until the real layout says three pages."""
    from editor.fileformat import parse
    from export.layout import page_count

    text = (ROOT / "tests" / "fixtures" / "docs" / "d3-overlong.md").read_text(encoding="utf-8")
    filler = "The same thing happened again in the following quarter, "
    filler += "with the same people in the room and the same outcome. "
    while page_count(parse(text)) > 3 and filler in text:
        at = text.rfind(filler)
        text = text[:at] + text[at + len(filler) :]
    if page_count(parse(text)) != 3:
        raise RuntimeError("could not build a three-page document from the sample")
    return text


def run(ctx) -> list:
    from editor.fileformat import parse
    from export.layout import clear_cache, page_count

    text = three_page_document()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "three-pages.md"
        src.write_text(text, encoding="utf-8")
        out = Path(tmp) / "three-pages.pdf"
        cmd = [sys.executable, "-m", "app", "export", str(src), "-o", str(out)]

        def cold_export() -> None:
            r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                raise RuntimeError(r.stderr.strip())

        med, lo, hi = ctx.measure(cold_export, runs=7, warmup=1)
        rows.append(
            ctx.Row(
                "cold `onrecord export`, 3-page document (whole process)",
                med, lo, hi, 7,
                ratio=f"{med / COLD_TARGET_MS:.2f}x of budget",
                target=f"< {COLD_TARGET_MS} ms",
                met=med < COLD_TARGET_MS,
            )
        )  # fmt: skip

    doc = parse(text)
    page_count(doc)  # the running app has already laid the document out once
    edits = iter(range(1_000_000))

    def count_after_edit() -> None:
        n = next(edits)
        edited = parse(text.replace("# Ask\n", f"# Ask\n\nEdit {n}: one more sentence the writer typed.\n", 1))
        page_count(edited)

    med, lo, hi = ctx.measure(count_after_edit, runs=15, warmup=2)
    rows.append(
        ctx.Row(
            "warm page count after an edit (in-process, 3 pages)",
            med, lo, hi, 15,
            ratio=f"{med / WARM_TARGET_MS:.2f}x of budget",
            target=f"< {WARM_TARGET_MS} ms",
            met=med < WARM_TARGET_MS,
        )
    )  # fmt: skip

    unchanged = ctx.row("page count of an unchanged document (cached)", lambda: page_count(doc), runs=15)
    rows.append(unchanged)
    clear_cache()
    times = []
    for _ in range(5):
        clear_cache()
        t = time.perf_counter()
        page_count(doc)
        times.append((time.perf_counter() - t) * 1000)
    rows.append(
        ctx.Row("page count, layout not cached (in-process)", statistics.median(times), min(times), max(times), 5)
    )
    return rows
