"""Pieces every Vale rule type shares: the finder contract, messages, exceptions and fixes.

A :data:`Finder` takes one block's text and the rule's per-document ``state`` (a dict the rule may fill,
for rules that remember earlier blocks) and returns :data:`Hit` values with offsets into that block.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.guardrails.style.vale.regexes import Pattern, compile_vale

Hit = tuple[int, int, str, str | None]  # start, end, message, fix (None: no safe replacement)
Finder = Callable[[str, dict[str, Any]], list[Hit]]


def format_message(message: str, *subs: str) -> str:
    """Vale's message with each ``%s`` replaced in turn (``%%`` is a percent sign, as in Go's Sprintf)."""
    parts = message.split("%%")
    out = []
    remaining = list(subs)
    for part in parts:
        while "%s" in part and remaining:
            part = part.replace("%s", remaining.pop(0), 1)
        out.append(part)
    return "%".join(out)


def exceptions_pattern(spec: dict[str, Any]) -> Pattern | None:
    """Vale's exceptions: a case-sensitive (unless ``(?i)``-prefixed) whole-word search, longest first."""
    items = sorted((str(e) for e in spec.get("exceptions") or [] if str(e)), key=len, reverse=True)
    if not items:
        return None
    scoped = [f"(?i:{e[4:]})" if e.startswith("(?i)") else f"(?-i:{e})" for e in items]
    return compile_vale(r"\b(?:" + "|".join(scoped) + r")\b")


def excepted(pattern: Pattern | None, observed: str) -> bool:
    return pattern is not None and pattern.search(observed) is not None


def action_fix(spec: dict[str, Any]) -> str | None:
    """The fix an ``action`` gives: ``replace`` its first param, ``remove`` the empty string, else None."""
    action = spec.get("action") or {}
    if not isinstance(action, dict):
        return None
    params = action.get("params") or []
    if action.get("name") == "remove":
        return ""
    if action.get("name") == "replace" and params:
        return str(params[0])
    return None


def word_template(body: str, nonword: bool) -> str:
    """Vale's ``\\b(?:...)\\b`` around tokens, or ``(?:...)`` with ``nonword: true``."""
    return f"(?:{body})" if nonword else rf"\b(?:{body})\b"
