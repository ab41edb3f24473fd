"""Response and request models of the content routes: what the API shows of each table."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError


class BriefPublic(BaseModel):
    id: str
    brand: str
    product: str | None
    channels: list[str]
    audience: str
    goal: str
    key_message: str
    constraints: str
    n_ideas: int
    n_variants: int
    state: str
    error: str | None
    submitted_by: str
    prompt_pins: dict[str, str]
    language: str = Field(default="en", description="BCP 47 language the copy is written in: 'en' or 'de'.")
    created_at: datetime
    updated_at: datetime


class OverridePublic(BaseModel):
    """A reviewer's acceptance of a warning: who accepted it, why, and when."""

    id: int
    finding_id: int
    actor: str
    reason: str
    created_at: datetime


class FindingPublic(BaseModel):
    id: int | None = None
    gate: str
    check: str
    rule: str
    passed: bool
    severity: str
    spans: list[list[int]] = Field(description="[start, end) offsets into 'headline\\nbody\\ncta'.")
    reason: str
    evidence: str = ""
    suggestion: str | None
    language: str = "en"
    override: OverridePublic | None = Field(
        default=None, description="Set when a reviewer accepted this warning (who, why, when); null otherwise.")


class SourcePublic(BaseModel):
    """A knowledge-base chunk that grounded a draft, as recorded when it was retrieved."""

    id: str
    score: float | None = None
    source: str = ""


class VariantPublic(BaseModel):
    id: str
    brief_id: str
    idea_id: str
    channel: str
    ordinal: int
    revision: int
    parent_id: str | None = None
    headline: str
    body: str
    cta: str
    state: str
    language: str = "en"
    content_hash: str
    prompt_ref: str
    grounding_chunk_ids: list[str]
    approved_by: str | None = None
    review_comment: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    brand: str | None = None
    risk: int = Field(default=0, description="Weight of the current failed findings: block 3, warn 1.")
    score: float | None = Field(
        default=None, description="Best-of-N pre-score of this draft (higher is better); null for edited text.")
    score_components: dict[str, Any] = Field(
        default_factory=dict, description="Why this draft: key_message, grounding, length_fit (0..1), "
        "blocking and warnings (counts), candidates (how many were written for its slot).")
    findings: list[FindingPublic] = []
    sources: list[SourcePublic] = []


class CandidatePublic(BaseModel):
    """One best-of-N candidate written for a variant's slot: the kept one and the ones set aside."""

    id: str
    candidate_no: int
    headline: str
    body: str
    cta: str
    score: float
    score_components: dict[str, Any]
    findings: list[dict[str, Any]] = Field(description="Failed checks: check, rule, severity, reason.")
    kept: bool
    reason: str
    prompt_tokens: int
    completion_tokens: int


class IdeaPublic(BaseModel):
    id: str
    ordinal: int
    title: str
    angle: str
    language: str = "en"
    sources: list[SourcePublic]
    variants: list[VariantPublic]


class StepPublic(BaseModel):
    state: str
    at: datetime
    seconds: float = Field(description="Time spent in this state (until now for the current one).")


class ProgressPublic(BaseModel):
    """What the brief page polls: small on purpose."""

    brief_id: str
    state: str
    stage: str
    error: str | None
    done: bool
    ideas: int
    variants_expected: int
    variants: dict[str, int]
    elapsed_s: float
    timeline: list[StepPublic]
    # Where the brief's variants stand when they differ ("1 published, 1 awaiting compliance, 1 redrafting"),
    # else None; and, while the brief waits for a worker and none is alive, the line that says so.
    summary: str | None = None
    worker_note: str | None = None


class AuditPublic(BaseModel):
    id: int
    actor: str
    action: str
    subject_type: str
    subject_id: str
    details: dict[str, Any]
    created_at: datetime


class AttemptPublic(BaseModel):
    attempt_no: int
    status_code: int | None
    error: str | None
    duration_ms: float
    created_at: datetime


class DeliveryPublic(BaseModel):
    id: str
    variant_id: str
    brief_id: str
    brand: str
    channel: str
    headline: str
    target: str
    state: str
    attempts: int
    last_status: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: list[AttemptPublic]


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list. ``next_cursor``/``prev_cursor`` (null at either end) read the neighbouring pages
    with ``?cursor=``, at the same cost however deep (keyset paging); ``offset`` is the rows skipped, null on
    a page read by cursor. ``total`` counts the matching rows up to 1,000 on the list routes of the desk
    (``total_capped`` true: at least that many)."""

    items: list[T]
    total: int
    offset: int | None
    limit: int
    next_cursor: str | None = None
    prev_cursor: str | None = None
    total_capped: bool = False


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(default="", max_length=2000)


class EditIn(BaseModel):
    """A reviewer's edit: the whole copy, checked again before it can be approved."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    headline: str = Field(min_length=3, max_length=150)
    body: str = Field(min_length=10, max_length=1500)
    cta: str = Field(min_length=2, max_length=80)
    comment: str = Field(default="", max_length=2000)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


OVERRIDE_REASON_MAX = 1000


class OverrideIn(BaseModel):
    """Why a warning is acceptable for this text: required, kept in the audit log with the reviewer's name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=OVERRIDE_REASON_MAX)

    @field_validator("reason", mode="before")
    @classmethod
    def _reason_given(cls, value: object) -> object:
        """A blank reason is refused with what to write instead (before the generic length check)."""
        if isinstance(value, str) and not value.strip():
            raise PydanticCustomError("missing_reason", "say why the warning is acceptable for this text: "
                                                        "the reason is kept in the audit log")
        return value


class ErrorOut(BaseModel):
    code: str
    message: str
    errors: list[dict[str, Any]] | None = None


class QueuedOut(BaseModel):
    status: str
