"""Toxicity guardrail: rules and an English model propose, a judge decides what the rules are unsure of.

``from app.guardrails.toxicity import ToxicityCheck, ProfanityCheckBackend, DetoxifyBackend, DEFAULT_THRESHOLD``

Modules, by what they hold:

- :mod:`.check`: :class:`ToxicityCheck` (findings, judge calls, the rules-only note).
- :mod:`.scoring`: per-sentence scores; language routing (:mod:`app.guardrails.language`); :func:`text_scores`
  for data sets.
- Rules: :mod:`.generalisations` (demeaning generalisations about a group), :mod:`.groups` (group references),
  :mod:`.insults` (direct abuse; negated and mentioned insults), :mod:`.masking` (idioms, hostility aimed at
  things, identity terms), :mod:`.german` (German abuse), :mod:`.patterns` (word lists, negation scope).
- :mod:`.learned`: a learned grade (logistic regression on MiniLM embeddings, ``implicit_hate_scorer.json``,
  trained by ``evals/toxicity/train_scorer.py``) for sentences that name a group; it ranks, never blocks.
- :mod:`.backends`: the English models (alt-profanity-check, Detoxify).
- ``judge_prompt.md``: the judge's question.

Threshold: :data:`DEFAULT_THRESHOLD` 0.6, kept from the model-only check (its sweep: the highest-scoring
18F paragraph scored 0.49). With the rules, a sweep from 0.4 to 0.8 changes davidson precision/recall from
0.95/0.94 to 0.98/0.85 and leaves the implicit-hate held-out set at 0.46 recall from 0.5 to 0.6, so 0.6
stays. Measured figures (judge off, per stage) are in ``evals/toxicity/README.md``, printed by
``evals/toxicity/measure.py``; ``factory eval guardrails`` writes the same rows into GUARDRAILS.md.
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
