"""A worker loads its embedder and has the local model answer one token before its first task; with an
endpoint URL it leaves the endpoint alone."""

from __future__ import annotations

import logging

from app.errors import LLMUnavailable
from app.pipeline.deps import Deps
from tests.fakes import FakeLLM
from workers.tasks import _warm_up


def test_the_local_model_answers_one_token_before_the_first_task(deps: Deps, fake_llm: FakeLLM, caplog) -> None:
    fake_llm.enqueue("OK")
    with caplog.at_level(logging.INFO, logger="workers.tasks"):
        _warm_up(deps)
    assert [call["params"]["max_tokens"] for call in fake_llm.history] == [1]
    assert "worker ready for briefs" in caplog.text


def test_an_endpoint_given_by_url_is_not_called(deps: Deps, fake_llm: FakeLLM) -> None:
    deps.settings.llm_base_url = "http://127.0.0.1:9/v1"
    _warm_up(deps)
    assert fake_llm.history == []


def test_a_model_that_cannot_start_is_reported_not_raised(deps: Deps, fake_llm: FakeLLM, caplog) -> None:
    fake_llm.enqueue(LLMUnavailable("no model"))
    with caplog.at_level(logging.WARNING, logger="workers.tasks"):
        _warm_up(deps)
    assert "warm-up failed: no model" in caplog.text


