"""Database tables (SQLModel). One table per thing the factory tracks; JSON columns for lists.

Uniqueness constraints carry the idempotency of the pipeline: a redelivered task that tries to insert
an idea, a variant or a delivery that already exists hits the constraint and changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.states import BriefState, DeliveryState, VariantState


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


def _json(**kw: Any) -> Any:
    return Field(default_factory=kw.pop("default_factory", list), sa_column=Column(JSON, nullable=False))


class Brief(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    brand: str = Field(index=True, max_length=64)
    product: str | None = Field(default=None, max_length=128)
    channels: list[str] = _json()
    audience: str = Field(sa_column=Column(Text, nullable=False))
    goal: str = Field(sa_column=Column(Text, nullable=False))
    key_message: str = Field(sa_column=Column(Text, nullable=False))
    constraints: str = Field(default="", sa_column=Column(Text, nullable=False))
    n_ideas: int = 2
    n_variants: int = 2
    state: BriefState = Field(default=BriefState.submitted, index=True)
    error: str | None = Field(default=None, sa_column=Column(Text))
    submitted_by: str = Field(max_length=128)
    prompt_pins: dict[str, str] = _json(default_factory=dict)
    # BCP 47 primary language subtag the copy is written in ("en", "de"; app/language.py, migration 0012).
    language: str = Field(default="en", max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class Idea(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("brief_id", "ordinal", name="uq_idea_brief_ordinal"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    brief_id: str = Field(foreign_key="brief.id", index=True, max_length=32)
    ordinal: int
    title: str = Field(sa_column=Column(Text, nullable=False))
    angle: str = Field(sa_column=Column(Text, nullable=False))
    grounding_chunk_ids: list[str] = _json()
    language: str = Field(default="en", max_length=16)  # the brief's
    created_at: datetime = Field(default_factory=utcnow)


class Variant(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("idea_id", "channel", "ordinal", "revision", name="uq_variant_slot"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    brief_id: str = Field(foreign_key="brief.id", index=True, max_length=32)
    idea_id: str = Field(foreign_key="idea.id", index=True, max_length=32)
    channel: str = Field(max_length=32)
    ordinal: int
    revision: int = 1
    parent_id: str | None = Field(default=None, max_length=32)
    feedback: str | None = Field(default=None, sa_column=Column(Text))
    headline: str = Field(sa_column=Column(Text, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    cta: str = Field(sa_column=Column(Text, nullable=False))
    content_hash: str = Field(max_length=64)
    state: VariantState = Field(default=VariantState.in_review, index=True)
    grounding_chunk_ids: list[str] = _json()
    prompt_ref: str = Field(default="", max_length=128)
    review_comment: str | None = Field(default=None, sa_column=Column(Text))
    approved_by: str | None = Field(default=None, max_length=128)
    approved_hash: str | None = Field(default=None, max_length=64)
    # Best-of-N pre-score of the kept candidate (app/pipeline/selection.py): higher is better; None for
    # variants written before scoring existed. Its parts explain "why this draft" on the desk.
    score: float | None = Field(default=None, index=True)
    score_components: dict[str, Any] = _json(default_factory=dict)
    # Review-queue fields (app/pipeline/risk.py, migration 0008): the brief's brand, copied so the queue's
    # brand scope reads one index; the weight of the current failed findings, written with the findings.
    brand: str = Field(default="", max_length=64)
    risk: int = 0
    # The brief's language, which the draft was asked for and checked in (a draft in another one is a
    # quality:language finding).
    language: str = Field(default="en", max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class DraftCandidate(SQLModel, table=True):
    """One of the N drafts written for a variant slot; the kept one points at its variant.

    Rejected candidates are stored (not shown by default) so evals can learn from them.
    """

    __table_args__ = (
        UniqueConstraint("idea_id", "channel", "ordinal", "revision", "candidate_no", name="uq_candidate_slot"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    brief_id: str = Field(foreign_key="brief.id", index=True, max_length=32)
    idea_id: str = Field(foreign_key="idea.id", max_length=32)
    channel: str = Field(max_length=32)
    ordinal: int
    revision: int = 1
    candidate_no: int
    headline: str = Field(sa_column=Column(Text, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    cta: str = Field(sa_column=Column(Text, nullable=False))
    content_hash: str = Field(max_length=64)
    score: float
    score_components: dict[str, Any] = _json(default_factory=dict)
    findings: list[dict[str, Any]] = _json()
    kept: bool = False
    variant_id: str | None = Field(default=None, max_length=32)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    prompt_tokens: int = 0
    completion_tokens: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class CheckFinding(SQLModel, table=True):
    """One check's verdict on one variant at one gate (``draft`` or ``compliance``)."""

    id: int | None = Field(default=None, primary_key=True)
    variant_id: str = Field(foreign_key="variant.id", index=True, max_length=32)
    gate: str = Field(max_length=16)
    check: str = Field(max_length=64)
    rule: str = Field(max_length=128)
    passed: bool
    severity: str = Field(max_length=16)
    spans: list[list[int]] = _json()
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    evidence: str = Field(default="", sa_column=Column(Text, nullable=False))
    suggestion: str | None = Field(default=None, sa_column=Column(Text))
    language: str = Field(default="en", max_length=16)  # the language the text was checked in
    created_at: datetime = Field(default_factory=utcnow)


