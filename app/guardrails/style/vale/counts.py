"""Vale's counting rules: ``occurrence`` (how many times per block) and ``repetition`` (twice in a row).

- ``occurrence`` (``internal/check/occurrence.go``): ``token`` counted in each block of the rule's
  ``scope``; more than ``max`` (when ``max > 0``) or fewer than ``min`` (when ``min > 0``) is one alert,
  at the first non-blank match, or over the block when there is none. ``%s`` is the match.
- ``repetition`` (``repetition.go``): consecutive matches of ``tokens`` that are equal (``ignorecase``
  compares case-folded; ``alpha`` only counts letters-only tokens); more than ``max`` in a row is an alert
  from the previous match to this one, unless the pair spans a line break or an exception finds it.
"""

from __future__ import annotations

from typing import Any

from app.guardrails.style.vale.regexes import compile_vale
from app.guardrails.style.vale.shared import Finder, Hit, action_fix, excepted, exceptions_pattern, format_message


def occurrence(spec: dict[str, Any]) -> Finder:
    token = compile_vale(str(spec.get("token", "")), bool(spec.get("ignorecase")))
    most, least = int(spec.get("max") or 0), int(spec.get("min") or 0)
    message = str(spec.get("message", ""))

    def find(text: str, _state: dict[str, Any]) -> list[Hit]:
        found = [m for m in token.finditer(text)]
        if not ((most > 0 and len(found) > most) or (least > 0 and len(found) < least)):
            return []
        first = next((m for m in found if m.group(0).strip()), None)
        if first is None:
            return [] if found else [(0, len(text), format_message(message, text), None)]
        return [(first.start(), first.end(), format_message(message, first.group(0)), None)]
    return find


def repetition(spec: dict[str, Any]) -> Finder:
    ignorecase = bool(spec.get("ignorecase"))
    pattern = compile_vale("(?:" + "|".join(str(t) for t in spec.get("tokens") or []) + ")", ignorecase)
    alpha, most = bool(spec.get("alpha")), int(spec.get("max") or 0)
    message, fix, skip = str(spec.get("message", "")), action_fix(spec), exceptions_pattern(spec)

    def find(text: str, _state: dict[str, Any]) -> list[Hit]:
        hits: list[Hit] = []
        previous, previous_start, count = "", 0, 0
        for m in pattern.finditer(text):
            current = m.group(0).strip()
            same = current.casefold() == previous.casefold() if ignorecase else current == previous
            hit = bool(current) and same and (not alpha or current.isalpha())
            count += hit
            if hit and count > most:
                pair = text[previous_start:m.end()]
                if "\n" not in pair and not excepted(skip, pair):
                    hits.append((previous_start, m.end(), format_message(message, current), fix))
                    count = 0
            previous, previous_start = current, m.start()
        return hits
    return find
