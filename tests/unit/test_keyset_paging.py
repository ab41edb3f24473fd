"""Keyset (cursor) paging of the list routes: the same rows in the same order as offset paging, either way
through a list, at any filter; a cursor that is not a page's own is a 422 ``invalid_cursor``; the desk's queue
column and its j/k neighbours come from keyset reads around the current item.

The order of the review queue against the old computation is in test_review_queue_order.py.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.api import keyset, list_queries
from app.api.main import create_app
from app.api.paging import Paged
from app.auth.roles import Principal, Role
from app.bench.list_seed import seed
from app.db import make_engine, upgrade
from app.errors import InvalidCursor
from app.models import Variant
from app.pipeline.deps import Deps
from tests.unit.helpers import bearer

TWO_BRANDS = Principal("u1", "rob", "Rob", frozenset({Role.reviewer, Role.compliance}),
                       frozenset({"fernhill", "bluebay"}), "token")
AGE = list_queries.QUEUE_ORDERS["age"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """120 briefs over four brands, half of them waiting; published ones have deliveries."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('keyset') / 'lists.db'}")
    upgrade(engine)
    seed(engine, briefs=120, waiting_share=0.5, random_seed=3)
    yield engine
    engine.dispose()


def by_offset(read: Callable[..., Paged[Any]], page: int) -> list[Any]:
    ids: list[Any] = []
    while True:
        got = read(offset=len(ids), limit=page, cursor=None)
        ids += [item.id for item in got.items]
        if got.next_cursor is None:
            assert len(got.items) <= page
            return ids


def by_cursor(read: Callable[..., Paged[Any]], page: int) -> tuple[list[Any], list[Any]]:
    """(ids read forwards by next_cursor, ids read backwards by prev_cursor from the last page)."""
    got, forward = read(offset=0, limit=page, cursor=None), []
    while True:
        forward += [item.id for item in got.items]
        if got.next_cursor is None:
            break
        got = read(offset=0, limit=page, cursor=got.next_cursor)
        assert got.offset is None, "a page read by cursor has no offset"
    backward = [item.id for item in got.items]
    while got.prev_cursor is not None:
        got = read(offset=0, limit=page, cursor=got.prev_cursor)
        backward = [item.id for item in got.items] + backward
    return forward, backward


@pytest.mark.parametrize("filters", [{}, {"brand": "fernhill"}, {"state": "published"},
                                     {"brand": "bluebay", "state": "in_review"}], ids=str)
def test_brief_pages_by_cursor_are_the_offset_pages(seeded: Engine, filters: dict[str, str]) -> None:
    with Session(seeded) as session:
        def read(**kw: Any) -> Paged[Any]:
            return list_queries.list_briefs(session, TWO_BRANDS, **kw, **filters)  # type: ignore[arg-type]

        expected = by_offset(read, page=9)
        assert expected, "the filter matches some briefs"
        assert by_cursor(read, page=9) == (expected, expected)


@pytest.mark.parametrize("state", [None, "delivered", "dead"])
def test_delivery_pages_by_cursor_are_the_offset_pages(seeded: Engine, state: str | None) -> None:
    with Session(seeded) as session:
        def read(**kw: Any) -> Paged[Any]:
            return list_queries.list_deliveries(session, TWO_BRANDS, **kw, state=state)

        expected = by_offset(read, page=11)
        assert by_cursor(read, page=11) == (expected, expected)
        assert (len(expected) > 20) == (state != "dead")  # the seed delivers everything; dead is empty


def test_a_cursor_page_reports_the_same_total_and_an_empty_list_has_no_cursors(seeded: Engine) -> None:
    with Session(seeded) as session:
        first = list_queries.review_queue(session, TWO_BRANDS, limit=10, details=False)
        second = list_queries.review_queue(session, TWO_BRANDS, limit=10, cursor=first.next_cursor, details=False)
        nobody = Principal("u9", "zed", "Zed", frozenset({Role.reviewer}), frozenset({"nowhere"}), "token")
        empty = list_queries.review_queue(session, nobody, limit=10)
    assert second.total == first.total > 20 and not first.total_capped
    assert (empty.items, empty.total, empty.next_cursor, empty.prev_cursor) == ([], 0, None, None)


