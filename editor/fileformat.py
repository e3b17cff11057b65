"""The On Record file: UTF-8 Markdown with YAML front matter (DESIGN.md §3).

Opening and saving an untouched file is byte-identical because the text itself is kept; the
front matter is only re-written when the metadata really changed.
"""

from __future__ import annotations

import glob
import os
import re
import tempfile
import time
from pathlib import Path

import yaml

from editor.errors import DocumentError
from editor.model import Document, Incident, Point, Section

FORMAT_VERSION = 1
MAX_FILE_BYTES = 5 * 1024 * 1024  # three pages are ~10 kB; anything this big is not a draft
MAX_FRONT_MATTER_CHARS = 200_000

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t#]*\r?$", re.M)
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)", re.M)
_ENABLED_BY = re.compile(r"^[ \t]*\**Enabled by:?\**[ \t]*:?[ \t]*(?P<names>.*?)[ \t]*\r?$", re.M | re.I)

_ROLE_WORDS = {
    "thesis": "thesis",
    "point": "point",
    "incident": "incident",
    "story": "incident",
    "example": "incident",
    "consequence": "consequence",
    "consequences": "consequence",
    "impact": "consequence",
    "ask": "ask",
    "the ask": "ask",
    "what i am asking": "ask",
    "request": "ask",
}


class _NoAliasLoader(yaml.SafeLoader):
    """Refuses YAML anchors and aliases: a front matter never needs them and they enable bombs."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases (*name) are not allowed in the front matter")
        return super().compose_node(parent, index)


def load_meta(yaml_text: str) -> dict:
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        raise DocumentError("The front matter (between the --- lines) is too large to be a document header.")
    try:
        data = yaml.load(yaml_text, Loader=_NoAliasLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DocumentError(f"The front matter (between the --- lines) is not valid YAML{where}: {problem}.") from None
    except RecursionError:
        raise DocumentError("The front matter is nested too deeply to read.") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DocumentError("The front matter must be a list of 'key: value' lines, such as 'title: ...'.")
    version = data.get("format", FORMAT_VERSION)
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise DocumentError(
            f"This file uses On Record format {version}; this version of the app reads format {FORMAT_VERSION}. "
            "Update the app to open it."
        )
    return data


def dump_meta(meta: dict) -> str:
    """YAML for the front matter; falls back to escaped text where PyYAML would mangle a character (NEL)."""
    out = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
    if "\x85" in out:
        out = yaml.safe_dump(meta, sort_keys=False, allow_unicode=False, default_flow_style=None, width=100)
    return out


def _role_of(heading: str) -> tuple[str, str]:
    head, sep, rest = heading.partition(":")
    key = head.strip().casefold()
    if key in _ROLE_WORDS:
        return _ROLE_WORDS[key], rest.strip() if sep else ""
    return "other", heading.strip()


def _code_ranges(body: str, offset: int) -> list[tuple[int, int]]:
    """Fenced code blocks, where a '#' line is not a heading."""
    ranges, open_at = [], None
    for m in _FENCE.finditer(body):
        if open_at is None:
            open_at = m.start()
        else:
            ranges.append((offset + open_at, offset + m.end()))
            open_at = None
    if open_at is not None:
        ranges.append((offset + open_at, offset + len(body)))
    return ranges


def parse(text: str) -> Document:
    """Reads the file text into a Document; never fails on body content, only on bad front matter."""
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    meta: dict = {}
    body_at = 0
    m = FRONT_MATTER.match(text)
    if m:
        meta = load_meta(m.group("yaml"))
        body_at = m.end()
    elif text.startswith("---") and re.match(r"\A---[ \t]*\r?\n", text):
        raise DocumentError("The front matter starts with --- but has no closing --- line.")
    doc = Document(text=text, meta=meta, front_matter_end=body_at, bom=bom)
    _read_structure(doc)
    return doc


def _read_structure(doc: Document) -> None:
    text, body_at = doc.text, doc.front_matter_end
    code = _code_ranges(text[body_at:], body_at)
    heads = []
    for hm in _HEADING.finditer(text, body_at):
        if any(a <= hm.start() < b for a, b in code):
            continue
        heads.append(hm)
    for i, hm in enumerate(heads):
        role, title = _role_of(hm.group("text"))
        line_end = hm.end()
        body_start = line_end + 1 if line_end < len(text) and text[line_end] == "\n" else line_end
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        doc.sections.append(Section(role, title, len(hm.group("hashes")), hm.start(), body_start, end))
    current: Point | None = None
    for s in doc.sections:
        if s.role == "thesis" and doc.thesis is None:
            doc.thesis, current = s, None
        elif s.role == "ask" and doc.ask is None:
            doc.ask, current = s, None
        elif s.role == "point":
            current = Point(s)
            doc.points.append(current)
        elif s.role == "incident" and current is not None:
            current.incidents.append(_read_incident(text, s))
        elif s.role == "consequence" and current is not None:
            current.consequences.append(s)
        elif s.level <= 2 and s.role == "other":
            current = None


def _read_incident(text: str, s: Section) -> Incident:
    inc = Incident(s)
    em = _ENABLED_BY.search(text, s.body_start, s.end)
    if em:
        names = [n.strip(" *_.") for n in re.split(r",|;|\band\b", em.group("names"))]
        inc.enabled_by = [n for n in names if n]
        inc.enabled_by_span = (em.start("names"), em.end("names"))
    return inc


def with_meta(doc: Document, meta: dict) -> str:
    """The file text with its front matter replaced by ``meta``; the body is untouched."""
    nl = "\r\n" if "\r\n" in doc.text[: max(doc.front_matter_end, 200)] else "\n"
    block = dump_meta(meta).replace("\n", nl)
    body = doc.text[doc.front_matter_end :]
    if doc.front_matter_end == 0 and body and not body.startswith(("\n", "\r\n")):
        body = nl + body
    return f"---{nl}{block}---{nl}{body}"


def serialize(doc: Document) -> str:
    return ("\ufeff" if doc.bom else "") + doc.text


def decode(data: bytes, name: str = "the file") -> str:
    if len(data) > MAX_FILE_BYTES:
        mb = len(data) / (1024 * 1024)
        raise DocumentError(
            f"{name} is {mb:.0f} MB; an On Record draft is at most {MAX_FILE_BYTES // (1024 * 1024)} MB."
        )
    if b"\x00" in data[:8192] or b"\x00" in data:
        raise DocumentError(f"{name} is not a text file (it contains binary data).")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{name} is not UTF-8 text (byte {exc.start} cannot be read). Save it as UTF-8 and try again."
        ) from None


def read_text(path: str | os.PathLike[str]) -> str:
    """Reads a file's text with one clear error for every way a path can be unusable."""
    p = Path(path)
    name = p.name or str(p)
    try:
        if p.is_dir():
            raise DocumentError(f"{name} is a folder, not a document.")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DocumentError(
                f"{name} is {size / (1024 * 1024):.0f} MB; an On Record draft is at most "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB."
            )
        data = p.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{name} does not exist (looked for {p}).") from None
    except PermissionError:
        raise DocumentError(f"You do not have permission to read {name}.") from None
    except IsADirectoryError:
        raise DocumentError(f"{name} is a folder, not a document.") from None
    except OSError as exc:
        raise DocumentError(f"{name} could not be read: {exc.strerror or exc}.") from None
    return decode(data, name)


