"""The structure guide: checks a Document against the method (DESIGN.md §1) and the kind's limits.

Each message says what to do next, in plain words, because the writer is under stress.
"""

from __future__ import annotations

import re

from editor.findings import Finding
from editor.kinds import Kind
from editor.model import Document, Section

CATEGORY = "structure"


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_AUX = _words(
    """
    am are aren't be been being can can't cannot could couldn't did didn't do does doesn't don't had
    hadn't has hasn't have haven't is isn't keeps kept may might must mustn't shall should shouldn't
    was wasn't were weren't will won't would wouldn't
    """
)
# Common base verbs of complaints and claims; inflections are derived below.
_VERBS = _words(
    """
    affect allow approve ask become believe block breach break bring burn bury buy cause change
    choose come commit continue cost create cut damage decide decrease delay demote deny depend
    destroy discourage divide drain drive enable encourage endanger erode excuse exhaust expose fail
    fall favor favour feel fire follow force get give go grow harm hear hide hire hurt ignore
    increase isolate keep kill know launch lead leak leave let lose make matter mean miss move need
    overload override overrule owe pay penalise penalize permit persist plan prevent promise promote
    protect prove pull punish push put quit reduce refuse reject release rely remain repeat reward
    rise risk run say see seem sell send set ship show shrink silence slow spend stall start stay
    stop strain suggest take tell think threaten tolerate treat turn undermine violate want waste
    win work
    """
)


def _verb_forms() -> set[str]:
    forms = set(_AUX)
    for v in _VERBS:
        forms.update({v, v + "s", v + "es", v + "ed", v + "d", v + "ing"})
        if v.endswith("e"):
            forms.add(v[:-1] + "ing")
        if v.endswith("y"):
            forms.update({v[:-1] + "ies", v[:-1] + "ied"})
    forms.update({"lost", "kept", "left", "made", "took", "given", "gave", "ran", "cut", "rose", "fell", "grew"})
    forms.update({"broke", "broken", "sent", "sold", "bought", "won", "told", "said", "saw", "seen", "knew"})
    forms.update({"thought", "became", "got", "gone", "went", "came", "brought", "spent", "hid", "hidden"})
    return forms


_VERB_FORMS = _verb_forms()
_PRONOUNS = {"i", "we", "they", "you", "he", "she", "it", "who", "that", "which", "people", "leadership", "management"}
_MATERIAL = re.compile(
    r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|thousand|million|billion|dozen|half|quarter|percent|per cent|"
    r"dollars?|pounds?|euros?|budget|revenue|cost|costs|costing|fees?|fines?|salary|salaries|money|sales|"
    r"contracts?|renewals?|customers?|clients?|users?|accounts?|patients?|churn(ed)?|"
    r"resign(ed|ation|ations)?|quit|left|leaving|attrition|turnover|departures?|hires?|hiring|"
    r"reputation|ratings?|reviews|press|brand|trust|complaints?|regulators?|lawsuits?|legal|audit|"
    r"breach|insurer|insurance|deadlines?|missed|delay(ed)?|outages?|incidents?|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"q[1-4]|weeks?|months?|years?|days?)\b",
    re.I,
)


def _strip_between(text: str, opener: str, closer: str) -> str:
    """Drops every opener…closer span in one linear pass; an unclosed opener is kept as text.

    A regex like ``<!--.*?-->`` rescans to the end for every unclosed opener, which is quadratic.
    """
    parts, at = [], 0
    while (start := text.find(opener, at)) != -1:
        end = text.find(closer, start + len(opener))
        if end == -1:
            break
        parts += [text[at:start], " "]
        at = end + len(closer)
    parts.append(text[at:])
    return "".join(parts)


def _clean(text: str) -> str:
    """Prose of a section without HTML comments or CriticMarkup comments."""
    return _strip_between(_strip_between(text, "<!--", "-->"), "{>>", "<<}").strip()


def _prose(doc: Document, s: Section) -> str:
    body = s.body(doc.text)
    body = re.sub(r"^[ \t]*\**Enabled by:?.*$", "", body, flags=re.M | re.I)
    return _clean(body)


