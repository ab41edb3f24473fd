"""Keyset (cursor) paging: a page starts right after the sort key of the row before it.

An offset page makes the database read and skip every row before it, so page 1,000 costs a thousand pages.
A keyset page seeks the order's index to the key of the last row shown and reads one page from there, so every
page of a list costs the same at any depth and any size. The list routes answer ``next_cursor`` and
``prev_cursor`` with each page; passing one back as ``?cursor=`` reads the page after (or before) it.

A cursor is opaque to clients: the base64url (unpadded) JSON ``{"o": order name, "k": [sort key values of the
edge row], "b": true when it reads backwards}``. It holds no permission: the caller's brand scope and the
filters are applied to every page, so an edited cursor can only point somewhere else in the caller's own list.
A cursor of one order (``queue.risk``) is refused by another (``queue.age``): the same values mean another place.

Raises :class:`app.errors.InvalidCursor` (422, ``invalid_cursor``) for a token that does not decode to a
position of the route's order.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session

from app.errors import InvalidCursor

MAX_CURSOR_CHARS = 512  # a cursor holds three short keys; anything longer is not ours


@dataclass(frozen=True)
class Key:
    """One sort key: a column, its direction, whether it may be NULL, and whether it is coarse.

    Only a descending first key may be nullable; its NULLs sort last (so first when the order is read backwards).
    ``coarse``: a first key with few distinct values (the risk weight), so long runs of rows share it; a page
    then reads the rest of the cursor's run and the runs beyond it as two seeks, instead of one range that
    starts at the run's beginning and filters out every row of it before the cursor.
    """

    column: Any
    descending: bool = False
    nullable: bool = False
    coarse: bool = False

    def flipped(self) -> Key:
        return replace(self, descending=not self.descending)

    def sql(self) -> Any:
        if not self.nullable:
            return self.column.desc() if self.descending else self.column.asc()
        # Reading backwards flips NULLS LAST too: the NULL rows come first in the reversed order.
        return self.column.desc().nulls_last() if self.descending else self.column.asc().nulls_first()


@dataclass(frozen=True)
class Order:
    """A named list order; its last key must be unique (the row id) so every row has one position."""

    name: str
    keys: tuple[Key, ...]

    def order_by(self, *, backward: bool = False) -> list[Any]:
        return [(k.flipped() if backward else k).sql() for k in self.keys]

    def columns(self) -> list[Any]:
        return [k.column for k in self.keys]


@dataclass(frozen=True)
class Position:
    """Where a page starts: strictly after (``backward``: before) the row whose sort key is ``values``."""

    values: tuple[Any, ...]
    backward: bool = False


def encode(order: Order, values: Sequence[Any], *, backward: bool = False) -> str:
    """The cursor token of a position in ``order`` (``values``: the edge row's sort key, in key order)."""
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps({"o": order.name, "k": plain, "b": backward}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(order: Order, token: str) -> Position:
    """The position a cursor token names; InvalidCursor when it is malformed or belongs to another order."""
    if len(token) > MAX_CURSOR_CHARS:
        raise InvalidCursor(f"cursor: longer than {MAX_CURSOR_CHARS} characters; pass back a next_cursor "
                            "or prev_cursor exactly as a page gave it")
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError) as exc:  # ValueError covers bad JSON and non-UTF-8 bytes
        raise InvalidCursor("cursor: not a cursor of this API; pass back a next_cursor or prev_cursor "
                            "exactly as a page gave it") from exc
    if not isinstance(data, dict) or data.get("o") != order.name:
        found = data.get("o") if isinstance(data, dict) else None
        raise InvalidCursor(f"cursor: made for the list order {found!r}, not {order.name!r}; start again "
                            "without a cursor after changing the sort or the route")
    values, backward = data.get("k"), data.get("b")
    if not isinstance(values, list) or len(values) != len(order.keys) or not isinstance(backward, bool):
        raise InvalidCursor("cursor: damaged (wrong number of keys); start again without a cursor")
    return Position(tuple(_typed(k, v) for k, v in zip(order.keys, values, strict=True)), backward)


def _typed(key: Key, value: Any) -> Any:
    """``value`` as the Python type of ``key``'s column; InvalidCursor when it cannot be."""
    column_type = key.column.type
    kind = getattr(column_type, "impl_instance", column_type).python_type  # a TypeDecorator's stored type
    if value is None and key.nullable:
        return None
    try:
        if kind is datetime and isinstance(value, str):
            moment = datetime.fromisoformat(value)
            if moment.utcoffset() is not None:  # the columns hold aware UTC times; a naive one is not ours
                return moment.astimezone(UTC)  # OverflowError at the ends of the calendar
        if kind is float and isinstance(value, int | float) and not isinstance(value, bool) \
                and math.isfinite(value):
            return float(value)
        if kind is int and type(value) is int and -(2**63) <= value < 2**63:  # what a BIGINT holds
            return value
        if kind is str and type(value) is str and "\x00" not in value:  # PostgreSQL text holds no NUL
            return value
    except (ValueError, OverflowError):
        pass
    raise InvalidCursor(f"cursor: damaged ({key.column.key} is not a {kind.__name__}); start again without a cursor")


def _after(keys: Sequence[Key], values: Sequence[Any]) -> Any:
    """Rows strictly after ``values`` in the order of ``keys`` (no NULL keys).

    Written as ``k1 >= v1 AND (k1 > v1 OR (k1 = v1 AND (...)))``: the leading range is what lets SQLite
    and PostgreSQL seek the order's index instead of scanning it, whatever the mix of directions.
    """
    tail = _beyond(keys[-1], values[-1])
    for k, v in zip(reversed(keys[:-1]), reversed(values[:-1]), strict=True):
        tail = or_(_beyond(k, v), and_(k.column == v, tail))
    first = keys[0]
    return and_(first.column <= values[0] if first.descending else first.column >= values[0], tail)


def _beyond(k: Key, v: Any) -> Any:
    return k.column < v if k.descending else k.column > v


def segments(order: Order, position: Position) -> list[Any]:
    """WHERE terms to read in turn (each a seek in the order's index) for the rows after ``position``.

    A nullable first key (the score) splits its list in two runs: scored rows, then the unscored ones, and
    a position in one run continues into the next. Only the first key may be nullable. A coarse first key
    reads the rest of the position's run, then the runs after it.
    """
    keys = [k.flipped() for k in order.keys] if position.backward else list(order.keys)
    head, values = keys[0], position.values
    if head.coarse:
        return [and_(head.column == values[0], _after(keys[1:], values[1:])), _beyond(head, values[0])]
    if not head.nullable:
        return [_after(keys, values)]
    scored, unscored = head.column.isnot(None), head.column.is_(None)
    if values[0] is None:  # in the unscored run: its rest, then (backwards) the scored run from its end
        rest = and_(unscored, _after(keys[1:], values[1:]))
        return [rest, scored] if position.backward else [rest]
    within = and_(scored, _after(keys, values))
    return [within] if position.backward else [within, unscored]


def read(session: Session, stmt: Any, order: Order, position: Position | None, *, offset: int,
         limit: int) -> tuple[list[Any], bool]:
    """(rows of one page in list order, whether more rows lie beyond it in the reading direction).

    ``stmt`` selects the order's key columns (``order.columns()``, the row id last) with the list's filters;
    ``position`` None reads from the start, skipping ``offset`` rows (the compatible, slower path). One row
    past the page is read to know whether another page follows.
    """
    backward = position is not None and position.backward
    ordered = stmt.order_by(*order.order_by(backward=backward))
    if position is None:
        rows = list(session.exec(ordered.offset(offset).limit(limit + 1)).all())
    else:
        rows = []
        for where in segments(order, position):
            rows += session.exec(ordered.where(where).limit(limit + 1 - len(rows))).all()
            if len(rows) > limit:
                break
    more = len(rows) > limit
    rows = rows[:limit]
    return (rows[::-1] if backward else rows), more


def cursors(order: Order, rows: Sequence[Any], position: Position | None, *, offset: int,
            more: bool) -> tuple[str | None, str | None]:
    """(next_cursor, prev_cursor) of a page read by :func:`read`; None where no row lies that way.

    ``rows`` are the order's key values, as :func:`read` returns them for ``select(*order.columns(), ...)``.
    """
    n = len(order.keys)
    backward = position is not None and position.backward
    later = more if not backward else True
    earlier = (more if backward else True) if position is not None else offset > 0
    if not rows:  # past either end: the way back starts at the position itself
        if position is None:
            return None, None
        turn = encode(order, position.values, backward=not backward)
        return (turn, None) if backward else (None, turn)
    nxt = encode(order, tuple(rows[-1])[:n]) if later else None
    prev = encode(order, tuple(rows[0])[:n], backward=True) if earlier else None
    return nxt, prev
