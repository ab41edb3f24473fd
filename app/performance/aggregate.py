"""The aggregation worker step: add stored events to the per-variant sums, exactly once.

:func:`aggregate_pending` takes up to ``limit`` events not yet aggregated (on PostgreSQL ``FOR UPDATE SKIP
LOCKED``, so two workers take different events), adds them to ``VariantStats`` with ``UPDATE ... SET n = n +
:k`` (race-free) and marks them aggregated, all in one transaction: a worker killed half way leaves the
events unaggregated and the sums untouched, and the next run does the whole batch. Event order does not
matter (sums), so late and out-of-order events are counted like any other.

:func:`run_aggregation` drains the backlog and then refreshes each touched slot (weights history, stopping
rule: :func:`app.performance.slots.refresh`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import case, or_, update
from sqlmodel import col, select

from app.db import session_scope
from app.performance.models import PerformanceEvent, VariantStats
from app.performance.slots import refresh
from app.performance.sql import insert_ignore
from app.pipeline.deps import Deps

BATCH = 5000


@dataclass
class AggregationRun:
    events: int = 0
    slots: set[str] = field(default_factory=set)


def aggregate_pending(deps: Deps, *, limit: int = BATCH) -> AggregationRun:
    """One transaction's worth (see the module docstring); ``events`` is 0 when nothing was pending."""
    run = AggregationRun()
    engine = deps.engine
    with session_scope(engine) as session:
        events = session.exec(select(PerformanceEvent).where(PerformanceEvent.aggregated == False)  # noqa: E712
                              .order_by(col(PerformanceEvent.received_at)).limit(limit)
                              .with_for_update(skip_locked=True)).all()
        if not events:
            return run
        sums: dict[tuple[str, str], dict[str, object]] = defaultdict(
            lambda: {"impressions": 0, "clicks": 0, "conversions": 0, "value_sum": 0.0, "last": None})
        brands: dict[tuple[str, str], str] = {}
        for event in events:
            key = (event.slot, event.variant_id)
            brands[key] = event.brand
            total = sums[key]
            field_name = {"impression": "impressions", "click": "clicks", "conversion": "conversions"}[event.kind]
            total[field_name] = int(total[field_name]) + 1  # type: ignore[call-overload]
            total["value_sum"] = float(total["value_sum"]) + (event.value or 0.0)  # type: ignore[arg-type]
            last = total["last"]
            total["last"] = event.occurred_at if last is None or event.occurred_at > last else last  # type: ignore[operator]
        now = datetime.now(UTC)
        session.execute(insert_ignore(engine, VariantStats, ["slot", "variant_id"]),
                        [{"slot": s, "variant_id": v, "brand": brands[(s, v)], "impressions": 0, "clicks": 0,
                          "conversions": 0, "value_sum": 0.0, "updated_at": now} for s, v in sums])
        for (slot, variant_id), total in sums.items():
            session.execute(update(VariantStats).where(
                col(VariantStats.slot) == slot, col(VariantStats.variant_id) == variant_id).values(
                impressions=col(VariantStats.impressions) + total["impressions"],
                clicks=col(VariantStats.clicks) + total["clicks"],
                conversions=col(VariantStats.conversions) + total["conversions"],
                value_sum=col(VariantStats.value_sum) + total["value_sum"],
                last_event_at=case((or_(col(VariantStats.last_event_at).is_(None),
                                        col(VariantStats.last_event_at) < total["last"]), total["last"]),
                                   else_=col(VariantStats.last_event_at)),
                updated_at=now).execution_options(synchronize_session=False))
        ids = [e.id for e in events]
        for start in range(0, len(ids), 500):
            session.execute(update(PerformanceEvent).where(col(PerformanceEvent.id).in_(ids[start:start + 500]))
                            .values(aggregated=True).execution_options(synchronize_session=False))
        run.events = len(events)
        run.slots = {slot for slot, _v in sums}
    return run


def run_aggregation(deps: Deps, *, limit: int = BATCH) -> AggregationRun:
    """Aggregate until nothing is pending, then refresh every touched slot."""
    total = AggregationRun()
    while True:
        step = aggregate_pending(deps, limit=limit)
        total.events += step.events
        total.slots |= step.slots
        if step.events < limit:
            break
    for slot in sorted(total.slots):
        refresh(deps, slot)
    return total
