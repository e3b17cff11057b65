"""Checks, the exact page count and the preview, run in the background after typing pauses.

Each run snapshots the text with its revision number; a result whose revision is no longer the
document's is dropped (the newer run is already queued), so highlights never point at text that
has moved. The UI thread only takes the snapshot and applies the result; the time both take is
recorded for the benchmark. The tone heat summary is computed in the same worker, from the same
findings, so the verdict never disagrees with the list.
"""

from __future__ import annotations

import math
import time
from collections import deque

from PySide6.QtCore import QObject, QTimer, Signal

from app.checks import run_check
from app.layout_client import LayoutProcess
from app.page_layout import exact_pages
from app.workers import Runner
from editor.check import CheckResult, Linter, apply_suppressions, length_findings
from editor.findings import sort_findings
from editor.settings import load_settings
from editor.ui.lenient import lenient_parse
from editor.ui.preview_html import preview_html
from editor.ui.session import DocumentSession

CHECK_DELAY_MS = 300
PAGES_DELAY_MS = 900
PREVIEW_DELAY_MS = 600


def check_text(text: str, known_pages: int | None, disabled: list[str], extra: tuple[Linter, ...] = ()) -> CheckResult:
    """The check the GUI runs in a worker: everything but layout, plus the length finding of the last count.

    If a checker fails (a broken rule pack, say), the structure checks still run and the result says why.
    """
    doc, _problem = lenient_parse(text)
    try:
        result = run_check(doc, tone=True, pages=False, disabled_categories=disabled, extra_linters=extra)
    except Exception as exc:
        result = run_check(doc, tone=False, pages=False, disabled_categories=disabled)
        result.notices.append(f"Some checks are unavailable: {exc}")
    if known_pages is not None:
        extra = apply_suppressions(doc, length_findings(doc, result.kind, known_pages), disabled)
        if extra:
            result.findings = sort_findings(result.findings + extra)
        result.pages = known_pages
    return result


def check_with_heat(
    text: str, known_pages: int | None, disabled: list[str], extra: tuple[Linter, ...] = ()
) -> tuple[CheckResult, object]:
    """The check and its one-line tone verdict (an ``editor.tone.Heat``; None when the summary failed)."""
    result = check_text(text, known_pages, disabled, extra)
    try:
        from editor.tone import heat_summary  # in the worker: the tone engine is not loaded before first paint

        heat = heat_summary(result.document, result.findings)
    except Exception:  # the verdict is a nicety; the findings stand without it
        heat = None
    return result, heat


