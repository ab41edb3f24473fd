"""``factory brief``: submit, list, show and retry briefs."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from pydantic import ValidationError
from sqlmodel import Session, col, select

from app.cli import context, render
from app.errors import FactoryError, InvalidInput, InvalidTransition, NotFound
from app.models import Brief
from app.pipeline.recovery import retry_brief
from app.pipeline.runner import submit_brief
from app.schemas import BriefCreate

briefs = typer.Typer(help="Marketing briefs.", no_args_is_help=True)


@briefs.command("submit")
def submit(
    file: Path = typer.Argument(..., help="A JSON file with the brief's fields (see README)."),
    actor: str = typer.Option(..., "--as", help="Who submits (recorded in the audit log)."),
    language: str = typer.Option(None, "--language", help="en or de; overrides the file's (default: the brand's)."),
) -> None:
    """Store a brief and queue it for ideation; prints its id."""
    try:
        fields = json.loads(file.read_text())
        if language and isinstance(fields, dict):
            fields["language"] = language
        brief_in = BriefCreate.model_validate(fields)
        brief = submit_brief(deps=context.deps(), brief_in=brief_in, actor=actor)
    except (json.JSONDecodeError, ValidationError) as exc:
        raise context.fail(InvalidInput(f"{file}: {exc}")) from exc
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(brief.id)


@briefs.command("list")
def list_briefs(brand: str = typer.Option(None), limit: int = 20) -> None:
    with Session(context.deps().engine) as session:
        stmt = select(Brief).order_by(col(Brief.created_at).desc()).limit(limit)
        if brand:
            stmt = stmt.where(Brief.brand == brand)
        rows = session.exec(stmt).all()
    render.briefs_table(rows)


@briefs.command("show")
def show(brief_id: str) -> None:
    """A brief's state, its variants and their check results."""
    try:
        render.brief_report(context.deps(), brief_id)
    except NotFound as exc:
        raise context.fail(exc) from exc


@briefs.command("retry")
def retry(brief_id: str, actor: str = typer.Option(..., "--as")) -> None:
    """Send a failed brief back to the stage where it stopped."""
    try:
        retry_brief(context.deps(), brief_id=brief_id, actor=actor)
    except (NotFound, InvalidTransition) as exc:
        raise context.fail(exc) from exc
    typer.echo(f"{brief_id} queued again")
