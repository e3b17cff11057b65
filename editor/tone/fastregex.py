"""Rule patterns recompiled to run faster in Python's ``re`` while matching exactly the same text.

Two things make the packs' patterns slow in ``re``: case-insensitive literals (the engine cannot skip
a non-matching alternative of a ``BRANCH`` cheaply when it starts with an ``*_IGNORE`` opcode), and
long alternations of words (``re`` tries every alternative in turn; it builds no trie). So each
case-insensitive pattern is parsed, every cased letter becomes the exact class of characters
``re.IGNORECASE`` lets it match (``k`` → ``[kK\u212a]``), and the alternatives of every alternation
are grouped by their first character into a trie. Both rewrites keep the order in which ``re``
tries things, so matches, groups and spans are the same; tests/test_tone_fastregex.py checks the
letter classes against ``re`` itself over all of Unicode. A pattern using something the rewrite does
not cover (a non-ASCII cased letter, a back-reference under ``IGNORECASE``) is compiled as written.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import re

from editor.tone import pattern_cache

try:
    from re import _casefix, _compiler, _parser  # type: ignore[attr-defined]
    from re import _constants as C  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python layout: compile patterns as written
    _casefix = _compiler = _parser = C = None

_I = re.IGNORECASE
# Every character ``re.IGNORECASE`` matches for an ASCII letter (the Kelvin sign for k, the long s
# for s, the dotted and dotless i for i; see re/_casefix.py).
_EXTRA = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}
LETTER_CLASSES: dict[str, tuple[int, ...]] = {
    c: tuple(sorted(ord(x) for x in c + c.upper() + _EXTRA.get(c, ""))) for c in "abcdefghijklmnopqrstuvwxyz"
}
_MAX_SET = 64  # first-character sets larger than this are not used to group alternatives


class _Keep(Exception):
    """The pattern uses something the rewrite does not handle; compile it as written."""


def _cased(cp: int) -> bool:
    ch = chr(cp)
    return ch.lower() != ch or ch.upper() != ch


def _letter_class(cp: int) -> tuple[int, ...] | None:
    """The code points ``re.IGNORECASE`` matches for ``cp``; None when it is not cased."""
    if not _cased(cp):
        return None
    ch = chr(cp)
    if ch.isascii():
        return LETTER_CLASSES[ch.lower()]
    raise _Keep


def _caseless_set(items: list) -> list:
    out: list = []
    for op, av in items:
        if op is C.LITERAL:
            cls = _letter_class(av)
            out += [(C.LITERAL, av)] if cls is None else [(C.LITERAL, x) for x in cls]
        elif op is C.RANGE:
            lo, hi = av
            if not any(map(_cased, range(lo, hi + 1))):
                out.append((op, av))
                continue
            if hi - lo > 256:
                raise _Keep
            for cp in range(lo, hi + 1):
                cls = _letter_class(cp)
                out += [(C.LITERAL, cp)] if cls is None else [(C.LITERAL, x) for x in cls]
        elif op in (C.NEGATE, C.CATEGORY):
            out.append((op, av))
        else:
            raise _Keep
    return out


def _caseless(seq: list, ignore: bool) -> None:
    """Rewrites ``seq`` in place so it matches without IGNORECASE what it matched with it."""
    for k, (op, av) in enumerate(seq):
        if op is C.LITERAL or op is C.NOT_LITERAL:
            cls = _letter_class(av) if ignore else None
            if cls is not None:
                items = [(C.LITERAL, x) for x in cls]
                seq[k] = (C.IN, items if op is C.LITERAL else [(C.NEGATE, None), *items])
        elif op is C.IN:
            if ignore:
                seq[k] = (op, _caseless_set(av))
        elif op is C.SUBPATTERN:
            group, add, dele, p = av
            inner = (ignore or bool(add & _I)) and not dele & _I
            _caseless(p.data, inner)
            seq[k] = (op, (group, add & ~_I, dele & ~_I, p))
        elif op is C.BRANCH:
            for alt in av[1]:
                _caseless(alt.data, ignore)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            _caseless(av[2].data, ignore)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _caseless(av[1].data, ignore)
        elif op is C.ATOMIC_GROUP:
            _caseless(av.data, ignore)
        elif op is C.GROUPREF_EXISTS:
            _caseless(av[1].data, ignore)
            if av[2] is not None:
                _caseless(av[2].data, ignore)
        elif op is C.GROUPREF:
            if ignore:
                raise _Keep
        elif op not in (C.AT, C.ANY, C.CATEGORY):
            raise _Keep


def _fold_set(items: list) -> list:
    """A class as it reads lowercased text: every member lowercased (ranges spelled out)."""
    out: list = []
    chars: set[int] = set()
    for op, av in items:
        if op is C.LITERAL:
            chars.add(_sre.unicode_tolower(av))
        elif op is C.RANGE:
            lo, hi = av
            if not any(map(_cased, range(lo, hi + 1))):
                out.append((op, av))
            elif hi - lo > 4096:
                raise _Keep
            else:
                chars.update(_sre.unicode_tolower(c) for c in range(lo, hi + 1))
        elif op in (C.NEGATE, C.CATEGORY):
            out.append((op, av))
        else:
            raise _Keep
    negate = [x for x in out if x[0] is C.NEGATE]
    return [*negate, *((C.LITERAL, c) for c in sorted(chars)), *(x for x in out if x[0] is not C.NEGATE)]


def _fold(seq: list) -> None:
    """Rewrites ``seq`` (read with IGNORECASE) to match lowercased text without it."""
    for k, (op, av) in enumerate(seq):
        if op is C.LITERAL or op is C.NOT_LITERAL:
            seq[k] = (op, _sre.unicode_tolower(av))
        elif op is C.IN:
            seq[k] = (op, _fold_set(av))
        elif op is C.SUBPATTERN:
            group, add, dele, p = av
            if dele & _I:
                raise _Keep  # a case-sensitive part needs the text as written
            _fold(p.data)
            seq[k] = (op, (group, add & ~_I, dele, p))
        elif op is C.BRANCH:
            for alt in av[1]:
                _fold(alt.data)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            _fold(av[2].data)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _fold(av[1].data)
        elif op is C.ATOMIC_GROUP:
            _fold(av.data)
        elif op is C.GROUPREF_EXISTS:
            _fold(av[1].data)
            if av[2] is not None:
                _fold(av[2].data)
        elif op not in (C.AT, C.ANY, C.CATEGORY, C.GROUPREF):
            raise _Keep


# Characters whose case IGNORECASE treats apart from plain lowercasing (the long s, the Kelvin
# sign, dotless i, Greek and Cyrillic letters with several forms): a text holding one of them,
# lowercased, is read with the caseless patterns instead of the folded ones.
IRREGULAR = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in sorted(k for k in _casefix._EXTRA_CASES if k > 127)) + "]"
    if _casefix is not None
    else "[^\\x00-\\x7f]"
)


def compile_folded(source: str, flags: int) -> re.Pattern | None:
    """A case-insensitive pattern for lowercased text: the same matches on ``text.lower()`` (same
    length, no ``IRREGULAR`` character) as ``re.compile(source, flags)`` has on ``text``.

    None when the pattern is not case-insensitive all through (a ``(?-i:…)`` part) or the
    rewrite does not cover it. Its literals are plain characters, which ``re`` skips past faster
    than the letter classes of ``compile_fast``.
    """
    if _compiler is None or not flags & _I:
        return None
    return _pattern("folded", source, flags, lambda: _folded_data(source, flags))


def _folded_data(source: str, flags: int) -> tuple | None:
    try:
        tree = _parser.parse(source, flags)
        if tree.state.flags & re.VERBOSE:
            return None
        _fold(tree.data)
        tree.state.flags &= ~_I
        _factor(tree.data, tree.state)
        return _data(tree, flags & ~_I, _code)
    except Exception:  # anything the rewrite cannot do is read as written
        return None


def _first_chars(node) -> frozenset[int] | None:
    """The characters a single-character node matches, when it is a small literal set."""
    op, av = node
    if op is C.LITERAL:
        return frozenset((av,))
    if op is C.IN:
        chars: set[int] = set()
        for iop, iav in av:
            if iop is C.LITERAL:
                chars.add(iav)
            elif iop is C.RANGE and iav[1] - iav[0] < _MAX_SET:
                chars.update(range(iav[0], iav[1] + 1))
            else:
                return None
        return frozenset(chars) if len(chars) <= _MAX_SET else None
    return None


def _factor(seq: list, state) -> None:
    """Groups the alternatives of every alternation in ``seq`` by their first character (a trie)."""
    for k, (op, av) in enumerate(seq):
        if op is C.BRANCH:
            seq[k] = (op, (av[0], _factor_branch(av[1], state)))
        elif op is C.SUBPATTERN:
            _factor(av[3].data, state)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            _factor(av[2].data, state)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _factor(av[1].data, state)
        elif op is C.ATOMIC_GROUP:
            _factor(av.data, state)
        elif op is C.GROUPREF_EXISTS:
            _factor(av[1].data, state)
            if av[2] is not None:
                _factor(av[2].data, state)


_MAX_EXPANSION = 400  # nodes an alternative may grow by when its first element is spelled out


def _size(seq) -> int:
    n = 0
    for op, av in seq:
        n += 1
        if op is C.BRANCH:
            n += sum(_size(alt) for alt in av[1])
        elif op is C.SUBPATTERN:
            n += _size(av[3])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            n += _size(av[2])
        elif op in (C.ASSERT, C.ASSERT_NOT):
            n += _size(av[1])
    return n


def _expand(alt, state, budget: int) -> list:
    """An alternative as the alternatives its first element stands for, in the order re tries them.

    ``(?:a|b)r`` → ``ar|br``; ``x?r`` → ``xr|r`` (greedy); ``x+r`` → ``xx*r``. So more
    alternatives start with a plain character and can be grouped by it.
    """
    data = alt.data
    if not data:
        return [alt]
    op, av = data[0]
    rest = list(data[1:])
    if op is C.BRANCH:
        inner = av[1]
        cost = _size(rest) * len(inner)
        if rest and cost > budget:
            return [alt]
        return [x for a in inner for x in _expand(_parser.SubPattern(state, [*a.data, *rest]), state, budget - cost)]
    if op is C.MAX_REPEAT and av[0] == 0 and av[1] == 1 and rest:
        cost = _size(rest) + _size(av[2])
        if cost > budget:
            return [alt]
        taken = _parser.SubPattern(state, [*av[2].data, *rest])
        return [*_expand(taken, state, budget - cost), *_expand(_parser.SubPattern(state, rest), state, budget - cost)]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1 and len(av[2].data) == 1 and _first_chars(av[2].data[0]):
        lo, hi, item = av
        more = (op, (lo - 1, hi if hi == C.MAXREPEAT else hi - 1, item))
        return [_parser.SubPattern(state, [item.data[0], more, *rest])]
    return [alt]


def _factor_branch(alts: list, state) -> list:
    """``ab|ac|d`` → ``a(?:b|c)|d``.

    Alternatives whose first characters cannot overlap are mutually exclusive, so gathering a run
    of them by first character keeps the order ``re`` tries them in at any one position. An
    alternative starting with anything else (a repeat, a group, a class) ends the run.
    """
    flat: list = []
    for alt in alts:
        flat += _expand(alt, state, _MAX_EXPANSION)
    out: list = []
    run: dict[frozenset[int], list] = {}

    def close() -> None:
        for members in run.values():
            if len(members) == 1:
                out.append(members[0])
                continue
            first = members[0].data[0]
            rests = [_parser.SubPattern(state, list(m.data[1:])) for m in members]
            rests = _factor_branch(rests, state)
            body = _parser.SubPattern(state, [first, (C.BRANCH, (None, rests))])
            out.append(body)
        run.clear()

    for alt in flat:
        _factor(alt.data, state)
        chars = _first_chars(alt.data[0]) if alt.data else None
        if chars is None:
            close()
            out.append(alt)
        elif chars in run:
            run[chars].append(alt)
        elif all(chars.isdisjoint(other) for other in run):
            run[chars] = [alt]
        else:
            close()
            run[chars] = [alt]
    close()
    return out


_MAX_LEADING = 160  # a first-character set larger than this rules out too little to be worth testing


def _leading(seq) -> tuple[set[int], bool] | None:
    """(the characters a match of ``seq`` can start with, whether it can match nothing), when known.

    Zero-width checks (``\\b``, look-arounds) are looked past, optional parts (``(?:the )?``) add
    what follows them, groups and alternatives are read into.
    """
    out: set[int] = set()
    for op, av in seq:
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        if op is C.SUBPATTERN:
            _group, add, dele, p = av
            got = None if add or dele else _leading(p.data)
        elif op is C.BRANCH:
            alts = [_leading(alt.data) for alt in av[1]]
            known = [a for a in alts if a is not None]
            got = None if len(known) < len(alts) else (set().union(*(c for c, _e in known)), any(e for _c, e in known))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            inner = _leading(av[2].data)
            got = None if inner is None else (inner[0], inner[1] or av[0] == 0)
        else:
            chars = _first_chars((op, av))
            got = None if not chars else (set(chars), False)
        if got is None:
            return None
        out |= got[0]
        if not got[1]:
            return out, False
    return out, True


def _code(tree, flags: int) -> list:
    """The compiled code of a parsed pattern, with the characters its matches start with in the info
    block when ``re`` finds none itself (a leading ``\\b`` or look-around hides them from it).

    With them, a search tests one character per position and runs the pattern only where a match
    can start; without, it runs the pattern at every position. The pattern itself is unchanged.
    """
    code = _compiler._code(tree, flags)
    if code[0] != C.INFO or code[2] & (C.SRE_INFO_PREFIX | C.SRE_INFO_CHARSET) or not code[3]:
        return code
    got = _leading(tree.data)
    if got is None or got[1] or len(got[0]) > _MAX_LEADING:
        return code
    chars = got[0]
    info = [C.INFO, 0, C.SRE_INFO_CHARSET, code[3], code[4]]
    charset, _cased = _compiler._optimize_charset([(C.LITERAL, c) for c in sorted(chars)])
    _compiler._compile_charset(charset, flags, info)
    info[1] = len(info) - 1
    return info + code[1 + code[1] :]


def _data(tree, flags: int, code_of) -> tuple:
    """What ``re._compiler.compile`` hands ``_sre.compile`` for a parsed (and rewritten) pattern."""
    code = code_of(tree, flags)
    state = tree.state
    indexgroup = [None] * state.groups
    for name, i in state.groupdict.items():
        indexgroup[i] = name
    return flags | state.flags, code, state.groups - 1, state.groupdict, tuple(indexgroup)


def _pattern(kind: str, source: str, flags: int, compute) -> re.Pattern | None:
    """The pattern from its compiled data: from the cache during an engine build (``pattern_cache``)."""
    data = pattern_cache.memo(kind, source, flags, compute, pattern_cache.encode_code, pattern_cache.decode_code)
    if data is None:
        return None
    try:
        return _from_data(source, data)
    except (RuntimeError, TypeError, ValueError, OverflowError):  # damaged code in the cache (_sre checks it)
        data = compute()
        return None if data is None else _from_data(source, data)


def _from_data(source: str, data: tuple) -> re.Pattern:
    """The pattern, keeping ``source`` for display."""
    flags, code, groups, groupindex, indexgroup = data
    return _sre.compile(source, flags, code, groups, groupindex, indexgroup)


def compile_fast(source: str, flags: int = 0) -> re.Pattern:
    """``re.compile(source, flags)``, rewritten to run faster; the same matches, spans and groups.

    Raises ``re.error`` as ``re.compile`` does. A rewritten pattern keeps ``source`` as its
    ``.pattern`` but has no ``IGNORECASE`` in its ``.flags`` (its letters are classes).
    """
    if _compiler is None:
        return re.compile(source, flags)
    return _pattern("fast", source, flags, lambda: _fast_data(source, flags))


def _fast_data(source: str, flags: int) -> tuple:
    tree = _parser.parse(source, flags)
    if tree.state.flags & re.VERBOSE:
        return _data(tree, flags, _compiler._code)
    try:
        _caseless(tree.data, bool(tree.state.flags & _I))
        tree.state.flags &= ~_I
        _factor(tree.data, tree.state)
        return _data(tree, flags & ~_I, _code)
    except Exception:  # anything the rewrite cannot do is compiled as written
        return _plain_data(source, flags)


def compile_plain(source: str, flags: int = 0) -> re.Pattern:
    """``re.compile(source, flags)`` itself, its code kept by an engine build like the others'."""
    if _compiler is None:
        return re.compile(source, flags)
    return _pattern("plain", source, flags, lambda: _plain_data(source, flags))


def _plain_data(source: str, flags: int) -> tuple:
    return _data(_parser.parse(source, flags), flags, _compiler._code)