class LiveChecks(QObject):
    checked = Signal(int, object)  # revision, CheckResult
    toned = Signal(int, object)  # revision, editor.tone.Heat or None; emitted just before ``checked``
    paged = Signal(int, object)  # revision, exact pages (float: whole pages + last page's fill) or None
    previewed = Signal(int, str)  # revision, html
    busyChanged = Signal(bool)
    failed = Signal(str)

    def __init__(self, session: DocumentSession, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.preview_wanted = True
        self.layout_available: bool | None = None  # unknown until the first try
        self.exact_pages: tuple[int, int] | None = None  # (revision, pages)
        self.dropped = 0
        self.ui_costs: deque[float] = deque(maxlen=500)  # ms the UI thread spent per dispatch/apply
        self._disabled: list[str] | None = None
        self.extra_linters: tuple[Linter, ...] = ()  # more checkers (grammar, review) plug in here
        self._timers = {}
        for name, delay, slot in (
            ("check", CHECK_DELAY_MS, self._start_check),
            ("pages", PAGES_DELAY_MS, self._start_pages),
            ("preview", PREVIEW_DELAY_MS, self._start_preview),
        ):
            t = QTimer(self)
            t.setSingleShot(True)
            t.setInterval(delay)
            t.timeout.connect(slot)
            self._timers[name] = t
        session.changed.connect(self.schedule)
        self.layout = LayoutProcess(self)  # the exact count in a child process (in a thread when frozen)
        self.layout.finished.connect(lambda rev, pages: self._pages_done((rev, pages)))
        self.layout.failed.connect(self._layout_failed)

    def set_delays(self, check: int | None = None, pages: int | None = None, preview: int | None = None) -> None:
        for name, value in (("check", check), ("pages", pages), ("preview", preview)):
            if value is not None:
                self._timers[name].setInterval(value)

    def disabled_categories(self) -> list[str]:
        if self._disabled is None:
            self._disabled = list(load_settings().disabled_categories)
        return self._disabled

    def set_disabled_categories(self, categories: list[str]) -> None:
        """Tone categories switched off in the preferences; the next check honours them."""
        self._disabled = list(categories)

    def schedule(self, _revision: int | None = None) -> None:
        self._timers["check"].start()
        if self.layout_available is not False:
            self._timers["pages"].start()
        if self.preview_wanted:
            self._timers["preview"].start()

    def run_now(self) -> None:
        for t in self._timers.values():
            t.stop()
        self._start_check()
        if self.layout_available is not False:
            self._start_pages()
        if self.preview_wanted:
            self._start_preview()

    def busy(self) -> bool:
        return self.runner.busy("check") or self._timers["check"].isActive()

    def pages_busy(self) -> bool:
        return self.layout.busy() or self.runner.busy("pages") or self._timers["pages"].isActive()

    def record_ui_cost(self, ms: float) -> None:
        self.ui_costs.append(ms)

    # -- the three jobs ----------------------------------------------------------------------------
    def _start_check(self) -> None:
        t0 = time.perf_counter()
        rev, text = self.session.revision, self.session.text()
        exact = self.exact_pages[1] if self.exact_pages else None
        disabled, extra = self.disabled_categories(), self.extra_linters
        self.busyChanged.emit(True)
        self.runner.submit(
            "check", lambda: (rev, *check_with_heat(text, exact, disabled, extra)), self._check_done, latest=True
        )
        self.record_ui_cost((time.perf_counter() - t0) * 1000)

    def _check_done(self, result: object) -> None:
        if isinstance(result, BaseException):
            self.busyChanged.emit(False)
            self.failed.emit(f"The checks stopped with an error: {result}")
            return
        rev, check, heat = result
        if rev != self.session.revision:
            self.dropped += 1  # stale: a newer run is queued or its timer is running
            return
        self.busyChanged.emit(False)
        self.toned.emit(rev, heat)
        self.checked.emit(rev, check)

    def _start_pages(self) -> None:
        rev, text = self.session.revision, self.session.text()
        if self.layout.available:
            self.layout.request(rev, text)
            return

        def job():
            return rev, exact_pages(lenient_parse(text)[0])

        self.runner.submit("pages", job, self._pages_done, latest=True)

    def _layout_failed(self, revision: int, message: str) -> None:
        self.failed.emit(f"Exact page count unavailable: {message}")
        self.paged.emit(revision, None)

    def stop(self) -> None:
        for t in self._timers.values():
            t.stop()
        self.layout.stop()

    def _pages_done(self, result: object) -> None:
        if isinstance(result, BaseException):
            self.layout_available = False
            self.failed.emit(f"The exact page count is unavailable: {result}")
            self.paged.emit(self.session.revision, None)
            return
        rev, pages = result
        self.layout_available = pages is not None
        if pages is None:
            self.paged.emit(rev, None)
            return
        if rev != self.session.revision:
            self.dropped += 1
            return
        previous = self.exact_pages[1] if self.exact_pages else None
        self.exact_pages = (rev, math.ceil(pages))
        self.paged.emit(rev, pages)
        if previous != math.ceil(pages):
            QTimer.singleShot(0, self, self._start_check)  # the length finding depends on the count

    def _start_preview(self) -> None:
        if not self.preview_wanted:
            return
        rev, text = self.session.revision, self.session.text()
        self.runner.submit(
            "preview", lambda: (rev, preview_html(lenient_parse(text)[0])), self._preview_done, latest=True
        )

    def _preview_done(self, result: object) -> None:
        if isinstance(result, BaseException):
            self.failed.emit(f"The preview could not be drawn: {result}")
            return
        rev, html = result
        if rev != self.session.revision:
            self.dropped += 1
            return
        self.previewed.emit(rev, html)
