"""Trigger words for a regex: words every match must contain, read from the parsed pattern.

Linting a page on every pause in typing cannot afford to run ~130 regexes over every paragraph.
Instead each pattern is filed under the sets of words its matches must contain (``necessary_sets``),
one regex pass over a paragraph's tokens finds which sets it meets (``TriggerTable``), and a pattern
runs only on the sentences that meet all of its sets.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Callable
from functools import reduce
from itertools import chain, compress, product
from math import prod
from operator import or_
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import NamedTuple

from editor.tone import pattern_cache
from editor.tone.fastregex import compile_fast

_SEPARATORS = frozenset(" -'’\t\n")
_WORD = re.compile(r"[a-z0-9]+")


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


# Words so common that indexing a rule by them would run it on almost every paragraph.
_COMMON_WORDS = (
    "the a an is are was were am be been being i we he she they it you to of in on at and or but for with"
    " that this these those not no has have had do did does my our your their his her me us them so as by"
    " from if all any every s t re ve ll d m one just very really what who how when where which there here"
)
_COMMON = frozenset(_COMMON_WORDS.split())


def _cost(words: frozenset) -> float:
    return sum(100.0 if w in _COMMON or len(w) < 2 else 1.0 for w, _p in words)


def has_run(tb: bytes, n: int) -> bool:
    """Whether ``n`` equal token characters follow each other (``soooo``), without a Python loop.

    Byte ``i`` of ``x ^ (x >> 8)`` is zero where byte ``i`` equals byte ``i - 1``; spaces are made
    non-zero; ``n`` equal characters in a row are then ``n - 1`` zero bytes in a row.
    """
    x = int.from_bytes(tb, "big")
    spaces = int.from_bytes(tb.translate(_SPACE_FLAG), "big")
    return b"\0" * (n - 1) in ((x ^ (x >> 8)) | spaces).to_bytes(len(tb), "big")


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


def _lead(alt, right: bool = False) -> tuple[str, bool] | None:
    """The word characters an alternative starts with, and whether the word is known to end there.

    ``right`` says a separator follows the alternation.
    """
    text = ""
    for op, av in alt:
        if op is not C.LITERAL:
            return (text, False) if text else None
        ch = chr(av).lower()
        if not _WORD.fullmatch(ch):
            return text, True
        text += ch
    return text, right


def _join_cost(words: frozenset) -> float:
    """Like ``_cost``, but a longer word is rarer (``deadline`` filters better than ``late``) and a
    set holding a word of nearly every sentence is not worth reading for at all."""
    return sum(
        1000.0 if w in _UBIQUITOUS else 100.0 if w in _COMMON or len(w) < 2 else 1.0 + 4.0 / min(len(w), 8)
        for w, _p in words
    )


def _either(alternatives: list[list[frozenset]]) -> list[frozenset]:
    """Sets every match of one of the alternatives meets: a set of each alternative, joined.

    Every combination of their three best sets when there are few, else the best with the best,
    the second with the second and so on.
    """
    ranked = [sorted(options, key=_join_cost)[:3] for options in alternatives]
    if prod(len(r) for r in ranked) <= 9:
        return [frozenset().union(*combo) for combo in product(*ranked)]
    return [frozenset().union(*(r[min(k, len(r) - 1)] for r in ranked)) for k in range(max(map(len, ranked)))]


def _literal_words(alternatives) -> list[str] | None:
    """The alternatives of an alternation as lowercased words, when each is letters only."""
    out = []
    for alt in alternatives:
        if not alt or any(op is not C.LITERAL or av not in _TOKEN_CHARS for op, av in alt):
            return None
        out.append("".join(chr(av) for _op, av in alt).lower())
    return out


def _is_sep_seq(seq) -> bool:
    """Whether a sequence is only separators (``[- ]``, `` ``)."""
    return bool(seq) and all(_is_sep(op, av) for op, av in seq)


def _starts_with_sep(node) -> bool:
    """Whether what comes next starts with a separator (so a word before it is known to end).

    ``\\b`` and ``(?![\\w-])`` (no word character next) count as separators.
    """
    op, av = node
    if op is C.AT:
        return av is not C.AT_NON_BOUNDARY
    if op is C.ASSERT_NOT and av[0] == 1 and len(av[1]) == 1 and av[1][0][0] is C.IN:
        return (C.CATEGORY, C.CATEGORY_WORD) in av[1][0][1]
    return _is_sep(op, av)


def _sep_follows(seq, k: int, right: bool) -> bool:
    """Whether every way of matching ``seq[k:]`` starts with a separator (``right``: what follows the
    sequence does). Optional parts that start with one are looked past (``(?:,? x)? y``)."""
    for op, av in list(seq)[k:]:
        if op in (C.ASSERT, C.ASSERT_NOT):
            if _starts_with_sep((op, av)):
                return True
            continue
        if op is C.AT:
            return av is not C.AT_NON_BOUNDARY
        repeat = op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None)
        if repeat and av[0] == 0:
            if not _sep_follows(av[2], 0, False):
                return False
            continue
        if repeat:
            return _sep_follows(av[2], 0, False)
        if op is C.BRANCH:
            return all(_sep_follows(alt, 0, False) for alt in av[1])
        if op is C.SUBPATTERN:
            return _sep_follows(av[-1], 0, False)
        return _is_sep(op, av)
    return right


def _small_set(op, av) -> list[str] | None:
    """The lowercased token characters of a small class (``[i1]``), for spelling a word both ways."""
    if op is not C.IN:
        return None
    chars = _set_chars(av)
    if not chars or " " in chars:
        return None
    low = sorted({c.lower() for c in chars})
    return low if len(low) <= 4 and all(_WORD.fullmatch(c) for c in low) else None


def _necessary(seq, boundary: bool = True, join: bool = False, right: bool = False, splits: int = 0) -> list[frozenset]:
    """OR-sets of words: every match of ``seq`` contains a word (or token prefix) of each set.

    ``boundary`` says whether the sequence starts where a word starts. ``join`` reads more: a word
    cut short by an alternation is completed with each alternative's first letters (``re`` parses
    ``might|may`` as ``m(?:ight|ay)``; the set is then {might, may}, not the prefix ``m``), a small
    class is spelled out (``sh[i1]t`` → {shit, sh1t}), an alternation gives a set for each of the
    first three sets of its alternatives, ``right`` says the sequence is followed by a separator,
    and runs of repeated letters (``f+u+c+k``, ``([a-z])\\1{3,}``) are members of their own.
    """
    sets: list[frozenset] = []
    run = [""]  # the literal text read so far, in every spelling a small class allows
    run_left = start_boundary = boundary
    run_from = 0  # where in ``seq`` the run starts
    elastic: list[tuple[str, bool]] = []  # letters, some repeated (f+u+c+k), in a row

    def close_elastic() -> None:
        if len(elastic) >= 3 and any(plus for _c, plus in elastic):
            sets.append(frozenset([("~" + "".join(c + "+" * plus for c, plus in elastic), True)]))
        elastic.clear()

    def flush(right_known: bool, branch=None) -> None:
        nonlocal run, boundary
        if run[0]:
            spellings = [_run_words(r, run_left, right_known) for r in run]
            if any(len(w) != len(spellings[0]) for w in spellings):
                spellings = []  # a spelling splits differently: keep no word of this run
            words = [frozenset(ws) for ws in zip(*spellings, strict=True)]
            joined = None
            last = spellings[0][-1] if spellings and spellings[0] else None
            if branch is not None and last is not None and last[1] and run[0][-1].isalnum():
                alts, branch_right = branch
                leads = [_lead(alt, branch_right) for alt in alts]
                if all(lead is not None for lead in leads):
                    stems = [w[-1][0] for w in spellings]
                    words.pop()
                    joined = frozenset((stem + lead, not ended) for stem in stems for lead, ended in leads)
            sets.extend(words)
            if joined:
                sets.append(joined)
            boundary = run[0][-1] in _SEPARATORS
        run = [""]

    for at, (op, av) in enumerate(seq):
        following = seq[at + 1] if at + 1 < len(seq) else None
        if join:
            letter = _elastic_letter(op, av)
            if letter is not None:
                elastic.append(letter)
            elif op not in (C.AT, C.ASSERT, C.ASSERT_NOT):
                close_elastic()
            if op is C.SUBPATTERN and following is not None:
                repeated = _repeated_run(av, following)
                if repeated:
                    sets.append(frozenset([(f"={repeated}", True)]))
        if op is C.LITERAL or (op is not C.LITERAL and _is_sep(op, av)):
            if not run[0]:
                run_left = boundary
                run_from = at
            ch = chr(av) if op is C.LITERAL else " "
            run = [r + ch for r in run]
            continue
        spelled = _small_set(op, av) if join and run[0] and run[0][-1].isalnum() else None
        if spelled is None and join and op is C.BRANCH and (not run[0] or run[0][-1].isalnum()):
            spelled = _literal_words(av[1])  # (?:low|poor|weak|under)performer: spell each out
            if spelled is not None and not run[0]:
                run_left, run_from = boundary, at
        if spelled is not None and len(run) * len(spelled) <= 16:
            run = [r + c for r in run for c in spelled]
            continue
        if op is C.AT:
            known = av is not C.AT_NON_BOUNDARY
            flush(known)
            boundary = known
            continue
        if op in (C.ASSERT, C.ASSERT_NOT):
            if join and _starts_with_sep((op, av)):
                flush(True)
            continue
        optional = op is C.MAX_REPEAT and av[:2] == (0, 1)
        mid_word = bool(run[0]) and run[0][-1].isalnum()
        # an optional separator right after a word (under[- ]?performer): glued or not
        glue = optional and not run[0] and at > 0 and _is_sep_seq(av[2]) and not _ends_with_sep([seq[at - 1]])
        if (
            join
            and optional
            and splits < 2
            and (mid_word or glue or (boundary and not run[0] and not _ends_with_sep(av[2])))
        ):
            # x?r matches what xr and r match: read both (with the word before, if x is inside one)
            if glue:
                sets.clear()  # read again, from the start, in both readings
                before, left = list(seq[:at]), start_boundary
            else:
                before = list(seq[run_from:at]) if run[0] else []
                left = run_left if run[0] else boundary
            rest = list(seq[at + 1 :])
            taken = _necessary([*before, *av[2], *rest], left, join, right, splits + 1)
            skipped = _necessary([*before, *rest], left, join, right, splits + 1)
            if taken and skipped:
                sets += _either([taken, skipped])
                close_elastic()
                return sets
        after_right = join and _sep_follows(seq, at + 1, right)
        flush(join and _sep_follows(seq, at, right), (av[1], after_right) if join and op is C.BRANCH else None)
        repeat = op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None)
        if repeat:
            lo, hi, item = av
            if lo >= 1:
                sets += _necessary(item, boundary, join, after_right and hi == 1, splits)
            after = _ends_with_sep(item)
            boundary = after and (boundary or lo >= 1)
            continue
        if op is C.SUBPATTERN:
            sets += _necessary(av[-1], boundary, join, after_right, splits)
            boundary = _ends_with_sep(av[-1])
        elif op is C.BRANCH:
            per_alt: list[list[frozenset]] = []
            for alt in av[1]:
                options = _necessary(alt, boundary, join, after_right, splits)
                if not options:
                    per_alt = []
                    break
                per_alt.append(options if join else [min(options, key=_cost)])
            if per_alt:
                sets += _either(per_alt) if join else [frozenset().union(*(o[0] for o in per_alt))]
            zero_width = all(all(o in (C.AT, C.ASSERT, C.ASSERT_NOT) for o, _a in alt) for alt in av[1])
            if not zero_width:
                boundary = all(_ends_with_sep(alt) for alt in av[1])
        else:
            boundary = False
    flush(right)
    close_elastic()
    return sets


_TOKEN_CHARS = frozenset(map(ord, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))


def _elastic_letter(op, av) -> tuple[str, bool] | None:
    """A token character (``k``) or a repeated one (``f+``) in a run of letters, else None."""
    if op is C.LITERAL and av in _TOKEN_CHARS:
        return chr(av).lower(), False
    repeat = op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None)
    if repeat and av[0] >= 1 and len(av[2]) == 1 and av[2][0][0] is C.LITERAL and av[2][0][1] in _TOKEN_CHARS:
        return chr(av[2][0][1]).lower(), True
    return None


def _repeated_run(group, following) -> int:
    """``([a-z])\\1{3,}``: the length of the run of one token character it needs, else 0."""
    number, _add, _del, body = group
    if number is None or len(body) != 1:
        return 0
    op, av = body[0]
    if op is C.IN:
        chars = _set_chars(av)
        if not (chars or all(iop is C.RANGE for iop, _ in av)):
            return 0
        for iop, iav in av:
            cps = [iav] if iop is C.LITERAL else range(iav[0], iav[1] + 1) if iop is C.RANGE else [-1]
            if any(cp not in _TOKEN_CHARS for cp in cps):
                return 0
    elif not (op is C.LITERAL and av in _TOKEN_CHARS):
        return 0
    fop, fav = following
    repeat = fop in (C.MAX_REPEAT, C.MIN_REPEAT) or fop is getattr(C, "POSSESSIVE_REPEAT", None)
    if repeat and fav[0] >= 1 and len(fav[2]) == 1 and fav[2][0] == (C.GROUPREF, number):
        return fav[0] + 1
    return 0


def necessary_sets(pattern: str, flags: int = 0) -> list[frozenset[tuple[str, bool]]]:
    """Every OR-set of words a match of ``pattern`` must contain one of (all of them, not the cheapest).

    A word ``(w, partial)`` is met by a token of the lowercased text (``[a-z0-9]+``) equal to ``w``,
    or starting with it when ``partial``.
    """
    return pattern_cache.memo(
        "sets",
        pattern,
        flags,
        lambda: _necessary_sets(pattern, flags),
        pattern_cache.encode_sets,
        pattern_cache.decode_sets,
    )


def _necessary_sets(pattern: str, flags: int) -> list[frozenset[tuple[str, bool]]]:
    try:
        options = _necessary(P.parse(pattern, flags), join=True)
    except RecursionError:
        return []
    # a set holding all the words of another is met whenever that one is: keep the smaller;
    # and the few rarest are what decides, so keep at most MAX_SETS
    options = sorted({o for o in options if o}, key=lambda o: (_join_cost(o), sorted(o)))
    out: list[frozenset] = []
    for o in options:
        if not any(kept <= o for kept in out):
            out.append(o)
    return out[:MAX_SETS]


MAX_SETS = 8


def _acceptable(items) -> bool:
    """A character class rarer than letters and spaces: digits, punctuation, symbols."""
    for op, av in items:
        if op is C.LITERAL:
            if chr(av).isalpha() or chr(av).isspace():
                return False
        elif op is C.RANGE:
            lo, hi = av
            if hi - lo > 10_000 or any(chr(c).isalpha() or chr(c).isspace() for c in range(lo, hi + 1)):
                return False
        elif not (op is C.CATEGORY and av is C.CATEGORY_DIGIT):
            return False
    return True


def _last_chars(node) -> set[int] | None:
    """The characters a node that must match can end with, when it is a small literal choice."""
    op, av = node
    if op is C.LITERAL:
        return {av}
    if op is C.IN:
        chars = _set_chars(av)
        return {ord(c) for c in chars} if chars else None
    if op is C.BRANCH:
        out: set[int] = set()
        for alt in av[1]:
            last = _last_chars(alt[-1]) if len(alt) else None
            if last is None:
                return None
            out |= last
        return out
    if op is C.SUBPATTERN:
        return _last_chars(av[-1][-1]) if len(av[-1]) else None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1 and len(av[2]):
        return _last_chars(av[2][-1])
    return None


def _required(seq) -> tuple[list, set[int] | None] | None:
    """Class items one of which every match of ``seq`` contains, if such a rare class is found,
    and the characters that always come right before it (``f*``: f), when known."""
    before: set[int] | None = None
    for op, av in seq:
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        found = None
        pair = before
        if op is C.LITERAL:
            found = [(op, av)]
        elif op is C.IN:
            found = list(av)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            inner = _required(av[2]) if av[0] >= 1 else None
            found, pair = (inner[0], before if inner[1] is None else inner[1]) if inner else (None, None)
            if inner and len(av[2]) > 1:
                pair = inner[1]
            elif inner and av[0] >= 2 and len(av[2]) == 1:
                pair = _last_chars(av[2][0])  # the second one follows the first (!!)
        elif op is C.SUBPATTERN:
            inner = _required(av[-1])
            found, pair = inner if inner else (None, None)
        elif op is C.BRANCH:
            per_alt = [_required(alt) for alt in av[1]]
            found = None if any(x is None for x in per_alt) else [item for x in per_alt for item in x[0]]
            pair = None
        if found and _acceptable(found):
            return found, pair
        repeat = op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None)
        before = None if repeat and av[0] == 0 else _last_chars((op, av))
    return None


def required_chars(pattern: str, flags: int = 0) -> Callable[[str], bool] | None:
    """A test for one character of a class every match contains (a digit, ``*``, ``!`` …), if any.

    For patterns with no trigger word: the cheap test decides whether the pattern runs at all.
    When the characters before it are known (``f*``, ``sh*``), the test asks for them too; when
    every character of the class is rare in prose (emoji), a search for any character that high
    rules most texts out quickly.
    """
    try:
        got = _required(P.parse(pattern, flags))
    except (re.error, RecursionError):
        return None
    if not got:
        return None
    items, before = got
    parts, lowest = [], sys.maxunicode
    for op, av in items:
        if op is C.LITERAL:
            parts.append(re.escape(chr(av)))
            lowest = min(lowest, av)
        elif op is C.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
            lowest = min(lowest, av[0])
        else:
            parts.append(r"\d")
            lowest = 0
    rare = "[" + "".join(parts) + "]"
    if before:
        prev = "[" + "".join(re.escape(chr(c)) for c in sorted(before)) + "]"
        search = compile_fast(f"{rare}(?<={prev}{rare})", flags & re.I).search
    else:
        search = re.compile(rare).search
    if lowest < 0x2000:
        return lambda text: search(text) is not None
    # one range test per character rules most texts out before the class itself is tried
    above = re.compile(f"[{re.escape(chr(lowest))}-\\U0010ffff]").search
    return lambda text: above(text) is not None and search(text) is not None


def triggers(pattern: str, flags: int = 0) -> set[tuple[str, bool]] | None:
    """Words one of which every match of ``pattern`` contains; None when no such set is known."""
    got = pattern_cache.memo(
        "triggers",
        pattern,
        flags,
        lambda: [] if (words := _triggers(pattern, flags)) is None else [frozenset(words)],
        pattern_cache.encode_sets,
        pattern_cache.decode_sets,
    )
    return set(got[0]) if got else None


def _triggers(pattern: str, flags: int) -> set[tuple[str, bool]] | None:
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


# Words in nearly every sentence: a set holding one is met almost anywhere, so prefer another.
_UBIQUITOUS = frozenset("the a an and of to in i is it that for was as at be with s t or".split())  # noqa: SIM905


def _usable(words: frozenset) -> bool:
    """Whether a set is worth checking: no one-letter prefix, which nearly every text starts a word with."""
    return all(len(w) >= 2 or not p for w, p in words)


_SPACE_FLAG = bytes(1 if c == 32 else 0 for c in range(256))
# lowercased text -> token bytes: [a-z0-9] kept, everything else a space (offsets unchanged)
TOKEN_BYTES = bytes(c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256))


def token_bytes(lowered: str) -> bytes:
    """`` <lowered text> `` as bytes with every character outside ``[a-z0-9]`` a space.

    Byte ``k + 1`` is character ``k`` of the text, so a token starting at ``k`` follows a space.
    """
    return (" " + lowered + " ").encode("latin-1", "replace").translate(TOKEN_BYTES)


def _special(item: str):
    """A test on token bytes for a member that is not a word: ``~f+u+c+k`` or ``=4`` (a run)."""
    if item.startswith("="):
        n = int(item[1:])
        return lambda tb: has_run(tb, n)
    body = item[1:]
    # f+u+c+k -> ff*u+c+k: a literal first character lets re skip straight to it
    source = body[0] + body[0] + "*" + body[2:] if body[1:2] == "+" else body
    return re.compile(source.encode()).search


class Reading(NamedTuple):
    """What a trigger table read in some texts' tokens."""

    masks: defaultdict[bytes, int]  # token -> bit mask of the sets it meets (0 if none)
    filed: defaultdict[bytes, tuple]  # token -> keys of the patterns filed under those sets
    testable: int  # bit mask of the sets whose tests beyond words may pass (they passed on all the texts)
    live: frozenset[bytes]  # the tokens read that meet some set (the others have mask 0 and file nothing)


