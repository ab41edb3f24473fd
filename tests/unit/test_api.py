"""The HTTP API: briefs, review decisions, edits, compliance clearance, publishing, admin; errors as
JSON with stable codes; bearer tokens and browser sessions with CSRF; the OpenAPI schema."""

from __future__ import annotations

import json

from sqlmodel import Session, col, select

from app.auth import users
from app.db import session_scope
from app.guardrails.base import CheckResult, Severity
from app.models import AuditEntry, Delivery, Variant
from app.pipeline import delivery, gate, runner
from app.states import DeliveryState
from tests.fakes import IDEAS
from tests.unit.helpers import bearer

BRIEF = {"brand": "fernhill", "product": "quiet-hours", "channels": ["linkedin"], "n_ideas": 1,
         "n_variants": 1, "audience": "evening tea drinkers", "goal": "launch", "key_message": "caffeine-free"}
# Passes every draft-time and compliance check of the fernhill brand (the chamomile disclaimer included).
PASSING_DRAFT = {
    "headline": "Meet Quiet Hours",
    "body": "A calm evening cup from Fernhill: certified organic chamomile and lemon balm. Contains chamomile. "
            "People with an allergy to plants in the daisy family (Asteraceae), such as ragweed or marigold, "
            "should avoid this product.",
    "cta": "Try Quiet Hours",
}


def drafted_variant(client, deps, fake_llm, enqueued, marketer, draft=PASSING_DRAFT) -> dict:
    fake_llm.enqueue(IDEAS)
    fake_llm.default = json.dumps(draft)
    brief = client.post("/briefs", json=BRIEF, headers=marketer).json()
    for task, item in enqueued.take():
        assert task == "ideate"
        runner.run_ideation(item, deps)
    for _task, idea_id in enqueued.take():
        runner.run_drafting(idea_id, deps)
    [variant] = client.get(f"/briefs/{brief['id']}/variants", headers=marketer).json()
    return variant


def block_at_gate(deps, monkeypatch, variant_id: str) -> None:
    """Run the compliance gate with one blocking finding (the guardrails seam replaced for this call)."""
    finding = CheckResult(check="banned_terms", rule="banned_term:calm", passed=False, severity=Severity.block,
                          spans=((21, 25),), reason="'calm' is banned by the brand")
    monkeypatch.setattr(deps.guardrails, "evaluate", lambda *a, **k: [finding])
    gate.run_compliance(variant_id, deps)
    monkeypatch.undo()


def test_submitting_a_brief_records_the_user_and_queues_ideation(client, enqueued, mia):
    response = client.post("/briefs", json=BRIEF, headers=mia)
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "submitted" and body["submitted_by"] == "mia"
    assert enqueued.take() == [("ideate", body["id"])]


def test_invalid_brief_gets_a_json_error_naming_the_field(client, mia):
    response = client.post("/briefs", json={**BRIEF, "channels": ["fax"]}, headers=mia)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "channels" in response.json()["message"] and "fax" in response.json()["message"]


def test_unknown_brand_gets_a_stable_code(client, ingested):
    everywhere = bearer(ingested, "nia", ["marketer"], brands=["*"])
    response = client.post("/briefs", json={**BRIEF, "brand": "acme"}, headers=everywhere)
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_brand"


def test_requests_without_credentials_are_refused_with_401(client):
    response = client.post("/briefs", json=BRIEF)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert client.get("/briefs", headers={"Authorization": "Bearer cf_nonsense"}).status_code == 401


def test_reviewer_approves_a_variant_with_findings_sources_and_time_in_review(
        client, ingested, fake_llm, enqueued, mia, rob):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    assert variant["findings"], "draft-time check results come with the variant"
    assert variant["sources"] and variant["sources"][0]["source"], "cited chunks resolve to their source file"
    queue = client.get("/review/queue", headers=rob).json()
    assert queue["total"] == 1 and queue["items"][0]["id"] == variant["id"]
    approved = client.post(f"/variants/{variant['id']}/approve", json={}, headers=rob)
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert approved.json()["approved_by"] == "rob"
    assert enqueued.take() == [("compliance", variant["id"])]
    decided = [e for e in client.get(f"/briefs/{variant['brief_id']}/audit", headers=rob).json()
               if e["action"] == "review.decided"]
    assert decided[0]["details"]["decision"] == "approve" and decided[0]["details"]["time_in_review_s"] >= 0


