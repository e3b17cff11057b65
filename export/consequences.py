"""Material consequences in plain sentences: for the "At a glance" box and the speaking notes.

An executive who reads only page one should still see the cost. We pick, from each consequence
section, the sentences that carry a number or a material word (people who left, money, customers,
risk, dates) and sort them under a plain label. Rules, not a model: predictable and explainable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from editor.model import Document, Section

_ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "st", "vs", "etc", "inc", "no", "jr", "sr", "e.g", "i.e", "approx", "mt"}
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|hundreds|thousand|thousands|million|millions|billion|half|dozen|dozens|double|doubled|tripled"
)
_NUMBER = re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.I)
_MONEY_AMOUNT = re.compile(r"[$€£¥]\s?\d|\d[\d,.]*\s?(?:k|m|bn)?\s*(?:dollars|euros|pounds|usd|eur|gbp)\b", re.I)

CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "People",
        re.compile(
            r"\b(?:resign\w*|quit|quitting|left|leav\w+|departures?|attrition|turnover|burn(?:ed|t)?[ -]?out|"
            r"sick leave|headcount|vacanc\w+|hir\w+|replac\w+|recruit\w*|morale|engineers|staff|employees|nurses|"
            r"people|team members?)\b",
            re.I,
        ),
    ),
    (
        "Customers and money",
        re.compile(
            r"[$€£]|\b(?:dollars?|euros?|pounds?|cost\w*|spend\w*|budget\w*|revenue|fines?|fined|penalt\w+|fees?|"
            r"customers?|clients?|contracts?|deals?|accounts?|seats|churn\w*|refunds?|sales|renew\w*|ratings?|"
            r"reputation|press|margin|profit|losses|lost|insur\w+|users?|patients?|checkouts?|orders?)\b",
            re.I,
        ),
    ),
    (
        "Risk",
        re.compile(
            r"\b(?:breach\w*|regulat\w+|injur\w+|evacuat\w+|audits?|lawsuits?|legal|complian\w+|safety|unsafe|"
            r"exits?|fire|liabilit\w+|reportable|void)\b",
            re.I,
        ),
    ),
    (
        "Time",
        re.compile(
            r"\b(?:delay\w*|late|missed|slipp?\w*|deadlines?|weeks?|months?|days?|quarters?|Q[1-4]|launch\w*|"
            r"releases?|overdue)\b",
            re.I,
        ),
    ),
)
MAX_GLANCE_SENTENCES = 5
MAX_SENTENCE_WORDS = 45


@dataclass(frozen=True)
class Fact:
    sentence: str
    category: str
    score: int
    section_no: int  # which of the given sections it came from
    index: int  # which sentence of that section

    @property
    def order(self) -> tuple[int, int]:
        """Position in the document, to keep the writer's sequence within a label."""
        return (self.section_no, self.index)


def plain_text(markdown: str) -> str:
    """Markdown to readable plain text, good enough for picking sentences (not for printing markup)."""
    t = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    t = re.sub(r"<[^>]+>", " ", t)
    t = re.sub(r"!\[([^\]]*)\]\([^)]*\)", " ", t)
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)
    t = re.sub(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", "", t, flags=re.M)
    t = re.sub(r"^[ \t]*>[ \t]?", "", t, flags=re.M)
    t = re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", t)
    return re.sub(r"\s+", " ", t).strip()


def sentences(text: str) -> list[str]:
    """Splits plain text into sentences, not after 'Dr.' or '4.6'."""
    out, start = [], 0
    for m in re.finditer(r"[.!?][\"”’)]*\s+(?=[\"“(]?[A-Z0-9])", text):
        before = text[start : m.start()].rsplit(None, 1)
        last = before[-1].lower().rstrip(".") if before else ""
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def score(sentence: str) -> tuple[int, str]:
    """(how material the sentence is, its main category); 0 when it is not a consequence worth quoting."""
    hits = {name: len(rx.findall(sentence)) for name, rx in CATEGORIES}
    has_number = bool(_NUMBER.search(sentence))
    money = bool(_MONEY_AMOUNT.search(sentence))
    if money:
        hits["Customers and money"] += 2
    if not any(hits.values()):
        return 0, ""
    best = max(CATEGORIES, key=lambda c: hits[c[0]])[0]
    value = sum(1 for v in hits.values() if v) + 2 * has_number + 2 * money
    if not has_number and value < 3:
        return 0, ""
    if len(sentence.split()) > MAX_SENTENCE_WORDS:
        value -= 2
    return value, best


def section_facts(doc: Document, section: Section, order: int = 0) -> list[Fact]:
    facts = []
    for i, s in enumerate(sentences(plain_text(section.body(doc.text)))):
        value, cat = score(s)
        if value > 0:
            facts.append(Fact(s, cat, value, order, i))
    return facts


def strongest(doc: Document, sections: list[Section]) -> Fact | None:
    facts = [f for n, s in enumerate(sections) for f in section_facts(doc, s, n)]
    return max(facts, key=lambda f: (f.score, -f.section_no, -f.index), default=None)


def _shape(sentence: str) -> frozenset[str]:
    """The sentence's words, every figure the same: sentences of one template differ only in their numbers."""
    return frozenset("#" if _NUMBER.fullmatch(w) or any(c.isdigit() for c in w) else w
                     for w in re.findall(r"[\w$€£¥.,]+", sentence.lower()) if w.strip(".,"))  # fmt: skip


def _alike(a: frozenset[str], b: frozenset[str]) -> bool:
    """Near-identical: at least 80% of the words shared (Jaccard), or one sentence inside the other."""
    common = len(a & b)
    return common >= 0.8 * len(a | b) or (min(len(a), len(b)) >= 6 and common == min(len(a), len(b)))


def glance_facts(doc: Document, limit: int = MAX_GLANCE_SENTENCES) -> list[Fact]:
    """The most material sentences of all consequence sections, at most two from any one section,
    and never two that say the same with other figures."""
    picked: list[Fact] = []
    order = 0
    for point in doc.points:
        for sec in point.consequences:
            facts = sorted(section_facts(doc, sec, order), key=lambda f: (-f.score, f.order))
            order += 1
            picked += facts[:2]
    best: list[Fact] = []
    kept: list[frozenset[str]] = []
    for f in sorted(picked, key=lambda f: (-f.score, f.order)):
        words = _shape(f.sentence)
        if any(_alike(words, k) for k in kept):
            continue  # the same sentence with other figures says nothing new on page one
        kept.append(words)
        best.append(f)
        if len(best) == limit:
            break
    labels = [name for name, _ in CATEGORIES]
    return sorted(best, key=lambda f: (labels.index(f.category), f.order))
