"""Request and response models of the admin routes: users, API tokens, brands, the caller."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.auth.roles import Role


class MePublic(BaseModel):
    username: str
    display_name: str
    roles: list[str]
    brands: list[str]
    via: str


class UserPublic(BaseModel):
    id: str
    username: str
    display_name: str
    roles: list[str]
    brands: list[str]
    active: bool
    created_at: datetime
    email: str | None = None


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(min_length=2, max_length=63, pattern=r"^[a-z0-9][a-z0-9._-]+$")
    display_name: str = Field(default="", max_length=128)
    roles: list[Role] = Field(min_length=1, max_length=4)
    brands: list[str] = Field(min_length=1, max_length=50, description="Brand slugs, or ['*'] for every brand.")
    password: str | None = Field(default=None, min_length=10, max_length=256,
                                 description="Omit for a service account that only uses API tokens.")
    email: str | None = Field(default=None, max_length=254,
                              description="Where notifications of items waiting for the user's roles go.")


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    roles: list[Role] | None = Field(default=None, min_length=1, max_length=4)
    brands: list[str] | None = Field(default=None, min_length=1, max_length=50)
    active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=256)


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(min_length=2, max_length=63)
    name: str = Field(default="", max_length=128)
    roles: list[Role] | None = Field(default=None, max_length=4, description="Default: the user's roles.")
    brands: list[str] | None = Field(default=None, max_length=50, description="Default: the user's brands.")
    expires_days: int = Field(default=90, ge=1, le=366)


class TokenPublic(BaseModel):
    id: str
    user_id: str
    name: str
    prefix: str
    roles: list[str]
    brands: list[str]
    expires_at: datetime
    revoked_at: datetime | None
    created_by: str
    created_at: datetime


class TokenCreated(TokenPublic):
    token: str = Field(description="The secret. Shown once: only its SHA-256 is kept.")


class BrandPublic(BaseModel):
    slug: str
    name: str
    channels: list[str]
    products: dict[str, str]
    chunks: int
    users: list[str]


class IngestOut(BaseModel):
    brand: str
    added: list[str]
    replaced: list[str]
    unchanged: list[str]
    removed: list[str]
    chunks: int