def test_submitter_cannot_approve_their_own_brief_even_as_reviewer(client, ingested, fake_llm, enqueued):
    both = bearer(ingested, "sam", ["marketer", "reviewer"])
    variant = drafted_variant(client, ingested, fake_llm, enqueued, both)
    response = client.post(f"/variants/{variant['id']}/approve", json={}, headers=both)
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition" and "sam submitted" in response.json()["message"]


def test_request_changes_needs_a_comment(client, ingested, fake_llm, enqueued, mia, rob):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    response = client.post(f"/variants/{variant['id']}/request-changes", json={"comment": " "}, headers=rob)
    assert response.status_code == 422 and "comment" in response.json()["message"]


def test_marketer_requests_a_regeneration_with_a_note(client, ingested, fake_llm, enqueued, mia):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    response = client.post(f"/variants/{variant['id']}/request-changes", json={"comment": "shorter"}, headers=mia)
    assert response.status_code == 200 and response.json()["state"] == "changes_requested"
    assert enqueued.take() == [("redraft", variant["id"])]


def test_unknown_variant_is_404_with_code(client, rob):
    response = client.post("/variants/nope/approve", json={}, headers=rob)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_edit_then_approve_creates_a_checked_revision_and_approves_it(client, ingested, fake_llm, enqueued, mia, rob):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    edited = {**PASSING_DRAFT, "headline": "Quiet Hours, for your evenings", "comment": "warmer headline"}
    response = client.post(f"/variants/{variant['id']}/edit-and-approve", json=edited, headers=rob)
    assert response.status_code == 201, response.text
    new = response.json()
    assert new["revision"] == 2 and new["parent_id"] == variant["id"] and new["state"] == "approved"
    assert new["content_hash"] != variant["content_hash"] and new["headline"] == edited["headline"]
    assert {f["gate"] for f in new["findings"]} == {"edit"}, "the edited text was checked again"
    assert client.get(f"/variants/{variant['id']}", headers=rob).json()["state"] == "superseded"
    actions = [e["action"] for e in client.get(f"/briefs/{variant['brief_id']}/audit", headers=rob).json()]
    assert actions.index("variant.edited") < actions.index("checks.edit") < actions.index("review.decided")
    assert enqueued.take() == [("compliance", new["id"])]


def test_an_edit_that_fails_a_check_is_kept_in_review_and_not_approved(client, ingested, fake_llm, enqueued, mia, rob):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    edited = {**PASSING_DRAFT, "body": "The best tea in the world, guaranteed to cure stress."}
    response = client.post(f"/variants/{variant['id']}/edit-and-approve", json=edited, headers=rob)
    assert response.status_code == 409 and "not approved" in response.json()["message"]
    [current] = [v for v in client.get(f"/briefs/{variant['brief_id']}/variants", headers=rob).json()
                 if v["revision"] == 2]
    assert current["state"] == "in_review" and current["risk"] >= 3
    assert any(not f["passed"] and f["spans"] for f in current["findings"])


def test_compliance_clears_a_blocked_variant_and_it_is_delivered(
        client, ingested, fake_llm, enqueued, monkeypatch, mia, rob):
    officer = bearer(ingested, "cai", ["compliance"])
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    client.post(f"/variants/{variant['id']}/approve", json={}, headers=rob)
    block_at_gate(ingested, monkeypatch, variant["id"])
    enqueued.take()
    [blocked] = client.get("/compliance/blocked", headers=officer).json()["items"]
    assert blocked["id"] == variant["id"] and blocked["risk"] == 3
    assert client.post(f"/variants/{variant['id']}/clear", json={"reason": ""}, headers=officer).status_code == 422
    cleared = client.post(f"/variants/{variant['id']}/clear", json={"reason": "calm is fine here"}, headers=officer)
    assert cleared.status_code == 200 and cleared.json()["state"] == "publishing"
    assert enqueued.take() == [("publish", variant["id"])]
    assert delivery.run_publish(variant["id"], ingested).status == "delivered"
    trail = client.get(f"/briefs/{variant['brief_id']}/audit", headers=officer).json()
    [entry] = [e for e in trail if e["action"] == "compliance.cleared"]
    assert entry["actor"] == "cai" and entry["details"]["overruled"][0]["rule"] == "banned_term:calm"


