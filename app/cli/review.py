"""``factory review``: the review queue and the decisions on it."""

from __future__ import annotations

import typer
from sqlmodel import Session, col, select

from app.cli import context, render
from app.errors import FactoryError
from app.models import Brief, CheckFinding, Variant
from app.pipeline import delivery, review
from app.states import REVIEWABLE

review_app = typer.Typer(help="Review drafts.", no_args_is_help=True)
Actor = typer.Option(..., "--as", help="The reviewer's name, recorded in the audit log.")


@review_app.command("list")
def list_queue(brand: str = typer.Option(None, help="Only this brand's variants.")) -> None:
    """Variants waiting for a decision, oldest first."""
    with Session(context.deps().engine) as session:
        stmt = select(Variant).where(col(Variant.state).in_(list(REVIEWABLE)))
        if brand:
            stmt = stmt.join(Brief, col(Brief.id) == col(Variant.brief_id)).where(Brief.brand == brand)
        variants = session.exec(stmt.order_by(col(Variant.created_at))).all()
        findings = session.exec(select(CheckFinding).where(
            col(CheckFinding.variant_id).in_([v.id for v in variants]))).all()
    if not variants:
        typer.echo(f"nothing waiting for review{f' on brand {brand}' if brand else ''}")
        return
    render.variants_table(variants, findings)


VariantId = typer.Argument(..., help="The variant's id (first column of `factory review list`).")


@review_app.command("approve")
def approve(variant_id: str = VariantId, actor: str = Actor,
            comment: str = typer.Option("", help="An optional note, kept in the audit log.")) -> None:
    """Approve a variant in review: its exact text (bound by SHA-256) goes to the compliance gate, then to
    publishing. Refused for a brief you submitted, or a variant with a blocking finding."""
    _decide(lambda: review.approve(context.deps(), variant_id=variant_id, actor=actor, comment=comment))


@review_app.command("request-changes")
def request_changes(variant_id: str = VariantId, actor: str = Actor,
                    comment: str = typer.Option(..., help="What to change; it goes into the next draft's prompt."),
                    ) -> None:
    """Send a variant back for a redraft: a worker writes a new revision with your comment in its prompt."""
    _decide(lambda: review.request_changes(context.deps(), variant_id=variant_id, actor=actor, comment=comment))


@review_app.command("reject")
def reject(variant_id: str = VariantId, actor: str = Actor,
           reason: str = typer.Option(..., help="Why, kept in the audit log and shown on the brief.")) -> None:
    """Reject a variant for good: no redraft, nothing published."""
    _decide(lambda: review.reject(context.deps(), variant_id=variant_id, actor=actor, reason=reason))


@review_app.command("retry-delivery")
def retry_delivery(variant_id: str = VariantId, actor: str = Actor) -> None:
    """Try again to publish a variant whose delivery died."""
    _decide(lambda: delivery.retry_dead(context.deps(), variant_id=variant_id, actor=actor))


@review_app.command("enable-endpoint")
def enable_endpoint(url: str, actor: str = Actor) -> None:
    """Send to a webhook URL again after it answered 410 Gone (audited). Its dead deliveries still need
    `factory review retry-delivery`."""
    _decide(lambda: delivery.enable_endpoint(context.deps(), target=url, actor=actor))


def _decide(action) -> None:  # type: ignore[no-untyped-def]
    try:
        result = action()
    except FactoryError as exc:
        raise context.fail(exc) from exc
    if isinstance(result, Variant):
        typer.echo(f"{result.id}: {result.state.value}")
    else:
        typer.echo("ok")
