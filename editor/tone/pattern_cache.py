"""What building the tone engine costs, kept on disk: compiled pattern code and trigger-word analysis.

The packs' lexicons expand into patterns of thousands of letters. Parsing, rewriting and compiling
them all took seconds on every start of the app and every ``onrecord lint``, before the first finding.
The results depend only on a pattern's text and flags and on the code that computed them, so one
engine build records them in the user's data folder (``cache``, private, 0700) and the next reads them back.
A missing, stale or damaged file is ignored and rewritten; ``_sre`` checks the code it is given.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import base64
import contextlib
import functools
import hashlib
import json
import os
import sys
import threading
import zlib
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from editor.errors import DocumentError
from editor.fileformat import write_bytes_atomic
from editor.paths import cache_dir, private_dir

FORMAT = 1
_CODE = "I" if array("I").itemsize == _sre.CODESIZE else "L"  # an array of SRE code words
_MODULES = ("editor.tone.fastregex", "editor.tone.triggers", "editor.tone.pattern_cache")

_lock = threading.Lock()
_local = threading.local()  # whether this thread is building an engine (only those builds are recorded)
_store: dict[str, Any] | None = None  # key -> encoded value, as read from disk plus what was added
_used: set[str] = set()
_dirty = False
_builds = 0  # engine builds recording now (in any thread)


@functools.cache
def _salt() -> str | None:
    """What the cached results depend on besides the patterns: Python's ``re`` and this code (its source,
    or in a frozen build the executable it is part of)."""
    h = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{_sre.MAGIC}\0{_sre.CODESIZE}".encode())
    try:
        for name in _MODULES:
            source = sys.modules[name].__spec__.loader.get_source(name)  # type: ignore[union-attr]
            if source is None:
                if not getattr(sys, "frozen", False):
                    return None
                stat = os.stat(sys.executable)
                source = f"{sys.executable}\0{stat.st_size}\0{stat.st_mtime_ns}"
            h.update(source.encode())
    except Exception:  # no source to hash (an unusual loader): no cache rather than a stale one
        return None
    return h.hexdigest()[:32]


def path() -> Path:
    return cache_dir() / "tone-patterns.json.z"


def _load() -> dict[str, Any]:
    global _store
    if _store is None:
        _store = {}
        salt = _salt()
        if salt is not None:
            try:
                raw = json.loads(zlib.decompress(path().read_bytes()))
                if isinstance(raw, dict) and raw.get("salt") == salt and isinstance(raw.get("entries"), dict):
                    _store = raw["entries"]
            except (OSError, ValueError, zlib.error):
                pass
    return _store


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """Within: results are read from and added to the cache. When the last build recording ends, a
    changed cache is saved and what was read is let go (tens of megabytes the app does not need)."""
    global _builds
    _local.on = True
    with _lock:
        _builds += 1
    try:
        yield
    finally:
        _local.on = False
        save()
        with _lock:
            _builds -= 1
        if not _builds:
            forget()


def memo(kind: str, source: str, flags: int, compute: Callable[[], Any], encode, decode) -> Any:
    """``compute()``, or its value from the cache when an engine build is recording."""
    global _dirty
    if not getattr(_local, "on", False):
        return compute()
    key = hashlib.sha256(f"{kind}\0{flags}\0{source}".encode()).hexdigest()[:40]
    with _lock:
        store = _load()
        got = store.get(key)
    if got is not None:
        try:
            value = decode(got)
            with _lock:
                _used.add(key)
            return value
        except Exception:  # damaged or foreign entry: compute it again
            pass
    value = compute()
    with _lock:
        store[key] = encode(value)
        _used.add(key)
        _dirty = True
    return value


def save() -> None:
    """Writes the entries this process used (stale ones drop out), atomically; failures are ignored."""
    global _dirty
    with _lock:
        if not _dirty or _store is None:
            return
        salt = _salt()
        if salt is None:
            return
        entries = {k: v for k, v in _store.items() if k in _used}
        _dirty = False
    try:
        private_dir(path().parent)
        data = json.dumps({"salt": salt, "entries": entries}, separators=(",", ":")).encode()
        write_bytes_atomic(path(), zlib.compress(data, 1), mode=0o600)  # zlib: the code compresses tenfold
    except (OSError, DocumentError):  # a read-only or full disk: the next start compiles again
        pass


def forget() -> None:
    """Drops what was read and what was added but not saved."""
    global _store, _dirty
    with _lock:
        if _builds:
            return  # another build is still reading it
        _store, _dirty = None, False
        _used.clear()
        _salt.cache_clear()  # read once per build (load and save), not held for the app's life


# --- encodings --------------------------------------------------------------------------------------------------


def encode_code(data: tuple | None) -> Any:
    """(flags, code, groups, groupindex, indexgroup) of a compiled pattern; the code as packed bytes."""
    if data is None:
        return 0
    flags, code, groups, groupindex, indexgroup = data
    packed = base64.b64encode(array(_CODE, code).tobytes()).decode("ascii")
    return [flags, packed, groups, groupindex, list(indexgroup)]


def decode_code(value: Any) -> tuple | None:
    if value == 0:
        return None
    flags, packed, groups, groupindex, indexgroup = value
    code = array(_CODE)
    code.frombytes(base64.b64decode(packed))
    return int(flags), code.tolist(), int(groups), {str(k): int(v) for k, v in groupindex.items()}, tuple(indexgroup)


def encode_sets(sets: list[frozenset[tuple[str, bool]]]) -> Any:
    return [sorted([w, bool(p)] for w, p in s) for s in sets]


def decode_sets(value: Any) -> list[frozenset[tuple[str, bool]]]:
    return [frozenset((str(w), bool(p)) for w, p in s) for s in value]
