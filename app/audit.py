"""The audit log: every state change, LLM call, retrieval, check, decision and delivery.

Entries are only ever inserted (the database refuses UPDATE and DELETE on the table). An entry is
written in the same transaction as the change it describes, so a rolled-back change leaves no entry.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from app.models import AuditEntry

SYSTEM = "system:worker"


def record(
    session: Session,
    *,
    action: str,
    actor: str,
    subject_type: str,
    subject_id: str,
    brief_id: str | None = None,
    **details: Any,
) -> AuditEntry:
    """Add one entry to ``session`` (committed with the caller's transaction)."""
    entry = AuditEntry(
        brief_id=brief_id, subject_type=subject_type, subject_id=subject_id,
        action=action, actor=actor, details=_jsonable(details),
    )
    session.add(entry)
    return entry


def trail(session: Session, brief_id: str) -> list[AuditEntry]:
    """Every entry of a brief, oldest first."""
    stmt = select(AuditEntry).where(AuditEntry.brief_id == brief_id).order_by(col(AuditEntry.id))
    return list(session.exec(stmt))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
