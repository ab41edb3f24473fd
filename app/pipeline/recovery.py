"""Re-enqueue work that a lost message left behind (a killed worker, a broker that dropped a task).

:func:`recover` runs when a worker starts and on ``factory recover``. It enqueues each unit of work
that no committed row says is done, except a unit that is

- **claimed**: a live lease (:mod:`app.pipeline.claims`) says a worker is on it right now; or
- **scheduled**: a delivery whose next attempt is due later (its retry message is waiting in the broker;
  enqueueing it now would spend an attempt early and shorten the retry schedule).

:func:`sweep` runs in every worker every ``claim_lease_s``: it re-enqueues the units whose lease
expired (their worker died mid-work) and deliveries overdue by more than a lease (their retry message
was lost with a worker). Enqueueing a unit twice costs nothing: the task takes the unit's lease or
returns, and finds its work done or not due.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from app.db import session_scope
from app.errors import InvalidTransition, NotFound
from app.models import Brief, Delivery, Idea, Variant
from app.pipeline import claims, records
from app.pipeline.delivery import seconds_until_due
from app.pipeline.deps import Deps
from app.pipeline.runner import safe_enqueue
from app.states import BriefState, DeliveryState, VariantState

_VARIANT_TASKS = {
    VariantState.changes_requested: "redraft", VariantState.approved: "compliance",
    VariantState.compliance: "compliance",
}


def pending_work(session: Session) -> list[tuple[str, str]]:
    """``(task, id)`` pairs for every unit waiting on a stage, neither claimed nor scheduled."""
    live = claims.live_keys(session)
    work: list[tuple[str, str]] = []
    briefs = session.exec(select(Brief).where(col(Brief.state).in_(
        [BriefState.submitted, BriefState.ideating, BriefState.drafting]))).all()
    for brief in briefs:
        if brief.state is BriefState.drafting:
            work += [("draft", idea_id) for idea_id in _ideas_with_free_slots(session, brief, live)]
        elif claims.ideation_key(brief.id) not in live:
            work.append(("ideate", brief.id))
    variants = session.exec(select(Variant).where(col(Variant.state).in_(list(_VARIANT_TASKS)))).all()
    work += [(_VARIANT_TASKS[v.state], v.id) for v in variants
             if not (v.state is VariantState.changes_requested and claims.redraft_key(v.id) in live)]
    deliveries = session.exec(select(Delivery).where(Delivery.state == DeliveryState.pending)).all()
    work += [("publish", d.variant_id) for d in deliveries
             if seconds_until_due(d) <= 0 and claims.delivery_key(d.id) not in live]
    return work


def recover(deps: Deps) -> list[tuple[str, str]]:
    with Session(deps.engine) as session:
        work = pending_work(session)
    for task, item_id in work:
        safe_enqueue(deps, task, item_id)
    return work


def sweep(deps: Deps) -> list[tuple[str, str]]:
    """Enqueue the units whose worker is gone (lease expired, or owner dead on this machine) and the
    deliveries overdue by more than one lease."""
    lease = timedelta(seconds=deps.settings.claim_lease_s)
    with Session(deps.engine) as session:
        expired = claims.expired(session)
        overdue = session.exec(select(Delivery).where(
            Delivery.state == DeliveryState.pending,
            col(Delivery.next_attempt_at) < claims.now_utc() - lease)).all()
        live = claims.live_keys(session)
        late = [("publish", d.variant_id) for d in overdue if claims.delivery_key(d.id) not in live]
    # Deleting the expired lease first makes one sweeper (of several workers) the one that enqueues it.
    freed = [(c.task, c.item_id) for c in expired if claims.drop_if_expired(deps.engine, c)]
    work = list(dict.fromkeys(freed + late))  # one message per task and item (an idea has several slots)
    for task, item_id in work:
        safe_enqueue(deps, task, item_id)
    return work


def _ideas_with_free_slots(session: Session, brief: Brief, live: set[str]) -> list[str]:
    """Ideas of a drafting brief with a slot that is neither written nor held by a live lease."""
    ideas = session.exec(select(Idea.id).where(Idea.brief_id == brief.id).order_by(col(Idea.ordinal))).all()
    written = {(v.idea_id, v.channel, v.ordinal) for v in session.exec(
        select(Variant).where(Variant.brief_id == brief.id, Variant.revision == 1))}
    slots = [(channel, ordinal) for channel in brief.channels for ordinal in range(1, brief.n_variants + 1)]
    return [idea_id for idea_id in ideas
            if any((idea_id, c, o) not in written and claims.draft_key(idea_id, c, o) not in live for c, o in slots)]


def retry_brief(deps: Deps, *, brief_id: str, actor: str) -> None:
    """Move a failed brief back to the stage its stored rows say it reached, and enqueue that stage."""
    with session_scope(deps.engine) as session:
        brief = records.lock_brief(session, brief_id)
        if brief is None:
            raise NotFound(f"no brief with id {brief_id!r}")
        if brief.state is not BriefState.failed:
            raise InvalidTransition(f"brief {brief_id} is {brief.state.value}; only failed briefs are retried")
        has_ideas = session.exec(select(Idea.id).where(Idea.brief_id == brief_id)).first() is not None
        target = BriefState.drafting if has_ideas else BriefState.submitted
        records.set_brief_state(session, brief, target, actor=actor, reason="retry requested")
        # Drafting resumes at the first empty slot: variants already written are kept.
    recover(deps)
