"""What the grammar checker sends to LanguageTool and how offsets map back: pure text, no server needed."""

from __future__ import annotations

import json
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.fileformat import parse
from editor.grammar.checker import severity_of
from editor.grammar.locate import LocalInstall, NotAvailable, RemoteServer, is_loopback_host, locate
from editor.grammar.prose import prose_chunks
from editor.settings import GrammarSettings

DRAFT = """---
title: Their is a problem with the the deploy
people:
  - {name: Mark Ellis, role: Director of Platform, power: high}
---

# Thesis
Their is a problem with the the deploy process.

## Point: On-call load is driving people out

### Incident: Six weekends of pages
From July to **September** the team was paged on [six weekends](https://example.com/pages).
He wrote "we was going to fix it" in the `deploy-tool` ticket.
Enabled by: Mark Ellis

> Their quoted words stay theirs.

```
code is not prose
```

- first item of a list
- second item
"""


def chunks_of(text: str):
    doc = parse(text)
    return prose_chunks(doc.text, doc.front_matter_end)


def test_only_prose_is_sent_and_each_character_maps_back():
    text = DRAFT
    chunks = chunks_of(text)
    sent = [c.text for c in chunks]
    assert sent == [
        "Their is a problem with the the deploy process.",
        "On-call load is driving people out",
        "Six weekends of pages",
        'From July to September the team was paged on six weekends. He wrote "we was going to fix it" in the '
        "deploy-tool ticket.",
        "Their quoted words stay theirs.",
        "first item of a list",
        "second item",
    ]
    body_start = parse(text).front_matter_end
    for c in chunks:
        assert len(c.origins) == len(c.text)
        assert all(o >= body_start for o in c.origins)  # nothing from the front matter
        for ch, at in zip(c.text, c.origins, strict=True):
            assert ch == text[at] or (ch == " " and text[at].isspace())


def test_quotations_code_and_urls_are_quiet():
    text = DRAFT
    chunk = next(c for c in chunks_of(text) if c.text.startswith("From July"))
    quiet = {text[a:b] for a, b in chunk.quiet}
    assert {"we was going to fix it", "deploy-tool"} <= quiet
    block = next(c for c in chunks_of(text) if c.text.startswith("Their quoted"))
    a = text.index("Their quoted")
    assert block.is_quiet(a, a + 5)
    thesis = chunks_of(text)[0]
    a = text.index("Their is")
    assert not thesis.is_quiet(a, a + 5)


def test_file_span_and_exactness_across_markup():
    text = "The plan **has** has a gap.\nThe the\nlist was long.\n"
    (first,) = chunks_of(text)
    assert first.text == "The plan has has a gap. The the list was long."
    i = first.text.index("has has")
    fs, fe = first.file_span(i, len("has has"))
    assert text[fs:fe] == "has** has"
    assert not first.is_exact(text, i, len("has has"))  # replacing it would eat the closing **
    j = first.text.index("The the")
    fs, fe = first.file_span(j, len("The the"))
    assert text[fs:fe] == "The the"
    k = first.text.index("the list")
    fs, fe = first.file_span(k, len("the list"))
    assert text[fs:fe] == "the\nlist" and first.is_exact(text, k, len("the list"))


def test_criticmarkup_is_read_as_accepted_and_comments_are_not_sent():
    text = (
        "The {~~old~>new~~} plan {--teh bad bit--}works{>>Their is a\nproblem here<<}. "
        "We {++really ++}mean it{==this==}{>>note<<}.\n"
    )
    (chunk,) = chunks_of(text)
    assert chunk.text == "The new plan works. We really mean itthis."
    for a in chunk.origins:
        assert text[a] not in "{}~>-+=<"
    i = chunk.text.index("works")
    fs, fe = chunk.file_span(i, 6)  # "works." spans the removed comment
    assert text[fs:fe].startswith("works{>>") and text[fs:fe].endswith(".")
    assert not chunk.is_exact(text, i, 6)


def test_headings_lose_their_role_label_and_labels_alone_are_skipped():
    text = "# Thesis\nBody one.\n\n### Consequence\n\n## Point: Dates slip\n### Incident:\n# Ask\nFund it.\n"
    assert [c.text for c in chunks_of(text)] == ["Body one.", "Dates slip", "Fund it."]


def test_setext_underlines_tables_and_comments_are_not_prose():
    text = "A Title\n=======\n\nBody text.\n\n| a | b |\n|---|---|\n\n<!-- onrecord: ignore tone -->\nMore text.\n"
    assert [c.text for c in chunks_of(text)] == ["A Title", "Body text.", "More text."]


def test_astral_characters_keep_offsets():
    text = "🚀 Their is a problem 👩🏽‍💻 with the the deploy.\n"
    (chunk,) = chunks_of(text)
    i = chunk.text.index("the the")
    fs, fe = chunk.file_span(i, 7)
    assert text[fs:fe] == "the the"


def test_severity_follows_languagetool_category_and_issue_type():
    assert severity_of("TYPOS", "misspelling") == "warning"
    assert severity_of("GRAMMAR", "grammar") == "warning"
    assert severity_of("CONFUSED_WORDS", "misspelling") == "warning"
    assert severity_of("STYLE", "style") == "info"
    assert severity_of("TYPOGRAPHY", "typographical") == "info"
    assert severity_of("REDUNDANCY", "style") == "info"
    assert "error" not in {severity_of(c, i) for c in ("TYPOS", "GRAMMAR", "MISC") for i in ("grammar", "x")}