class TriggerTable:
    """Which patterns a paragraph (or sentence) can match, from one regex pass over its tokens.

    Each pattern is filed under its necessary word sets (``necessary_sets``); a pattern is a
    candidate only where every one of its sets is met. The trigger words of all sets form one
    alternation (longest first) run over ``token_bytes``: the longest trigger word a token meets
    says which sets it meets (all shorter triggers it meets are prefixes of that one). Members
    that are not words (``~f+u+c+k``, ``=4``) are tested only when a pattern needs them.
    """

    def __init__(self, keyed: list[tuple[object, list[frozenset]]]) -> None:
        ids: dict[frozenset, int] = {}
        self.required: dict[object, int] = {}  # key -> bit mask of the sets it needs
        self.required_words: dict[object, int] = {}  # … of those made of words only
        self.free: list = []  # keys with no usable set: candidates everywhere
        self._tested: tuple = ()  # keys with only sets that need a test beyond words
        by_set: dict[int, list] = {}
        for key, sets in keyed:
            usable = [s for s in sets if _usable(s)]
            self.required[key] = _mask(ids.setdefault(s, len(ids)) for s in usable)
            plain = [s for s in usable if not any(w[0] in "~=" for w, _p in s)]
            self.required_words[key] = _mask(ids[s] for s in plain)
            if not usable:
                self.free.append(key)
            elif not plain:
                self._tested += (key,)
            else:
                # filed under its most selective set: the one of the rarest words
                best = min(plain, key=_join_cost)
                by_set.setdefault(ids[best], []).append(key)
        prefix: dict[str, set[int]] = {}  # a token starting with the word meets these sets
        exact: dict[str, set[int]] = {}  # a token equal to the word meets these sets
        tests: dict[str, object] = {}
        self._tests: dict[int, tuple] = {}  # set -> tests of its members that are not words
        for s, sid in ids.items():
            for w, partial in s:
                if w[0] in "~=":
                    if w not in tests:
                        tests[w] = _special(w)
                    self._tests[sid] = (*self._tests.get(sid, ()), tests[w])
                else:
                    (prefix if partial else exact).setdefault(w, set()).add(sid)
        self._testable = _mask(self._tests)  # sets with members that are not words
        # the keys a test beyond words can make candidates (any other key's sets are met by words or not at all)
        self._with_tests = frozenset(k for k, r in self.required.items() if r & self._testable)

        def filed_under(sids: set[int]) -> tuple:
            return tuple(k for sid in sorted(sids) for k in by_set.get(sid, ()))

        def starting(w: str) -> set[int]:  # the sets of the word starts a token ``w`` meets
            under: set[int] = set()
            for n in range(1, len(w) + 1):
                under |= prefix.get(w[:n], set())
            return under

        # a token equal to a word: the sets of that word and of the word starts it meets, and the
        # patterns filed under them (such a token needs no regex)
        self._exact = {w.encode(): _mask(sids | starting(w)) for w, sids in exact.items()}
        self._exact_filed = {w.encode(): filed_under(sids | starting(w)) for w, sids in exact.items()}
        # a token starting with a word: the sets of that word and of every shorter word it starts with
        self._prefix: dict[bytes, int] = {}
        self._prefix_filed: dict[bytes, tuple] = {}
        for w in prefix:
            self._prefix[w.encode()] = _mask(starting(w))
            self._prefix_filed[w.encode()] = filed_under(starting(w))
        # one match per token of `` tok tok tok ``: the longest word it starts with (or b""), then the rest
        alts = [re.escape(w) for w in sorted(prefix, key=lambda w: (-len(w), w))]
        source = (" (?:(" + "|".join(alts) + ")|)[a-z0-9]*").encode()
        self._regex = compile_fast(source, 0) if alts else None
        self.sets = len(ids)

    def read(self, tokens: set[bytes], tb: bytes = b"") -> Reading:
        """For each token: the bit mask of the sets it meets, and the patterns filed under them.

        One regex pass over all the tokens (of a whole document, when many paragraphs are read).
        ``tb`` is the token bytes of all those texts: tests beyond words that fail on all of them
        (``f+u+c+k``, a run of one letter) are settled for each text at once.
        """
        testable = _mask(sid for sid, tests in self._tests.items() if any(test(tb) for test in tests))
        # whole words: looked up; the other tokens (a token a word starts): one regex pass over them
        whole = tokens & self._exact.keys()
        masks: defaultdict[bytes, int] = defaultdict(int, zip(whole, map(self._exact.__getitem__, whole), strict=True))
        filed: defaultdict[bytes, tuple] = defaultdict(
            tuple, zip(whole, map(self._exact_filed.__getitem__, whole), strict=True)
        )
        if self._regex is not None:
            order = list(tokens - whole)
            # the longest word each token starts with (b"" if none); findall gives one more at the end
            found = self._regex.findall(b" " + b" ".join(order) + b" ")
            starting = list(compress(order, found))
            words = list(filter(None, found))
            masks.update(zip(starting, map(self._prefix.__getitem__, words), strict=True))
            filed.update(zip(starting, map(self._prefix_filed.__getitem__, words), strict=True))
        return Reading(masks, filed, testable, frozenset(masks))

    def met(self, tb: bytes) -> int:
        """Bit mask of the sets whose words the token bytes of a text hold (no tests beyond words)."""
        tokens = set(tb.split())
        return reduce(or_, map(self.read(tokens).masks.__getitem__, tokens), 0)

    def candidates(
        self, tb: bytes, known: Reading | None = None, tokens: list[bytes] | None = None, met: int | None = None
    ) -> list:
        """Keys of the patterns all of whose sets the text meets (and those with no usable set).

        ``known`` is what ``read`` gave for the text's tokens (or more); ``tokens`` the text's
        tokens, if the caller has them.
        """
        if tokens is None:
            tokens = tb.split()
        masks, filed, testable, live = known if known is not None else self.read(set(tokens), tb)
        hot = live.intersection(tokens)  # about half the tokens of prose meet no set: skip them in C
        if met is None:  # else the caller has it (from the sentences)
            met = reduce(or_, map(masks.__getitem__, hot), 0)
        required = self.required
        unmet = ~met
        keys = set(chain.from_iterable(map(filed.__getitem__, hot)))
        keys.update(self._tested)
        out = [*self.free, *[key for key in keys if not required[key] & unmet]]
        open_tests = testable & unmet  # sets a test beyond words may still meet
        if not open_tests:
            return out
        untestable = unmet & ~open_tests
        passed: dict[int, bool] = {}
        for key in self._with_tests.intersection(keys):
            missing = required[key] & unmet
            if not missing or missing & untestable:
                continue
            while missing:  # sets not met by words: a test of their other members decides
                sid = missing.bit_length() - 1
                ok = passed.get(sid)
                if ok is None:
                    ok = passed[sid] = any(test(tb) for test in self._tests[sid])
                if not ok:
                    break
                missing &= ~(1 << sid)
            else:
                out.append(key)
        return out


def _mask(ids) -> int:
    out = 0
    for i in ids:
        out |= 1 << i
    return out
