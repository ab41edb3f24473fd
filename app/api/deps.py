"""FastAPI dependencies: the factory's Deps, a database session, and the acting principal.

A request is authenticated by ``Authorization: Bearer <token>`` (machines) or by the ``cf_session``
cookie (people signed in to the desk). A state-changing request on a cookie must also carry the
session's CSRF token, in the ``X-CSRF-Token`` header or a ``csrf_token`` form field: a cookie is sent
by the browser on its own, a header or a field only by our pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.auth import sessions, tokens
from app.auth.errors import Forbidden, NotAuthenticated
from app.auth.roles import ROLE_PERMISSIONS, Permission, Principal
from app.pipeline.deps import Deps

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_bearer = HTTPBearer(auto_error=False, description="An API token from `factory users token create`.")
_cookie = APIKeyCookie(name=sessions.COOKIE, auto_error=False, description="A signed-in desk session.")


def get_factory(request: Request) -> Deps:
    return request.app.state.deps  # type: ignore[no-any-return]


FactoryDep = Annotated[Deps, Depends(get_factory)]


def get_session(factory: FactoryDep) -> Iterator[Session]:
    with Session(factory.engine, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


async def get_principal(
    request: Request, session: SessionDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Principal:
    """The caller; NotAuthenticated (401) without valid credentials, CsrfFailed (403) on a forged POST."""
    if bearer is not None:
        return tokens.principal_from_token(session, bearer.credentials)
    if cookie:
        principal = sessions.principal_from_session(session, cookie)
        if request.method not in SAFE_METHODS:
            sessions.check_csrf(principal.csrf_token, await _csrf_given(request))
        return principal
    raise NotAuthenticated("sign in at /ui/login, or send `Authorization: Bearer <token>`")


async def _csrf_given(request: Request) -> str | None:
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/")):
        value = (await request.form()).get("csrf_token")
        return value if isinstance(value, str) else None
    return None


CurrentUser = Annotated[Principal, Depends(get_principal)]


def requires(permission: Permission) -> Any:
    """A dependency that lets through only principals whose roles grant ``permission``."""

    def check(user: CurrentUser) -> Principal:
        if not user.can(permission):
            holders = sorted(r.value for r, perms in ROLE_PERMISSIONS.items() if permission in perms)
            held = ", ".join(sorted(r.value for r in user.roles)) or "no roles"
            raise Forbidden(f"{user.username} ({held}{' via this token' if user.via == 'token' else ''}) may not "
                            f"do this: it needs the role {' or '.join(holders)}")
        return user

    return Depends(check)


Reader = Annotated[Principal, requires(Permission.read_briefs)]
Submitter = Annotated[Principal, requires(Permission.submit_briefs)]
ChangeRequester = Annotated[Principal, requires(Permission.request_changes)]
Reviewer = Annotated[Principal, requires(Permission.review)]
ComplianceOfficer = Annotated[Principal, requires(Permission.compliance)]
DeliveryReader = Annotated[Principal, requires(Permission.read_deliveries)]
DeliveryRetrier = Annotated[Principal, requires(Permission.retry_deliveries)]
UserAdmin = Annotated[Principal, requires(Permission.manage_users)]
BrandAdmin = Annotated[Principal, requires(Permission.manage_brands)]
