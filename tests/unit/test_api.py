"""The HTTP API: briefs, review decisions, errors as JSON with stable codes, the OpenAPI schema."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.pipeline import runner
from tests.fakes import CLEAN_DRAFT, IDEAS

BRIEF = {"brand": "fernhill", "product": "quiet-hours", "channels": ["linkedin"], "n_ideas": 1,
         "n_variants": 1, "audience": "evening tea drinkers", "goal": "launch", "key_message": "caffeine-free"}


@pytest.fixture
def client(ingested):
    return TestClient(create_app(deps=ingested))


def drafted_variant(client, deps, fake_llm, enqueued) -> dict:
    fake_llm.enqueue(IDEAS, CLEAN_DRAFT)
    brief = client.post("/briefs", json=BRIEF, headers={"X-Actor": "mia"}).json()
    for task, item in enqueued.take():
        assert task == "ideate"
        runner.run_ideation(item, deps)
    for _task, idea_id in enqueued.take():
        runner.run_drafting(idea_id, deps)
    [variant] = client.get(f"/briefs/{brief['id']}/variants").json()
    return variant


def test_submitting_a_brief_returns_it_and_queues_ideation(client, enqueued):
    response = client.post("/briefs", json=BRIEF, headers={"X-Actor": "mia"})
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "submitted" and body["submitted_by"] == "mia"
    assert enqueued.take() == [("ideate", body["id"])]


def test_invalid_brief_gets_a_json_error_naming_the_field(client):
    response = client.post("/briefs", json={**BRIEF, "channels": ["fax"]}, headers={"X-Actor": "mia"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "channels" in response.json()["message"] and "fax" in response.json()["message"]


def test_unknown_brand_gets_a_stable_code(client):
    response = client.post("/briefs", json={**BRIEF, "brand": "acme"}, headers={"X-Actor": "mia"})
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_brand"


def test_missing_actor_header_is_refused(client):
    assert client.post("/briefs", json=BRIEF).status_code == 422


def test_reviewer_approves_a_variant_with_its_findings_shown(client, ingested, fake_llm, enqueued):
    variant = drafted_variant(client, ingested, fake_llm, enqueued)
    assert variant["findings"], "draft-time check results come with the variant"
    queue = client.get("/review/queue").json()
    assert queue["total"] == 1 and queue["items"][0]["id"] == variant["id"]
    approved = client.post(f"/variants/{variant['id']}/approve", json={}, headers={"X-Actor": "rob"})
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert enqueued.take() == [("compliance", variant["id"])]


def test_submitter_cannot_approve_their_own_brief(client, ingested, fake_llm, enqueued):
    variant = drafted_variant(client, ingested, fake_llm, enqueued)
    response = client.post(f"/variants/{variant['id']}/approve", json={}, headers={"X-Actor": "mia"})
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_request_changes_needs_a_comment(client, ingested, fake_llm, enqueued):
    variant = drafted_variant(client, ingested, fake_llm, enqueued)
    response = client.post(f"/variants/{variant['id']}/request-changes", json={"comment": " "},
                           headers={"X-Actor": "rob"})
    assert response.status_code == 422 and "comment" in response.json()["message"]


def test_unknown_variant_is_404_with_code(client):
    response = client.post("/variants/nope/approve", json={}, headers={"X-Actor": "rob"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_audit_trail_and_health_and_openapi(client, ingested, fake_llm, enqueued):
    variant = drafted_variant(client, ingested, fake_llm, enqueued)
    trail = client.get(f"/briefs/{variant['brief_id']}/audit").json()
    assert trail[0]["action"] == "brief.submitted" and trail[0]["actor"] == "mia"
    assert client.get("/health").json()["backends"]["vectors"] == "qdrant-local"
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/briefs", "/review/queue", "/variants/{variant_id}/approve"} <= set(paths)