def test_the_count_stops_at_the_cap(seeded: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(list_queries, "TOTAL_CAP", 25)
    with Session(seeded) as session:
        page = list_queries.list_briefs(session, TWO_BRANDS, offset=0, limit=10)
        few = list_queries.list_briefs(session, TWO_BRANDS, offset=0, limit=10, brand="fernhill", state="in_review")
    assert (page.total, page.total_capped) == (25, True)
    assert few.total < 25 and not few.total_capped


def test_the_desk_column_holds_the_items_ahead_and_after_the_current_one(seeded: Engine) -> None:
    with Session(seeded) as session:
        queue = by_offset(lambda **kw: list_queries.review_queue(session, TWO_BRANDS, details=False, **kw), 50)
        deep = session.get(Variant, queue[40])
        first = session.get(Variant, queue[0])
        assert deep is not None and first is not None
        around = list_queries.queue_around(session, TWO_BRANDS, deep, sort="age", limit=12)
        at_start = list_queries.queue_around(session, TWO_BRANDS, first, sort="age", limit=12)
        after_deep = list_queries.queue_next(session, TWO_BRANDS, deep, sort="age")
        after_last = list_queries.queue_next(session, TWO_BRANDS, session.get(Variant, queue[-1]),  # type: ignore[arg-type]
                                             sort="age")
    assert [v.id for v in around.items] == queue[35:47], "five ahead, the item, then the rest of the page"
    assert around.prev_cursor is not None and around.next_cursor is not None
    assert [v.id for v in at_start.items] == queue[:12] and at_start.prev_cursor is None
    assert after_deep == queue[41] and after_last == queue[0]


def test_a_variant_not_waiting_shows_the_queue_from_its_start(seeded: Engine) -> None:
    with Session(seeded) as session:
        published = session.exec(select(Variant).where(Variant.state == "published",
                                                       col(Variant.brand) == "fernhill")).first()
        assert published is not None
        around = list_queries.queue_around(session, TWO_BRANDS, published, sort="risk", limit=8)
        start = list_queries.review_queue(session, TWO_BRANDS, sort="risk", limit=8, details=False)
    assert [v.id for v in around.items] == [v.id for v in start.items]


def token(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC).isoformat()


@pytest.mark.parametrize("cursor", [
    "not-a-cursor!", "%%%", base64.urlsafe_b64encode(b"\xff\xfe").decode(), token([1, 2]),
    token({"o": "queue.risk", "k": [0, NOW, "v1"], "b": False}),  # another sort's cursor
    token({"o": "queue.age", "k": [NOW, 0], "b": False}),  # a key missing
    token({"o": "queue.age", "k": [NOW, "high", "v1"], "b": False}),  # risk is a number
    token({"o": "queue.age", "k": ["2026-11-30T12:00:00", 0, "v1"], "b": False}),  # a time without its zone
    token({"o": "queue.age", "k": ["0001-01-01T00:00:00+05:00", 0, "v1"], "b": False}),  # before year 1 in UTC
    token({"o": "queue.age", "k": [NOW, 2**70, "v1"], "b": False}),  # more than 64 bits
    token({"o": "queue.age", "k": [NOW, 0, "v\x001"], "b": False}),  # NUL in the id
    token({"o": "queue.age", "k": [NOW, 0, "v1"], "b": "yes"}),
    "A" * 600,
])
def test_a_cursor_that_is_not_a_page_s_own_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursor) as refused:
        keyset.decode(AGE, cursor)
    assert refused.value.code == "invalid_cursor" and refused.value.message.startswith("cursor: ")


def test_a_cursor_round_trips_its_position() -> None:
    at = datetime(2026, 11, 30, 12, 0, 0, 123456, tzinfo=UTC)
    back = keyset.decode(AGE, keyset.encode(AGE, (at, 4, "v42"), backward=True))
    score = list_queries.QUEUE_ORDERS["score"]
    unscored = keyset.decode(score, keyset.encode(score, (None, at, "v7")))
    assert back == keyset.Position((at, 4, "v42"), backward=True)
    assert unscored == keyset.Position((None, at, "v7"), backward=False)


