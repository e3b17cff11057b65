"""Bad input never crashes, hangs or reads a file outside the document (issue 8, "Bad input").

Hypothesis throws random and adversarial text at every engine a draft passes through: the parser,
the CriticMarkup scanner, the structure check, the tone lint and the HTML export (plus a few real
PDF renders). Each input is bounded in time by a SIGALRM timer, so a hang fails one example quickly
instead of stalling the suite, and a Python audit hook records every file the engines open.

The adversarial corpus feeds ~1 MB inputs of known-nasty shapes (huge lines, deep nesting, control
characters, RTL and combining marks, unclosed marks, bracket and backtick runs) to each engine.
Cases that still hang or crash are marked ``xfail(strict=True)`` with the bug named in KNOWN_BUGS:
they run (on a smaller input, to stay quick), and they turn red the day the bug is fixed, so the
marker is removed and the case runs at full size.
"""

from __future__ import annotations

import contextlib
import html.parser
import os
import re
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from editor import criticmarkup
from editor.check import check
from editor.errors import DocumentError
from editor.fileformat import MAX_FILE_BYTES, decode, parse, read_document
from editor.model import Document, Person
from editor.paths import config_dir, data_dir
from tests.conftest import DOCS, ROOT

MB = 1024 * 1024
SMALL_BOUND_S = 3.0  # one hypothesis example (a few kB) through one engine; real times are milliseconds
BIG_BOUND_S = 6.0  # one ~1 MB corpus input through one engine; real times are well under a second


# -- time bound --------------------------------------------------------------------------------------------------


class Hang(Exception):
    """An engine ran past its bound on one input."""


@contextlib.contextmanager
def bounded(seconds: float, what: str = "input") -> Iterator[None]:
    """Raises Hang in the main thread after ``seconds``; keeps pytest-timeout's own SIGALRM timer running."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    outer_handler = signal.getsignal(signal.SIGALRM)
    outer_left, _ = signal.setitimer(signal.ITIMER_REAL, 0)
    began = time.monotonic()

    def _fire(_sig, _frame):
        raise Hang(f"{what} took longer than {seconds:.1f} s")

    signal.signal(signal.SIGALRM, _fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, outer_handler)
        if outer_left > 0:
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - began), 0.001))


# -- file opens --------------------------------------------------------------------------------------------------


class FileOpens:
    """Every ``open`` audit event (io.open, os.open) while recording; one hook per process, installed once."""

    _hook_installed = False
    _active: list[FileOpens] = []  # noqa: RUF012 - class-level registry of live recorders

    def __init__(self) -> None:
        self.events: list[tuple[str, bool]] = []  # (absolute path, opened for writing)

    @classmethod
    def _hook(cls, event: str, args: tuple) -> None:
        if event != "open" or not cls._active:
            return
        path, mode, flags = args
        if isinstance(path, int):
            return  # an already open descriptor (os.fdopen)
        path = os.fsdecode(path) if isinstance(path, bytes) else str(path)
        write = bool(mode and any(c in mode for c in "wxa+")) or bool(
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        )
        for rec in cls._active:
            rec.events.append((os.path.abspath(path), write))

    def __enter__(self) -> FileOpens:
        if not FileOpens._hook_installed:
            sys.addaudithook(FileOpens._hook)
            FileOpens._hook_installed = True
        FileOpens._active.append(self)
        return self

    def __exit__(self, *exc) -> None:
        FileOpens._active.remove(self)

    def reads(self) -> list[str]:
        return [p for p, write in self.events if not write]

    def outside(self, extra_allowed: tuple[str, ...] = ()) -> list[str]:
        """Paths read that are not the app's own code and data, the Python runtime, fonts or settings."""
        allowed = allowed_read_roots() + tuple(os.path.abspath(p) for p in extra_allowed)
        return sorted({p for p in self.reads() if not _under(p, allowed)})


_scratch: list[str] = []


