"""The style and claims measurements run end to end on the shared third-party data (../shared/datasets).

Sanity bounds only: the figures themselves are reported, not asserted (NOTES.md section 4).
"""

from __future__ import annotations

import pytest

from app.brand import load_brand
from app.evaluation.claims_metrics import DEFAULT_DATASETS, regulator_claims_metrics
from app.evaluation.style_metrics import vale_fixture_metrics
from app.settings import PROJECT_ROOT

STYLE_RULES = DEFAULT_DATASETS / "style_rules"
REGULATOR = DEFAULT_DATASETS / "claims" / "regulator_cited_claim_examples.csv"


@pytest.mark.skipif(not STYLE_RULES.is_dir(), reason=f"shared Vale packages not found at {STYLE_RULES}")
def test_vale_packages_reproduce_their_own_fixtures() -> None:
    metrics = vale_fixture_metrics(DEFAULT_DATASETS)
    assert {"write-good", "proselint", "Joblint"} <= set(metrics)
    for package, m in metrics.items():
        assert m["expected"] > 0 and m["rules_loaded"] > 0, package
        assert m["reproduced"] >= m["expected"] / 2, (package, m["missed"])
        assert m["extra"] <= m["expected"], (package, m["extras"])


@pytest.mark.skipif(not REGULATOR.is_file(), reason=f"regulator claim examples not found at {REGULATOR}")
def test_regulator_misleading_claims_are_found_and_blocked() -> None:
    brand = load_brand(PROJECT_ROOT / "brand_kb", "fernhill")
    metrics = regulator_claims_metrics(DEFAULT_DATASETS, brand)
    assert metrics["rows"] == len(metrics["per_row"]) > 0
    assert 0 < metrics["misleading"] <= metrics["rows"]
    assert metrics["blocked"] <= metrics["found_as_claims"] <= metrics["misleading"]
    assert metrics["blocked"] >= metrics["misleading"] / 2
