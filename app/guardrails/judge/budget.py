"""A per-draft budget on judge calls: cached answers are free, fresh ones count."""

from __future__ import annotations

from app.guardrails.judge.contract import Judge, JudgeRequest, JudgeVerdict


class BudgetedJudge:
    """Wraps a judge for one text (a draft, a document): at most ``calls`` fresh verdicts, then None
    with the reason "judge budget of N calls spent". Cached verdicts pass through without counting."""

    def __init__(self, inner: Judge, calls: int) -> None:
        self.inner = inner
        self.calls = calls
        self.used = 0
        self._why = ""

    def decide(self, request: JudgeRequest) -> JudgeVerdict | None:
        cached = getattr(self.inner, "cached", None)
        if callable(cached):
            hit = cached(request)
            if hit is not None:
                return hit  # type: ignore[no-any-return]
        if self.used >= self.calls:
            self._why = f"judge budget of {self.calls} calls spent"
            return None
        self.used += 1
        verdict = self.inner.decide(request)
        self._why = "" if verdict is not None else self.inner.why_not()
        return verdict

    def why_not(self) -> str:
        return self._why