def scratch_dir() -> str:
    """Where the fuzz tests write their own PDFs (reading those back is allowed)."""
    if not _scratch:
        _scratch.append(tempfile.mkdtemp(prefix="onrecord-fuzz-"))
    return _scratch[0]


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def allowed_read_roots() -> tuple[str, ...]:
    """What an engine may read: its own package files, Python and its libraries, system fonts, the user's settings."""
    roots = {
        *(str(ROOT / pkg) for pkg in ("app", "editor", "export", "templates")),
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        "/usr/share/fonts",
        "/usr/share/fontconfig",
        "/usr/local/share/fonts",
        "/etc/fonts",
        "/etc/mime.types",  # the stdlib mimetypes module, imported by weasyprint
        "/dev/null",
        str(config_dir()),
        str(data_dir()),
        *_scratch,
    }
    return tuple(os.path.abspath(r) for r in roots)


# -- what "did not crash" means for each engine ------------------------------------------------------------------


def parse_ok(text: str) -> Document | None:
    """A Document with sane offsets, or None after a DocumentError (the one allowed failure)."""
    try:
        doc = parse(text)
    except DocumentError as exc:
        assert str(exc).strip() and "\n" not in str(exc).strip(), "a DocumentError must be one readable line"
        return None
    n = len(doc.text)
    assert doc.text == text.removeprefix("\ufeff")
    assert 0 <= doc.front_matter_end <= n
    last = -1
    for s in doc.sections:
        assert last < s.start <= s.body_start <= s.end <= n, s
        last = s.start
    return doc


def marks_ok(text: str) -> None:
    marks = criticmarkup.find_marks(text)
    end = -1
    for m in marks:
        assert end <= m.start < m.end <= len(text) and text[m.start] == "{", m
        end = m.end
    masked = criticmarkup.mask_marks(text)
    assert len(masked) == len(text), "masking must keep offsets"
    assert masked.count("\n") == text.count("\n"), "masking must keep line numbers"
    accepted, rejected = criticmarkup.accept_all(text), criticmarkup.reject_all(text)
    if not marks:
        assert accepted == rejected == text, "text without complete marks is kept verbatim"
    for kind in ("insertion", "deletion", "highlight", "comment"):
        try:
            one = criticmarkup.markup(kind, text[:200])
        except ValueError:
            continue
        assert [m.kind for m in criticmarkup.find_marks(one)] == [kind]


def findings_ok(text: str, findings) -> None:
    for f in findings:
        assert f.rule and f.category and f.severity in ("error", "warning", "info"), f
        assert 0 <= f.start <= f.end <= len(text), f
        assert f.message.strip(), f


def check_ok(text: str) -> None:
    doc = parse_ok(text)
    if doc is not None:
        findings_ok(doc.text, check(doc).findings)


def tone_ok(text: str, people: list[Person] | None = None) -> None:
    from editor.tone import lint

    findings_ok(text, lint(text, people))


def prose_ok(text: str) -> None:
    """What grammar sends LanguageTool: every sent character maps back to a character of the file."""
    from editor.grammar.prose import prose_chunks
    from editor.tone.text import front_matter

    for chunk in prose_chunks(text, front_matter(text)[0]):
        assert len(chunk.origins) == len(chunk.text), "a sent character lost its offset"
        assert all(0 <= o < len(text) for o in chunk.origins), "an offset points outside the file"
        assert all(0 <= a <= b <= len(text) for a, b in chunk.quiet), "a quiet span points outside the file"


def full_check_ok(text: str) -> None:
    """structure + review + tone, as `onrecord check` runs them (page count is the PDF tests' job)."""
    from app.checks import run_check

    doc = parse_ok(text)
    if doc is not None:
        findings_ok(doc.text, run_check(doc, pages=False).findings)


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data


PAGE_TAGS = {"html", "head", "meta", "title", "style", "body"}
SAFE_HREF = re.compile(r"\A(?:https?:|mailto:|#)", re.I)


