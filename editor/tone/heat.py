"""The heat summary: tone findings counted per part of the document, and a one-line verdict.

Emotional categories (profanity, insults, shouting …) make a part "hot"; the others (vague,
jargon, hedging, aiming down, weak evidence) are credibility notes, reported but not heat.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from editor.errors import DocumentError
from editor.fileformat import parse
from editor.findings import Finding
from editor.model import Document, Section
from editor.tone.text import front_matter, prepare

HEAT_WEIGHTS = {
    "profanity": 3.0,
    "insult": 3.0,
    "threat": 3.0,
    "shouting": 2.0,
    "sarcasm": 2.0,
    "venting": 2.0,
    "motive": 1.5,
    "absolute": 1.0,
    "gossip": 1.0,
}
# How a part reads when one kind of heat dominates it.
HEAT_WORDS = {
    "profanity": "angry",
    "insult": "angry",
    "shouting": "angry",
    "venting": "angry",
    "threat": "threatening",
    "sarcasm": "sarcastic",
    "motive": "accusatory",
    "absolute": "accusatory",
    "gossip": "accusatory",
}
NOTE_WORDS = {
    "vague": "vague",
    "jargon": "too technical",
    "hedging": "over-hedged",
    "low_power_target": "aims at junior staff",
    "underperformer_evidence": "leans on weak evidence",
}
HOT = 4.0  # heat points that make a part read as heated (two insults, or profanity plus a dig)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SectionHeat:
    label: str  # "Thesis", "Point 2", "Ask", a heading's text, or "the document"
    start: int
    end: int
    words: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def heat(self) -> float:
        return sum(HEAT_WEIGHTS.get(c, 0.0) * n for c, n in self.counts.items())

    @property
    def hot(self) -> bool:
        return self.heat >= HOT or (self.words and self.heat * 100 / max(self.words, 1) >= 6 and self.heat >= 3)

    @property
    def mood(self) -> str:
        heat = Counter({c: HEAT_WEIGHTS.get(c, 0) * n for c, n in self.counts.items() if c in HEAT_WEIGHTS})
        if not heat:
            return ""
        by_word = Counter()
        for c, w in heat.items():
            by_word[HEAT_WORDS[c]] += w
        return by_word.most_common(1)[0][0]


@dataclass(frozen=True)
class Heat:
    sections: tuple[SectionHeat, ...]
    counts: dict[str, int]
    verdict: str

    @property
    def level(self) -> str:
        """professional | mostly professional | heated."""
        if any(s.hot for s in self.sections):
            return "heated"
        return "professional" if not self.counts else "mostly professional"

    def line(self) -> str:
        if not self.counts:
            return f"tone: {self.verdict}"
        counts = ", ".join(f"{n} {c.replace('_', ' ')}" for c, n in sorted(self.counts.items(), key=lambda kv: -kv[1]))
        return f"tone: {self.verdict} ({counts})"

    def as_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "level": self.level,
            "counts": dict(self.counts),
            "sections": [
                {"label": s.label, "start": s.start, "end": s.end, "counts": dict(s.counts)} for s in self.sections
            ],
        }


def _parts(doc: Document) -> list[tuple[str, int, int]]:
    """(label, start, end) of the parts a reader names: opening, thesis, Point N (with its incidents), ask."""
    parts: list[tuple[str, int, int]] = []
    point_of: dict[int, int] = {}
    for n, p in enumerate(doc.points, 1):
        point_of[p.section.start] = n
        for inc in p.incidents:
            point_of[inc.section.start] = n
        for c in p.consequences:
            point_of[c.start] = n
    if doc.sections and doc.sections[0].start > doc.front_matter_end:
        parts.append(("Opening", doc.front_matter_end, doc.sections[0].start))
    for s in doc.sections:
        label = f"Point {point_of[s.start]}" if s.start in point_of else _label(s)
        if parts and parts[-1][0] == label:
            parts[-1] = (label, parts[-1][1], s.end)
        else:
            parts.append((label, s.start, s.end))
    if not parts:
        parts.append(("the document", doc.front_matter_end, len(doc.text)))
    return parts


def _label(s: Section) -> str:
    label = s.label()
    return label if len(label) <= 40 else label[:39].rstrip() + "…"


def _document(text_or_doc: str | Document) -> Document:
    if isinstance(text_or_doc, Document):
        return text_or_doc
    try:
        return parse(text_or_doc)
    except DocumentError:
        end, meta = front_matter(text_or_doc)
        return Document(text=text_or_doc, meta=meta, front_matter_end=end)


def heat_summary(text_or_doc: str | Document, findings: list[Finding]) -> Heat:
    """Counts tone findings (warnings and errors) per part and says in one line how the text reads."""
    doc = _document(text_or_doc)
    readable = prepare(doc.text).text  # words the writer wrote: no comments, code or front matter
    tone = [f for f in findings if f.rule.startswith("tone.") and f.severity in ("warning", "error")]
    sections = []
    for label, a, b in _parts(doc):
        counts = Counter(f.category for f in tone if a <= f.start < b)
        words = len(_WORD.findall(readable, a, b))
        sections.append(SectionHeat(label, a, b, words, dict(counts)))
    total = dict(Counter(f.category for f in tone))
    return Heat(tuple(sections), total, _verdict(sections, total))


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _verdict(sections: list[SectionHeat], total: dict[str, int]) -> str:
    if not total:
        return "professional throughout"
    with_text = [s for s in sections if s.words]
    hot = [s for s in with_text if s.hot]
    if hot:
        moods = Counter(s.mood for s in hot)
        mood = moods.most_common(1)[0][0]
        if len(hot) == len(with_text) or (len(with_text) > 2 and len(hot) * 2 > len(with_text)):
            return f"{mood} throughout"
        return f"{mood} in {_join([s.label for s in hot][:3])}"
    heat = sum(HEAT_WEIGHTS.get(c, 0) * n for c, n in total.items())
    head = "mostly professional" if heat else "professional in tone"
    notes = []
    for cat, word in NOTE_WORDS.items():
        where = [s.label for s in with_text if s.counts.get(cat)]
        if where:
            notes.append((sum(s.counts.get(cat, 0) for s in with_text), f"{word} in {_join(where[:2])}"))
    notes.sort(key=lambda n: -n[0])
    return head + ("; " + "; ".join(n for _, n in notes[:2]) if notes else "")
