"""Document → one sanitised HTML page, the single source of both the PDF and the GUI preview.

The writer's Markdown goes through Python-Markdown and then nh3 (export.sanitize); everything the
app adds around it (header block, At a glance box, stamps) is built here from escaped strings.
The page meter, the PDF and the preview all start from this function, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import threading
from collections import OrderedDict
from dataclasses import astuple, dataclass
from string import Template
from typing import Literal

import markdown

from editor.criticmarkup import accept_all
from editor.fileformat import parse
from editor.kinds import DEFAULT_KIND, load_kinds
from editor.model import Document, Person, Section
from editor.paths import config_dir
from editor.redaction import redact_text
from editor.settings import ExportSettings, load_settings
from export.consequences import glance_facts, plain_text
from export.guard import tame_markdown, too_deep
from export.sanitize import clean_body, clean_fragment
from export.themes import DEFAULT_THEME, PAGE_SIZES, Theme, available_themes, document_shell, get_theme, page_size_of

Marks = Literal["hide", "show"]
ROLE_LABELS = {"thesis": "In short", "ask": "What I am asking"}
_MD_EXTENSIONS = ["sane_lists", "smarty", "tables", "fenced_code"]
_ENABLED_BY = re.compile(
    r"<p>\s*(?:<(?:strong|em|b|i)>)?\s*Enabled by\s*:?\s*(?:</(?:strong|em|b|i)>)?\s*:?\s*(?P<rest>.*?)</p>",
    re.I | re.S,
)
DRAFT_PAGE_CSS = (
    '@page { @top-right { content: "DRAFT · not for distribution"; font-size: 9pt; color: #a01e1e;'
    " vertical-align: bottom; padding-bottom: 0.3in; } }"
)
_local = threading.local()
_cache: OrderedDict[tuple, str] = OrderedDict()
_cache_lock = threading.Lock()
_CACHE_SIZE = 16


@dataclass(frozen=True)
class Prepared:
    """The document as it will be printed: marks resolved or kept, names replaced when redacted."""

    doc: Document  # parsed from the printed text (offsets refer to ``doc.text``)
    glance_doc: Document  # the same with every mark accepted, for picking consequence sentences
    title: str
    author: str
    for_name: str
    mapping: dict[str, str]  # role phrase → name, when redacted


def _markdown(show_marks: bool) -> markdown.Markdown:
    """One Markdown converter per thread and mode (they are not thread-safe, and slow to build)."""
    key = "md_show" if show_marks else "md_hide"
    md = getattr(_local, key, None)
    if md is None:
        exts = [*_MD_EXTENSIONS, "pymdownx.critic"] if show_marks else list(_MD_EXTENSIONS)
        md = markdown.Markdown(extensions=exts, extension_configs={"pymdownx.critic": {"mode": "view"}})
        setattr(_local, key, md)
    return md


def _recipients(doc: Document) -> list:
    """The front matter's recipients when they are a list (``recipients: true`` is a writer's slip, not a crash)."""
    found = doc.meta.get("recipients")
    return found if isinstance(found, list) else []


def redaction_people(doc: Document) -> list[Person]:
    """Everyone a redacted copy must not name: the people registry, the recipients and the author."""
    people = list(doc.people)
    known = {p.name.casefold() for p in people}
    for r in _recipients(doc):
        if isinstance(r, dict) and r.get("name") and str(r["name"]).strip().casefold() not in known:
            people.append(Person(str(r["name"]).strip(), role=str(r.get("role") or "recipient").strip()))
            known.add(str(r["name"]).strip().casefold())
    if doc.author and doc.author.strip().casefold() not in known:
        people.append(Person(doc.author.strip(), role="author"))
    return people


def prepare(doc: Document, *, for_name: str | None = None, redact: bool = False, marks: Marks = "hide") -> Prepared:
    if marks not in ("hide", "show"):
        raise ValueError(f"marks must be 'hide' or 'show', not {marks!r}")
    body = doc.body
    if marks == "hide":
        body = accept_all(body)
    title, author, for_name = doc.title, doc.author, (for_name or "").strip()
    mapping: dict[str, str] = {}
    if redact:
        people = redaction_people(doc)
        red = redact_text(body, people)
        body, mapping = red.text, red.mapping
        title = redact_text(title, people).text
        author = _cap(redact_text(author, people).text)
        for_name = _cap(redact_text(for_name, people).text) if for_name else ""
    printed = _with_body(doc, body)
    glance = printed if marks == "hide" else _with_body(doc, accept_all(body))
    return Prepared(printed, glance, title, author, for_name, mapping)


def _with_body(doc: Document, body: str) -> Document:
    """The document read from a changed body, keeping the original front matter (no second YAML parse)."""
    if body == doc.body:
        return doc
    lead = "\n" if body.startswith("---") else ""  # a body's own '---' rule must not read as front matter
    out = parse(lead + body)
    out.meta = doc.meta
    return out


def kind_name(kind_id: str) -> str:
    """The kind's display name, cached while the user's kinds folder is unchanged (it is YAML to read)."""
    folder = config_dir() / "kinds"
    try:
        stamp = folder.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _kind_name(kind_id, str(folder), stamp)


@functools.lru_cache(maxsize=32)
def _kind_name(kind_id: str, _folder: str, _stamp: int) -> str:
    kinds = load_kinds()
    return (kinds.get(kind_id) or kinds[DEFAULT_KIND]).name


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def format_date(value: object, page_size: str) -> str:
    """'2 October 2026' on A4, 'October 2, 2026' on Letter; text that is not a date is kept as written."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            return value.strip()
    if isinstance(value, dt.date):
        month = value.strftime("%B")
        return f"{value.day} {month} {value.year}" if page_size == "a4" else f"{month} {value.day}, {value.year}"
    return "" if value is None else str(value)


