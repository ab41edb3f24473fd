"""The list routes' queries: one indexed query for a page of ids, one count, then one page of rows.

Shared by the API (``/review/queue``, ``/compliance/blocked``, ``/briefs``, ``/deliveries``) and the pages
(``/ui/review``, ``/ui/compliance``, ``/ui/briefs``, ``/ui/publishing``). The order, the brand scope and
the filters are all SQL over the indexes of migration 0008. A page read by cursor (keyset, :mod:`app.api.keyset`)
costs the same at a hundred rows as at a hundred thousand and at any depth; a page read by offset skips its
offset in the index first. The count reads matching index entries (never a table row) up to ``TOTAL_CAP``.

Brand scope: a principal limited to some brands sees the rows whose copied ``brand`` (the brief's, set
when the variant or delivery is written) is one of theirs, exactly as a filter on the brief's brand would.
An unknown state filter is InvalidInput (422) naming the states, never a database error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, literal, text
from sqlmodel import Session, col, func, select

from app.api import keyset, queries
from app.api.keyset import Key, Order
from app.api.paging import Paged
from app.api.public import AttemptPublic, DeliveryPublic, VariantPublic
from app.auth.roles import Principal
from app.models import Brief, Delivery, DeliveryAttempt, Variant
from app.states import REVIEWABLE, BriefState, DeliveryState, VariantState

# Textually the WHERE term of the partial queue indexes (migration 0008): SQLite uses a partial index
# only when the query repeats it, so the reviewable states are written out, not bound as parameters.
REVIEWABLE_SQL = "variant.state IN ('blocked', 'in_review')"
T = TypeVar("T")
# The count stops here: an exact count reads every matching index entry on every page (15 ms for 95,000
# deliveries in /deliveries under load, growing with the list). A thousand is past what a person pages
# through, and counting that many index entries costs about 0.1 ms on SQLite at any list size.
TOTAL_CAP = 1_000

QUEUE_ORDERS: dict[str, Order] = {
    "age": Order("queue.age", (Key(col(Variant.created_at)), Key(col(Variant.risk), descending=True),
                               Key(col(Variant.id)))),
    "risk": Order("queue.risk", (Key(col(Variant.risk), descending=True, coarse=True), Key(col(Variant.created_at)),
                                 Key(col(Variant.id)))),
    "score": Order("queue.score", (Key(col(Variant.score), descending=True, nullable=True),
                                   Key(col(Variant.created_at)), Key(col(Variant.id)))),
}
BRIEFS_ORDER = Order("briefs.newest", (Key(col(Brief.created_at), descending=True),
                                       Key(col(Brief.id), descending=True)))
DELIVERIES_ORDER = Order("deliveries.newest", (Key(col(Delivery.created_at), descending=True),
                                               Key(col(Delivery.id), descending=True)))


def scoped(stmt: Any, brand_column: Any, user: Principal, brand: str | None = None) -> Any:
    """``stmt`` narrowed to the principal's brands and to ``brand`` when given, on ``brand_column``."""
    allowed = user.brand_filter()
    if allowed is not None:
        stmt = stmt.where(brand_column.in_(allowed))
    return stmt.where(brand_column == brand) if brand else stmt


def _page_ids(session: Session, order: Order, where: Sequence[Any], brand_column: Any, user: Principal, *,
              offset: int, limit: int, cursor: str | None, brand: str | None = None,
              count: bool = True, index: str | None = None) -> Paged[Any]:
    """The ids of one page in order (from the index alone), the total matching (-1 unless ``count``), and
    the neighbours' cursors. With a ``cursor`` the page is a keyset seek; without, it skips ``offset`` rows.
    ``index``: the index SQLite must read (``INDEXED BY``; see :class:`app.db.SQLiteCompilerWithIndexHints`).
    """
    position = keyset.decode(order, cursor) if cursor else None
    table = order.keys[-1].column.table

    def hinted(stmt: Any) -> Any:
        return stmt.with_hint(table, f"INDEXED BY {index}", dialect_name="sqlite") if index else stmt

    stmt = hinted(scoped(select(*order.columns()).where(*where), brand_column, user, brand))
    rows, more = keyset.read(session, stmt, order, position, offset=offset, limit=limit)
    nxt, prev = keyset.cursors(order, rows, position, offset=offset, more=more)
    total = -1
    if count:
        matching = hinted(scoped(select(literal(1)).select_from(table).where(*where), brand_column, user, brand)
                          ).limit(TOTAL_CAP + 1).subquery()
        total = int(session.exec(select(func.count()).select_from(matching)).one())
    capped = total > TOTAL_CAP
    return Paged([r[-1] for r in rows], min(total, TOTAL_CAP), None if position else offset, nxt, prev, capped)