class LLMCall(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    brief_id: str | None = Field(default=None, index=True, max_length=32)
    stage: str = Field(max_length=32)
    prompt_ref: str = Field(max_length=128)
    prompt_hash: str = Field(max_length=64)
    model: str = Field(max_length=128)
    params: dict[str, Any] = _json(default_factory=dict)
    attempt: int = 1
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    ok: bool = True
    error: str | None = Field(default=None, sa_column=Column(Text))
    # The best-of-N candidate this call wrote (drafting only): tells spent from thrown-away tokens.
    candidate_id: str | None = Field(default=None, index=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow)


class Delivery(SQLModel, table=True):
    """One publication of one approved variant. ``id`` is the webhook-id receivers dedupe on."""

    id: str = Field(default_factory=lambda: "msg_" + new_id(), primary_key=True, max_length=40)
    variant_id: str = Field(foreign_key="variant.id", unique=True, max_length=32)
    brief_id: str = Field(index=True, max_length=32)
    target: str = Field(max_length=512)
    state: DeliveryState = Field(default=DeliveryState.pending, index=True)
    attempts: int = 0
    last_status: int | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    next_attempt_at: datetime | None = None
    delivered_at: datetime | None = None
    payload: dict[str, Any] = _json(default_factory=dict)
    # The brief's brand, copied so the deliveries list filters by brand on one index (migration 0008).
    brand: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    # Attempts made before the current round of the retry schedule (a manual retry starts a round):
    # ``attempts`` keeps counting across rounds, ``attempts - round_base`` is this round's count.
    round_base: int = 0


class DeliveryAttempt(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    delivery_id: str = Field(foreign_key="delivery.id", index=True, max_length=40)
    attempt_no: int
    status_code: int | None = None
    error: str | None = Field(default=None, sa_column=Column(Text))
    duration_ms: float = 0.0
    created_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """Append-only: the migrations install triggers that refuse UPDATE, DELETE and TRUNCATE.

    ``seq``, ``prev_hash`` and ``entry_hash`` chain the entries (:mod:`app.audit.chain`); they are set when the
    writing transaction commits, under a lock, never by callers.
    """

    id: int | None = Field(default=None, primary_key=True)
    seq: int | None = Field(default=None, unique=True, index=True)
    prev_hash: str | None = Field(default=None, max_length=64)
    entry_hash: str | None = Field(default=None, max_length=64)
    brief_id: str | None = Field(default=None, index=True, max_length=32)
    subject_type: str = Field(max_length=32)
    subject_id: str = Field(max_length=64)
    action: str = Field(max_length=64)
    actor: str = Field(max_length=128)
    details: dict[str, Any] = _json(default_factory=dict)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class FindingOverride(SQLModel, table=True):
    """A reviewer accepted a warning with a reason. Blocking findings cannot be overridden."""

    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="checkfinding.id", unique=True)
    variant_id: str = Field(foreign_key="variant.id", index=True, max_length=32)
    actor: str = Field(max_length=128)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class WorkClaim(SQLModel, table=True):
    """A lease on one unit of work (a draft slot, an ideation, a redraft, a delivery attempt).

    ``key`` names the unit; ``owner`` is the worker holding it (``host:pid``) until ``expires_at``
    (UTC), which the owner pushes forward while it works. Recovery re-enqueues ``task(item_id)``
    only once the lease has expired: the owner died without finishing.
    """

    key: str = Field(primary_key=True, max_length=200)
    task: str = Field(max_length=32)
    item_id: str = Field(max_length=64)
    owner: str = Field(max_length=128)
    expires_at: datetime = Field(index=True)
    created_at: datetime = Field(default_factory=utcnow)


class DisabledEndpoint(SQLModel, table=True):
    """A webhook URL that answered 410 Gone: nothing is sent to it until a person re-enables it."""

    target: str = Field(primary_key=True, max_length=512)
    status: int | None = None
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    delivery_id: str | None = Field(default=None, max_length=40)
    disabled_at: datetime = Field(default_factory=utcnow)
