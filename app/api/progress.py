"""A brief's progress for the live page: state, a label for the current stage, and the timeline."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from app.api.public import ProgressPublic, StepPublic
from app.liveness import waiting_note
from app.models import AuditEntry, Brief, Idea, Variant
from app.pipeline.delivery import dead_deliveries
from app.states import BriefState, VariantState

DONE = {BriefState.published, BriefState.rejected, BriefState.failed}
STAGE_LABELS = {
    BriefState.submitted: "Queued for ideation",
    BriefState.ideating: "Writing ideas",
    BriefState.drafting: "Writing drafts",
    BriefState.in_review: "Waiting for review",
    BriefState.changes_requested: "Redrafting with the reviewer's notes",
    BriefState.approved: "Approved; queued for the compliance gate",
    BriefState.compliance: "Compliance checks and publishing",
    BriefState.blocked: "Blocked by the compliance gate",
    BriefState.published: "Published",
    BriefState.rejected: "Rejected",
    BriefState.failed: "Failed",
}
# A variant's state in the words of the brief's summary; superseded revisions are history, not counted.
VARIANT_WORDS = {  # most advanced first
    VariantState.published: "published",
    VariantState.publishing: "publishing",
    VariantState.compliance: "at the compliance gate",
    VariantState.approved: "awaiting compliance",
    VariantState.blocked: "blocked by compliance",
    VariantState.in_review: "waiting for review",
    VariantState.changes_requested: "redrafting",
    VariantState.rejected: "rejected",
}
# Variant states that still need a person or a worker: a brief with one of these is not done, whatever its state.
OPEN_VARIANT_STATES = {VariantState.in_review, VariantState.changes_requested, VariantState.approved,
                       VariantState.compliance, VariantState.blocked, VariantState.publishing}
# Brief and variant states whose next step is a worker's (not a person's): a dead worker stalls them.
WORKER_BRIEF_STATES = {BriefState.submitted, BriefState.ideating, BriefState.drafting, BriefState.changes_requested,
                       BriefState.approved}
WORKER_VARIANT_STATES = {VariantState.changes_requested, VariantState.approved, VariantState.compliance,
                         VariantState.publishing}


def brief_progress(session: Session, brief: Brief, *, worker_stale_s: float | None = None) -> ProgressPublic:
    """The brief's progress. ``stage`` is honest about variants in different states (their summary replaces the
    brief's own label), ``done`` only once no variant waits for anyone; with ``worker_stale_s`` given,
    ``worker_note`` says when the brief waits for a worker and none is alive (:mod:`app.liveness`)."""
    ideas = len(session.exec(select(Idea.id).where(Idea.brief_id == brief.id)).all())
    states = Counter(str(s) for s in session.exec(select(Variant.state).where(Variant.brief_id == brief.id)))
    expected = (ideas or brief.n_ideas) * len(brief.channels) * brief.n_variants
    stage = STAGE_LABELS[brief.state]
    if brief.state is BriefState.drafting:
        stage += f" ({sum(states.values())} of {expected})"
    if brief.state is BriefState.failed and brief.error:
        stage += f": {brief.error}"
    error = brief.error
    dead = dead_deliveries(session, brief.id)
    if dead:  # the brief stays in "compliance": its publication waits for a person, say so and why
        error = "; ".join(f"delivery {d.id} to {d.target} is dead after {d.attempts} attempts: {d.last_error}"
                          for d in dead)
        stage = f"Publication failed ({len(dead)} dead delivery{'ies' if len(dead) > 1 else ''}): retry it from " \
                "Publishing or with `factory review retry-delivery`"
    summary = variant_summary(states)
    if summary and not dead and brief.state is not BriefState.failed:
        stage = summary[0].upper() + summary[1:]
    done = brief.state in DONE and not any(states.get(s.value) for s in OPEN_VARIANT_STATES)
    timeline = _timeline(session, brief)
    now = datetime.now(UTC)
    note = None
    if worker_stale_s is not None and not done and _waits_for_worker(brief.state, states):
        note = waiting_note(session, stale_s=worker_stale_s, waiting_s=(now - _utc(timeline[-1].at)).total_seconds())
    return ProgressPublic(
        brief_id=brief.id, state=brief.state.value, stage=stage, error=error, done=done,
        ideas=ideas, variants_expected=expected, variants=dict(states),
        elapsed_s=round(((timeline[-1].at if done else now) - brief.created_at).total_seconds(), 1),
        timeline=timeline, summary=summary, worker_note=note,
    )


def variant_summary(states: Counter[str]) -> str | None:
    """"1 published, 1 awaiting compliance, 1 redrafting" when the counted variants are in more than one state
    (superseded revisions left out), else None: the brief's own state then says it all."""
    live = [(VariantState(s), n) for s, n in states.items() if n and VariantState(s) in VARIANT_WORDS]
    if len(live) < 2:
        return None
    order = list(VARIANT_WORDS)
    return ", ".join(f"{n} {VARIANT_WORDS[s]}" for s, n in sorted(live, key=lambda p: order.index(p[0])))


def _waits_for_worker(state: BriefState, states: Counter[str]) -> bool:
    return state in WORKER_BRIEF_STATES or any(states.get(s.value) for s in WORKER_VARIANT_STATES)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _timeline(session: Session, brief: Brief) -> list[StepPublic]:
    changes = session.exec(select(AuditEntry).where(
        AuditEntry.brief_id == brief.id, AuditEntry.action == "brief.state_changed").order_by(col(AuditEntry.id))).all()
    marks = [(BriefState.submitted.value, brief.created_at)]
    marks += [(str(e.details.get("to_state")), e.created_at) for e in changes]
    now = datetime.now(UTC)
    steps = []
    for n, (state, at) in enumerate(marks):
        until = marks[n + 1][1] if n + 1 < len(marks) else (at if brief.state in DONE else now)
        steps.append(StepPublic(state=state, at=at, seconds=round(max((until - at).total_seconds(), 0.0), 1)))
    return steps
