"""What every command needs, built once per invocation."""

from __future__ import annotations

import logging
import sys
from functools import cache

import typer

from app.db import upgrade
from app.errors import FactoryError
from app.pipeline.deps import Deps
from app.settings import Settings, get_settings
from app.wiring import build_deps


@cache
def settings() -> Settings:
    return get_settings()


@cache
def deps() -> Deps:
    d = build_deps(settings())
    upgrade(d.engine)
    return d


def fail(exc: FactoryError) -> typer.Exit:
    """Print a FactoryError as ``error [code]: message`` and return the exit to raise."""
    typer.secho(f"error [{exc.code}]: {exc.message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=2)


def configure_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
