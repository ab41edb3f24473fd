"""Claimed work is left to its worker: redelivered tasks and recovery add no LLM call and no audit entry.

Real pipeline code on SQLite; the LLM and the queue are the only fakes.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.models import AuditEntry, Brief, Idea, Variant, WorkClaim
from app.pipeline import claims, gate, recovery, review, runner
from app.schemas import BriefCreate
from app.states import BriefState, VariantState
from tests.fakes import CLEAN_DRAFT, IDEAS
from tests.unit.helpers import drafted

BRIEF = BriefCreate(brand="fernhill", product="quiet-hours", channels=["linkedin", "email"], n_ideas=1,
                    n_variants=1, audience="people winding down after work", goal="autumn launch",
                    key_message="a caffeine-free evening blend")
OTHER_WORKER = "worker-elsewhere:4242"


def _drafting_brief(deps, llm, enqueued) -> tuple[Brief, str]:
    one_idea = {"ideas": IDEAS["ideas"][:1]}
    llm.enqueue(one_idea)
    brief = runner.submit_brief(deps=deps, brief_in=BRIEF, actor="mia")
    runner.run_ideation(brief.id, deps)
    enqueued.take()
    with Session(deps.engine) as s:
        return s.get(Brief, brief.id), s.exec(select(Idea.id).where(Idea.brief_id == brief.id)).one()


def _audit(deps, action: str, **details: str) -> list[AuditEntry]:
    with Session(deps.engine) as s:
        rows = s.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(col(AuditEntry.id))).all()
    return [r for r in rows if all(r.details.get(k) == v for k, v in details.items())]


def _expire(deps, key: str) -> None:
    with deps.engine.begin() as conn:
        conn.execute(update(WorkClaim).where(col(WorkClaim.key) == key)
                     .values(expires_at=claims.now_utc() - timedelta(seconds=1)))


def test_a_draft_slot_another_live_worker_holds_is_not_drafted_again(ingested, fake_llm, enqueued):
    brief, idea_id = _drafting_brief(ingested, fake_llm, enqueued)
    held = claims.draft_key(idea_id, "linkedin", 1)
    assert claims.try_claim(ingested.engine, held, task="draft", item_id=idea_id, lease_s=60, owner=OTHER_WORKER)
    fake_llm.enqueue(CLEAN_DRAFT)
    calls_before = len(fake_llm.history)

    runner.run_drafting(idea_id, ingested)  # e.g. a redelivered message, or one recovery enqueued

    assert len(fake_llm.history) == calls_before + 1, "only the free email slot is drafted"
    assert [v.channel for v in _variants(ingested, brief.id)] == ["email"]
    assert _brief_state(ingested, brief.id) is BriefState.drafting, "the holder finishes the brief"


def test_recovery_leaves_a_slot_under_a_live_lease_alone(ingested, fake_llm, enqueued):
    _brief, idea_id = _drafting_brief(ingested, fake_llm, enqueued)
    for channel in BRIEF.channels:
        claims.try_claim(ingested.engine, claims.draft_key(idea_id, channel, 1), task="draft", item_id=idea_id,
                         lease_s=60, owner=OTHER_WORKER)

    assert recovery.recover(ingested) == []
    assert recovery.recover(ingested) == []
    assert enqueued.take() == []


def test_a_slot_whose_worker_died_is_swept_up_and_drafted_once(ingested, fake_llm, enqueued):
    brief, idea_id = _drafting_brief(ingested, fake_llm, enqueued)
    for channel in BRIEF.channels:
        key = claims.draft_key(idea_id, channel, 1)
        claims.try_claim(ingested.engine, key, task="draft", item_id=idea_id, lease_s=60, owner=OTHER_WORKER)
        _expire(ingested, key)  # its worker was SIGKILLed: nobody renews the lease

    assert recovery.sweep(ingested) == [("draft", idea_id)], "one enqueue for the idea, not one per slot"
    assert recovery.sweep(ingested) == [], "a second sweeper finds nothing left to re-enqueue"
    fake_llm.enqueue(CLEAN_DRAFT, CLEAN_DRAFT)
    for _task, item in enqueued.take():
        runner.run_drafting(item, ingested)

    assert sorted(v.channel for v in _variants(ingested, brief.id)) == ["email", "linkedin"]
    assert _brief_state(ingested, brief.id) is BriefState.in_review
    assert len(_audit(ingested, "variant.created")) == 2
    with Session(ingested.engine) as s:
        assert s.exec(select(WorkClaim)).all() == [], "finished work releases its leases"


def test_redelivered_ideation_while_another_worker_ideates_calls_no_model(ingested, fake_llm, enqueued):
    brief = runner.submit_brief(deps=ingested, brief_in=BRIEF, actor="mia")
    claims.try_claim(ingested.engine, claims.ideation_key(brief.id), task="ideate", item_id=brief.id, lease_s=60,
                     owner=OTHER_WORKER)

    runner.run_ideation(brief.id, ingested)

    assert fake_llm.history == []
    assert _audit(ingested, "brief.state_changed") == []
    assert ("ideate", brief.id) not in recovery.pending_work(Session(ingested.engine))


def test_a_lease_is_renewed_while_its_holder_works_and_taken_over_only_once_expired(ingested):
    engine, key = ingested.engine, "draft:some-idea:linkedin:1"
    assert claims.try_claim(engine, key, task="draft", item_id="some-idea", lease_s=60, owner="a:1")
    assert not claims.try_claim(engine, key, task="draft", item_id="some-idea", lease_s=60, owner="b:2")
    assert claims.renew(engine, key, lease_s=60, owner="a:1")
    _expire(ingested, key)
    assert claims.try_claim(engine, key, task="draft", item_id="some-idea", lease_s=60, owner="b:2")
    assert not claims.renew(engine, key, lease_s=60, owner="a:1"), "the old holder learns it lost the lease"


def test_a_lapsed_lease_of_a_live_process_on_this_machine_is_neither_taken_nor_swept(ingested):
    import socket
    import subprocess
    import sys

    engine, key = ingested.engine, "draft:busy-idea:email:1"
    busy = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # starved of renewals, alive
    try:
        owner = f"{socket.gethostname()}:{busy.pid}"
        assert claims.try_claim(engine, key, task="draft", item_id="busy-idea", lease_s=60, owner=owner)
        _expire(ingested, key)
        assert not claims.try_claim(engine, key, task="draft", item_id="busy-idea", lease_s=60, owner="b:2")
        assert recovery.sweep(ingested) == []
        busy.kill()
        busy.wait()
        assert recovery.sweep(ingested) == [("draft", "busy-idea")], "once the process is gone, the unit is free"
    finally:
        busy.kill()


def test_the_lease_of_a_worker_killed_on_this_machine_is_free_at_once(ingested, fake_llm, enqueued):
    import socket
    import subprocess
    import sys

    _brief, idea_id = _drafting_brief(ingested, fake_llm, enqueued)
    victim = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    owner = f"{socket.gethostname()}:{victim.pid}"
    for channel in BRIEF.channels:
        claims.try_claim(ingested.engine, claims.draft_key(idea_id, channel, 1), task="draft", item_id=idea_id,
                         lease_s=600, owner=owner)
    assert recovery.recover(ingested) == [], "its worker is alive: the slots are left to it"

    victim.kill()
    victim.wait()

    assert recovery.recover(ingested) == [("draft", idea_id)], "no need to wait out a dead worker's lease"
    assert claims.try_claim(ingested.engine, claims.draft_key(idea_id, "email", 1), task="draft", item_id=idea_id,
                            lease_s=60, owner="new-worker:1")


def test_redelivered_compliance_writes_the_approved_to_compliance_entry_once(ingested, fake_llm, enqueued):
    variant = drafted(ingested, fake_llm, enqueued, CLEAN_DRAFT, brief=_one_slot())
    review.approve(ingested, variant_id=variant.id, actor="rob")

    gate.run_compliance(variant.id, ingested)
    gate.run_compliance(variant.id, ingested)

    assert len(_audit(ingested, "variant.state_changed", to_state="compliance")) == 1
    assert len(_audit(ingested, "checks.compliance")) == 1
    assert len(_audit(ingested, "delivery.created")) == 1


def test_compliance_run_that_loses_the_race_to_the_verdict_adds_nothing(ingested, fake_llm, enqueued):
    variant = drafted(ingested, fake_llm, enqueued, CLEAN_DRAFT, brief=_one_slot())
    review.approve(ingested, variant_id=variant.id, actor="rob")
    evaluate = ingested.guardrails.evaluate
    raced: list[bool] = []

    def checks_while_a_redelivered_copy_finishes(*args, **kwargs):
        if not raced:  # the first run is checking when its redelivered copy runs from start to end
            raced.append(True)
            gate.run_compliance(variant.id, ingested)
        return evaluate(*args, **kwargs)

    ingested.guardrails.evaluate = checks_while_a_redelivered_copy_finishes  # type: ignore[method-assign]
    gate.run_compliance(variant.id, ingested)

    assert raced
    assert len(_audit(ingested, "variant.state_changed", to_state="compliance")) == 1
    assert len(_audit(ingested, "variant.state_changed", to_state="publishing")) == 1
    assert len(_audit(ingested, "checks.compliance")) == 1
    assert enqueued.take().count(("publish", variant.id)) == 1


def test_a_state_change_that_lost_the_race_reports_it_and_writes_no_entry(ingested, fake_llm, enqueued):
    from app.db import session_scope
    from app.pipeline import records

    variant = drafted(ingested, fake_llm, enqueued, CLEAN_DRAFT, brief=_one_slot())
    with Session(ingested.engine) as stale_session:
        stale = stale_session.get(Variant, variant.id)  # read as in_review by a slower worker
    review.approve(ingested, variant_id=variant.id, actor="rob")
    entries = len(_audit(ingested, "variant.state_changed"))

    with session_scope(ingested.engine) as s:
        s.add(stale)
        moved = records.set_variant_state(s, stale, VariantState.rejected, actor="slow-worker")

    assert moved is False
    assert len(_audit(ingested, "variant.state_changed")) == entries
    assert _variant_state(ingested, variant.id) is VariantState.approved


def _one_slot() -> BriefCreate:
    return BRIEF.model_copy(update={"channels": ["linkedin"]})


def _variants(deps, brief_id: str) -> list[Variant]:
    with Session(deps.engine) as s:
        return list(s.exec(select(Variant).where(Variant.brief_id == brief_id)))


def _brief_state(deps, brief_id: str) -> BriefState:
    with Session(deps.engine) as s:
        return s.get(Brief, brief_id).state  # type: ignore[union-attr]


def _variant_state(deps, variant_id: str) -> VariantState:
    with Session(deps.engine) as s:
        return s.get(Variant, variant_id).state  # type: ignore[union-attr]
