"""Find the claims in a marketing text, with their spans: what a regulator or a reviewer would ask proof for.

``extract_claims(text, competitors=())`` returns :class:`Claim` values in text order. A claim is a span
of ``text`` (``text[claim.start:claim.end] == claim.text``) with a ``kind``, one rule family per module:

- ``price``, ``rating``, ``number`` (:mod:`~app.guardrails.claims.numbers`), with ``value``, ``upper`` and
  ``unit``;
- ``health``, ``clinical``, ``endorsement`` (:mod:`~app.guardrails.claims.health_rules`);
- ``environmental``, ``environmental_generic`` (:mod:`~app.guardrails.claims.environmental_rules`);
- ``financial``, ``savings``, ``guarantee`` (:mod:`~app.guardrails.claims.offer_rules`);
- ``superlative``, ``comparative``, ``ranking``, ``award``, ``competitor``
  (:mod:`~app.guardrails.claims.comparison_rules`; ``competitor`` also matches the given names with their
  plural, hyphen, spacing and "and"/"&" variants).

German text (the brief's language, else :func:`app.guardrails.language.is_german`) is also read by
:mod:`~app.guardrails.claims.german_rules`, the same kinds in German wording.

Candidates whose context says they are no claim are dropped (:mod:`~app.guardrails.claims.context_rules`:
verbs, negation). The same words may give two claims of different kinds ("cheapest": superlative and
financial); each kind is judged on its own. Matching is by precompiled regular expressions on the
lower-cased text, one pass per pattern: linear in the text, and it finds wording, not meaning; the judge
stage (:mod:`~app.guardrails.claims.judge_stage`) decides meaning where the rules are not certain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from app.guardrails.claims import comparison_rules, context_rules, environmental_rules, health_rules, offer_rules
from app.guardrails.claims.claim import Claim
from app.guardrails.claims.german_rules import german_claims
from app.guardrails.claims.numbers import numeric_claims
from app.guardrails.claims.words import lowered
from app.guardrails.language import is_german

_NEGATABLE = frozenset({"health", "clinical", "endorsement", "environmental", "environmental_generic", "guarantee",
                        "financial", "savings"})


def extract_claims(text: str, competitors: Sequence[str] = (), language: str | None = None) -> list[Claim]:
    """Every claim in ``text``, in order of start offset (then kind); ``language`` is the brief's (BCP 47),
    None to detect it."""
    lower = lowered(text)
    german = is_german(text, language)
    claims = [*numeric_claims(text, lower, german)]
    found = [(kind, m) for kind, pattern in _wording_patterns().items() for m in pattern.finditer(lower)]
    if german:
        found += german_claims(text, lower)
    for kind, m in found:
        claim = Claim(kind=kind, start=m.start(), end=m.end(), text=text[m.start():m.end()])
        if context_rules.is_verb_use(lower, claim.start, claim.end):
            continue
        if kind in _NEGATABLE and context_rules.is_negated(lower, claim.start, claim.end):
            continue
        claims.append(claim)
    claims = list({(c.kind, c.start, c.end): c for c in claims}.values())  # German and English may agree
    names = _competitor_names(tuple(competitors))
    rival = comparison_rules.competitor_pattern(names) if names else None
    if rival is not None:
        claims += _matches(text, "competitor", rival.finditer(lower))
    return sorted(claims, key=lambda c: (c.start, c.kind, c.end))


@lru_cache(maxsize=1)
def _wording_patterns() -> dict[str, re.Pattern[str]]:
    return {**comparison_rules.PATTERNS, **offer_rules.PATTERNS, **health_rules.PATTERNS,
            **environmental_rules.PATTERNS}


def _competitor_names(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n.strip() for n in names if n.strip()))


def _matches(text: str, kind: str, found: Iterable[re.Match[str]]) -> list[Claim]:
    return [Claim(kind=kind, start=m.start(), end=m.end(), text=text[m.start():m.end()]) for m in found]
