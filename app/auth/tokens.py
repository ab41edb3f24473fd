"""API tokens: random secrets shown once, stored as SHA-256, scoped, expiring and revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from app import audit
from app.auth.errors import NotAuthenticated
from app.auth.models import ApiToken, User
from app.auth.roles import ALL_BRANDS, Principal
from app.auth.users import narrow_brands, principal
from app.errors import InvalidInput, NotFound

TOKEN_PREFIX = "cf_"
MAX_DAYS = 366


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    session: Session, *, user: User, roles: list[str] | None, brands: list[str] | None, expires_days: int,
    actor: str, name: str = "",
) -> tuple[ApiToken, str]:
    """A token for ``user`` and its secret (returned once, never stored). Its scope defaults to the
    user's and may not exceed it: asking for a role or brand the user lacks is InvalidInput."""
    if not 1 <= expires_days <= MAX_DAYS:
        raise InvalidInput(f"expires_days: between 1 and {MAX_DAYS}")
    token_roles = list(dict.fromkeys(roles)) if roles else list(user.roles)
    extra_roles = sorted(set(token_roles) - set(user.roles))
    token_brands = list(dict.fromkeys(brands)) if brands else list(user.brands)
    extra_brands = sorted(set(token_brands) - narrow_brands(user.brands, token_brands))
    if extra_roles or extra_brands:
        raise InvalidInput(f"a token cannot exceed its user's scope: {user.username} lacks "
                           f"{extra_roles + extra_brands}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip(), prefix=secret[:10], token_hash=digest(secret),
                     roles=token_roles, brands=token_brands, created_by=actor,
                     expires_at=datetime.now(UTC) + timedelta(days=expires_days))
    session.add(token)
    audit.record(session, action="token.created", actor=actor, subject_type="token", subject_id=token.id,
                 user=user.username, prefix=token.prefix, roles=token_roles, brands=token_brands,
                 expires_at=token.expires_at.isoformat())
    return token, secret


def revoke_token(session: Session, *, token_id: str, actor: str) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no token with id {token_id!r}")
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        session.add(token)
        audit.record(session, action="token.revoked", actor=actor, subject_type="token", subject_id=token.id,
                     prefix=token.prefix)
    return token


def list_tokens(session: Session, *, offset: int = 0, limit: int = 50) -> tuple[list[ApiToken], int]:
    rows = session.exec(select(ApiToken).order_by(col(ApiToken.created_at).desc()).offset(offset).limit(limit))
    return list(rows.all()), len(session.exec(select(ApiToken.id)).all())


def principal_from_token(session: Session, secret: str) -> Principal:
    """The principal a bearer token stands for; NotAuthenticated says why a token is refused."""
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == digest(secret))).first()
    if token is None:
        raise NotAuthenticated("unknown API token; create one with `factory users token create`")
    if token.revoked_at is not None:
        raise NotAuthenticated(f"API token {token.prefix}… was revoked; ask an admin for a new one")
    if token.expires_at <= datetime.now(UTC):
        raise NotAuthenticated(f"API token {token.prefix}… expired on {token.expires_at:%Y-%m-%d}; "
                               "ask an admin for a new one")
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        raise NotAuthenticated(f"the user of API token {token.prefix}… is deactivated")
    brands = None if token.brands == [ALL_BRANDS] else token.brands
    return principal(user, via="token", roles=token.roles, brands=brands)
