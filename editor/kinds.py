"""Document kinds as data: built-in ones from templates/kinds, extra ones from the user's config folder."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from editor.fileformat import FORMAT_VERSION, dump_meta
from editor.paths import config_dir
from templates import KINDS_DIR

DEFAULT_KIND = "exit-interview"


@dataclass(frozen=True)
class SectionGuide:
    heading: str
    prompt: str
    example: str


@dataclass(frozen=True)
class Kind:
    id: str
    name: str
    description: str
    page_limit: int
    min_points: int
    max_points: int
    requires_ask: bool
    requires_decision_by: bool
    sections: dict[str, SectionGuide] = field(default_factory=dict)
    template: str = ""
    source: str = "built-in"

    @property
    def a_name(self) -> str:
        """The kind's name with its article, for messages: "an exit interview letter"."""
        name = self.name.lower()
        return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"

    def guide(self, role: str) -> SectionGuide | None:
        return self.sections.get(role)


class KindError(ValueError):
    pass


def _kind_from_data(data: dict, source: str) -> Kind:
    if not isinstance(data, dict) or not data.get("id"):
        raise KindError("a kind needs at least an 'id'")
    points = data.get("points") or {}
    sections = {}
    for role, s in (data.get("sections") or {}).items():
        s = s or {}
        sections[str(role)] = SectionGuide(
            heading=str(s.get("heading", role.capitalize())),
            prompt=" ".join(str(s.get("prompt", "")).split()),
            example=str(s.get("example", "")).strip(),
        )
    return Kind(
        id=str(data["id"]),
        name=str(data.get("name", data["id"])),
        description=str(data.get("description", "")).strip(),
        page_limit=int(data.get("page_limit", 3)),
        min_points=int(points.get("min", 1)),
        max_points=int(points.get("max", 3)),
        requires_ask=bool(data.get("requires_ask", True)),
        requires_decision_by=bool(data.get("requires_decision_by", False)),
        sections=sections,
        template=str(
            data.get(
                "template",
                "# Thesis\n\n\n## Point: \n\n### Incident: \n\n\nEnabled by: \n\n### Consequence\n\n\n# Ask\n\n",
            )
        ),
        source=source,
    )


def _load_dir(folder: Path, source: str, kinds: dict[str, Kind], problems: list[str]) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        try:
            kind = _kind_from_data(yaml.safe_load(path.read_text(encoding="utf-8")), source)
        except (OSError, yaml.YAMLError, KindError, TypeError, ValueError, AttributeError) as exc:
            problems.append(f"{path}: {exc}")
            continue
        kinds[kind.id] = kind


def load_kinds(problems: list[str] | None = None) -> dict[str, Kind]:
    """All kinds by id; a user's kind with a built-in id overrides the built-in one."""
    kinds: dict[str, Kind] = {}
    problems = problems if problems is not None else []
    _load_dir(KINDS_DIR, "built-in", kinds, problems)
    _load_dir(config_dir() / "kinds", "user", kinds, problems)
    return kinds


def get_kind(kind_id: str | None) -> Kind:
    kinds = load_kinds()
    if kind_id and kind_id in kinds:
        return kinds[kind_id]
    return kinds[DEFAULT_KIND]


def new_document_text(kind: Kind, *, title: str = "", author: str = "", date: _dt.date | None = None) -> str:
    meta: dict = {
        "format": FORMAT_VERSION,
        "kind": kind.id,
        "title": title,
        "author": author,
        "date": (date or _dt.date.today()).isoformat(),
        "page_size": "letter",
    }
    if kind.requires_decision_by:
        meta["decision_by"] = ""
    meta.update({"people": [], "recipients": [], "ignore": []})
    return f"---\n{dump_meta(meta)}---\n\n{kind.template}"
