"""The stored provenance of each published variant (migration 0011)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from app.models import utcnow


class ProvenanceRecord(SQLModel, table=True):
    """The signed manifest sent with a variant's delivery, as sent: one per variant, written with the delivery.

    ``manifest_sha256`` is SHA-256 over the signed bytes (:func:`app.provenance.verify.signed_bytes`); the same
    hash is in the ``provenance.signed`` audit entry, so the hash chain vouches for the stored manifest."""

    variant_id: str = Field(primary_key=True, foreign_key="variant.id", max_length=32)
    brief_id: str = Field(index=True, max_length=32)
    delivery_id: str = Field(max_length=40)
    key_id: str = Field(max_length=16)
    manifest_sha256: str = Field(max_length=64)
    manifest: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    signature: str = Field(sa_column=Column(Text, nullable=False))
    c2pa_store_b64: str | None = Field(default=None, sa_column=Column(Text))
    c2pa_note: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)
