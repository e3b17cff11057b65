"""`onrecord export` and `onrecord notes` as a user runs them: exit codes and one-line messages."""

from __future__ import annotations

import subprocess
import sys

import pypdf
import pytest

from app.cli import main
from tests.conftest import DOCS, ROOT


def run(*args, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        input=stdin,
    )


def test_overlong_document_exits_1_with_one_line_as_a_real_process(tmp_path):
    out = tmp_path / "long.pdf"
    r = run("export", DOCS / "d3-overlong.md", "-o", out)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "4 pages" in lines[0] and "Cut roughly" in lines[0] and "--draft" in lines[0]
    assert "Traceback" not in r.stderr and not out.exists()


def test_good_document_exports_from_a_real_process(tmp_path):
    out = tmp_path / "good.pdf"
    r = run("export", DOCS / "d1-good-exit.md", "-o", out, "--theme", "modern", "--for", "Raj Patel")
    assert r.returncode == 0, r.stderr
    assert r.stderr == "" and "2 pages" in r.stdout
    assert "Prepared for Raj Patel" in " ".join(pypdf.PdfReader(str(out)).pages[0].extract_text().split())


def test_unsaved_text_can_come_on_stdin(tmp_path):
    out = tmp_path / "stdin.pdf"
    r = run("export", "-", "-o", out, stdin=(DOCS / "d2-escalation-good.md").read_text())
    assert r.returncode == 0, r.stderr
    assert len(pypdf.PdfReader(str(out)).pages) == 1


def test_review_marks_refuse_then_draft_writes(tmp_path, capsys):
    assert main(["export", str(DOCS / "d8-review-marks.md"), "-o", str(tmp_path / "a.pdf")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "review marks" in err
    assert main(["export", str(DOCS / "d8-review-marks.md"), "-o", str(tmp_path / "b.pdf"), "--draft"]) == 0
    out = capsys.readouterr().out
    assert "draft" in out
    text = pypdf.PdfReader(str(tmp_path / "b.pdf")).pages[0].extract_text()
    assert "DRAFT" in text and "Reviewer:" in text


def test_redacted_export_from_the_cli(tmp_path, capsys):
    out = tmp_path / "r.pdf"
    assert main(["export", str(DOCS / "d1-good-exit.md"), "-o", str(out), "--redact"]) == 0
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(out)).pages)
    assert "Raj Patel" not in text and "Diane Cho" not in text and "the Chief Product Officer" in text


@pytest.mark.parametrize(
    "args,needle",
    [
        (["export", "nope.md", "-o", "x.pdf"], "does not exist"),
        (["export", str(DOCS / "d1-good-exit.md"), "-o", "x.pdf", "--theme", "gothic"], "no theme called"),
        (["export", str(DOCS / "d1-good-exit.md"), "-o", "notes.txt"], "must end in .pdf"),
        (["notes", "nope.md", "-o", "x.pdf"], "does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, monkeypatch, capsys, args, needle):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err


def test_for_a_name_that_is_not_a_recipient_is_noted(tmp_path, capsys):
    assert main(["export", str(DOCS / "d1-good-exit.md"), "-o", str(tmp_path / "x.pdf"), "--for", "Zed Q"]) == 0
    assert "not among the recipients" in capsys.readouterr().err


def test_notes_command_writes_one_page(tmp_path, capsys):
    out = tmp_path / "notes.pdf"
    assert main(["notes", str(DOCS / "d2-escalation-good.md"), "-o", str(out)]) == 0
    assert "speaking notes" in capsys.readouterr().out
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) == 1 and "Decision needed by" in reader.pages[0].extract_text()


def test_cli_paths_that_do_not_render_do_not_import_weasyprint():
    code = (
        "import sys, app.cli, app.checks, export.cli, export.html, export.themes, export.consequences, export.sanitize;"
        "print('weasyprint' in sys.modules)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.stdout.strip() == "False", r.stderr
