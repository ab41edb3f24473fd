"""Vale-style YAML rules as factory checks, so a brand reuses the style rules it already has.

``load_rules(paths)`` reads rule files (or every ``*.yml``/``*.yaml`` in a folder; the rule is named
``<folder name>.<file stem>``, as Vale names it) and returns a :class:`RuleSet`: the compiled rules and
the ones skipped, with why. Supported ``extends`` and fields, with Vale's semantics:

- ``existence``: ``tokens`` (regexes, joined with ``|`` and wrapped in word boundaries unless
  ``nonword``), ``raw`` (regex pieces put before the tokens, after them with ``append: true``),
  ``ignorecase``, ``exceptions``; ``%s`` in ``message`` is the match.
- ``substitution``: ``swap`` (regex -> replacement; "a|b" offers both); a match already equal to its
  replacement is no finding; ``%s`` is the replacement, a second ``%s`` the match.
- ``occurrence``: ``token``, ``max``, ``min`` per ``scope`` (text, paragraph or sentence).
- ``repetition``: ``tokens``, ``alpha``, ``max``: the same token twice in a row.
- ``consistency``: ``either`` pairs: the variant seen second in the text is flagged.
- ``capitalization``: ``match`` ($title, $sentence, $lower, $upper or a regex) on headings (Markdown
  ``#`` lines, else the first line: a factory headline), with ``exceptions``.

Other types (``conditional``, ``spelling``, ``metric``, ``sequence``, ``script``...) and regexes Python
cannot compile are skipped, not guessed. ``level`` maps error -> block, warning -> warn, suggestion
(Vale's default) -> info. ``action`` gives the fix: substitution's replacement, ``replace`` params,
or "" for ``remove``; it becomes the result's ``suggestion`` (None when there is no fix).

:class:`ValeCheck` runs a rule set as a check (rule ``vale:<Package>.<Rule>``). :func:`prose_view`
blanks code spans and fenced blocks of Markdown/reStructuredText, keeping offsets, as Vale skips code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.guardrails.base import CheckContext, CheckResult, Severity
from app.guardrails.sentences import split_sentences

LEVELS = {"error": Severity.block, "warning": Severity.warn, "suggestion": Severity.info}
Hit = tuple[int, int, str, str | None]  # start, end, message, fix
Finder = Callable[[str], list[Hit]]


class UnsupportedRule(ValueError):
    """Raised by :func:`load_rule` for a rule type or regex this module cannot run."""


@dataclass(frozen=True)
class ValeRule:
    name: str
    extends: str
    level: str
    finder: Finder

    @property
    def severity(self) -> Severity:
        return LEVELS.get(self.level, Severity.info)

    def find(self, text: str) -> list[Hit]:
        return self.finder(text)


@dataclass
class RuleSet:
    rules: list[ValeRule] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)


class ValeCheck:
    """Runs Vale rules on the text; one failed result per alert."""

    def __init__(self, rules: Iterable[ValeRule], name: str = "vale") -> None:
        self.rules = list(rules)
        self.name = name

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        return [result for rule in self.rules for result in alert_results(rule, text, self.name)]


def alert_results(rule: ValeRule, text: str, check: str) -> list[CheckResult]:
    return [
        CheckResult(check=check, rule=f"vale:{rule.name}", passed=False, severity=rule.severity,
                    spans=((start, end),), reason=message, evidence=text[start:end], suggestion=fix)
        for start, end, message, fix in rule.find(text)
    ]


def load_rules(paths: Iterable[str | Path]) -> RuleSet:
    """Every rule in ``paths`` (files, or folders of ``.yml`` files); unsupported ones listed as skipped."""
    found = RuleSet()
    for path in map(Path, paths):
        files = sorted([*path.glob("*.yml"), *path.glob("*.yaml")]) if path.is_dir() else [path]
        for file in files:
            try:
                found.rules.append(load_rule(file))
            except UnsupportedRule as exc:
                found.skipped.append({"rule": _rule_name(file), "why": str(exc)})
    return found


def load_rule(path: Path, package: str | None = None) -> ValeRule:
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(spec, dict):
        raise UnsupportedRule(f"{path}: not a YAML mapping")
    extends = str(spec.get("extends", ""))
    builder = _BUILDERS.get(extends)
    if builder is None:
        raise UnsupportedRule(f"extends: {extends or '(none)'} is not supported")
    try:
        finder = builder(spec)
    except re.error as exc:
        raise UnsupportedRule(f"regex Python cannot compile: {exc}") from exc
    level = str(spec.get("level", "suggestion"))
    return ValeRule(name=_rule_name(path, package), extends=extends, level=level, finder=finder)


def prose_view(text: str, markup: str = "txt") -> str:
    """``text`` with code blanked out (same length, same lines) for Markdown and reStructuredText."""
    if markup not in ("md", "markdown", "rst"):
        return text
    text = _FENCE.sub(lambda m: _blank(m.group(0)), text)
    return _CODE_SPAN.sub(lambda m: _blank(m.group(0)), text)


_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")


def _blank(code: str) -> str:
    return re.sub(r"[^\n]", "*", code)


def _rule_name(path: Path, package: str | None = None) -> str:
    return f"{package or path.parent.name}.{path.stem}"


def _flags(spec: dict[str, Any]) -> int:
    return re.MULTILINE | (re.IGNORECASE if spec.get("ignorecase") else 0)


def _clean(pattern: str) -> tuple[str, int]:
    # Go allows "(?i)" anywhere; Python only at the start, so it becomes a flag.
    flags = re.IGNORECASE if "(?i)" in pattern else 0
    return pattern.replace("(?i)", ""), flags


def _compile(pattern: str, flags: int) -> re.Pattern[str]:
    cleaned, extra = _clean(pattern)
    return re.compile(cleaned, flags | extra)


def _format(message: str, *subs: str) -> str:
    for sub in subs:
        message = message.replace("%s", sub, 1)
    return message


def _exceptions(spec: dict[str, Any]) -> re.Pattern[str] | None:
    items = [str(e) for e in spec.get("exceptions", []) or []]
    return _compile("(?:" + "|".join(items) + ")", _flags(spec)) if items else None


def _excepted(pattern: re.Pattern[str] | None, observed: str) -> bool:
    return pattern is not None and pattern.fullmatch(observed) is not None


def _action_fix(spec: dict[str, Any]) -> str | None:
    action = spec.get("action") or {}
    name = action.get("name") if isinstance(action, dict) else None
    params = action.get("params") or [] if isinstance(action, dict) else []
    if name == "remove":
        return ""
    if name == "replace" and params:
        return str(params[0])
    return None


def _existence(spec: dict[str, Any]) -> Finder:
    tokens = [str(t) for t in spec.get("tokens", []) or []]
    raw = "".join(str(r) for r in spec.get("raw", []) or [])
    body = "(?:" + "|".join(tokens) + ")" if tokens else ""
    if tokens and not spec.get("nonword"):
        body = r"\b" + body + r"\b"
    pattern = _compile(body + raw if spec.get("append") else raw + body, _flags(spec))
    message, fix, skip = str(spec.get("message", "")), _action_fix(spec), _exceptions(spec)

    def find(text: str) -> list[Hit]:
        matches = [(m, m.group(0).strip()) for m in pattern.finditer(text)]
        return [(m.start(), m.end(), _format(message, observed), fix) for m, observed in matches
                if observed and not _excepted(skip, observed)]
    return find


def _substitution(spec: dict[str, Any]) -> Finder:
    swaps = [(str(k), str(v)) for k, v in (spec.get("swap") or {}).items()]
    groups = "|".join("(" + re.sub(r"(?<!\\)\((?!\?)", "(?:", key) + ")" for key, _ in swaps)
    body = groups if spec.get("nonword") else r"\b(?:" + groups + r")\b"
    flags, message, skip = _flags(spec), str(spec.get("message", "")), _exceptions(spec)
    pattern = _compile(body, flags)

    def find(text: str) -> list[Hit]:
        hits: list[Hit] = []
        for m in pattern.finditer(text):
            expected = swaps[(m.lastindex or 1) - 1][1]
            observed = m.group(0).strip()
            if _same(expected, observed) or _excepted(skip, observed):
                continue
            options = expected.split("|")
            shown = options[0] if len(options) == 1 else ", ".join(options[:-1]) + " or " + options[-1]
            hits.append((m.start(), m.end(), _format(message, shown, observed), options[0]))
        return hits
    return find


def _same(expected: str, observed: str) -> bool:
    try:
        return _compile(expected, 0).fullmatch(observed) is not None
    except re.error:
        return expected == observed


def _occurrence(spec: dict[str, Any]) -> Finder:
    token = _compile(str(spec.get("token", "")), _flags(spec))
    most, least = spec.get("max"), spec.get("min")
    message, scope = str(spec.get("message", "")), str(spec.get("scope", "text"))

    def find(text: str) -> list[Hit]:
        hits: list[Hit] = []
        for start, end in _units(text, scope):
            found = list(token.finditer(text, start, end))
            if most is not None and len(found) > int(most):
                extra = found[int(most)]
                hits.append((extra.start(), extra.end(), _format(message, extra.group(0)), None))
            if least is not None and len(found) < int(least) and end > start:
                hits.append((start, end, _format(message, text[start:end]), None))
        return hits
    return find


def _units(text: str, scope: str) -> list[tuple[int, int]]:
    if scope == "sentence":
        return [(s, e) for s, e, _ in split_sentences(text)]
    if scope == "paragraph":
        return [(m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text)]
    return [(0, len(text))]


def _repetition(spec: dict[str, Any]) -> Finder:
    pattern = _compile("(?:" + "|".join(str(t) for t in spec.get("tokens", []) or []) + ")", _flags(spec))
    alpha, most = bool(spec.get("alpha")), int(spec.get("max", 0) or 0)
    ignorecase, message = bool(spec.get("ignorecase")), str(spec.get("message", ""))
    exceptions = {str(e) for e in spec.get("exceptions", []) or []}

    def find(text: str) -> list[Hit]:
        hits: list[Hit] = []
        for start, end in _units(text, "paragraph"):  # as Vale, a repeat never spans two blocks
            previous, previous_start, count = "", 0, 0
            for m in pattern.finditer(text, start, end):
                current = m.group(0).strip()
                same = (current.lower() == previous.lower()) if ignorecase else current == previous
                hit = bool(current) and same and (not alpha or current.isalpha())
                count += hit
                if hit and count > most:
                    if current not in exceptions:
                        hits.append((previous_start, m.end(), _format(message, current), _action_fix(spec)))
                    count = 0
                previous, previous_start = current, m.start()
        return hits
    return find


def _consistency(spec: dict[str, Any]) -> Finder:
    flags, message = _flags(spec), str(spec.get("message", ""))
    either = (spec.get("either") or {}).items()
    pairs = [_compile(rf"\b(?P<a>{a})\b|\b(?P<b>{b})\b", flags) for a, b in either]

    def find(text: str) -> list[Hit]:
        hits: list[Hit] = []
        for pattern in pairs:
            first: str | None = None
            for m in pattern.finditer(text):
                variant = "a" if m.group("a") is not None else "b"
                first = first or variant
                if variant != first:
                    hits.append((m.start(), m.end(), _format(message, m.group(0)), None))
        return sorted(hits)
    return find


_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "nor", "of", "on",
                          "or", "so", "the", "to", "up", "with", "yet"})


def _capitalization(spec: dict[str, Any]) -> Finder:
    match, message = str(spec.get("match", "$title")), str(spec.get("message", ""))
    exceptions = {str(e) for e in spec.get("exceptions", []) or []}
    regex = None if match.startswith("$") else _compile(match, 0)

    def find(text: str) -> list[Hit]:
        hits: list[Hit] = []
        for start, end in _headings(text):
            heading = text[start:end]
            ok = regex.fullmatch(heading) is not None if regex else _cased(heading, match, exceptions)
            if not ok:
                hits.append((start, end, _format(message, heading), None))
        return hits
    return find


def _headings(text: str) -> list[tuple[int, int]]:
    marked = [(m.start(1), m.end(1)) for m in re.finditer(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", text, re.MULTILINE)]
    first = re.match(r"[ \t]*(\S[^\n]*)", text)
    return marked or ([(first.start(1), first.end(1))] if first else [])


def _cased(heading: str, style: str, exceptions: set[str]) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'\u2019-]*", heading) if w not in exceptions]
    if style == "$lower":
        return all(w.islower() for w in words)
    if style == "$upper":
        return all(w.isupper() for w in words)
    if style == "$sentence":
        # First word capitalised; later words lower case, or all capitals (an acronym).
        later = words[1:]
        return bool(words) and words[0][0].isupper() and all(w.islower() or w.isupper() for w in later)
    last = len(words) - 1
    return all(w[0].isupper() or (w.lower() in _SMALL_WORDS and 0 < i < last) for i, w in enumerate(words))


_BUILDERS: dict[str, Callable[[dict[str, Any]], Finder]] = {
    "existence": _existence, "substitution": _substitution, "occurrence": _occurrence,
    "repetition": _repetition, "consistency": _consistency, "capitalization": _capitalization,
}
