"""Persistence shared by the stage runners: state changes, LLM calls, retrievals, findings.

Every function adds rows and audit entries to the caller's session; the caller's transaction
commits them together with the change they describe.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from app import audit
from app.guardrails.base import CheckResult
from app.llm.structured import CallRecord
from app.models import Brief, CheckFinding, DraftCandidate, LLMCall, Variant
from app.pipeline import risk, stages
from app.pipeline.retrieval import Retrieval
from app.pipeline.stages import Candidate
from app.retrieval.store import Hit
from app.states import BriefState, VariantState


def lock_brief(session: Session, brief_id: str) -> Brief | None:
    """The brief, row-locked on PostgreSQL so concurrent workers serialise their state changes."""
    return session.exec(select(Brief).where(Brief.id == brief_id).with_for_update()).first()


def set_brief_state(
    session: Session, brief: Brief, new: BriefState, *, actor: str, reason: str | None = None
) -> bool:
    """Move the brief from the state it was read in to ``new``, conditionally: ``UPDATE ... WHERE state =
    <as read>``. False (and no audit entry) when another transaction moved it first, or it is already ``new``."""
    if brief.state == new:
        return False
    moved = session.execute(
        update(Brief).where(col(Brief.id) == brief.id, col(Brief.state) == brief.state)
        .values(state=new, error=reason if new is BriefState.failed else None, updated_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(brief)
        return False
    audit.record(
        session, action="brief.state_changed", actor=actor, subject_type="brief", subject_id=brief.id,
        brief_id=brief.id, from_state=brief.state.value, to_state=new.value, reason=reason,
    )
    brief.state = new
    brief.error = reason if new is BriefState.failed else None
    brief.updated_at = datetime.now(UTC)
    session.add(brief)
    return True


def set_variant_state(
    session: Session, variant: Variant, new: VariantState, *, actor: str, **details: object
) -> bool:
    """Move the variant from the state it was read in to ``new``, conditionally (as :func:`set_brief_state`):
    a redelivered task that lost the race gets False and writes no audit entry."""
    moved = session.execute(
        update(Variant).where(col(Variant.id) == variant.id, col(Variant.state) == variant.state)
        .values(state=new, updated_at=datetime.now(UTC)).execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(variant)
        return False
    audit.record(
        session, action="variant.state_changed", actor=actor, subject_type="variant",
        subject_id=variant.id, brief_id=variant.brief_id, from_state=variant.state.value,
        to_state=new.value, **details,
    )
    variant.state = new
    variant.updated_at = datetime.now(UTC)
    session.add(variant)
    return True


def save_calls(session: Session, brief_id: str, stage: str, calls: list[CallRecord],
               candidate_id: str | None = None) -> None:
    for call in calls:
        row = LLMCall(
            brief_id=brief_id, stage=stage, prompt_ref=call.prompt_ref, prompt_hash=call.prompt_hash,
            model=call.model, params=call.params, attempt=call.attempt, prompt_tokens=call.prompt_tokens,
            completion_tokens=call.completion_tokens, latency_ms=call.latency_ms, ok=call.ok, error=call.error,
            candidate_id=candidate_id,
        )
        session.add(row)
        audit.record(
            session, action="llm.call", actor=f"llm:{call.model}", subject_type="llm_call", subject_id=row.id,
            brief_id=brief_id, stage=stage, prompt=call.prompt_ref, prompt_hash=call.prompt_hash[:12],
            tokens_in=call.prompt_tokens, tokens_out=call.completion_tokens,
            latency_ms=round(call.latency_ms, 1), ok=call.ok, error=call.error,
        )


def save_candidates(session: Session, variant: Variant, candidates: list[Candidate]) -> None:
    """Every best-of-N candidate of the variant's slot, its calls, and one audit entry for the choice."""
    for c in candidates:
        session.add(DraftCandidate(
            id=c.id, brief_id=variant.brief_id, idea_id=variant.idea_id, channel=variant.channel,
            ordinal=variant.ordinal, revision=variant.revision, candidate_no=c.number, headline=c.copy.headline,
            body=c.copy.body, cta=c.copy.cta, content_hash=stages.content_hash(c.copy), score=c.score.total,
            score_components=c.score.components, kept=c.kept, variant_id=variant.id if c.kept else None,
            reason=c.reason, findings=[_finding_summary(f) for f in c.findings if not f.passed],
            prompt_tokens=sum(x.prompt_tokens for x in c.calls),
            completion_tokens=sum(x.completion_tokens for x in c.calls),
        ))
        save_calls(session, variant.brief_id, "draft", c.calls, candidate_id=c.id)
    audit.record(
        session, action="variant.selected", actor="system:selection", subject_type="variant",
        subject_id=variant.id, brief_id=variant.brief_id,
        candidates=[{"id": c.id, "score": c.score.total, "kept": c.kept, "reason": c.reason} for c in candidates],
    )


