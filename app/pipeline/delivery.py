"""Publishing an approved variant: one delivery row per variant, attempts until it lands or dies.

The delivery id is the webhook-id on every attempt, so a receiver that got an attempt whose answer
was lost (worker killed between send and commit) recognises the retry. Each attempt is made under the
delivery's lease (:mod:`app.pipeline.claims`) and only when it is due: ``next_attempt_at`` is the
schedule, and a publish task that arrives early (a redelivered message, a recovery run) does nothing.

After failed attempt ``n`` of a round, the next one waits ``CF_WEBHOOK_RETRY_SCHEDULE_H[n - 1]`` hours
when the publisher calls the failure retryable (:mod:`app.publishing.publisher` documents which
statuses are); after the schedule's last entry, or a failure that is not retryable, the delivery is
``dead`` and waits for a person (``factory review retry-delivery``), whose retry starts a new round
while attempt numbers keep counting. A 410 Gone disables the endpoint: every delivery to it is dead,
without a request, until a person re-enables it (:func:`enable_endpoint`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from app import audit
from app.db import session_scope
from app.errors import InvalidTransition, NotFound
from app.models import Brief, Delivery, DeliveryAttempt, DisabledEndpoint, Variant
from app.pipeline import claims, records
from app.pipeline.deps import Deps
from app.pipeline.runner import safe_enqueue
from app.publishing.publisher import SendResult, retry_delay_s
from app.states import DeliveryState, VariantState

ENABLE_HINT = "re-enable it with `factory review enable-endpoint URL` once the receiver is back"


@dataclass(frozen=True)
class PublishOutcome:
    status: str  # "delivered", "retry", "dead", "nothing" (not pending, not due, or another worker's)
    retry_in_s: float = 0.0


def seconds_until_due(delivery: Delivery) -> float:
    """Seconds until the delivery's next attempt may be made; 0 or less when it is due."""
    if delivery.next_attempt_at is None:
        return 0.0
    return (claims.as_utc(delivery.next_attempt_at) - claims.now_utc()).total_seconds()


def run_publish(variant_id: str, deps: Deps) -> PublishOutcome:
    with session_scope(deps.engine) as session:
        delivery = session.exec(select(Delivery).where(Delivery.variant_id == variant_id)).first()
        if delivery is None or delivery.state is not DeliveryState.pending or seconds_until_due(delivery) > 0:
            return PublishOutcome("nothing")
        delivery_id = delivery.id
    with claims.held(deps.engine, claims.delivery_key(delivery_id), task="publish", item_id=variant_id,
                     lease_s=deps.settings.claim_lease_s) as mine:
        if not mine:
            return PublishOutcome("nothing")
        return _attempt(deps, delivery_id)


def _attempt(deps: Deps, delivery_id: str) -> PublishOutcome:
    with session_scope(deps.engine) as session:
        delivery = session.get(Delivery, delivery_id)
        # Read again under the lease: the previous holder may have recorded its attempt and died.
        if delivery is None or delivery.state is not DeliveryState.pending or seconds_until_due(delivery) > 0:
            return PublishOutcome("nothing")
        disabled = session.get(DisabledEndpoint, delivery.target)
        if disabled is not None:
            _mark_dead(session, delivery, f"endpoint disabled since {disabled.disabled_at:%Y-%m-%d %H:%M} UTC "
                                          f"({disabled.reason}); {ENABLE_HINT}")
            return PublishOutcome("dead")
        payload = dict(delivery.payload)
    result = deps.publisher_factory().send(delivery_id=delivery_id, payload=payload)
    return _record_attempt(deps, delivery_id, result)


