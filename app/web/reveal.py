"""A secret shown once across a POST-redirect-GET: the answer to "create a token" redirects, and the page it
redirects to shows the secret a single time.

The secret travels in a short-lived cookie, encrypted (Fernet: AES-128-CBC + HMAC-SHA256) under a key derived
from the browser's own session cookie value. The server keeps only that value's SHA-256 (app/auth/sessions.py),
so the cookie is useless to anyone without the session, including the server's database. Reading it deletes it:
a reload shows nothing and, since the form is not re-submitted, creates nothing.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from fastapi import Request
from fastapi.responses import Response

from app.auth import sessions

COOKIE = "cf_reveal"
TTL_S = 120  # long enough for a slow redirect, short enough that an unread secret does not linger


def _fernet(session_cookie: str) -> Fernet:
    key = hashlib.sha256(b"content-factory one-time reveal\x00" + session_cookie.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def stash(request: Request, response: Response, *, secret: str, label: str, path: str) -> None:
    """Put ``secret`` (with a ``label`` saying whose it is) on ``response`` for the next GET of ``path``."""
    cookie = request.cookies.get(sessions.COOKIE, "")
    sealed = _fernet(cookie).encrypt(f"{label}\x00{secret}".encode()).decode()
    response.set_cookie(COOKIE, sealed, max_age=TTL_S, httponly=True, samesite="strict", path=path)


def read(request: Request) -> tuple[str, str] | None:
    """``(label, secret)`` stashed for this browser session; None when there is none, it is older than ``TTL_S``
    or it was sealed for another session. The page that shows it must call :func:`forget` on its answer."""
    sealed = request.cookies.get(COOKIE)
    if not sealed:
        return None
    try:
        plain = _fernet(request.cookies.get(sessions.COOKIE, "")).decrypt(sealed.encode(), ttl=TTL_S).decode()
    except (InvalidToken, UnicodeDecodeError):
        return None
    label, _, secret = plain.partition("\x00")
    return label, secret


def forget(response: Response, *, path: str) -> None:
    """Delete the stashed secret from the browser: it is shown once."""
    response.delete_cookie(COOKIE, path=path)
