"""The review queue's stored risk order against the computation it replaced, on a seeded database.

Before migration 0008 the queue loaded every waiting variant of the caller's brands with all its
findings, computed the risk per request and sorted in Python. ``reference_queue`` below is that
computation, kept here as the specification; the queue now pages in SQL over the stored
``Variant.risk``. Both run on SQLite and (when it is running) on PostgreSQL.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.api import list_queries
from app.api.paging import Paged
from app.auth.roles import Principal, Role
from app.bench.list_seed import history_rows, seed
from app.db import MIGRATIONS_DIR, make_engine, session_scope, upgrade
from app.guardrails.base import CheckResult, Severity
from app.models import Brief, CheckFinding, Delivery, Idea, Variant
from app.pipeline import records
from app.states import VariantState

OLD_WEIGHT = {"block": 3, "warn": 1}
TWO_BRANDS = Principal("u1", "rob", "Rob", frozenset({Role.reviewer}), frozenset({"fernhill", "bluebay"}), "token")
EVERY_BRAND = Principal("u2", "ann", "Ann", frozenset({Role.reviewer}), frozenset({"*"}), "token")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Engine]:
    with _database_url(request.param, tmp_path) as url:
        made = make_engine(url)
        upgrade(made)
        yield made
        made.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_before_0008(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Engine]:
    """A database migrated up to 0006 (the revision 0008 follows), the others not applied yet."""
    with _database_url(request.param, tmp_path) as url:
        made = make_engine(url)
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with made.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0006")
        yield made
        made.dispose()


@contextmanager
def _database_url(kind: str, tmp_path: Any) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'queue.db'}"
        return
    from tests.integration.servers import fresh_postgres_database

    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    """120 briefs over four brands, half of them waiting: 240 variants in the queue, some blocked."""
    seed(engine, briefs=120, waiting_share=0.5, random_seed=11)
    return engine


def old_risk(findings: list[CheckFinding]) -> int:
    compliance = [f for f in findings if f.gate == "compliance"]
    current = compliance or [f for f in findings if f.gate != "compliance"]
    return sum(OLD_WEIGHT.get(f.severity, 0) for f in current if not f.passed)


def reference_queue(session: Session, user: Principal, sort: str,
                    states: set[VariantState] | None = None) -> list[str]:
    """Every waiting variant in the user's brands, risk computed from its findings, sorted in Python."""
    stmt = select(Variant).join(Brief, col(Brief.id) == col(Variant.brief_id))
    allowed = user.brand_filter()
    if allowed is not None:
        stmt = stmt.where(col(Brief.brand).in_(allowed))
    wanted = states or {VariantState.in_review, VariantState.blocked}
    variants = session.exec(stmt.where(col(Variant.state).in_([s.value for s in wanted]))).all()
    findings = session.exec(select(CheckFinding)).all()
    risks = {v.id: old_risk([f for f in findings if f.variant_id == v.id]) for v in variants}
    oldest = datetime.min.replace(tzinfo=UTC)

    def key(v: Variant) -> tuple[Any, ...]:
        age = v.created_at or oldest
        if sort == "score":
            return (-(v.score if v.score is not None else float("-inf")), age)
        return (age, -risks[v.id]) if sort == "age" else (-risks[v.id], age)

    return [v.id for v in sorted(variants, key=key)]


def paged_queue(session: Session, user: Principal, sort: str, page: int,
                states: set[VariantState] | None = None) -> tuple[list[str], int]:
    """Every id of the new queue, read page by page by offset; and the total the first page reported."""
    ids: list[str] = []
    first_total = None
    while True:
        got = list_queries.review_queue(session, user, sort=sort,  # type: ignore[arg-type]
                                        offset=len(ids), limit=page, states=states, details=False)
        first_total = got.total if first_total is None else first_total
        ids += [v.id for v in got.items]
        if len(got.items) < page:
            return ids, first_total


def cursor_walks(session: Session, user: Principal, sort: str, page: int,
                 states: set[VariantState] | None = None) -> tuple[list[str], list[str]]:
    """Every id of the queue read by ``next_cursor`` from the first page, and again by ``prev_cursor`` from
    the last page back to the first (pages joined in list order)."""
    def read(cursor: str | None) -> Paged[Any]:
        return list_queries.review_queue(session, user, sort=sort, limit=page, cursor=cursor,  # type: ignore[arg-type]
                                         states=states, details=False)

    forward, got = [], read(None)
    assert got.prev_cursor is None, "nothing comes before the first page"
    while True:
        forward += [v.id for v in got.items]
        if got.next_cursor is None:
            break
        got = read(got.next_cursor)
    backward = [v.id for v in got.items]
    while got.prev_cursor is not None:
        got = read(got.prev_cursor)
        assert len(got.items) == page, "a page read backwards is full until the first"
        backward = [v.id for v in got.items] + backward
    return forward, backward


@pytest.mark.parametrize("sort", ["age", "risk", "score"])
@pytest.mark.parametrize("user", [TWO_BRANDS, EVERY_BRAND], ids=["two brands", "every brand"])
def test_paged_queue_keeps_the_old_order_and_brand_scope(seeded: Engine, sort: str, user: Principal) -> None:
    with Session(seeded) as session:
        expected = reference_queue(session, user, sort)
        ids, total = paged_queue(session, user, sort, page=37)
        forward, backward = cursor_walks(session, user, sort, page=37)
    assert len(expected) > 100 and total == len(expected)
    assert ids == expected
    assert forward == expected and backward == expected


