"""Publishing an approved variant: one delivery row per variant, attempts until it lands or dies.

The delivery id is the webhook-id on every attempt, so a receiver that got an attempt whose answer
was lost (worker killed between send and commit) recognises the retry. Transient failures (5xx,
timeouts) are retried with exponential backoff up to ``CF_WEBHOOK_MAX_ATTEMPTS``; then the delivery
is ``dead`` and waits for a person (``factory publish retry``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app import audit
from app.db import session_scope
from app.errors import InvalidTransition, NotFound
from app.models import Brief, Delivery, DeliveryAttempt, Variant
from app.pipeline import records
from app.pipeline.deps import Deps
from app.pipeline.runner import safe_enqueue
from app.publishing.publisher import SendResult, backoff_seconds
from app.states import DeliveryState, VariantState


@dataclass(frozen=True)
class PublishOutcome:
    status: str  # "delivered", "retry", "dead", "nothing"
    retry_in_s: float = 0.0


def run_publish(variant_id: str, deps: Deps) -> PublishOutcome:
    with session_scope(deps.engine) as session:
        delivery = session.exec(select(Delivery).where(Delivery.variant_id == variant_id)).first()
        if delivery is None or delivery.state is not DeliveryState.pending:
            return PublishOutcome("nothing")
        delivery_id, payload = delivery.id, dict(delivery.payload)
    result = deps.publisher_factory().send(delivery_id=delivery_id, payload=payload)
    return _record_attempt(deps, delivery_id, result)


def retry_dead(deps: Deps, *, variant_id: str, actor: str) -> None:
    """A person asks for one more round of attempts on a dead delivery."""
    with session_scope(deps.engine) as session:
        delivery = session.exec(select(Delivery).where(Delivery.variant_id == variant_id)).first()
        if delivery is None:
            raise NotFound(f"variant {variant_id} has no delivery; it must pass compliance first")
        if delivery.state is not DeliveryState.dead:
            raise InvalidTransition(f"delivery {delivery.id} is {delivery.state.value}, not dead")
        delivery.state, delivery.attempts = DeliveryState.pending, 0
        session.add(delivery)
        audit.record(session, action="delivery.retry_requested", actor=actor, subject_type="delivery",
                     subject_id=delivery.id, brief_id=delivery.brief_id)
    safe_enqueue(deps, "publish", variant_id)


def _record_attempt(deps: Deps, delivery_id: str, result: SendResult) -> PublishOutcome:
    settings = deps.settings
    with session_scope(deps.engine) as session:
        delivery = session.get(Delivery, delivery_id, with_for_update=True)
        if delivery is None or delivery.state is not DeliveryState.pending:
            return PublishOutcome("nothing")
        delivery.attempts += 1
        delivery.last_status, delivery.last_error = result.status_code, result.error
        session.add(DeliveryAttempt(delivery_id=delivery.id, attempt_no=delivery.attempts,
                                    status_code=result.status_code, error=result.error,
                                    duration_ms=result.duration_ms))
        audit.record(session, action="delivery.attempt", actor="system:publisher", subject_type="delivery",
                     subject_id=delivery.id, brief_id=delivery.brief_id, attempt=delivery.attempts,
                     ok=result.ok, status=result.status_code, error=result.error, target=result.target)
        if result.ok:
            _mark_delivered(session, delivery)
            return PublishOutcome("delivered")
        if result.transient and delivery.attempts < settings.webhook_max_attempts:
            wait = backoff_seconds(delivery.attempts, base=settings.webhook_backoff_base_s)
            delivery.next_attempt_at = datetime.now(UTC) + timedelta(seconds=wait)
            session.add(delivery)
            return PublishOutcome("retry", wait)
        delivery.state = DeliveryState.dead
        session.add(delivery)
        audit.record(session, action="delivery.dead", actor="system:publisher", subject_type="delivery",
                     subject_id=delivery.id, brief_id=delivery.brief_id, attempts=delivery.attempts,
                     error=result.error)
        return PublishOutcome("dead")


def _mark_delivered(session, delivery: Delivery) -> None:  # type: ignore[no-untyped-def]
    delivery.state, delivery.delivered_at = DeliveryState.delivered, datetime.now(UTC)
    delivery.next_attempt_at = None
    session.add(delivery)
    variant = session.get(Variant, delivery.variant_id)
    brief = records.lock_brief(session, delivery.brief_id)
    if variant is not None and variant.state is VariantState.publishing:
        records.set_variant_state(session, variant, VariantState.published, actor="system:publisher",
                                  delivery_id=delivery.id)
    if brief is not None:
        records.refresh_brief_state(session, brief, actor="system:publisher")


__all__ = ["Brief", "PublishOutcome", "retry_dead", "run_publish", "safe_enqueue"]
