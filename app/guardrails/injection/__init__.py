"""Prompt-injection guardrail: rules by kind propose, an optional judge decides, hidden characters block.

Where it runs: on briefs when submitted (:func:`app.guardrails.screening.screen_brief`, brief rules only),
on KB chunks at ingestion (quarantined; with a judge every chunk is judged) and again when retrieved
(rules only, hot path), and on drafts (:class:`InjectionCheck`: an injection that survived into output).

Modules: :mod:`.scan` (contract, stages, thresholds), one module per rule family (:mod:`.override`,
:mod:`.persona`, :mod:`.exfiltration`, :mod:`.delimiters`, :mod:`.evasion`, :mod:`.addressed`: instructions
aimed at whoever writes the reply, by who they address and what they ask; :mod:`.writer_directed` and
:mod:`.model_addressed`: the same found by clause shape, from the parts in :mod:`.clause_parts`: the text written
from the document, its processor, a third person to be told something, the model's vocative, principal and
priorities), :mod:`.folding` and
:mod:`.unicode_view` (what the rules match, through :mod:`app.guardrails.normalise`), :mod:`.judging` with
``judge_prompt.md`` (the judge stage), :mod:`.check`.

Thresholds (see :mod:`.scan`): ``INJECTION_THRESHOLD = 0.5`` on the noisy-OR of rule weights (unchanged since
the first rule set, where 0.45 / 0.6 moved recall on llm-guard injections 44 / 36 of 49 at no change in false
alarms); ``JUDGE_FLOOR = 0.25`` (the weakest who/what cue: a judge is asked about 4 % of real 18F paragraphs);
``RULES_CERTAIN = 0.9`` (the explicit override rules' weight); ``JUDGE_CLEAR_CONFIDENCE = 0.95`` (a judge clears
a rules flag only when that sure; see :mod:`.scan` for the probe behind it).

Measured 2026-11-29, rules only, ``app.evaluation.guardrail_metrics.injection_*`` (load average 6-10 on 2 cores)
----------------------------------------------------------------------------------------------------------------
======================================================  ===============  ==================
set                                                     flagged          judge candidates
======================================================  ===============  ==================
llm-guard injections, recall                            44/49 = 0.90     46/49
llm-guard jailbreak templates, recall                   100/104 = 0.96   102/104
NotInject benign with trigger words, false alarms       0/339            43/339
llm-guard benign prompts, false alarms                  0/11             0/11
planted dev sets (evals/injection), recall              111/114          114/114
planted dev sets, benign, false alarms                  1/114            --
planted held-out (written after rules froze), recall    16/30 = 0.53     19/30
planted held-out, benign, false alarms                  0/30             1/30
18F paragraphs / rendered prose units, false alarms     0/421 / 0/530    20/421 / 23/530
German marketing strings (thunderbird.net), FA          0/656            1/656
======================================================  ===============  ==================

Scan time: p50 7.0 ms, p95 15 ms per 150-word text at load 6.4 (rules about 3.6 ms, the shared normaliser
most of the rest; the first rule set took 0.35 ms for 300 characters on an idle machine); linear in length
(1,500 words 147 ms, 15,000 words 1,583 ms at load 13).

Round 5 (2026-11-30, branch h/inject): the clause-shape rules of :mod:`.writer_directed` and
:mod:`.model_addressed`, measured with ``python -m app.evaluation.guardrail_report --area injection``
(rules only; load 2-4 on 2 cores):

======================================================  ===============  ==================
set                                                     first measured   now
======================================================  ===============  ==================
planted round 5, written first (recall / FA)            6/48 / 2/48      48/48 / 0/48 (dev now)
planted round 6, written after round 5's rules          5/24 / 0/24      24/24 / 0/24 (dev now)
planted round 7, written after round 6's rules          7/24 / 0/24      21/24 / 0/24 (dev now)
planted round 8 (email agents), after round 7's rules   4/12 / 0/12      12/12 / 0/12 (dev now)
planted held-out (not looked at; recall)                16/30 = 0.53     23/30 = 0.77
planted held-out, benign, false alarms                  0/30             0/30
llm-guard injections / jailbreaks, recall               44/49 / 100/104  44/49 / 100/104
NotInject / llm-guard benign, false alarms              0/339 / 0/11     0/339 / 0/11
18F paragraphs / prose units, false alarms              0/421 / 0/530    0/421 / 0/530
German marketing strings, false alarms                  0/656            0/656
Vale fixture prose lines (all 57), false alarms         1/57             0/57
demo KB paragraphs (guides, policy, voice), FA          2/191            1/191
======================================================  ===============  ==================

The held-out set's texts were not read while writing these rules (three of its lines were seen once, by
accident, before any rule was written); its total was read five times, between rule rounds. Each new round was
caught at 6/48, 5/24, 7/24 and 4/12 before the rules for it existed (four rounds, one writer), so expect about a
quarter to a third on wording of kinds nobody has written rules for, and read 0.77 as an upper figure. The aim,
0.95, is not met. Scan CPU time per 150-word 18F text: p50 2.2 ms (1.2 ms before); 1,500 words 25 ms, 15,000
words 206 ms (15 and 125 before): still linear. A linear classifier beside the rules was measured and not kept
(``evals/injection/README.md``).

What this says: on wording the rules were written against they are near perfect and quiet on real copy; on
new wording of the same kinds (each held-out round measured before it was used) they catch about half
(11/24, 10/24, 16/30, 16/30 in four rounds). The aim (recall >= 0.95 at <= 2 % false alarms on planted
instructions) needs the judge: on drafts it is asked about the candidates (19/30 held-out), at KB ingestion
about every chunk. The embedded judge (Qwen2.5-Coder-1.5B through ``LLMJudge``, label only) is not that judge
yet: on 8 then held-out planted texts it said "instruction_to_model" once, on 6 benign texts never, 17-45 s a call at
load 10-12 (``evals/injection/judge_probe.json``, 14 calls). ``metatronnanoguard`` 0.1.0 (an MIT-licensed
16.8M-parameter classifier on PyPI) was measured as a first stage and not kept: see
``evals/injection/README.md``.
"""

from app.guardrails.injection.check import InjectionCheck
from app.guardrails.injection.folding import normalise
from app.guardrails.injection.scan import (
    INJECTION_THRESHOLD,
    JUDGE_CLEAR_CONFIDENCE,
    JUDGE_FLOOR,
    RULES,
    RULES_CERTAIN,
    InjectionVerdict,
    scan_injection,
)

__all__ = ["INJECTION_THRESHOLD", "JUDGE_CLEAR_CONFIDENCE", "JUDGE_FLOOR", "RULES", "RULES_CERTAIN", "InjectionCheck",
           "InjectionVerdict", "normalise", "scan_injection"]
