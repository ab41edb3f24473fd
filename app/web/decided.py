"""The decision that took each variant out of review, read from the audit log (who, when, why)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.models import AuditEntry

DECIDED = "review.decided"


def last_decisions(session: Session, brief_id: str, variant_ids: Iterable[str]) -> dict[str, AuditEntry]:
    """Variant id -> its latest ``review.decided`` entry (details: decision, comment, time_in_review_s) among
    the variants of brief ``brief_id``; variants never decided are absent. One query, on the indexed brief."""
    ids = list(variant_ids)
    if not ids:
        return {}
    entries = session.exec(select(AuditEntry).where(
        AuditEntry.brief_id == brief_id, AuditEntry.action == DECIDED,
        col(AuditEntry.subject_id).in_(ids)).order_by(col(AuditEntry.id))).all()
    return {e.subject_id: e for e in entries}
