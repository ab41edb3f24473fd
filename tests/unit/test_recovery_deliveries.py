"""Deliveries under faults: recovery never spends a scheduled attempt early, the schedule is in hours,
410 disables the endpoint, and a dead delivery is visible and keeps its attempt numbers when retried.

Real pipeline and publisher code on SQLite; the receiver is an ``httpx.MockTransport`` (the HTTP seam).
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.errors import InvalidTransition
from app.models import AuditEntry, Delivery, DeliveryAttempt, DisabledEndpoint
from app.pipeline import claims, delivery, gate, recovery, review
from app.publishing.publisher import WebhookPublisher
from app.schemas import BriefCreate
from tests.fakes import CLEAN_DRAFT
from tests.unit.helpers import drafted

BRIEF = BriefCreate(brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=1, n_variants=1,
                    audience="night-shift nurses", goal="trial packs", key_message="caffeine-free, for winding down")
CMS_URL = "https://cms.example.test/hooks/content"


class Receiver:
    """A CMS that answers each request with the next queued status (the last one repeats)."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.ids: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.ids.append(request.headers["webhook-id"])
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return httpx.Response(status, text="" if status < 300 else "receiver says no")


def publishing(deps, llm, enqueued, receiver: Receiver, schedule_h: list[float]) -> str:
    """A variant approved and through the gate, its delivery pending, publishing to ``receiver``."""
    deps.settings.webhook_retry_schedule_h = schedule_h
    secret = deps.settings.webhook_secret.get_secret_value()
    deps.publisher_factory = lambda: WebhookPublisher(
        url=CMS_URL, secret=secret, client=httpx.Client(transport=httpx.MockTransport(receiver)))
    variant = drafted(deps, llm, enqueued, CLEAN_DRAFT, brief=BRIEF)
    review.approve(deps, variant_id=variant.id, actor="rob")
    gate.run_compliance(variant.id, deps)
    enqueued.take()
    return variant.id


def the_delivery(deps) -> Delivery:
    with Session(deps.engine) as s:
        return s.exec(select(Delivery)).one()


def attempt_numbers(deps) -> list[int]:
    with Session(deps.engine) as s:
        return [a.attempt_no for a in s.exec(select(DeliveryAttempt).order_by(col(DeliveryAttempt.id)))]


def make_due(deps) -> None:
    """Time passes: the scheduled attempt is now due."""
    with deps.engine.begin() as conn:
        conn.execute(update(Delivery).values(next_attempt_at=claims.now_utc() - timedelta(seconds=1)))


def test_recovery_during_an_outage_does_not_spend_scheduled_attempts(ingested, fake_llm, enqueued):
    receiver = Receiver(503)
    variant_id = publishing(ingested, fake_llm, enqueued, receiver, schedule_h=[1.0, 2.0])
    assert delivery.run_publish(variant_id, ingested).status == "retry"

    for _ in range(3):  # an operator runs `factory recover`, workers restart
        assert ("publish", variant_id) not in recovery.recover(ingested)
    assert delivery.run_publish(variant_id, ingested).status == "nothing"  # a redelivered message arrives early

    assert receiver.ids == [the_delivery(ingested).id]
    assert the_delivery(ingested).attempts == 1
    make_due(ingested)
    assert ("publish", variant_id) in recovery.recover(ingested), "once due, a lost retry message is replaced"


def test_the_next_attempt_waits_the_scheduled_hours(ingested, fake_llm, enqueued):
    variant_id = publishing(ingested, fake_llm, enqueued, Receiver(502), schedule_h=[0.5, 2.0])
    before = claims.now_utc()

    outcome = delivery.run_publish(variant_id, ingested)

    assert outcome.retry_in_s == pytest.approx(1800.0)
    wait = claims.as_utc(the_delivery(ingested).next_attempt_at) - before  # type: ignore[arg-type]
    assert timedelta(minutes=30) <= wait < timedelta(minutes=31)


def test_a_delivery_claimed_by_a_live_worker_is_not_sent_twice(ingested, fake_llm, enqueued):
    receiver = Receiver(200)
    variant_id = publishing(ingested, fake_llm, enqueued, receiver, schedule_h=[1.0])
    key = claims.delivery_key(the_delivery(ingested).id)
    claims.try_claim(ingested.engine, key, task="publish", item_id=variant_id, lease_s=60, owner="other:1")

    assert delivery.run_publish(variant_id, ingested).status == "nothing"
    assert recovery.recover(ingested) == []
    assert receiver.ids == []


