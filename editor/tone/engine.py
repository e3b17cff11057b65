"""Runs the rule packs over prepared paragraphs, with a per-paragraph cache shared across threads.

The GUI lints on every pause in typing from a worker thread; after a one-paragraph edit only that
paragraph misses the cache (keyed by its text and the people registry), so a re-lint costs little
more than finding the paragraphs.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Container
from dataclasses import dataclass
from functools import reduce
from itertools import accumulate, groupby
from operator import or_
from typing import NamedTuple

from editor.model import Person
from editor.tone import pattern_cache
from editor.tone.fastregex import IRREGULAR, compile_fast, compile_folded
from editor.tone.rules import Compiled, Rule, RuleSet, compile_personal, load_rules
from editor.tone.text import Paragraph, only, quote_spans, sentences, without
from editor.tone.triggers import TriggerTable, necessary_sets, required_chars, token_bytes, triggers

_TOKEN = re.compile(r"[a-z0-9]+")
# \b[A-Z][A-Z'’]*[A-Z]\b, written to start with a class so re skips to the capitals
_CAPS = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z'’]*[A-Z]\b")
_CAPS_RUNS = re.compile(r"[A-Z][A-Z'’]+")
_CAPS_RUN = re.compile(r"[A-Z'’]+")
_CAPS_GAP = re.compile(r"[\s.,!?;:'\"’-]{1,4}\Z")
_VOWEL = re.compile(r"[AEIOUY]")
CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Hit:
    """A finding inside one paragraph: rule index and offsets relative to the paragraph."""

    rule: int
    start: int
    end: int
    suggestion: str | None = None
    detail: str = ""


PeopleKey = tuple[tuple[str, str, bool], ...]


def people_key(people: list[Person] | None) -> PeopleKey:
    return tuple(sorted((p.name, p.power, p.perceived_underperformer) for p in people or ()))


def _case_like(original: str, replacement: str) -> str:
    if replacement and original[:1].isupper() and not original.isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


def rewrite_for(rule: Rule, hit_text: str, match: re.Match | None) -> str | None:
    rw = rule.rewrite
    if rw is None:
        return None
    if isinstance(rw, dict):
        value = rw.get(" ".join(hit_text.lower().split()))
        return None if value is None else _case_like(hit_text, value)
    if rw == "=lower":
        return hit_text.lower()
    if rw == "=delete":
        return ""
    if match is None:
        return _case_like(hit_text, rw)
    try:
        return _case_like(hit_text, match.expand(rw))
    except (re.error, IndexError):
        return None


class _Sentences:
    """Sentence spans of one paragraph, computed on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._spans: list[tuple[int, int]] | None = None
        self._ends: list[int] | None = None

    @property
    def spans(self) -> list[tuple[int, int]]:
        if self._spans is None:
            self._spans = sentences(self.text)
        return self._spans

    def around(self, offset: int) -> tuple[int, int]:
        """The sentence holding ``offset`` (found by bisection: a paragraph may hold thousands)."""
        if self._ends is None:
            self._ends = [b for _, b in self.spans]
        k = bisect_right(self._ends, offset)
        if k == len(self._ends):
            return (offset, offset)
        a, b = self._spans[k]
        return (a, b) if offset >= a else (offset, offset)


@dataclass(frozen=True, slots=True)
class _Plan:
    """How one pattern runs: which rule and pattern, and where it may match."""

    rule: int
    order: int  # the pattern's place in its rule (personal patterns after the others)
    quotes: str  # the rule's quotes mode: which text variant it reads
    pattern: Compiled
    per_sentence: bool  # False: over the whole paragraph (the pattern has no trigger word at all)
    required: int  # bit mask of the trigger table's word sets a sentence must meet
    prefilter: Callable[[str], bool] | None  # a cheap test the text must pass first (required characters)
    needs: re.Pattern | None  # the pattern's own needs check
    # its cheapest trigger words (word, matches as a prefix): when one of them is in quoted words
    # between sentences, the pattern reads the whole paragraph (what quote-reading rules rely on)
    anchor: tuple[tuple[str, bool], ...] = ()


def _plans(rules: list[Rule], keyed: dict, table: TriggerTable) -> dict:
    out = {}
    for key, (i, c) in keyed.items():
        flags = rules[i].flags
        anchor = triggers(c.source, flags)
        pre = None if anchor is not None or table.required[key] or c.needs else required_chars(c.source, flags)
        words = tuple((w, p or len(w) >= 4) for w, p in sorted(anchor or ()))
        out[key] = _Plan(
            i, key[1], rules[i].quotes, c, anchor is not None, table.required_words[key], pre, c.needs, words
        )
    return out


