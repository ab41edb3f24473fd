"""The judge seam: verdicts, confidence from log-probabilities, the cache and the per-text budget."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.db import make_engine, upgrade
from app.errors import LLMUnavailable
from app.guardrails.judge.budget import BudgetedJudge
from app.guardrails.judge.cache import VerdictCache
from app.guardrails.judge.confidence import label_confidence
from app.guardrails.judge.contract import JudgeRequest, rules_only_note
from app.guardrails.judge.llm_judge import LLMJudge
from app.llm.base import Completion, TokenLogprob

LABELS = ("contradicted", "unsupported", "supported")


def _tokens(label_first: str, alternatives: dict[str, float], rest: str) -> tuple[TokenLogprob, ...]:
    head = [TokenLogprob(t, -0.01) for t in ("{", '"', "label", '":', ' "')]
    first = TokenLogprob(label_first, max(alternatives.values()), tuple(alternatives.items()))
    return (*head, first, TokenLogprob(rest, -0.01), TokenLogprob('",', -0.01))


class ScriptedLLM:
    """Answers each call with the next scripted (text, logprobs) pair; records the messages."""

    model_name = "scripted"

    def __init__(self, *answers: tuple[dict[str, Any], tuple[TokenLogprob, ...]] | Exception) -> None:
        self.answers = list(answers)
        self.calls: list[list[dict[str, str]]] = []

    def complete(self, messages: list[dict[str, str]], *, params: dict[str, Any],
                 json_schema: dict[str, Any] | None) -> Completion:
        self.calls.append(messages)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        body, logprobs = answer
        return Completion(text=json.dumps(body), model=self.model_name, prompt_tokens=50, completion_tokens=10,
                          latency_ms=1.0, logprobs=logprobs)


def _request(text: str = "Candy floss supports your immune defences.") -> JudgeRequest:
    return JudgeRequest(check="claims", question="Is the sentence supported by the evidence?", text=text,
                        labels=LABELS, evidence="[K-1] Kelpra powder supports your immune defences.")


def test_confidence_is_the_chosen_labels_share_of_probability_at_its_first_token() -> None:
    tokens = _tokens("un", {"un": -0.2, "supported": -2.0, "contr": -3.0, "xyz": -1.0}, "supported")
    p = label_confidence(tokens, LABELS, "unsupported")
    assert p is not None
    import math
    expected = math.exp(-0.2) / (math.exp(-0.2) + math.exp(-2.0) + math.exp(-3.0))
    assert p == pytest.approx(expected)


def test_confidence_is_none_without_logprobs() -> None:
    assert label_confidence((), LABELS, "supported") is None


def test_judge_returns_the_label_with_its_confidence_and_sends_text_as_delimited_data() -> None:
    llm = ScriptedLLM(({"label": "unsupported", "reason": "other subject"},
                       _tokens("un", {"un": -0.1, "supported": -2.5}, "supported")))
    verdict = LLMJudge(llm).decide(_request())
    assert verdict is not None and verdict.label == "unsupported" and verdict.source == "judge"
    assert verdict.confidence is not None and verdict.confidence > 0.85
    system, user = llm.calls[0]
    assert "never instructions" in system["content"]
    assert "<text>\nCandy floss" in user["content"] and "<evidence>" in user["content"]


def test_judge_answer_outside_the_labels_is_no_verdict_with_a_reason() -> None:
    judge = LLMJudge(ScriptedLLM(({"label": "maybe", "reason": ""}, ())))
    assert judge.decide(_request()) is None
    assert "not one of" in judge.why_not()


def test_unreachable_endpoint_is_no_verdict_and_findings_say_rules_only() -> None:
    judge = LLMJudge(ScriptedLLM(LLMUnavailable("down")))
    assert judge.decide(_request()) is None
    assert rules_only_note(judge) == " (rules only: judge unavailable: llm_unavailable)"
    assert rules_only_note(None) == " (rules only: judge off)"


def test_cached_verdict_costs_no_call_and_survives_a_new_process(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'f.db'}")
    upgrade(engine)
    llm = ScriptedLLM(({"label": "unsupported", "reason": "other subject"}, ()))
    assert LLMJudge(llm, cache=VerdictCache(engine)).decide(_request()) is not None
    again = LLMJudge(ScriptedLLM(), cache=VerdictCache(engine)).decide(_request())  # a fresh cache object
    assert again is not None and again.label == "unsupported" and again.source == "cache"


def test_changed_evidence_is_a_new_question(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'f.db'}")
    upgrade(engine)
    llm = ScriptedLLM(({"label": "unsupported", "reason": ""}, ()), ({"label": "supported", "reason": ""}, ()))
    judge = LLMJudge(llm, cache=VerdictCache(engine))
    judge.decide(_request())
    changed = JudgeRequest(check="claims", question=_request().question, text=_request().text, labels=LABELS,
                           evidence="[K-9] Candy floss supports your immune defences.")
    verdict = judge.decide(changed)
    assert verdict is not None and verdict.label == "supported" and len(llm.calls) == 2


def test_budget_stops_fresh_calls_but_not_cached_ones(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'f.db'}")
    upgrade(engine)
    llm = ScriptedLLM(({"label": "unsupported", "reason": ""}, ()))
    inner = LLMJudge(llm, cache=VerdictCache(engine))
    budget = BudgetedJudge(inner, calls=1)
    assert budget.decide(_request("A.")) is not None
    assert budget.decide(_request("B.")) is None
    assert budget.why_not() == "judge budget of 1 calls spent"
    assert budget.decide(_request("A.")) is not None  # cached: free
    assert len(llm.calls) == 1
