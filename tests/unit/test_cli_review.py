"""``factory review list``: the queue, oldest first, narrowed to one brand with ``--brand``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import context
from app.cli.main import cli
from app.db import session_scope, upgrade
from app.models import Brief, Idea, Variant
from app.states import VariantState


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, str]]:
    """One variant waiting for review in each of two brands; returns brand -> headline."""
    monkeypatch.setenv("CF_DATA_DIR", str(tmp_path / "var"))
    context.settings.cache_clear()
    context.deps.cache_clear()
    engine = context.deps().engine
    upgrade(engine)
    headlines = {"fernhill": "Fernhill evening cup", "elsewhere": "Elsewhere morning brew"}
    with session_scope(engine) as s:
        for brand, headline in headlines.items():
            brief = Brief(brand=brand, channels=["linkedin"], audience="a", goal="g", key_message="k",
                          submitted_by="mia")
            idea = Idea(brief_id=brief.id, ordinal=1, title="t", angle="a")
            s.add_all([brief, idea])
            s.add(Variant(brief_id=brief.id, idea_id=idea.id, channel="linkedin", ordinal=1, headline=headline,
                          body="A body.", cta="Try", content_hash="h", state=VariantState.in_review))
    yield headlines
    context.settings.cache_clear()
    context.deps.cache_clear()


def test_review_list_shows_every_brand_without_a_filter(queue: dict[str, str]):
    result = CliRunner().invoke(cli, ["review", "list"])
    assert result.exit_code == 0, result.output
    assert all(headline in result.output for headline in queue.values())


def test_review_list_with_a_brand_shows_only_that_brand(queue: dict[str, str]):
    result = CliRunner().invoke(cli, ["review", "list", "--brand", "fernhill"])
    assert result.exit_code == 0, result.output
    assert queue["fernhill"] in result.output and queue["elsewhere"] not in result.output
