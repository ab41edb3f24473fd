"""Paging of listings, for the API and the desk's pages alike: offset, limit, cursor, and one page's result.

Two ways through a list. ``cursor`` (a ``next_cursor`` or ``prev_cursor`` of the previous page) is the fast
path: every page costs the same however deep (:mod:`app.api.keyset`). ``offset`` still works, for clients
written before cursors, but the database reads and skips every row before the page, so deep offsets grow
with the list. Giving both is a 422: a cursor already says where the page starts.

Bounded so that no database is handed an integer it cannot hold (an unbounded offset of 10**20 was an HTTP 500
on PostgreSQL): a million rows deep is past any real listing, and 200 rows is a page a person can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query

from app.errors import InvalidInput

Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip, at most 1,000,000 (the slow path: "
                                                              "prefer cursor).")]
Limit = Annotated[int, Query(ge=1, le=200, description="Rows per page, 1 to 200.")]
Cursor = Annotated[str | None, Query(description="A next_cursor or prev_cursor of this list, as given: the page "
                                                 "after (or before) it, at the same cost at any depth.")]

T = TypeVar("T")


@dataclass
class Paged(Generic[T]):
    """One page of a list query: its items, how many rows match, and the cursors of its neighbours.

    ``offset`` is the rows skipped, None on a page read by cursor; a cursor is None where no row lies that way.
    ``total_capped``: more rows match than ``total`` says (the count stops at a cap).
    """

    items: list[T]
    total: int
    offset: int | None
    next_cursor: str | None = None
    prev_cursor: str | None = None
    total_capped: bool = False

    def fields(self) -> dict[str, Any]:
        """The keyword arguments of :class:`app.api.public.Page` except ``limit`` (items not copied)."""
        return {"items": self.items, "total": self.total, "offset": self.offset,
                "next_cursor": self.next_cursor, "prev_cursor": self.prev_cursor, "total_capped": self.total_capped}


def one_way(offset: int, cursor: str | None) -> str | None:
    """``cursor`` when the request gave no offset; InvalidInput (422) when it gave both."""
    if cursor is not None and offset:
        raise InvalidInput("offset: give either offset or cursor, not both (a cursor already says where the "
                           "page starts)")
    return cursor or None