@pytest.mark.parametrize("status", [401, 403, 404, 429])
def test_endpoint_side_client_errors_are_retried_on_the_schedule(ingested, fake_llm, enqueued, status):
    variant_id = publishing(ingested, fake_llm, enqueued, Receiver(status, 200), schedule_h=[0.0])
    assert delivery.run_publish(variant_id, ingested).status == "retry"
    assert delivery.run_publish(variant_id, ingested).status == "delivered"


def test_a_request_the_receiver_refuses_as_such_is_dead_at_once(ingested, fake_llm, enqueued):
    variant_id = publishing(ingested, fake_llm, enqueued, Receiver(422), schedule_h=[0.0, 0.0])
    assert delivery.run_publish(variant_id, ingested).status == "dead"
    assert attempt_numbers(ingested) == [1]


def test_gone_disables_the_endpoint_until_a_person_re_enables_it(ingested, fake_llm, enqueued):
    receiver = Receiver(410, 200)
    variant_id = publishing(ingested, fake_llm, enqueued, receiver, schedule_h=[0.0])

    assert delivery.run_publish(variant_id, ingested).status == "dead"
    with pytest.raises(InvalidTransition, match="enable-endpoint"):
        delivery.retry_dead(ingested, variant_id=variant_id, actor="ops")

    delivery.enable_endpoint(ingested, target=CMS_URL, actor="ops")
    delivery.retry_dead(ingested, variant_id=variant_id, actor="ops")
    assert delivery.run_publish(variant_id, ingested).status == "delivered"
    with Session(ingested.engine) as s:
        actions = [e.action for e in s.exec(select(AuditEntry).where(AuditEntry.subject_type == "endpoint"))]
        assert s.exec(select(DisabledEndpoint)).all() == []
    assert actions == ["endpoint.disabled", "endpoint.enabled"]


def test_a_disabled_endpoint_gets_no_request_for_other_deliveries(ingested, fake_llm, enqueued):
    receiver = Receiver(200)
    variant_id = publishing(ingested, fake_llm, enqueued, receiver, schedule_h=[0.0])
    with ingested.engine.begin() as conn:  # another delivery to this URL got 410 a moment ago
        conn.execute(DisabledEndpoint.__table__.insert().values(  # type: ignore[attr-defined]
            target=CMS_URL, status=410, reason="HTTP 410 Gone", disabled_at=claims.now_utc()))

    assert delivery.run_publish(variant_id, ingested).status == "dead"
    assert receiver.ids == []
    assert "endpoint disabled" in (the_delivery(ingested).last_error or "")


def test_a_dead_delivery_shows_on_the_brief_progress(ingested, fake_llm, enqueued, client, mia):
    variant_id = publishing(ingested, fake_llm, enqueued, Receiver(503), schedule_h=[0.0])
    delivery.run_publish(variant_id, ingested)
    assert delivery.run_publish(variant_id, ingested).status == "dead"
    dead = the_delivery(ingested)

    progress = client.get(f"/briefs/{dead.brief_id}/progress", headers=mia).json()

    assert progress["state"] == "compliance"
    assert "Publication failed" in progress["stage"]
    assert dead.id in progress["error"] and "503" in progress["error"]


def test_a_dead_delivery_shows_on_the_brief_page_and_the_briefs_list(ingested, fake_llm, enqueued, client):
    from tests.unit.test_api import sign_in_page

    variant_id = publishing(ingested, fake_llm, enqueued, Receiver(400), schedule_h=[0.0])
    assert delivery.run_publish(variant_id, ingested).status == "dead"
    dead = the_delivery(ingested)
    sign_in_page(client, ingested, "mara", ["marketer"])

    page = client.get(f"/ui/briefs/{dead.brief_id}").text
    listing = client.get("/ui/briefs").text

    assert 'id="progress-error"' in page and dead.id in page and "400" in page
    assert "delivery dead" in listing


def test_attempt_numbers_keep_counting_across_manual_retries(ingested, fake_llm, enqueued):
    variant_id = publishing(ingested, fake_llm, enqueued, Receiver(503, 503, 503, 200), schedule_h=[0.0])
    assert [delivery.run_publish(variant_id, ingested).status for _ in range(2)] == ["retry", "dead"]

    delivery.retry_dead(ingested, variant_id=variant_id, actor="ops")
    assert [delivery.run_publish(variant_id, ingested).status for _ in range(2)] == ["retry", "delivered"]

    assert attempt_numbers(ingested) == [1, 2, 3, 4]
    with Session(ingested.engine) as s:
        attempts = [e.details["attempt"] for e in s.exec(select(AuditEntry)
                                                            .where(AuditEntry.action == "delivery.attempt"))]
    assert attempts == [1, 2, 3, 4], "no two audit entries describe the same attempt"
