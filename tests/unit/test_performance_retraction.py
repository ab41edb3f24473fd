"""Arms leave at once when a claim they cite is withdrawn, their approval is revoked or compliance retracts
them; the CMS gets a signed ``content.retracted``; the stopping rule declares a winner, audited."""

from __future__ import annotations

import base64
import json
import shutil

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.api.main import create_app
from app.models import AuditEntry
from app.performance import retraction, slots
from app.performance.aggregate import run_aggregation
from app.performance.events import ingest
from app.performance.models import Retraction, Slot
from app.pipeline.deps import Deps
from app.publishing.publisher import WebhookPublisher
from app.publishing.signing import verify
from tests.unit.helpers import bearer
from tests.unit.performance_helpers import seeded_slot, traffic

SECRET = "whsec_" + base64.b64encode(b"the factory's webhook key, 32 b.").decode()
EVERY_BRAND = lambda _brand: True  # noqa: E731


@pytest.fixture
def slot(deps: Deps) -> tuple[str, list[str]]:
    return seeded_slot(deps, [["C-001"], ["C-001", "quiet-hours.certification"], ["quiet-hours.caffeine"]])


@pytest.fixture
def client(deps: Deps) -> TestClient:
    return TestClient(create_app(deps=deps))


def live(deps: Deps, slot_id: str) -> set[str]:
    return set(slots.evaluate(deps, slot_id, sees=EVERY_BRAND).weights())


def test_withdrawing_a_claim_removes_the_variants_citing_it_at_once_and_queues_notices(client, deps, slot,
                                                                                        enqueued):
    slot_id, (a, b, c) = slot
    officer = bearer(deps, "cai", ["compliance"])
    answer = client.post("/brands/fernhill/claims/C-001/withdraw", json={"reason": "certificate lapsed"},
                         headers=officer).json()
    assert {r["variant_id"] for r in answer["retracted"]} == {a, b}
    assert live(deps, slot_id) == {c}
    assert sorted(enqueued.take()) == sorted(("notify_retraction", r["id"]) for r in answer["retracted"])
    again = client.post("/brands/fernhill/claims/C-001/withdraw", json={"reason": "again"}, headers=officer).json()
    assert again["retracted"] == [] and enqueued.take() == []


