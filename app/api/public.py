"""Response models: what the API shows of each table."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel


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
    created_at: datetime
    updated_at: datetime


class FindingPublic(BaseModel):
    gate: str
    check: str
    rule: str
    passed: bool
    severity: str
    spans: list[list[int]]
    reason: str
    suggestion: str | None


class VariantPublic(BaseModel):
    id: str
    brief_id: str
    idea_id: str
    channel: str
    ordinal: int
    revision: int
    headline: str
    body: str
    cta: str
    state: str
    content_hash: str
    prompt_ref: str
    grounding_chunk_ids: list[str]
    findings: list[FindingPublic] = []


class AuditPublic(BaseModel):
    id: int
    actor: str
    action: str
    subject_type: str
    subject_id: str
    details: dict[str, Any]
    created_at: datetime


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int


class DecisionIn(BaseModel):
    comment: str = ""


class ErrorOut(BaseModel):
    code: str
    message: str
