"""The judge stage: only sentences the rules are unsure of go to ``ctx.judge``; its label decides them, and
without a verdict the rules decide and say so."""

from __future__ import annotations

from collections.abc import Callable

from app.guardrails.base import CheckResult
from app.guardrails.toxicity import JUDGE_LABELS, JUDGE_PROMPT
from app.guardrails.toxicity.tests.conftest import FakeJudge

REPORTED_PREJUDICE = "Some people still say that immigrants are lazy."
NEGATED_INSULT = "We will never call you stupid for asking."
SURE_GENERALISATION = "Those people should not be allowed near our shop."


def test_an_unsure_sentence_is_sent_to_the_judge_with_the_prompt_and_labels(
        toxicity: Callable[..., list[CheckResult]]) -> None:
    judge = FakeJudge().enqueue("benign")

    toxicity(REPORTED_PREJUDICE, judge=judge)

    [request] = judge.history
    assert (request.check, request.text, request.labels) == ("toxicity", REPORTED_PREJUDICE, JUDGE_LABELS)
    assert request.question == JUDGE_PROMPT
    assert "even without slurs" in JUDGE_PROMPT or "without any slur" in JUDGE_PROMPT


def test_the_judge_saying_demeaning_makes_a_blocking_finding(toxicity: Callable[..., list[CheckResult]]) -> None:
    [finding] = toxicity(REPORTED_PREJUDICE, judge=FakeJudge().enqueue("demeaning"))

    assert finding.blocks
    assert finding.spans == ((0, len(REPORTED_PREJUDICE)),)
    assert "judge: demeaning (p=0.90)" in finding.reason


def test_the_judge_saying_benign_clears_a_model_alarm(toxicity: Callable[..., list[CheckResult]]) -> None:
    judge = FakeJudge().enqueue("benign")

    assert toxicity(NEGATED_INSULT, judge=judge) == []
    assert [r.text for r in judge.history] == [NEGATED_INSULT]  # the model alone would have blocked it


def test_without_a_verdict_the_rules_decide_and_say_so(toxicity: Callable[..., list[CheckResult]]) -> None:
    assert toxicity(NEGATED_INSULT, judge=FakeJudge().enqueue(None)) == []  # the rules cleared it

    [finding] = toxicity("You are such a clown.", judge=FakeJudge().enqueue(None))
    assert finding.blocks
    assert "(rules: sure" in finding.reason


def test_with_the_judge_off_an_unsure_finding_says_it_came_from_rules_only(
        toxicity: Callable[..., list[CheckResult]]) -> None:
    [finding] = toxicity("The new packaging looks like crap.")  # the model alone: over 0.6, under sure

    assert finding.blocks
    assert finding.rule == "toxicity:sentence"
    assert finding.reason.endswith("(rules only: judge off)")


def test_the_judge_can_clear_copy_that_is_only_crude(toxicity: Callable[..., list[CheckResult]]) -> None:
    assert toxicity("The new packaging looks like crap.", judge=FakeJudge().enqueue("benign")) == []


def test_sure_findings_and_clean_copy_never_reach_the_judge(toxicity: Callable[..., list[CheckResult]]) -> None:
    judge = FakeJudge()

    sure = toxicity(SURE_GENERALISATION, judge=judge)
    clean = toxicity("Morning Ember is a malty breakfast tea that takes milk well.", judge=judge)

    assert [f.rule for f in sure] == ["toxicity:generalisation"] and clean == []
    assert judge.history == []
