"""The themes keep a page honest, read from the real layout: margins, type size, line height, breaks."""

from __future__ import annotations

import pypdf
import pytest

from editor.fileformat import parse, read_document
from export.html import render_html
from export.layout import render
from export.pdf import export_pdf
from export.themes import available_themes
from tests.conftest import DOCS

PX_PER_PT = 96 / 72
INCH_PX = 96.0
THEMES = ("executive", "modern")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def walk(box, ancestors=()):
    """Yields (box, ancestor elements' tag.class strings) over the whole box tree."""
    element = getattr(box, "element", None)
    here = ancestors
    if element is not None and getattr(box, "element_tag", None):
        here = (*ancestors, f"{box.element_tag}.{element.get('class') or ''}")
    yield box, here
    for child in getattr(box, "children", []) or []:
        yield from walk(child, here)


def with_size(text: str, size: str) -> str:
    return text.replace("page_size: a4\n", "").replace("---\nformat: 1\n", f"---\nformat: 1\npage_size: {size}\n", 1)


def test_both_themes_exist_with_exact_font_families():
    themes = available_themes()
    assert {"executive", "modern"} <= set(themes)
    assert themes["executive"].fonts[0] == "Caladea" and themes["modern"].fonts[0] == "Carlito"
    assert "nested" not in themes["executive"].css and "display: flex" not in themes["executive"].css


@pytest.mark.parametrize("size", ["letter", "a4"])
@pytest.mark.parametrize("theme", THEMES)
def test_margins_type_size_and_line_height_are_honest(theme, size):
    doc = parse(with_size((DOCS / "d1-good-exit.md").read_text(), size))
    rendered = render(render_html(doc, theme=theme))
    body_texts = 0
    for page in rendered.pages:
        box = page._page_box
        for side in ("margin_top", "margin_right", "margin_bottom", "margin_left"):
            assert getattr(box, side) >= INCH_PX - 0.01, f"{side} is under 1 inch (2.54 cm)"
        for b, ancestors in walk(box):
            if type(b).__name__ != "TextBox" or not b.text.strip():
                continue
            where = " ".join(ancestors)
            if "header." in where or "aside." in where or "@" in where:
                continue
            tag = ancestors[-1].split(".")[0] if ancestors else ""
            if tag in ("p", "li", "td") or any(a.startswith(("p.", "li.")) for a in ancestors):
                if "span.enabled-label" in where or "span.point-num" in where:
                    continue
                size_pt = b.style["font_size"] / PX_PER_PT
                assert size_pt >= 11 - 1e-6, f"{b.text!r} is {size_pt:.1f} pt"
                lh = b.style["line_height"]
                ratio = lh if isinstance(lh, (int, float)) else lh.value / b.style["font_size"]
                assert ratio >= 1.3, f"{b.text!r} has line height {ratio}"
                body_texts += 1
    assert body_texts > 20


@pytest.mark.parametrize("size,points", [("letter", (612, 792)), ("a4", (595, 842))])
def test_page_size_comes_from_the_front_matter(tmp_path, size, points):
    doc = parse(with_size((DOCS / "d1-good-exit.md").read_text(), size))
    out = export_pdf(doc, tmp_path / "s.pdf").path
    box = pypdf.PdfReader(str(out)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == points


def _last_flow_block(page):
    """The last block on the page's body flow (not the page-margin boxes)."""
    last = None
    for b, ancestors in walk(page._page_box):
        if "@" in " ".join(ancestors) or type(b).__name__ in ("TextBox", "LineBox", "InlineBox"):
            continue
        tag = getattr(b, "element_tag", "")
        if tag in HEADINGS or (tag in ("p", "li", "table", "aside", "header") and type(b).__name__ == "BlockBox"):
            last = b
    return last


def dense_headings(lead_lines: int) -> str:
    """A letter with a heading every few lines; ``lead_lines`` shifts everything down one line at a time."""
    lead = " ".join(["The rota had no second person on nights or weekends for the whole quarter."] * lead_lines)
    parts = ["---\ntitle: Dense\nauthor: A. Writer\n---\n\n# Thesis\n\n", lead or "Short.", "\n\n"]
    for p in range(1, 4):
        parts.append(f"## Point: Point number {p} about the load\n\n")
        for i in range(1, 4):
            parts.append(
                f"### Incident: Incident {p}.{i}\n\nOn a weekend in July the team was paged six times in one "
                f"night and nobody could reach the manager on call.\n\nEnabled by: Someone\n\n### Consequence\n\n"
                f"One engineer resigned in August.\n\n"
            )
    parts.append("# Ask\n\nFund a second rota this quarter.\n")
    return "".join(parts)


@pytest.mark.parametrize("theme", THEMES)
def test_no_heading_is_left_alone_at_the_foot_of_a_page(theme):
    """Shifting a heading-dense letter one line at a time puts a page break next to every kind of heading."""
    checked = 0
    for lead_lines in range(0, 12):
        rendered = render(render_html(parse(dense_headings(lead_lines)), theme=theme))
        for page in rendered.pages[:-1]:
            last = _last_flow_block(page)
            assert last is not None
            assert last.element_tag not in HEADINGS, f"{last.element_tag} alone at a page foot (lead {lead_lines})"
            checked += 1
    assert checked >= 12


def test_header_block_has_title_from_prepared_for_and_date():
    doc = read_document(DOCS / "d2-escalation-good.md")
    page = render_html(doc, for_name="Peter Quinn")
    for piece in (
        '<h1 class="doc-title">The warehouse fire doors are blocked during peak season</h1>',
        '<th class="meta-label">From</th><td class="meta-value">Kofi Mensah</td>',
        '<th class="meta-label">Prepared for</th><td class="meta-value">Peter Quinn, Regional Operations Director</td>',
        '<th class="meta-label">Date</th><td class="meta-value">November 3, 2026</td>',
        '<th class="meta-label">Decision needed by</th><td class="meta-value">November 17, 2026</td>',
    ):
        assert piece in page


def test_widows_orphans_and_keep_with_next_are_in_the_css():
    for theme in available_themes().values():
        css = theme.css.replace("\n", " ")
        assert "orphans: 3" in css and "widows: 3" in css
        assert "break-after: avoid" in css
