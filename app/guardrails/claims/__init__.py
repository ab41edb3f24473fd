"""The claims check: claims in copy must be backed by the brand's approved claims and facts, in scope.

:mod:`app.guardrails.claims.check` documents the contract. The rules live in one module per family
(``health_rules``, ``environmental_rules``, ``offer_rules``, ``comparison_rules``, ``numbers``, and
``context_rules`` for the false alarms fixed by kind; ``german_rules`` holds the same kinds in German wording,
run on German text); ``scope`` compares subject, part, territory,
conditions and strength; ``support`` and ``contradictions`` give the verdicts; ``judge_stage`` and
``judge_prompt.md`` are the second stage; the tests beside them (``tests/``) read as the specification.
"""

from app.guardrails.claims.candidates import extract_claims
from app.guardrails.claims.check import ClaimsCheck
from app.guardrails.claims.claim import Claim

__all__ = ["Claim", "ClaimsCheck", "extract_claims"]
