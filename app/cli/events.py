"""``factory events``: import performance events from a file, aggregate them, show a slot; withdraw a claim."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import typer

from app.cli import context
from app.errors import FactoryError
from app.performance import aggregate, events, retraction, slots
from app.performance.importing import read_events
from app.performance.learning import publish_what_worked
from app.pipeline.runner import safe_enqueue

events_app = typer.Typer(help="Performance events, slots and what they learn.", no_args_is_help=True)


@events_app.command("import")
def import_events(
    file: Path,
    brand: list[str] = typer.Option(None, "--brand", help="Brands the file may report on (repeat); default all."),
    source: str = typer.Option("cli-import", "--source", help="Recorded as the events' sender."),
    batch: int = typer.Option(1000, min=1, max=100_000, help="Events per transaction."),
    now: bool = typer.Option(False, "--aggregate", help="Aggregate here and now instead of enqueueing it."),
) -> None:
    """Store events from CSV or JSON lines like ``POST /events`` does (idempotent: a second import of the same
    file stores nothing); prints the counts and each refused line with its reason."""
    deps = context.deps()
    accepted = duplicates = refused = 0
    try:
        lines = read_events(file)
        while chunk := list(islice(lines, batch)):
            result = events.ingest(deps.engine, [e for _n, e in chunk], brands=frozenset(brand) if brand else None,
                                   source=source)
            accepted, duplicates = accepted + len(result.accepted), duplicates + len(result.duplicates)
            refused += len(result.refused)
            for refusal in result.refused:
                typer.echo(f"line {chunk[refusal.index][0]}: refused {refusal.id or ''}: {refusal.reason}", err=True)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(f"{accepted} accepted, {duplicates} duplicates, {refused} refused")
    if accepted and now:
        run = aggregate.run_aggregation(deps)
        typer.echo(f"aggregated {run.events} events into {len(run.slots)} slots")
    elif accepted:
        safe_enqueue(deps, "aggregate_events", "pending")


@events_app.command("aggregate")
def aggregate_now() -> None:
    """Aggregate every pending event now (what the worker's task does)."""
    run = aggregate.run_aggregation(context.deps())
    typer.echo(f"aggregated {run.events} events into {len(run.slots)} slots")


@events_app.command("slot")
def show_slot(slot: str) -> None:
    """A slot's variants: impressions, clicks, rate with its 95 % credible interval, P(best), weight."""
    try:
        view = slots.evaluate(context.deps(), slot, sees=lambda _brand: True)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(f"slot {view.slot} ({view.brand}, goal: {view.goal}); winner: {view.winner_variant_id or 'none yet'}")
    for arm in view.arms:
        state = "live" if arm.live else f"out ({arm.why})"
        typer.echo(f"  {arm.variant_id}  {arm.impressions:>8} imp {arm.clicks:>6} clk {arm.conversions:>5} conv  "
                   f"rate {arm.rate:.4f} [{arm.interval[0]:.4f}, {arm.interval[1]:.4f}]  "
                   f"P(best) {arm.p_best:.3f}  weight {arm.weight:.3f}  {state}")


@events_app.command("withdraw-claim")
def withdraw_claim(brand: str, claim_id: str, reason: str = typer.Option(...),
                   actor: str = typer.Option(..., "--as", help="Who withdraws it, for the audit log.")) -> None:
    """Withdraw an approved claim: the brand's published variants citing it leave every slot (and the CMS is
    told with ``content.retracted``)."""
    try:
        made = retraction.withdraw_claim(context.deps(), brand=brand, claim_id=claim_id, reason=reason, actor=actor)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(f"{len(made)} variants retracted: {', '.join(r.variant_id for r in made) or '-'}")


@events_app.command("learn")
def learn(brand: str, actor: str = typer.Option(..., "--as", help="Who publishes it, for the audit log.")) -> None:
    """Write the brand's "what worked" document (learned/what-worked.md in its KB folder) from its measured
    slots and ingest it, so drafting retrieves the evidence for the next briefs."""
    try:
        path = publish_what_worked(context.deps(), brand, actor=actor)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(f"wrote and ingested {path}")
