"""Tables of prompt evaluation: one :class:`EvalRun` per comparison, one :class:`EvalCaseResult` per
case and side.

A run compares a ``candidate`` prompt version and model with a ``baseline`` over a suite; both refs are
pinned to numbered versions (``draft@2``) with their file hashes when the run starts, and each side's
model is recorded in ``config["models"]`` (name, backend, and the file's SHA-256 when local), so a
resumed run uses exactly the same prompts and models. ``model`` is the candidate side's model name.
``(run_id, case_id, side)`` is unique: a resumed run skips what is stored.
Importing this module also registers :class:`~app.prompting.models.PromptLabelEvent`, so the
migration environment needs one import for every table of prompt versioning and evaluation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models import new_id, utcnow
from app.prompting.models import PromptLabelEvent

SIDES = ("candidate", "baseline")


class EvalRun(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    suite: str = Field(index=True, max_length=128)
    suite_path: str = Field(default="", sa_column=Column(Text, nullable=False))
    prompt_ref: str = Field(max_length=128)  # the candidate, pinned: draft@2
    prompt_hash: str = Field(max_length=64)
    prompt_label: str = Field(default="", max_length=128)  # as asked: draft@candidate
    baseline_ref: str = Field(max_length=128)
    baseline_hash: str = Field(max_length=64)
    baseline_label: str = Field(default="", max_length=128)
    model: str = Field(default="", max_length=128)  # the candidate's; both sides in config["models"]
    status: str = Field(default="running", index=True, max_length=16)  # running|finished|interrupted|failed
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    summary: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    error: str | None = Field(default=None, sa_column=Column(Text))
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class EvalCaseResult(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("run_id", "case_id", "side", name="uq_evalcaseresult_slot"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="evalrun.id", index=True, max_length=32)
    case_id: str = Field(max_length=128)
    side: str = Field(max_length=16)
    output: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    metrics: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


__all__ = ["SIDES", "EvalCaseResult", "EvalRun", "PromptLabelEvent"]
