"""Performance events in: validation per event, idempotent storage, and the batch answer.

A batch is a list of event objects (:class:`EventIn`). Each event is judged alone; the answer lists every
event id as ``accepted`` (stored now), ``duplicate`` (an event with this id and the same content was
stored before: a replay changes nothing) or ``refused`` with the reason. Refusals:

- the object does not validate (unknown ``type``, a timestamp without a time zone or more than
  :data:`FUTURE_TOLERANCE` ahead, ``value`` on anything but a conversion, a currency that is not three
  capital letters, neither or both of ``variant_id`` and ``delivery_id``...);
- the variant (or delivery) is unknown or belongs to a brand outside the sender's scope (one message for
  both, so a sender cannot probe other brands' ids);
- the variant was never published (only copy a CMS received gets events);
- the id was used before, or earlier in the batch, for a different event.

Accepted events are inserted in one transaction with ``INSERT ... ON CONFLICT DO NOTHING``: a crash
before the commit stores none of them (the sender retries the batch and gets the same answer), and two
senders racing with the same event store it once. Aggregates are a worker's job
(:mod:`app.performance.aggregate`); the events stay as sent, so aggregates can be rebuilt from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import Brief, Delivery, Variant
from app.performance.models import PerformanceEvent, Slot
from app.performance.slot_ids import goal_of, parse_slot, slot_id
from app.performance.sql import insert_ignore
from app.states import VariantState

# Clocks of senders drift; an event stamped further ahead than this is a wrong clock or a wrong unit.
FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_SEGMENT_KEYS = 8


class EventIn(BaseModel):
    """One event as a sender writes it (JSON): ``{"id": "e-1", "type": "click", "variant_id": "...",
    "timestamp": "2026-11-30T10:00:00Z", "segment": {"placement": "hero", "locale": "en-IE"}}``; a conversion
    may carry ``value`` (>= 0) with ``currency`` (ISO 4217, e.g. ``EUR``). ``placement`` names a placement: the
    event then counts in the slot ``<brief_id>:<channel>:<placement>`` (same variants, its own figures)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=128)
    type: Literal["impression", "click", "conversion"]
    variant_id: str | None = Field(default=None, min_length=1, max_length=32)
    delivery_id: str | None = Field(default=None, min_length=1, max_length=40)
    timestamp: datetime
    segment: dict[str, str] = Field(default_factory=dict)
    value: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    placement: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$",
                                  description="A named placement: counted in slot <brief>:<channel>:<placement>.")

    @field_validator("timestamp")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("needs a time zone, e.g. 2026-11-30T10:00:00Z")
        return value.astimezone(UTC)

    @field_validator("segment")
    @classmethod
    def _small_segment(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) > MAX_SEGMENT_KEYS or any(len(k) > 32 or len(v) > 64 for k, v in value.items()):
            raise ValueError(f"at most {MAX_SEGMENT_KEYS} keys of up to 32 characters, values up to 64")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> EventIn:
        if (self.variant_id is None) == (self.delivery_id is None):
            raise ValueError("give exactly one of variant_id and delivery_id")
        if self.type != "conversion" and (self.value is not None or self.currency is not None):
            raise ValueError("value and currency belong to conversions only")
        if (self.value is None) != (self.currency is None):
            raise ValueError("value and currency go together")
        return self


@dataclass(frozen=True)
class Refusal:
    index: int
    id: str | None
    reason: str


@dataclass
class BatchResult:
    """What happened to each event of a batch, by id (``refused`` keeps the position for events without one)."""

    accepted: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    slots: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Target:
    variant_id: str
    brand: str
    slot: str
    published: bool


def _fingerprint(kind: str, variant_id: str, slot: str, when: datetime, value: float | None,
                 currency: str | None) -> tuple:
    moment = when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
    return kind, variant_id, slot, moment, value, currency


def ingest(engine: Engine, raw_events: Sequence[Any], *, brands: frozenset[str] | None, source: str,
           now: datetime | None = None) -> BatchResult:
    """Validate and store one batch. ``brands``: the brands the sender may report on (None: every brand);
    ``source``: who sent it (a token's user or a signing source), stored with each event."""
    now = now or datetime.now(UTC)
    result = BatchResult()
    parsed = _parse(raw_events, result, now)
    with Session(engine) as session:
        targets = _targets(session, parsed)
        resolved = _resolve(parsed, targets, brands, result)
        rows = _drop_stored(session, resolved, result, source=source, now=now)
    if rows:
        slots = {r["slot"]: r["brand"] for r in rows}
        new_slots = _new_slot_rows(engine, slots)
        with engine.begin() as conn:
            conn.execute(insert_ignore(engine, PerformanceEvent, ["id"]), rows)
            if new_slots:
                conn.execute(insert_ignore(engine, Slot, ["id"]), new_slots)
        result.accepted.extend(r["id"] for r in rows)
        result.slots.update(slots)
    return result


