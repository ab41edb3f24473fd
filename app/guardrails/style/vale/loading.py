"""Loading Vale rule files: each rule compiled, or reported with its file and the reason it cannot run.

``load_rules(paths)`` reads rule files (or every ``*.yml``/``*.yaml`` in a folder; the rule is named
``<folder name>.<file stem>``, as Vale names it) and returns a :class:`RuleSet`: the compiled rules and
``skipped``, one ``{"rule", "file", "why"}`` per rule that cannot run. Nothing is dropped silently: the
style guide keeps the list (:attr:`app.guardrails.style.guide.StyleGuide.vale_skipped`), logs it once at
load, and the brand import prints it.

Rule types (``extends``) Vale documents (https://vale.sh/docs/checks; ``internal/check`` in
errata-ai/vale) and what happens to each:

- run: ``existence``, ``substitution`` (:mod:`.tokens`), ``occurrence``, ``repetition`` (:mod:`.counts`),
  ``consistency``, ``conditional`` (:mod:`.pairs`), ``capitalization`` (:mod:`.casing`), ``readability``
  and ``metric`` (:mod:`.metrics`);
- reported at load: ``spelling`` (needs a Hunspell dictionary, which the factory does not ship),
  ``sequence`` (needs Vale's part-of-speech tagger), ``script`` (Tengo scripts), and any other ``extends``;
- also reported: a regex no engine here compiles (:mod:`.regexes`), a metric formula that is not plain
  arithmetic on known counts, a scope Vale itself refuses, a file that is not a YAML mapping.

``level`` maps error -> block, warning (Vale's default) -> warn, suggestion -> info. ``scope`` (default
``text``) selects the blocks a rule runs on (:mod:`.blocks`); ``limit`` caps the alerts per document.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.guardrails.base import Severity
from app.guardrails.style.vale.blocks import Block, document_blocks, scope_matches, scope_problem
from app.guardrails.style.vale.casing import capitalization
from app.guardrails.style.vale.counts import occurrence, repetition
from app.guardrails.style.vale.metrics import BadFormula, metric, readability
from app.guardrails.style.vale.pairs import conditional, consistency
from app.guardrails.style.vale.regexes import UnsupportedPattern
from app.guardrails.style.vale.shared import Finder, Hit
from app.guardrails.style.vale.tokens import existence, substitution

LEVELS = {"error": Severity.block, "warning": Severity.warn, "suggestion": Severity.info}

_BUILDERS: dict[str, Callable[[dict[str, Any]], Finder]] = {
    "existence": existence, "substitution": substitution, "occurrence": occurrence,
    "repetition": repetition, "consistency": consistency, "conditional": conditional,
    "capitalization": capitalization, "readability": readability, "metric": metric,
}
_DOCUMENT_RULES = {"readability", "metric"}  # Vale runs these on the summary block only
# The rule types with Vale's ``vocab`` field (internal/check/*.go: ``Vocab bool``).
_VOCAB_RULES = {"existence", "substitution", "capitalization", "conditional", "repetition"}
_NOT_RUN = {
    "spelling": "needs a Hunspell dictionary, which the factory does not ship; list words to accept or "
                "avoid in the brand's term lists instead",
    "sequence": "needs Vale's part-of-speech tagger, which the factory does not have",
    "script": "runs a Tengo script, which the factory cannot execute",
}


class UnsupportedRule(ValueError):
    """Raised by :func:`load_rule` for a rule this module cannot run; the message says why."""


@dataclass(frozen=True)
class ValeRule:
    name: str
    extends: str
    level: str
    finder: Finder
    scopes: tuple[str, ...] = ("text",)
    limit: int = 0  # Vale's ``limit``: at most this many alerts per document (0: no limit)

    @property
    def severity(self) -> Severity:
        return LEVELS.get(self.level, Severity.warn)

    def find(self, text: str, blocks: Iterable[Block] | None = None) -> list[Hit]:
        """Alerts on ``text`` as ``(start, end, message, fix)``, in text order.

        ``blocks`` default to :func:`~.blocks.document_blocks`; the rule runs on those its scope selects,
        with per-document state (consistency, conditional) carried from block to block.
        """
        return self.find_in(Document.of(text, document_blocks(text) if blocks is None else list(blocks)))

    def find_in(self, doc: Document) -> list[Hit]:
        """:meth:`find` on a document already split (split once, run every rule)."""
        state: dict[str, Any] = {"scope_counts": doc.scope_counts}
        hits: dict[int, Hit] = {}  # by start: Vale reports one alert per position and rule
        for block in doc.blocks:
            if scope_matches(self.scopes, block.scope):
                piece = doc.text[block.start:block.end]
                for s, e, m, f in self.finder(piece, state):
                    if e > s and _inside(doc.urls, block.start + s, block.start + e):
                        continue  # a web address is not prose (Vale lints a link's text, not its URL)
                    hits.setdefault(block.start + s, (block.start + s, block.start + e, m, f))
        ordered = [hits[start] for start in sorted(hits)]
        return ordered[:self.limit] if self.limit > 0 else ordered


@dataclass(frozen=True)
class Document:
    """A text with its blocks, the spans of its web addresses and how many blocks of each scope it has."""

    text: str
    blocks: list[Block]
    urls: list[tuple[int, int]]
    scope_counts: Counter[str]

    @classmethod
    def of(cls, text: str, blocks: list[Block]) -> Document:
        return cls(text, blocks, [m.span() for m in _URL.finditer(text)], Counter(b.scope for b in blocks))


@dataclass
class RuleSet:
    rules: list[ValeRule] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"rule", "file", "why"}


def load_rules(paths: Iterable[str | Path], accepted: Sequence[str] = ()) -> RuleSet:
    """Every rule in ``paths`` (files, or folders of ``.yml`` files); the ones that cannot run in ``skipped``.

    ``accepted`` is the vocabulary (Vale's ``accept.txt``; a brand's proper nouns): as in Vale, rules with
    ``vocab`` (default true) of the types that have it take its entries as exceptions.
    """
    found = RuleSet()
    for path in map(Path, paths):
        files = sorted([*path.glob("*.yml"), *path.glob("*.yaml")]) if path.is_dir() else [path]
        for file in files:
            try:
                found.rules.append(load_rule(file, accepted=accepted))
            except UnsupportedRule as exc:
                found.skipped.append({"rule": _rule_name(file), "file": str(file), "why": str(exc)})
    return found


def load_rule(path: Path, package: str | None = None, accepted: Sequence[str] = ()) -> ValeRule:
    """One rule file; raises :class:`UnsupportedRule` saying why it cannot run."""
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise UnsupportedRule(f"not valid YAML: {exc}") from exc
    if not isinstance(spec, dict):
        raise UnsupportedRule("not a YAML mapping")
    extends = str(spec.get("extends", ""))
    if extends in _NOT_RUN:
        raise UnsupportedRule(f"extends: {extends} {_NOT_RUN[extends]}")
    builder = _BUILDERS.get(extends)
    if builder is None:
        raise UnsupportedRule(f"extends: {extends or '(none)'} is not a rule type Vale documents")
    scopes = ("summary",) if extends in _DOCUMENT_RULES else _scopes(spec)
    if accepted and extends in _VOCAB_RULES and spec.get("vocab", True) is not False:
        spec = {**spec, "exceptions": [*(spec.get("exceptions") or []), *accepted]}
    problem = scope_problem(scopes)
    if problem:
        raise UnsupportedRule(problem)
    try:
        finder = builder(spec)
    except (UnsupportedPattern, BadFormula, re.error) as exc:
        raise UnsupportedRule(str(exc)) from exc
    level = str(spec.get("level", "warning"))  # Vale's default (internal/check/manager.go)
    return ValeRule(name=_rule_name(path, package), extends=extends, level=level, finder=finder, scopes=scopes,
                    limit=int(spec.get("limit") or 0))


_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+")


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    index = bisect_right(spans, (start, 1 << 62)) - 1  # the last web address starting at or before
    return index >= 0 and spans[index][0] <= start and end <= spans[index][1]


def builtin_rules(accepted: Sequence[str] = (), rejected: Sequence[str] = ()) -> list[ValeRule]:
    """Vale's own style ``Vale`` (``defaultRules`` in ``internal/check/definition.go``): ``Vale.Repetition``,
    ``Vale.Terms`` (the vocabulary's accepted words in their exact case) and ``Vale.Avoid`` (its rejected
    words). ``Vale.Spelling`` needs a dictionary and is not among them."""
    specs: dict[str, dict[str, Any]] = {
        "Repetition": {"extends": "repetition", "level": "error", "message": "'%s' is repeated!", "alpha": True,
                       "tokens": [r"[^\s]+"]},
    }
    if accepted:
        specs["Terms"] = {"extends": "substitution", "level": "error", "message": "Use '%s' instead of '%s'.",
                          "ignorecase": True, "swap": {term: term for term in accepted}}
    if rejected:
        specs["Avoid"] = {"extends": "existence", "level": "error", "message": "Avoid using '%s'.",
                          "tokens": list(rejected)}
    if accepted:  # Vale.Repetition takes the vocabulary as exceptions too
        specs["Repetition"]["exceptions"] = list(accepted)
    return [ValeRule(name=f"Vale.{name}", extends=spec["extends"], level=spec["level"],
                     finder=_BUILDERS[spec["extends"]](spec)) for name, spec in specs.items()]


def _scopes(spec: dict[str, Any]) -> tuple[str, ...]:
    scope = spec.get("scope") or ["text"]
    return tuple(str(s) for s in ([scope] if isinstance(scope, str) else scope))


def _rule_name(path: Path, package: str | None = None) -> str:
    return f"{package or path.parent.name}.{path.stem}"
