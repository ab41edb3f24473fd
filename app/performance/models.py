"""Tables of :mod:`app.performance` (migration 0013): raw performance events, per-variant aggregates,
slots with their winners and weight history, retractions and withdrawn claims.

- ``PerformanceEvent``: one impression, click or conversion as a CMS or analytics tool sent it. ``id`` is the
  sender's event id: a second event with the same id is a replay and changes nothing. ``aggregated`` is false
  until the aggregation task (:mod:`app.performance.aggregate`) has added it to ``VariantStats``, in the same
  transaction that flips it.
- ``VariantStats``: running sums per (slot, variant): what the posteriors are read from, so a choice reads a
  handful of rows whatever the number of events.
- ``Slot``: a place copy is shown (default: one brief on one channel, ``<brief_id>:<channel>``), its goal
  metric and, once the stopping rule fires, its winner.
- ``WeightSnapshot``: the slot's allocation after each aggregation run (the history of weights).
- ``Retraction``: a variant taken out of rotation (claim withdrawn, approval revoked, compliance retracted),
  and the state of the signed ``content.retracted`` notice sent about it (``id`` is its webhook-id).
- ``ClaimWithdrawal``: an approved claim the brand no longer stands behind.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from app.models import new_id, utcnow


class PerformanceEvent(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=128)
    kind: str = Field(max_length=16)  # impression, click, conversion
    brand: str = Field(max_length=64, index=True)
    slot: str = Field(max_length=200)
    variant_id: str = Field(max_length=32, index=True)
    occurred_at: datetime
    value: float | None = None
    currency: str | None = Field(default=None, max_length=3)
    segment: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    source: str = Field(max_length=128)
    received_at: datetime = Field(default_factory=utcnow)
    aggregated: bool = Field(default=False, index=True)


class VariantStats(SQLModel, table=True):
    slot: str = Field(primary_key=True, max_length=200)
    variant_id: str = Field(primary_key=True, max_length=32)
    brand: str = Field(max_length=64, index=True)
    impressions: int = 0
    clicks: int = 0
    conversions: int = 0
    value_sum: float = 0.0
    last_event_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class Slot(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=200)
    brand: str = Field(max_length=64, index=True)
    brief_id: str = Field(max_length=32, index=True)
    channel: str = Field(max_length=32)
    goal: str = Field(default="click", max_length=16)  # click: clicks per impression; conversion: per impression
    winner_variant_id: str | None = Field(default=None, max_length=32)
    winner_probability: float | None = None
    winner_declared_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class WeightSnapshot(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slot: str = Field(max_length=200, index=True)
    weights: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    impressions: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class Retraction(SQLModel, table=True):
    id: str = Field(default_factory=lambda: "rtr_" + new_id(), primary_key=True, max_length=40)
    variant_id: str = Field(unique=True, max_length=32)
    brand: str = Field(max_length=64, index=True)
    brief_id: str = Field(max_length=32, index=True)
    kind: str = Field(max_length=32)  # claim_withdrawn, approval_revoked, compliance_retracted, approval_invalid
    reason: str = Field(sa_column=Column(Text, nullable=False))
    claim_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    actor: str = Field(max_length=128)
    notice_state: str = Field(default="pending", max_length=16)  # pending, delivered, dead
    notice_attempts: int = 0
    notice_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)


class ClaimWithdrawal(SQLModel, table=True):
    brand: str = Field(primary_key=True, max_length=64)
    claim_id: str = Field(primary_key=True, max_length=64)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    actor: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utcnow)
