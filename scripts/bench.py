#!/usr/bin/env python3
"""`make bench`: runs every scripts/benches/*.py and writes one report (stdout + docs/benchmarks.md).

Each bench module has ``run(ctx) -> list[Row]``. Figures are medians of several runs with min/max;
where a peer or baseline is measured in the same run, the ratio against it is printed, because
these machines are shared and noisy.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Row:
    name: str
    median_ms: float
    min_ms: float
    max_ms: float
    runs: int
    ratio: str = ""  # e.g. "14.2x faster than proselint"
    target: str = ""  # e.g. "< 50 ms"
    met: bool | None = None


def measure(fn: Callable[[], object], runs: int = 7, warmup: int = 1) -> tuple[float, float, float]:
    """(median, min, max) in milliseconds of ``fn``."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), min(times), max(times)


def row(name: str, fn: Callable[[], object], runs: int = 7, warmup: int = 1, **kw) -> Row:
    med, lo, hi = measure(fn, runs, warmup)
    return Row(name, med, lo, hi, runs, **kw)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, {platform.platform()}, Python {platform.python_version()}"


def main() -> int:
    only = sys.argv[1:]
    rows: list[Row] = []
    for path in sorted((ROOT / "scripts" / "benches").glob("*.py")):
        if only and path.stem not in only:
            continue
        spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        print(f"## {path.stem}", flush=True)
        try:
            got = mod.run(sys.modules[__name__])
        except Exception as exc:  # a broken bench must not hide the others
            print(f"   FAILED: {exc!r}", flush=True)
            continue
        for r in got:
            print(
                f"   {r.name}: median {r.median_ms:.1f} ms (min {r.min_ms:.1f}, max {r.max_ms:.1f}, n={r.runs})"
                f"{'  ' + r.ratio if r.ratio else ''}{'  target ' + r.target if r.target else ''}",
                flush=True,
            )
        rows += got
    write_report(rows)
    return 0


def write_report(rows: list[Row]) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {dt.date.today().isoformat()} by `make bench` on: {machine()}.",
        "",
        "Medians of several runs, with min and max. Ratios compare against a peer measured in the same run.",
        "",
        "| measure | median | min | max | runs | ratio | target | met |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(
            f"| {r.name} | {r.median_ms:.1f} ms | {r.min_ms:.1f} | {r.max_ms:.1f} | {r.runs} | "
            f"{r.ratio} | {r.target} | {met} |"
        )
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