def thesis_is_claim(thesis: str) -> tuple[bool, str]:
    """A claim has a verb and is not a question; returns (ok, why-not)."""
    first = re.split(r"(?<=[.!?])\s", thesis.strip(), maxsplit=1)[0].strip()
    if first.endswith("?"):
        return False, "question"
    words = [w.casefold().strip("'’-") for w in _WORD.findall(first)]
    for i, w in enumerate(words):
        if w in _VERB_FORMS and w not in _VERBS:
            return True, ""
        # A bare base form ("put", "fire") is a verb only after a subject: "practices put", "we lose".
        if (
            w in _VERBS
            and i > 0
            and (words[i - 1] in _PRONOUNS or (words[i - 1].endswith("s") and len(words[i - 1]) > 3))
        ):
            return True, ""
    # Past participles and -ing forms of verbs outside the list ("is underfunded", "sidelining").
    if any(len(w) > 4 and (w.endswith("ed") or w.endswith("ing")) for w in words[1:]):
        return True, ""
    return False, "topic"


def _finding(rule: str, severity: str, span: tuple[int, int], message: str, section: str = "") -> Finding:
    return Finding(f"{CATEGORY}.{rule}", CATEGORY, severity, span[0], span[1], message, None, section)


def _heading_span(doc: Document, s: Section) -> tuple[int, int]:
    end = doc.text.find("\n", s.start)
    return s.start, (end if end != -1 else len(doc.text))


def check_structure(doc: Document, kind: Kind, known_kind: bool = True) -> list[Finding]:
    out: list[Finding] = []
    top = (doc.front_matter_end, min(len(doc.text), doc.front_matter_end + 1))
    if not known_kind:
        out.append(
            _finding(
                "kind",
                "warning",
                (0, min(3, len(doc.text))),
                f"The document kind '{doc.meta.get('kind')}' is not known; it was checked as "
                f"'{kind.id}'. Pick a kind with 'onrecord kinds'.",
            )
        )
    out += _check_thesis(doc, top)
    out += _check_points(doc, kind, top)
    out += _check_ask(doc, kind, top)
    return out


def _check_thesis(doc: Document, top: tuple[int, int]) -> list[Finding]:
    if doc.thesis is None:
        return [
            _finding(
                "thesis",
                "error",
                top,
                "There is no thesis. Start with a '# Thesis' heading and one sentence that states "
                "what is wrong and what it costs.",
                "Thesis",
            )
        ]
    text = _prose(doc, doc.thesis)
    span = _heading_span(doc, doc.thesis)
    if not text:
        return [
            _finding(
                "thesis",
                "error",
                span,
                "The thesis is empty. Write one sentence that makes a claim a senior reader can act on.",
                "Thesis",
            )
        ]
    ok, why = thesis_is_claim(text)
    if ok:
        return []
    start = doc.thesis.body_start + doc.thesis.body(doc.text).find(text[:20])
    span = (start, start + len(text.split("\n")[0]))
    msg = (
        "The thesis is a question. State your answer as a claim instead, e.g. 'X is costing us Y'."
        if why == "question"
        else "The thesis reads as a topic, not a claim. Say what is wrong and what it is costing, "
        "e.g. 'The on-call policy is driving out our senior engineers'."
    )
    return [_finding("thesis_claim", "warning", span, msg, "Thesis")]


