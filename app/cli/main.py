"""``factory``: the command line of the content factory."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import typer

from app.cli import context
from app.cli.audit import audit_app
from app.cli.briefs import briefs
from app.cli.check import check
from app.cli.evals import evals
from app.cli.events import events_app
from app.cli.kb import kb
from app.cli.prompts import prompts
from app.cli.review import review_app
from app.cli.users import users_app
from app.db import upgrade
from app.errors import FactoryError
from app.pipeline.recovery import recover as recover_work

cli = typer.Typer(help="Content factory: briefs to reviewed, checked, published copy.", no_args_is_help=True)
cli.add_typer(kb, name="kb")
cli.add_typer(briefs, name="brief")
cli.add_typer(review_app, name="review")
cli.add_typer(prompts, name="prompts")
cli.add_typer(evals, name="eval")
cli.add_typer(users_app, name="users")
cli.add_typer(audit_app, name="audit")
cli.add_typer(events_app, name="events")
cli.command("check")(check)
db = typer.Typer(help="Database schema.", no_args_is_help=True)
cli.add_typer(db, name="db")


@cli.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress to stderr.")) -> None:
    context.configure_logging(verbose)


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every Alembic migration (SQLite or PostgreSQL)."""
    upgrade(context.deps().engine)
    typer.echo("database is at the newest migration")


@cli.command("health")
def health(
    verify: bool = typer.Option(False, "--verify", help="Hash the local model file now (about 1 s for 1.1 GB), "
                                "assembling it first if needed, instead of reporting the last check."),
) -> None:
    """Which backend each part uses, which LLM runs with the last verification of its file, and the workers alive
    (by their heartbeats); with none alive, a line on stderr says so and how to start one."""
    from sqlmodel import Session  # only this command needs them

    from app.liveness import worker_report
    from app.llm.model_status import describe_local_model, llm_health
    from app.wiring import build_engine

    settings = context.settings()
    if verify:
        try:
            typer.echo(describe_local_model(settings), err=True)
        except FactoryError as exc:
            raise context.fail(exc) from exc
    engine = build_engine(settings)
    upgrade(engine)
    with Session(engine) as session:
        workers = worker_report(session, stale_s=settings.worker_stale_s)
    engine.dispose()
    typer.echo(json.dumps({**settings.backends(), "llm_model": llm_health(settings), "workers": workers}, indent=2))
    if not workers["alive"]:
        typer.echo(str(workers["message"]), err=True)


@cli.command("recover")
def recover() -> None:
    """Re-enqueue every item whose stage has not completed, except work a live worker holds (its lease) and
    deliveries whose next attempt is scheduled (safe: a task that finds its work claimed or done does nothing)."""
    work = recover_work(context.deps())
    typer.echo(f"re-enqueued {len(work)} items")


@cli.command("worker", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def worker(ctx: typer.Context, concurrency: int = 1) -> None:
    """Run a Celery worker (extra options go to ``celery worker``)."""
    pool = ["--pool=solo"] if concurrency == 1 else [f"--concurrency={concurrency}"]
    cmd = [sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker", "-Q", context.settings().queue_name,
           "--loglevel=INFO", *pool, *ctx.args]
    raise typer.Exit(subprocess.call(cmd, env=os.environ.copy()))


@cli.command("api")
def api(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the HTTP API (OpenAPI schema at /docs)."""
    import uvicorn

    uvicorn.run("app.api.main:create_app", factory=True, host=host, port=port)


@cli.command("demo")
def demo(
    language: str = typer.Option("en", "--language", help="en, or de for a German brief (see README)."),
    wait_minutes: float = typer.Option(60, "--wait-minutes", min=1,
                                       help="How long to wait for the worker at each step before giving up."),
) -> None:
    """One brief end to end on the embedded backends; see README."""
    from app.cli.demo import run_demo
    from app.errors import FactoryError
    from app.language import normalise_language

    try:
        code = normalise_language(language)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    raise typer.Exit(run_demo(context.settings(), language=code, wait_minutes=wait_minutes))


def main() -> None:
    cli()