def html_ok(text: str, **options) -> str | None:
    """The printed HTML carries only plain structure: no scripts, frames, images, styles or local links."""
    from export.html import render_html
    from export.sanitize import SHELL_TAGS

    doc = parse_ok(text)
    if doc is None:
        return None
    out = render_html(doc, **options)
    tags = _Tags()
    tags.feed(out)
    tags.close()
    assert sum(t == "style" for t, _ in tags.tags) == 1, "only the theme's own style sheet"
    for tag, attrs in tags.tags:
        assert tag in SHELL_TAGS | PAGE_TAGS, f"<{tag}> reached the printed page"
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("style", "src", "srcset", "background"), (tag, name)
            if name == "href":
                assert SAFE_HREF.match((value or "").strip()), f"link {value!r} reached the printed page"
    assert "@import" not in tags.style and "file:" not in tags.style, "the document changed the style sheet"
    return out


# -- strategies --------------------------------------------------------------------------------------------------

STRUCTURE = [
    "# Thesis\n", "## Point: ", "### Incident: ", "### Consequence\n", "# Ask\n", "Enabled by: ", "#", "######",
    "\n", "\n\n", "\r\n", "\r", "> ", ">>>> ", "- ", "* ", "1. ", "    ", "\t", "```\n", "~~~", "---\n", "***", "___",
    "| a | b |\n|---|---|\n", "|", "**", "__", "*", "_", "`", "``", "[", "]", "(", ")", "](", "![", "<!--", "-->",
    "<!-- onrecord: ignore tone -->\n", "\\", "&amp;", "&#0;", "&#x202e;",
]  # fmt: skip
MARKS = ["{++", "++}", "{--", "--}", "{~~", "~>", "~~}", "{==", "==}", "{>>", "<<}", "{", "}", "{++ added ++}",
         "{>>note<<}", "{~~old~>new~~}"]  # fmt: skip
INJECTION = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "<a href='file:///etc/passwd'>", "![p](file:///etc/passwd)", "![p](../../etc/passwd)", "<iframe src='/etc/passwd'>",
    "<style>@import url(/etc/passwd);</style>", "<link rel=stylesheet href=/etc/passwd>",
    "<link rel=attachment href=file:///etc/hostname>", "<object data=/etc/passwd>",
    "<svg><image href='/etc/passwd'/></svg>", "<p style='background:url(file:///etc/passwd)'>",
    "<base href='file:///etc/'>", "<meta http-equiv=refresh content='0;url=file:///etc/passwd'>",
    "--8<-- '/etc/passwd'", "{% include '/etc/passwd' %}", "<math><mi xlink:href='javascript:alert(1)'>",
    "<a href=' javascript:alert(1)'>x</a>", "<a href='&#106;avascript:x'>",
]  # fmt: skip
ODD = [
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffd",
    "\u200b", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\u0301",
    "\u0301\u0301\u0301\u0301",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u05e9\u05dc\u05d5\u05dd", "\U0001f926\u200d\u2640\ufe0f",
    "\U0001f1fa\U0001f1f8", "Z\u0351\u0352\u0357\u035b\u0306", "\uff21", "ß", "İ", "ǅ",
]  # fmt: skip
WORDS = ["Mark Ellis", "the director", "always", "never", "toxic", "fucking", "idiot", "I feel", "obviously",
         "three engineers resigned", "$2.1M", "Q3", "We", "should", "ASAP", "synergy", "!!!", "?", "...", "\"", "'",
         "“quoted”", " ", "  "]  # fmt: skip

token = st.one_of(
    st.sampled_from(STRUCTURE + MARKS + INJECTION + ODD + WORDS),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
)
markdown_soup = st.lists(token, max_size=80).map("".join)
any_text = st.one_of(markdown_soup, st.text(st.characters(exclude_categories=("Cs",)), max_size=400))

