"""``factory events import FILE``: CSV and JSON lines, refusals by line, and a second import that stores nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import context
from app.cli.main import cli
from app.performance.models import VariantStats
from app.pipeline.deps import Deps
from tests.unit.performance_helpers import event, seeded_slot


@pytest.fixture
def cli_deps(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Deps]:
    monkeypatch.setenv("CF_DATA_DIR", str(tmp_path / "var"))
    context.settings.cache_clear()
    context.deps.cache_clear()
    yield context.deps()
    context.settings.cache_clear()
    context.deps.cache_clear()


def test_a_csv_file_is_imported_with_refusals_by_line_and_a_second_import_stores_nothing(cli_deps, tmp_path):
    slot, (a, b) = seeded_slot(cli_deps, [["C-001"], ["C-001"]])
    csv_file = tmp_path / "events.csv"
    csv_file.write_text(
        "id,type,variant_id,timestamp,value,currency,segment.placement\n"
        f"c1,impression,{a},2026-11-29T10:00:00Z,,,hero\n"
        f"c2,click,{a},2026-11-29T10:00:05Z,,,hero\n"
        f"c3,conversion,{b},2026-11-29T10:01:00Z,19.90,EUR,\n"
        f"c4,conversion,{b},2026-11-29T10:01:00Z,lots,EUR,\n"
        f"c5,impression,{b},yesterday,,,\n")
    first = CliRunner().invoke(cli, ["events", "import", str(csv_file), "--aggregate"])
    assert first.exit_code == 0, first.output
    assert "3 accepted, 0 duplicates, 2 refused" in first.output
    assert "line 5: refused c4: value" in first.output and "line 6: refused c5: timestamp" in first.output
    again = CliRunner().invoke(cli, ["events", "import", str(csv_file), "--aggregate"])
    assert "0 accepted, 3 duplicates, 2 refused" in again.output
    with Session(cli_deps.engine) as s:
        rows = {r.variant_id: (r.impressions, r.clicks, r.conversions, r.value_sum)
                for r in s.exec(select(VariantStats).where(VariantStats.slot == slot))}
    assert rows == {a: (1, 1, 0, 0.0), b: (0, 0, 1, 19.9)}


def test_json_lines_are_imported_and_a_broken_line_is_refused_with_its_number(cli_deps, tmp_path):
    _slot, (a,) = seeded_slot(cli_deps, [["C-001"]])
    lines = [json.dumps(event("j1", "impression", a)), "", "{not json", json.dumps(event("j2", "click", a))]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(cli, ["events", "import", str(path), "--brand", "fernhill", "--aggregate"])
    assert "2 accepted, 0 duplicates, 1 refused" in result.output and "line 3: refused" in result.output
    other = CliRunner().invoke(cli, ["events", "import", str(path), "--brand", "elsewhere"])
    assert "0 accepted, 0 duplicates, 3 refused" in other.output and "no variant" in other.output
