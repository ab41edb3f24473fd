"""The toxicity check as the guardrail engine builds it for a brand: the kinds of the issue, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.guardrails.base import CheckResult
from app.guardrails.engine import GuardrailEngine
from app.guardrails.quality.tests.conftest import TopicEmbedder
from app.guardrails.toxicity import ToxicityCheck
from app.settings import Settings


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> GuardrailEngine:
    folder: Path = tmp_path_factory.mktemp("var")
    settings = Settings(data_dir=folder, environment="test", _env_file=None)  # type: ignore[call-arg]
    return GuardrailEngine(settings, embedder=TopicEmbedder())


def toxicity_of(engine: GuardrailEngine, text: str) -> list[CheckResult]:
    return [r for r in engine.evaluate(text, brand="fernhill") if r.check == "toxicity" and not r.passed]


def test_the_engine_builds_the_check_on_its_own_embedder(engine: GuardrailEngine) -> None:
    [check] = [c for c in engine.for_brand("fernhill").checks if isinstance(c, ToxicityCheck)]

    assert check.scorer is not None and check.scorer.embedder is engine.embedder


@pytest.mark.parametrize("text", [
    "Cakes worth dying for, every Saturday.",                         # idiom with a violent word
    "We will never call you silly for taking three sugars.",          # negated insult
    "Meet the Muslim and Jewish families who bake for our shop.",     # identity terms
    "Never call a reader clueless in a newsletter.",                  # style advice
    "Die Dose ist leer, die Beutel sind im Schrank.",                 # German article "die"
])
def test_copy_of_the_kinds_that_used_to_be_blocked_passes(engine: GuardrailEngine, text: str) -> None:
    assert toxicity_of(engine, text) == []


@pytest.mark.parametrize("text", [
    "Folks like them should be kept away from our customers.",        # implicit hate, deictic group
    "Men from that country are not capable of running a team.",       # implicit hate, capability
    "Ihr seid doch alle blöde Trottel.",                              # German abuse
])
def test_abuse_of_the_kinds_that_used_to_pass_is_blocked(engine: GuardrailEngine, text: str) -> None:
    assert any(r.blocks for r in toxicity_of(engine, text))
