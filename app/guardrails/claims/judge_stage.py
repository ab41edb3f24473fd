"""The claims check's second stage: the judge decides the verdicts the rules are not certain of.

For each uncertain verdict (see :mod:`~app.guardrails.claims.support`) the check asks ``ctx.judge`` one
:class:`~app.guardrails.judge.JudgeRequest`: ``question`` is ``judge_prompt.md`` beside this module (subject,
scope, conditions, intensity and territory must all match), ``text`` the claim's sentence, ``evidence``
the retrieved approved claims, facts and pricing or policy statements (one line each, with their scope),
and ``labels`` ``("contradicted", "unsupported", "supported")``. One request per sentence; every claim of
that sentence takes its answer. No verdict (judge off, budget spent, endpoint down): the rules' verdict
stands and its note says ``(rules only: <why>)``. Certain verdicts never reach the judge.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from app.guardrails.base import CheckContext
from app.guardrails.claims.sources import BrandIndex, Source
from app.guardrails.claims.support import Verdict
from app.guardrails.claims.words import keywords
from app.guardrails.judge import JudgeRequest, JudgeVerdict, rules_only_note

LABELS = ("contradicted", "unsupported", "supported")
EVIDENCE_LINES = 4  # retrieved sources shown to the judge; the closest three and a pricing statement
_PROMPT = Path(__file__).with_name("judge_prompt.md")


@lru_cache(maxsize=1)
def judge_prompt() -> str:
    """The judge's instructions for claims (``judge_prompt.md``)."""
    return _PROMPT.read_text(encoding="utf-8")


def decide_uncertain(verdicts: list[Verdict], text: str, ctx: CheckContext, index: BrandIndex) -> list[Verdict]:
    """``verdicts`` with each uncertain one decided by ``ctx.judge``, or marked rules-only."""
    answers: dict[tuple[int, int], JudgeVerdict | None] = {}
    out = []
    for verdict in verdicts:
        if verdict.certain or verdict.status == "supported":
            out.append(verdict)
            continue
        if verdict.sentence not in answers:
            answers[verdict.sentence] = _ask(verdict, text, ctx, index)
        answer = answers[verdict.sentence]
        if answer is None or answer.label not in LABELS:
            out.append(replace(verdict, note=(verdict.note + rules_only_note(ctx.judge)).strip()))
            continue
        note = f"{answer.describe()}: {answer.reason}".strip().rstrip(":")
        out.append(replace(verdict, status=answer.label, note=note, certain=True))  # type: ignore[arg-type]
    return out


def request_for(verdict: Verdict, text: str, index: BrandIndex) -> JudgeRequest:
    """The question about ``verdict``'s sentence, with its evidence."""
    start, end = verdict.sentence
    return JudgeRequest(check="claims", question=judge_prompt(), text=text[start:end],
                        evidence=_evidence(verdict, text[start:end], index), labels=LABELS)


def _ask(verdict: Verdict, text: str, ctx: CheckContext, index: BrandIndex) -> JudgeVerdict | None:
    if ctx.judge is None:
        return None
    return ctx.judge.decide(request_for(verdict, text, index))


def _evidence(verdict: Verdict, sentence: str, index: BrandIndex) -> str:
    sources: list[Source] = [s for s in (verdict.source, *verdict.retrieved) if s is not None]
    sources += index.ranked(keywords(sentence), frozenset({"policy"}))[:1]
    lines = list(dict.fromkeys(s.describe() for s in sources))
    return "\n".join(lines[:EVIDENCE_LINES])
