"""``factory kb``: ingest a brand folder, show what is stored.

``factory kb ingest brand_kb/<slug>`` ingests the brand's canonical folder in place. Any other folder is a
company's own material: ``factory kb ingest <folder> --brand <slug>`` first imports it into
``brand_kb/<slug>/`` (:mod:`app.retrieval.brand_import` says what is recognised), then ingests that.
"""

from __future__ import annotations

from pathlib import Path

import typer

from app.cli import context
from app.errors import FactoryError, InvalidInput
from app.pipeline.knowledge import ingest_brand
from app.retrieval.brand_import import import_brand
from app.retrieval.spaces import space_change

kb = typer.Typer(help="Brand knowledge base.", no_args_is_help=True)


@kb.command("ingest")
def ingest(
    folder: Path = typer.Argument(..., help="brand_kb/<slug>, or a company's folder to import (needs --brand)"),
    brand: str = typer.Option(None, help="Brand slug; required for a folder outside the KB directory"),
) -> None:
    """Import a company folder into brand_kb/<brand> if needed, then chunk, embed and store it."""
    kb_dir = context.settings().brand_kb_dir
    try:
        slug = _slug(folder, brand, kb_dir)
        imported = import_brand(folder, kb_dir, slug)
        for line in imported.summary():
            typer.echo(line)
        deps = context.deps()
        for line in space_change(deps.store, deps.settings.qdrant_collection, slug):
            typer.echo(line)
        report = ingest_brand(deps, imported.target, brand=slug)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(
        f"{slug}: {len(report.added)} added, {len(report.replaced)} replaced, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed; "
        f"{report.chunks_written} chunks written"
        + (f"; {len(report.quarantined)} chunks quarantined as prompt injection: {report.quarantined}"
           if report.quarantined else "")
    )


def _slug(folder: Path, brand: str | None, kb_dir: Path) -> str:
    """``--brand``, else the folder's name when the folder is a brand folder of ``kb_dir``."""
    if brand:
        return brand
    if folder.resolve().parent == kb_dir.resolve():
        return folder.resolve().name
    # Guessing a slug from an arbitrary folder name ("Downloads", "Brand assets 2024") would create a brand
    # nobody asked for, so an import must name it.
    raise InvalidInput(
        f"{folder} is not a brand folder in {kb_dir}; to import it, name the brand: "
        f"factory kb ingest {folder} --brand <slug>"
    )


@kb.command("stats")
def stats(brand: str) -> None:
    """How many chunks are stored for a brand."""
    typer.echo(f"{brand}: {context.deps().store.count(brand)} chunks")
