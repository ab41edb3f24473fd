"""The list routes' queries: one indexed query for a page of ids, one count, then one page of rows.

Shared by the API (``/review/queue``, ``/compliance/blocked``, ``/briefs``, ``/deliveries``) and the pages
(``/ui/review``, ``/ui/compliance``, ``/ui/briefs``, ``/ui/publishing``). The order, the brand scope and
the filters are all SQL over the indexes of migration 0008, so a page costs the same at a hundred rows as
at a hundred thousand; only the count reads every matching index entry (never a table row).

Brand scope: a principal limited to some brands sees the rows whose copied ``brand`` (the brief's, set
when the variant or delivery is written) is one of theirs, exactly as a filter on the brief's brand would.
An unknown state filter is InvalidInput (422) naming the states, never a database error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, text
from sqlmodel import Session, col, func, select

from app.api import queries
from app.api.public import AttemptPublic, DeliveryPublic, VariantPublic
from app.auth.roles import Principal
from app.models import Brief, Delivery, DeliveryAttempt, Variant
from app.states import REVIEWABLE, BriefState, DeliveryState, VariantState

# Textually the WHERE term of the partial queue indexes (migration 0008): SQLite uses a partial index
# only when the query repeats it, so the reviewable states are written out, not bound as parameters.
REVIEWABLE_SQL = "variant.state IN ('blocked', 'in_review')"

QUEUE_ORDER: dict[str, tuple[Any, ...]] = {
    "age": (col(Variant.created_at), col(Variant.risk).desc(), col(Variant.id)),
    "risk": (col(Variant.risk).desc(), col(Variant.created_at), col(Variant.id)),
    "score": (col(Variant.score).desc().nulls_last(), col(Variant.created_at), col(Variant.id)),
}


def scoped(stmt: Any, brand_column: Any, user: Principal, brand: str | None = None) -> Any:
    """``stmt`` narrowed to the principal's brands and to ``brand`` when given, on ``brand_column``."""
    allowed = user.brand_filter()
    if allowed is not None:
        stmt = stmt.where(brand_column.in_(allowed))
    return stmt.where(brand_column == brand) if brand else stmt


def _page_ids(session: Session, id_column: Any, where: Sequence[Any], order: Sequence[Any], brand_column: Any,
              user: Principal, *, offset: int, limit: int, brand: str | None = None) -> tuple[list[Any], int]:
    """(ids of one page in order, total matching) from the index alone."""
    stmt = scoped(select(id_column).where(*where), brand_column, user, brand)
    ids = list(session.exec(stmt.order_by(*order).offset(offset).limit(limit)).all())
    counted = scoped(select(func.count()).select_from(id_column.table).where(*where), brand_column, user, brand)
    return ids, int(session.exec(counted).one())


def _in_order(rows: Sequence[Any], ids: Sequence[Any], key: Any) -> list[Any]:
    by_id = {key(r): r for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _states_clause(states: set[VariantState] | None) -> ColumnElement[bool]:
    if states is None or states == REVIEWABLE:
        return text(REVIEWABLE_SQL)  # type: ignore[return-value]
    return col(Variant.state).in_([s.value for s in states])


def review_queue(session: Session, user: Principal, *, sort: queries.QueueSort = "age", offset: int = 0,
                 limit: int = 50, states: set[VariantState] | None = None,
                 details: bool = True) -> tuple[list[VariantPublic], int]:
    """One page of variants waiting for a decision in the principal's brands, and how many wait.

    ``age``: oldest first, riskier first among equals; ``risk``: riskiest first (stored
    ``Variant.risk``), then oldest; ``score``: highest best-of-N score first, unscored (edited) text
    last, then oldest. The variant id breaks the remaining ties. ``states`` defaults to the reviewable
    ones. ``details=False`` leaves out findings and sources (a queue sidebar needs neither).
    """
    ids, total = _page_ids(session, col(Variant.id), [_states_clause(states)], QUEUE_ORDER[sort],
                           col(Variant.brand), user, offset=offset, limit=limit)
    rows = session.exec(select(Variant).where(col(Variant.id).in_(ids))).all() if ids else []
    ordered = _in_order(rows, ids, lambda v: v.id)
    if details:
        return queries.variants_public(session, ordered), total
    return [VariantPublic.model_validate(v.model_dump()) for v in ordered], total


def list_briefs(session: Session, user: Principal, *, offset: int, limit: int, brand: str | None = None,
                state: str | None = None) -> tuple[list[Brief], int]:
    """Briefs of the principal's brands (and ``brand``, ``state`` when given), newest first."""
    where = [Brief.state == queries.member(BriefState, state)] if state else []
    ids, total = _page_ids(session, col(Brief.id), where, (col(Brief.created_at).desc(), col(Brief.id).desc()),
                           col(Brief.brand), user, offset=offset, limit=limit, brand=brand)
    rows = session.exec(select(Brief).where(col(Brief.id).in_(ids))).all() if ids else []
    return _in_order(rows, ids, lambda b: b.id), total


def list_deliveries(session: Session, user: Principal, *, offset: int, limit: int, state: str | None = None,
                    variant_id: str | None = None) -> tuple[list[DeliveryPublic], int]:
    """Deliveries of the principal's brands, newest first, each with its attempts."""
    where = [*([Delivery.state == queries.member(DeliveryState, state)] if state else []),
             *([Delivery.variant_id == variant_id] if variant_id else [])]
    ids, total = _page_ids(session, col(Delivery.id), where,
                           (col(Delivery.created_at).desc(), col(Delivery.id).desc()),
                           col(Delivery.brand), user, offset=offset, limit=limit)
    rows = session.exec(select(Delivery, Variant).join(Variant, col(Variant.id) == col(Delivery.variant_id))
                        .where(col(Delivery.id).in_(ids))).all() if ids else []
    attempts = session.exec(select(DeliveryAttempt).where(col(DeliveryAttempt.delivery_id).in_(ids))
                            .order_by(col(DeliveryAttempt.attempt_no))).all() if ids else []
    log: dict[str, list[AttemptPublic]] = {}
    for a in attempts:
        log.setdefault(a.delivery_id, []).append(AttemptPublic.model_validate(a, from_attributes=True))
    items = [DeliveryPublic.model_validate({
        **d.model_dump(), "brand": d.brand, "channel": v.channel, "headline": v.headline,
        "attempt_log": log.get(d.id, []),
    }) for d, v in _in_order(rows, ids, lambda row: row[0].id)]
    return items, total
