"""Grammar findings from LanguageTool, paragraph by paragraph, with a cache so unchanged text is never re-sent.

The client is language-tool-python's ``LanguageTool`` pointed at a server (``remote_server=``); the
checker sends the paragraphs that are not in its cache (batched, a page or two a request), caches
each paragraph's matches, maps them back to file offsets and turns them into ``Finding``s (rule
``grammar.<LT rule id>``, category ``grammar``).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from editor.findings import Finding
from editor.grammar.prose import ProseChunk, prose_chunks
from editor.model import Document

CACHE_PARAGRAPHS = 4096
BATCH_CHARS = 6000  # about two pages of prose per request
DEFAULT_LANGUAGE = "en-US"
LANGUAGES = ("en-US", "en-GB", "en-CA", "en-AU", "en-NZ", "en-ZA", "en")  # what language-en checks
# Grammar never blocks the export: LanguageTool is often right but not always, so nothing here is an error.
_INFO_ISSUES = {"style", "typographical", "whitespace", "register", "locale-violation", "terminology"}
_WARNING_CATEGORIES = {
    "TYPOS",
    "GRAMMAR",
    "CONFUSED_WORDS",
    "PUNCTUATION",
    "CASING",
    "COMPOUNDING",
    "SEMANTICS",
    "MISC",
    "NONSTANDARD_PHRASES",
    "COLLOCATIONS",
}
_WARNING_ISSUES = {"misspelling", "grammar", "duplication", "omission", "addition", "inconsistency"}
SPELLING_CATEGORY = "TYPOS"

# language-tool-python builds its Match objects with class-level state (the last text's astral-character
# positions), so two checks must not build matches at the same time.
_CLIENT_LOCK = threading.Lock()


class Client(Protocol):
    def check(self, text: str) -> list: ...


@dataclass(frozen=True, slots=True)
class RawMatch:
    """A LanguageTool match as cached: offsets into the sent paragraph, in Python characters."""

    start: int
    end: int
    rule_id: str
    category: str
    issue_type: str
    message: str
    replacements: tuple[str, ...]


def severity_of(category: str, issue_type: str) -> str:
    if issue_type in _INFO_ISSUES:
        return "info"
    if category in _WARNING_CATEGORIES or issue_type in _WARNING_ISSUES:
        return "warning"
    return "info"


def _end_of(text: str, start: int, utf16_length: int) -> int:
    """LanguageTool counts UTF-16 units; language-tool-python fixes the offset but not the length."""
    units, i = 0, start
    while i < len(text) and units < utf16_length:
        units += 2 if ord(text[i]) > 0xFFFF else 1
        i += 1
    return i


def _raw(match, text: str) -> RawMatch:
    start = max(0, min(int(match.offset), len(text)))
    return RawMatch(
        start,
        _end_of(text, start, int(match.error_length)),
        str(match.rule_id),
        str(match.category or ""),
        str(match.rule_issue_type or ""),
        str(match.message or "").strip(),
        tuple(str(r) for r in (match.replacements or [])[:5]),
    )


def known_words(doc: Document) -> set[str]:
    """Names the writer declared (people, recipients, author): not spelling mistakes, whatever the dictionary says."""
    names = [p.name for p in doc.people] + [doc.author]
    recipients = doc.meta.get("recipients") or []
    if isinstance(recipients, list):
        names += [str(r.get("name") or "") if isinstance(r, dict) else str(r) for r in recipients]
    return {w.casefold() for name in names for w in re.findall(r"[\w'’-]+", name)}


def document_language(doc: Document) -> str:
    """The English variant to check: ``language:`` in the front matter, else British on A4 paper, else US."""
    raw = str(doc.meta.get("language") or doc.meta.get("lang") or "").strip().replace("_", "-")
    head, _, region = raw.partition("-")
    tag = f"{head.lower()}-{region.upper()}" if region else head.lower()
    if tag in LANGUAGES:
        return tag
    return "en-GB" if str(doc.meta.get("page_size") or "").strip().lower() == "a4" else DEFAULT_LANGUAGE


def _looks_like_name(word: str) -> bool:
    return word[:1].isupper() and any(c.islower() for c in word[1:]) and all(c.isalpha() or c in "-'’" for c in word)


def _mid_sentence(chunk_text: str, at: int) -> bool:
    before = chunk_text[:at].rstrip()
    return bool(before) and before[-1] not in ".!?:;\"“”'’—–-(["


class GrammarChecker:
    """Checks documents through LanguageTool clients (one per English variant); safe from several threads.

    ``connect(language)`` returns a language-tool-python client for that variant; clients are made
    once and kept, and ``reconnect`` swaps them after a server restart while the cache stays.
    """

    def __init__(self, connect: Callable[[str], Client], *, cache_size: int = CACHE_PARAGRAPHS) -> None:
        self.connect = connect
        self.cache_size = cache_size
        self._clients: dict[str, Client] = {}
        self._cache: OrderedDict[tuple[str, str], tuple[RawMatch, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self.sent_paragraphs = 0  # how many paragraphs went to the server (the cache's misses)
        self.sent_requests = 0

    def client(self, language: str = DEFAULT_LANGUAGE) -> Client:
        with _CLIENT_LOCK:
            got = self._clients.get(language)
            if got is None:
                got = self._clients[language] = self.connect(language)
            return got

    def reconnect(self, connect: Callable[[str], Client]) -> None:
        with _CLIENT_LOCK:
            self.connect = connect
            self._clients.clear()

    def cached(self, text: str, language: str = DEFAULT_LANGUAGE) -> tuple[RawMatch, ...] | None:
        with self._lock:
            got = self._cache.get((language, text))
            if got is not None:
                self._cache.move_to_end((language, text))
            return got

    def _remember(self, key: tuple[str, str], matches: tuple[RawMatch, ...]) -> None:
        with self._lock:
            self._cache[key] = matches
            self._cache.move_to_end(key)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def matches_for(self, text: str, language: str = DEFAULT_LANGUAGE) -> tuple[RawMatch, ...]:
        """LanguageTool's matches for one paragraph, from the cache or the server (errors propagate)."""
        got = self.cached(text, language)
        if got is None:
            self.fetch([text], language)
            got = self.cached(text, language)
        return got or ()

    def fetch(self, texts: Iterable[str], language: str = DEFAULT_LANGUAGE, stop: Callable[[], bool] = bool) -> None:
        """Sends the paragraphs not in the cache, several to a request, and caches each one's matches.

        A request per paragraph costs ~25 ms of overhead, so a whole document goes in batches of about a
        page (paragraphs joined by blank lines, which LanguageTool reads as paragraph breaks); ``stop`` is
        asked between batches so a worker can give up on a text the writer has already changed.
        """
        pending = [t for t in dict.fromkeys(texts) if self.cached(t, language) is None]
        batch: list[str] = []
        size = 0
        for text in pending:
            if batch and size + len(text) > BATCH_CHARS:
                self._send(batch, language)
                batch, size = [], 0
                if stop():
                    return
            batch.append(text)
            size += len(text) + 2
        if batch:
            self._send(batch, language)

    def _send(self, texts: list[str], language: str) -> None:
        joined = "\n\n".join(texts)
        client = self.client(language)
        with _CLIENT_LOCK:
            raw = [_raw(m, joined) for m in client.check(joined)]
        starts, at = [], 0
        for t in texts:
            starts.append(at)
            at += len(t) + 2
        per: list[list[RawMatch]] = [[] for _ in texts]
        for m in raw:
            i = bisect.bisect_right(starts, m.start) - 1
            lo, hi = starts[i], starts[i] + len(texts[i])
            if m.end <= hi:  # a match across a paragraph break belongs to neither; the paragraph-level view wins
                per[i].append(dataclasses.replace(m, start=m.start - lo, end=m.end - lo))
        with self._lock:
            self.sent_paragraphs += len(texts)
            self.sent_requests += 1
        for t, matches in zip(texts, per, strict=True):
            self._remember((language, t), tuple(matches))

    def check_chunks(
        self,
        text: str,
        chunks: Iterable[ProseChunk],
        known: set[str] = frozenset(),
        language: str = DEFAULT_LANGUAGE,
    ) -> list[Finding]:
        chunks = list(chunks)
        self.fetch((c.text for c in chunks), language)
        findings: list[Finding] = []
        for chunk in chunks:
            for m in self.matches_for(chunk.text, language):
                finding = self._finding(text, chunk, m, known)
                if finding is not None:
                    findings.append(finding)
        return findings

    def check_text(
        self, text: str, body_start: int = 0, known: set[str] = frozenset(), language: str = DEFAULT_LANGUAGE
    ) -> list[Finding]:
        return self.check_chunks(text, prose_chunks(text, body_start), known, language)

    def check_document(self, doc: Document) -> list[Finding]:
        return self.check_text(doc.text, doc.front_matter_end, known_words(doc), document_language(doc))

    def __call__(self, doc: Document) -> list[Finding]:
        """A linter for ``editor.check.check``."""
        return self.check_document(doc)

    @staticmethod
    def _finding(text: str, chunk: ProseChunk, m: RawMatch, known: set[str]) -> Finding | None:
        length = m.end - m.start
        start, end = chunk.file_span(m.start, length)
        if length and chunk.is_quiet(start, end):
            return None
        word = text[start:end]
        severity = severity_of(m.category, m.issue_type)
        message = m.message or "LanguageTool flags this."
        suggestion = None
        if m.replacements and chunk.is_exact(text, m.start, length) and m.replacements[0] != word:
            suggestion = m.replacements[0]
        if m.category == SPELLING_CATEGORY:
            if word.casefold() in known:
                return None
            if _looks_like_name(word) and _mid_sentence(chunk.text, m.start):
                # A capitalised word mid-sentence is most often a name; "Amide" for "Olamide" helps nobody.
                severity, suggestion = "info", None
                message = f"“{word}” is not in the dictionary. If it is a name, add it to people in the front matter."
        if len(m.replacements) > 1 and suggestion is not None:
            others = ", ".join(f"“{r}”" for r in m.replacements[1:3])
            message += f" (or {others})"
        return Finding(f"grammar.{m.rule_id}", "grammar", severity, start, end, message, suggestion)
