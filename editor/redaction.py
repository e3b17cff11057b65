"""Names → roles for a copy that leaves the writer's hands ("the Director of Platform").

Reversible: the mapping is returned so the writer's side can put the names back when a
reviewed copy comes home.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from editor.model import Document, Person


@dataclass(frozen=True)
class Redaction:
    text: str
    mapping: dict[str, str]  # role phrase → real name


def _role_phrases(people: list[Person]) -> dict[str, str]:
    """A unique phrase per person; two people with one role become 'the Engineer (1)', '(2)'."""
    phrases: dict[str, str] = {}
    seen: dict[str, int] = {}
    for p in people:
        base = p.as_role
        seen[base] = seen.get(base, 0) + 1
    counter: dict[str, int] = {}
    for p in people:
        base = p.as_role
        if seen[base] > 1:
            counter[base] = counter.get(base, 0) + 1
            base = f"{base} ({counter[base]})"
        phrases[p.name] = base
    return phrases


def name_pattern(name: str) -> re.Pattern[str]:
    """Full name, and the first or last name alone when it is distinctive (3+ letters)."""
    parts = [re.escape(name)]
    words = [w for w in re.split(r"\s+", name.strip()) if len(w.strip(".")) >= 3 and not w.endswith(".")]
    if len(words) > 1:
        parts += [re.escape(words[0]), re.escape(words[-1])]
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?:['’]s)?(?![\w])")


def redact_text(text: str, people: list[Person]) -> Redaction:
    """Replaces every person's name (full, first or last) by their role phrase."""
    phrases = _role_phrases(people)
    out = text
    for p in sorted(people, key=lambda p: -len(p.name)):
        if not p.name:
            continue
        phrase = phrases[p.name]

        def sub(m: re.Match[str], phrase: str = phrase) -> str:
            possessive = m.group(0)[-2:] if m.group(0).endswith(("'s", "’s")) else ""
            return phrase + possessive

        out = name_pattern(p.name).sub(sub, out)
    return Redaction(out, {v: k for k, v in phrases.items()})


def redact_document(doc: Document) -> Redaction:
    return redact_text(doc.text, doc.people)


def unredact_text(text: str, mapping: dict[str, str]) -> str:
    for phrase in sorted(mapping, key=len, reverse=True):
        text = re.sub(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])", lambda _m, n=mapping[phrase]: n, text)
    return text
