"""Thin tasks of measurement: aggregate stored events, send a retraction's notice.

``aggregate_events`` takes a placeholder id (every run drains whatever is pending, so the copies that
pile up behind a busy worker find nothing to do). ``notify_retraction`` takes a retraction id and
reschedules itself on the webhook retry schedule while the CMS does not answer.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from celery.signals import worker_ready
from sqlalchemy.exc import OperationalError

from app.performance import aggregate, retraction
from workers.tasks import deps

log = logging.getLogger(__name__)


@shared_task(bind=True, name="factory.aggregate_events", max_retries=None)
def aggregate_events(self: Task, _item_id: str) -> None:
    try:
        run = aggregate.run_aggregation(deps())
    except OperationalError as exc:  # the database is briefly unavailable; the events wait, stored
        raise self.retry(exc=exc, countdown=min(60, 2 ** self.request.retries)) from exc
    if run.events:
        log.info("aggregated %d events into %d slots", run.events, len(run.slots))


@shared_task(bind=True, name="factory.notify_retraction", max_retries=None)
def notify_retraction(self: Task, retraction_id: str) -> None:
    try:
        outcome = retraction.send_notice(retraction_id, deps())
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=min(60, 2 ** self.request.retries)) from exc
    if outcome.status == "retry":
        raise self.retry(countdown=outcome.retry_in_s, max_retries=None)


@worker_ready.connect
def _resume_measurement(**_kw: object) -> None:
    """Events stored while no worker ran, and notices never sent, are picked up when a worker starts."""
    from sqlmodel import Session, select

    from app.performance.models import PerformanceEvent, Retraction
    from app.pipeline.runner import safe_enqueue

    d = deps()
    with Session(d.engine) as session:
        pending = session.exec(select(PerformanceEvent.id).where(PerformanceEvent.aggregated == False)  # noqa: E712
                               .limit(1)).first()
        notices = session.exec(select(Retraction.id).where(Retraction.notice_state == "pending")).all()
    if pending is not None:
        safe_enqueue(d, "aggregate_events", "pending")
    for notice in notices:
        safe_enqueue(d, "notify_retraction", notice)
