"""``POST /events``: performance events from a CMS or analytics tool.

Two ways to authenticate a batch:

- ``Authorization: Bearer <token>`` of the ``analytics`` role; the token's brands are the brands it may
  report on;
- Standard Webhooks headers (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``) over the raw body,
  signed with the secret of a configured source (``CF_EVENT_SOURCES``), named in the query:
  ``POST /events?source=NAME``; the source's brands are the brands it may report on.

The body is ``{"events": [...]}``, each event as :class:`app.performance.events.EventIn`;
at most ``CF_EVENTS_MAX_BATCH`` per request. The answer (200) sorts every event into accepted, duplicates
and refused-with-reason (:mod:`app.performance.events`); accepted events are aggregated by a worker.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session

from app.api.deps import FactoryDep
from app.api.errors import ERROR_RESPONSES
from app.api.public_performance import EventsOut, RefusalOut
from app.auth import tokens
from app.auth.errors import Forbidden, NotAuthenticated
from app.auth.roles import Permission
from app.errors import InvalidInput
from app.performance import events
from app.pipeline.deps import Deps
from app.pipeline.runner import safe_enqueue
from app.publishing.signing import SignatureError, verify

router = APIRouter(tags=["performance"], responses=ERROR_RESPONSES)


async def raw_body(request: Request) -> bytes:
    return await request.body()


def sender_of(factory: Deps, headers: Any, body: bytes, source: str | None) -> tuple[str, frozenset[str] | None]:
    """Who sent the batch and the brands it may report on (None: all). NotAuthenticated for missing or bad
    credentials, Forbidden for a token without the ``analytics`` role."""
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        with Session(factory.engine) as session:
            principal = tokens.principal_from_token(session, authorization[7:].strip())
        if not principal.can(Permission.send_events):
            raise Forbidden(f"{principal.username} may not send events: it needs the role analytics")
        return f"token:{principal.username}", None if principal.sees_every_brand else frozenset(principal.brands)
    if source is None:
        raise NotAuthenticated("send `Authorization: Bearer <token>` of the analytics role, or sign the batch with "
                               "Standard Webhooks and name the source: POST /events?source=NAME")
    configured = factory.settings.event_sources.get(source)
    if configured is None:
        raise NotAuthenticated(f"unknown event source {source!r}; sources are configured in CF_EVENT_SOURCES")
    try:
        verify(secret=configured.secret.get_secret_value(), headers=headers, body=body)
    except SignatureError as err:
        raise NotAuthenticated(f"the batch's signature does not verify for source {source!r}: {err}") from None
    brands = None if "*" in configured.brands else frozenset(configured.brands)
    return f"source:{source}", brands


def batch_of(body: bytes, limit: int) -> list[Any]:
    """The list of events in a body; InvalidInput (nothing stored) when it is not one or is too long."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput("the body is not JSON: send {\"events\": [...]}") from None
    batch = document.get("events") if isinstance(document, dict) else None
    if not isinstance(batch, list):
        raise InvalidInput("events: send a list of events, {\"events\": [...]}")
    if len(batch) > limit:
        raise InvalidInput(f"events: at most {limit} per request, got {len(batch)}; split the batch")
    return batch


# Events are judged one by one (a malformed one is refused in the answer, the rest are stored), so the schema
# constrains the batch, not its items; the items' fields are described here and in EventIn.
_BODY_SCHEMA = {"type": "object", "required": ["events"], "properties": {"events": {
    "type": "array", "items": {"description": "An event: id, type (impression, click, conversion), variant_id or "
                                              "delivery_id, timestamp (ISO 8601 with a zone), optional segment "
                                              "(placement, locale), value and currency (conversions)."}}}}


@router.post("/events", openapi_extra={"requestBody": {
    "required": True, "description": "A batch of events, each judged alone (see the answer's lists).",
    "content": {"application/json": {"schema": _BODY_SCHEMA}}}})
def post_events(request: Request, factory: FactoryDep, body: Annotated[bytes, Depends(raw_body)],
                source: Annotated[str | None, Query(max_length=64, description="A signing source's name.")]
                = None) -> EventsOut:
    """Store a batch of impressions, clicks and conversions; idempotent by event id (see the module doc)."""
    sender, brands = sender_of(factory, request.headers, body, source)
    result = events.ingest(factory.engine, batch_of(body, factory.settings.events_max_batch), brands=brands,
                           source=sender)
    if result.accepted:
        safe_enqueue(factory, "aggregate_events", "pending")
    return EventsOut(accepted=result.accepted, duplicates=result.duplicates,
                     refused=[RefusalOut(index=r.index, id=r.id, reason=r.reason) for r in result.refused])
