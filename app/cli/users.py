"""``factory users``: people and their roles, and API tokens for machines."""

from __future__ import annotations

import sys

import typer
from sqlmodel import Session

from app.api.admin_services import known_brands
from app.auth import tokens, users
from app.auth.roles import Role
from app.cli import context
from app.db import session_scope
from app.errors import FactoryError, NotFound

users_app = typer.Typer(help="Users, roles and API tokens.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens: created (shown once), listed, revoked.", no_args_is_help=True)
users_app.add_typer(token_app, name="token")
Actor = typer.Option("system:cli", "--as", help="Who makes the change, recorded in the audit log.")


@users_app.command("add")
def add(
    username: str,
    role: list[str] = typer.Option(..., "--role", help=f"Repeat for several: {', '.join(r.value for r in Role)}."),
    brand: list[str] = typer.Option(..., "--brand", help="Repeat for several; '*' for every brand."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
    name: str = typer.Option("", "--name", help="Display name."),
    email: str = typer.Option("", "--email", help="Where notifications of items waiting for the user's roles go."),
    actor: str = Actor,
) -> None:
    """Add a user. Without --password-stdin it is a service account that signs in with tokens only."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    deps = context.deps()
    try:
        with session_scope(deps.engine) as session:
            user = users.create_user(session, username=username, roles=role, brands=brand, password=password,
                                     display_name=name, actor=actor, email=email or None,
                                     known_brands=known_brands(deps.settings.brand_kb_dir))
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(f"{user.username}: {', '.join(user.roles)} on {', '.join(user.brands)}")


@users_app.command("list")
def list_users() -> None:
    """Every user with roles, brands and whether it is active."""
    with Session(context.deps().engine) as session:
        rows, _total = users.list_users(session, limit=10_000)
    for u in rows:
        typer.echo(f"{u.username:24} {','.join(u.roles):36} {','.join(u.brands):24} "
                   f"{'active' if u.active else 'inactive'}")


@token_app.command("create")
def token_create(
    user: str = typer.Option(..., "--user"),
    brands: str = typer.Option("", "--brands", help="Comma-separated; default: the user's brands."),
    roles: str = typer.Option("", "--roles", help="Comma-separated; default: the user's roles."),
    expires_days: int = typer.Option(90, "--expires-days", min=1, max=tokens.MAX_DAYS),
    name: str = typer.Option("", "--name", help="What uses the token."),
    actor: str = Actor,
) -> None:
    """Create a token and print it once: only its SHA-256 is kept."""
    try:
        with session_scope(context.deps().engine) as session:
            owner = users.get_user(session, username=user)
            if owner is None:
                raise NotFound(f"no user {user!r}; `factory users list` shows them")
            token, secret = tokens.create_token(session, user=owner, roles=_split(roles), brands=_split(brands),
                                                expires_days=expires_days, actor=actor, name=name)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(secret)
    typer.echo(f"token {token.id} for {user}: roles {','.join(token.roles)}, brands {','.join(token.brands)}, "
               f"expires {token.expires_at:%Y-%m-%d}. Shown once: store it now.", err=True)


@token_app.command("list")
def token_list() -> None:
    with Session(context.deps().engine) as session:
        rows, _total = tokens.list_tokens(session, limit=10_000)
    for t in rows:
        status = "revoked" if t.revoked_at else f"expires {t.expires_at:%Y-%m-%d}"
        typer.echo(f"{t.id}  {t.prefix}…  {','.join(t.roles):30} {','.join(t.brands):20} {status}  {t.name}")


@token_app.command("revoke")
def token_revoke(token_id: str, actor: str = Actor) -> None:
    """Revoke a token by id (``factory users token list``); it stops working at once."""
    try:
        with session_scope(context.deps().engine) as session:
            token = tokens.revoke_token(session, token_id=token_id, actor=actor)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(f"revoked {token.prefix}…")


def _split(value: str) -> list[str] | None:
    items = [v.strip() for v in value.split(",") if v.strip()]
    return items or None
