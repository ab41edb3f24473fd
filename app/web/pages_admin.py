"""The admin page: users, API tokens (the secret shown once, after the redirect that answers its creation), brands.

A refused form is answered with the page itself (422): the error stands next to that form, in words, and the
values typed are kept (passwords excepted).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.api import admin as admin_api
from app.api.admin_services import known_brands, managed_token, managed_user, require_grantable
from app.api.deps import BrandAdmin, FactoryDep, SessionDep, UserAdmin
from app.auth import tokens, users
from app.auth.roles import Permission, Principal, Role
from app.errors import FactoryError
from app.pipeline.deps import Deps
from app.pipeline.knowledge import ingest_brand
from app.web import reveal
from app.web.rendering import redirect, render

router = APIRouter(prefix="/ui/admin", include_in_schema=False)
Field = Annotated[str, Form()]


PAGE = "/ui/admin"


@router.get("")
def admin_page(request: Request, factory: FactoryDep, session: SessionDep, user: UserAdmin) -> Response:
    revealed = reveal.read(request)
    response = _page(request, factory, session, user, new_secret=revealed[1] if revealed else None,
                     new_secret_user=revealed[0] if revealed else None)
    if request.cookies.get(reveal.COOKIE):
        reveal.forget(response, path=PAGE)
    response.headers["Cache-Control"] = "no-store"  # the page may hold a secret: never from a cache
    return response


@router.post("/users")
def add_user(request: Request, factory: FactoryDep, session: SessionDep, user: UserAdmin, username: Field = "",
             display_name: Field = "", password: Field = "", brands: Field = "", email: Field = "",
             roles: Annotated[list[str] | None, Form()] = None) -> Response:
    wanted = _split(brands)
    try:
        require_grantable(user, wanted)
        users.create_user(session, username=username.strip().lower(), display_name=display_name,
                          roles=roles or [], brands=wanted, password=password or None, actor=user.username,
                          known_brands=known_brands(factory.settings.brand_kb_dir), email=email or None)
        session.commit()
    except FactoryError as exc:
        session.rollback()
        kept = {"username": username, "display_name": display_name, "brands": brands, "roles": roles or [],
                "email": email}
        return _page(request, factory, session, user, form="user", error=exc.message, values=kept, status_code=422)
    return redirect("/ui/admin#users", ok=f"User {username} created.")


@router.post("/users/{username}")
def change_user(username: str, factory: FactoryDep, session: SessionDep, user: UserAdmin, brands: Field = "",
                active: Field = "", roles: Annotated[list[str] | None, Form()] = None) -> Response:
    try:
        target = managed_user(session, user, username)
        wanted = _split(brands)
        require_grantable(user, wanted)
        users.update_user(session, user=target, actor=user.username, roles=roles or [], brands=wanted,
                          active=active == "on", known_brands=known_brands(factory.settings.brand_kb_dir))
        session.commit()
    except FactoryError as exc:
        return redirect("/ui/admin#users", error=exc.message)
    return redirect("/ui/admin#users", ok=f"User {username} updated.")


@router.post("/tokens")
def add_token(request: Request, factory: FactoryDep, session: SessionDep, user: UserAdmin, username: Field = "",
              name: Field = "", brands: Field = "", expires_days: Field = "90",
              roles: Annotated[list[str] | None, Form()] = None) -> Response:
    try:
        owner = managed_user(session, user, username)
        wanted = _split(brands) or None
        require_grantable(user, wanted)
        days = int(expires_days) if expires_days.strip().isascii() and expires_days.strip().isdigit() else 0
        _token, secret = tokens.create_token(session, user=owner, roles=roles or None, brands=wanted,
                                             expires_days=days, actor=user.username, name=name)
        session.commit()
    except FactoryError as exc:
        session.rollback()
        kept = {"username": username, "name": name, "brands": brands, "expires_days": expires_days,
                "roles": roles or []}
        return _page(request, factory, session, user, form="token", error=exc.message, values=kept,
                     status_code=422)
    # POST-redirect-GET: a reload of the page that shows the secret must not create a second token. The secret
    # rides the redirect sealed for this browser session and is shown once (app/web/reveal.py).
    response = redirect(f"{PAGE}#new-token-card")
    reveal.stash(request, response, secret=secret, label=owner.username, path=PAGE)
    return response


@router.post("/tokens/{token_id}/revoke")
def revoke(token_id: str, session: SessionDep, user: UserAdmin) -> Response:
    try:
        tokens.revoke_token(session, token_id=managed_token(session, user, token_id).id, actor=user.username)
        session.commit()
    except FactoryError as exc:
        return redirect("/ui/admin#tokens", error=exc.message)
    return redirect("/ui/admin#tokens", ok="Token revoked.")


@router.post("/brands/{slug}/ingest")
def ingest(slug: str, factory: FactoryDep, user: BrandAdmin) -> Response:
    if slug not in known_brands(factory.settings.brand_kb_dir) or not user.sees(slug):
        return redirect("/ui/admin#brands", error=f"no brand {slug!r} in your brands")
    try:
        report = ingest_brand(factory, factory.settings.brand_kb_dir / slug, brand=slug, actor=user.username)
    except FactoryError as exc:
        return redirect("/ui/admin#brands", error=exc.message)
    return redirect("/ui/admin#brands", ok=f"{slug}: {len(report.added) + len(report.replaced)} files ingested, "
                                           f"{len(report.unchanged)} unchanged.")


def _page(request: Request, factory: Deps, session: Session, user: Principal, new_secret: str | None = None,
          new_secret_user: str | None = None, form: str = "", error: str = "",
          values: Mapping[str, object] | None = None, status_code: int = 200) -> Response:
    user_page = admin_api.list_users(session, user, offset=0, limit=200)
    token_page = admin_api.list_tokens(session, user, offset=0, limit=200)
    names = {u.id: u.username for u in user_page.items}
    brands = admin_api.list_brands(factory, session, user) if user.can(Permission.manage_brands) else []
    return render(request, "admin.html", user, users=user_page.items, tokens=token_page.items, owners=names,
                  brands=brands, roles=[r.value for r in Role], new_secret=new_secret,
                  new_secret_user=new_secret_user, form=form, form_error=error, values=values or {},
                  status_code=status_code)


def _split(value: str) -> list[str]:
    return [b.strip() for b in value.replace(";", ",").split(",") if b.strip()]
