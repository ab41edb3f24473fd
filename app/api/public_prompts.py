"""Request and response models of the prompt registry and eval-case routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.schemas import NAME_PATTERN


class PromptVersionPublic(BaseModel):
    """One version file: ``valid`` is false (with ``error``) when it no longer loads, e.g. edited after its lock."""

    name: str
    version: int
    sha256: str | None
    locked: bool
    labels: list[str]
    description: str = ""
    valid: bool = True
    error: str | None = None


class PromptPublic(BaseModel):
    name: str
    labels: dict[str, int] = Field(description="Label -> version: what `name@label` resolves to now.")
    versions: list[PromptVersionPublic]


class PromptVersionDetail(PromptVersionPublic):
    """A version as the pipeline renders it: declared variables, output schema, model parameters, templates."""

    variables: list[str]
    output_schema: str | None
    params: dict[str, Any]
    system: str
    user: str
    source: str = Field(description="The file's exact text; its SHA-256 is `sha256`.")


class PromptDiffOut(BaseModel):
    a: str = Field(description="The left side, resolved to name@version.")
    b: str
    identical: bool
    diff: str = Field(description="Unified diff of the two files; empty when identical.")


class LabelEventPublic(BaseModel):
    id: int
    prompt: str
    label: str
    action: str
    from_version: int | None
    to_version: int
    prompt_hash: str
    actor: str
    reason: str
    created_at: datetime


class PromoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    version: int = Field(ge=1, le=1_000_000, description="The version the label should point to.")
    reason: str = Field(min_length=1, max_length=2000, description="Kept in the label history and the audit log.")


class RollbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=2000, description="Kept in the label history and the audit log.")


class LabelMoveOut(BaseModel):
    prompt: str
    label: str
    version: int = Field(description="Where the label points now.")
    moved: bool = Field(description="False when the label already pointed there (nothing was recorded).")
    event: LabelEventPublic | None


class EvalCaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    suite: str = Field(pattern=NAME_PATTERN, description="A suite name in evals/suites: core, claims, adversarial...")


class EvalCaseOut(BaseModel):
    suite: str
    case_id: str
    must_not_mention: list[str]
    note: str
    brief: dict[str, Any]
