"""Export of the sample documents: refusals, drafts, exact page counts, copies, metadata, notes."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pypdf
import pytest

from editor.errors import DocumentError
from editor.fileformat import parse, read_document
from editor.settings import Settings, save_settings
from export.fonts import missing_fonts, require_fonts
from export.layout import clear_cache, page_count
from export.notes import notes_pdf
from export.pdf import ExportRefused, export_pdf
from tests.conftest import DOCS

EXPECT = json.loads((DOCS / "expectations.json").read_text())
THEMES = ("executive", "modern")
PLAIN_DOCS = [
    "d1-good-exit",
    "d2-escalation-good",
    "d4-four-points",
    "d5-missing-links",
    "d6-rant",
    "d7-underperformer",
]
PLAIN_DOCS += ["d9-jargon-memo"]


def pdf_everything(path: Path) -> str:
    """All text a reader or a tool can pull out of the PDF: pages, metadata, outline, link targets."""
    reader = pypdf.PdfReader(str(path))
    parts = [page.extract_text() or "" for page in reader.pages]
    parts += [f"{k}={v}" for k, v in (reader.metadata or {}).items()]

    def walk(outline):
        for item in outline:
            if isinstance(item, list):
                walk(item)
            else:
                parts.append(str(item.title))

    walk(reader.outline)
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            a = annot.get_object()
            parts.append(str(a.get("/A", {}).get("/URI", "")) if "/A" in a else "")
            parts.append(str(a.get("/Contents", "")))
    return "\n".join(parts)


def page_texts(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in pypdf.PdfReader(str(path)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_sample_documents_are_all_covered():
    names = {p.stem for p in DOCS.glob("*.md")}
    assert names == {*PLAIN_DOCS, "d3-overlong", "d8-review-marks"}
    assert EXPECT["d3-overlong.md"]["errors"] == ["length.pages"]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", PLAIN_DOCS)
def test_sample_exports_and_the_meter_equals_the_pdf(tmp_path, name, theme):
    doc = read_document(DOCS / f"{name}.md")
    out = tmp_path / f"{name}.pdf"
    result = export_pdf(doc, out, theme=theme)
    pages = len(pypdf.PdfReader(str(out)).pages)
    assert result.pages == pages == page_count(doc, theme)
    assert not result.over_limit and not result.draft
    assert 1 <= pages <= 3
    assert "DRAFT" not in pdf_everything(out)


@pytest.mark.parametrize("theme", THEMES)
def test_overlong_document_is_refused_with_pages_and_words_to_cut(tmp_path, theme):
    doc = read_document(DOCS / "d3-overlong.md")
    out = tmp_path / "long.pdf"
    with pytest.raises(ExportRefused) as err:
        export_pdf(doc, out, theme=theme)
    pages = page_count(doc, theme)
    assert pages > 3
    assert f"{pages} pages" in str(err.value) and "Cut roughly" in str(err.value)
    assert [f.rule for f in err.value.findings] == ["length.pages"]
    assert not out.exists()


def test_overlong_draft_is_stamped_on_every_page(tmp_path):
    doc = read_document(DOCS / "d3-overlong.md")
    out = tmp_path / "long-draft.pdf"
    result = export_pdf(doc, out, draft=True)
    texts = page_texts(out)
    assert result.draft and result.over_limit and result.pages == len(texts) == page_count(doc)
    for text in texts:
        assert "DRAFT" in text and "OVER LIMIT" in text
    assert f"{result.pages} pages, limit 3" in flat(texts[0])


def test_review_marks_refuse_the_final_copy_and_a_draft_shows_them(tmp_path):
    doc = read_document(DOCS / "d8-review-marks.md")
    with pytest.raises(ExportRefused) as err:
        export_pdf(doc, tmp_path / "final.pdf")
    assert "4 unresolved review marks" in str(err.value)
    assert {f.rule for f in err.value.findings} == {"review.unresolved"}

    shown = export_pdf(doc, tmp_path / "review.pdf", draft=True, marks="show")
    text = flat(pdf_everything(shown.path))
    assert "DRAFT" in text and "Reviewer:" in text and "Give the week's dates" in text.replace("’", "'")
    assert "known for months" in text and "known since March" in text

    hidden = export_pdf(doc, tmp_path / "clean-draft.pdf", draft=True, marks="hide")
    text = flat(pdf_everything(hidden.path))
    assert "DRAFT" in text and "known since March" in text
    assert "known for months" not in text and "dispute the number" not in text and "honestly shocking" not in text


def test_non_final_export_becomes_a_draft_instead_of_refusing(tmp_path):
    result = export_pdf(read_document(DOCS / "d8-review-marks.md"), tmp_path / "x.pdf", final=False)
    assert result.draft and result.notes
    assert all("DRAFT" in t for t in page_texts(result.path))


def test_metadata_has_title_and_author_and_no_producer_by_default(tmp_path):
    doc = read_document(DOCS / "d1-good-exit.md")
    out = export_pdf(doc, tmp_path / "a.pdf").path
    meta = pypdf.PdfReader(str(out)).metadata
    assert meta.title == doc.title and meta.author == "Alex Moreno"
    assert "/Producer" not in meta and "/Creator" not in meta
    assert b"WeasyPrint" not in out.read_bytes() and b"weasyprint" not in out.read_bytes().lower()


def test_producer_only_when_the_writer_opts_in(tmp_path):
    s = Settings()
    s.export.producer_opt_in = True
    save_settings(s)
    out = export_pdf(read_document(DOCS / "d2-escalation-good.md"), tmp_path / "a.pdf").path
    meta = pypdf.PdfReader(str(out)).metadata
    assert meta["/Producer"] == "On Record"


HIDDEN = """---
title: Hidden things
author: Ann Writer
ignore: [tone.secretrulename, structure.hiddenrule]
people:
  - {name: Mark Ellis, role: Director of Platform, power: high}
