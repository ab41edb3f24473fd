"""Learning from results: per-slot figures with lift intervals, the correlation of offline scores with live
rates, and the "what worked" document ingested into the brand's KB."""

from __future__ import annotations

import shutil

import pytest

from app.performance.aggregate import run_aggregation
from app.performance.events import ingest
from app.performance.learning import brand_learning, publish_what_worked, what_worked_markdown
from app.pipeline.deps import Deps
from tests.unit.performance_helpers import seeded_slot, traffic

CLICKS = (5, 12, 20, 40)  # of 500 impressions each: the variant with the highest pre-score does best


@pytest.fixture
def measured(deps: Deps) -> tuple[str, list[str]]:
    slot, ids = seeded_slot(deps, [["C-001"]] * 4, scores=[0.2, 0.5, 0.9, 1.4])
    events = [e for n, (variant_id, clicks) in enumerate(zip(ids, CLICKS, strict=True))
              for e in traffic(variant_id, prefix=f"v{n}", impressions=500, clicks=clicks)]
    ingest(deps.engine, events, brands=None, source="test")
    run_aggregation(deps)
    return slot, ids


def test_each_variant_gets_its_rate_and_lift_over_the_weakest_with_credible_intervals(deps, measured):
    slot, ids = measured
    learning = brand_learning(deps, "fernhill")
    results = learning.slots[slot]
    assert [r.variant_id for r in results] == list(reversed(ids))  # best first
    best, weakest = results[0], results[-1]
    assert weakest.lift is None and best.lift is not None
    assert best.lift_interval[0] < best.lift < best.lift_interval[1]
    assert best.lift_interval[0] > 1.0  # 40 vs 5 clicks of 500: at least twice as good, credibly
    assert best.interval[0] < 40 / 500 < best.interval[1]


def test_the_pre_score_correlation_is_reported_once_enough_variants_are_measured(deps, measured):
    learning = brand_learning(deps, "fernhill")
    assert learning.measured_variants == 4
    assert learning.correlations["pre_score"] == pytest.approx(1.0)
    assert learning.correlations["warnings"] is None  # no warnings at all: no spread to rank
    assert brand_learning(deps, "fernhill", min_impressions=10_000).correlations["pre_score"] is None


def test_what_worked_is_written_into_the_brands_kb_and_ingested(deps, measured, tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(deps.settings.brand_kb_dir / "fernhill", kb / "fernhill")
    deps.settings.brand_kb_dir = kb
    path = publish_what_worked(deps, "fernhill", actor="pia")
    text = path.read_text()
    assert path == kb / "fernhill" / "learned" / "what-worked.md"
    assert "Headline 4" in text and "lift +" in text and "pre-score +1.00" in text
    assert "learned/what-worked.md" in deps.store.source_hashes("fernhill")
    assert what_worked_markdown(brand_learning(deps, "fernhill")) == text


def test_the_learning_route_shows_the_brands_figures_and_the_lift_over_an_even_split(deps, measured):
    from fastapi.testclient import TestClient

    from app.api.main import create_app
    from tests.unit.helpers import bearer

    client = TestClient(create_app(deps=deps))
    body = client.get("/brands/fernhill/learning", headers=bearer(deps, "mia", ["marketer"])).json()
    slot, ids = measured
    assert body["slots"][slot][0]["variant_id"] == ids[-1]
    assert body["lift_over_even"] == pytest.approx(0.0, abs=1e-9)  # traffic was split evenly here


def test_a_slots_result_becomes_an_eval_case_in_one_action(deps, measured):
    from fastapi.testclient import TestClient

    from app.api.main import create_app
    from app.evaluation.eval_suite import load_suite
    from tests.unit.helpers import bearer
    from tests.unit.performance_helpers import declare_winner

    slot, ids = measured
    client = TestClient(create_app(deps=deps))
    engineer = bearer(deps, "pia", ["prompt_engineer"])
    early = client.post(f"/slots/{slot}/eval-case", json={"suite": "core"}, headers=engineer)
    assert early.status_code == 409  # no winner declared yet
    declare_winner(deps, slot, ids[-1])
    made = client.post(f"/slots/{slot}/eval-case", json={"suite": "core"}, headers=engineer)
    assert made.status_code == 201, made.text
    case = next(c for c in load_suite(deps.settings.eval_suites_dir / "core.yaml").cases
                if c.id == made.json()["case_id"])
    assert "Headline 4" in case.note and "from-slot" in case.tags
    assert case.expect.claims_must_stay_supported and "Headline 1" in case.expect.must_not_mention
    again = client.post(f"/slots/{slot}/eval-case", json={"suite": "core"}, headers=engineer)
    assert again.status_code == 422
