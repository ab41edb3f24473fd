"""What admins may touch: users and tokens within their brands, brands they belong to.

An admin of some brands manages only users whose brands all lie within theirs, and grants only
those brands; anything else is NotFound (users) or Forbidden (grants). An admin with ``*`` manages all.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from app.auth.errors import Forbidden
from app.auth.models import ApiToken, User
from app.auth.roles import ALL_BRANDS, Principal
from app.auth.users import get_user
from app.errors import NotFound


def known_brands(kb_dir: Path) -> set[str]:
    """Brand slugs: folders of the KB directory with a ``brand.yaml``."""
    return {p.name for p in kb_dir.iterdir() if (p / "brand.yaml").is_file()} if kb_dir.is_dir() else set()


def manages(admin: Principal, brands: list[str]) -> bool:
    if ALL_BRANDS in admin.brands:
        return True
    return ALL_BRANDS not in brands and set(brands) <= admin.brands


def require_grantable(admin: Principal, brands: list[str] | None) -> None:
    if brands is not None and not manages(admin, brands):
        raise Forbidden(f"you can grant only your own brands: {sorted(admin.brands)}")


def managed_user(session: Session, admin: Principal, username: str) -> User:
    user = get_user(session, username=username)
    if user is None or not manages(admin, user.brands):
        raise NotFound(f"no user {username!r} in your brands")
    return user


def managed_token(session: Session, admin: Principal, token_id: str) -> ApiToken:
    token = session.get(ApiToken, token_id)
    user = session.get(User, token.user_id) if token else None
    if token is None or user is None or not manages(admin, user.brands):
        raise NotFound(f"no token with id {token_id!r} in your brands")
    return token
