"""Routes of admins: users, API tokens and brands (the brand KB folders and their ingestion)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col, select

from app.api.admin_services import known_brands, managed_token, managed_user, manages, require_grantable
from app.api.deps import BrandAdmin, FactoryDep, SessionDep, UserAdmin
from app.api.errors import ERROR_RESPONSES
from app.api.public import Page
from app.api.public_admin import (
    BrandPublic,
    IngestOut,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from app.auth import tokens, users
from app.auth.models import ApiToken, User
from app.brand import load_brand
from app.errors import NotFound
from app.pipeline.knowledge import ingest_brand

router = APIRouter(prefix="/admin", tags=["admin"], responses=ERROR_RESPONSES)
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get("/users")
def list_users(session: SessionDep, admin: UserAdmin, offset: Offset = 0, limit: Limit = 50) -> Page[UserPublic]:
    """Users whose brands all lie within yours, by username."""
    visible = [u for u in session.exec(select(User).order_by(col(User.username))).all() if manages(admin, u.brands)]
    items = [UserPublic.model_validate(u, from_attributes=True) for u in visible[offset:offset + limit]]
    return Page[UserPublic](items=items, total=len(visible), offset=offset, limit=limit)


@router.post("/users", status_code=201)
def create_user(body: UserCreate, factory: FactoryDep, session: SessionDep, admin: UserAdmin) -> UserPublic:
    """A new user; without a password it is a service account that signs in with API tokens only."""
    require_grantable(admin, body.brands)
    user = users.create_user(session, username=body.username, display_name=body.display_name,
                             roles=[r.value for r in body.roles], brands=body.brands, password=body.password,
                             actor=admin.username, known_brands=known_brands(factory.settings.brand_kb_dir),
                             email=body.email)
    session.commit()
    return UserPublic.model_validate(user, from_attributes=True)


@router.patch("/users/{username}")
def update_user(username: str, body: UserUpdate, factory: FactoryDep, session: SessionDep,
                admin: UserAdmin) -> UserPublic:
    """Change roles, brands, password or deactivate; the user's tokens narrow with them at once."""
    user = managed_user(session, admin, username)
    require_grantable(admin, body.brands)
    users.update_user(session, user=user, actor=admin.username,
                      roles=[r.value for r in body.roles] if body.roles is not None else None,
                      brands=body.brands, active=body.active, password=body.password,
                      known_brands=known_brands(factory.settings.brand_kb_dir))
    session.commit()
    return UserPublic.model_validate(user, from_attributes=True)


@router.get("/tokens")
def list_tokens(session: SessionDep, admin: UserAdmin, offset: Offset = 0, limit: Limit = 50) -> Page[TokenPublic]:
    """Tokens of the users you manage, newest first (never their secrets)."""
    owners = {u.id for u in session.exec(select(User)).all() if manages(admin, u.brands)}
    rows = [t for t in session.exec(select(ApiToken).order_by(col(ApiToken.created_at).desc())).all()
            if t.user_id in owners]
    items = [TokenPublic.model_validate(t, from_attributes=True) for t in rows[offset:offset + limit]]
    return Page[TokenPublic](items=items, total=len(rows), offset=offset, limit=limit)


@router.post("/tokens", status_code=201)
def create_token(body: TokenCreate, session: SessionDep, admin: UserAdmin) -> TokenCreated:
    """A token for a user, scoped to some of their roles and brands. The secret is in this answer only."""
    user = managed_user(session, admin, body.username)
    require_grantable(admin, body.brands)
    token, secret = tokens.create_token(
        session, user=user, roles=[r.value for r in body.roles] if body.roles else None, brands=body.brands,
        expires_days=body.expires_days, actor=admin.username, name=body.name)
    session.commit()
    return TokenCreated.model_validate({**token.model_dump(), "token": secret})


@router.post("/tokens/{token_id}/revoke")
def revoke_token(token_id: str, session: SessionDep, admin: UserAdmin) -> TokenPublic:
    token = tokens.revoke_token(session, token_id=managed_token(session, admin, token_id).id, actor=admin.username)
    session.commit()
    return TokenPublic.model_validate(token, from_attributes=True)


@router.get("/brands")
def list_brands(factory: FactoryDep, session: SessionDep, admin: BrandAdmin) -> list[BrandPublic]:
    """Your brands: their KB folder's name, channels and products, chunks ingested, and members."""
    members = session.exec(select(User)).all()
    out = []
    for slug in sorted(known_brands(factory.settings.brand_kb_dir)):
        if not admin.sees(slug):
            continue
        profile = load_brand(factory.settings.brand_kb_dir, slug)
        out.append(BrandPublic(slug=slug, name=profile.name, channels=profile.channels, products=profile.products,
                               chunks=factory.store.count(slug),
                               users=sorted(u.username for u in members if slug in u.brands or "*" in u.brands)))
    return out


@router.post("/brands/{slug}/ingest")
def ingest(slug: str, factory: FactoryDep, admin: BrandAdmin) -> IngestOut:
    """(Re)ingest a brand's KB folder; unchanged files are skipped."""
    if slug not in known_brands(factory.settings.brand_kb_dir) or not admin.sees(slug):
        raise NotFound(f"no brand {slug!r} in your brands")
    report = ingest_brand(factory, factory.settings.brand_kb_dir / slug, brand=slug, actor=admin.username)
    return IngestOut(brand=slug, added=report.added, replaced=report.replaced, unchanged=report.unchanged,
                     removed=report.removed, chunks=factory.store.count(slug))