# -- where LanguageTool comes from ------------------------------------------------------------------------------


def test_default_settings_never_point_at_a_remote_server(monkeypatch, tmp_path):
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "ltp"))
    got = locate(GrammarSettings())
    assert not isinstance(got, RemoteServer)
    monkeypatch.setenv("ONRECORD_LANGUAGETOOL_CACHE", str(tmp_path / "none"))
    got = locate(GrammarSettings())
    assert isinstance(got, NotAvailable) and "make languagetool" in got.reason


def test_modes_off_url_folder(tmp_path, monkeypatch):
    assert "off" in locate(GrammarSettings(mode="off")).reason
    assert isinstance(locate(GrammarSettings(mode="nonsense")), NotAvailable)
    remote = locate(GrammarSettings(mode="url", url="https://lt.example.org/"))
    assert isinstance(remote, RemoteServer) and not remote.loopback and "lt.example.org" in remote.description
    local = locate(GrammarSettings(mode="url", url="http://127.0.0.1:8081"))
    assert isinstance(local, RemoteServer) and local.loopback
    assert isinstance(locate(GrammarSettings(mode="url", url="ftp://x")), NotAvailable)
    assert isinstance(locate(GrammarSettings(mode="url")), NotAvailable)
    assert "does not exist" in locate(GrammarSettings(mode="folder", folder=str(tmp_path / "nope"))).reason
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "languagetool-server.jar" in locate(GrammarSettings(mode="folder", folder=str(empty))).reason
    # a standalone LanguageTool download: LanguageTool-X.Y/languagetool-server.jar inside the folder
    for version in ("6.5", "6.10"):
        (empty / f"LanguageTool-{version}").mkdir()
        (empty / f"LanguageTool-{version}" / "languagetool-server.jar").write_bytes(b"PK")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk"))
    java = tmp_path / "jdk" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("#!/bin/sh\n")
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    got = locate(GrammarSettings(mode="folder", folder=str(empty)))
    assert isinstance(got, LocalInstall)
    assert got.classpath[0].parent.name == "LanguageTool-6.10" and got.java == str(java)


def test_auto_mode_uses_a_running_loopback_server_named_in_the_environment(monkeypatch):
    monkeypatch.setenv("ONRECORD_LANGUAGETOOL_URL", "http://127.0.0.1:8081/")
    got = locate(GrammarSettings())
    assert isinstance(got, RemoteServer) and got.loopback
    monkeypatch.setenv("ONRECORD_LANGUAGETOOL_URL", "https://api.languagetool.org/")
    assert isinstance(locate(GrammarSettings()), NotAvailable)


def test_managed_mode_does_not_download_unless_allowed(tmp_path, monkeypatch):
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "ltp"))
    got = locate(GrammarSettings(mode="managed"), allow_download=False)
    assert isinstance(got, NotAvailable) and "not been downloaded" in got.reason
    assert not (tmp_path / "ltp").exists()


def test_an_incomplete_cache_is_reported(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "classpath.txt").write_text(os.pathsep.join([str(tmp_path / "gone.jar")]))
    monkeypatch.setenv("ONRECORD_LANGUAGETOOL_CACHE", str(cache))
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "ltp"))
    got = locate(GrammarSettings())
    assert isinstance(got, NotAvailable) and "incomplete" in got.reason


@pytest.mark.parametrize(
    ("host", "loop"),
    [("localhost", True), ("127.0.0.1", True), ("127.8.0.1", True), ("::1", True), ("[::1]", True),
     ("10.0.0.1", False), ("languagetool.org", False)],
)  # fmt: skip
def test_loopback_hosts(host, loop):
    assert is_loopback_host(host) is loop


def test_settings_file_grammar_section_is_read(tmp_path):
    from editor.settings import load_settings, settings_path

    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(json.dumps({"grammar": {"mode": "url", "url": "http://127.0.0.1:9"}}))
    g = load_settings().grammar
    assert isinstance(locate(g), RemoteServer)


@pytest.mark.parametrize(
    ("front", "lang"),
    [("", "en-US"), ("language: en-GB\n", "en-GB"), ("language: en_gb\n", "en-GB"), ("lang: en-AU\n", "en-AU"),
     ("page_size: a4\n", "en-GB"), ("page_size: a4\nlanguage: en-US\n", "en-US"), ("language: klingon\n", "en-US")],
)  # fmt: skip
def test_the_english_variant_comes_from_the_front_matter(front, lang):
    from editor.grammar.checker import document_language

    assert document_language(parse(f"---\ntitle: x\n{front}---\n# Thesis\nText.\n")) == lang


_PIECES = ["word", " ", "\n", "\n\n", "# ", "**", "*", "_", "`", "[", "](", ")", "{++", "++}", "{--", "--}",
           "{~~", "~>", "~~}", "{>>", "<<}", "{==", "==}", '"', "“", "”", "> ", "- ", "1. ", "```", "<b>", "\\",
           "Enabled by: x", "|", "🚀", "é", "http://x.y/z", "<!--", "-->", "\r\n", "\t"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_any_text_maps_back_exactly(parts):
    text = "".join(parts)
    for c in prose_chunks(text):
        assert len(c.origins) == len(c.text) and c.text == c.text.strip() and "  " not in c.text
        assert list(c.origins) == sorted(set(c.origins))  # each sent character comes from its own place, in order
        for ch, at in zip(c.text, c.origins, strict=True):
            assert ch == text[at] or (ch == " " and text[at].isspace())
        for a, b in c.quiet:
            assert 0 <= a <= b <= len(text)
