"""Vale's document rules: ``readability`` (grade formulas) and ``metric`` (a formula over document counts).

Both run once per document on its ``summary`` block, as Vale forces (``internal/check/readability.go``,
``metric.go``); the alert covers the document and ``%s`` is the value with two decimals.

- ``readability``: the mean of the listed ``metrics`` above ``grade`` is an alert. The formulas are the
  published ones: Flesch-Kincaid 0.39 W/S + 11.8 Sy/W - 15.59; Gunning Fog 0.4 (W/S + 100 C/W);
  Coleman-Liau 0.0588 L - 0.296 S100 - 15.8 (L letters and S100 sentences per 100 words); SMOG
  1.0430 sqrt(P * 30 / S) + 3.1291; Automated Readability 4.71 Ch/W + 0.5 W/S - 21.43 (W words, S sentences,
  Sy syllables, C complex words, P polysyllabic words, Ch characters).
- ``metric``: ``formula`` over ``words``, ``sentences``, ``syllables``, ``characters``, ``complex_words``,
  ``long_words``, ``polysyllabic_words``, ``paragraphs`` and the block counts ``list``, ``blockquote``,
  ``pre``, ``heading_h1``... ``heading_h6`` (``heading.h2`` may be written for ``heading_h2``), with
  ``math.sqrt``/``math.log``..., then ``condition`` (e.g. ``> 8``) on the result. Vale evaluates Tengo; this
  evaluates the same arithmetic with Python's :mod:`ast`, refusing anything else at load.

Counts use :mod:`app.guardrails.style.readability` (syllable heuristic, any script's letters): polysyllabic
and complex words have 3+ syllables (complex: not capitalised and not hyphenated), long words 7+ letters.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable
from typing import Any

from app.guardrails.style.readability import sentence_word_counts, syllables, word_spans
from app.guardrails.style.vale.shared import Finder, Hit, format_message


class BadFormula(ValueError):
    """Raised at load for a metric formula or condition that is not plain arithmetic on known counts."""


def counts(text: str) -> dict[str, float]:
    """The document counts a metric formula or a readability grade uses."""
    words = [text[s:e] for s, e in word_spans(text)]
    per_word = [syllables(w) for w in words]
    return {
        "words": len(words),
        "sentences": sum(1 for _, n in sentence_word_counts(text) if n),
        "syllables": sum(per_word),
        "characters": sum(sum(ch.isalnum() for ch in w) for w in words),
        "polysyllabic_words": sum(n >= 3 for n in per_word),
        "complex_words": sum(n >= 3 and not w[:1].isupper() and "-" not in w for w, n in zip(words, per_word,
                                                                                             strict=True)),
        "long_words": sum(len(w) > 6 for w in words),
    }


_GRADES: dict[str, Callable[[dict[str, float]], float]] = {
    "Flesch-Kincaid": lambda c: 0.39 * c["words"] / c["sentences"] + 11.8 * c["syllables"] / c["words"] - 15.59,
    "Gunning Fog": lambda c: 0.4 * (c["words"] / c["sentences"] + 100 * c["complex_words"] / c["words"]),
    "Coleman-Liau": lambda c: (0.0588 * 100 * c["characters"] / c["words"]
                               - 0.296 * 100 * c["sentences"] / c["words"] - 15.8),
    "SMOG": lambda c: 1.0430 * math.sqrt(c["polysyllabic_words"] * 30 / c["sentences"]) + 3.1291,
    "Automated Readability": lambda c: (4.71 * c["characters"] / c["words"] + 0.5 * c["words"] / c["sentences"]
                                        - 21.43),
}


def readability(spec: dict[str, Any]) -> Finder:
    metrics = [str(m) for m in spec.get("metrics") or []]
    unknown = [m for m in metrics if m not in _GRADES]
    if not metrics or unknown:
        raise BadFormula(f"readability metrics {unknown or metrics} are not among {sorted(_GRADES)}")
    grade, message = float(spec.get("grade") or 0), str(spec.get("message", ""))

    def find(text: str, _state: dict[str, Any]) -> list[Hit]:
        c = counts(text)
        if not c["words"] or not c["sentences"]:
            return []
        value = sum(_GRADES[m](c) for m in metrics) / len(metrics)
        return [(0, len(text), format_message(message, f"{value:.2f}"), None)] if value > grade else []
    return find


_HEADING_VAR = re.compile(r"heading\.(h[1-6])")
_BLOCK_COUNTS = ("pre", "list", "blockquote", "heading_h1", "heading_h2", "heading_h3", "heading_h4",
                 "heading_h5", "heading_h6")
_VARIABLES = frozenset({"words", "sentences", "syllables", "characters", "polysyllabic_words", "complex_words",
                        "long_words", "paragraphs", *_BLOCK_COUNTS})


def metric(spec: dict[str, Any]) -> Finder:
    formula = _parse(_HEADING_VAR.sub(r"heading_\1", str(spec.get("formula", ""))), "formula")
    condition = str(spec.get("condition", "")).strip()
    test = _parse(f"value {condition}", "condition") if condition else None
    message = str(spec.get("message", ""))

    def find(text: str, state: dict[str, Any]) -> list[Hit]:
        variables: dict[str, float] = {**dict.fromkeys(_BLOCK_COUNTS, 0.0), **counts(text)}
        for scope, number in state.get("scope_counts", {}).items():
            key = _HEADING_VAR.sub(r"heading_\1", scope.removeprefix("text.")).replace(".", "_")
            if key in variables or key == "paragraph":
                variables["paragraphs" if key == "paragraph" else key] = float(number)
        variables.setdefault("paragraphs", 0.0)
        if not variables["words"]:
            return []
        try:
            value = float(_evaluate(formula, variables))
            hit = bool(_evaluate(test, {**variables, "value": value})) if test is not None else False
        except (ZeroDivisionError, ValueError, OverflowError):
            return []
        return [(0, len(text), format_message(message, f"{value:.2f}"), None)] if hit else []
    return find


_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.Mod: operator.mod, ast.Pow: operator.pow,
}
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Lt: operator.lt, ast.LtE: operator.le, ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_MATH: dict[str, Callable[..., Any]] = {
    "sqrt": math.sqrt, "log": math.log, "log10": math.log10, "log2": math.log2, "abs": abs, "floor": math.floor,
    "ceil": math.ceil, "pow": math.pow, "exp": math.exp, "round": round,
}


_ALLOWED = (ast.Constant, ast.Name, ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.Call, ast.Attribute,
            ast.Load, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)


def _parse(source: str, what: str) -> ast.expr:
    try:
        tree = ast.parse(source.replace("&&", " and ").replace("||", " or "), mode="eval").body
    except SyntaxError as exc:
        raise BadFormula(f"metric {what} {source!r} is not an arithmetic expression: {exc.msg}") from exc
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise BadFormula(f"metric {what} {source!r}: {type(node).__name__} is not arithmetic")
        if isinstance(node, ast.Name) and node.id not in _VARIABLES | {"math", "value"}:
            raise BadFormula(f"metric {what} {source!r} uses {node.id!r}; known: {sorted(_VARIABLES)}")
        if isinstance(node, ast.Attribute) and node.attr not in _MATH:
            raise BadFormula(f"metric {what} {source!r} calls math.{node.attr}, which is not supported")
    return tree


def _evaluate(node: ast.expr, variables: dict[str, float]) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return node.value
    if isinstance(node, ast.Name):
        return variables[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_evaluate(node.left, variables), _evaluate(node.right, variables))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _evaluate(node.operand, variables)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
        return _COMPARE[type(node.ops[0])](_evaluate(node.left, variables),
                                           _evaluate(node.comparators[0], variables))
    if isinstance(node, ast.BoolOp):
        values = [bool(_evaluate(v, variables)) for v in node.values]
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "math" and node.func.attr in _MATH):
        return _MATH[node.func.attr](*(_evaluate(a, variables) for a in node.args))
    raise ValueError(f"unsupported expression {ast.dump(node)}")
