"""Signing in and out, and the landing page of each role."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app import audit
from app.api.deps import CurrentUser, FactoryDep, SessionDep
from app.auth import sessions
from app.auth.errors import NotAuthenticated
from app.auth.users import authenticate
from app.web.rendering import local_url, new_login_nonce, redirect, render

router = APIRouter(include_in_schema=False)
LOGIN_NONCE = "cf_login"


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/ui", status_code=303)


@router.get("/ui")
def home(request: Request, session: SessionDep) -> RedirectResponse:
    """The signed-in user's desk (by role), else the sign-in page."""
    cookie = request.cookies.get(sessions.COOKIE)
    try:
        user = sessions.principal_from_session(session, cookie) if cookie else None
    except NotAuthenticated:
        user = None
    return RedirectResponse(user.home if user else "/ui/login", status_code=303)


@router.get("/ui/login")
def login_form(request: Request, next: str = "", error: str = "") -> Response:
    nonce = new_login_nonce()
    response = render(request, "login.html", None, nonce=nonce, next=local_url(next), error=error)
    # Double-submit nonce: a form posted from another site cannot know the cookie's value.
    response.set_cookie(LOGIN_NONCE, nonce, max_age=3600, httponly=True, samesite="strict", path="/ui/login")
    return response


@router.post("/ui/login")
def login(request: Request, factory: FactoryDep, session: SessionDep, username: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "", nonce: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "") -> Response:
    expected = request.cookies.get(LOGIN_NONCE, "")
    if not expected or not hmac.compare_digest(expected, nonce):
        return _retry(request, next, "The sign-in form expired; please try again.")
    user = authenticate(session, username=username, password=password)
    if user is None:
        return _retry(request, next, "Unknown username or wrong password.", username)
    cookie = sessions.start_session(session, user=user)
    audit.record(session, action="user.signed_in", actor=user.username, subject_type="user", subject_id=user.id)
    session.commit()
    response = RedirectResponse(local_url(next) or "/ui", status_code=303)
    response.set_cookie(sessions.COOKIE, cookie, max_age=int(sessions.TTL.total_seconds()), httponly=True,
                        samesite="lax", secure=factory.settings.environment == "production", path="/")
    response.delete_cookie(LOGIN_NONCE, path="/ui/login")
    return response


@router.post("/ui/logout")
def logout(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    cookie = request.cookies.get(sessions.COOKIE)
    if cookie:
        sessions.end_session(session, cookie=cookie)
        session.commit()
    response = redirect("/ui/login", ok=f"Signed out {user.username}.")
    response.delete_cookie(sessions.COOKIE, path="/")
    return response


def _retry(request: Request, next_url: str, error: str, username: str = "") -> Response:
    nonce = new_login_nonce()
    response = render(request, "login.html", None, status_code=401, nonce=nonce, next=local_url(next_url),
                      error=error, username=username)
    response.set_cookie(LOGIN_NONCE, nonce, max_age=3600, httponly=True, samesite="strict", path="/ui/login")
    return response
