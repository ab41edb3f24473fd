"""``factory kb``: ingest a brand folder, show what is stored."""

from __future__ import annotations

from pathlib import Path

import typer

from app.cli import context
from app.errors import FactoryError
from app.retrieval.ingest import ingest_folder

kb = typer.Typer(help="Brand knowledge base.", no_args_is_help=True)


@kb.command("ingest")
def ingest(
    folder: Path = typer.Argument(..., help="A brand folder, e.g. brand_kb/fernhill"),
    brand: str = typer.Option(None, help="Brand slug (default: the folder name)"),
) -> None:
    """Chunk, embed and store a brand folder; unchanged files are skipped."""
    slug = brand or folder.resolve().name
    try:
        d = context.deps()
        report = ingest_folder(folder, brand=slug, store=d.store, embedder=d.embedder)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(
        f"{slug}: {len(report.added)} added, {len(report.replaced)} replaced, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed; "
        f"{report.chunks_written} chunks written"
    )


@kb.command("stats")
def stats(brand: str) -> None:
    """How many chunks are stored for a brand."""
    typer.echo(f"{brand}: {context.deps().store.count(brand)} chunks")
