"""The KPI figures against a database seeded with known timings; the JSON, CSV, page and Prometheus exposition."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app import audit
from app.db import session_scope
from app.models import Brief, CheckFinding, Delivery, Idea, LLMCall, Variant
from app.states import BriefState, DeliveryState, VariantState
from tests.unit.test_api import sign_in_page

NOW = datetime.now(UTC)


def seed_brief(session, brand: str, *, age: timedelta, first_variant_after_s: float | None) -> list[Variant]:
    submitted = NOW - age
    brief = Brief(brand=brand, channels=["linkedin"], audience="a", goal="g", key_message="k", submitted_by="mia",
                  state=BriefState.in_review, created_at=submitted)
    idea = Idea(brief_id=brief.id, ordinal=1, title="t", angle="a")
    session.add_all([brief, idea])
    if first_variant_after_s is None:
        return []
    variant = Variant(brief_id=brief.id, idea_id=idea.id, brand=brand, channel="linkedin", ordinal=1, headline="h",
                      body="b", cta="c", content_hash="x",
                      created_at=submitted + timedelta(seconds=first_variant_after_s))
    session.add(variant)
    return [variant]


@pytest.fixture
def seeded(ingested):
    """Fernhill: briefs whose first variants came 60, 120 and 600 s after submission, one brief still ideating;
    one redraft; decisions approve/reject/request changes after 30, 90 and 300 s in review; blocks by two checks
    on one of two checked variants; four LLM calls of 100-400 ms; one delivery delivered. Another brand has data
    of its own that must not count."""
    with session_scope(ingested.engine) as s:
        v1, = seed_brief(s, "fernhill", age=timedelta(days=2), first_variant_after_s=60)
        v2, = seed_brief(s, "fernhill", age=timedelta(days=1), first_variant_after_s=120)
        v3, = seed_brief(s, "fernhill", age=timedelta(hours=5), first_variant_after_s=600)
        seed_brief(s, "fernhill", age=timedelta(hours=1), first_variant_after_s=None)
        seed_brief(s, "fernhill", age=timedelta(days=60), first_variant_after_s=5)  # outside a 30-day period
        other, = seed_brief(s, "elsewhere", age=timedelta(days=1), first_variant_after_s=9999)
        s.flush()
        s.add(Variant(**{**v1.model_dump(exclude={"id", "state"}), "revision": 2, "parent_id": v1.id,
                         "state": VariantState.in_review}))
        for variant, decision, waited in ((v1, "request_changes", 30), (v2, "approve", 90), (v3, "reject", 300),
                                          (other, "approve", 5)):
            audit.record(s, action="review.decided", actor="rob", subject_type="variant", subject_id=variant.id,
                         brief_id=variant.brief_id, decision=decision, time_in_review_s=waited)
        for variant, check, passed in ((v1, "banned_terms", False), (v1, "claims", False), (v2, "banned_terms", True),
                                       (v2, "claims", True), (other, "claims", False)):
            s.add(CheckFinding(variant_id=variant.id, gate="draft", check=check, rule=check, passed=passed,
                               severity="block", reason="r"))
        for latency in (100.0, 200.0, 300.0, 400.0):
            s.add(LLMCall(brief_id=v1.brief_id, stage="draft", prompt_ref="draft@1", prompt_hash="h", model="m1",
                          prompt_tokens=10, completion_tokens=5, latency_ms=latency))
        s.add(LLMCall(brief_id=other.brief_id, stage="draft", prompt_ref="draft@1", prompt_hash="h", model="m1",
                      latency_ms=99_999.0))
        s.add(Delivery(variant_id=v2.id, brief_id=v2.brief_id, brand="fernhill", target="outbox",
                       state=DeliveryState.delivered, delivered_at=NOW - timedelta(hours=2)))
    ingested.settings.llm_prices_per_million_tokens = {"m1": [1.0, 2.0]}
    return ingested


def test_kpis_match_the_seeded_timings(client, seeded, rob):
    report = client.get("/metrics/kpis", params={"brand": "fernhill", "days": 30}, headers=rob).json()
    assert report["briefs"] == 4, "four fernhill briefs in the last 30 days; the 60-day-old one is out"
    assert report["time_to_first_concept_s"] == {"count": 3, "p50": 120.0, "p95": 600.0}
    assert report["revision_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert report["approval_rate"] == pytest.approx(1 / 3, abs=1e-4) and report["decisions"] == 3
    assert report["review_time_s"] == {"count": 3, "p50": 90.0, "p95": 300.0}
    assert report["variants_checked"] == 2
    assert report["blocks_per_check"] == {"banned_terms": 0.5, "claims": 0.5}
    [llm] = report["llm"]
    assert (llm["model"], llm["prompt"], llm["calls"]) == ("m1", "draft@1", 4)
    assert llm["latency_ms"] == {"count": 4, "p50": 200.0, "p95": 400.0}
    assert llm["tokens_per_call"] == 15.0
    assert llm["cost_per_1000_calls"] == pytest.approx(0.02)  # (10 x 1 + 5 x 2) / 1e6 per call
    assert report["published"] == 1


def test_a_user_sees_only_their_brands_figures(client, seeded, rob):
    assert client.get("/metrics/kpis", params={"brand": "elsewhere"}, headers=rob).status_code == 404
    every = client.get("/metrics/kpis", headers=rob).json()
    assert every["decisions"] == 3, "rob's brands are fernhill only"


def test_the_csv_export_has_one_figure_per_row(client, seeded, rob):
    answer = client.get("/metrics/kpis.csv", params={"brand": "fernhill"}, headers=rob)
    assert answer.headers["content-type"].startswith("text/csv")
    rows = {(r["metric"], r["key"]): r["value"] for r in csv.DictReader(io.StringIO(answer.text))}
    assert rows[("time_to_first_concept_s", "p95")] == "600.0"
    assert rows[("llm_latency_ms_p50", "m1 draft@1")] == "200.0"


def test_metrics_parse_with_the_prometheus_text_parser(client, seeded, rob):
    answer = client.get("/metrics", headers=rob)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(answer.text)}
    briefs = {(s.labels["brand"], s.labels["state"]): s.value for s in families["factory_briefs"].samples}
    assert briefs[("fernhill", "in_review")] == 5 and ("elsewhere", "in_review") not in briefs
    assert families["factory_workers_alive"].samples[0].value == 0
    assert client.get("/metrics").status_code == 401, "a scraper needs a token"


def test_the_metrics_page_draws_its_charts_inline(client, seeded):
    sign_in_page(client, seeded, "rex", ["reviewer"])
    page = client.get("/ui/metrics?brand=fernhill&days=30").text
    assert '<svg class="chart" id="chart-blocks"' in page and '<svg class="chart" id="chart-latency"' in page
    assert "2 min 00 s / 10 min" in page, "time to first concept p50 / p95"
    assert 'href="/metrics/kpis.csv?brand=fernhill&days=30"' in page