def _in_order(rows: Sequence[Any], ids: Sequence[Any], key: Any) -> list[Any]:
    by_id = {key(r): r for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _queue_index(states: set[VariantState] | None, sort: queries.QueueSort) -> str | None:
    """The partial queue index of ``sort`` (migration 0008) when the states are the reviewable ones."""
    return f"ix_variant_queue_{sort}" if states is None or states == REVIEWABLE else None


def _states_clause(states: set[VariantState] | None) -> ColumnElement[bool]:
    if states is None or states == REVIEWABLE:
        return text(REVIEWABLE_SQL)  # type: ignore[return-value]
    return col(Variant.state).in_([s.value for s in states])


def review_queue(session: Session, user: Principal, *, sort: queries.QueueSort = "age", offset: int = 0,
                 limit: int = 50, cursor: str | None = None, states: set[VariantState] | None = None,
                 details: bool = True, count: bool = True) -> Paged[VariantPublic]:
    """One page of variants waiting for a decision in the principal's brands, and how many wait.

    ``age``: oldest first, riskier first among equals; ``risk``: riskiest first (stored
    ``Variant.risk``), then oldest; ``score``: highest best-of-N score first, unscored (edited) text
    last, then oldest. The variant id breaks the remaining ties. ``states`` defaults to the reviewable
    ones. ``details=False`` leaves out findings and sources (a queue sidebar needs neither); ``count=False``
    leaves out the count (``total`` is then -1). InvalidCursor (422) for a cursor of another sort or not of this API.
    """
    page = _page_ids(session, QUEUE_ORDERS[sort], [_states_clause(states)], col(Variant.brand), user,
                     offset=offset, limit=limit, cursor=cursor, count=count, index=_queue_index(states, sort))
    return _with_items(page, _variants(session, page.items, details=details))


def queue_around(session: Session, user: Principal, variant: Variant, *, sort: queries.QueueSort,
                 limit: int, before: int = 5) -> Paged[VariantPublic]:
    """The queue page a desk shows beside ``variant``: up to ``before`` waiting items ahead of it, then it
    and the items after it, ``limit`` in all, without details; the first page when it is not waiting.

    Two keyset reads from the variant's own sort key, so the cost does not depend on how deep it is.
    """
    order = QUEUE_ORDERS[sort]
    if variant.state not in REVIEWABLE or not user.sees(variant.brand):
        return review_queue(session, user, sort=sort, limit=limit, details=False)
    ahead = review_queue(session, user, sort=sort, limit=before, details=False, count=False,
                         cursor=keyset.encode(order, _key(order, variant), backward=True))
    if not ahead.items:  # the variant is the first waiting item
        return review_queue(session, user, sort=sort, limit=limit, details=False)
    after = review_queue(session, user, sort=sort, limit=limit - len(ahead.items), details=False,
                         cursor=keyset.encode(order, _key(order, ahead.items[-1])))
    return Paged(ahead.items + after.items, after.total, None, after.next_cursor, ahead.prev_cursor,
                 after.total_capped)


def queue_next(session: Session, user: Principal, variant: Variant, *, sort: queries.QueueSort) -> str | None:
    """The id of the waiting item after ``variant`` in the queue, else the queue's first other item, else None."""
    order = QUEUE_ORDERS[sort]
    if variant.state in REVIEWABLE:
        after = _page_ids(session, order, [_states_clause(None)], col(Variant.brand), user, offset=0, limit=1,
                          cursor=keyset.encode(order, _key(order, variant)), count=False,
                          index=_queue_index(None, sort))
        if after.items:
            return str(after.items[0])
    first = _page_ids(session, order, [_states_clause(None)], col(Variant.brand), user, offset=0, limit=2,
                      cursor=None, count=False, index=_queue_index(None, sort))
    return next((str(i) for i in first.items if i != variant.id), None)


def _key(order: Order, item: Any) -> tuple[Any, ...]:
    """``item``'s sort key in ``order`` (a Variant, or anything with the key columns as attributes)."""
    return tuple(getattr(item, k.column.key) for k in order.keys)


def _variants(session: Session, ids: Sequence[str], *, details: bool) -> list[VariantPublic]:
    rows = session.exec(select(Variant).where(col(Variant.id).in_(ids))).all() if ids else []
    ordered = _in_order(rows, ids, lambda v: v.id)
    if details:
        return queries.variants_public(session, ordered)
    return [VariantPublic.model_validate(v.model_dump()) for v in ordered]


def _with_items(page: Paged[Any], items: list[T]) -> Paged[T]:
    return Paged(items, page.total, page.offset, page.next_cursor, page.prev_cursor, page.total_capped)


def list_briefs(session: Session, user: Principal, *, offset: int, limit: int, cursor: str | None = None,
                brand: str | None = None, state: str | None = None) -> Paged[Brief]:
    """Briefs of the principal's brands (and ``brand``, ``state`` when given), newest first."""
    where = [Brief.state == queries.member(BriefState, state)] if state else []
    page = _page_ids(session, BRIEFS_ORDER, where, col(Brief.brand), user, offset=offset, limit=limit,
                     cursor=cursor, brand=brand)
    rows = session.exec(select(Brief).where(col(Brief.id).in_(page.items))).all() if page.items else []
    return _with_items(page, _in_order(rows, page.items, lambda b: b.id))


def list_deliveries(session: Session, user: Principal, *, offset: int, limit: int, cursor: str | None = None,
                    state: str | None = None, variant_id: str | None = None) -> Paged[DeliveryPublic]:
    """Deliveries of the principal's brands, newest first, each with its attempts."""
    where = [*([Delivery.state == queries.member(DeliveryState, state)] if state else []),
             *([Delivery.variant_id == variant_id] if variant_id else [])]
    page = _page_ids(session, DELIVERIES_ORDER, where, col(Delivery.brand), user, offset=offset, limit=limit,
                     cursor=cursor)
    ids = page.items
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
    return _with_items(page, items)
