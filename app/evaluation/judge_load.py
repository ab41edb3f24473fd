"""How many judge calls the checks would ask per draft: the judge stage's cost, counted without a model.

A :class:`CountingJudge` records every :class:`~app.guardrails.judge.contract.JudgeRequest` and answers
None, so each check keeps its rules-only result; the count per text is the number of fresh calls a draft
would cost with the judge on (before the cache and the per-text budget).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.guardrails.base import Check, CheckContext
from app.guardrails.judge.contract import JudgeRequest, JudgeVerdict


class CountingJudge:
    def __init__(self) -> None:
        self.requests: list[JudgeRequest] = []

    def decide(self, request: JudgeRequest) -> JudgeVerdict | None:
        self.requests.append(request)
        return None

    def why_not(self) -> str:
        return "counting only"


@dataclass
class JudgeCalls:
    """Judge requests each text raised (``per_text``, in text order), and their total by check."""

    per_text: list[int] = field(default_factory=list)
    by_check: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """``"0.42 / 2 / 5 (claims 30, injection 2)"``: mean / p95 / max per text, and by check."""
        ordered = sorted(self.per_text) or [0]
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        by_check = ", ".join(f"{k} {v}" for k, v in sorted(self.by_check.items())) or "none"
        return f"{sum(ordered) / len(ordered):.2f} / {p95} / {ordered[-1]} ({by_check})"


def judge_calls(checks: Sequence[Check], texts: Sequence[str], ctx: CheckContext) -> JudgeCalls:
    """Runs every check on every text with a :class:`CountingJudge` in the context."""
    calls = JudgeCalls()
    for text in texts:
        judge = CountingJudge()
        counted = CheckContext(brand=ctx.brand, channel=ctx.channel, product=ctx.product, key_message=ctx.key_message,
                               language=ctx.language, judge=judge)
        for check in checks:
            check.run(text, counted)
        calls.per_text.append(len(judge.requests))
        calls.by_check.update(r.check for r in judge.requests)
    return calls
