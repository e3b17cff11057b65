"""Reading a draft whose header is broken: the body's structure still shows while the writer fixes it. No Qt."""

from __future__ import annotations

import re

from editor.errors import DocumentError
from editor.fileformat import parse
from editor.model import Document

_FRONT = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n?^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M)


def lenient_parse(text: str) -> tuple[Document, str]:
    """Parses ``text``; with unreadable front matter, reads the body anyway and returns the problem.

    The offsets stay those of ``text`` (the front matter is blanked, not removed), so the outline
    and the findings still point at the right places while the writer fixes the header.
    """
    try:
        return parse(text), ""
    except DocumentError as exc:
        problem = str(exc)
    m = _FRONT.match(text)
    if m:
        blank = re.sub(r"[^\n]", " ", m.group("yaml"))
        masked = text[: m.start("yaml")] + blank + text[m.end("yaml") :]
    else:  # an unclosed header: treat the whole text as body
        masked = " " + text[1:] if text.startswith("-") else text
    try:
        doc = parse(masked)
    except DocumentError:  # pragma: no cover - blanked YAML always parses
        doc = parse("")
    doc.text = text
    return doc, problem
