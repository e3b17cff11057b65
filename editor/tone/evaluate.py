"""Scores the tone lint on a labelled set (tests/fixtures/tone-dev.jsonl and the like).

Each item is linted as its own paragraph; it counts as flagged when any warning or error starts
in it. Used by the test suite (which asserts the floors) and by ``python -m editor.tone.evaluate``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from editor.model import Person


@dataclass
class Scores:
    n: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    by_category: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    # category -> [items, flagged by anything, flagged by a finding of that category]
    false_positives: list[tuple[str, str, list[str]]] = field(default_factory=list)
    misses: list[tuple[str, str]] = field(default_factory=list)
    wrong_category: list[tuple[str, str, list[str]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def category_recall(self, cat: str, strict: bool = False) -> float:
        n, any_flag, same = self.by_category[cat]
        return (same if strict else any_flag) / n if n else 1.0

    def report(self, title: str) -> str:
        lines = [
            f"{title}: {self.n} items, precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})",
            f"  {'category':<24} {'items':>5} {'recall':>7} {'same-category':>14}",
        ]
        for cat in sorted(self.by_category):
            n = self.by_category[cat][0]
            lines.append(
                f"  {cat:<24} {n:>5} {self.category_recall(cat):>7.2f} {self.category_recall(cat, True):>14.2f}"
            )
        return "\n".join(lines)


def load_items(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def half(item_id: str) -> str:
    """A fixed split of a labelled set: 'tune' or 'held-out', by a hash of the item id."""
    return "tune" if hashlib.sha256(item_id.encode()).digest()[0] % 2 == 0 else "held-out"


def score(items: list[dict], people: list[Person] | None = None) -> Scores:
    from editor.tone import lint

    s = Scores()
    for item in items:
        findings = [f for f in lint(item["text"], people) if f.severity in ("warning", "error")]
        flagged = bool(findings)
        cats = sorted({f.category for f in findings})
        s.n += 1
        if item["flag"]:
            row = s.by_category[item["category"]]
            row[0] += 1
            if flagged:
                s.tp += 1
                row[1] += 1
                if item["category"] in cats:
                    row[2] += 1
                else:
                    s.wrong_category.append((item["id"], item["text"], cats))
            else:
                s.fn += 1
                s.misses.append((item["id"], item["text"]))
        elif flagged:
            s.fp += 1
            s.false_positives.append((item["id"], item["text"], [f.rule for f in findings]))
        else:
            s.tn += 1
    return s


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else Path("tests/fixtures/tone-dev.jsonl")
    items = load_items(path)
    verbose = "-v" in argv
    for title, subset in (
        ("all", items),
        ("tune half", [i for i in items if half(i["id"]) == "tune"]),
        ("held-out half", [i for i in items if half(i["id"]) == "held-out"]),
    ):
        s = score(subset)
        print(s.report(f"{path.name} {title}"))
        if verbose and title == "all":
            for fid, text, rules in s.false_positives:
                print(f"  FP {fid}: {text}  {rules}")
            for fid, text in s.misses:
                print(f"  MISS {fid}: {text}")
            for fid, text, cats in s.wrong_category:
                print(f"  CAT {fid}: {text}  {cats}")
    print(Counter(i["category"] for i in items).most_common(3))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
