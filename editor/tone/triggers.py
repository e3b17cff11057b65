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


# Words so common that indexing a rule by them would run it on almost every paragraph.
_COMMON_WORDS = (
    "the a an is are was were am be been being i we he she they it you to of in on at and or but for with"
    " that this these those not no has have had do did does my our your their his her me us them so as by"
    " from if all any every s t re ve ll d m one just very really what who how when where which there here"
)
_COMMON = frozenset(_COMMON_WORDS.split())


def _cost(words: frozenset) -> float:
    return sum(100.0 if w in _COMMON or len(w) < 2 else 1.0 for w, _p in words)


def _run_words(run: str, left_known: bool, right_known: bool) -> list[tuple[str, bool]]:
    """Usable words of a literal run: those whose start is known; the last may be a token prefix."""
    out = []
    for m in _WORD.finditer(run.lower()):
        starts_known = m.start() > 0 or left_known
        ends_known = m.end() < len(run) or right_known
        if starts_known:
            out.append((m.group(), not ends_known))
    return out


def _is_sep(op, av) -> bool:
    if op is C.LITERAL:
        return chr(av) in _SEPARATORS
    if op is C.IN:
        chars = _set_chars(av)
        return bool(chars) and all(c in _SEPARATORS for c in chars)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        lo, _hi, item = av
        return lo >= 1 and bool(item) and all(_is_sep(o, a) for o, a in item)
    return False


def _ends_with_sep(seq) -> bool:
    if not seq:
        return False
    op, av = list(seq)[-1]
    if op is C.SUBPATTERN:
        return _ends_with_sep(av[-1])
    if op is C.BRANCH:
        return all(_ends_with_sep(alt) for alt in av[1])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        return _ends_with_sep(av[2])
    return op is C.AT or _is_sep(op, av)


def _necessary(seq, boundary: bool = True) -> list[frozenset]:
    """OR-sets of words: every match of ``seq`` contains a word (or token prefix) of each set.

    ``boundary`` says whether the sequence starts where a word starts.
    """
    sets: list[frozenset] = []
    run = ""
    run_left = boundary

    def flush(right_known: bool) -> None:
        nonlocal run, boundary
        if run:
            for w in _run_words(run, run_left, right_known):
                sets.append(frozenset([w]))
            boundary = run[-1] in _SEPARATORS
        run = ""

    for op, av in seq:
        if op is C.LITERAL or (op is not C.LITERAL and _is_sep(op, av)):
            if not run:
                run_left = boundary
            run += chr(av) if op is C.LITERAL else " "
            continue
        if op is C.AT:
            flush(True)
            boundary = True
            continue
        if op in (C.ASSERT, C.ASSERT_NOT):
            continue
        flush(False)
        repeat = op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None)
        if repeat:
            lo, _hi, item = av
            if lo >= 1:
                sets += _necessary(item, boundary)
            after = _ends_with_sep(item)
            boundary = after and (boundary or lo >= 1)
            continue
        if op is C.SUBPATTERN:
            sets += _necessary(av[-1], boundary)
            boundary = _ends_with_sep(av[-1])
        elif op is C.BRANCH:
            best_per_branch: list[frozenset] | None = []
            for alt in av[1]:
                options = _necessary(alt, boundary)
                if not options:
                    best_per_branch = None
                    break
                best_per_branch.append(min(options, key=_cost))
            if best_per_branch:
                sets.append(frozenset().union(*best_per_branch))
            zero_width = all(all(o in (C.AT, C.ASSERT, C.ASSERT_NOT) for o, _a in alt) for alt in av[1])
            if not zero_width:
                boundary = all(_ends_with_sep(alt) for alt in av[1])
        else:
            boundary = False
    flush(False)
    return sets


def triggers(pattern: str, flags: int = 0) -> set[tuple[str, bool]] | None:
    """Words one of which every match of ``pattern`` contains; None when no such set is known."""
    try:
        options = _necessary(P.parse(pattern, flags))
    except RecursionError:
        return None
    options = [o for o in options if o]
    if not options:
        return None
    best = min(options, key=_cost)
    if _cost(best) >= 100 * len(best) and len(best) > 6:
        return None
    return set(best)


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

    def candidates(self, tokens) -> dict:
        """Key -> the tokens that triggered it (None for keys that always run)."""
        found: dict = dict.fromkeys(self.always)
        by4, exact, partial = self._by4, self._exact, self._partial

        def add(keys, t):
            for key in keys:
                got = found.get(key, ())
                if got is not None:
                    found[key] = (*got, t)

        for t in tokens:
            hits = exact.get(t)
            if hits:
                add(hits, t)
            entries = by4.get(t[:4])
            if entries:
                add([key for key, w in entries if t.startswith(w)], t)
            if partial:
                for n in (1, 2, 3):
                    hits = partial.get(t[:n])
                    if hits:
                        add(hits, t)
        return found
