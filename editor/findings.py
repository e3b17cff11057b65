"""The one record every checker returns (DESIGN.md §4), so the CLI and the GUI treat all alike."""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found in the text, located by character offsets into the whole file text."""

    rule: str
    category: str
    severity: str
    start: int
    end: int
    message: str
    suggestion: str | None = None
    section: str = field(default="", compare=False)

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def blocks_export(self) -> bool:
        return self.severity == "error"


class LineIndex:
    """Maps character offsets to 1-based line and column numbers in one text."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self._starts.append(i + 1)

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


def sort_findings(findings: list[Finding]) -> list[Finding]:
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (f.start, order.get(f.severity, 9), f.rule))
