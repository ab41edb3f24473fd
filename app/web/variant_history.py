"""A variant's history: every revision of its slot with what happened to each, oldest first.

Events are the audit log's entries on the slot's revisions (created, checked and fixed by the guardrails, decided,
edited, overridden, state changes, cleared by compliance) and on their deliveries, with each delivery attempt.
Findings are listed with the revision they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.api import queries
from app.api.public import VariantPublic
from app.models import AuditEntry, Delivery, DeliveryAttempt, Variant

MAX_REVISIONS = 50


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, object]


def slot_revisions(session: Session, variant: Variant) -> list[Variant]:
    """The revisions of ``variant``'s slot (same idea, channel and ordinal), oldest first."""
    return list(session.exec(select(Variant).where(
        Variant.idea_id == variant.idea_id, Variant.channel == variant.channel, Variant.ordinal == variant.ordinal)
        .order_by(col(Variant.revision)).limit(MAX_REVISIONS)))


def variant_history(session: Session, variant: Variant) -> tuple[list[VariantPublic], list[HistoryEvent]]:
    """(the slot's revisions with their findings, oldest first; every event on them, oldest first)."""
    revisions = slot_revisions(session, variant)
    ids = [v.id for v in revisions]
    deliveries = list(session.exec(select(Delivery).where(col(Delivery.variant_id).in_(ids))))
    subjects = ids + [d.id for d in deliveries]
    entries = session.exec(select(AuditEntry).where(
        AuditEntry.brief_id == variant.brief_id, col(AuditEntry.subject_id).in_(subjects))
        .order_by(col(AuditEntry.id))).all()
    events = [HistoryEvent(at=e.created_at, actor=e.actor, action=e.action,
                           subject=f"{e.subject_type} {e.subject_id[:8]}", details=e.details) for e in entries]
    attempts = session.exec(select(DeliveryAttempt).where(
        col(DeliveryAttempt.delivery_id).in_([d.id for d in deliveries] or [""]))).all()
    events += [HistoryEvent(at=a.created_at, actor="system:publisher", action="delivery.attempt_result",
                            subject=f"delivery {a.delivery_id[:12]}",
                            details={"attempt": a.attempt_no, "status": a.status_code or "",
                                     "error": a.error or "", "ms": round(a.duration_ms)})
               for a in attempts]
    events.sort(key=lambda e: e.at)
    return queries.variants_public(session, revisions), events
