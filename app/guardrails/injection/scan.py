"""The injection scan: rules propose, an optional judge decides, hidden characters always block.

Contract
--------
``scan_injection(text, judge=None, *, source="document", screen_all=False)`` returns an
:class:`InjectionVerdict`: ``score`` in 0..1 from the rules, ``is_injection``, ``findings``
``(start, end, rule, reason)`` with spans in the ORIGINAL text (one per rule match, whether or not the text
crossed the threshold), ``decided_by`` (``"rules"``, ``"judge"``, ``"cache"`` or ``"hidden characters"``)
and ``note`` (the judge's verdict, or ``" (rules only: <why>)"``). It never raises on a str.

Stages
------
1. View (:mod:`.unicode_view`): the shared normaliser's matching text; its findings (invisible tag,
   zero-width or bidi characters; look-alike letters) are blocking findings of their own, never judged away.
2. Rules (:data:`RULES`, one module per family): each match adds its rule's weight; the rules that fired
   combine as a noisy-OR, ``score = 1 - prod(1 - weight)``. ``INJECTION_THRESHOLD = 0.5``: one strong
   rule, or a who cue and a what cue of :mod:`.addressed`, or two or three weak ones.
   ``source="brief"`` skips the rules marked ``documents_only`` (task and format instructions are what a
   brief is for).
3. Judge (:mod:`.judging`), when ``judge`` is given: asked about every text whose score is at least
   :data:`JUDGE_FLOOR` (0.25: any single who/what cue) and below :data:`RULES_CERTAIN` (0.9: explicit
   override wording, chat-template tokens, which a judge reading the attacker's text must not clear), or
   about every text when ``screen_all`` (KB ingestion). Its label decides, with one asymmetry: it clears a
   text the rules flagged only when at least :data:`JUDGE_CLEAR_CONFIDENCE` (0.95) sure, because a planted
   instruction let through costs more than a chunk held for review, and the embedded Qwen2.5-Coder-1.5B
   judge called 7 of 8 planted instructions "benign" with p 0.83-0.92 (6 benign texts: p 0.90-0.96;
   ``evals/injection/judge_probe.json``). An endpoint that returns no probabilities never clears. None (off,
   budget, endpoint down) keeps the rules decision and the note says why.

Thresholds: 0.5 is unchanged from the first rule set (measured in ``app/guardrails/injection/__init__.py``);
0.25 and 0.9 are design choices, the weakest cue of the addressed family and the weight of the explicit
override rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from app.guardrails.injection.addressed import ADDRESSED_RULES
from app.guardrails.injection.delimiters import DELIMITER_RULES
from app.guardrails.injection.evasion import EVASION_RULES
from app.guardrails.injection.exfiltration import EXFILTRATION_RULES
from app.guardrails.injection.folding import normalise
from app.guardrails.injection.judging import INSTRUCTION, ask
from app.guardrails.injection.model_addressed import MODEL_ADDRESSED_RULES
from app.guardrails.injection.override import OVERRIDE_RULES
from app.guardrails.injection.persona import DAN_RULE, ROLE_RULES
from app.guardrails.injection.rule import Rule
from app.guardrails.injection.unicode_view import Finding, MatchView, match_view
from app.guardrails.injection.writer_directed import HIDDEN_MARKUP_RULES, WHEN_ASKED_RULES, WRITER_DIRECTED_RULES
from app.guardrails.judge.contract import Judge, rules_only_note

INJECTION_THRESHOLD = 0.5
JUDGE_FLOOR = 0.25
RULES_CERTAIN = 0.9
JUDGE_CLEAR_CONFIDENCE = 0.95

RULES: tuple[Rule, ...] = (*OVERRIDE_RULES, *ROLE_RULES, *EXFILTRATION_RULES, *DELIMITER_RULES,
                           *EVASION_RULES, *ADDRESSED_RULES, *WRITER_DIRECTED_RULES,
                           *WHEN_ASKED_RULES, *HIDDEN_MARKUP_RULES, *MODEL_ADDRESSED_RULES, DAN_RULE)
BRIEF_RULES: tuple[Rule, ...] = tuple(r for r in RULES if not r.documents_only)

Source = Literal["document", "brief"]


@dataclass
class InjectionVerdict:
    is_injection: bool
    score: float
    findings: list[Finding] = field(default_factory=list)
    decided_by: str = "rules"
    note: str = ""


def scan_injection(text: str, judge: Judge | None = None, *, source: Source = "document",
                   screen_all: bool = False) -> InjectionVerdict:
    """Score ``text`` for prompt injection; findings carry spans in ``text``."""
    view = match_view(text)
    findings, score = rule_findings(view, BRIEF_RULES if source == "brief" else RULES)
    if view.findings:
        return InjectionVerdict(True, 1.0, [*view.findings, *findings], decided_by="hidden characters")
    verdict = InjectionVerdict(score >= INJECTION_THRESHOLD, score, findings)
    wanted = screen_all or score >= JUDGE_FLOOR
    if score >= RULES_CERTAIN or not wanted:
        return verdict
    if judge is None:
        verdict.note = rules_only_note(judge)
        return verdict
    return _judged(verdict, text, judge)


def _judged(verdict: InjectionVerdict, text: str, judge: Judge) -> InjectionVerdict:
    answer = ask(text, judge)
    if answer is None:
        verdict.note = rules_only_note(judge)
        return verdict
    if verdict.is_injection and answer.label != INSTRUCTION and (answer.confidence or 0.0) < JUDGE_CLEAR_CONFIDENCE:
        verdict.note = f" ({answer.describe()}, not sure enough to clear the rules: < {JUDGE_CLEAR_CONFIDENCE})"
        return verdict
    verdict.is_injection = answer.label == INSTRUCTION
    verdict.decided_by = answer.source
    verdict.note = answer.describe() + (f": {answer.reason}" if answer.reason else "")
    if verdict.is_injection and not verdict.findings:
        verdict.findings.append((0, len(text), "judge", "the judge read an instruction to the model"))
    return verdict


def rule_findings(view: MatchView, rules: Iterable[Rule]) -> tuple[list[Finding], float]:
    """Every rule match as a finding in the original text, and the noisy-OR score of the rules that fired."""
    norm, index = normalise(view.text)
    findings: list[Finding] = []
    fired: dict[str, float] = {}
    for rule in rules:
        for start, end in _matches(rule, view.text, norm, index):
            findings.append((*view.to_original(start, end), rule.name, rule.reason))
            fired[rule.name] = rule.weight
    return findings, _noisy_or(fired.values())


def _matches(rule: Rule, text: str, norm: str, index: list[int]) -> list[tuple[int, int]]:
    if not any(needle in norm for needle in rule.needles):
        return []
    if rule.on_original:
        return [(m.start(), m.end()) for m in rule.pattern.finditer(text)]
    spans = []
    for m in rule.pattern.finditer(norm):
        start, end = m.start(), m.end()
        if rule.word_start and start > 0 and _is_word(norm[start - 1]):
            continue  # the leading \b the pattern was compiled without
        while start < end and norm[start].isspace():
            start += 1  # patterns anchored at a line start include the newline
        if start < end:
            spans.append((index[start], index[end - 1] + 1))
    return spans


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _noisy_or(weights: Iterable[float]) -> float:
    miss = 1.0
    for weight in weights:
        miss *= 1.0 - weight
    return round(1.0 - miss, 4)
