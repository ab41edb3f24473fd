"""The German measurements run end to end on the shared data (../shared/datasets/german), and the German
table is written between its own markers. Sanity bounds only: the figures are reported in GUARDRAILS.md,
not asserted (NOTES.md section 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.brand import load_brand
from app.cli.evals import _DE_END, _DE_START, _END, _START, _replace_section
from app.evaluation.claims_metrics import DEFAULT_DATASETS, german_claims_metrics
from app.evaluation.german_report import german_measure
from app.settings import PROJECT_ROOT

GERMAN = DEFAULT_DATASETS / "german"


@pytest.mark.skipif(not GERMAN.is_dir(), reason=f"German data sets not found at {GERMAN}")
def test_german_claims_from_rulings_are_found_and_most_blocked() -> None:
    metrics = german_claims_metrics(DEFAULT_DATASETS, load_brand(PROJECT_ROOT / "brand_kb", "fernhill"))
    assert metrics["misleading"] + metrics["controls"] == metrics["rows"] > 0
    assert metrics["blocked"] <= metrics["found_as_claims"] <= metrics["misleading"]
    assert metrics["blocked"] >= metrics["misleading"] / 2


@pytest.mark.skipif(not GERMAN.is_dir(), reason=f"German data sets not found at {GERMAN}")
def test_german_table_has_a_row_per_check_and_the_german_data() -> None:
    rows = german_measure(DEFAULT_DATASETS, load_brand(PROJECT_ROOT / "brand_kb", "fernhill"))
    areas = {r.area for r in rows}
    for check in ("banned_terms", "toxicity", "claims", "style", "injection"):
        assert f"German copy: {check}" in areas
    assert {"German: toxicity", "German: claims", "German: banned_terms", "German: style"} <= areas
    assert all(r.n > 0 and r.figure for r in rows)


def test_the_german_table_replaces_only_its_own_section(tmp_path: Path) -> None:
    page = tmp_path / "GUARDRAILS.md"
    page.write_text(f"intro\n{_START}\nold main\n{_END}\nmiddle\n{_DE_START}\nold german\n{_DE_END}\nclosing words\n")
    _replace_section(page, "new german\n", (_DE_START, _DE_END))
    text = page.read_text()
    assert "old main" in text and "new german" in text and "old german" not in text
    assert text.index("middle") < text.index("new german") < text.index("closing words")
