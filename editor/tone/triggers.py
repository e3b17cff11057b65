"""Trigger words for a regex: the words one of which must start a match.

Linting a page on every pause in typing cannot afford to run ~100 regexes over every paragraph.
Instead each rule is indexed by the words its patterns can start with (read from the parsed
pattern), and a paragraph only runs the rules whose trigger words it contains.
"""

from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

_MAX_PREFIXES = 2000
_SEPARATORS = frozenset(" -'’\t\n")
_WORD = re.compile(r"[a-z0-9]+")


class _Unknown(Exception):
    """The pattern can start with something no word lists (a class, a wildcard, a symbol)."""


def _set_chars(items) -> list[str] | None:
    """The literal characters of a small character set ([sS], [ -]), or None for classes and ranges."""
    out: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(chr(av))
        elif op is C.CATEGORY and av is C.CATEGORY_SPACE:
            out.append(" ")
        else:
            return None
    return out if len(out) <= 8 else None


def _extend(prefixes: set[str], seq, done: set[str]) -> set[str]:
    """Walks ``seq`` appending literal text to every open prefix; finished prefixes go to ``done``."""
    for op, av in seq:
        if not prefixes:
            break
        if op is C.AT or op in (C.ASSERT, C.ASSERT_NOT):
            continue
        if op is C.LITERAL:
            prefixes = {p + chr(av) for p in prefixes}
        elif op is C.IN:
            chars = _set_chars(av)
            if chars is None:
                done |= prefixes
                return set()
            prefixes = {p + c for p in prefixes for c in chars}
        elif op is C.SUBPATTERN:
            prefixes = _extend(prefixes, av[-1], done)
        elif op is C.BRANCH:
            branches = set()
            for alt in av[1]:
                branches |= _extend(set(prefixes), alt, done)
            prefixes = branches
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            lo, _hi, item = av
            taken = _extend(set(prefixes), item, done)
            if lo == 0:
                # optional: the match may skip it; after taking it once we stop reading (it may repeat)
                done |= taken
            else:
                # a repeated separator (\s+) can be read as one separator and continue
                if all(p and p[-1] in _SEPARATORS for p in taken) and taken:
                    prefixes = taken
                    continue
                done |= taken
                return set()
        else:
            done |= prefixes
            return set()
        if len(prefixes) + len(done) > _MAX_PREFIXES:
            raise _Unknown
    return prefixes


def literal_prefixes(pattern: str, flags: int = 0) -> set[str]:
    """Every literal text a match of ``pattern`` can start with; raises _Unknown when one is empty."""
    done: set[str] = set()
    rest = _extend({""}, P.parse(pattern, flags), done)
    found = done | rest
    if any(not p.strip(" -'’\t\n") for p in found):
        raise _Unknown
    return found


def trigger_for(prefix: str) -> tuple[str, bool]:
    """The word of a literal prefix to index by, and whether it may be cut short (a token prefix).

    Prefers the longest whole word, or a partial word of four letters or more.
    """
    text = prefix.lower().lstrip(" -'’\t\n")
    words = _WORD.findall(text)
    if not words:
        raise _Unknown
    last_partial = text[-1].isalnum()
    options = [(w, last_partial and i == len(words) - 1) for i, w in enumerate(words)]
    good = [o for o in options if not o[1] or len(o[0]) >= 4]
    return max(good or options, key=lambda o: len(o[0]))


def triggers(pattern: str, flags: int = 0) -> set[tuple[str, bool]] | None:
    """Trigger words for ``pattern``; None when the pattern must run on every paragraph."""
    try:
        return {trigger_for(p) for p in literal_prefixes(pattern, flags)}
    except (_Unknown, RecursionError):
        return None


class TriggerIndex:
    """Maps trigger words to rule keys and finds the rules a paragraph's words can trigger.

    A trigger of four letters or more matches every token that starts with it (``alway`` finds
    ``always``); a shorter one matches a whole token (``hr``), or any token starting with it when
    it came from a cut-short prefix.
    """

    def __init__(self) -> None:
        self._by4: dict[str, set] = {}
        self._exact: dict[str, set] = {}
        self._partial: dict[str, set] = {}
        self.always: set = set()

    def add(self, key, words: set[tuple[str, bool]] | None) -> None:
        if words is None:
            self.always.add(key)
            return
        for w, partial in words:
            if len(w) >= 4:
                self._by4.setdefault(w[:4], set()).add((key, w))
            elif partial:
                self._partial.setdefault(w, set()).add(key)
            else:
                self._exact.setdefault(w, set()).add(key)

    def candidates(self, tokens) -> set:
        found = set(self.always)
        by4, exact, partial = self._by4, self._exact, self._partial
        for t in tokens:
            hits = exact.get(t)
            if hits:
                found |= hits
            entries = by4.get(t[:4])
            if entries:
                for key, w in entries:
                    if t.startswith(w):
                        found.add(key)
            if partial:
                for n in (1, 2, 3):
                    hits = partial.get(t[:n])
                    if hits:
                        found |= hits
        return found
