"""Statements both databases need in their own dialect: insert-if-absent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine


def insert_ignore(engine: Engine, model: Any, keys: list[str]) -> Any:
    """``INSERT ... ON CONFLICT (keys) DO NOTHING`` on PostgreSQL and SQLite (``INSERT IGNORE`` elsewhere):
    a row whose key exists is skipped, atomically, so racing writers store it once."""
    table = model.__table__
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing(index_elements=keys)
    if engine.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing(index_elements=keys)
    return insert(table).prefix_with("IGNORE")
