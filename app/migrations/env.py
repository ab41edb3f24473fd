"""Alembic environment: runs on the connection handed in by :func:`app.db.upgrade`, or on
``CF_DATABASE_URL`` when invoked through the ``alembic`` command."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

import app.audit.models  # registers the audit checkpoint and chain lock tables
import app.auth.models  # registers the user, API token and session tables
import app.evaluation.models  # registers the prompt label and eval tables
import app.liveness  # registers the worker heartbeat table
import app.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from app.db import make_engine
from app.performance import models as _performance_models  # noqa: F401  (events, stats, slots, retractions)
from app.settings import Settings

target_metadata = SQLModel.metadata
# One lock id for the whole factory: two processes upgrading PostgreSQL at once take turns.
_PG_LOCK_ID = 782_113_004


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SELECT pg_advisory_xact_lock({_PG_LOCK_ID})"))
    context.configure(
        connection=connection, target_metadata=target_metadata, render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    with make_engine(Settings().resolved_database_url).begin() as conn:
        _run(conn)