yaml_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), st.dates(), st.datetimes(),
    st.binary(max_size=8), st.sampled_from(["letter", "a4", "A4 ", "executive", "modern", "exit-interview",
                                            "escalation-memo", "high", "low", ""]),
)  # fmt: skip
yaml_value = st.recursive(
    yaml_scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
META_KEYS = ["format", "kind", "title", "author", "date", "decision_by", "page_size", "people", "recipients",
             "ignore", "theme", "reviewers"]  # fmt: skip
meta_dict = st.dictionaries(st.one_of(st.sampled_from(META_KEYS), st.text(max_size=6)), yaml_value, max_size=8)
person = st.builds(
    Person,
    name=st.text(min_size=0, max_size=20),
    role=st.text(max_size=20),
    power=st.sampled_from(["high", "medium", "low", "odd"]),
    perceived_underperformer=st.booleans(),
)

FRONT_MATTER_TRICKS = [
    "---\na: &a [1, 2]\nb: [*a, *a]\n---\n",  # an alias: refused
    "---\n" + "".join(f'l{i}: &l{i} [{", ".join([f"*l{i - 1}"] * 9)}]\n' for i in range(1, 10)).replace("*l0", "'lol'")
    + "---\n",  # billion laughs
    "---\n!!python/object/apply:os.system ['echo pwned']\n---\n",
    "---\ntitle: !!python/name:os.system\n---\n",
    "---\nkind: " + "[" * 700 + "]" * 700 + "\n---\n",  # nesting past the recursion limit
    "---\nformat: 99\n---\n",
    "---\ntitle: [unclosed\n---\n",
    "---\njust a string\n---\n",
    "---\n- a list\n---\n",
    "---\n\t\x00bad\n---\n",
    "---\ntitle: ok\n",  # no closing line
    "---\r\ntitle: crlf\r\n---\r\n",
    "\ufeff---\ntitle: bom\n---\n",
]  # fmt: skip
front_matter = st.one_of(
    st.just(""),
    st.sampled_from(FRONT_MATTER_TRICKS),
    meta_dict.map(lambda m: "---\n" + yaml.safe_dump(m, allow_unicode=True) + "---\n"),
    st.lists(st.sampled_from([*STRUCTURE, "&a ", "*a ", "!!binary ", "{", "}", ": ", "key: value\n"]), max_size=20).map(
        lambda parts: "---\n" + "".join(parts) + "\n---\n"
    ),
)
document = st.builds(lambda fm, body: fm + body, front_matter, any_text)

FUZZ = settings(
    deadline=None,  # the bound is ours (SIGALRM), so a slow machine does not turn into flaky deadline errors
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


def fuzz(examples: int) -> settings:
    return settings(FUZZ, max_examples=examples)


def run_bounded(fn: Callable[..., object], *args, seconds: float = SMALL_BOUND_S, **kw) -> object:
    with bounded(seconds, getattr(fn, "__name__", "engine")):
        return fn(*args, **kw)


def _warm() -> None:
    """Imports and first-use file reads (rule packs, kinds, themes) happen here, outside the recorded opens."""
    from app.checks import run_check
    from editor.tone import lint
    from export.html import render_html

    sample = (DOCS / "d1-good-exit.md").read_text(encoding="utf-8")
    doc = parse(sample)
    lint(sample)
    run_check(doc, pages=False)
    render_html(doc)
    render_html(doc, marks="show", redact=True, draft=True)


@pytest.fixture(scope="module", autouse=True)
def warm_engines():
    _warm()


# -- hypothesis: each engine on random and adversarial documents -------------------------------------------------


@fuzz(500)
@given(document)
def test_parser_reads_any_text_or_says_why(text):
    run_bounded(parse_ok, text)


@fuzz(100)
@given(st.one_of(st.binary(max_size=600), document.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_read_document_reads_any_bytes_or_says_why(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "draft.md"
        path.write_bytes(data)
        with FileOpens() as opens:
            try:
                doc = run_bounded(read_document, path)
            except DocumentError as exc:
                assert str(exc).strip() and "\n" not in str(exc).strip()
            else:
                assert doc.text == data.decode("utf-8").removeprefix("\ufeff")
        assert opens.outside((str(path),)) == [], "reading a document opened other files"


@fuzz(300)
@given(st.one_of(document, st.lists(st.sampled_from(MARKS + WORDS + ["\n"]), max_size=60).map("".join)))
def test_criticmarkup_keeps_offsets_and_unknown_text(text):
    run_bounded(marks_ok, text)


@fuzz(300)
@given(document)
def test_structure_check_never_crashes(text):
    run_bounded(check_ok, text)


@fuzz(300)
@given(document, st.one_of(st.none(), st.lists(person, max_size=4)))
def test_tone_lint_never_crashes(text, people):
    run_bounded(tone_ok, text, people)


@fuzz(300)
@given(document)
def test_grammar_prose_extraction_never_crashes(text):
    run_bounded(prose_ok, text)


@fuzz(100)
@given(document)
def test_full_check_without_layout_never_crashes(text):
    run_bounded(full_check_ok, text)


@fuzz(250)
@given(
    document,
    st.fixed_dictionaries(
        {},
        optional={
            "marks": st.sampled_from(["hide", "show"]),
            "redact": st.booleans(),
            "draft": st.booleans(),
            "for_name": st.text(max_size=30),
            "theme": st.sampled_from(["executive", "modern"]),
        },
    ),
)
def test_html_export_is_sanitised_and_reads_no_files(text, options):
    with FileOpens() as opens:
        try:
            run_bounded(html_ok, text, **options)
        except DocumentError as exc:
            assert str(exc).strip()
    assert opens.outside() == [], "the HTML export opened files outside the app"


@fuzz(150)
@given(meta_dict, st.sampled_from(["", "# Thesis\nWe lose people.\n\n## Point: P\n### Incident: I\nEnabled by: x\n"]))
def test_any_front_matter_values_are_survived(meta, body):
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    run_bounded(check_ok, text)
    run_bounded(tone_ok, text)
    run_bounded(html_ok, text)


@fuzz(4)
@given(document)
def test_a_few_real_pdf_renders_read_nothing_outside(text):
    from export.pdf import export_pdf

    doc = parse_ok(text)
    assume(doc is not None)
    with tempfile.TemporaryDirectory() as tmp, FileOpens() as opens:
        out = Path(tmp) / "fuzz.pdf"
        try:
            result = run_bounded(export_pdf, doc, out, draft=True, final=False, seconds=30)
        except DocumentError as exc:
            assert str(exc).strip()
        else:
            assert_pdf(out, result.pages)
    assert opens.outside((tmp,)) == [], "the PDF export opened files outside the app"


def assert_pdf(path: Path, pages: int) -> None:
    import pypdf

    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == pages >= 1
    assert not reader.attachments, "the PDF carries attachments"


# -- the adversarial corpus: ~1 MB of each nasty shape through each engine ---------------------------------------


def _repeat(unit: str, size: int, head: str = "# Thesis\n") -> str:
    return head + unit * max(1, (size - len(head)) // len(unit))


CORPUS: dict[str, Callable[[int], str]] = {
    "one-word": lambda n: "x" * n,
    "one-huge-line": lambda n: _repeat("word ", n),
    "many-short-lines": lambda n: _repeat("We lost three engineers in Q3.\n", n),
    "many-paragraphs": lambda n: _repeat("We lost three engineers in Q3 because of it.\n\n", n),
    "deep-bullets": lambda n: _repeat("".join("  " * i + "- item\n" for i in range(1000)), n),
    "deep-numbered": lambda n: _repeat("".join("   " * i + "1. item\n" for i in range(1000)), n),
    "deep-quotes": lambda n: _repeat(">" * 1000 + " deep\n", n),
    "quote-ladder": lambda n: _repeat("".join(">" * i + " q\n" for i in range(1, 300)), n),
    "heading-storm": lambda n: _repeat("".join("#" * (i % 7 + 1) + " Point: h\n" for i in range(7)), n, ""),
    "control-chars": lambda n: _repeat("".join(chr(i) for i in range(1, 32)) + "\x7f\x85\u2028", n),
    "rtl-and-combining": lambda n: _repeat("\u202e\u05e9\u05dc\u05d5\u05dd \u0627\u0644\u0639 e\u0301\u0301\u0301 ", n),
    "unclosed-marks": lambda n: _repeat("{++ {-- {~~ a ~> {== {>> ", n),
    "unclosed-comments": lambda n: _repeat("{>> note ", n),
    "nested-marks": lambda n: "# Thesis\n" + "{++" * (n // 6) + "x" + "++}" * (n // 6),
    "html-comments-open": lambda n: _repeat("<!-- ", n),
    "script-flood": lambda n: _repeat("<script>alert(1)</script><img src=x onerror=alert(1)>", n),
    "div-nesting": lambda n: _repeat("<div>", n),
    "emphasis-runs": lambda n: _repeat("*a **b ", n),
    "underscore-run": lambda n: _repeat("_", n),
    "bracket-nesting": lambda n: "# Thesis\n" + "[" * (n // 2) + "]" * (n // 2),
    "open-links": lambda n: _repeat("[a](", n),
    "backtick-run": lambda n: _repeat("`", n),
    "pipes": lambda n: _repeat("|a", n // 2) + "\n" + "|-" * 1000 + "|\n",
    "enabled-by-flood": lambda n: _repeat("### Incident: i\nEnabled by: " + "Mark Ellis, " * 50 + "\n", n),
}


def pdf_ok(text: str) -> None:
    from export.pdf import export_pdf

    doc = parse_ok(text)
    if doc is not None:
        out = Path(scratch_dir()) / "corpus.pdf"
        assert_pdf(out, export_pdf(doc, out, draft=True, final=False).pages)


ENGINES: dict[str, Callable[[str], object]] = {
    "parse": parse_ok,
    "criticmarkup": marks_ok,
    "check": check_ok,
    "tone": tone_ok,
    "prose": prose_ok,
    "html": html_ok,
    "pdf": pdf_ok,
}
# Sizes: the in-memory engines take 1 MB (a hundred three-page drafts); HTML export takes 256 kB, and a real
# PDF layout 30 kB, ten pages (weasyprint lays out ~10 kB per 100 ms, so 1 MB is minutes however well it is done).
SIZES = {"parse": MB, "criticmarkup": MB, "check": MB, "tone": MB, "prose": MB, "html": MB // 4, "pdf": 30_000}
BOUND_S = {"parse": 8.0, "criticmarkup": 8.0, "check": 8.0, "tone": 8.0, "prose": 8.0, "html": 8.0, "pdf": 45.0}
PDF_CASES = ("deep-quotes", "rtl-and-combining", "control-chars", "script-flood", "pipes", "quote-ladder")

# (case, engine) → (size, bug). These still hang or crash: each runs at a size where the bug costs many
# seconds, bounded to KNOWN_BUG_BOUND_S, and must fail (strict xfail), so the fix turns it red: then delete
# the entry and the case runs at full size with the others.
KNOWN_BUG_BOUND_S = 0.6
KNOWN_BUGS: dict[tuple[str, str], tuple[int, str]] = {}


class EngineBroken(AssertionError):
    """An engine hung, crashed or broke a promise on a corpus input (the message says which)."""


def _outcome(case: str, engine: str, size: int, seconds: float) -> tuple[str, float, list[str]]:
    text = CORPUS[case](size)
    began = time.perf_counter()
    with FileOpens() as opens:
        try:
            with bounded(seconds, f"{engine} on {len(text) // 1000} kB of {case}"):
                ENGINES[engine](text)
            outcome = "ok"
        except DocumentError as exc:
            outcome = "ok" if str(exc).strip() and "\n" not in str(exc).strip() else f"unclear error: {exc!r}"
        except Hang as exc:
            outcome = f"hang: {exc}"
        except RecursionError:
            outcome = "crash: RecursionError"
        except AssertionError as exc:
            outcome = f"broken promise: {str(exc)[:300]}"
        except Exception as exc:
            outcome = f"crash: {type(exc).__name__}: {str(exc)[:200]}"
    return outcome, time.perf_counter() - began, opens.outside()


def _serve(conn) -> None:
    """The sandbox process: runs one engine on one corpus case per request and sends back what happened."""
    _warm()
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        conn.send(_outcome(*request))


class Sandbox:
    """A long-lived child process for the corpus, so a hang in native code (nh3, pango) costs a kill, not the run.

    Python-level hangs are stopped inside the child by its own SIGALRM bound; native code cannot be
    interrupted that way, so the parent waits a little longer and then kills and replaces the child.
    """

    GRACE_S = 2.0
    START_S = 60.0  # a fresh child imports and warms every engine before its first answer

    def __init__(self) -> None:
        self.proc = None
        self.conn = None
        self.fresh = True

    def _start(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")  # no fork: the parent may hold Qt or server threads
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child,), name="fuzz-sandbox", daemon=True)
        self.proc.start()
        child.close()
        self.fresh = True

    def run(self, case: str, engine: str, size: int, seconds: float) -> tuple[str, float, list[str]]:
        if self.proc is None or not self.proc.is_alive():
            self._start()
        began = time.monotonic()
        wait = seconds + self.GRACE_S + (self.START_S if self.fresh else 0)
        try:
            self.conn.send((case, engine, size, seconds))
            if self.conn.poll(wait):
                self.fresh = False
                return self.conn.recv()
        except (EOFError, OSError):
            self.proc.join(5)
            code = self.proc.exitcode
            self.close()
            return f"crash: the engine process died (exit code {code})", time.monotonic() - began, []
        self.close()
        return f"hang: stuck in native code for {time.monotonic() - began:.0f} s (killed)", seconds, []

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join(5)
            self.conn.close()
        self.proc = self.conn = None


@pytest.fixture(scope="module")
def sandbox():
    box = Sandbox()
    yield box
    box.close()


def _corpus_params():
    for case in CORPUS:
        for engine in ENGINES:
            if engine == "pdf" and case not in PDF_CASES:
                continue
            bug = KNOWN_BUGS.get((case, engine))
            marks = [pytest.mark.xfail(strict=True, raises=EngineBroken, reason=bug[1])] if bug else []
            yield pytest.param(case, engine, id=f"{engine}-{case}", marks=marks)


@pytest.mark.parametrize(("case", "engine"), list(_corpus_params()))
def test_adversarial_corpus(case, engine, sandbox):
    """1 MB (256 kB for HTML, 30 kB for a real PDF) of each shape: no crash, no hang, no file opened."""
    bug = KNOWN_BUGS.get((case, engine))
    size, seconds = (bug[0], KNOWN_BUG_BOUND_S) if bug else (SIZES[engine], BOUND_S[engine])
    outcome, took, outside = sandbox.run(case, engine, size, seconds)
    if outcome != "ok":
        raise EngineBroken(f"{engine} on {size // 1000} kB of {case}: {outcome} ({took:.1f} s)")
    assert outside == [], f"{engine} opened files outside the app on {case}: {outside}"


@pytest.mark.parametrize("trick", FRONT_MATTER_TRICKS)
def test_yaml_bombs_and_tags_are_refused_or_read_quickly(trick):
    text = trick + "# Thesis\nWe lose people.\n"
    doc = run_bounded(parse_ok, text)
    if "&" in trick or "!!python" in trick or "format: 99" in trick:
        assert doc is None, "aliases, Python tags and future formats are refused with a DocumentError"
    for engine in (check_ok, tone_ok, html_ok):
        run_bounded(engine, text)


def test_ten_megabytes_of_one_word_gets_one_clear_error(tmp_path, capsys):
    from app.cli import main

    big = tmp_path / "huge.md"
    big.write_bytes(b"# Thesis\n" + b"a" * (10 * MB))
    with bounded(10, "reading 10 MB"), pytest.raises(DocumentError, match=r"huge\.md is 10 MB.* at most 5 MB"):
        read_document(big)
    with pytest.raises(DocumentError, match="at most 5 MB"):
        decode(big.read_bytes(), "the text on standard input")
    just_over = tmp_path / "over.md"
    just_over.write_bytes(b"a" * (MAX_FILE_BYTES + 1))
    with pytest.raises(DocumentError):
        read_document(just_over)
    for cmd in (
        ["check", str(big), "--no-grammar"],
        ["lint", str(big)],
        ["export", str(big), "-o", str(tmp_path / "o.pdf")],
    ):
        with bounded(20, " ".join(cmd[:1])):
            code = main(cmd)
        err = capsys.readouterr().err
        assert code == 2, cmd
        assert err.count("\n") == 1 and "Traceback" not in err and "5 MB" in err, err


def test_a_hostile_document_reads_no_local_file(tmp_path):
    """Every way Markdown or raw HTML can name a file, aimed at a secret beside the document."""
    from export.pdf import export_pdf

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-DO-NOT-READ")
    rel = os.path.relpath(secret, Path.cwd())
    refs = [str(secret), f"file://{secret}", rel, "secret.txt", "./secret.txt", "/etc/passwd", "/etc/hostname"]
    body = "\n\n".join(
        line.replace("TARGET", ref)
        for ref in refs
        for line in (
            "![a](TARGET)", "[b](TARGET)", "<img src='TARGET'>", "<link rel=stylesheet href='TARGET'>",
            "<style>@import url('TARGET');</style>", "<iframe src='TARGET'></iframe>",
            "<a rel=attachment href='TARGET'>x</a>",
            "--8<-- 'TARGET'", "<object data='TARGET'></object>", "<p style=\"background: url('TARGET')\">s</p>",
            "[ref]: TARGET", "<TARGET>", "<svg><image href='TARGET'/></svg>",
        )
    )  # fmt: skip
    doc_path = tmp_path / "hostile.md"
    doc_path.write_text(f"---\ntitle: Hostile\n---\n\n# Thesis\nWe lose people.\n\n{body}\n\n# Ask\nFix it.\n")
    out = tmp_path / "hostile.pdf"
    with FileOpens() as opens:
        doc = read_document(doc_path)
        html_ok(doc.text)
        tone_ok(doc.text)
        check_ok(doc.text)
        with bounded(60, "hostile PDF"):
            export_pdf(doc, out, draft=True, final=False)
    touched = {p for p, _ in opens.events}
    assert str(secret) not in touched and "/etc/passwd" not in touched and "/etc/hostname" not in touched
    assert opens.outside((str(doc_path), str(tmp_path))) == []
    assert b"TOPSECRET" not in out.read_bytes()


def test_the_bound_itself_fires_and_restores_the_outer_timer():
    """The guard this file relies on: a busy loop is stopped, and an outer timer keeps running afterwards."""
    fired: list[int] = []
    old = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(Hang), bounded(0.1, "busy loop"):
            while True:
                re.fullmatch(r"(a+)+b", "a" * 40)  # catastrophic backtracking in C; interrupted all the same
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0, "the outer timer was not restored"
        deadline = time.monotonic() + 3
        while not fired and time.monotonic() < deadline:
            time.sleep(0.05)
        assert fired == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
