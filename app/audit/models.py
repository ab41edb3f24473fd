"""Tables of the audit chain: signed checkpoints, and the one-row table whose lock orders appends."""

from __future__ import annotations

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class AuditCheckpoint(SQLModel, table=True):
    """A signed statement "the chain had ``count`` entries and its head hash was ``head_hash``".

    Append-only like the log. ``created_at`` is kept as the exact ISO text that was signed, so that no
    database's datetime round trip can change a signed value.
    """

    number: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    count: int
    head_hash: str = Field(max_length=64)
    created_at: str = Field(max_length=40)
    previous: str = Field(max_length=64)
    key_id: str = Field(max_length=16)
    checkpoint_hash: str = Field(max_length=64, unique=True)
    signature: str = Field(sa_column=Column(Text, nullable=False))


class AuditChainLock(SQLModel, table=True):
    """One row (id 1). Appending to the chain starts with an UPDATE of it: a row lock on PostgreSQL and the
    write lock on SQLite, held to the end of the transaction, so two writers never fork the chain."""

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    appends: int = 0