def test_the_retraction_notice_is_a_signed_webhook_with_a_stable_id(deps, slot):
    _slot, (a, _b, _c) = slot
    received: list[httpx.Request] = []

    def cms(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(503 if len(received) == 1 else 204)

    client = httpx.Client(transport=httpx.MockTransport(cms))
    deps.publisher_factory = lambda: WebhookPublisher(url="https://cms.test/hooks", secret=SECRET, client=client)
    made = retraction.retract(deps, variant_id=a, kind="compliance_retracted", reason="claim scope", actor="cai")
    assert made is not None
    first = retraction.send_notice(made.id, deps)
    assert first.status == "retry" and first.retry_in_s > 0
    assert retraction.send_notice(made.id, deps).status == "delivered"
    assert retraction.send_notice(made.id, deps).status == "nothing"
    assert [r.headers["webhook-id"] for r in received] == [made.id, made.id]
    verify(secret=SECRET, headers=dict(received[-1].headers), body=received[-1].content)
    payload = json.loads(received[-1].content)
    assert payload["type"] == "content.retracted" and payload["variant_id"] == a
    with Session(deps.engine) as s:
        assert s.get(Retraction, made.id).notice_state == "delivered"


def test_a_claim_removed_from_the_brands_file_retracts_the_variants_citing_it(deps, slot, tmp_path, enqueued):
    slot_id, (a, b, c) = slot
    kb = tmp_path / "kb"
    shutil.copytree(deps.settings.brand_kb_dir / "fernhill", kb / "fernhill")
    claims = (kb / "fernhill" / "claims.yaml").read_text()
    (kb / "fernhill" / "claims.yaml").write_text(claims.replace("  - id: C-001\n", "  - id: C-001-withdrawn\n"))
    deps.settings.brand_kb_dir = kb
    assert live(deps, slot_id) == {c}
    with Session(deps.engine) as s:
        kinds = {r.variant_id: r.kind for r in s.exec(select(Retraction))}
    assert kinds == {a: "claim_withdrawn", b: "claim_withdrawn"}
    assert len([t for t, _id in enqueued.take() if t == "notify_retraction"]) == 2


def test_a_reviewer_revokes_an_approval_once(client, deps, slot):
    slot_id, (_a, _b, c) = slot
    reviewer = bearer(deps, "rob", ["reviewer"])
    first = client.post(f"/variants/{c}/retract", json={"reason": "the offer ended"}, headers=reviewer)
    assert first.status_code == 200 and first.json()["kind"] == "approval_revoked"
    assert c not in live(deps, slot_id)
    assert client.post(f"/variants/{c}/retract", json={"reason": "again"}, headers=reviewer).status_code == 409
    marketer = bearer(deps, "mia", ["marketer"])
    assert client.post(f"/variants/{c}/retract", json={"reason": "x"}, headers=marketer).status_code == 403


def test_a_slot_with_every_arm_retracted_has_no_choice(client, deps, slot):
    slot_id, ids = slot
    for variant_id in ids:
        retraction.retract(deps, variant_id=variant_id, kind="approval_revoked", reason="campaign over", actor="rob")
    cms = bearer(deps, "cms", ["analytics"])
    assert client.get(f"/slots/{slot_id}/choice", headers=cms).status_code == 404


def test_a_clear_winner_is_declared_once_audited_and_may_take_the_slot_alone(deps, slot):
    slot_id, (a, b, c) = slot
    deps.settings.bandit_min_impressions = 300
    events = (traffic(a, prefix="a", impressions=300, clicks=6) + traffic(b, prefix="b", impressions=300, clicks=45)
              + traffic(c, prefix="c", impressions=300, clicks=9))
    ingest(deps.engine, events[:500], brands=None, source="test")
    run_aggregation(deps)
    with Session(deps.engine) as s:
        assert s.get(Slot, slot_id).winner_variant_id is None  # not every arm has its minimum yet
    ingest(deps.engine, events[500:], brands=None, source="test")
    run_aggregation(deps)
    run_aggregation(deps)
    with Session(deps.engine) as s:
        row = s.get(Slot, slot_id)
        declared = s.exec(select(AuditEntry).where(AuditEntry.action == "slot.winner_declared")).all()
    assert row.winner_variant_id == b and row.winner_probability >= 0.95
    assert len(declared) == 1 and declared[0].details["variant_id"] == b
    assert 0 < slots.evaluate(deps, slot_id, sees=EVERY_BRAND).weights()[b] < 1
    deps.settings.bandit_winner_only = True
    assert slots.evaluate(deps, slot_id, sees=EVERY_BRAND).weights() == {a: 0.0, b: 1.0, c: 0.0}


def test_a_brief_whose_goal_is_conversions_is_allocated_on_conversions_per_impression(deps):
    slot_id, (a, b) = seeded_slot(deps, [["C-001"], ["C-001"]], goal="drive conversions in the web shop")
    events = traffic(a, prefix="a", impressions=300, clicks=60) + traffic(b, prefix="b", impressions=300, clicks=10)
    events += [{**e, "id": f"conv-{n}", "type": "conversion", "value": 20.0, "currency": "EUR"}
               for n, e in enumerate(traffic(b, prefix="x", impressions=0, clicks=9))]
    ingest(deps.engine, events, brands=None, source="test")
    run_aggregation(deps)
    view = slots.evaluate(deps, slot_id, sees=EVERY_BRAND)
    assert view.goal == "conversion"
    weights = view.weights()
    assert weights[b] > weights[a]  # a gets the clicks, b the sales
