"""The on-disk cache of compiled patterns and trigger analysis: read back, not recomputed, never trusted blindly."""

from __future__ import annotations

import re

import pytest

from editor.tone import fastregex, pattern_cache, triggers

PATTERNS = [
    (r"\b(?P<hit>(?:utter|complete) (?:idiots?|clowns?|morons?))\b", re.I),
    (r"(?-i:\b[A-Z]{2,6}\b) (?:said|says) (?:so|that)", re.I),
    (r"\b(?:never|not once) (?:again|before)\b", 0),
]
TEXT = "Those complete Idiots in MGMT said so; never again. NOT ONCE before."


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv("ONRECORD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ONRECORD_CACHE_DIR", raising=False)  # the data folder's own cache
    pattern_cache.forget()
    yield tmp_path
    pattern_cache.forget()


def _build() -> list:
    """What an engine build asks of the cache for each pattern."""
    out = []
    with pattern_cache.recording():
        for source, flags in PATTERNS:
            fast = fastregex.compile_fast(source, flags)
            folded = fastregex.compile_folded(source, flags)
            plain = fastregex.compile_plain(source, flags)
            out.append(
                (
                    [m.span() for m in fast.finditer(TEXT)],
                    None if folded is None else [m.span() for m in folded.finditer(TEXT.lower())],
                    [m.span() for m in plain.finditer(TEXT)],
                    plain.groupindex,
                    plain.flags,
                    triggers.necessary_sets(source, flags),
                    triggers.triggers(source, flags),
                )
            )
    return out


def _refuse(monkeypatch):
    def refuse(*_a):
        raise AssertionError("computed again instead of read from the cache")

    for name in ("_fast_data", "_folded_data"):
        monkeypatch.setattr(fastregex, name, refuse)
    for name in ("_necessary_sets", "_triggers"):
        monkeypatch.setattr(triggers, name, refuse)
    monkeypatch.setattr(fastregex, "_data", refuse)


def test_a_second_build_reads_everything_back_and_gets_the_same_patterns(fresh, monkeypatch):
    first = _build()
    assert pattern_cache.path().is_file()
    assert oct(pattern_cache.path().parent.stat().st_mode & 0o777) == "0o700"
    assert oct(pattern_cache.path().stat().st_mode & 0o777) == "0o600"
    pattern_cache.forget()
    _refuse(monkeypatch)
    assert _build() == first
    # and the same as re itself
    for (source, flags), got in zip(PATTERNS, first, strict=True):
        assert got[2] == [m.span() for m in re.finditer(source, TEXT, flags)]
        assert got[4] == re.compile(source, flags).flags


def test_outside_an_engine_build_nothing_is_written(fresh):
    fastregex.compile_fast(PATTERNS[0][0], PATTERNS[0][1])
    pattern_cache.save()
    assert not pattern_cache.path().exists()


@pytest.mark.parametrize(
    "damage",
    [b"", b"not zlib at all", b"x\x9c\x03\x00\x00\x00\x00\x01", "zlib json of another shape"],
)
def test_a_damaged_or_foreign_file_is_ignored_and_rewritten(fresh, damage):
    import json
    import zlib

    reference = _build()
    path = pattern_cache.path()
    if damage == "zlib json of another shape":
        raw = json.loads(zlib.decompress(path.read_bytes()))
        raw["entries"] = {k: [1, "!!notbase64", 0, {}, []] for k in raw["entries"]}
        damage = zlib.compress(json.dumps(raw).encode())
    path.write_bytes(damage)
    pattern_cache.forget()
    assert _build() == reference
    pattern_cache.forget()
    raw = json.loads(zlib.decompress(path.read_bytes()))
    assert raw["salt"] and raw["entries"]


def test_entries_of_another_python_or_engine_version_are_not_used(fresh, monkeypatch):
    _build()
    pattern_cache.forget()
    monkeypatch.setattr(pattern_cache, "FORMAT", pattern_cache.FORMAT + 1)  # the salt changes
    computed = []
    real = fastregex._fast_data
    monkeypatch.setattr(fastregex, "_fast_data", lambda *a: computed.append(a) or real(*a))
    _build()
    assert len(computed) == len(PATTERNS)


def test_a_folder_that_cannot_be_written_only_costs_the_next_start(fresh):
    blocker = fresh / "cache"
    blocker.write_text("a file where the folder would be")
    assert _build()  # no error
    assert blocker.is_file()


def test_damaged_code_that_decodes_is_compiled_again(fresh):
    """An entry that decodes but holds code ``_sre`` refuses (a flipped word) is compiled again."""
    import base64
    import json
    import zlib
    from array import array

    reference = _build()
    path = pattern_cache.path()
    raw = json.loads(zlib.decompress(path.read_bytes()))
    for value in raw["entries"].values():
        if isinstance(value, list) and len(value) == 5:
            code = array(pattern_cache._CODE)
            code.frombytes(base64.b64decode(value[1]))
            code[len(code) // 2] = 0xFFFF  # no such opcode or offset
            value[1] = base64.b64encode(code.tobytes()).decode()
    path.write_bytes(zlib.compress(json.dumps(raw).encode()))
    pattern_cache.forget()
    assert _build() == reference
