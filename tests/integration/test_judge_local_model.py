"""The judge on the real embedded model (Qwen2.5-Coder-1.5B through the local llama.cpp server): a JSON-schema
constrained label with a probability from token log-probabilities, cached in the database for the next process."""

from __future__ import annotations

import pytest

from app.db import upgrade
from app.guardrails.judge.contract import JudgeRequest
from app.settings import Settings
from app.wiring import build_engine, build_judge, build_llm

pytestmark = pytest.mark.integration

CLAIMS_QUESTION = ("You check one marketing sentence against the brand's approved claims. 'supported': an approved "
                   "claim says the same thing about the same product. 'unsupported': anything else.")


def test_local_judge_labels_a_verbatim_approved_claim_supported_with_a_probability_and_caches_it(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path / "var", judge_mode="on",  # type: ignore[call-arg]
                        llm_local_model="qwen2.5-coder-1.5b-instruct")
    engine = build_engine(settings)
    upgrade(engine)
    llm = build_llm(settings)
    request = JudgeRequest(check="claims", question=CLAIMS_QUESTION,
                           text="Kelpra powder supports your immune defences as part of a balanced diet.",
                           evidence="[K-1] Kelpra powder supports your immune defences as part of a balanced diet.",
                           labels=("unsupported", "supported"))
    try:
        verdict = build_judge(settings, lambda: llm, engine).decide(request)
    finally:
        llm.server.stop()  # type: ignore[attr-defined]
    assert verdict is not None, "the local judge answered"
    assert verdict.label == "supported" and verdict.source == "judge"
    assert verdict.confidence is not None and 0.5 < verdict.confidence <= 1.0

    def no_model() -> None:
        raise AssertionError("a cached verdict must not start a model")

    again = build_judge(settings, no_model, engine).decide(request)  # type: ignore[arg-type]
    assert again is not None and (again.label, again.source) == ("supported", "cache")
