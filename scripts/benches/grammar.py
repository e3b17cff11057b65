"""Grammar (LanguageTool): server start-up, first check, one changed paragraph, a whole three-page document.

Uses the project's LanguageTool (``make languagetool``) on loopback with the app's heap cap. The
whole-document figure is measured with an empty cache (what opening a file costs); the one-paragraph
figure is what a pause in typing costs (everything else cached). For comparison, the raw body sent as
one request: the checker's cost over LanguageTool's own (it batches unseen paragraphs, caches each).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from editor.fileformat import parse
from editor.grammar import GrammarChecker, GrammarService
from editor.grammar.prose import prose_chunks
from editor.grammar.server import LocalServer
from editor.grammar.service import WARM_UP_TEXT, _client
from editor.settings import GrammarSettings

ROOT = Path(__file__).resolve().parents[2]
# ~1,600 words in 42 distinct paragraphs: a little over three pages (d3-overlong repeats its paragraphs,
# which the cache would flatter)
DOC = ROOT / "tests" / "fixtures" / "prose" / "dev_03_overlong_hospital.md"


def _row(ctx, name: str, times_s: list[float], **kw):
    ms = [t * 1000 for t in times_s]
    return ctx.Row(name, statistics.median(ms), min(ms), max(ms), len(ms), **kw)


def run(ctx) -> list:
    svc = GrammarService(GrammarSettings(mode="auto"), allow_download=False)
    if not svc.start():
        raise RuntimeError(svc.notice)
    rows = []
    try:
        # Start-up: a fresh server each time, to answering and then to its first check.
        starts, firsts = [], []
        for _ in range(3):
            server = LocalServer(svc.server.classpath, java=svc.server.java)
            try:
                began = time.perf_counter()
                url = server.start()
                starts.append(time.perf_counter() - began)
                client = _client(url)
                began = time.perf_counter()
                client.check(WARM_UP_TEXT)
                firsts.append(time.perf_counter() - began)
            finally:
                server.stop()
        rows.append(_row(ctx, "LanguageTool start-up (spawn to answering, -Xmx512m)", starts, target="< 10 s"))
        rows.append(_row(ctx, "LanguageTool first check (English rules load)", firsts))
        rows[-2].met = rows[-2].median_ms < 10_000

        text = DOC.read_text(encoding="utf-8")
        doc = parse(text)
        client = svc.checker.client()
        connect = svc.checker.connect

        def whole_document() -> None:
            GrammarChecker(connect).check_document(doc)

        med, lo, hi = ctx.measure(whole_document, runs=5, warmup=1)
        whole = ctx.Row(f"grammar check, whole {len(text.split())}-word document, empty cache", med, lo, hi, 5)

        body = text[doc.front_matter_end :]
        med, lo, hi = ctx.measure(lambda: client.check(body), runs=5, warmup=1)
        batch = ctx.Row("same body as one LanguageTool request (comparison)", med, lo, hi, 5)
        whole.ratio = f"{whole.median_ms / batch.median_ms:.2f}x the one-request time"

        warm = GrammarChecker(connect)
        warm.check_document(doc)
        para = next(c for c in prose_chunks(text, doc.front_matter_end) if len(c.text.split()) > 30)
        at = para.origins[para.text.index(" ") + 1]  # after the paragraph's first word
        counter = iter(range(10_000))

        def one_paragraph() -> None:
            edited = f"{text[:at]}(draft {next(counter)}) {text[at:]}"
            before = warm.sent_paragraphs
            warm.check_document(parse(edited))
            assert warm.sent_paragraphs == before + 1

        med, lo, hi = ctx.measure(one_paragraph, runs=9, warmup=1)
        rows.append(
            ctx.Row("grammar check after one paragraph changed (rest cached)", med, lo, hi, 9, target="< 300 ms")
        )
        rows[-1].met = med < 300
        med, lo, hi = ctx.measure(lambda: warm.check_document(doc), runs=9, warmup=1)
        rows.append(ctx.Row("grammar check, nothing changed (all cached)", med, lo, hi, 9))
        rows += [whole, batch]
    finally:
        svc.stop()
    return rows