def _check_points(doc: Document, kind: Kind, top: tuple[int, int]) -> list[Finding]:
    out: list[Finding] = []
    n = len(doc.points)
    if n < kind.min_points:
        out.append(
            _finding(
                "points",
                "error",
                top,
                "There are no points yet. Add '## Point: ...' with the top reason your thesis is true.",
                "Points",
            )
        )
    elif n > kind.max_points:
        extra = doc.points[kind.max_points]
        out.append(
            _finding(
                "points",
                "error",
                _heading_span(doc, extra.section),
                f"This document has {n} points; {kind.a_name} keeps to at most "
                f"{kind.max_points}. Merge or drop the weakest so the strongest get read.",
                extra.section.label(),
            )
        )
    underperformers = [p for p in doc.people if p.perceived_underperformer]
    for point in doc.points:
        label = point.section.label()
        head = _heading_span(doc, point.section)
        if not point.incidents:
            out.append(
                _finding(
                    "incident",
                    "error",
                    head,
                    "This point has no incident. Add '### Incident: ...' with a concrete story: "
                    "when, what happened, who allowed it.",
                    label,
                )
            )
        if not point.consequences:
            out.append(
                _finding(
                    "consequence",
                    "error",
                    head,
                    "This point has no consequence. Add '### Consequence' saying what it cost: "
                    "people who left, customers, money, dates, reputation.",
                    label,
                )
            )
        for inc in point.incidents:
            out += _check_incident(doc, inc, label)
        for cons in point.consequences:
            text = _prose(doc, cons)
            if not text:
                out.append(
                    _finding(
                        "consequence",
                        "error",
                        _heading_span(doc, cons),
                        "This consequence is empty. Say what it cost, with numbers if you can.",
                        label,
                    )
                )
            elif not _MATERIAL.search(text):
                out.append(
                    _finding(
                        "consequence_material",
                        "warning",
                        _heading_span(doc, cons),
                        "This consequence names nothing material. Add who left, which customers, how "
                        "much money, which date or what it did to the company's reputation.",
                        label,
                    )
                )
        for person in underperformers:
            for part in [*(i.section for i in point.incidents), *point.consequences]:
                for m in _name_matches(doc.text, person.name, part.body_start, part.end):
                    out.append(
                        _finding(
                            "underperformer",
                            "warning",
                            m,
                            f"{person.name} is seen as an underperformer; evidence that rests on them "
                            "can be used to dismiss the whole document. Use another example or a figure.",
                            label,
                        )
                    )
    return out


def _name_matches(text: str, name: str, start: int, end: int) -> list[tuple[int, int]]:
    pattern = re.compile(r"\b" + re.escape(name) + r"\b", re.I)
    spans = [(m.start(), m.end()) for m in pattern.finditer(text, start, end)]
    if not spans and " " in name:
        first = re.compile(r"\b" + re.escape(name.split()[0]) + r"\b")
        spans = [(m.start(), m.end()) for m in first.finditer(text, start, end)]
    return spans


def _check_incident(doc: Document, inc, label: str) -> list[Finding]:
    out: list[Finding] = []
    head = _heading_span(doc, inc.section)
    if not _prose(doc, inc.section):
        out.append(
            _finding(
                "incident",
                "error",
                head,
                "This incident is empty. Tell what happened: when, where, and what it led to.",
                label,
            )
        )
    if not inc.enabled_by:
        out.append(
            _finding(
                "enabled_by",
                "error",
                head,
                "This incident does not say who enabled it. Add a line 'Enabled by: NAME' naming the "
                "higher-up who allowed or encouraged it.",
                label,
            )
        )
        return out
    span = inc.enabled_by_span or head
    people = [doc.person(n) for n in inc.enabled_by]
    for name, person in zip(inc.enabled_by, people, strict=True):
        if person is None:
            out.append(
                _finding(
                    "enabled_by_unknown",
                    "warning",
                    span,
                    f"'{name}' is not in the people list. Add them with their role and power so the "
                    "checks can tell whether you are aiming up.",
                    label,
                )
            )
    known = [p for p in people if p is not None]
    if known and len(known) == len(people) and all(p.power == "low" for p in known):
        out.append(
            _finding(
                "enabled_by_low_power",
                "error",
                span,
                "Only low-power people are named as enabling this. Aim up: name the manager or "
                "leader who allowed it; blaming junior staff gets the document dismissed.",
                label,
            )
        )
    return out


def _check_ask(doc: Document, kind: Kind, top: tuple[int, int]) -> list[Finding]:
    out: list[Finding] = []
    if doc.ask is None:
        if kind.requires_ask:
            out.append(
                _finding(
                    "ask",
                    "error",
                    (len(doc.text), len(doc.text)),
                    "There is no Ask. End with '# Ask' and what you want the reader to do, specific "
                    "enough to say yes to.",
                    "Ask",
                )
            )
    elif not _prose(doc, doc.ask) and kind.requires_ask:
        out.append(
            _finding(
                "ask",
                "error",
                _heading_span(doc, doc.ask),
                "The Ask is empty. Say what you want the reader to do, and by when.",
                "Ask",
            )
        )
    if kind.requires_decision_by and not doc.meta.get("decision_by"):
        out.append(
            _finding(
                "decision_by",
                "error",
                (0, min(3, len(doc.text))),
                "An escalation memo needs a decision date. Set 'decision_by:' in the details and say it in the Ask.",
                "Ask",
            )
        )
    return out