def css_string(text: str) -> str:
    return '"' + re.sub(r"[\x00-\x1f\x7f]", " ", text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _inline(text: str) -> str:
    """Heading text: plain words, typographic apostrophes, escaped."""
    return _esc(re.sub(r"(?<=\w)'(?=\w)", "’", plain_text(text)))


def _recipient_role(doc: Document, name: str) -> str:
    for r in _recipients(doc):
        if isinstance(r, dict) and str(r.get("name") or "").strip().casefold() == name.casefold():
            return str(r.get("role") or "").strip()
    person = doc.person(name)
    return person.role if person else ""


def _header(p: Prepared, kind_label: str, page_size: str, redact: bool) -> str:
    doc = p.doc
    rows = []
    if p.author:
        rows.append(("From", p.author))
    if p.for_name:
        role = "" if redact else _recipient_role(doc, p.for_name)
        rows.append(("Prepared for", f"{p.for_name}, {role}" if role else p.for_name))
    date = format_date(doc.meta.get("date"), page_size)
    if date:
        rows.append(("Date", date))
    decide = format_date(doc.meta.get("decision_by"), page_size)
    if decide:
        rows.append(("Decision needed by", decide))
    table = "".join(
        f'<tr><th class="meta-label">{_esc(k)}</th><td class="meta-value">{_esc(v)}</td></tr>' for k, v in rows
    )
    title = p.title or kind_label
    return (
        f'<header class="doc-header"><p class="doc-kind">{_esc(kind_label)}</p>'
        f'<h1 class="doc-title">{_esc(title)}</h1>'
        + (f'<table class="meta">{table}</table>' if rows else "")
        + "</header>"
    )


def _glance(p: Prepared) -> str:
    facts = glance_facts(p.glance_doc)
    if not facts:
        return ""
    rows, last = [], None
    for f in facts:
        label = f.category if f.category != last else ""
        last = f.category
        text = re.sub(r"(?<=\w)'(?=\w)", "’", f.sentence)
        rows.append(f'<tr><th class="glance-label">{_esc(label)}</th><td class="glance-text">{_esc(text)}</td></tr>')
    return (
        '<aside class="glance" aria-label="At a glance"><p class="glance-title">At a glance: what this has cost</p>'
        f"<table>{''.join(rows)}</table></aside>"
    )


def _body_fragment(md: markdown.Markdown, text: str) -> str:
    if not text.strip():
        return ""
    md.reset()
    try:
        return clean_fragment(md.convert(tame_markdown(text)))
    except RecursionError as exc:  # past the guard's bounds all the same: one line for the writer
        md.reset()
        raise too_deep(exc) from None


def _enabled_by(fragment: str) -> str:
    return _ENABLED_BY.sub(
        lambda m: f'<p class="enabled-by"><span class="enabled-label">Enabled by</span> {m.group("rest").strip()}</p>',
        fragment,
    )


def _section(doc: Document, sec: Section, md: markdown.Markdown, point_no: int) -> str:
    body = _body_fragment(md, sec.body(doc.text))
    title = _inline(sec.title)
    if sec.role in ("thesis", "ask"):
        label = title or ROLE_LABELS[sec.role]
        return f'<section class="{sec.role}"><h2 class="section-label">{label}</h2>{body}</section>'
    if sec.role == "point":
        return f'<h2 class="point"><span class="point-num">{point_no}.</span> {title or "Point"}</h2>{body}'
    if sec.role == "incident":
        return f'<h3 class="incident">{title or "Incident"}</h3>{_enabled_by(body)}'
    if sec.role == "consequence":
        return f'<h4 class="consequence">{title or "Consequence"}</h4>{body}'
    level = min(max(sec.level + 1, 2), 4)
    return f'<h{level} class="other">{title}</h{level}>{body}'


def _page_css(page_size: str, opts: ExportSettings, for_name: str, draft: bool) -> str:
    css = [f"@page {{ size: {PAGE_SIZES[page_size]}; }}"]
    if opts.confidential_footer:
        footer = "Confidential" + (f" · prepared for {for_name}" if for_name else "")
        css.append(f"@page {{ @bottom-left {{ content: {css_string(footer)}; }} }}")
    if draft:
        css.append(DRAFT_PAGE_CSS)
    return "\n".join(css)


def resolve_theme(theme: str | None, doc: Document, opts: ExportSettings) -> Theme:
    """An explicit theme must exist; the front matter's or the settings' choice falls back to the default."""
    if theme:
        return get_theme(theme)
    for choice in (doc.meta.get("theme"), opts.theme):
        if isinstance(choice, str) and choice.strip().lower() in available_themes():
            return get_theme(choice)
    return get_theme(DEFAULT_THEME)


def render_html(
    doc: Document,
    *,
    theme: str | None = None,
    for_name: str | None = None,
    redact: bool = False,
    draft: bool = False,
    marks: Marks = "hide",
    over_limit: tuple[int, int] | None = None,
    settings: ExportSettings | None = None,
) -> str:
    """The printed page as HTML. ``over_limit`` = (pages, limit) adds OVER LIMIT to a draft's stamp."""
    opts = settings or load_settings().export
    key = (doc.text, theme, for_name, redact, draft, marks, over_limit, astuple(opts))
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    try:
        out = _render(doc, theme, for_name, redact, draft, marks, over_limit, opts)
    except RecursionError as exc:
        raise too_deep(exc) from None
    with _cache_lock:
        _cache[key] = out
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return out


def _render(doc, theme, for_name, redact, draft, marks, over_limit, opts: ExportSettings) -> str:
    chosen = resolve_theme(theme, doc, opts)
    page_size = page_size_of(doc.meta)
    p = prepare(doc, for_name=for_name, redact=redact, marks=marks)
    kind = kind_name(doc.kind)
    md = _markdown(marks == "show")
    parts = [_header(p, kind, page_size, redact)]
    if opts.at_a_glance:
        parts.append(_glance(p))
    if draft:
        extra = ""
        if over_limit:
            pages, limit = over_limit
            extra = f'<span class="over-limit">OVER LIMIT: {pages} pages, limit {limit}</span>'
        parts.append(f'<div class="draft-mark" aria-hidden="true">DRAFT{extra}</div>')
    text = p.doc.text
    first = p.doc.sections[0].start if p.doc.sections else len(text)
    preamble = _body_fragment(md, text[p.doc.front_matter_end : first])
    if preamble:
        parts.append(f'<div class="preamble">{preamble}</div>')
    point_no = 0
    for sec in p.doc.sections:
        point_no += sec.role == "point"
        parts.append(_section(p.doc, sec, md, point_no))
    body = clean_body("\n".join(parts))
    head_meta = []
    if p.author:
        head_meta.append(f'<meta name="author" content="{_esc(p.author)}">')
    if opts.producer_opt_in:
        head_meta.append('<meta name="generator" content="On Record">')
    css = chosen.css + "\n" + _page_css(page_size, opts, p.for_name, draft)
    return Template(document_shell()).substitute(
        lang="en",
        title=_esc(p.title or kind),
        head_meta="\n".join(head_meta),
        css=css,
        body_class="draft" if draft else "final",
        body=body,
    )
