"""weasyprint never reads local files or the network for a document, and the HTML is sanitised."""

from __future__ import annotations

import base64
import http.server
import threading
from pathlib import Path

import pypdf
import pytest

from editor.fileformat import parse
from export.fetcher import RefusedURL, SealedFetcher
from export.html import render_html
from export.layout import render
from export.pdf import export_pdf
from tests.test_export import pdf_everything

MARKER = "LEAKEDBYCSS"


@pytest.fixture
def web_server():
    """A real HTTP server on loopback that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(f'body::before {{ content: "{MARKER}-NET" }}'.encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def hostile_document(tmp_path: Path, web: str) -> str:
    css = tmp_path / "evil.css"
    css.write_text(f'body::after {{ content: "{MARKER}" }} p {{ color: red }}')
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETFILECONTENT")
    return f"""---
title: Hostile
author: Someone
---

# Thesis

Plain words stay in the document.

<img src="file:///etc/hostname">
![x](file:///etc/passwd)
<img src="{web}/pixel.png">
<style>@import url("file://{css}"); @import url("{web}/net.css");</style>
<link rel="stylesheet" href="file://{css}">
<link rel="stylesheet" href="{web}/linked.css">
<link rel="attachment" href="file:///etc/passwd">
<a rel="attachment" href="file://{secret}">attached</a>
<iframe src="file://{secret}"></iframe>
<object data="file://{secret}"></object>
<embed src="file://{secret}">
<script>document.write("SCRIPTRAN")</script>
<svg><image href="file://{secret}"/></svg>
<p style="background: url(file://{secret})">styled</p>
[local link](file://{secret}) and [web link](https://example.org/report)

# Ask

Nothing else.
"""


def test_hostile_document_yields_a_clean_pdf(tmp_path, web_server):
    web, hits = web_server
    doc = parse(hostile_document(tmp_path, web))
    out = export_pdf(doc, tmp_path / "out.pdf").path
    reader = pypdf.PdfReader(str(out))
    everything = pdf_everything(out)
    assert "Plain words stay in the document." in everything
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "no-hostname"
    for leaked in (MARKER, "root:", "TOPSECRETFILECONTENT", "SCRIPTRAN", "file:", "/etc/passwd"):
        assert leaked not in everything
    if len(hostname) >= 6:
        assert hostname not in everything
    assert reader.attachments == {}
    assert "/Names" not in reader.trailer["/Root"] or "/EmbeddedFiles" not in reader.trailer["/Root"]["/Names"]
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        assert not any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values())
        for annot in page.get("/Annots") or []:
            a = annot.get_object()
            assert a.get("/Subtype") != "/FileAttachment"
            uri = str(a.get("/A", {}).get("/URI", ""))
            assert uri == "" or uri.startswith("https://")
    assert hits == []
    assert not any(b"TOPSECRETFILECONTENT" in chunk for chunk in [out.read_bytes()])


def test_sanitised_html_carries_none_of_the_hostile_markup(tmp_path):
    page = render_html(parse(hostile_document(tmp_path, "http://127.0.0.1:9")))
    body = page[page.index("<body") :]
    for bad in (
        "<img",
        "<link",
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "<svg",
        "style=",
        "file:",
        "rel=",
        "@import",
    ):
        assert bad not in body
    assert '<a href="https://example.org/report">web link</a>' in body


def test_the_fetcher_alone_blocks_files_and_network_even_without_sanitising(tmp_path, web_server):
    """Defence in depth: raw, unsanitised HTML straight into the layout still reads nothing."""
    web, hits = web_server
    secret = tmp_path / "secret.css"
    secret.write_text(f'body::after {{ content: "{MARKER}" }}')
    raw = (
        f'<html><head><link rel="stylesheet" href="file://{secret}"><link rel="stylesheet" href="{web}/a.css">'
        f'<link rel="attachment" href="file:///etc/passwd"><style>@import url("file://{secret}");</style></head>'
        f'<body><p>Visible</p><img src="file:///etc/hostname"><img src="{web}/b.png">'
        f'<a rel="attachment" href="file:///etc/passwd">x</a></body></html>'
    )
    rendered = render(raw)
    pdf = tmp_path / "raw.pdf"
    pdf.write_bytes(rendered.write_pdf())  # no seal(): weasyprint tries the attachment and the fetcher says no
    reader = pypdf.PdfReader(str(pdf))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Visible" in text and MARKER not in text
    assert reader.attachments == {}
    assert hits == []


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://127.0.0.1/x.png", "https://example.org/x.css", "ftp://x/y", "data:text/css,p{}"],
)
def test_fetcher_refuses_everything_but_embedded_images(url):
    fetcher = SealedFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused


def test_fetcher_serves_an_embedded_image():
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
    )
    resp = SealedFetcher().fetch("data:image/png;base64," + base64.b64encode(png).decode())
    assert resp.read() == png and resp.content_type == "image/png"
