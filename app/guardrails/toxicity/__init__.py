"""Toxicity guardrail: rules and an English model propose, a judge decides what the rules are unsure of.

``from app.guardrails.toxicity import ToxicityCheck, ProfanityCheckBackend, DetoxifyBackend, DEFAULT_THRESHOLD``

Modules, by what they hold:

- :mod:`.check`: :class:`ToxicityCheck` (findings, judge calls, the rules-only note).
- :mod:`.scoring`: per-sentence scores; language routing (:mod:`.language`); :func:`text_scores` for data sets.
- Rules: :mod:`.generalisations` (demeaning generalisations about a group), :mod:`.groups` (group references),
  :mod:`.insults` (direct abuse; negated and mentioned insults), :mod:`.masking` (idioms, hostility aimed at
  things, identity terms), :mod:`.german` (German abuse), :mod:`.patterns` (word lists, negation scope).
- :mod:`.backends`: the English models (alt-profanity-check, Detoxify).
- ``judge_prompt.md``: the judge's question.

Measured figures and the threshold are in GUARDRAILS.md (toxicity section) and
``evals/toxicity/README.md``, produced by ``python -m app.evaluation.toxicity_report``.
"""

from app.guardrails.toxicity.backends import (
    DETOXIFY_TOXICITY_LABELS,
    DetoxifyBackend,
    ProfanityCheckBackend,
    ToxicityBackend,
    localise_detoxify_checkpoint,
)
from app.guardrails.toxicity.check import DEFAULT_THRESHOLD, JUDGE_LABELS, JUDGE_PROMPT, ToxicityCheck
from app.guardrails.toxicity.scoring import text_scores

__all__ = [
    "DEFAULT_THRESHOLD", "DETOXIFY_TOXICITY_LABELS", "JUDGE_LABELS", "JUDGE_PROMPT", "DetoxifyBackend",
    "ProfanityCheckBackend", "ToxicityBackend", "ToxicityCheck", "localise_detoxify_checkpoint", "text_scores",
]
