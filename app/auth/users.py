"""Users: create, update, authenticate, and turn into a :class:`Principal`. Keyword-only services;
each adds rows and audit entries to the caller's session (the caller commits)."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from app import audit
from app.auth.models import User
from app.auth.passwords import hash_password, verify_password
from app.auth.roles import ALL_BRANDS, Principal, Role, parse_roles
from app.errors import InvalidInput

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


def create_user(
    session: Session, *, username: str, roles: list[str], brands: list[str], password: str | None,
    display_name: str = "", actor: str, known_brands: set[str] | None = None, email: str | None = None,
) -> User:
    """A new active user. InvalidInput names the field: a taken or malformed username, an unknown role
    or brand, a password that is too short, an e-mail address without one "@"."""
    if not USERNAME.match(username):
        raise InvalidInput("username: 2-63 lower-case letters, digits, '.', '_' or '-', starting with a letter "
                           "or digit")
    if get_user(session, username=username) is not None:
        raise InvalidInput(f"username: {username!r} is taken")
    user = User(username=username, display_name=display_name.strip() or username,
                roles=_roles(roles), brands=_brands(brands, known_brands), password_hash=_hash(password),
                email=_email(email))
    session.add(user)
    session.flush()  # the row exists before anything refers to it (tokens, sessions in the same transaction)
    audit.record(session, action="user.created", actor=actor, subject_type="user", subject_id=user.id,
                 username=username, roles=user.roles, brands=user.brands)
    return user


def update_user(
    session: Session, *, user: User, actor: str, roles: list[str] | None = None, brands: list[str] | None = None,
    active: bool | None = None, password: str | None = None, known_brands: set[str] | None = None,
) -> User:
    """Change what is given; tokens follow at once, because their scope is intersected with the user's."""
    changed: dict[str, object] = {}
    if roles is not None:
        user.roles = changed["roles"] = _roles(roles)
    if brands is not None:
        user.brands = changed["brands"] = _brands(brands, known_brands)
    if active is not None:
        user.active = changed["active"] = active
    if password is not None:
        user.password_hash, changed["password"] = _hash(password), "changed"
    session.add(user)
    audit.record(session, action="user.updated", actor=actor, subject_type="user", subject_id=user.id,
                 username=user.username, changes=changed)
    return user


def _email(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    local, at, domain = value.rpartition("@")
    if not at or not local or "." not in domain.strip(".") or any(c.isspace() for c in value) or len(value) > 254:
        raise InvalidInput(f"email: {value!r} is not an e-mail address (name@example.com)")
    return value


def get_user(session: Session, *, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def list_users(session: Session, *, offset: int = 0, limit: int = 50) -> tuple[list[User], int]:
    rows = session.exec(select(User).order_by(col(User.username)).offset(offset).limit(limit)).all()
    return list(rows), len(session.exec(select(User.id)).all())


def authenticate(session: Session, *, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (same work either way)."""
    user = get_user(session, username=username.strip().lower())
    ok = verify_password(user.password_hash if user else None, password)
    return user if ok and user is not None and user.active else None


def principal(user: User, *, via: str, roles: list[str] | None = None, brands: list[str] | None = None,
              csrf_token: str | None = None) -> Principal:
    """The user as an actor, narrowed to ``roles`` and ``brands`` when given (a token's scope)."""
    user_roles = {Role(r) for r in user.roles}
    effective_roles = user_roles & {Role(r) for r in roles} if roles is not None else user_roles
    return Principal(user_id=user.id, username=user.username, display_name=user.display_name,
                     roles=frozenset(effective_roles), brands=frozenset(narrow_brands(user.brands, brands)),
                     via=via, csrf_token=csrf_token)


def narrow_brands(held: list[str], wanted: list[str] | None) -> set[str]:
    """The brands of ``wanted`` that ``held`` covers (``*`` covers every brand)."""
    if wanted is None:
        return set(held)
    if ALL_BRANDS in held:
        return set(wanted)
    return set(held) & set(wanted)


def _roles(values: list[str]) -> list[str]:
    try:
        roles = parse_roles(values)
    except ValueError as exc:
        raise InvalidInput(f"roles: {exc}") from exc
    if not roles:
        raise InvalidInput(f"roles: give at least one of {[r.value for r in Role]}")
    return [r.value for r in roles]


def _brands(values: list[str], known: set[str] | None) -> list[str]:
    brands = list(dict.fromkeys(b.strip() for b in values if b.strip()))
    if not brands:
        raise InvalidInput("brands: give at least one brand (or '*' for every brand)")
    unknown = [b for b in brands if known is not None and b != ALL_BRANDS and b not in known]
    if unknown:
        raise InvalidInput(f"brands: unknown {unknown}; known brands: {sorted(known or [])}")
    return brands


def _hash(password: str | None) -> str | None:
    if password is None:
        return None
    try:
        return hash_password(password)
    except ValueError as exc:
        raise InvalidInput(f"password: {exc}") from exc
