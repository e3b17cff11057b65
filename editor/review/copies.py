"""Review copies: the ``.md`` a reviewer gets (names → roles if the writer wishes) and the record the
writer keeps of it, so the names can be put back when the marked-up copy comes home.

The copy drops what a proofreader does not need (recipients, earlier copies) and replaces the people
registry by roles. The writer's file keeps ``review_copies:`` entries with the copy's id and the
role → name mapping; the copy carries only its id, never a name.
"""

from __future__ import annotations

import re
import secrets
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime

from editor.criticmarkup import find_marks
from editor.fileformat import parse, with_meta
from editor.model import Document, Person
from editor.redaction import name_pattern, redact_text
from editor.review.frontmatter import set_meta_keys
from editor.review.log import carry, now_stamp, read_log

COPIES_KEY = "review_copies"
COPY_KEY = "review_copy"
_DROPPED_FROM_COPY = ("recipients", COPIES_KEY)


@dataclass(frozen=True)
class Redacted:
    """A redacted text with the spans it replaced, so offsets map back to the original."""

    text: str
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # (orig_a, orig_b, red_a, red_b)

    def to_original(self, offset: int, *, side: str = "start") -> int:
        """The original offset for a redacted one; inside a replaced phrase it snaps to its start or end."""
        ix = bisect_right([s[2] for s in self.spans], offset) - 1
        if ix < 0:
            return offset
        oa, ob, ra, rb = self.spans[ix]
        if offset >= rb:
            return ob + (offset - rb)
        if offset == ra:
            return oa
        return oa if side == "start" else ob


def redact_with_spans(text: str, phrases: dict[str, str]) -> Redacted:
    """Replaces each name (full, first or last, possessive kept) by its phrase, recording every span.

    ``phrases`` maps a real name to its role phrase; longer names win where matches overlap, as in
    ``editor.redaction.redact_text``.
    """
    hits: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(phrases, key=len, reverse=True):
        if not name:
            continue
        for m in name_pattern(name).finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            possessive = m.group(0)[-2:] if m.group(0).endswith(("'s", "’s")) else ""
            hits.append((m.start(), m.end(), phrases[name] + possessive))
            taken.append((m.start(), m.end()))
    hits.sort()
    out, spans, at, shift = [], [], 0, 0
    for a, b, repl in hits:
        out.append(text[at:a])
        out.append(repl)
        spans.append((a, b, a + shift, a + shift + len(repl)))
        shift += len(repl) - (b - a)
        at = b
    out.append(text[at:])
    return Redacted("".join(out), spans)


def unredact(text: str, roles: dict[str, str]) -> str:
    """Puts names back for role phrases in text the reviewer wrote ("The Medical Director" too)."""
    for phrase in sorted(roles, key=len, reverse=True):
        pattern = re.escape(phrase)
        if phrase.startswith("the "):
            pattern = "[Tt]he " + re.escape(phrase[4:])
        text = re.sub(rf"(?<![\w]){pattern}(?![\w])", lambda _m, n=roles[phrase]: n, text)
    return text


@dataclass(frozen=True)
class ReviewCopy:
    text: str  # the whole file text of the copy
    copy_id: str
    sent: str
    redacted: bool
    roles: dict[str, str]  # role phrase → real name ({} when not redacted)

    def record(self) -> dict:
        """The entry the writer's file keeps for this copy."""
        entry: dict = {"id": self.copy_id, "sent": self.sent, "redacted": self.redacted}
        if self.roles:
            entry["roles"] = dict(self.roles)
        return entry


def make_review_copy(doc: Document, *, redact: bool, when: datetime | None = None) -> ReviewCopy:
    """The text of a review copy of ``doc`` (the writer's open marks stay in it, attributed)."""
    copy_id = secrets.token_hex(6)
    sent = now_stamp(when)
    meta = {k: v for k, v in doc.meta.items() if k not in _DROPPED_FROM_COPY}
    meta[COPY_KEY] = {"id": copy_id, "sent": sent, "redacted": redact}
    roles: dict[str, str] = {}
    text = with_meta(doc, meta)
    if redact:
        people = people_to_hide(doc)
        roles = redact_text("", people).mapping
        registry = {p.name for p in doc.people}
        meta["people"] = [
            {"name": phrase, "role": _role(people, name), "power": _power(people, name)}
            for phrase, name in roles.items()
            if name in registry
        ]
        # The people list now holds roles; names anywhere else (title, body, comments) are replaced here.
        text = redact_with_spans(with_meta(doc, meta), {n: p for p, n in roles.items()}).text
    old_marks = find_marks(doc.text, doc.front_matter_end)
    new_doc = parse(text)
    new_marks = find_marks(text, new_doc.front_matter_end)
    log = carry(old_marks, new_marks, read_log(doc.meta))
    if log or "reviews" in new_doc.meta:
        text = set_meta_keys(text, {"reviews": {k: e.as_yaml() for k, e in log.items()} or None})
    return ReviewCopy(text, copy_id, sent, redact, roles)


def people_to_hide(doc: Document) -> list[Person]:
    """Everyone a redacted copy must not name: the people registry, the recipients and the author
    (the same people the export's redacted PDF hides)."""
    people = list(doc.people)
    known = {p.name.casefold() for p in people}
    extra = [r for r in doc.meta.get("recipients") or [] if isinstance(r, dict) and r.get("name")]
    for r in extra:
        name = str(r["name"]).strip()
        if name.casefold() not in known:
            people.append(Person(name, role=str(r.get("role") or "recipient").strip()))
            known.add(name.casefold())
    if doc.author.strip() and doc.author.strip().casefold() not in known:
        people.append(Person(doc.author.strip(), role="author"))
    return people


def _role(people: list[Person], name: str) -> str:
    return next((p.role for p in people if p.name == name), "")


def _power(people: list[Person], name: str) -> str:
    return next((p.power for p in people if p.name == name), "medium")


def names_left(text: str, people: list[Person]) -> list[str]:
    """Names of people that still appear in a text (a redacted copy must return [])."""
    return [p.name for p in people if p.name and name_pattern(p.name).search(text)]


def record_copy(writer_text: str, copy: ReviewCopy) -> str:
    """The writer's text with this copy added to ``review_copies:`` (header only; the body is untouched)."""
    doc = parse(writer_text)
    raw = doc.meta.get(COPIES_KEY)
    entries = [e for e in raw if isinstance(e, dict)] if isinstance(raw, list) else []
    return set_meta_keys(writer_text, {COPIES_KEY: [*entries, copy.record()]})


def copy_roles(writer: Document, copy_meta: dict) -> dict[str, str]:
    """The role → name mapping for a reviewer's copy: the one recorded when it was sent, else today's people."""
    info = copy_meta.get(COPY_KEY)
    if not isinstance(info, dict):
        return {}
    raw = writer.meta.get(COPIES_KEY)
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, dict) and str(entry.get("id")) == str(info.get("id")):
            roles = entry.get("roles") or {}
            return {str(k): str(v) for k, v in roles.items()} if isinstance(roles, dict) else {}
    return redact_text("", people_to_hide(writer)).mapping if info.get("redacted") else {}


def sent_from(writer: Document, copy_meta: dict) -> bool:
    """Whether the writer's file recorded sending this copy."""
    info = copy_meta.get(COPY_KEY)
    raw = writer.meta.get(COPIES_KEY)
    if not isinstance(info, dict) or not isinstance(raw, list):
        return False
    return any(isinstance(e, dict) and str(e.get("id")) == str(info.get("id")) for e in raw)
