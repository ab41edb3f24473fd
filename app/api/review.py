"""Routes of the review desk: the queue, one variant, and the decisions on it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.api import decisions, list_queries, queries
from app.api.deps import ChangeRequester, FactoryDep, Reader, Reviewer, SessionDep
from app.api.errors import ERROR_RESPONSES
from app.api.paging import Cursor, Limit, Offset, one_way
from app.api.public import CandidatePublic, DecisionIn, EditIn, OverrideIn, OverridePublic, Page, VariantPublic
from app.auth.roles import Principal
from app.errors import InvalidInput, InvalidTransition
from app.pipeline import review
from app.pipeline.deps import Deps
from app.schemas import DraftCopy

router = APIRouter(tags=["review"], responses=ERROR_RESPONSES)
FindingId = Annotated[int, Path(ge=1, le=2**63 - 1, description="A finding id from GET /variants/{variant_id}.")]


@router.get("/review/queue")
def review_queue(session: SessionDep, user: Reviewer, offset: Offset = 0, limit: Limit = 50,
                 sort: queries.QueueSort = "age", cursor: Cursor = None) -> Page[VariantPublic]:
    """Variants in review or blocked, in your brands: ``age`` (oldest first), ``risk`` (riskiest first) or
    ``score`` (highest best-of-N score first). Page on with ``cursor`` (``next_cursor`` of a page of the same
    sort); 422 ``invalid_cursor`` for any other token."""
    page = list_queries.review_queue(session, user, sort=sort, offset=offset, limit=limit,
                                     cursor=one_way(offset, cursor))
    return Page[VariantPublic](**page.fields(), limit=limit)


@router.get("/variants/{variant_id}")
def get_variant(variant_id: str, session: SessionDep, user: Reader) -> VariantPublic:
    """One variant with the findings of every check (spans into 'headline\\nbody\\ncta') and its sources."""
    variant, _brief = queries.visible_variant(session, user, variant_id)
    return queries.variants_public(session, [variant])[0]


@router.get("/variants/{variant_id}/candidates")
def get_candidates(variant_id: str, session: SessionDep, user: Reader) -> list[CandidatePublic]:
    """Every best-of-N candidate written for this variant's slot and revision, best first: the kept one
    (``kept: true``) and the ones set aside, each with its score, parts, failed checks and tokens."""
    variant, _brief = queries.visible_variant(session, user, variant_id)
    return queries.candidates_of(session, variant)


@router.post("/variants/{variant_id}/approve")
def approve(variant_id: str, body: DecisionIn, factory: FactoryDep, session: SessionDep,
            user: Reviewer) -> VariantPublic:
    """Approve the exact text (bound to its content hash). Refused to the brief's submitter."""
    queries.visible_variant(session, user, variant_id)
    decisions.decide(factory, variant_id=variant_id, actor=user.username, decision="approve", comment=body.comment)
    return fresh(factory, user, variant_id)


@router.post("/variants/{variant_id}/request-changes")
def request_changes(variant_id: str, body: DecisionIn, factory: FactoryDep, session: SessionDep,
                    user: ChangeRequester) -> VariantPublic:
    """Send back for a new draft; the comment goes into the next draft's prompt."""
    queries.visible_variant(session, user, variant_id)
    decisions.decide(factory, variant_id=variant_id, actor=user.username, decision="request_changes",
                     comment=body.comment)
    return fresh(factory, user, variant_id)


@router.post("/variants/{variant_id}/reject")
def reject(variant_id: str, body: DecisionIn, factory: FactoryDep, session: SessionDep,
           user: Reviewer) -> VariantPublic:
    queries.visible_variant(session, user, variant_id)
    if not body.comment.strip():
        raise InvalidInput("comment: give the reason for the rejection")
    decisions.decide(factory, variant_id=variant_id, actor=user.username, decision="reject", comment=body.comment)
    return fresh(factory, user, variant_id)


@router.post("/variants/{variant_id}/edit", status_code=201)
def edit(variant_id: str, body: EditIn, factory: FactoryDep, session: SessionDep, user: Reviewer) -> VariantPublic:
    """Save your text as the next revision, checked again; returns the new revision, still in review."""
    queries.visible_variant(session, user, variant_id)
    outcome = decisions.edit(factory, variant_id=variant_id, actor=user.username, copy=_copy(body),
                             comment=body.comment)
    return fresh(factory, user, outcome.variant.id)


@router.post("/variants/{variant_id}/edit-and-approve", status_code=201)
def edit_and_approve(variant_id: str, body: EditIn, factory: FactoryDep, session: SessionDep,
                     user: Reviewer) -> VariantPublic:
    """Edit, check, then approve the new revision; 409 (edit kept, in review) when a check blocks it."""
    queries.visible_variant(session, user, variant_id)
    variant = decisions.edit_and_approve(factory, variant_id=variant_id, actor=user.username, copy=_copy(body),
                                         comment=body.comment)
    return fresh(factory, user, variant.id)


@router.post("/variants/{variant_id}/findings/{finding_id}/override", status_code=201)
def override_finding(variant_id: str, finding_id: FindingId, body: OverrideIn, factory: FactoryDep, session: SessionDep,
                     user: Reviewer) -> OverridePublic:
    """Accept a warning of this variant with a reason (audited ``finding.overridden``).

    404 when the finding is not one of this variant's; 409 for a blocking or passed finding, a finding
    already accepted, or a variant no longer in review; 422 without a reason.
    """
    return accept_warning(factory, session, user, variant_id=variant_id, finding_id=finding_id, reason=body.reason)


def accept_warning(factory: Deps, session: Session, user: Principal, *, variant_id: str, finding_id: int,
                   reason: str) -> OverridePublic:
    """Record ``user``'s acceptance of a warning of a variant they see; the API and the desk both use it.

    Raises NotFound (finding of another variant, or a variant outside the user's brands), InvalidTransition
    (not a warning, already accepted, variant not reviewable) and InvalidInput (blank reason).
    """
    queries.visible_finding(session, user, variant_id, finding_id)
    earlier = queries.override_of(session, finding_id)
    if earlier is not None:
        raise InvalidTransition(f"finding {finding_id} was already accepted by {earlier.actor}: {earlier.reason}")
    try:
        override = review.override_warning(factory, finding_id=finding_id, actor=user.username, reason=reason)
    except IntegrityError as exc:  # a concurrent acceptance of the same finding won the race
        raise InvalidTransition(f"finding {finding_id} was accepted by someone else just now; reload") from exc
    return OverridePublic.model_validate(override, from_attributes=True)


def _copy(body: EditIn) -> DraftCopy:
    try:
        return DraftCopy(headline=body.headline, body=body.body, cta=body.cta)
    except ValidationError as exc:
        raise InvalidInput(f"the edited copy is not valid: {exc.errors()[0]['msg']}") from exc


def fresh(factory: Deps, user: Principal, variant_id: str) -> VariantPublic:
    """The variant as stored now (a decision ran in its own transaction)."""
    with Session(factory.engine) as session:
        variant, _brief = queries.visible_variant(session, user, variant_id)
        return queries.variants_public(session, [variant])[0]
