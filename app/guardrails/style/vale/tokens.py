"""Vale's token rules: ``existence`` (these words are flagged) and ``substitution`` (use this, not that).

Semantics follow Vale's ``internal/check/existence.go`` and ``substitution.go``:

- ``existence``: ``tokens`` joined with ``|`` inside word boundaries (none with ``nonword``, or when there
  are no tokens), ``raw`` pieces put before the tokens (after with ``append: true``), ``ignorecase``;
  a match whose trimmed text an exception finds is not reported; ``%s`` in the message is the match.
- ``substitution``: swap keys are tried **longest first** in one alternation (so ``check out page`` wins
  over ``check out``); capture groups in a key become non-capturing. A match already equal to its value
  is no finding: literal text compares exactly (case counts), a value with regex syntax must match the
  whole observed text, case-insensitively under ``ignorecase`` (:func:`~.regexes.matches_whole`). The
  message's first ``%s`` is the value ("a|b" shown as "a or b"), the second the match.

Fixes: literal text (or the first of ``a|b`` literal alternatives) is the suggestion; ``capitalize: true``
capitalises it after a capitalised match. A value with regex syntax is never a suggestion (it would write
``(?:herbal`` into the copy): the finding suggests nothing and its message says what matched.
"""

from __future__ import annotations

from typing import Any

from app.guardrails.style.vale.regexes import (
    compile_vale,
    is_literal_alternatives,
    matches_whole,
    without_captures,
)
from app.guardrails.style.vale.shared import (
    Finder,
    Hit,
    action_fix,
    excepted,
    exceptions_pattern,
    format_message,
    word_template,
)


def existence(spec: dict[str, Any]) -> Finder:
    tokens = [str(t) for t in spec.get("tokens") or [] if str(t).strip()]
    raw = "".join(str(r) for r in spec.get("raw") or [])
    body = word_template("|".join(tokens), bool(spec.get("nonword")) or not tokens)
    if not tokens:
        body = ""
    pattern = compile_vale(body + raw if spec.get("append") else raw + body, bool(spec.get("ignorecase")))
    message, fix, skip = str(spec.get("message", "")), action_fix(spec), exceptions_pattern(spec)

    def find(text: str, _state: dict[str, Any]) -> list[Hit]:
        hits: list[Hit] = []
        for m in pattern.finditer(text):
            observed = m.group(0).strip()
            if observed and not excepted(skip, observed):
                hits.append((m.start(), m.end(), format_message(message, observed), fix))
        return hits
    return find


def substitution(spec: dict[str, Any]) -> Finder:
    swap = spec.get("swap") or {}
    # Longest key first, as Vale sorts them, so the longer phrase wins the alternation.
    keys = sorted((str(k) for k in swap), key=len, reverse=True)
    values = [str(swap[k]) if swap[k] is not None else "" for k in _originals(swap, keys)]
    groups = "|".join(f"({without_captures(key)})" for key in keys)
    ignorecase, capitalize = bool(spec.get("ignorecase")), bool(spec.get("capitalize"))
    pattern = compile_vale(word_template(groups, bool(spec.get("nonword"))), ignorecase)
    message, skip = str(spec.get("message", "")), exceptions_pattern(spec)

    def find(text: str, _state: dict[str, Any]) -> list[Hit]:
        hits: list[Hit] = []
        for m in pattern.finditer(text):
            index = (m.lastindex or 1) - 1
            observed = m.group(0).strip()
            expected = values[index]
            if capitalize and observed[:1].isupper():
                expected = expected[:1].upper() + expected[1:]
            if matches_whole(expected, observed, ignorecase) or excepted(skip, observed):
                continue
            hits.append(_alert(m.start(), m.end(), message, expected, observed))
        return hits
    return find


def _originals(swap: dict[Any, Any], keys: list[str]) -> list[Any]:
    by_text = {str(k): k for k in swap}
    return [by_text[k] for k in keys]


def _alert(start: int, end: int, message: str, expected: str, observed: str) -> Hit:
    if is_literal_alternatives(expected):
        options = expected.split("|")
        shown = options[0] if len(options) == 1 else ", ".join(options[:-1]) + " or " + options[-1]
        return start, end, format_message(message, shown, observed), options[0]
    reason = (f"{format_message(message, expected, observed)} (found {observed!r}; the rule's replacement is "
              "a pattern, not a word, so there is no automatic fix)")
    return start, end, reason, None
