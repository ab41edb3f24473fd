"""``factory prompts``: list, show and diff prompt versions; promote, roll back and verify them.

Label moves need ``--as`` and ``--reason``: both go into the label history and the audit log.
``verify`` exits 1 when a registered or used version was edited or deleted (CI runs it).
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from app.cli import context
from app.db import session_scope
from app.errors import FactoryError, InvalidInput
from app.prompting import catalog, integrity, labels
from app.prompting.registry import PromptRegistry, is_version

prompts = typer.Typer(help="Versioned prompts: labels, rollback, integrity.", no_args_is_help=True)
console = Console(width=140)
Actor = typer.Option(..., "--as", help="Who moves the label (recorded in the audit log).")
Reason = typer.Option(..., "--reason", help="Why (recorded in the audit log).")
Label = typer.Option("production", "--label", help="The label to move.")


def _registry() -> PromptRegistry:
    return PromptRegistry(context.settings().prompts_dir)


@prompts.command("list")
def list_prompts() -> None:
    """Every prompt's versions with their hashes, lock state and labels."""
    registry = _registry()
    table = Table("prompt", "version", "sha256", "locked", "labels", "description")
    for name in registry.names():
        for row in catalog.describe(registry, name):
            digest = row.sha256[:12] if row.sha256 else "INVALID"
            table.add_row(name, str(row.version), digest, "yes" if row.locked else "no", ", ".join(row.labels),
                          (row.error or row.description)[:60])
    console.print(table)


@prompts.command("show")
def show(ref: str = typer.Argument(..., help="name@version or name@label")) -> None:
    """A version's file, with its resolved ref and hash."""
    try:
        loaded = _registry().resolve(ref)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    assert loaded.path is not None
    typer.echo(f"# {loaded.ref} sha256 {loaded.content_hash}")
    typer.echo(loaded.path.read_text(encoding="utf-8"))


@prompts.command("diff")
def diff(a: str = typer.Argument(..., help="name@a"), b: str = typer.Argument(..., help="name@b")) -> None:
    """Unified diff of two versions' files."""
    try:
        left, right = _registry().resolve(a), _registry().resolve(b)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(catalog.unified_diff(left, right) or f"{left.ref} and {right.ref} are identical")


@prompts.command("promote")
def promote(ref: str = typer.Argument(..., help="name@version (or name@label)"), label: str = Label,
            actor: str = Actor, reason: str = Reason) -> None:
    """Point a label at a version (registering the version in versions.lock)."""
    try:
        registry = _registry()
        target = registry.resolve(ref)
        with session_scope(context.deps().engine) as session:
            event = labels.promote(registry, session, name=target.name, version=target.version, label=label,
                                   actor=actor, reason=reason)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    if event is None:
        typer.echo(f"{target.name}@{label} already points to version {target.version}")
    else:
        typer.echo(f"{target.name}@{label}: {event.from_version} -> {event.to_version}")


@prompts.command("rollback")
def rollback(name: str, label: str = Label, actor: str = Actor, reason: str = Reason) -> None:
    """Move a label back to the version it pointed to before its last move."""
    try:
        with session_scope(context.deps().engine) as session:
            event = labels.rollback(_registry(), session, name=name, label=label, actor=actor, reason=reason)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(f"{name}@{label}: {event.from_version} -> {event.to_version} (rolled back)")


@prompts.command("history")
def history(name: str, label: str = typer.Option(None, "--label")) -> None:
    """A prompt's label moves, oldest first."""
    with Session(context.deps().engine) as session:
        events = labels.history(session, name=name, label=label)
    table = Table("when", "label", "action", "from", "to", "actor", "reason")
    for e in events:
        table.add_row(f"{e.created_at:%Y-%m-%d %H:%M}", e.label, e.action, str(e.from_version), str(e.to_version),
                      e.actor, e.reason)
    console.print(table)


@prompts.command("register")
def register(ref: str = typer.Argument(None, help="name@version; every unlocked version when omitted")) -> None:
    """Lock versions at their current hash in versions.lock (new versions only: a lock never changes)."""
    registry = _registry()
    try:
        if ref:
            name, _, version = ref.partition("@")
            if not is_version(version):
                raise InvalidInput("register a numbered version: name@3")
            done = [integrity.register(registry, name, int(version)).ref]
        else:
            done = integrity.register_all(registry)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo("registered: " + (", ".join(done) or "nothing new"))


@prompts.command("verify")
def verify(db: bool = typer.Option(True, "--db/--no-db", help="Also check versions in use in the database.")) -> None:
    """Check every locked (and, with --db, every used) version is present and unchanged; exit 1 if not."""
    registry = _registry()
    try:
        if db:
            with Session(context.deps().engine) as session:
                problems = integrity.verify(registry, session)
        else:
            problems = integrity.verify(registry)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    for problem in problems:
        typer.secho(f"FAIL {problem}", fg=typer.colors.RED, err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo("prompts verified: every locked version is present and unchanged")
