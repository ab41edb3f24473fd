"""A reviewer accepts a warning (never a block) with a reason: over the API and on the review page, audited."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.db import session_scope
from app.models import CheckFinding, FindingOverride
from tests.unit.test_api import drafted_variant, sign_in_page


@pytest.fixture
def variant(client, ingested, fake_llm, enqueued, mia) -> dict:
    """A drafted variant of brand fernhill, in review, that passes every check."""
    return drafted_variant(client, ingested, fake_llm, enqueued, mia)


def add_finding(deps, variant_id: str, severity: str, rule: str = "style:exclamation") -> int:
    """Record a failed draft-time finding of ``severity`` (``warn`` or ``block``) on the variant; returns its id."""
    with session_scope(deps.engine) as session:
        finding = CheckFinding(variant_id=variant_id, gate="draft", check=rule.split(":")[0], rule=rule,
                               passed=False, severity=severity, reason=f"a {severity} for the test")
        session.add(finding)
        session.flush()
        assert finding.id is not None
        return finding.id


def overrides(deps) -> list[FindingOverride]:
    with Session(deps.engine) as session:
        return list(session.exec(select(FindingOverride)).all())


def finding_of(client, headers, variant_id: str, finding_id: int) -> dict:
    """The finding as GET /variants/{id} shows it."""
    findings = client.get(f"/variants/{variant_id}", headers=headers).json()["findings"]
    return next(f for f in findings if f["id"] == finding_id)


def test_reviewer_overrides_a_warning_with_a_reason_and_it_is_audited(client, ingested, variant, rob):
    warning = add_finding(ingested, variant["id"], "warn")
    assert finding_of(client, rob, variant["id"], warning)["override"] is None

    response = client.post(f"/variants/{variant['id']}/findings/{warning}/override",
                           json={"reason": "  Exclamation fits a launch post  "}, headers=rob)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["finding_id"] == warning and body["actor"] == "rob" and isinstance(body["id"], int)
    assert body["reason"] == "Exclamation fits a launch post" and body["created_at"]
    shown = finding_of(client, rob, variant["id"], warning)["override"]
    assert shown["actor"] == "rob" and shown["reason"] == "Exclamation fits a launch post"
    trail = client.get(f"/briefs/{variant['brief_id']}/audit", headers=rob).json()
    [entry] = [e for e in trail if e["action"] == "finding.overridden"]
    assert entry["actor"] == "rob" and entry["subject_id"] == variant["id"]
    assert entry["details"]["finding_id"] == warning and entry["details"]["reason"] == "Exclamation fits a launch post"
    again = client.post(f"/variants/{variant['id']}/findings/{warning}/override", json={"reason": "twice"},
                        headers=rob)
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert "already accepted by rob" in again.json()["message"] and len(overrides(ingested)) == 1


def test_a_blocking_finding_cannot_be_overridden(client, ingested, variant, rob):
    block = add_finding(ingested, variant["id"], "block", rule="banned_terms:banned_term:calm")

    response = client.post(f"/variants/{variant['id']}/findings/{block}/override",
                           json={"reason": "compliance will not mind"}, headers=rob)

    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    assert "only warnings can be overridden" in response.json()["message"]
    assert overrides(ingested) == [] and finding_of(client, rob, variant["id"], block)["override"] is None
    trail = client.get(f"/briefs/{variant['brief_id']}/audit", headers=rob).json()
    assert not [e for e in trail if e["action"] == "finding.overridden"]


@pytest.mark.parametrize("body", [{"reason": ""}, {"reason": "   "}, {}], ids=["empty", "blank", "missing"])
def test_override_without_reason_is_rejected_with_what_to_do(client, ingested, variant, rob, body):
    warning = add_finding(ingested, variant["id"], "warn")

    response = client.post(f"/variants/{variant['id']}/findings/{warning}/override", json=body, headers=rob)

    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    message = response.json()["message"]
    assert message.startswith("reason:"), "the message names the field"
    if body:
        assert "say why the warning is acceptable" in message
    assert overrides(ingested) == []


def test_an_overlong_reason_is_rejected(client, ingested, variant, rob):
    warning = add_finding(ingested, variant["id"], "warn")
    response = client.post(f"/variants/{variant['id']}/findings/{warning}/override", json={"reason": "x" * 1001},
                           headers=rob)
    assert response.status_code == 422 and "reason" in response.json()["message"]


def test_override_of_a_finding_of_another_variant_is_not_found(client, ingested, fake_llm, enqueued, mia, rob,
                                                               variant):
    other = drafted_variant(client, ingested, fake_llm, enqueued, mia)
    foreign = add_finding(ingested, other["id"], "warn")

    response = client.post(f"/variants/{variant['id']}/findings/{foreign}/override",
                           json={"reason": "fine"}, headers=rob)

    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert f"has no finding {foreign}" in response.json()["message"]
    missing = client.post(f"/variants/{variant['id']}/findings/999999/override", json={"reason": "fine"},
                          headers=rob)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert overrides(ingested) == []


def test_reviewer_accepts_a_warning_on_the_review_page_and_it_shows_who_and_why(client, ingested, variant):
    warning = add_finding(ingested, variant["id"], "warn")
    block = add_finding(ingested, variant["id"], "block", rule="banned_terms:banned_term:calm")
    csrf = sign_in_page(client, ingested, "rita", ["reviewer"])
    page = client.get(f"/ui/review/{variant['id']}").text
    assert f'action="/ui/review/{variant["id"]}/findings/{warning}/accept"' in page
    assert f"/findings/{block}/accept" not in page, "a blocking finding offers no acceptance"

    forged = client.post(f"/ui/review/{variant['id']}/findings/{warning}/accept",
                         data={"reason": "fine", "csrf_token": "forged"})
    assert forged.status_code == 403 and overrides(ingested) == []
    blank = client.post(f"/ui/review/{variant['id']}/findings/{warning}/accept",
                        data={"reason": "  ", "csrf_token": csrf})
    assert blank.status_code == 200 and "say why the warning is acceptable" in blank.text
    accepted = client.post(f"/ui/review/{variant['id']}/findings/{warning}/accept",
                           data={"reason": "Fine for a launch post", "csrf_token": csrf, "sort": "age"})

    assert accepted.status_code == 200 and str(accepted.url).endswith(f"/ui/review/{variant['id']}?sort=age")
    assert "accepted by rita: Fine for a launch post" in accepted.text
    assert f"/findings/{warning}/accept" not in accepted.text, "an accepted warning offers no second form"
    [override] = overrides(ingested)
    assert override.actor == "rita" and override.finding_id == warning


def test_the_person_who_submitted_the_brief_cannot_accept_its_warnings(ingested, variant):
    from app.errors import InvalidTransition
    from app.pipeline import review

    warning = add_finding(ingested, variant["id"], "warn")

    with pytest.raises(InvalidTransition, match="another reviewer must accept"):
        review.override_warning(ingested, finding_id=warning, actor="mia", reason="my own copy is fine")
    assert overrides(ingested) == []
