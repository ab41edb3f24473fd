"""Routes of the publishing view: deliveries with their attempts, and a retry for dead ones."""

from __future__ import annotations

from fastapi import APIRouter

from app.api import list_queries, queries
from app.api.deps import DeliveryReader, DeliveryRetrier, FactoryDep, SessionDep
from app.api.errors import ERROR_RESPONSES
from app.api.paging import Cursor, Limit, Offset, one_way
from app.api.public import DeliveryPublic, Page, QueuedOut
from app.pipeline import delivery
from app.states import DeliveryState

router = APIRouter(tags=["publishing"], responses=ERROR_RESPONSES)


@router.get("/deliveries")
def list_deliveries(session: SessionDep, user: DeliveryReader, offset: Offset = 0, limit: Limit = 50,
                    state: DeliveryState | None = None, cursor: Cursor = None) -> Page[DeliveryPublic]:
    """Deliveries in your brands, newest first, with every attempt's status code and the next retry.
    Page on with ``cursor`` (a page's ``next_cursor``)."""
    page = list_queries.list_deliveries(session, user, offset=offset, limit=limit, cursor=one_way(offset, cursor),
                                        state=state.value if state else None)
    return Page[DeliveryPublic](**page.fields(), limit=limit)


@router.post("/variants/{variant_id}/delivery/retry", status_code=202)
def retry_delivery(variant_id: str, factory: FactoryDep, session: SessionDep, user: DeliveryRetrier) -> QueuedOut:
    """Give a dead delivery one more round of attempts (same webhook-id, so receivers deduplicate)."""
    queries.visible_variant(session, user, variant_id)
    delivery.retry_dead(factory, variant_id=variant_id, actor=user.username)
    return QueuedOut(status="queued")