def test_a_text_changed_after_approval_cannot_be_cleared(client, ingested, fake_llm, enqueued, mia, rob):
    officer = bearer(ingested, "cai", ["compliance"])
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    client.post(f"/variants/{variant['id']}/approve", json={}, headers=rob)
    with Session(ingested.engine) as s:
        row = s.get(Variant, variant["id"])
        row.body += " Now 50% off!"
        s.add(row)
        s.commit()
    gate.run_compliance(variant["id"], ingested)
    response = client.post(f"/variants/{variant['id']}/clear", json={"reason": "fine"}, headers=officer)
    assert response.status_code == 409 and "approve it again" in response.json()["message"]


def test_publishing_view_lists_attempts_and_retries_a_dead_delivery(client, ingested, fake_llm, enqueued, mia, rob):
    admin = bearer(ingested, "ada", ["admin"])
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    client.post(f"/variants/{variant['id']}/approve", json={}, headers=rob)
    gate.run_compliance(variant["id"], ingested)
    with Session(ingested.engine) as s:
        row = s.exec(select(Delivery).where(Delivery.variant_id == variant["id"])).one()
        row.state = DeliveryState.dead
        s.add(row)
        s.commit()
    page = client.get("/deliveries?state=dead", headers=admin).json()
    assert page["total"] == 1 and page["items"][0]["variant_id"] == variant["id"]
    enqueued.take()
    assert client.post(f"/variants/{variant['id']}/delivery/retry", headers=admin).status_code == 202
    assert enqueued.take() == [("publish", variant["id"])]
    assert delivery.run_publish(variant["id"], ingested).status == "delivered"
    [done] = client.get("/deliveries", headers=rob).json()["items"]
    assert done["state"] == "delivered" and done["attempt_log"][0]["status_code"] in (200, 201, None)


def test_progress_and_ideas_show_state_timeline_and_sources(client, ingested, fake_llm, enqueued, mia):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    progress = client.get(f"/briefs/{variant['brief_id']}/progress", headers=mia).json()
    assert progress["state"] == "in_review" and progress["variants"] == {"in_review": 1}
    assert [s["state"] for s in progress["timeline"]][:2] == ["submitted", "ideating"]
    [idea] = client.get(f"/briefs/{variant['brief_id']}/ideas", headers=mia).json()
    assert idea["variants"][0]["id"] == variant["id"] and idea["sources"][0]["source"]


def test_admin_creates_a_user_and_a_token_shown_once_then_revokes_it(client, ingested):
    admin = bearer(ingested, "ada", ["admin"])
    created = client.post("/admin/users", headers=admin, json={
        "username": "lee", "roles": ["reviewer"], "brands": ["fernhill"], "password": "a-long-password"})
    assert created.status_code == 201 and created.json()["roles"] == ["reviewer"]
    token = client.post("/admin/tokens", headers=admin, json={"username": "lee", "expires_days": 7}).json()
    lee = {"Authorization": f"Bearer {token['token']}"}
    assert client.get("/me", headers=lee).json()["username"] == "lee"
    listed = client.get("/admin/tokens", headers=admin).json()["items"]
    assert all("token" not in t for t in listed), "the secret is shown once, never listed"
    assert client.post(f"/admin/tokens/{token['id']}/revoke", headers=admin).status_code == 200
    refused = client.get("/me", headers=lee)
    assert refused.status_code == 401 and "revoked" in refused.json()["message"]
    with Session(ingested.engine) as s:
        assert s.exec(select(AuditEntry).where(col(AuditEntry.action).in_(
            ["user.created", "token.created", "token.revoked"]))).all()


