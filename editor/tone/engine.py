"""Runs the rule packs over prepared paragraphs, with a per-paragraph cache shared across threads.

The GUI lints on every pause in typing from a worker thread; after a one-paragraph edit only that
paragraph misses the cache (keyed by its text and the people registry), so a re-lint costs little
more than finding the paragraphs.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from editor.model import Person
from editor.tone.rules import Rule, RuleSet, compile_personal, load_rules
from editor.tone.text import Paragraph, only, quote_spans, sentences, without
from editor.tone.triggers import TriggerIndex, triggers

_TOKEN = re.compile(r"[a-z0-9]+")
_CAPS = re.compile(r"\b[A-Z][A-Z'’]*[A-Z]\b")
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

    @property
    def spans(self) -> list[tuple[int, int]]:
        if self._spans is None:
            self._spans = sentences(self.text)
        return self._spans

    def around(self, offset: int) -> tuple[int, int]:
        for a, b in self.spans:
            if offset < b:
                return (a, b) if offset >= a else (offset, offset)
        return (offset, offset)


class Engine:
    """A compiled rule set: trigger index, person-specific patterns and the paragraph cache."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.rules = ruleset.rules
        self.index = TriggerIndex()
        for i, rule in enumerate(self.rules):
            if rule.detector == "caps":
                self.index.add((i, -1), None)
            for j, c in enumerate(rule.compiled):
                self.index.add((i, j), triggers(c.source, rule.flags))
        self._lexsets = {k: frozenset(w.upper() for w in v) for k, v in ruleset.lexicons.items()}
        self._personal: OrderedDict[PeopleKey, tuple[dict[int, list], TriggerIndex]] = OrderedDict()
        self._cache: OrderedDict[tuple, tuple[Hit, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    # --- people --------------------------------------------------------------------------
    def _personal_rules(self, key: PeopleKey, people: list[Person]) -> tuple[dict[int, list], TriggerIndex]:
        with self._lock:
            got = self._personal.get(key)
            if got is not None:
                self._personal.move_to_end(key)
                return got
        compiled: dict[int, list] = {}
        index = TriggerIndex()
        if people:
            for i, rule in enumerate(self.rules):
                if not rule.personal:
                    continue
                pats = compile_personal(rule, people)
                if not pats:
                    continue
                compiled[i] = pats
                for j, c in enumerate(pats):
                    index.add((i, 1000 + j), triggers(c.source, rule.flags))
        with self._lock:
            self._personal[key] = (compiled, index)
            while len(self._personal) > 32:
                self._personal.popitem(last=False)
        return compiled, index

    # --- cache ---------------------------------------------------------------------------
    def paragraph_hits(self, par: Paragraph, people: list[Person], key: PeopleKey) -> tuple[Hit, ...]:
        ck = (par.text, par.heading, par.quoted, key)
        with self._lock:
            got = self._cache.get(ck)
            if got is not None:
                self._cache.move_to_end(ck)
                self.hits += 1
                return got
            self.misses += 1
        hits = self.lint_paragraph(par, people, key)
        with self._lock:
            self._cache[ck] = hits
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return hits

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()
            self.hits = self.misses = 0

    # --- linting -------------------------------------------------------------------------
    def lint_paragraph(self, par: Paragraph, people: list[Person], key: PeopleKey) -> tuple[Hit, ...]:
        text = par.text
        positions: dict[str, list[int]] = {}
        for m in _TOKEN.finditer(text.lower()):
            positions.setdefault(m.group(), []).append(m.start())
        cands = self.index.candidates(positions)
        personal: dict[int, list] = {}
        if key:
            personal, pindex = self._personal_rules(key, people)
            cands.update(pindex.candidates(positions))
        if not cands:
            return ()
        by_rule: dict[int, list] = {}
        for (i, j), toks in cands.items():
            by_rule.setdefault(i, []).append((j, toks))
        spans = quote_spans(text, par.quoted)
        variants = {"include": text, "skip": without(text, spans) if spans else text}
        sent = _Sentences(variants["skip"])
        out: list[Hit] = []
        for i in sorted(by_rule):
            rule = self.rules[i]
            if rule.quotes == "only" and not spans:
                continue
            if rule.quotes not in variants:
                variants[rule.quotes] = only(text, spans)
            t = variants[rule.quotes]
            if rule.detector == "caps":
                out += self._caps(i, rule, t, par, sent)
                continue
            runs = []
            for j, toks in by_rule[i]:
                if j < 0:
                    continue
                pat, weight, needs, _src = rule.compiled[j] if j < 1000 else personal[i][j - 1000]
                if needs is not None and not needs.search(t):
                    continue
                runs.append((pat, weight, self._windows(toks, positions, sent, len(t))))
            if not runs:
                continue
            if rule.detector == "count":
                out += self._count(i, rule, t, runs, sent)
            else:
                out += self._regex(i, rule, t, runs, sent)
        return tuple(_dedupe(out))

    @staticmethod
    def _windows(toks, positions, sent: _Sentences, n: int) -> list[tuple[int, int]]:
        """The sentences holding a pattern's trigger words: the only places a match can be."""
        if toks is None:
            return [(0, n)]
        found = set()
        for tok in toks:
            for at in positions.get(tok, ()):
                a, b = sent.around(at)
                found.add((a, b) if b > a else (0, n))
        merged: list[tuple[int, int]] = []
        for a, b in sorted(found):
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        return merged

    def _allowed(self, rule: Rule, t: str, s: int, e: int, sent: _Sentences) -> bool:
        a, b = sent.around(s)
        if rule.not_after is not None and rule.not_after.search(t, a, s):
            return False
        if rule.not_before is not None and rule.not_before.match(t, e, b):
            return False
        st = t[a:b]
        if rule.exceptions and any(x.search(st) for x in rule.exceptions):
            return False
        if rule.requires and not any(x.search(st) for x in rule.requires):
            return False
        if rule.context and not any(x.search(t) for x in rule.context):
            return False
        return not (rule.context_exceptions and any(x.search(t) for x in rule.context_exceptions))

    def _regex(self, i: int, rule: Rule, t: str, runs, sent: _Sentences) -> list[Hit]:
        out = []
        for pat, _w, windows in runs:
            has_hit = "hit" in pat.groupindex
            for m in (m for a, b in windows for m in pat.finditer(t, a, b)):
                s, e = m.span("hit") if has_hit and m.group("hit") is not None else m.span()
                if s == e or not self._allowed(rule, t, s, e, sent):
                    continue
                out.append(Hit(i, s, e, rewrite_for(rule, t[s:e], m)))
        return out

    def _count(self, i: int, rule: Rule, t: str, runs, sent: _Sentences) -> list[Hit]:
        """Counts distinct markers per sentence; enough of them make one finding (hedges, jargon)."""
        per: dict[tuple[int, int], dict[str, tuple[float, int, int]]] = {}
        for pat, w, windows in runs:
            has_hit = "hit" in pat.groupindex
            for m in (m for a, b in windows for m in pat.finditer(t, a, b)):
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
            if not self._allowed(rule, t, s, e, sent):
                continue
            detail = ", ".join(f"“{k}”" for k, _ in kept)
            out.append(Hit(i, s, e, rewrite_for(rule, t[s:e], None), detail))
        return out

    def _caps(self, i: int, rule: Rule, t: str, par: Paragraph, sent: _Sentences) -> list[Hit]:
        """Words in capitals that are shouted rather than acronyms or labels."""
        if par.heading:
            return []
        opts = rule.options
        shout = self._lexsets.get(opts.get("shout_words", ""), frozenset())
        acronyms = self._lexsets.get(opts.get("acronyms", ""), frozenset())
        labels = {w.lower() for w in self._lexsets.get(opts.get("label_words", ""), frozenset())}
        endings = tuple(self._lexsets.get(opts.get("word_endings", ""), frozenset()))
        matches = [m for m in _CAPS.finditer(t)]
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
            if not self._allowed(rule, t, s, e, sent):
                continue
            text = t[s:e]
            out.append(Hit(i, s, e, text.lower() if rule.rewrite == "=lower" else rewrite_for(rule, text, None)))
        return out


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One finding per rule and place: overlapping hits of the same rule merge into the first."""
    out: list[Hit] = []
    for h in sorted(hits, key=lambda h: (h.rule, h.start, -h.end)):
        if out and out[-1].rule == h.rule and h.start < out[-1].end:
            continue
        out.append(h)
    return out


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
            _engine = Engine(load_rules())
        return _engine


def reload() -> Engine:
    """Re-reads the packs (after the user edited one); the paragraph cache starts empty."""
    global _engine
    fresh = Engine(load_rules())
    with _engine_lock:
        _engine = fresh
    return fresh
