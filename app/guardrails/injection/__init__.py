"""Prompt-injection guardrail: rules by kind propose, an optional judge decides.

Where it runs: on briefs when submitted (:func:`app.guardrails.screening.screen_brief`, brief rules only),
on KB chunks at ingestion (quarantined, judged one by one when a judge is given) and again when retrieved,
and on drafts (:class:`InjectionCheck`: an injection that survived into output).

Modules: :mod:`.scan` (contract, stages, thresholds), one module per rule family (:mod:`.override`,
:mod:`.persona`, :mod:`.exfiltration`, :mod:`.delimiters`, :mod:`.evasion`, :mod:`.addressed`: instructions
aimed at whoever writes the reply), :mod:`.folding` and :mod:`.unicode_view` (what the rules match),
:mod:`.judging` with ``judge_prompt.md`` (the judge stage), :mod:`.check`.
"""

from app.guardrails.injection.check import InjectionCheck
from app.guardrails.injection.folding import normalise
from app.guardrails.injection.scan import (
    INJECTION_THRESHOLD,
    JUDGE_FLOOR,
    RULES,
    RULES_CERTAIN,
    InjectionVerdict,
    scan_injection,
)

__all__ = ["INJECTION_THRESHOLD", "JUDGE_FLOOR", "RULES", "RULES_CERTAIN", "InjectionCheck", "InjectionVerdict",
           "normalise", "scan_injection"]