def test_browser_session_needs_its_csrf_token_on_post(client, ingested):
    with session_scope(ingested.engine) as session:
        users.create_user(session, username="mia", roles=["marketer"], brands=["fernhill"],
                          password="correct horse battery", actor="test")
    form = client.get("/ui/login")
    nonce = form.text.split('name="nonce" value="')[1].split('"')[0]
    signed_in = client.post("/ui/login", data={"username": "mia", "password": "correct horse battery",
                                               "nonce": nonce}, follow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/ui"
    assert client.get("/me").json()["via"] == "session"
    refused = client.post("/briefs", json=BRIEF)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    page = client.get("/ui/briefs/new").text
    csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
    assert client.post("/briefs", json=BRIEF, headers={"X-CSRF-Token": csrf}).status_code == 201


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, ingested):
    with session_scope(ingested.engine) as session:
        users.create_user(session, username="mia", roles=["marketer"], brands=["fernhill"],
                          password="correct horse battery", actor="test")
    form = client.get("/ui/login")
    nonce = form.text.split('name="nonce" value="')[1].split('"')[0]
    response = client.post("/ui/login", data={"username": "mia", "password": "wrong password!", "nonce": nonce})
    assert response.status_code == 401 and "Unknown username or wrong password" in response.text


def test_audit_trail_and_health_and_openapi(client, ingested, fake_llm, enqueued, mia):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    trail = client.get(f"/briefs/{variant['brief_id']}/audit", headers=mia).json()
    assert trail[0]["action"] == "brief.submitted" and trail[0]["actor"] == "mia"
    assert client.get("/health").json()["backends"]["vectors"] == "qdrant-local"
    schema = client.get("/openapi.json").json()
    assert {"/briefs", "/review/queue", "/variants/{variant_id}/approve", "/admin/tokens"} <= set(schema["paths"])
    assert not any(p.startswith("/ui") for p in schema["paths"]), "pages are not part of the API schema"
    assert "HTTPBearer" in schema["components"]["securitySchemes"]


def test_unknown_route_is_a_json_error_with_a_code(client):
    response = client.get("/no/such/route")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def sign_in_page(client, deps, username: str, roles: list[str], brands: list[str] | None = None) -> str:
    """Sign ``username`` in through the login form (on fernhill unless ``brands``); returns the CSRF token."""
    with session_scope(deps.engine) as session:
        users.create_user(session, username=username, roles=roles, brands=brands or ["fernhill"],
                          password="correct horse battery", actor="test")
    nonce = client.get("/ui/login").text.split('name="nonce" value="')[1].split('"')[0]
    client.post("/ui/login", data={"username": username, "password": "correct horse battery", "nonce": nonce})
    return client.get("/ui/briefs").text.split('name="csrf-token" content="')[1].split('"')[0]


def test_pages_send_a_visitor_without_a_session_to_sign_in(client):
    response = client.get("/ui/review", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/ui/login?next=/ui/review"


def test_review_page_marks_the_spans_of_failed_findings(client, ingested, fake_llm, enqueued, mia):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    csrf = sign_in_page(client, ingested, "rob", ["reviewer"])
    edited = {"headline": "Quiet Hours!! Your evening cup", "body": PASSING_DRAFT["body"],
              "cta": "Try Quiet Hours", "then": "save", "csrf_token": csrf}
    saved = client.post(f"/ui/review/{variant['id']}/edit", data=edited)
    assert saved.status_code == 200 and "revision 2" in saved.text
    assert '<mark class="sev-warn"' in saved.text and "exclamation" in saved.text
    refused = client.post(f"/ui/review/{variant['id']}/edit", data={**edited, "csrf_token": "forged"})
    assert refused.status_code == 403


def test_compliance_publishing_and_admin_pages_render_for_their_roles(
        client, ingested, fake_llm, enqueued, monkeypatch, mia, rob):
    variant = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    client.post(f"/variants/{variant['id']}/approve", json={}, headers=rob)
    block_at_gate(ingested, monkeypatch, variant["id"])
    sign_in_page(client, ingested, "cai", ["compliance", "admin"])
    compliance = client.get("/ui/compliance")
    assert compliance.status_code == 200 and f"variant-{variant['id']}" in compliance.text
    assert '<mark class="sev-block"' in compliance.text
    assert client.get("/ui/publishing").status_code == 200
    admin = client.get("/ui/admin")
    assert admin.status_code == 200 and "Ingest KB" in admin.text