def retry_dead(deps: Deps, *, variant_id: str, actor: str) -> None:
    """A person asks for one more round of attempts on a dead delivery; its attempts keep counting."""
    with session_scope(deps.engine) as session:
        delivery = session.exec(select(Delivery).where(Delivery.variant_id == variant_id)).first()
        if delivery is None:
            raise NotFound(f"variant {variant_id} has no delivery; it must pass compliance first")
        if delivery.state is not DeliveryState.dead:
            raise InvalidTransition(f"delivery {delivery.id} is {delivery.state.value}, not dead")
        if session.get(DisabledEndpoint, delivery.target) is not None:
            raise InvalidTransition(f"the endpoint {delivery.target} answered 410 Gone and is disabled; {ENABLE_HINT}")
        delivery.state, delivery.round_base, delivery.next_attempt_at = DeliveryState.pending, delivery.attempts, None
        session.add(delivery)
        audit.record(session, action="delivery.retry_requested", actor=actor, subject_type="delivery",
                     subject_id=delivery.id, brief_id=delivery.brief_id, attempts_so_far=delivery.attempts)
    safe_enqueue(deps, "publish", variant_id)


def enable_endpoint(deps: Deps, *, target: str, actor: str) -> None:
    """Let deliveries go to an endpoint a 410 Gone disabled (dead ones still need ``retry_dead``)."""
    with session_scope(deps.engine) as session:
        disabled = session.get(DisabledEndpoint, target)
        if disabled is None:
            raise NotFound(f"the endpoint {target!r} is not disabled")
        session.delete(disabled)
        audit.record(session, action="endpoint.enabled", actor=actor, subject_type="endpoint",
                     subject_id=target[:64], target=target, disabled_at=disabled.disabled_at.isoformat(),
                     reason=disabled.reason)


def dead_deliveries(session: Session, brief_id: str) -> list[Delivery]:
    """The brief's dead deliveries, for its page, its progress and the desk."""
    return list(session.exec(select(Delivery).where(Delivery.brief_id == brief_id,
                                                    Delivery.state == DeliveryState.dead)))


def _record_attempt(deps: Deps, delivery_id: str, result: SendResult) -> PublishOutcome:
    schedule = deps.settings.webhook_retry_schedule_h
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
        if result.endpoint_gone:
            _disable_endpoint(session, delivery, result)
            _mark_dead(session, delivery, f"{result.error}; the endpoint is disabled: {ENABLE_HINT}")
            return PublishOutcome("dead")
        wait = retry_delay_s(delivery.attempts - delivery.round_base, schedule) if result.transient else None
        if wait is None:
            _mark_dead(session, delivery, result.error)
            return PublishOutcome("dead")
        delivery.next_attempt_at = claims.now_utc() + timedelta(seconds=wait)
        session.add(delivery)
        return PublishOutcome("retry", wait)


def _disable_endpoint(session: Session, delivery: Delivery, result: SendResult) -> None:
    if session.get(DisabledEndpoint, delivery.target) is not None:
        return
    session.add(DisabledEndpoint(target=delivery.target, status=result.status_code, reason=result.error or "",
                                 delivery_id=delivery.id, disabled_at=claims.now_utc()))
    audit.record(session, action="endpoint.disabled", actor="system:publisher", subject_type="endpoint",
                 subject_id=delivery.target[:64], brief_id=delivery.brief_id, target=delivery.target,
                 status=result.status_code, delivery_id=delivery.id)


def _mark_dead(session: Session, delivery: Delivery, error: str | None) -> None:
    delivery.state, delivery.next_attempt_at, delivery.last_error = DeliveryState.dead, None, error
    session.add(delivery)
    audit.record(session, action="delivery.dead", actor="system:publisher", subject_type="delivery",
                 subject_id=delivery.id, brief_id=delivery.brief_id, attempts=delivery.attempts,
                 round_attempts=delivery.attempts - delivery.round_base, error=error)


def _mark_delivered(session: Session, delivery: Delivery) -> None:
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


__all__ = ["Brief", "PublishOutcome", "dead_deliveries", "enable_endpoint", "retry_dead", "run_publish",
           "safe_enqueue"]
