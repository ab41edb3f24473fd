"""The judge decides what the rules are not certain of; certain verdicts never reach it, and a missing
verdict leaves the rules' decision with a note saying so."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.brand import BrandProfile
from app.guardrails.base import CheckContext, CheckResult
from app.guardrails.claims import ClaimsCheck
from app.guardrails.claims.tests.conftest import blocking
from app.guardrails.judge import JudgeRequest, JudgeVerdict

# "Maintain" is a verb of the approved strength but not the approved verb: the rules cannot tell.
UNCERTAIN = "Harbour Oats maintain normal digestion as part of a varied diet."
CERTAIN = "Sea Salt Granola contributes to normal digestion as part of a varied diet."


@dataclass
class FakeJudge:
    """Answers with the queued labels in order (None = no verdict) and records every request."""

    answers: list[str | None]
    reason_for_none: str = "judge budget of 0 calls spent"
    history: list[JudgeRequest] = field(default_factory=list)

    def decide(self, request: JudgeRequest) -> JudgeVerdict | None:
        self.history.append(request)
        label = self.answers.pop(0) if self.answers else None
        return None if label is None else JudgeVerdict(label, 0.9, "N-1: same meaning", "judge", "fake")

    def why_not(self) -> str:
        return self.reason_for_none


def run(brand: BrandProfile, text: str, judge: FakeJudge | None) -> list[CheckResult]:
    return ClaimsCheck().run(text, CheckContext(brand=brand, judge=judge))


def test_an_uncertain_claim_is_put_to_the_judge_with_the_approved_claim_as_evidence(northmoor: BrandProfile) -> None:
    judge = FakeJudge(["unsupported"])
    [finding] = blocking(run(northmoor, UNCERTAIN, judge))
    [request] = judge.history
    assert request.check == "claims" and request.text == UNCERTAIN
    assert request.labels == ("contradicted", "unsupported", "supported")
    assert "[N-1]" in request.evidence and "conditions: as part of a varied diet" in request.evidence
    for dimension in ("subject", "scope", "conditions", "intensity", "territory"):
        assert dimension in request.question
    assert "judge: unsupported (p=0.90)" in finding.reason


def test_the_judge_can_find_an_uncertain_claim_supported(northmoor: BrandProfile) -> None:
    results = run(northmoor, UNCERTAIN, FakeJudge(["supported"]))
    assert not [r for r in results if not r.passed]
    [summary] = [r for r in results if r.rule == "claims:supported"]
    assert "N-1" in summary.evidence and "judge: supported (p=0.90)" in summary.reason


def test_a_certain_verdict_is_not_put_to_the_judge(northmoor: BrandProfile) -> None:
    judge = FakeJudge(["supported"])
    assert blocking(run(northmoor, CERTAIN, judge))
    assert judge.history == []


def test_without_a_verdict_the_rules_decide_and_say_why(northmoor: BrandProfile) -> None:
    [finding] = blocking(run(northmoor, UNCERTAIN, FakeJudge([None])))
    assert finding.reason.endswith("(rules only: judge budget of 0 calls spent)")


def test_with_the_judge_off_the_finding_says_rules_only(northmoor: BrandProfile) -> None:
    [finding] = blocking(run(northmoor, UNCERTAIN, None))
    assert finding.reason.endswith("(rules only: judge off)")


def test_each_uncertain_sentence_gets_its_own_question(northmoor: BrandProfile) -> None:
    judge = FakeJudge(["unsupported", "unsupported"])
    run(northmoor, UNCERTAIN + " " + UNCERTAIN.replace("Harbour Oats", "They"), judge)
    assert len(judge.history) == 2 and judge.history[0].text != judge.history[1].text