def _finding_summary(r: CheckResult) -> dict[str, object]:
    return {"check": r.check, "rule": r.rule, "severity": r.severity.value, "reason": r.reason}


def save_retrieval(session: Session, brief_id: str, subject_id: str, found: Retrieval) -> None:
    audit.record(
        session, action="kb.retrieved", actor=audit.SYSTEM, subject_type="retrieval", subject_id=subject_id,
        brief_id=brief_id, chunks=[_hit_summary(h) for h in found.hits],
    )
    if found.dropped:
        audit.record(
            session, action="kb.injection_dropped", actor="system:guardrails", subject_type="retrieval",
            subject_id=subject_id, brief_id=brief_id, chunks=[_hit_summary(h) for h in found.dropped],
        )


def _hit_summary(hit: Hit) -> dict[str, object]:
    return {"id": hit.id, "score": round(hit.score, 3), "source": hit.source_path, "language": hit.language}


def save_findings(session: Session, variant: Variant, gate: str, results: list[CheckResult]) -> None:
    for r in results:
        session.add(CheckFinding(
            variant_id=variant.id, gate=gate, check=r.check, rule=r.rule, passed=r.passed,
            severity=r.severity.value, spans=[list(s) for s in r.spans], reason=r.reason,
            evidence=r.evidence, suggestion=r.suggestion, language=variant.language,
        ))
    risk.refresh_risk(session, variant)  # the queue's stored order changes with the findings, in this transaction
    failed = [r for r in results if not r.passed]
    audit.record(
        session, action=f"checks.{gate}", actor=audit.SYSTEM, subject_type="variant", subject_id=variant.id,
        brief_id=variant.brief_id, passed=not any(r.blocks for r in results),
        checks=sorted({r.check for r in results}),
        findings=[{"check": r.check, "rule": r.rule, "severity": r.severity.value, "spans": r.spans,
                   "reason": r.reason} for r in failed],
    )


def refresh_brief_state(session: Session, brief: Brief, *, actor: str) -> None:
    """After a review decision or a gate result: the brief follows its most advanced variant."""
    if brief.state in {BriefState.submitted, BriefState.ideating, BriefState.drafting, BriefState.failed}:
        return
    states = {v.state for v in session.exec(select(Variant).where(col(Variant.brief_id) == brief.id))}
    set_brief_state(session, brief, derive_brief_state(states), actor=actor)


def derive_brief_state(states: set[VariantState]) -> BriefState:
    order = [
        ({VariantState.published}, BriefState.published),
        ({VariantState.compliance, VariantState.publishing}, BriefState.compliance),
        ({VariantState.approved}, BriefState.approved),
        ({VariantState.blocked}, BriefState.blocked),
        ({VariantState.in_review}, BriefState.in_review),
        ({VariantState.changes_requested}, BriefState.changes_requested),
    ]
    for members, state in order:
        if states & members:
            return state
    return BriefState.rejected
