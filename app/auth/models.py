"""Tables of :mod:`app.auth`: users, API tokens and sign-in sessions (migration 0004)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.models import new_id, utcnow


class User(SQLModel, table=True):
    """A person (or a service account without a password). ``username`` is the audit actor."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    username: str = Field(unique=True, index=True, max_length=64)
    display_name: str = Field(default="", max_length=128)
    password_hash: str | None = Field(default=None, max_length=256)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    brands: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # Where notifications of items waiting for this user's roles go (migration 0014); none: webhook only.
    email: str | None = Field(default=None, max_length=254)


class ApiToken(SQLModel, table=True):
    """A machine credential. Only the SHA-256 of the secret is stored; ``prefix`` identifies it to people."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="user.id", index=True, max_length=32)
    name: str = Field(default="", max_length=128)
    prefix: str = Field(max_length=16)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    brands: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    expires_at: datetime
    revoked_at: datetime | None = None
    created_by: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class UserSession(SQLModel, table=True):
    """A signed-in browser. ``id`` is the SHA-256 of the cookie value; the cookie itself is never stored."""

    id: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(foreign_key="user.id", index=True, max_length=32)
    csrf_token: str = Field(max_length=64)
    expires_at: datetime
    created_at: datetime = Field(default_factory=utcnow)
