"""Rule packs: YAML files of tone rules, read, checked and compiled once (docs/tone.md describes them).

Built-in packs live in ``editor/tone/packs``; a writer adds their own in ``<config>/tone/*.yaml``.
A pack that cannot be read is skipped with a message, never a crash: a typo in one user rule
must not switch the whole tone lint off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml

from editor.findings import SEVERITIES
from editor.model import Person
from editor.paths import config_dir
from editor.tone.fastregex import compile_fast, compile_folded, compile_plain

BUILTIN_DIR = Path(__file__).resolve().parent / "packs"
CATEGORIES = (
    "profanity",
    "insult",
    "shouting",
    "vague",
    "absolute",
    "motive",
    "sarcasm",
    "threat",
    "venting",
    "low_power_target",
    "underperformer_evidence",
    "jargon",
    "hedging",
    "gossip",
)
DETECTORS = ("regex", "count", "caps")
QUOTE_MODES = ("skip", "include", "only")
PERSON_MACROS = ("low_power_person", "underperformer_person", "person")
_MACRO = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_MAX_PACK_BYTES = 1_000_000


class PackError(ValueError):
    """A rule pack or rule that cannot be used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Pattern:
    source: str  # with macros expanded (person macros left in place)
    weight: float = 1.0
    needs: str | None = None  # a cheap regex the paragraph must contain before this pattern runs

    @property
    def personal(self) -> bool:
        return any(f"{{{m}}}" in self.source for m in PERSON_MACROS)


class Compiled(NamedTuple):
    """A pattern ready to run: the (rewritten) regex, its count weight, its ``needs`` and its source.

    ``folded`` is the same pattern for lowercased text, when it has one (``compile_folded``).
    """

    regex: re.Pattern
    weight: float
    needs: re.Pattern | None
    source: str
    folded: re.Pattern | None = None


@dataclass(slots=True)
class Rule:
    id: str
    category: str
    severity: str
    message: str
    patterns: list[Pattern]
    exceptions: list[re.Pattern] = field(default_factory=list)
    requires: list[re.Pattern] = field(default_factory=list)
    context: list[re.Pattern] = field(default_factory=list)
    context_exceptions: list[re.Pattern] = field(default_factory=list)
    not_after: re.Pattern | None = None  # the sentence text before the hit must not end like this
    not_before: re.Pattern | None = None  # the sentence text after the hit must not start like this
    quotes: str = "skip"
    detector: str = "regex"
    min_count: float = 2.0
    flags: int = re.I
    rewrite: str | dict[str, str] | None = None
    examples_fire: list = field(default_factory=list)
    examples_pass: list = field(default_factory=list)
    options: dict = field(default_factory=dict)  # detector settings (caps: lexicon names)
    pack: str = ""
    compiled: list[Compiled] = field(default_factory=list)  # impersonal patterns

    @property
    def personal(self) -> bool:
        return any(p.personal for p in self.patterns)


@dataclass
class RuleSet:
    rules: list[Rule]
    lexicons: dict[str, list[str]]
    problems: list[str]


def _as_list(value, what: str) -> list:
    if value is None:
        return []
    if isinstance(value, (str, dict)):
        return [value]
    if isinstance(value, list):
        return value
    raise PackError(f"{what} must be a list")


def expand(source: str, lexicons: dict[str, list[str]], keep: tuple[str, ...] = PERSON_MACROS) -> str:
    """Replaces ``{name}`` with the lexicon as an alternation (longest entries first)."""

    def sub(m: re.Match, depth: int = 0) -> str:
        name = m.group(1)
        if name in keep:
            return m.group(0)
        if name not in lexicons:
            raise PackError(f"unknown lexicon {{{name}}}")
        if depth > 5:
            raise PackError(f"lexicon {{{name}}} refers to itself")
        entries = sorted(lexicons[name], key=len, reverse=True)
        inner = [_MACRO.sub(lambda m2: sub(m2, depth + 1), e) for e in entries]
        return "(?:" + "|".join(inner) + ")"

    return _MACRO.sub(sub, source)


def _compile(source: str, flags: int, what: str) -> re.Pattern:
    try:
        return compile_fast(source, flags)
    except re.error as exc:
        raise PackError(f"{what} is not a valid regular expression: {exc}") from None


def _as_written(source: str, flags: int, folded: re.Pattern | None, what: str) -> re.Pattern:
    """The pattern for the text as written. With a folded twin, the engine searches lowercased text
    with that one and only re-reads a hit here (or a text whose letters lowercasing does not settle):
    plain ``re`` does that well and compiles in a fraction of ``compile_fast``'s time (the packs'
    lexicons make patterns of thousands of letters, each a letter class after the caseless rewrite)."""
    return compile_plain(source, flags) if folded is not None else _compile(source, flags, what)


