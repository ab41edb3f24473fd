"""Re-enqueue work that a lost message left behind (a killed worker, a broker that dropped a task).

Every stage task is idempotent, so enqueueing one that is already queued or done costs at most a
no-op. Runs when a worker starts and on ``factory recover``.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.db import session_scope
from app.errors import InvalidTransition, NotFound
from app.models import Brief, Delivery, Idea, Variant
from app.pipeline import records
from app.pipeline.deps import Deps
from app.pipeline.runner import safe_enqueue
from app.states import BriefState, DeliveryState, VariantState


def pending_work(session: Session) -> list[tuple[str, str]]:
    """``(task, id)`` pairs for every item waiting on a stage that no committed row says is done."""
    work: list[tuple[str, str]] = []
    briefs = session.exec(select(Brief).where(col(Brief.state).in_(
        [BriefState.submitted, BriefState.ideating, BriefState.drafting]))).all()
    for brief in briefs:
        if brief.state is BriefState.drafting:
            ideas = session.exec(select(Idea.id).where(Idea.brief_id == brief.id)).all()
            work += [("draft", i) for i in ideas]
        else:
            work.append(("ideate", brief.id))
    by_state = {
        VariantState.changes_requested: "redraft", VariantState.approved: "compliance",
        VariantState.compliance: "compliance",
    }
    variants = session.exec(select(Variant).where(col(Variant.state).in_(list(by_state)))).all()
    work += [(by_state[v.state], v.id) for v in variants]
    deliveries = session.exec(select(Delivery).where(Delivery.state == DeliveryState.pending)).all()
    work += [("publish", d.variant_id) for d in deliveries]
    return work


def recover(deps: Deps) -> list[tuple[str, str]]:
    with Session(deps.engine) as session:
        work = pending_work(session)
    for task, item_id in work:
        safe_enqueue(deps, task, item_id)
    return work


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