def _between_sentences(low: str, sent: _Sentences) -> list[str]:
    """Tokens of the paragraph that start outside every sentence (in quoted words between them)."""
    out, at = [], 0
    for a, b in [*sent.spans, (len(low), len(low))]:
        if a > at:
            out += _TOKEN.findall(low, at, a)
        at = b
    return out


class Engine:
    """A compiled rule set: trigger table, person-specific patterns and the paragraph cache."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.rules = ruleset.rules
        self.caps = [i for i, rule in enumerate(self.rules) if rule.detector == "caps"]
        keyed = {
            (i, j): (i, c)
            for i, rule in enumerate(self.rules)
            if rule.detector != "caps"
            for j, c in enumerate(rule.compiled)
        }
        self.table = TriggerTable([(k, necessary_sets(c.source, self.rules[i].flags)) for k, (i, c) in keyed.items()])
        self.plans = _plans(self.rules, keyed, self.table)
        self._gated = tuple(k for k in self.table.free if self.plans[k].prefilter is not None)
        self._lexsets = {k: frozenset(w.upper() for w in v) for k, v in ruleset.lexicons.items()}
        self._caps_lexicons = {i: _caps_lexicons(self._lexsets, self.rules[i]) for i in self.caps}
        # whether the gate of a capitals rule matches within one run of capitals (its listed words are capitals)
        self._caps_in_runs = {
            i: all(_CAPS_RUN.fullmatch(w) for w in self._caps_lexicons[i][0] if w[:1].isupper()) for i in self.caps
        }
        self._folded_checks = [_folded_checks(rule) for rule in self.rules]
        self._personal: OrderedDict[PeopleKey, tuple[dict, TriggerTable]] = OrderedDict()
        self._cache: OrderedDict[tuple, tuple[Hit, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    # --- people --------------------------------------------------------------------------
    def _personal_plans(self, key: PeopleKey, people: list[Person]) -> tuple[dict, TriggerTable]:
        with self._lock:
            got = self._personal.get(key)
            if got is not None:
                self._personal.move_to_end(key)
                return got
        keyed = {}
        if people:
            for i, rule in enumerate(self.rules):
                if rule.personal and rule.detector != "caps":
                    for j, c in enumerate(compile_personal(rule, people)):
                        keyed[(i, 1000 + j)] = (i, c)
        table = TriggerTable([(k, necessary_sets(c.source, self.rules[i].flags)) for k, (i, c) in keyed.items()])
        got = (_plans(self.rules, keyed, table), table)
        with self._lock:
            self._personal[key] = got
            while len(self._personal) > 32:
                self._personal.popitem(last=False)
        return got

    # --- cache ---------------------------------------------------------------------------
    def paragraph_hits(self, par: Paragraph, people: list[Person], key: PeopleKey) -> tuple[Hit, ...]:
        return self.document_hits([par], people, key)[0]

    def document_hits(self, pars: list[Paragraph], people: list[Person], key: PeopleKey) -> list[tuple[Hit, ...]]:
        """Hits of each paragraph, from the cache or linted; the missing ones share one trigger read."""
        out: list[tuple[Hit, ...] | None] = [None] * len(pars)
        todo: list[int] = []
        with self._lock:
            for n, par in enumerate(pars):
                got = self._cache.get((par.text, par.heading, par.quoted, key))
                if got is None:
                    todo.append(n)
                    self.misses += 1
                else:
                    self._cache.move_to_end((par.text, par.heading, par.quoted, key))
                    self.hits += 1
                    out[n] = got
        if todo:
            all_text = "\n".join(pars[n].text for n in todo)
            low_all = all_text.lower()
            if len(low_all) == len(all_text):  # lowercase and read them all at once, then cut
                tb_all = token_bytes(low_all)
                texts = {}
                at = 0
                for n in todo:
                    size = len(pars[n].text)
                    tb = tb_all[at : at + size + 2]  # the paragraph with the spaces around it
                    texts[n] = (low_all[at : at + size], tb, tb.split())
                    at += size + 1
            else:
                texts = {n: _lowered(pars[n].text) for n in todo}
                tb_all = b" ".join(tb for _low, tb, _tokens in texts.values())
                low_all = "\n".join(low for low, _tb, _tokens in texts.values())
            tokens = set().union(*(tokens for _low, _tb, tokens in texts.values()))
            known = self.table.read(tokens, tb_all)
            personal = None
            if key:
                pplans, ptable = self._personal_plans(key, people)
                if pplans:  # none when nobody in the registry fits a person macro
                    personal = (pplans, ptable, ptable.read(tokens, tb_all))
            # patterns gated by a character none of the paragraphs holds (a digit, an emoji)
            absent = frozenset(k for k in self._gated if not self.plans[k].prefilter(all_text))
            # whether some paragraph holds a letter lowercasing does not settle (then each is checked)
            irregular = IRREGULAR.search(low_all) is not None
            # the paragraphs each capitals rule may find a shout in
            starts = list(accumulate((len(pars[n].text) + 1 for n in todo), initial=0))
            shouts = {i: self._caps_paragraphs(i, all_text, starts) for i in self.caps}
            for k, n in enumerate(todo):
                caps = [i for i in self.caps if k in shouts[i]]
                out[n] = self._lint(pars[n], texts[n], known, personal, absent, irregular, caps)
            with self._lock:
                for n in todo:
                    par = pars[n]
                    self._cache[(par.text, par.heading, par.quoted, key)] = out[n]
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return out  # type: ignore[return-value]

    def _caps_paragraphs(self, i: int, all_text: str, starts: list[int]) -> Container[int]:
        """Which paragraphs of ``all_text`` (joined by newlines, starting at ``starts``) the capitals
        rule ``i`` may find a shout in: those holding a run of capitals its gate passes.

        The gate reads a paragraph's runs of capitals joined by spaces; when it matches no space, its
        matches lie within one run, and a run that holds a match passes wherever it is. So each
        distinct run is tested once, and the few that pass are found in the document.
        """
        gate = self._caps_lexicons[i][4]
        if not self._caps_in_runs[i]:
            return range(len(starts) - 1) if _caps_gate(gate, all_text) else ()
        out: set[int] = set()
        for run in {r for r in _CAPS_RUNS.findall(all_text) if gate.search(r)}:
            at = all_text.find(run)
            while at != -1:
                n = bisect_right(starts, at) - 1
                out.add(n)
                at = all_text.find(run, starts[n + 1])  # the next paragraph holding it
        return out

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()
            self.hits = self.misses = 0

    # --- linting -------------------------------------------------------------------------
    def lint_paragraph(self, par: Paragraph, people: list[Person], key: PeopleKey) -> tuple[Hit, ...]:
        """Hits of one paragraph, not cached."""
        lowered = _lowered(par.text)
        tb, tokens = lowered[1], set(lowered[2])
        known = self.table.read(tokens, tb)
        personal = None
        if key:
            pplans, ptable = self._personal_plans(key, people)
            if pplans:
                personal = (pplans, ptable, ptable.read(tokens, tb))
        return self._lint(par, lowered, known, personal, frozenset(), True)

    def _lint(
        self,
        par: Paragraph,
        lowered: tuple[str, bytes, list[bytes]],
        known,
        personal,
        absent,
        irregular: bool,
        caps: list[int] | None = None,
    ) -> tuple[Hit, ...]:
        """Hits of one paragraph; ``caps`` the capitals rules worth running on it (None: all)."""
        text = par.text
        low, tb, tokens = lowered
        plans = self.plans
        spans = quote_spans(text, par.quoted)
        variants = {"include": text, "skip": without(text, spans) if spans else text}
        if spans:
            variants["only"] = only(text, spans)
        sent = _Sentences(variants["skip"])
        sentence_spans: list[tuple[int, int]] | None = None  # split only once a pattern needs them
        unmet_by: dict[int, list[int]] = {}  # per reading: the sets each sentence does not meet
        found = [plans[k] for k in self.table.candidates(tb, known, tokens) if k not in absent]
        readings = [known] * len(found)
        if personal is not None:
            pplans, ptable, pknown = personal
            more = [pplans[k] for k in ptable.candidates(tb, pknown, tokens)]
            found += more
            readings += [pknown] * len(more)
        todo: list[tuple] = []  # (rule, order, pattern, windows)
        loose: list[str] | None = None
        for reading, plan in zip(readings, found, strict=True):
            t = variants.get(plan.quotes)
            if t is None or (plan.prefilter is not None and not plan.prefilter(t)):
                continue
            if plan.needs is not None and not plan.needs.search(t):
                continue
            if not plan.per_sentence:
                todo.append((plan.rule, plan.order, plan.pattern, [(0, len(t))]))
                continue
            if spans:
                if loose is None:
                    loose = _between_sentences(low, sent)
                if loose and _anchored(plan.anchor, loose):
                    todo.append((plan.rule, plan.order, plan.pattern, [(0, len(t))]))
                    continue
            if sentence_spans is None:
                sentence_spans = sent.spans
            if len(sentence_spans) == 1 and not spans:
                windows = sentence_spans  # one sentence, and the paragraph met the sets
            else:
                unmet = unmet_by.get(id(reading))
                if unmet is None:
                    get = reading.masks.__getitem__
                    unmet = unmet_by[id(reading)] = [
                        ~reduce(or_, map(get, tb[a : b + 1].split()), 0) for a, b in sentence_spans
                    ]
                req = plan.required
                windows = [span for span, u in zip(sentence_spans, unmet, strict=True) if not req & u]
                if not windows:
                    continue
            todo.append((plan.rule, plan.order, plan.pattern, windows))
        out: list[Hit] = []
        for i in self.caps if caps is None else caps:
            t = variants.get(self.rules[i].quotes)
            if t is not None:
                out += self._caps(i, self.rules[i], t, par, sent)
        if todo:
            todo.sort(key=_rule_and_order)
            # folded patterns read the lowercased text, unless it holds a letter that lowercasing
            # does not settle (the long s, a dotless i …)
            folded = {} if irregular and IRREGULAR.search(low) else {"include": low}
            for i, group in groupby(todo, key=_first):
                rule = self.rules[i]
                t = variants[rule.quotes]
                lt = folded.get(rule.quotes) if folded else None
                if folded and lt is None:
                    lt = folded[rule.quotes] = without(low, spans) if rule.quotes == "skip" else only(low, spans)
                runs = [
                    (c.regex, c.weight, windows, c.folded, lt)
                    if c.folded is not None and lt is not None
                    else (c.regex, c.weight, windows, c.regex, t)
                    for _i, _j, c, windows in group
                ]
                if rule.detector == "count":
                    out += self._count(i, rule, t, runs, sent, lt)
                else:
                    out += self._regex(i, rule, t, runs, sent, lt)
        return tuple(_dedupe(out, self.rules)) if out else ()

    def _allowed(self, i: int, rule: Rule, t: str, s: int, e: int, sent: _Sentences, lt: str | None = None) -> bool:
        """Whether the rule's exceptions and context let a hit at ``[s, e)`` of ``t`` stand.

        ``lt`` is ``t`` lowercased, when folded patterns may read it: the checks that fold then read it.
        """
        checks = self._folded_checks[i]
        if checks is None and rule.not_after is None and rule.not_before is None:
            return True
        a, b = sent.around(s)
        if rule.not_after is not None and rule.not_after.search(t, a, s):
            return False
        if rule.not_before is not None and rule.not_before.match(t, e, b):
            return False
        if checks is None:
            return True
        if lt is None:
            checks, lt = checks.as_written, t
        st, lst = t[a:b], lt[a:b]
        if checks.exceptions and any(x.search(lst if low else st) for x, low in checks.exceptions):
            return False
        if checks.requires and not any(x.search(lst if low else st) for x, low in checks.requires):
            return False
        if checks.context and not any(x.search(lt if low else t) for x, low in checks.context):
            return False
        return not (
            checks.context_exceptions and any(x.search(lt if low else t) for x, low in checks.context_exceptions)
        )

    def _regex(self, i: int, rule: Rule, t: str, runs, sent: _Sentences, lt: str | None = None) -> list[Hit]:
        """Hits of a rule's patterns; each run is (pattern, weight, windows, what reads, what it reads)."""
        out = []
        for pat, _w, windows, scan, st in runs:
            has_hit = "hit" in pat.groupindex
            for end, found in ((b, m) for a, b in windows for m in scan.finditer(st, a, b)):
                m = found
                if scan is not pat:  # found in the lowercased text: the same match in the text as written
                    m = pat.match(t, found.start(), end)
                    if m is None:  # pragma: no cover - the folded pattern matches only what it does
                        continue
                s, e = m.span("hit") if has_hit and m.group("hit") is not None else m.span()
                if s == e or not self._allowed(i, rule, t, s, e, sent, lt):
                    continue
                out.append(Hit(i, s, e, rewrite_for(rule, t[s:e], m)))
        return out

    def _count(self, i: int, rule: Rule, t: str, runs, sent: _Sentences, lt: str | None = None) -> list[Hit]:
        """Counts distinct markers per sentence; enough of them make one finding (hedges, jargon)."""
        per: dict[tuple[int, int], dict[str, tuple[float, int, int]]] = {}
        for pat, w, windows, scan, st in runs:
            has_hit = "hit" in pat.groupindex
            for m in (m for a, b in windows for m in scan.finditer(st, a, b)):
                s, e = m.span("hit") if has_hit and m.group("hit") is not None else m.span()
                if s == e:
                    continue
                span = sent.around(s)
                words = " ".join(t[s:e].lower().split())
                bucket = per.setdefault(span, {})
                if words not in bucket or bucket[words][0] < w:
                    bucket[words] = (w, s, e)
        out = []
        for bucket in per.values():
            # a marker inside a longer one counts once ("a bit" within "a little bit")
            items = sorted(bucket.items(), key=lambda kv: (kv[1][1], -(kv[1][2] - kv[1][1])))
            kept: list[tuple[str, tuple[float, int, int]]] = []
            for words, (w, s, e) in items:
                if any(ks <= s and e <= ke for _, (_, ks, ke) in kept):
                    continue
                kept.append((words, (w, s, e)))
            if sum(v[0] for _, v in kept) < rule.min_count:
                continue
            s = min(v[1] for _, v in kept)
            e = max(v[2] for _, v in kept)
            if not self._allowed(i, rule, t, s, e, sent, lt):
                continue
            detail = ", ".join(f"“{k}”" for k, _ in kept)
            out.append(Hit(i, s, e, rewrite_for(rule, t[s:e], None), detail))
        return out

    def _caps(self, i: int, rule: Rule, t: str, par: Paragraph, sent: _Sentences) -> list[Hit]:
        """Words in capitals that are shouted rather than acronyms or labels."""
        if par.heading:
            return []
        shout, acronyms, labels, endings, gate = self._caps_lexicons[i]
        # only a listed word or one of five capitals or more can be shouted: look for those first
        if not _caps_gate(gate, t):
            return []
        matches = list(_CAPS.finditer(t))
        if not matches:
            return []
        runs: list[list[re.Match]] = []
        for m in matches:
            if runs and _CAPS_GAP.match(t, runs[-1][-1].end(), m.start()) and m.start() - runs[-1][-1].end() <= 4:
                runs[-1].append(m)
            else:
                runs.append([m])
        out = []
        for run in runs:
            words = [m.group().replace("’", "'") for m in run]

            def shouted(w: str) -> bool:
                if w in acronyms:
                    return False
                if w in shout:
                    return True
                return len(w) >= 5 and w.endswith(endings) and len(_VOWEL.findall(w)) >= 2

            if not any(shouted(w) for w in words):
                continue
            s, e = run[0].start(), run[-1].end()
            line_start = t.rfind("\n", 0, s) + 1
            line_end = t.find("\n", e)
            line = t[line_start : len(t) if line_end == -1 else line_end]
            if not any(c.islower() for c in line) and len(line.split()) <= 10:
                continue  # a title or label line written in capitals
            a, _b = sent.around(s)
            before = t[a:s].lower().split()[-3:]
            if any(w.strip(".,:;'\"") in labels for w in before):
                continue
            if not self._allowed(i, rule, t, s, e, sent):
                continue
            text = t[s:e]
            out.append(Hit(i, s, e, text.lower() if rule.rewrite == "=lower" else rewrite_for(rule, text, None)))
        return out


