"""Templates, the one-time notice after a redirect, and small display filters."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from app.auth.roles import Permission, Principal

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
FLASH_COOKIE = "cf_flash"


def ago(value: datetime | None) -> str:
    """'3 min', '2 h', '5 d': how long ago, for lists read at a glance."""
    if value is None:
        return ""
    return duration((datetime.now(UTC) - value).total_seconds())


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = max(int(seconds), 0)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s" if s < 600 else f"{s // 60} min"
    if s < 86400:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    return f"{s // 86400} d {s % 86400 // 3600} h"


def label(value: str) -> str:
    return value.replace("_", " ")


templates.env.filters.update(ago=ago, duration=duration, label=label)
templates.env.globals.update(Permission=Permission)


def render(request: Request, name: str, user: Principal | None, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    """Render ``name`` with the user, the pending notice (then cleared) and the CSRF token."""
    flash = _read_flash(request)
    response = templates.TemplateResponse(request, name, {"user": user, "flash": flash, **context},
                                          status_code=status_code)
    if flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def redirect(url: str, *, ok: str | None = None, error: str | None = None) -> RedirectResponse:
    """A 303 to ``url`` that shows ``ok`` or ``error`` once on the next page."""
    response = RedirectResponse(url, status_code=303)
    if ok or error:
        value = quote(json.dumps({"kind": "error" if error else "ok", "text": error or ok}))
        response.set_cookie(FLASH_COOKIE, value, max_age=60, httponly=True, samesite="lax", path="/")
    return response


def _read_flash(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        data = json.loads(unquote(raw))
        return {"kind": str(data["kind"]), "text": str(data["text"])[:2000]}
    except (ValueError, KeyError, TypeError):
        return None


def new_login_nonce() -> str:
    return secrets.token_urlsafe(24)


def local_url(url: str) -> str:
    """``url`` when it is one of our own pages, else "": an open redirect would let a link send a
    signed-in user anywhere."""
    return url if url.startswith("/ui/") and not url.startswith("//") and "\\" not in url else ""