def person_alternation(people: list[Person], which: str) -> str | None:
    """Names (full, first, last) of the people a person macro stands for, as a case-sensitive group."""
    chosen = [
        p
        for p in people
        if which == "person"
        or (which == "low_power_person" and p.power == "low")
        or (which == "underperformer_person" and p.perceived_underperformer)
    ]
    names: set[str] = set()
    for p in chosen:
        name = p.name.strip()
        if not name:
            continue
        names.add(name)
        parts = [w for w in re.split(r"\s+", name) if w.strip(".")]
        if len(parts) > 1:
            names.add(parts[0])
            names.add(parts[-1])
    names = {n for n in names if len(n) >= 2}
    if not names:
        return None
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return rf"(?-i:\b(?:{alts})\b)"


def compile_personal(rule: Rule, people: list[Person]) -> list[Compiled]:
    """The rule's patterns that name people, compiled for this registry (dropped when nobody fits)."""
    out = []
    for p in rule.patterns:
        if not p.personal:
            continue
        source = p.source
        usable = True
        for macro in PERSON_MACROS:
            token = f"{{{macro}}}"
            if token in source:
                alt = person_alternation(people, macro)
                if alt is None:
                    usable = False
                    break
                source = source.replace(token, alt)
        if usable:
            needs = compile_fast(p.needs) if p.needs else None
            folded = compile_folded(source, rule.flags)
            regex = _as_written(source, rule.flags, folded, f"{rule.id}: pattern {p.source[:60]!r}")
            out.append(Compiled(regex, p.weight, needs, source, folded))
    return out


def _rule(raw: dict, lexicons: dict[str, list[str]], pack: str) -> Rule:
    if not isinstance(raw, dict):
        raise PackError("a rule must be a mapping of id, category, severity, patterns, message …")
    rid = str(raw.get("id") or "").strip()
    if not rid:
        raise PackError("a rule has no id")
    if not rid.startswith("tone."):
        rid = "tone." + rid
    where = f"rule {rid}"
    category = str(raw.get("category") or "").strip()
    if not re.fullmatch(r"[a-z_]+", category):
        raise PackError(f"{where}: category must be a word such as 'absolute' (got {category!r})")
    severity = str(raw.get("severity") or "warning").strip()
    if severity not in SEVERITIES:
        raise PackError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    message = str(raw.get("message") or "").strip()
    if not message:
        raise PackError(f"{where}: a message in plain words is required")
    detector = str(raw.get("detector") or "regex")
    if detector not in DETECTORS:
        raise PackError(f"{where}: detector must be one of {', '.join(DETECTORS)}")
    quotes = str(raw.get("quotes") or "skip")
    if quotes not in QUOTE_MODES:
        raise PackError(f"{where}: quotes must be one of {', '.join(QUOTE_MODES)}")
    flags = 0 if raw.get("case_sensitive") else re.I

    patterns = []
    for item in _as_list(raw.get("patterns"), f"{where}: patterns"):
        weight, needs = 1.0, None
        if isinstance(item, dict):
            weight = float(item.get("weight", 1))
            needs = item.get("needs")
            item = item.get("pattern")
        if not isinstance(item, str) or not item:
            raise PackError(f"{where}: each pattern must be a regular expression string")
        if needs is not None:
            _compile(str(needs), 0, f"{where}: needs {needs!r}")
        src = expand(item, lexicons)
        patterns.append(Pattern(src, weight, None if needs is None else str(needs)))
    if not patterns and detector != "caps":
        raise PackError(f"{where}: at least one pattern is required")

    def regexes(key: str) -> list[re.Pattern]:
        return [
            _compile(expand(str(x), lexicons, ()), flags, f"{where}: {key} {x!r}")
            for x in _as_list(raw.get(key), f"{where}: {key}")
        ]

    def anchored(key: str, at_end: bool) -> re.Pattern | None:
        items = [expand(str(x), lexicons, ()) for x in _as_list(raw.get(key), f"{where}: {key}")]
        if not items:
            return None
        body = "|".join(f"(?:{x})" for x in items)
        return _compile(rf"(?:{body})\W*\Z" if at_end else rf"\W*(?:{body})", flags, f"{where}: {key}")

    rewrite = raw.get("rewrite")
    if isinstance(rewrite, dict):
        rewrite = {str(k).lower(): str(v) for k, v in rewrite.items()}
    elif rewrite is not None:
        rewrite = str(rewrite)
    examples = raw.get("examples") or {}
    if not isinstance(examples, dict):
        raise PackError(f"{where}: examples must have 'fire' and 'pass' lists")
    rule = Rule(
        id=rid,
        category=category,
        severity=severity,
        message=message,
        patterns=patterns,
        exceptions=regexes("exceptions"),
        requires=regexes("requires"),
        context=regexes("context"),
        context_exceptions=regexes("context_exceptions"),
        not_after=anchored("not_after", True),
        not_before=anchored("not_before", False),
        quotes=quotes,
        detector=detector,
        min_count=float(raw.get("min_count", 2)),
        flags=flags,
        rewrite=rewrite,
        examples_fire=_as_list(examples.get("fire"), f"{where}: examples.fire"),
        examples_pass=_as_list(examples.get("pass"), f"{where}: examples.pass"),
        options={k: v for k, v in (raw.get("options") or {}).items()},
        pack=pack,
    )
    for p in patterns:
        if not p.personal:
            folded = compile_folded(p.source, flags)
            regex = _as_written(p.source, flags, folded, f"{where}: pattern {p.source[:60]!r}")
            needs = compile_fast(p.needs) if p.needs else None
            rule.compiled.append(Compiled(regex, p.weight, needs, p.source, folded))
        else:
            # check the pattern compiles with a stand-in name
            probe = p.source
            for macro in PERSON_MACROS:
                probe = probe.replace(f"{{{macro}}}", "(?:Alex)")
            _compile(probe, flags, f"{where}: pattern {p.source[:60]!r}")
    for name in ("shout_words", "acronyms", "label_words", "word_endings"):
        lex = rule.options.get(name)
        if lex is not None and lex not in lexicons:
            raise PackError(f"{where}: options.{name} names an unknown lexicon {lex!r}")
    return rule


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's reads the packs ten times faster


