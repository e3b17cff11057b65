"""Grammar findings from LanguageTool, paragraph by paragraph, with a cache so unchanged text is never re-sent.

The client is language-tool-python's ``LanguageTool`` pointed at a server (``remote_server=``); the
checker sends each paragraph that is not in its cache, maps the matches back to file offsets and
turns them into ``Finding``s (rule ``grammar.<LT rule id>``, category ``grammar``).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from editor.findings import Finding
from editor.grammar.prose import ProseChunk, prose_chunks
from editor.model import Document

CACHE_PARAGRAPHS = 4096
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
    """Names the writer declared (people, author): not spelling mistakes, whatever the dictionary says."""
    words: set[str] = set()
    for person in doc.people:
        words.update(w.casefold() for w in re.findall(r"[\w'’-]+", person.name))
    words.update(w.casefold() for w in re.findall(r"[\w'’-]+", doc.author))
    return words


class GrammarChecker:
    """Checks documents through one LanguageTool client; safe to call from several threads."""

    def __init__(self, client: Client, *, cache_size: int = CACHE_PARAGRAPHS) -> None:
        self.client = client
        self.cache_size = cache_size
        self._cache: OrderedDict[str, tuple[RawMatch, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self.sent_paragraphs = 0  # how many paragraphs went to the server (the cache's misses)

    def cached(self, text: str) -> tuple[RawMatch, ...] | None:
        with self._lock:
            got = self._cache.get(text)
            if got is not None:
                self._cache.move_to_end(text)
            return got

    def _remember(self, text: str, matches: tuple[RawMatch, ...]) -> None:
        with self._lock:
            self._cache[text] = matches
            self._cache.move_to_end(text)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def matches_for(self, text: str) -> tuple[RawMatch, ...]:
        """LanguageTool's matches for one paragraph, from the cache or the server (errors propagate)."""
        got = self.cached(text)
        if got is not None:
            return got
        with _CLIENT_LOCK:
            matches = tuple(_raw(m, text) for m in self.client.check(text))
        with self._lock:
            self.sent_paragraphs += 1
        self._remember(text, matches)
        return matches

    def check_chunks(self, text: str, chunks: Iterable[ProseChunk], known: set[str] = frozenset()) -> list[Finding]:
        findings: list[Finding] = []
        for chunk in chunks:
            for m in self.matches_for(chunk.text):
                finding = self._finding(text, chunk, m, known)
                if finding is not None:
                    findings.append(finding)
        return findings

    def check_text(self, text: str, body_start: int = 0, known: set[str] = frozenset()) -> list[Finding]:
        return self.check_chunks(text, prose_chunks(text, body_start), known)

    def check_document(self, doc: Document) -> list[Finding]:
        return self.check_text(doc.text, doc.front_matter_end, known_words(doc))

    def __call__(self, doc: Document) -> list[Finding]:
        """A linter for ``editor.check.check``."""
        return self.check_document(doc)

    @staticmethod
    def _finding(text: str, chunk: ProseChunk, m: RawMatch, known: set[str]) -> Finding | None:
        length = m.end - m.start
        start, end = chunk.file_span(m.start, length)
        if length and chunk.is_quiet(start, end):
            return None
        if m.category == SPELLING_CATEGORY and text[start:end].casefold() in known:
            return None
        suggestion = None
        if m.replacements and chunk.is_exact(text, m.start, length) and m.replacements[0] != text[start:end]:
            suggestion = m.replacements[0]
        message = m.message or "LanguageTool flags this."
        if len(m.replacements) > 1 and suggestion is not None:
            others = ", ".join(f"“{r}”" for r in m.replacements[1:3])
            message += f" (or {others})"
        return Finding(
            f"grammar.{m.rule_id}",
            "grammar",
            severity_of(m.category, m.issue_type),
            start,
            end,
            message,
            suggestion,
        )
