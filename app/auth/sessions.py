"""Sign-in sessions of people, kept on the server.

The cookie holds a random value; the table holds its SHA-256, the user, an expiry and the session's
CSRF token. Signing out deletes the row, so a copied cookie stops working at once.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, delete, select

from app.auth.errors import CsrfFailed, NotAuthenticated
from app.auth.models import User, UserSession
from app.auth.roles import Principal
from app.auth.tokens import digest
from app.auth.users import principal

COOKIE = "cf_session"
TTL = timedelta(hours=12)  # a working day; people sign in again the next morning


def start_session(session: Session, *, user: User) -> str:
    """Store a new session for ``user`` and return the cookie value (shown to the browser only)."""
    now = datetime.now(UTC)
    session.exec(delete(UserSession).where(col(UserSession.expires_at) < now))  # type: ignore[call-overload]
    value = secrets.token_urlsafe(32)
    session.add(UserSession(id=digest(value), user_id=user.id, csrf_token=secrets.token_urlsafe(24),
                            expires_at=now + TTL))
    return value


def end_session(session: Session, *, cookie: str) -> None:
    session.exec(delete(UserSession).where(col(UserSession.id) == digest(cookie)))  # type: ignore[call-overload]


def principal_from_session(session: Session, cookie: str) -> Principal:
    """The signed-in user of ``cookie``; NotAuthenticated when the session is unknown or expired."""
    row = session.exec(select(UserSession).where(UserSession.id == digest(cookie))).first()
    if row is None or row.expires_at <= datetime.now(UTC):
        raise NotAuthenticated("your session has ended; sign in again")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise NotAuthenticated("this account is deactivated")
    return principal(user, via="session", csrf_token=row.csrf_token)


def check_csrf(expected: str | None, given: str | None) -> None:
    """Refuse a state-changing browser request whose CSRF token is missing or wrong."""
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise CsrfFailed("the form's security token is missing or stale; reload the page and try again")
