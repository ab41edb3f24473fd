"""Compliance officers' page (blocked items: clear or send back) and the publishing view."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.api import decisions, list_queries, queries
from app.api.deps import ComplianceOfficer, DeliveryReader, DeliveryRetrier, FactoryDep, SessionDep
from app.api.paging import Cursor, Offset, one_way
from app.errors import FactoryError
from app.pipeline import delivery
from app.pipeline.compliance_desk import clear_blocked
from app.states import DeliveryState, VariantState
from app.web.highlight import marked_parts
from app.web.rendering import redirect, render

router = APIRouter(prefix="/ui", include_in_schema=False)
COMPLIANCE_PAGE = 50  # blocked cards per page, as the other lists


@router.get("/compliance")
def compliance(request: Request, session: SessionDep, user: ComplianceOfficer, offset: Offset = 0,
               cursor: Cursor = None) -> Response:
    """Blocked variants, oldest first, fifty to a page (each card carries its text and findings); the
    page links carry a cursor (``offset`` still works for old links)."""
    page = list_queries.review_queue(session, user, offset=offset, limit=COMPLIANCE_PAGE,
                                     cursor=one_way(offset, cursor), states={VariantState.blocked})
    blocks = []
    for v in page.items:
        current = queries.current_findings_public(v.findings)
        blocks.append((v, marked_parts(v, current), [f for f in current if not f.passed]))
    return render(request, "compliance.html", user, blocks=blocks, total=page.total, total_capped=page.total_capped,
                  next_cursor=page.next_cursor, prev_cursor=page.prev_cursor)


@router.post("/compliance/{variant_id}/clear")
def clear(variant_id: str, factory: FactoryDep, session: SessionDep, user: ComplianceOfficer,
          reason: Annotated[str, Form()] = "") -> Response:
    queries.visible_variant(session, user, variant_id)
    try:
        clear_blocked(factory, variant_id=variant_id, actor=user.username, reason=reason)
    except FactoryError as exc:
        return redirect(f"/ui/compliance#variant-{variant_id}", error=exc.message)
    return redirect("/ui/compliance", ok=f"Cleared variant {variant_id[:8]}: it is being published.")


@router.post("/compliance/{variant_id}/send-back")
def send_back(variant_id: str, factory: FactoryDep, session: SessionDep, user: ComplianceOfficer,
              comment: Annotated[str, Form()] = "") -> Response:
    queries.visible_variant(session, user, variant_id)
    try:
        decisions.decide(factory, variant_id=variant_id, actor=user.username, decision="request_changes",
                         comment=comment)
    except FactoryError as exc:
        return redirect(f"/ui/compliance#variant-{variant_id}", error=exc.message)
    return redirect("/ui/compliance", ok=f"Sent variant {variant_id[:8]} back for a new draft.")


@router.get("/publishing")
def publishing(request: Request, session: SessionDep, user: DeliveryReader, state: str = "",
               offset: Offset = 0, cursor: Cursor = None) -> Response:
    chosen = state if state in DeliveryState.__members__ else None
    page = list_queries.list_deliveries(session, user, offset=offset, limit=50, cursor=one_way(offset, cursor),
                                        state=chosen)
    return render(request, "publishing.html", user, deliveries=page.items, total=page.total,
                  total_capped=page.total_capped, state=chosen or "", next_cursor=page.next_cursor,
                  prev_cursor=page.prev_cursor, states=[s.value for s in DeliveryState])


@router.post("/publishing/{variant_id}/retry")
def retry(variant_id: str, factory: FactoryDep, session: SessionDep, user: DeliveryRetrier) -> Response:
    queries.visible_variant(session, user, variant_id)
    try:
        delivery.retry_dead(factory, variant_id=variant_id, actor=user.username)
    except FactoryError as exc:
        return redirect("/ui/publishing", error=exc.message)
    return redirect("/ui/publishing", ok=f"Delivery of variant {variant_id[:8]} queued again.")
