"""Reviewer decisions: approve, request changes (the comment goes into the next draft), reject.

Rules: only a variant in review can be approved; nobody approves a brief they submitted; an approval
is bound to the variant's content hash, and the compliance gate refuses a text that changed since.
"""

from __future__ import annotations

from datetime import UTC, datetime

from app import audit
from app.db import session_scope
from app.errors import InvalidInput, InvalidTransition, NotFound
from app.models import CheckFinding, FindingOverride, Variant
from app.pipeline import records
from app.pipeline.deps import Deps
from app.pipeline.runner import safe_enqueue
from app.states import REVIEWABLE, VariantState


def approve(deps: Deps, *, variant_id: str, actor: str, comment: str = "") -> Variant:
    with session_scope(deps.engine) as session:
        variant, brief = _load(session, variant_id)
        if variant.state is not VariantState.in_review:
            raise InvalidTransition(
                f"variant {variant_id} is {variant.state.value}; only variants in review can be approved"
                + (" (a blocked variant needs changes or a compliance decision)" if variant.state is
                   VariantState.blocked else "")
            )
        if actor == brief.submitted_by:
            raise InvalidTransition(f"{actor} submitted this brief; another reviewer must approve it")
        variant.approved_by = actor
        variant.approved_hash = variant.content_hash
        records.set_variant_state(session, variant, VariantState.approved, actor=actor,
                                  decision="approve", comment=comment, content_hash=variant.content_hash)
        records.refresh_brief_state(session, brief, actor=actor)
    safe_enqueue(deps, "compliance", variant_id)
    return variant


def request_changes(deps: Deps, *, variant_id: str, actor: str, comment: str) -> Variant:
    if not comment.strip():
        raise InvalidInput("say what to change: the comment goes into the next draft's prompt")
    with session_scope(deps.engine) as session:
        variant, brief = _load(session, variant_id)
        _require_reviewable(variant)
        variant.review_comment = comment.strip()
        records.set_variant_state(session, variant, VariantState.changes_requested, actor=actor,
                                  decision="request_changes", comment=comment.strip())
        records.refresh_brief_state(session, brief, actor=actor)
    safe_enqueue(deps, "redraft", variant_id)
    return variant


def reject(deps: Deps, *, variant_id: str, actor: str, reason: str) -> Variant:
    if not reason.strip():
        raise InvalidInput("give a reason for the rejection: it is kept in the audit log")
    with session_scope(deps.engine) as session:
        variant, brief = _load(session, variant_id)
        _require_reviewable(variant)
        records.set_variant_state(session, variant, VariantState.rejected, actor=actor,
                                  decision="reject", reason=reason.strip())
        records.refresh_brief_state(session, brief, actor=actor)
    return variant


def override_warning(deps: Deps, *, finding_id: int, actor: str, reason: str) -> FindingOverride:
    """Accept a warning on a variant in review, with a reason; a blocking finding cannot be overridden."""
    if not reason.strip():
        raise InvalidInput("say why the warning is acceptable: the reason is kept in the audit log")
    with session_scope(deps.engine) as session:
        finding = session.get(CheckFinding, finding_id)
        if finding is None:
            raise NotFound(f"no finding with id {finding_id}")
        if finding.passed or finding.severity != "warn":
            raise InvalidTransition(
                f"finding {finding_id} is {'a pass' if finding.passed else 'blocking'}; only warnings can be "
                "overridden. Request changes, or ask compliance to clear a block."
            )
        variant, brief = _load(session, finding.variant_id)
        _require_reviewable(variant)
        if actor == brief.submitted_by:
            # Accepting a warning is part of approving; the four-eyes rule covers both.
            raise InvalidTransition(f"{actor} submitted this brief; another reviewer must accept its warnings")
        override = FindingOverride(finding_id=finding_id, variant_id=variant.id, actor=actor, reason=reason.strip())
        session.add(override)
        audit.record(session, action="finding.overridden", actor=actor, subject_type="variant",
                     subject_id=variant.id, brief_id=variant.brief_id, finding_id=finding_id,
                     check=finding.check, rule=finding.rule, reason=reason.strip())
    return override


def _load(session, variant_id):  # type: ignore[no-untyped-def]
    variant = session.get(Variant, variant_id, with_for_update=True)
    if variant is None:
        raise NotFound(f"no variant with id {variant_id!r}; `factory review list` shows what waits")
    brief = records.lock_brief(session, variant.brief_id)
    assert brief is not None
    variant.updated_at = datetime.now(UTC)
    return variant, brief


def _require_reviewable(variant: Variant) -> None:
    if variant.state not in REVIEWABLE:
        raise InvalidTransition(
            f"variant {variant.id} is {variant.state.value}; decisions apply to variants in review or blocked"
        )


__all__ = ["approve", "override_warning", "reject", "request_changes"]
