"""Offset and limit of listings, for the API and the desk's pages alike.

Bounded so that no database is handed an integer it cannot hold (an unbounded offset of 10**20 was an HTTP 500
on PostgreSQL): a million rows deep is past any real listing, and 200 rows is a page a person can read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip, at most 1,000,000.")]
Limit = Annotated[int, Query(ge=1, le=200, description="Rows per page, 1 to 200.")]
