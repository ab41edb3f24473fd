"""Route for compliance officers and admins: is the audit log intact?"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel

from app.api.deps import FactoryDep, requires
from app.api.errors import ERROR_RESPONSES
from app.audit.keys import signer_for
from app.audit.verify import verify
from app.auth.roles import Permission, Principal

router = APIRouter(tags=["audit"], responses=ERROR_RESPONSES)
AuditVerifier = Annotated[Principal, requires(Permission.verify_audit)]


class BreakPublic(BaseModel):
    kind: str
    message: str
    seq: int | None = None
    checkpoint: int | None = None


class AuditVerifyPublic(BaseModel):
    """What ``factory audit verify --json`` prints: ``ok``, counts, and every break, the first one first."""

    ok: bool
    entries: int
    last_seq: int
    head_hash: str
    checkpoints: int
    exported: int
    first_break: BreakPublic | None
    breaks: list[BreakPublic]
    warnings: list[str]


@router.get("/audit/verify")
def verify_audit(factory: FactoryDep, _user: AuditVerifier) -> AuditVerifyPublic:
    """Walk the hash chain of the whole audit log (every brand) and its signed checkpoints, with the configured
    key and checkpoint folder. ``ok`` false names the first break: an edited, deleted, inserted, reordered or
    truncated entry, or a checkpoint the log no longer matches. Reads every entry: seconds on a large log."""
    settings = factory.settings
    report = verify(factory.engine, public_key=signer_for(settings).public_key,
                    folder=settings.resolved_audit_checkpoint_dir)
    return AuditVerifyPublic.model_validate(report.to_dict())