_Check = tuple[re.Pattern, bool]  # a pattern and whether it reads the lowercased text


class _Checks(NamedTuple):
    """A rule's sentence and paragraph checks; those that fold (``compile_folded``) read lowercased
    text, which ``re`` searches faster than the letter classes of the text as written."""

    exceptions: list[_Check]
    requires: list[_Check]
    context: list[_Check]
    context_exceptions: list[_Check]
    as_written: _Checks | None  # the same checks, all reading the text as written


def _folded_checks(rule: Rule) -> _Checks | None:
    """The rule's checks (None when it has none)."""
    lists = (rule.exceptions, rule.requires, rule.context, rule.context_exceptions)
    if not any(lists):
        return None
    plain = _Checks(*[[(x, False) for x in xs] for xs in lists], None)  # type: ignore[call-arg]
    folded = [[(f, True) if (f := compile_folded(x.pattern, rule.flags)) else (x, False) for x in xs] for xs in lists]
    return _Checks(*folded, plain)  # type: ignore[call-arg]


def _caps_lexicons(lexsets: dict[str, frozenset[str]], rule: Rule) -> tuple:
    opts = rule.options
    shout = lexsets.get(opts.get("shout_words", ""), frozenset())
    acronyms = lexsets.get(opts.get("acronyms", ""), frozenset())
    labels = frozenset(w.lower() for w in lexsets.get(opts.get("label_words", ""), frozenset()))
    endings = tuple(lexsets.get(opts.get("word_endings", ""), frozenset()))
    # a capital starting five capitals or more, or a listed word as the text may spell it (’ for '):
    # one search that skips straight to capitals
    by_first: dict[str, list[str]] = {}
    for w in sorted(shout, key=lambda w: (-len(w), w)):
        if w[:1].isupper():
            by_first.setdefault(w[0], []).append(re.escape(w[1:]).replace("'", "['’]"))
    listed = [f"(?<={re.escape(c)})(?:{'|'.join(rests)})" for c, rests in sorted(by_first.items())]
    gate = compile_fast("[A-Z](?:[A-Z'’]{3,}[A-Z]" + "".join("|" + x for x in listed) + ")")
    return shout, acronyms, labels, endings, gate


