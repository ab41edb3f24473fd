"""Vale's rules about two things in one document: ``consistency`` and ``conditional``.

Both remember what earlier blocks held (Vale keeps it per file, ``f.Sequences``), in the rule's ``state``.

- ``consistency`` (``internal/check/consistency.go``): for each ``either`` pair, once both variants have
  been seen in the document, a block that holds either is one alert at its last match.
- ``conditional`` (``conditional.go``): ``second`` is the pattern that defines (its capture groups are
  remembered, e.g. the ``WHO`` of "World Health Organization (WHO)"); each match of ``first`` (e.g. an
  acronym) not defined so far in the document (this block included) and not an exception is an alert.
  ``%s`` is the match.
"""

from __future__ import annotations

from typing import Any

from app.guardrails.style.vale.regexes import compile_vale
from app.guardrails.style.vale.shared import Finder, Hit, excepted, exceptions_pattern, format_message, word_template


def consistency(spec: dict[str, Any]) -> Finder:
    ignorecase, nonword = bool(spec.get("ignorecase")), bool(spec.get("nonword"))
    message = str(spec.get("message", ""))
    pairs = [compile_vale(word_template(f"(?P<a>{a})|(?P<b>{b})", nonword), ignorecase)
             for a, b in (spec.get("either") or {}).items()]

    def find(text: str, state: dict[str, Any]) -> list[Hit]:
        seen: list[set[str]] = state.setdefault("seen", [set() for _ in pairs])
        hits: list[Hit] = []
        for index, pattern in enumerate(pairs):
            last = None
            for m in pattern.finditer(text):
                seen[index].add("a" if m.group("a") is not None else "b")
                last = m
            if last is not None and seen[index] == {"a", "b"}:
                hits.append((last.start(), last.end(), format_message(message, last.group(0)), None))
        return hits
    return find


def conditional(spec: dict[str, Any]) -> Finder:
    ignorecase = bool(spec.get("ignorecase"))
    defining = compile_vale(str(spec.get("second", "")), ignorecase)
    used = compile_vale(str(spec.get("first", "")), ignorecase)
    message, skip = str(spec.get("message", "")), exceptions_pattern(spec)

    def find(text: str, state: dict[str, Any]) -> list[Hit]:
        defined: set[str] = state.setdefault("defined", set())
        for m in defining.finditer(text):
            defined.update(g for g in m.groups() if g)
        return [(m.start(), m.end(), format_message(message, m.group(0)), None) for m in used.finditer(text)
                if m.group(0) not in defined and not excepted(skip, m.group(0))]
    return find