def _parse(raw_events: Sequence[Any], result: BatchResult, now: datetime) -> list[tuple[int, EventIn]]:
    parsed: list[tuple[int, EventIn]] = []
    first_seen: dict[str, EventIn] = {}
    for index, raw in enumerate(raw_events):
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        shown_id = raw_id if isinstance(raw_id, str) else None
        try:
            event = EventIn.model_validate(raw)
        except ValidationError as err:
            result.refused.append(Refusal(index, shown_id, _problems(err)))
            continue
        if event.timestamp > now + FUTURE_TOLERANCE:
            result.refused.append(Refusal(index, event.id, f"timestamp {event.timestamp.isoformat()} is in the "
                                                            f"future (now {now.isoformat(timespec='seconds')})"))
            continue
        earlier = first_seen.get(event.id)
        if earlier is not None:
            if earlier.model_dump() == event.model_dump():
                result.duplicates.append(event.id)
            else:
                result.refused.append(Refusal(index, event.id, "this id appears earlier in the batch for a "
                                                               "different event"))
            continue
        first_seen[event.id] = event
        parsed.append((index, event))
    return parsed


def _problems(err: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'event'}: {e['msg']}" for e in err.errors()[:5])


def _targets(session: Session, parsed: list[tuple[int, EventIn]]) -> dict[str, _Target]:
    """Variants (by variant id and by delivery id) that the batch names, with their brand and slot."""
    delivery_ids = {e.delivery_id for _i, e in parsed if e.delivery_id}
    by_delivery = dict(session.exec(select(Delivery.id, Delivery.variant_id)
                                    .where(col(Delivery.id).in_(delivery_ids))).all()) if delivery_ids else {}
    variant_ids = {e.variant_id for _i, e in parsed if e.variant_id} | set(by_delivery.values())
    rows = session.exec(select(Variant).where(col(Variant.id).in_(variant_ids))).all() if variant_ids else []
    targets = {v.id: _Target(v.id, v.brand, slot_id(v.brief_id, v.channel), v.state is VariantState.published)
               for v in rows}
    targets.update({f"delivery:{d}": targets[v] for d, v in by_delivery.items() if v in targets})
    return targets


def _resolve(parsed: list[tuple[int, EventIn]], targets: dict[str, _Target], brands: frozenset[str] | None,
             result: BatchResult) -> list[tuple[int, EventIn, _Target]]:
    resolved: list[tuple[int, EventIn, _Target]] = []
    for index, event in parsed:
        key = event.variant_id or f"delivery:{event.delivery_id}"
        named = f"variant {event.variant_id!r}" if event.variant_id else f"delivery {event.delivery_id!r}"
        target = targets.get(key)
        if target is None or (brands is not None and target.brand not in brands):
            result.refused.append(Refusal(index, event.id, f"no {named} in the brands this sender reports on"))
        elif not target.published:
            result.refused.append(Refusal(index, event.id, f"{named} is not published: only copy the CMS "
                                                           "received gets events"))
        else:
            resolved.append((index, event, target))
    return resolved


def _drop_stored(session: Session, resolved: list[tuple[int, EventIn, _Target]], result: BatchResult, *,
                 source: str, now: datetime) -> list[dict[str, Any]]:
    """Rows to insert: resolved events whose id is new. A stored twin is a duplicate; a stored event with
    the same id and other content is refused."""
    ids = [e.id for _i, e, _t in resolved]
    stored = {r.id: r for r in _chunks(session, ids)}
    rows: list[dict[str, Any]] = []
    for index, event, target in resolved:
        slot = f"{target.slot}:{event.placement}" if event.placement else target.slot
        mine = _fingerprint(event.type, target.variant_id, slot, event.timestamp, event.value, event.currency)
        old = stored.get(event.id)
        if old is not None:
            theirs = _fingerprint(old.kind, old.variant_id, old.slot, old.occurred_at, old.value, old.currency)
            if theirs == mine:
                result.duplicates.append(event.id)
            else:
                result.refused.append(Refusal(index, event.id, "this id was already received for a different "
                                                               "event; event ids must be unique"))
            continue
        rows.append({"id": event.id, "kind": event.type, "brand": target.brand, "slot": slot,
                     "variant_id": target.variant_id, "occurred_at": event.timestamp, "value": event.value,
                     "currency": event.currency, "segment": event.segment, "source": source,
                     "received_at": now, "aggregated": False})
    return rows


def _new_slot_rows(engine: Engine, slots: dict[str, str]) -> list[dict[str, Any]]:
    """Rows for the slots not stored yet, each with the goal metric its brief names (:func:`goal_of`)."""
    with Session(engine) as session:
        known = set(session.exec(select(Slot.id).where(col(Slot.id).in_(list(slots)))).all())
        fresh = {slot: brand for slot, brand in slots.items() if slot not in known}
        brief_ids = {parse_slot(slot)[0] for slot in fresh}
        briefs = {b.id: b for b in session.exec(select(Brief).where(col(Brief.id).in_(brief_ids)))} if fresh else {}
    rows = []
    for slot, brand in fresh.items():
        brief_id, channel, _placement = parse_slot(slot)
        goal = goal_of(briefs[brief_id]) if brief_id in briefs else "click"
        rows.append(Slot(id=slot, brand=brand, brief_id=brief_id, channel=channel, goal=goal).model_dump())
    return rows


def _chunks(session: Session, ids: Iterable[str], size: int = 500) -> list[PerformanceEvent]:
    ids = list(ids)
    out: list[PerformanceEvent] = []
    for start in range(0, len(ids), size):
        out.extend(session.exec(select(PerformanceEvent)
                                .where(col(PerformanceEvent.id).in_(ids[start:start + size]))).all())
    return out
