"""Fixtures for the quality check's specifications: the demo brand, a context builder and a fake embedder."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.brand import BrandProfile, load_brand
from app.guardrails.base import CheckContext, CheckResult
from app.guardrails.quality import QualityCheck
from app.settings import PROJECT_ROOT


@pytest.fixture(scope="session")
def fernhill() -> BrandProfile:
    return load_brand(PROJECT_ROOT / "brand_kb", "fernhill")


@pytest.fixture
def quality(fernhill: BrandProfile) -> Callable[..., list[CheckResult]]:
    """``quality(text, **context)``: the check's results on ``text`` for the demo brand."""

    def run(text: str, check: QualityCheck | None = None, **context: Any) -> list[CheckResult]:
        return (check or QualityCheck()).run(text, CheckContext(brand=fernhill, **context))

    return run


class TopicEmbedder:
    """Embeds a text as the unit vector of the topics it mentions: texts sharing a topic are similar,
    texts with none in common have cosine 0. Counts its calls."""

    dimension = 3
    TOPICS = (("tea", "cup", "blend"), ("evening", "night", "calm"), ("car", "engine", "tyre"))

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        return [self._vector(t.lower()) for t in texts]

    def _vector(self, text: str) -> list[float]:
        raw = [float(sum(text.count(word) for word in topic)) for topic in self.TOPICS]
        norm = sum(x * x for x in raw) ** 0.5 or 1.0
        return [x / norm for x in raw]


@pytest.fixture
def topic_embedder() -> TopicEmbedder:
    return TopicEmbedder()


def rules(results: list[CheckResult]) -> set[str]:
    return {r.rule for r in results}
