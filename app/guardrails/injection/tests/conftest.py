"""Fixtures for the injection check's specifications: the demo brand and a judge fake at the judge seam."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from app.brand import BrandProfile
from app.guardrails.base import CheckContext
from app.guardrails.judge.contract import JudgeRequest, JudgeVerdict
from app.settings import PROJECT_ROOT


@dataclass
class FakeJudge:
    """Answers from a queue (``enqueue(label)`` or ``enqueue(None)`` for no answer) and keeps ``history``."""

    answers: list[JudgeVerdict | None] = field(default_factory=list)
    history: list[JudgeRequest] = field(default_factory=list)
    refusal: str = "judge budget of 4 calls spent"

    def enqueue(self, label: str | None, confidence: float | None = 0.93, reason: str = "") -> FakeJudge:
        verdict = None if label is None else JudgeVerdict(label, confidence, reason, "judge", "fake")
        self.answers.append(verdict)
        return self

    def decide(self, request: JudgeRequest) -> JudgeVerdict | None:
        self.history.append(request)
        return self.answers.pop(0) if self.answers else None

    def why_not(self) -> str:
        return self.refusal


@pytest.fixture
def fernhill() -> BrandProfile:
    return BrandProfile(slug="fernhill", name="Fernhill", folder=PROJECT_ROOT / "brand_kb" / "fernhill")


@pytest.fixture
def ctx(fernhill: BrandProfile) -> CheckContext:
    return CheckContext(brand=fernhill)


@pytest.fixture
def judge() -> FakeJudge:
    return FakeJudge()