---

# Thesis

Platform on-call rotations cost us three engineers this year. <!-- onrecord: ignore tone.commentrule -->
<!-- a private note: SECRETNOTE -->

## Point: Load

### Incident: Weekends

Six weekends of pages in Q3.{>>REVIEWERCOMMENT<<}

Enabled by: Mark Ellis

### Consequence

Three of five senior engineers resigned, costing 120,000 dollars.

# Ask

Cap on-call at one week in six.
"""


def test_no_hidden_text_reaches_the_pdf(tmp_path):
    doc = parse(HIDDEN)
    out = export_pdf(doc, tmp_path / "h.pdf", draft=True).path
    everything = pdf_everything(out)
    assert "three engineers" in everything
    for secret in ("secretrulename", "hiddenrule", "commentrule", "SECRETNOTE", "REVIEWERCOMMENT", "onrecord:"):
        assert secret not in everything


def test_redacted_copy_names_roles_in_text_and_metadata(tmp_path):
    text = HIDDEN.replace("title: Hidden things", "title: What Mark Ellis decided").replace("{>>REVIEWERCOMMENT<<}", "")
    doc = parse(text)
    out = export_pdf(doc, tmp_path / "r.pdf", redact=True).path
    everything = pdf_everything(out)
    for name in ("Mark", "Ellis", "Ann Writer", "Writer"):
        assert name not in everything
    assert "the Director of Platform" in everything
    meta = pypdf.PdfReader(str(out)).metadata
    assert meta.title == "What the Director of Platform decided" and meta.author == "The author"


def test_copy_for_a_recipient_says_prepared_for(tmp_path):
    doc = read_document(DOCS / "d1-good-exit.md")
    out = export_pdf(doc, tmp_path / "c.pdf", for_name="Diane Cho").path
    first = flat(page_texts(out)[0])
    assert "Prepared for Diane Cho, VP Engineering" in first
    assert "From Alex Moreno" in first and "Date 2 October 2026" in first


def test_page_numbers_say_n_of_total(tmp_path):
    out = export_pdf(read_document(DOCS / "d1-good-exit.md"), tmp_path / "p.pdf").path
    texts = page_texts(out)
    assert len(texts) == 2
    assert "1 of 2" in texts[0] and "2 of 2" in texts[1]


def test_at_a_glance_sums_up_the_consequences_on_page_one(tmp_path):
    doc = read_document(DOCS / "d1-good-exit.md")
    first = flat(page_texts(export_pdf(doc, tmp_path / "g.pdf").path)[0])
    box = first[first.index("AT A GLANCE") : first.index("IN SHORT")]
    assert "90,000 dollars" in box and "resigned" in box and "3,000 seats" in box
    assert "People" in box and "Customers and money" in box

    s = Settings()
    s.export.at_a_glance = False
    save_settings(s)
    first = flat(page_texts(export_pdf(doc, tmp_path / "n.pdf").path)[0])
    assert "AT A GLANCE" not in first


def test_at_a_glance_does_not_repeat_a_sentence_with_other_figures():
    from export.consequences import glance_facts

    facts = [f.sentence for f in glance_facts(read_document(DOCS / "d3-overlong.md"))]
    # d3 repeats one consequence template per point ("4 senior artists left … 150,000 dollars", "5 …", "6 …")
    assert len([f for f in facts if "senior artists left" in f]) == 1, facts
    d1 = [f.sentence for f in glance_facts(read_document(DOCS / "d1-good-exit.md"))]
    assert len(d1) == 4  # distinct facts that share words (ratings, seats, users) all stay


def test_confidential_footer_on_every_page_when_set(tmp_path):
    s = Settings()
    s.export.confidential_footer = True
    save_settings(s)
    out = export_pdf(read_document(DOCS / "d1-good-exit.md"), tmp_path / "f.pdf", for_name="Raj Patel").path
    for text in page_texts(out):
        assert "Confidential · prepared for Raj Patel" in flat(text)


@pytest.mark.parametrize("theme,family", [("executive", "Caladea"), ("modern", "Carlito")])
def test_fonts_are_the_named_families_and_embedded(tmp_path, theme, family):
    out = export_pdf(read_document(DOCS / "d2-escalation-good.md"), tmp_path / "f.pdf", theme=theme).path
    fonts = {}
    for page in pypdf.PdfReader(str(out)).pages:
        for f in page["/Resources"]["/Font"].values():
            f = f.get_object()
            desc = f.get("/FontDescriptor") or f["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            desc = desc.get_object()
            fonts[str(f["/BaseFont"])] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert any(family in name for name in fonts), fonts
    assert all(fonts.values()), f"not embedded: {fonts}"
    assert not any("DejaVu" in name for name in fonts)  # the fallback family was not needed


def test_missing_font_fails_clearly():
    assert missing_fonts(["Caladea", "Carlito"]) == []
    assert missing_fonts(["No Such Family 7"]) == ["No Such Family 7"]
    with pytest.raises(DocumentError, match="needs the font No Such Family 7"):
        require_fonts(["Caladea", "No Such Family 7"], "Test")


def test_unknown_theme_and_bad_output_are_clear_errors(tmp_path):
    doc = read_document(DOCS / "d1-good-exit.md")
    with pytest.raises(DocumentError, match="no theme called 'gothic'"):
        export_pdf(doc, tmp_path / "a.pdf", theme="gothic")
    with pytest.raises(DocumentError, match=r"must end in \.pdf"):
        export_pdf(doc, tmp_path / "d1-good-exit.md")
    with pytest.raises(DocumentError, match="does not exist"):
        export_pdf(doc, tmp_path / "nowhere" / "a.pdf")


def test_same_document_lays_out_the_same_every_time(tmp_path):
    doc = read_document(DOCS / "d1-good-exit.md")
    a = export_pdf(doc, tmp_path / "a.pdf")
    clear_cache()
    b = export_pdf(doc, tmp_path / "b.pdf")
    assert a.pages == b.pages
    assert page_texts(a.path) == page_texts(b.path)


def test_page_count_is_cached_and_follows_edits():
    doc = read_document(DOCS / "d1-good-exit.md")
    clear_cache()
    cold = time.perf_counter()
    first = page_count(doc)
    cold = time.perf_counter() - cold
    warm = time.perf_counter()
    assert page_count(doc) == first
    warm = time.perf_counter() - warm
    assert warm < cold and warm < 0.05
    longer = parse(
        doc.text.replace("# Ask", "## More\n\n" + "A sentence that adds length to the letter. " * 250 + "\n\n# Ask")
    )
    assert page_count(longer) > first


def test_speaking_notes_fit_one_page_with_thesis_points_and_ask(tmp_path):
    doc = read_document(DOCS / "d1-good-exit.md")
    out = notes_pdf(doc, tmp_path / "n.pdf").path
    texts = page_texts(out)
    assert len(texts) == 1
    t = flat(texts[0])
    assert "Release dates for the mobile app" in t
    assert "Dates are committed before the work is understood" in t and "Raised concerns do not reach a decision" in t
    assert "90,000 dollars" in t  # the strongest consequence of point 1
    assert "capacity review before the next planning cycle" in t
    assert "Talk first" in t


def test_speaking_notes_of_the_overlong_document_still_fit(tmp_path):
    out = notes_pdf(read_document(DOCS / "d3-overlong.md"), tmp_path / "n.pdf").path
    assert len(pypdf.PdfReader(str(out)).pages) == 1
