"""A brief's progress for the live page: state, a label for the current stage, and the timeline."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from app.api.public import ProgressPublic, StepPublic
from app.models import AuditEntry, Brief, Idea, Variant
from app.pipeline.delivery import dead_deliveries
from app.states import BriefState

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


def brief_progress(session: Session, brief: Brief) -> ProgressPublic:
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
    timeline = _timeline(session, brief)
    now = datetime.now(UTC)
    return ProgressPublic(
        brief_id=brief.id, state=brief.state.value, stage=stage, error=error, done=brief.state in DONE,
        ideas=ideas, variants_expected=expected, variants=dict(states),
        elapsed_s=round(((timeline[-1].at if brief.state in DONE else now) - brief.created_at).total_seconds(), 1),
        timeline=timeline,
    )


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
