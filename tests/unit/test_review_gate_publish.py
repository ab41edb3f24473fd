"""Review decisions, the compliance gate and publishing to the outbox, on a real database."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from app.errors import InvalidTransition
from app.models import Brief, CheckFinding, Delivery, Variant
from app.pipeline import delivery, gate, review, runner
from app.schemas import BriefCreate
from app.states import BriefState, DeliveryState, VariantState
from tests.fakes import BANNED_DRAFT, CLEAN_DRAFT
from tests.unit.helpers import drafted

BRIEF = BriefCreate(brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=1, n_variants=1,
                    audience="evening tea drinkers", goal="launch", key_message="caffeine-free")


def one_variant(deps, llm, enqueued, draft=CLEAN_DRAFT) -> Variant:
    return drafted(deps, llm, enqueued, draft, brief=BRIEF)


def state_of(deps, variant_id):
    with Session(deps.engine) as s:
        return s.get(Variant, variant_id).state


def test_approved_clean_variant_is_published_to_the_outbox_exactly_once(ingested, fake_llm, enqueued):
    variant = one_variant(ingested, fake_llm, enqueued)
    review.approve(ingested, variant_id=variant.id, actor="rob")
    gate.run_compliance(variant.id, ingested)
    gate.run_compliance(variant.id, ingested)  # redelivered
    assert delivery.run_publish(variant.id, ingested).status == "delivered"
    assert delivery.run_publish(variant.id, ingested).status == "nothing"  # redelivered
    files = list(ingested.settings.outbox_dir.glob("*.json"))
    assert len(files) == 1
    assert json.loads(files[0].read_text())["payload"]["headline"] == CLEAN_DRAFT["headline"]
    assert state_of(ingested, variant.id) is VariantState.published
    with Session(ingested.engine) as s:
        assert len(s.exec(select(Delivery)).all()) == 1


def test_banned_term_blocks_at_the_gate_and_returns_to_review_with_reasons(ingested, fake_llm, enqueued):
    variant = one_variant(ingested, fake_llm, enqueued, draft=BANNED_DRAFT)
    review.approve(ingested, variant_id=variant.id, actor="rob")
    gate.run_compliance(variant.id, ingested)
    assert state_of(ingested, variant.id) is VariantState.blocked
    with Session(ingested.engine) as s:
        blocking = s.exec(select(CheckFinding).where(CheckFinding.gate == "compliance",
                                                     CheckFinding.passed == False)).all()  # noqa: E712
        assert s.exec(select(Delivery)).first() is None
    assert {f.rule for f in blocking} >= {"banned_term:detox", "banned_term:miracle"}
    assert ("publish", variant.id) not in enqueued.take()
    review.request_changes(ingested, variant_id=variant.id, actor="rob", comment="drop the detox claim")


def test_text_edited_after_approval_is_blocked(ingested, fake_llm, enqueued):
    variant = one_variant(ingested, fake_llm, enqueued)
    review.approve(ingested, variant_id=variant.id, actor="rob")
    with Session(ingested.engine) as s:
        row = s.get(Variant, variant.id)
        row.body = row.body + " Now 50% off!"
        s.add(row)
        s.commit()
    gate.run_compliance(variant.id, ingested)
    assert state_of(ingested, variant.id) is VariantState.blocked


def test_request_changes_puts_the_comment_into_the_next_draft(ingested, fake_llm, enqueued):
    variant = one_variant(ingested, fake_llm, enqueued)
    review.request_changes(ingested, variant_id=variant.id, actor="rob", comment="mention the 50 g pouch")
    assert enqueued.take() == [("redraft", variant.id)]
    fake_llm.enqueue(CLEAN_DRAFT)
    runner.run_redraft(variant.id, ingested)
    runner.run_redraft(variant.id, ingested)  # redelivered: no second revision
    assert "mention the 50 g pouch" in fake_llm.history[-1]["messages"][1]["content"]
    with Session(ingested.engine) as s:
        rows = s.exec(select(Variant).order_by(Variant.revision)).all()
    assert [(v.revision, v.state) for v in rows] == [(1, VariantState.superseded), (2, VariantState.in_review)]
    assert rows[1].feedback == "mention the 50 g pouch" and rows[1].parent_id == variant.id


def test_rejecting_the_only_variant_rejects_the_brief(ingested, fake_llm, enqueued):
    variant = one_variant(ingested, fake_llm, enqueued)
    review.reject(ingested, variant_id=variant.id, actor="rob", reason="off brand")
    with Session(ingested.engine) as s:
        assert s.get(Brief, variant.brief_id).state is BriefState.rejected
    with pytest.raises(InvalidTransition):
        review.approve(ingested, variant_id=variant.id, actor="rob")


def test_failing_webhook_is_retried_then_declared_dead(ingested, fake_llm, enqueued, monkeypatch):
    from app.publishing.publisher import SendResult

    variant = one_variant(ingested, fake_llm, enqueued)
    review.approve(ingested, variant_id=variant.id, actor="rob")
    gate.run_compliance(variant.id, ingested)

    class Down:
        target = "http://cms.invalid/hook"

        def send(self, *, delivery_id, payload):
            return SendResult(ok=False, status_code=503, transient=True, error="503", duration_ms=1.0,
                              target=self.target)

    ingested.publisher_factory = Down
    ingested.settings.webhook_retry_schedule_h = [0.0, 0.0]
    outcomes = [delivery.run_publish(variant.id, ingested).status for _ in range(3)]
    assert outcomes == ["retry", "retry", "dead"]
    with Session(ingested.engine) as s:
        assert s.exec(select(Delivery)).one().state is DeliveryState.dead
    delivery.retry_dead(ingested, variant_id=variant.id, actor="ops")
    assert enqueued.take()[-1] == ("publish", variant.id)
