"""The document model: front matter plus a body read as thesis → points → incidents → consequences → ask.

The file text stays the source of truth; the model is a view with offsets into it, so anything
the writer typed that the structure does not know is kept verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass, field

POWER_LEVELS = ("high", "medium", "low")


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    role: str = ""
    power: str = "medium"
    perceived_underperformer: bool = False

    @property
    def as_role(self) -> str:
        """How a redacted copy names this person: "the Director of Platform"."""
        return f"the {self.role}" if self.role else "a colleague"


@dataclass(slots=True)
class Section:
    """One heading and the text under it (up to the next heading of any level)."""

    role: str  # thesis | point | incident | consequence | ask | other
    title: str  # words after "Point:", "Incident:" …; the heading text for other sections
    level: int
    start: int  # offset of the heading line
    body_start: int  # offset just after the heading line
    end: int  # offset where the next heading (or the file) starts

    def body(self, text: str) -> str:
        return text[self.body_start : self.end]

    def label(self) -> str:
        names = {"thesis": "Thesis", "ask": "Ask", "consequence": "Consequence"}
        if self.role in ("point", "incident"):
            prefix = self.role.capitalize()
            return f"{prefix}: {self.title}" if self.title else prefix
        return names.get(self.role, self.title or self.role)


@dataclass(slots=True)
class Incident:
    section: Section
    enabled_by: list[str] = field(default_factory=list)
    enabled_by_span: tuple[int, int] | None = None  # offsets of the names after "Enabled by:"


@dataclass(slots=True)
class Point:
    section: Section
    incidents: list[Incident] = field(default_factory=list)
    consequences: list[Section] = field(default_factory=list)

    @property
    def end(self) -> int:
        parts = [self.section, *(i.section for i in self.incidents), *self.consequences]
        return max(p.end for p in parts)


@dataclass(slots=True)
class Document:
    """A parsed On Record file. ``text`` is the whole file text, exactly as read."""

    text: str
    meta: dict
    front_matter_end: int  # offset where the body starts (0 without front matter)
    sections: list[Section] = field(default_factory=list)
    thesis: Section | None = None
    points: list[Point] = field(default_factory=list)
    ask: Section | None = None
    bom: bool = False

    @property
    def kind(self) -> str:
        return str(self.meta.get("kind") or "exit-interview")

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or "")

    @property
    def author(self) -> str:
        return str(self.meta.get("author") or "")

    @property
    def body(self) -> str:
        return self.text[self.front_matter_end :]

    @property
    def people(self) -> list[Person]:
        return people_from_meta(self.meta)

    @property
    def ignored_rules(self) -> list[str]:
        ignore = self.meta.get("ignore") or []
        return [str(r) for r in ignore] if isinstance(ignore, list) else [str(ignore)]

    def person(self, name: str) -> Person | None:
        key = name.strip().casefold()
        for p in self.people:
            if p.name.casefold() == key:
                return p
        return None

    def section_at(self, offset: int) -> Section | None:
        found = None
        for s in self.sections:
            if s.start <= offset:
                found = s
            else:
                break
        return found


def people_from_meta(meta: dict) -> list[Person]:
    """Reads the people registry leniently: a writer's typo must not make the file unusable."""
    out: list[Person] = []
    raw = meta.get("people") or []
    if not isinstance(raw, list):
        return out
    for item in raw:
        if isinstance(item, str):
            out.append(Person(name=item.strip()))
            continue
        if not isinstance(item, dict) or not item.get("name"):
            continue
        power = str(item.get("power") or "medium").strip().lower()
        out.append(
            Person(
                name=str(item["name"]).strip(),
                role=str(item.get("role") or "").strip(),
                power=power if power in POWER_LEVELS else "medium",
                perceived_underperformer=bool(item.get("perceived_underperformer", False)),
            )
        )
    return out