@pytest.fixture
def api(ingested: Deps) -> Iterator[tuple[TestClient, dict[str, str]]]:
    seed(ingested.engine, briefs=120, brands=("fernhill",), waiting_share=0.5, random_seed=5)
    with TestClient(create_app(deps=ingested)) as client:
        yield client, bearer(ingested, "rob", ["reviewer", "compliance"])


def test_the_api_pages_by_cursor_and_refuses_a_foreign_cursor_as_invalid_cursor(
        api: tuple[TestClient, dict[str, str]]) -> None:
    client, rob = api
    first = client.get("/review/queue?limit=20&sort=risk", headers=rob).json()
    second = client.get(f"/review/queue?limit=20&sort=risk&cursor={first['next_cursor']}", headers=rob).json()
    by_offset = client.get("/review/queue?limit=20&sort=risk&offset=20", headers=rob).json()
    assert [v["id"] for v in second["items"]] == [v["id"] for v in by_offset["items"]]
    assert (second["offset"], by_offset["offset"], second["total"]) == (None, 20, first["total"])
    assert second["prev_cursor"] and first["prev_cursor"] is None

    wrong_sort = client.get(f"/review/queue?sort=age&cursor={first['next_cursor']}", headers=rob)
    assert wrong_sort.status_code == 422 and wrong_sort.json()["code"] == "invalid_cursor"
    assert "queue.risk" in wrong_sort.json()["message"]
    for path in ("/deliveries", "/briefs", "/compliance/blocked"):
        refused = client.get(f"{path}?cursor=garbage", headers=rob)
        assert (refused.status_code, refused.json()["code"]) == (422, "invalid_cursor"), path
    both = client.get(f"/briefs?offset=50&cursor={first['next_cursor']}", headers=rob)
    assert (both.status_code, both.json()["code"]) == (422, "invalid_input")
    assert "either offset or cursor" in both.json()["message"]


def test_the_desk_pages_link_their_neighbouring_pages_by_cursor(api: tuple[TestClient, dict[str, str]]) -> None:
    client, rob = api
    briefs = client.get("/ui/briefs?state=published", headers=rob)
    nxt = briefs.text.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "cursor=" in nxt and "state=published" in nxt and "offset" not in nxt
    older = client.get(f"/ui/briefs{nxt}", headers=rob)
    assert older.status_code == 200 and 'rel="prev"' in older.text
    queue = client.get("/review/queue?limit=1", headers=rob).json()
    desk = client.get(f"/ui/review/{queue['items'][0]['id']}", headers=rob)
    later = desk.text.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    assert client.get(later, headers=rob).status_code == 200 and "cursor=" in later
    assert client.get("/ui/publishing?cursor=garbage", headers=rob).status_code == 422


@pytest.mark.parametrize("sort", ["age", "risk", "score"])
def test_sqlite_reads_a_queue_page_from_the_sort_s_partial_index_without_sorting(seeded: Engine, sort: str) -> None:
    """Without ANALYZE statistics SQLite's planner took the state index and sorted every waiting item."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, _context: Any, _many: bool) -> None:
        if statement.startswith("SELECT variant.") and "ORDER BY" in statement:
            statements.append((statement, params))

    event.listen(seeded, "before_cursor_execute", capture)
    try:
        with Session(seeded) as session:
            first = list_queries.review_queue(session, TWO_BRANDS, sort=sort, limit=5, details=False)  # type: ignore[arg-type]
            list_queries.review_queue(session, TWO_BRANDS, sort=sort, limit=5, cursor=first.next_cursor,  # type: ignore[arg-type]
                                      details=False)
    finally:
        event.remove(seeded, "before_cursor_execute", capture)
    assert len(statements) >= 2
    with seeded.connect() as conn:
        for statement, params in statements:
            assert f"INDEXED BY ix_variant_queue_{sort}" in statement
            plan = " ".join(str(row) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params))
            assert f"COVERING INDEX ix_variant_queue_{sort}" in plan and "TEMP B-TREE" not in plan, plan
