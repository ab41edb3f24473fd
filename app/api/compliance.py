"""Routes of compliance officers: what the gate blocked, and clearing it with a reason."""

from __future__ import annotations

from fastapi import APIRouter

from app.api import list_queries, queries
from app.api.deps import ComplianceOfficer, FactoryDep, SessionDep
from app.api.errors import ERROR_RESPONSES
from app.api.paging import Cursor, Limit, Offset, one_way
from app.api.public import Page, ReasonIn, VariantPublic
from app.api.review import fresh
from app.pipeline.compliance_desk import clear_blocked
from app.states import VariantState

router = APIRouter(tags=["compliance"], responses=ERROR_RESPONSES)


@router.get("/compliance/blocked")
def blocked(session: SessionDep, user: ComplianceOfficer, offset: Offset = 0, limit: Limit = 50,
            cursor: Cursor = None) -> Page[VariantPublic]:
    """Variants the compliance gate blocked, in your brands, oldest first, with the blocking findings.
    Page on with ``cursor`` (a page's ``next_cursor``)."""
    page = list_queries.review_queue(session, user, offset=offset, limit=limit, cursor=one_way(offset, cursor),
                                     states={VariantState.blocked})
    return Page[VariantPublic](**page.fields(), limit=limit)


@router.post("/variants/{variant_id}/clear")
def clear(variant_id: str, body: ReasonIn, factory: FactoryDep, session: SessionDep,
          user: ComplianceOfficer) -> VariantPublic:
    """Overrule the gate with a reason (audited); the variant moves on to publishing.

    To send it back instead, use ``POST /variants/{id}/request-changes``."""
    queries.visible_variant(session, user, variant_id)
    clear_blocked(factory, variant_id=variant_id, actor=user.username, reason=body.reason)
    return fresh(factory, user, variant_id)
