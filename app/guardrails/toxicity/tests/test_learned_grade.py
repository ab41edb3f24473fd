"""The learned grade ranks sentences that name a group, never blocks on its own, and embeds nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from app.brand import BrandProfile
from app.guardrails.base import CheckContext
from app.guardrails.toxicity import ProfanityCheckBackend, ToxicityCheck
from app.guardrails.toxicity.learned import CAP, WEIGHTS_PATH, ImplicitHateScorer
from app.guardrails.toxicity.scoring import score_text
from app.guardrails.toxicity.tests.conftest import FakeJudge


class LeaningEmbedder:
    """A stand-in embedder at the seam: a 384-dimensional vector that leans to one side, and a log of what it
    was asked to embed."""

    dimension = 384

    def __init__(self, sign: float) -> None:
        self.sign = sign
        self.history: list[str] = []

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.history.extend(texts)
        return [[self.sign] * 384 for _ in texts]


def weights_all_one(tmp_path: Path) -> Path:
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"weights": [1.0] * 384, "intercept": 0.0}), encoding="utf-8")
    return path


def test_only_sentences_that_name_a_group_are_embedded(tmp_path: Path) -> None:
    embedder = LeaningEmbedder(1.0)
    scorer = ImplicitHateScorer(embedder, weights_all_one(tmp_path))
    text = "Morning Ember is malty. Our Sikh customers run the tasting club. Order by Friday."

    scored = score_text(ProfanityCheckBackend(), text, 0.6, scorer=scorer)

    assert embedder.history == ["Our Sikh customers run the tasting club."]
    graded = [s for s in scored.sentences if s.kind == "learned"]
    assert [round(s.score, 3) for s in graded] == [round(CAP, 3)]  # p ~ 1, capped under the threshold


def test_the_learned_grade_alone_never_blocks_but_a_judge_can_confirm_it(
        tmp_path: Path, fernhill: BrandProfile) -> None:
    check = ToxicityCheck(ProfanityCheckBackend())
    check.scorer = ImplicitHateScorer(LeaningEmbedder(1.0), weights_all_one(tmp_path))
    text = "Pensioners from that town always ask for discounts."

    assert check.run(text, CheckContext(brand=fernhill)) == []
    [finding] = check.run(text, CheckContext(brand=fernhill, judge=FakeJudge().enqueue("demeaning")))
    assert finding.rule == "toxicity:generalisation" and finding.blocks


def test_the_shipped_weights_state_their_data_and_shape() -> None:
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))

    assert len(data["weights"]) == 384
    assert data["trained_on"] and "implicit_hate_heldout2" in data["heldout"]
    assert 0.0 < data["heldout_auc"] <= 1.0
