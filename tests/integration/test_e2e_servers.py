"""The same brief end to end on the server backends: PostgreSQL, Redis, and a real CMS webhook
receiver on loopback that fails twice before it accepts."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session, select

from app.models import Delivery, DeliveryAttempt
from app.pipeline.runner import submit_brief
from app.states import BriefState, DeliveryState
from tests.integration.harness import SMALL_BRIEF, blocking_rules_in, drain, make_factory
from tests.integration.servers import FlakyCMS, fresh_postgres_database, require_redis

pytestmark = [pytest.mark.integration, pytest.mark.slow]
SECRET = "whsec_" + "dGVzdC1zZWNyZXQtZm9yLWludGVncmF0aW9uLXRlc3Rz"


def test_brief_is_published_once_through_redis_postgres_and_a_flaky_webhook(tmp_path, embedder):
    redis_url = require_redis()
    with fresh_postgres_database() as db_url, FlakyCMS(SECRET, failures=2) as cms:
        factory = make_factory(
            tmp_path, embedder, CF_DATABASE_URL=db_url, CF_BROKER_URL=redis_url,
            CF_QUEUE_NAME=f"factory-test-{uuid.uuid4().hex[:8]}", CF_WEBHOOK_URL=cms.url,
            CF_WEBHOOK_SECRET=SECRET, CF_WEBHOOK_RETRY_SCHEDULE_H="[0.0001, 0.0001, 0.0001]",
        )
        assert factory.settings.backends()["database"] == "postgresql"
        with factory.worker() as worker:
            brief = submit_brief(deps=factory.deps, brief_in=SMALL_BRIEF, actor="mia")
            assert factory.wait_state(brief.id, {BriefState.in_review, BriefState.failed}, worker) \
                is BriefState.in_review, factory.brief(brief.id).error
            variant = factory.review_to_publication(brief.id, worker)
            before = factory.counts()
            factory.deps.enqueue("publish", variant.id)  # a redelivered publish message
            factory.deps.enqueue("draft", variant.idea_id)
            drain(worker, extra_tasks=2)
            assert factory.counts() == before
        with Session(factory.deps.engine) as s:
            delivery = s.exec(select(Delivery)).one()
            attempts = s.exec(select(DeliveryAttempt).order_by(DeliveryAttempt.attempt_no)).all()
        factory.deps.engine.dispose()

    assert [a.status_code for a in attempts] == [503, 503, 200]
    assert delivery.state is DeliveryState.delivered
    assert cms.bad_signatures == 0
    assert {r["id"] for r in cms.requests} == {delivery.id}, "every retry carries the same webhook-id"
    assert list(cms.accepted) == [delivery.id], "exactly one accepted delivery"
    assert cms.accepted[delivery.id]["content_hash"] == variant.content_hash
    assert blocking_rules_in(factory.settings, cms.accepted[delivery.id]) == [], \
        "no unsupported superlative, health claim or other blocking finding reaches the CMS"
