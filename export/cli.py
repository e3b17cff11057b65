"""`onrecord export` and `onrecord notes`: thin wrappers that turn results into one line and an exit code.

FILE may be '-' to read the document from standard input (the GUI sends unsaved text this way, so
nothing is written to a temp file). ``--draft`` shows review marks visibly (a reviewer's copy); a final
copy hides comments and is refused while marks are unresolved.
"""

from __future__ import annotations

import argparse
import sys

from editor.errors import DocumentError
from editor.fileformat import decode, parse, read_document
from editor.model import Document

EXIT_OK, EXIT_REFUSED, EXIT_UNUSABLE = 0, 1, 2


def _read(path: str) -> Document:
    if path == "-":
        return parse(decode(sys.stdin.buffer.read(), "the text on standard input"))
    return read_document(path)


def _recipient_names(doc: Document) -> set[str]:
    return {
        str(r.get("name")).strip().casefold()
        for r in doc.meta.get("recipients") or []
        if isinstance(r, dict) and r.get("name")
    }


def export_command(args: argparse.Namespace) -> int:
    from export.pdf import ExportRefused, export_pdf

    try:
        doc = _read(args.file)
        for_name = getattr(args, "for_name", None)
        if for_name and for_name.strip().casefold() not in _recipient_names(doc):
            print(f"onrecord: note: {for_name} is not among the recipients in the front matter.", file=sys.stderr)
        result = export_pdf(
            doc,
            args.output,
            theme=getattr(args, "theme", None),
            for_name=for_name,
            redact=bool(getattr(args, "redact", False)),
            draft=bool(getattr(args, "draft", False)),
            marks="show" if getattr(args, "draft", False) else "hide",
        )
    except ExportRefused as exc:
        print(f"onrecord: not exported: {exc} (--draft writes a stamped draft anyway)", file=sys.stderr)
        return EXIT_REFUSED
    except DocumentError as exc:
        print(f"onrecord: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception as exc:  # a renderer failure must still be one line, never a traceback
        print(f"onrecord: the PDF could not be rendered ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return EXIT_UNUSABLE
    what = "draft" if result.draft else "PDF"
    over = f", over the {result.page_limit}-page limit" if result.over_limit else ""
    print(f"Wrote {what} {result.path} ({result.pages} page{'s' * (result.pages != 1)}{over})")
    return EXIT_OK


def notes_command(args: argparse.Namespace) -> int:
    from export.notes import notes_pdf

    try:
        result = notes_pdf(_read(args.file), args.output)
    except DocumentError as exc:
        print(f"onrecord: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception as exc:
        print(f"onrecord: the notes could not be rendered ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return EXIT_UNUSABLE
    print(f"Wrote speaking notes {result.path} (1 page)")
    return EXIT_OK
