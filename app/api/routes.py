"""Routes: briefs, variants and the review decisions, the audit trail, health."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col, func, select

from app import audit
from app.api.deps import ActorDep, FactoryDep, SessionDep
from app.api.public import AuditPublic, BriefPublic, DecisionIn, FindingPublic, Page, VariantPublic
from app.errors import InvalidInput, NotFound
from app.models import Brief, CheckFinding, Variant
from app.pipeline import delivery, review
from app.pipeline.runner import submit_brief
from app.schemas import BriefCreate
from app.states import REVIEWABLE

router = APIRouter()
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get("/health", tags=["ops"])
def health(factory: FactoryDep) -> dict[str, object]:
    return {"status": "ok", "backends": factory.settings.backends()}


@router.post("/briefs", status_code=201, tags=["briefs"])
def create_brief(brief_in: BriefCreate, factory: FactoryDep, actor: ActorDep) -> BriefPublic:
    brief = submit_brief(deps=factory, brief_in=brief_in, actor=actor)
    return BriefPublic.model_validate(brief, from_attributes=True)


@router.get("/briefs", tags=["briefs"])
def list_briefs(session: SessionDep, offset: Offset = 0, limit: Limit = 50,
                brand: str | None = None) -> Page[BriefPublic]:
    stmt = select(Brief)
    if brand:
        stmt = stmt.where(Brief.brand == brand)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(col(Brief.created_at).desc()).offset(offset).limit(limit)).all()
    items = [BriefPublic.model_validate(b, from_attributes=True) for b in rows]
    return Page[BriefPublic](items=items, total=total, offset=offset, limit=limit)


@router.get("/briefs/{brief_id}", tags=["briefs"])
def get_brief(brief_id: str, session: SessionDep) -> BriefPublic:
    return BriefPublic.model_validate(_brief(session, brief_id), from_attributes=True)


@router.get("/briefs/{brief_id}/variants", tags=["briefs"])
def brief_variants(brief_id: str, session: SessionDep) -> list[VariantPublic]:
    _brief(session, brief_id)
    rows = session.exec(select(Variant).where(Variant.brief_id == brief_id).order_by(col(Variant.created_at))).all()
    return _with_findings(session, rows)


@router.get("/briefs/{brief_id}/audit", tags=["briefs"])
def brief_audit(brief_id: str, session: SessionDep) -> list[AuditPublic]:
    _brief(session, brief_id)
    return [AuditPublic.model_validate(e, from_attributes=True) for e in audit.trail(session, brief_id)]


@router.get("/review/queue", tags=["review"])
def review_queue(session: SessionDep, offset: Offset = 0, limit: Limit = 50) -> Page[VariantPublic]:
    stmt = select(Variant).where(col(Variant.state).in_(list(REVIEWABLE)))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(col(Variant.created_at)).offset(offset).limit(limit)).all()
    return Page[VariantPublic](items=_with_findings(session, rows), total=total, offset=offset, limit=limit)


@router.get("/variants/{variant_id}", tags=["review"])
def get_variant(variant_id: str, session: SessionDep) -> VariantPublic:
    variant = session.get(Variant, variant_id)
    if variant is None:
        raise NotFound(f"no variant with id {variant_id!r}")
    return _with_findings(session, [variant])[0]


@router.post("/variants/{variant_id}/approve", tags=["review"])
def approve(variant_id: str, body: DecisionIn, factory: FactoryDep, actor: ActorDep) -> VariantPublic:
    review.approve(factory, variant_id=variant_id, actor=actor, comment=body.comment)
    return _fresh(factory, variant_id)


@router.post("/variants/{variant_id}/request-changes", tags=["review"])
def request_changes(variant_id: str, body: DecisionIn, factory: FactoryDep, actor: ActorDep) -> VariantPublic:
    review.request_changes(factory, variant_id=variant_id, actor=actor, comment=body.comment)
    return _fresh(factory, variant_id)


@router.post("/variants/{variant_id}/reject", tags=["review"])
def reject(variant_id: str, body: DecisionIn, factory: FactoryDep, actor: ActorDep) -> VariantPublic:
    if not body.comment.strip():
        raise InvalidInput("give the reason for the rejection in `comment`")
    review.reject(factory, variant_id=variant_id, actor=actor, reason=body.comment)
    return _fresh(factory, variant_id)


@router.post("/variants/{variant_id}/delivery/retry", status_code=202, tags=["publishing"])
def retry_delivery(variant_id: str, factory: FactoryDep, actor: ActorDep) -> dict[str, str]:
    delivery.retry_dead(factory, variant_id=variant_id, actor=actor)
    return {"status": "queued"}


def _brief(session: SessionDep, brief_id: str) -> Brief:
    brief = session.get(Brief, brief_id)
    if brief is None:
        raise NotFound(f"no brief with id {brief_id!r}")
    return brief


def _fresh(factory: FactoryDep, variant_id: str) -> VariantPublic:
    from sqlmodel import Session

    with Session(factory.engine) as session:
        return get_variant(variant_id, session)


def _with_findings(session: SessionDep, variants: Sequence[Variant]) -> list[VariantPublic]:
    ids = [v.id for v in variants]
    findings = session.exec(select(CheckFinding).where(col(CheckFinding.variant_id).in_(ids))).all() if ids else []
    out = []
    for v in variants:
        mine = [FindingPublic.model_validate(f, from_attributes=True) for f in findings if f.variant_id == v.id]
        out.append(VariantPublic.model_validate({**v.model_dump(), "findings": mine}))
    return out
