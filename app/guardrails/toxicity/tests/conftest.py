"""Fixtures for the toxicity check's specifications: the real shipped model, the demo brand, a fake judge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.brand import BrandProfile, load_brand
from app.guardrails.base import CheckContext, CheckResult
from app.guardrails.judge.contract import JudgeRequest, JudgeVerdict
from app.guardrails.toxicity import ProfanityCheckBackend, ToxicityCheck
from app.settings import PROJECT_ROOT


class FakeJudge:
    """A judge at the seam: answers with what was ``enqueue``d (a label, or None for "no verdict"), in
    order, and keeps every request in ``history``."""

    def __init__(self) -> None:
        self.answers: list[str | None] = []
        self.history: list[JudgeRequest] = []

    def enqueue(self, *labels: str | None) -> FakeJudge:
        self.answers.extend(labels)
        return self

    def decide(self, request: JudgeRequest) -> JudgeVerdict | None:
        self.history.append(request)
        label = self.answers.pop(0) if self.answers else None
        return None if label is None else JudgeVerdict(label=label, confidence=0.9, reason="fake", source="judge")

    def why_not(self) -> str:
        return "judge budget of 0 calls spent"


@pytest.fixture(scope="session")
def fernhill() -> BrandProfile:
    return load_brand(PROJECT_ROOT / "brand_kb", "fernhill")


@pytest.fixture(scope="session")
def check() -> ToxicityCheck:
    return ToxicityCheck(ProfanityCheckBackend())


@pytest.fixture
def toxicity(check: ToxicityCheck, fernhill: BrandProfile) -> Callable[..., list[CheckResult]]:
    """``toxicity(text, **context)``: the check's findings on ``text`` for the demo brand."""

    def run(text: str, **context: Any) -> list[CheckResult]:
        return check.run(text, CheckContext(brand=fernhill, **context))

    return run


@pytest.fixture
def blocked(toxicity: Callable[..., list[CheckResult]]) -> Callable[[str], bool]:
    """``blocked(text)``: whether the check blocks ``text`` with the judge off."""
    return lambda text: any(r.blocks for r in toxicity(text))