def _caps_gate(gate: re.Pattern, text: str) -> bool:
    """Whether the gate matches: it only reads runs of capitals, so it reads those alone."""
    return gate.search(" ".join(_CAPS_RUNS.findall(text))) is not None


def _lowered(text: str) -> tuple[str, bytes, list[bytes]]:
    """The text lowercased (same length), its token bytes and its tokens."""
    low = text.lower()
    if len(low) != len(text):  # "İ" lowercases to two characters; keep offsets aligned
        low = "".join(chr(_sre.unicode_tolower(ord(c))) for c in text)
    tb = token_bytes(low)
    return low, tb, tb.split()


def _rule_and_order(item: tuple) -> tuple[int, int]:
    return item[0], item[1]


def _first(item: tuple) -> int:
    return item[0]


def _anchored(words: tuple[tuple[str, bool], ...], tokens: list[str]) -> bool:
    return any(t.startswith(w) if prefix else t == w for w, prefix in words for t in tokens)


def _dedupe(hits: list[Hit], rules: list[Rule]) -> list[Hit]:
    """One finding per rule and place, and per category and span.

    Overlapping hits of one rule merge into the first. Two rules of one category on the very same
    words (two motive rules on one clause) would tell the writer the same thing twice: the more
    severe one, else the one listed first, stays.
    """
    out: list[Hit] = []
    for h in sorted(hits, key=lambda h: (h.rule, h.start, -h.end)):
        if out and out[-1].rule == h.rule and h.start < out[-1].end:
            continue
        out.append(h)
    if len(out) < 2:
        return out
    best: dict[tuple[str, int, int], Hit] = {}
    for h in out:
        key = (rules[h.rule].category, h.start, h.end)
        other = best.get(key)
        if other is None or _RANK[rules[h.rule].severity] < _RANK[rules[other.rule].severity]:
            best[key] = h
    return out if len(best) == len(out) else [h for h in out if best[(rules[h.rule].category, h.start, h.end)] is h]


_RANK = {"error": 0, "warning": 1, "info": 2}


_engine: Engine | None = None
_engine_lock = threading.Lock()


def engine() -> Engine:
    """The shared engine, built on first use from the built-in and user packs."""
    global _engine
    eng = _engine
    if eng is not None:
        return eng
    with _engine_lock:
        if _engine is None:
            _engine = _build()
        return _engine


def _build() -> Engine:
    """The engine of the built-in and user packs; what compiling them costs is kept on disk for next time."""
    with pattern_cache.recording():
        return Engine(load_rules())


def reload() -> Engine:
    """Re-reads the packs (after the user edited one); the paragraph cache starts empty."""
    global _engine
    fresh = _build()
    with _engine_lock:
        _engine = fresh
    return fresh
