"""The guardrails on real third-party data (../shared/datasets, see its SOURCES.md).

Only loose sanity is asserted here: the measured figures are reported in the guardrail modules'
docstrings and by ``app.evaluation.guardrail_metrics``, not pinned by tests.
"""

from __future__ import annotations

import pytest

from app.brand import load_brand
from app.evaluation.guardrail_metrics import (
    DEFAULT_DATASETS,
    clean_copy_paragraphs,
    false_alarm_rate,
    injection_metrics,
    toxicity_metrics,
)
from app.guardrails.base import Check, CheckContext
from app.guardrails.injection import InjectionCheck
from app.guardrails.toxicity import DEFAULT_THRESHOLD, ProfanityCheckBackend, ToxicityCheck
from app.settings import PROJECT_ROOT

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not DEFAULT_DATASETS.is_dir(),
                       reason=f"shared datasets not found at {DEFAULT_DATASETS} (CI has shared/ beside "
                              "the checkout)"),
]


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    return CheckContext(brand=load_brand(PROJECT_ROOT / "brand_kb", "fernhill"))


def test_toxicity_scores_separate_toxic_from_clean_text() -> None:
    metrics = toxicity_metrics(ProfanityCheckBackend(), DEFAULT_THRESHOLD)

    assert set(metrics) == {"davidson_sample_300", "jigsaw_max_test_examples"}
    for figures in metrics.values():
        assert figures["auc"] > 0.7
        assert figures["recall"] > 0.5


def test_injection_rules_catch_most_attacks_and_few_benign_prompts() -> None:
    metrics = injection_metrics()

    assert metrics["llm_guard_injections"]["recall"] > 0.5
    assert metrics["llm_guard_jailbreaks"]["recall"] > 0.5
    assert metrics["notinject_benign"]["false_alarm_rate"] < 0.2
    assert metrics["llm_guard_benign"]["n"] == 11


def test_clean_marketing_copy_rarely_alarms(ctx: CheckContext) -> None:
    checks: list[Check] = [ToxicityCheck(ProfanityCheckBackend()), InjectionCheck()]
    for name, paragraphs in clean_copy_paragraphs().items():
        assert len(paragraphs) > 20, name
        for check in checks:
            assert false_alarm_rate(check, paragraphs, ctx) < 0.1, (name, check.name)