def test_blocked_list_keeps_the_old_order(seeded: Engine) -> None:
    with Session(seeded) as session:
        expected = reference_queue(session, TWO_BRANDS, "age", {VariantState.blocked})
        ids, total = paged_queue(session, TWO_BRANDS, "age", page=5, states={VariantState.blocked})
        walks = cursor_walks(session, TWO_BRANDS, "age", page=5, states={VariantState.blocked})
    assert expected and (ids, total) == (expected, len(expected))
    assert walks == (expected, expected)


@pytest.mark.parametrize("sort", ["age", "risk", "score"])
def test_cursor_pages_break_ties_by_id_where_every_other_key_is_equal(seeded: Engine, sort: str) -> None:
    """Waiting variants made equal in time, risk and score (some unscored) are paged by id, none twice."""
    with seeded.begin() as conn:
        conn.execute(text("UPDATE variant SET created_at = (SELECT MIN(created_at) FROM variant), risk = 2, "
                          "score = CASE WHEN score IS NULL THEN NULL ELSE 0.5 END"))
    with Session(seeded) as session:
        waiting = session.exec(select(Variant).where(col(Variant.state).in_(["in_review", "blocked"]),
                                                     col(Variant.brand).in_(sorted(TWO_BRANDS.brands)))).all()
        forward, backward = cursor_walks(session, TWO_BRANDS, sort, page=7)
    unscored_last = sorted(waiting, key=lambda v: (sort == "score" and v.score is None, v.id))
    assert any(v.score is None for v in waiting) and len(waiting) > 50
    assert forward == backward == [v.id for v in unscored_last]


def test_stored_risk_is_the_old_risk_of_every_variant(seeded: Engine) -> None:
    with Session(seeded) as session:
        findings = session.exec(select(CheckFinding)).all()
        variants = session.exec(select(Variant)).all()
        stored = {v.id: v.risk for v in variants}
        expected = {v.id: old_risk([f for f in findings if f.variant_id == v.id]) for v in variants}
    assert stored == expected and len(set(stored.values())) > 2


def test_migration_backfills_the_old_risk_and_the_brand(seeded: Engine) -> None:
    migration = importlib.import_module("app.migrations.versions.0008_list_indexes")
    with seeded.begin() as conn:
        conn.execute(text("UPDATE variant SET risk = 0, brand = ''"))
        conn.execute(text("UPDATE variant SET brand = (SELECT brief.brand FROM brief "
                          "WHERE brief.id = variant.brief_id)"))
        conn.execute(text(migration.BACKFILL_RISK), {"failed": False})
    with Session(seeded) as session:
        findings = session.exec(select(CheckFinding)).all()
        briefs = {b.id: b.brand for b in session.exec(select(Brief)).all()}
        variants = session.exec(select(Variant)).all()
        assert {v.id: v.risk for v in variants} == {
            v.id: old_risk([f for f in findings if f.variant_id == v.id]) for v in variants}
        assert all(v.brand == briefs[v.brief_id] for v in variants)


def test_saving_gate_findings_rewrites_the_stored_risk(engine: Engine) -> None:
    seed(engine, briefs=1, waiting_share=1.0)
    with session_scope(engine) as session:
        variant = session.exec(select(Variant).where(Variant.state == VariantState.in_review)).first()
        assert variant is not None
        records.save_findings(session, variant, "draft", [
            CheckResult(check="tone", rule="exclamation", passed=False, severity=Severity.warn, reason="loud"),
            CheckResult(check="tone", rule="caps", passed=False, severity=Severity.warn, reason="shouting")])
        variant_id, draft_risk = variant.id, variant.risk
    with Session(engine) as session:
        stored = session.get(Variant, variant_id)
        assert stored is not None and stored.risk == draft_risk
        assert draft_risk == old_risk(list(session.exec(select(CheckFinding).where(
            CheckFinding.variant_id == variant_id)).all()))
    # Once the compliance gate has judged the text, only its findings count.
    with session_scope(engine) as session:
        variant = session.get(Variant, variant_id)
        assert variant is not None
        records.save_findings(session, variant, "compliance", [
            CheckResult(check="claims", rule="unapproved", passed=False, severity=Severity.block, reason="claim")])
    with Session(engine) as session:
        stored = session.get(Variant, variant_id)
        assert stored is not None and stored.risk == 3


def test_upgrading_a_database_with_history_backfills_risk_and_brand(engine_before_0008: Engine) -> None:
    rng = random.Random(5)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [pair for i in range(12) for pair in history_rows(rng, i, ("fernhill", "quarry")[i % 2],
                                                             at + timedelta(hours=i), waiting=i % 3 == 0)]
    with engine_before_0008.begin() as conn:
        for table in (Brief.__table__, Idea.__table__, Variant.__table__, CheckFinding.__table__,  # type: ignore[attr-defined]
                      Delivery.__table__):  # type: ignore[attr-defined]
            batch = [{k: v for k, v in row.items() if k not in {"brand", "risk"} or t is Brief.__table__}  # type: ignore[attr-defined]
                     for t, row in rows if t is table]
            # Only the columns the table had at 0006: a lightweight table keeps the model's column types.
            conn.execute(sa_table(table.name, *[sa_column(k, table.c[k].type) for k in batch[0]]).insert(), batch)
    upgrade(engine_before_0008)
    with Session(engine_before_0008) as session:
        findings = session.exec(select(CheckFinding)).all()
        brands = {b.id: b.brand for b in session.exec(select(Brief)).all()}
        variants = session.exec(select(Variant)).all()
        deliveries = session.exec(select(Delivery)).all()
    assert {v.id: v.risk for v in variants} == {
        v.id: old_risk([f for f in findings if f.variant_id == v.id]) for v in variants}
    assert any(v.risk for v in variants)
    assert all(v.brand == brands[v.brief_id] for v in variants)
    assert deliveries and all(d.brand == brands[d.brief_id] for d in deliveries)
