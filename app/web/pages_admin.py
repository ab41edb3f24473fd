"""The admin page: users, API tokens (the secret shown once, on the answer to its creation), brands."""

from __future__ import annotations

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
from app.web.rendering import redirect, render

router = APIRouter(prefix="/ui/admin", include_in_schema=False)
Field = Annotated[str, Form()]


@router.get("")
def admin_page(request: Request, factory: FactoryDep, session: SessionDep, user: UserAdmin) -> Response:
    return _page(request, factory, session, user)


@router.post("/users")
def add_user(factory: FactoryDep, session: SessionDep, user: UserAdmin, username: Field = "",
             display_name: Field = "", password: Field = "", brands: Field = "",
             roles: Annotated[list[str] | None, Form()] = None) -> Response:
    wanted = _split(brands)
    try:
        require_grantable(user, wanted)
        users.create_user(session, username=username.strip().lower(), display_name=display_name,
                          roles=roles or [], brands=wanted, password=password or None, actor=user.username,
                          known_brands=known_brands(factory.settings.brand_kb_dir))
        session.commit()
    except FactoryError as exc:
        return redirect("/ui/admin#users", error=exc.message)
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
        return redirect("/ui/admin#tokens", error=exc.message)
    # The secret is shown in this answer only: nothing that outlives the page (cookie, redirect) holds it.
    return _page(request, factory, session, user, new_secret=secret, new_secret_user=owner.username)


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
          new_secret_user: str | None = None) -> Response:
    user_page = admin_api.list_users(session, user, offset=0, limit=200)
    token_page = admin_api.list_tokens(session, user, offset=0, limit=200)
    names = {u.id: u.username for u in user_page.items}
    brands = admin_api.list_brands(factory, session, user) if user.can(Permission.manage_brands) else []
    return render(request, "admin.html", user, users=user_page.items, tokens=token_page.items, owners=names,
                  brands=brands, roles=[r.value for r in Role], new_secret=new_secret,
                  new_secret_user=new_secret_user)


def _split(value: str) -> list[str]:
    return [b.strip() for b in value.replace(";", ",").split(",") if b.strip()]
