"""The audit log: every state change, LLM call, retrieval, check, decision and delivery.

Entries are only ever inserted (the database refuses UPDATE, DELETE and, on PostgreSQL, TRUNCATE). An
entry is written in the same transaction as the change it describes, so a rolled-back change leaves no
entry. The entries form a hash chain with signed checkpoints kept in and outside the database, so edits by
anyone who gets past the database's refusals are found by ``factory audit verify``:

- :mod:`app.audit.chain`: canonical content, entry hashes, appending under one lock at commit;
- :mod:`app.audit.checkpoints`: signed checkpoints and their export (folder, URL);
- :mod:`app.audit.keys`: the Ed25519 signing key;
- :mod:`app.audit.verify`: the walk that reports the first break.
"""

from __future__ import annotations

import math
from typing import Any

from sqlmodel import Session, col, select

from app.audit import chain, checkpoints  # noqa: F401  (install the session hooks that chain and checkpoint)
from app.audit.models import AuditChainLock, AuditCheckpoint  # noqa: F401  (register the tables)
from app.models import AuditEntry

SYSTEM = "system:worker"
# The integers JSON holds exactly (RFC 8785 and I-JSON, RFC 7493 section 2.2); larger ones are kept as text.
_SAFE_INTEGER = 2**53 - 1


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
    """Add one entry to ``session`` (committed with the caller's transaction, which also chains it)."""
    entry = AuditEntry(
        brief_id=brief_id, subject_type=subject_type, subject_id=subject_id,
        action=action, actor=actor, details=_jsonable(details),
    )
    session.add(entry)
    return entry


def trail(session: Session, brief_id: str) -> list[AuditEntry]:
    """Every entry of a brief, in chain order (oldest first)."""
    stmt = select(AuditEntry).where(AuditEntry.brief_id == brief_id).order_by(col(AuditEntry.seq), col(AuditEntry.id))
    return list(session.exec(stmt))


def _jsonable(value: Any) -> Any:
    """``value`` as JSON that hashes the same after any database's round trip: no tuples or sets, string keys,
    no integer beyond 2**53 and no NaN or infinity (both kept as text)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= _SAFE_INTEGER else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return str(value)