def _read_pack(path: Path) -> dict:
    try:
        if path.stat().st_size > _MAX_PACK_BYTES:
            raise PackError(f"{path.name}: larger than a rule pack can be ({_MAX_PACK_BYTES // 1000} kB)")
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{path.name}: cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" on line {mark.line + 1}" if mark is not None else ""
        raise PackError(f"{path.name}: not valid YAML{line}") from None
    if not isinstance(data, dict):
        raise PackError(f"{path.name}: a pack is a mapping with 'rules' (and optional 'lexicons')")
    return data


def _pack_lexicons(data: dict, name: str) -> dict[str, list[str]]:
    raw = data.get("lexicons") or {}
    if not isinstance(raw, dict):
        raise PackError(f"{name}: lexicons must map names to lists of words")
    out = {}
    for key, words in raw.items():
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", str(key)) or not isinstance(words, list):
            raise PackError(f"{name}: lexicon {key!r} must be a lowercase name with a list of words")
        out[str(key)] = [str(w) for w in words if str(w).strip()]
    return out


def pack_paths() -> tuple[list[Path], list[Path]]:
    builtin = sorted(BUILTIN_DIR.glob("*.yaml"))
    user_dir = config_dir() / "tone"
    try:
        user = sorted(user_dir.glob("*.yaml")) if user_dir.is_dir() else []
    except OSError:
        user = []
    return builtin, user


def load_rules(include_user: bool = True) -> RuleSet:
    """Every rule of the built-in packs, then the user's packs (a user rule with the same id wins)."""
    builtin, user = pack_paths()
    problems: list[str] = []
    lexicons: dict[str, list[str]] = {}
    packs: list[tuple[Path, dict, bool]] = []
    for path, is_user in [(p, False) for p in builtin] + [(p, True) for p in (user if include_user else [])]:
        try:
            data = _read_pack(path)
            lex = _pack_lexicons(data, path.name)
        except PackError as exc:
            if not is_user:
                raise
            problems.append(str(exc))
            continue
        for key, words in lex.items():
            if key in lexicons and is_user:
                lexicons[key] = lexicons[key] + words  # a user pack may extend a built-in list
            else:
                lexicons[key] = words
        packs.append((path, data, is_user))
    by_id: dict[str, Rule] = {}
    for path, data, is_user in packs:
        raw_rules = data.get("rules") or []
        if not isinstance(raw_rules, list):
            msg = f"{path.name}: 'rules' must be a list"
            if not is_user:
                raise PackError(msg)
            problems.append(msg)
            continue
        for raw in raw_rules:
            try:
                if isinstance(raw, dict) and raw.get("disabled"):
                    rid = str(raw.get("id") or "")
                    by_id.pop(rid if rid.startswith("tone.") else "tone." + rid, None)
                    continue
                rule = _rule(raw, lexicons, path.stem)
            except PackError as exc:
                if not is_user:
                    raise PackError(f"{path.name}: {exc}") from None
                problems.append(f"{path.name}: {exc}")
                continue
            by_id[rule.id] = rule
    return RuleSet(list(by_id.values()), lexicons, problems)
