"""Routes of marketers: submit briefs and follow them (progress, ideas and variants, audit trail)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app import audit
from app.api import list_queries, queries
from app.api.deps import FactoryDep, Reader, SessionDep, Submitter
from app.api.errors import ERROR_RESPONSES
from app.api.paging import Cursor, Limit, Offset, one_way
from app.api.progress import brief_progress
from app.api.public import AuditPublic, BriefPublic, IdeaPublic, Page, ProgressPublic, VariantPublic
from app.auth.errors import Forbidden
from app.pipeline.runner import submit_brief
from app.schemas import BriefCreate
from app.states import BriefState

router = APIRouter(tags=["briefs"], responses=ERROR_RESPONSES)


@router.post("/briefs", status_code=201)
def create_brief(brief_in: BriefCreate, factory: FactoryDep, user: Submitter) -> BriefPublic:
    """Submit a brief for one of your brands; ideation is queued at once."""
    if not user.sees(brief_in.brand):
        raise Forbidden(f"you submit briefs for your brands only: {sorted(user.brands)}")
    brief = submit_brief(deps=factory, brief_in=brief_in, actor=user.username)
    return BriefPublic.model_validate(brief, from_attributes=True)


@router.get("/briefs")
def list_briefs(session: SessionDep, user: Reader, offset: Offset = 0, limit: Limit = 50,
                brand: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$",
                                                    description="A brand slug, as in brand_kb/<slug>.")] = None,
                state: BriefState | None = None, cursor: Cursor = None) -> Page[BriefPublic]:
    """Briefs of your brands, newest first. Page on with ``cursor`` (a page's ``next_cursor``, with the
    same filters)."""
    page = list_queries.list_briefs(session, user, offset=offset, limit=limit, cursor=one_way(offset, cursor),
                                    brand=brand, state=state)
    items = [BriefPublic.model_validate(b, from_attributes=True) for b in page.items]
    return Page[BriefPublic](**{**page.fields(), "items": items}, limit=limit)


@router.get("/briefs/{brief_id}")
def get_brief(brief_id: str, session: SessionDep, user: Reader) -> BriefPublic:
    return BriefPublic.model_validate(queries.visible_brief(session, user, brief_id), from_attributes=True)


@router.get("/briefs/{brief_id}/progress")
def get_progress(brief_id: str, factory: FactoryDep, session: SessionDep, user: Reader) -> ProgressPublic:
    """State, current stage and time spent per state, the variants' summary when they differ, and whether a
    worker is alive to move it (``worker_note``); small enough to poll every two seconds."""
    return brief_progress(session, queries.visible_brief(session, user, brief_id),
                          worker_stale_s=factory.settings.worker_stale_s)


@router.get("/briefs/{brief_id}/ideas")
def brief_ideas(brief_id: str, session: SessionDep, user: Reader) -> list[IdeaPublic]:
    """Ideas with their current variants and the knowledge-base sources each cites."""
    return queries.ideas_with_variants(session, queries.visible_brief(session, user, brief_id))


@router.get("/briefs/{brief_id}/variants")
def brief_variants(brief_id: str, session: SessionDep, user: Reader) -> list[VariantPublic]:
    """Every variant of the brief, superseded revisions included, oldest first."""
    return queries.brief_variants(session, queries.visible_brief(session, user, brief_id))


@router.get("/briefs/{brief_id}/audit")
def brief_audit(brief_id: str, session: SessionDep, user: Reader) -> list[AuditPublic]:
    queries.visible_brief(session, user, brief_id)
    return [AuditPublic.model_validate(e, from_attributes=True) for e in audit.trail(session, brief_id)]
