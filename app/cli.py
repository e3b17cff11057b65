"""The `onrecord` command: opens the app, or runs one of the commands of DESIGN.md §5.

Every failure is one readable line on stderr and an exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from editor import __version__
from editor.errors import DocumentError
from editor.fileformat import read_document, read_text, write_atomic
from editor.findings import LineIndex

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
COMMANDS = ("new", "kinds", "check", "lint", "export", "notes", "review", "open")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="onrecord",
        description="On Record: write feedback that gets read. With no command, opens the app.",
        epilog="Run 'onrecord COMMAND --help' for a command's options.",
    )
    p.add_argument("--version", action="version", version=f"onrecord {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    o = sub.add_parser("open", help="open the app on FILE (or a new draft)")
    o.add_argument("file", nargs="?")

    n = sub.add_parser("new", help="write a new draft from a document kind")
    n.add_argument("file")
    n.add_argument("--kind", default="exit-interview")
    n.add_argument("--title", default="")
    n.add_argument("--author", default="")
    n.add_argument("--force", action="store_true", help="overwrite an existing file")

    sub.add_parser("kinds", help="list the document kinds")

    c = sub.add_parser("check", help="structure, tone, grammar and page count")
    c.add_argument("file")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--no-grammar", action="store_true", help="skip the LanguageTool check")

    lint = sub.add_parser("lint", help="tone lint only, on any Markdown or plain text file")
    lint.add_argument("file")
    lint.add_argument("--format", choices=("text", "json"), default="text")

    e = sub.add_parser("export", help="write the PDF")
    e.add_argument("file")
    e.add_argument("-o", "--output", required=True)
    e.add_argument("--theme", default=None)
    e.add_argument("--for", dest="for_name", default=None, metavar="NAME")
    e.add_argument("--redact", action="store_true")
    e.add_argument("--draft", action="store_true")

    nt = sub.add_parser("notes", help="a one-page speaking-notes card")
    nt.add_argument("file")
    nt.add_argument("-o", "--output", required=True)

    r = sub.add_parser("review", help="open the app on FILE in reviewer mode")
    r.add_argument("file")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        argv = ["open", *argv]
    try:
        args = build_parser().parse_args(argv)
        return _dispatch(args)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_UNUSABLE
    except DocumentError as exc:
        print(f"onrecord: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    cmd = args.command or "open"
    if cmd in ("open", "review"):
        from app.gui import run_gui

        return run_gui(getattr(args, "file", None), reviewer=cmd == "review")
    return {
        "new": cmd_new,
        "kinds": cmd_kinds,
        "check": cmd_check,
        "lint": cmd_lint,
        "export": cmd_export,
        "notes": cmd_notes,
    }[cmd](args)


def cmd_new(args: argparse.Namespace) -> int:
    from editor.kinds import load_kinds, new_document_text

    kinds = load_kinds()
    if args.kind not in kinds:
        raise UsageError(f"onrecord new: unknown kind '{args.kind}'; choose one of: {', '.join(sorted(kinds))}")
    path = Path(args.file)
    if path.exists() and not args.force:
        raise DocumentError(f"{path.name} already exists; pick another name or pass --force.")
    write_atomic(path, new_document_text(kinds[args.kind], title=args.title, author=args.author), mode=0o600)
    print(f"Wrote a new {kinds[args.kind].name.lower()} draft to {path}")
    return EXIT_OK


def cmd_kinds(args: argparse.Namespace) -> int:
    from editor.kinds import load_kinds

    problems: list[str] = []
    for kind in load_kinds(problems).values():
        pts = f"{kind.min_points}-{kind.max_points} points"
        print(f"{kind.id:<18} {kind.name} ({kind.page_limit} pages, {pts})\n{'':<18} {kind.description}")
    for p in problems:
        print(f"onrecord: skipped a kind file: {p}", file=sys.stderr)
    return EXIT_OK


def _finding_rows(text: str, findings) -> list[dict]:
    idx = LineIndex(text)
    rows = []
    for f in findings:
        line, col = idx.line_col(f.start)
        rows.append(
            {
                "rule": f.rule,
                "category": f.category,
                "severity": f.severity,
                "start": f.start,
                "end": f.end,
                "line": line,
                "column": col,
                "message": f.message,
                "suggestion": f.suggestion,
                "section": f.section,
            }
        )
    return rows


def _print_report(path: str, rows: list[dict], head: dict, fmt: str, summary: str) -> None:
    if fmt == "json":
        print(json.dumps({"file": path, **head, "findings": rows}, ensure_ascii=False, indent=2))
        return
    for r in rows:
        hint = f"  → {r['suggestion']}" if r["suggestion"] else ""
        print(f"{path}:{r['line']}:{r['column']}: {r['severity']} [{r['rule']}] {r['message']}{hint}")
    print(summary)


def _counts(rows: list[dict]) -> str:
    e = sum(r["severity"] == "error" for r in rows)
    w = sum(r["severity"] == "warning" for r in rows)
    i = len(rows) - e - w
    return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}, {i} info"


def cmd_check(args: argparse.Namespace) -> int:
    from app.checks import run_check

    doc = read_document(args.file)
    from editor.settings import load_settings
    from editor.tone import heat_summary

    result = run_check(doc, grammar=not args.no_grammar, disabled_categories=load_settings().disabled_categories)
    rows = _finding_rows(doc.text, result.findings)
    heat = heat_summary(doc, result.findings)
    pages = "pages: unknown" if result.pages is None else f"{result.pages} of {result.kind.page_limit} pages"
    summary = f"{args.file}: {result.kind.name}, {pages}; {_counts(rows)}\n{heat.line()}"
    for note in result.notices:
        summary += f"\n{note}"
    head = {
        "kind": result.kind.id,
        "pages": result.pages,
        "page_limit": result.kind.page_limit,
        "notices": result.notices,
        "tone": heat.as_dict(),
    }
    _print_report(args.file, rows, head, args.format, summary)
    return EXIT_FINDINGS if result.errors else EXIT_OK


def cmd_lint(args: argparse.Namespace) -> int:
    from editor.settings import load_settings
    from editor.tone import lint

    text = read_text(args.file)
    findings = lint(text, disabled_categories=load_settings().disabled_categories)
    rows = _finding_rows(text, findings)
    _print_report(args.file, rows, {}, args.format, f"{args.file}: {_counts(rows)}")
    return EXIT_FINDINGS if any(r["severity"] == "error" for r in rows) else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from export.cli import export_command

    return export_command(args)


def cmd_notes(args: argparse.Namespace) -> int:
    from export.cli import notes_command

    return notes_command(args)


if __name__ == "__main__":
    sys.exit(main())