def read_document(path: str | os.PathLike[str]) -> Document:
    return parse(read_text(path))


def write_atomic(path: str | os.PathLike[str], text: str, *, mode: int | None = None) -> None:
    """Writes via a temp file in the same folder and os.replace, so a crash leaves old or new, never a mix."""
    write_bytes_atomic(path, text.encode("utf-8"), mode=mode, note=" Your text is still in the editor.")


def write_bytes_atomic(
    path: str | os.PathLike[str], data: bytes, *, mode: int | None = None, new_mode: int = 0o644, note: str = ""
) -> None:
    """The atomic write behind documents and PDFs; ``mode`` defaults to the old file's, else ``new_mode``."""
    p = Path(path)
    if mode is None:
        try:
            mode = p.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = new_mode
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    except FileNotFoundError:
        raise DocumentError(f"The folder {p.parent} does not exist.") from None
    except PermissionError:
        raise DocumentError(f"You cannot save in {p.parent}: the folder is read-only for you.") from None
    except OSError as exc:
        raise DocumentError(f"Could not save {p.name}: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, p)
        _remove_stale_temps(p)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        reason = "the disk is full" if exc.errno == 28 else (exc.strerror or str(exc))
        raise DocumentError(f"Could not save {p.name}: {reason}.{note}") from None


STALE_TEMP_SECONDS = 120


def _remove_stale_temps(p: Path) -> None:
    """Temp copies left beside the file by a save that was killed (they hold the letter's text)."""
    now = time.time()
    for stale in p.parent.glob(f".{glob.escape(p.name)}.*.tmp"):
        try:
            if now - stale.stat().st_mtime > STALE_TEMP_SECONDS:
                stale.unlink()
        except OSError:
            pass


def save_document(path: str | os.PathLike[str], doc: Document) -> None:
    write_atomic(path, serialize(doc))
