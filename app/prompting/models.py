"""The label history table: every move of a prompt label, who made it and why.

Rows are only inserted. :func:`app.prompting.labels.rollback` replays them to find the version a label
pointed to before; ``labels.yaml`` holds only the current pointers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from app.models import utcnow


class PromptLabelEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    prompt: str = Field(index=True, max_length=64)
    label: str = Field(max_length=64)
    action: str = Field(max_length=16)  # promote | rollback
    from_version: int | None = None
    to_version: int
    prompt_hash: str = Field(max_length=64)
    actor: str = Field(max_length=128)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
