"""Every case in ``../shared/cases/guardrail_cases.jsonl`` (inputs found by trying the product as its users
would) holds through the brand's whole policy, as ``factory check`` runs it: what must be blocked is blocked by
one of the named checks, and what must pass gets no finding from the named checks. Brand ``kelpra`` is imported
from ``../shared/cases/brands/kelpra`` as ``factory kb ingest`` would. The rules decide (judge off).

The kind-level specifications live beside each check (``app/guardrails/<check>/tests``) with sentences of
their own; this file keeps the reported inputs themselves from regressing.
"""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest

from app.guardrails.engine import GuardrailEngine
from app.retrieval.brand_import import import_brand
from app.settings import PROJECT_ROOT, Settings
from tests.conftest import SHARED
from tests.fakes import HashingEmbedder

CASES_FILE = SHARED / "cases" / "guardrail_cases.jsonl"
EXTRA_BRANDS = SHARED / "cases" / "brands"

pytestmark = pytest.mark.skipif(not CASES_FILE.is_file(), reason="../shared/cases is not beside the checkout")


def _cases() -> list[dict[str, Any]]:
    if not CASES_FILE.is_file():
        return []
    return [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> GuardrailEngine:
    root = tmp_path_factory.mktemp("cases")
    kb = root / "kb"
    shutil.copytree(PROJECT_ROOT / "brand_kb", kb)
    for brand in sorted(EXTRA_BRANDS.iterdir()) if EXTRA_BRANDS.is_dir() else []:
        import_brand(brand, kb, brand.name)
    settings = Settings(_env_file=None, data_dir=root / "var", brand_kb_dir=kb, judge_mode="off",  # type: ignore[call-arg]
                        environment="test")
    return GuardrailEngine(settings, embedder=HashingEmbedder())


@pytest.mark.parametrize("case", _cases(), ids=lambda c: f"{c['id']}-{c['kind']}")
def test_reported_case_holds_through_the_brand_policy(engine: GuardrailEngine, case: dict[str, Any]) -> None:
    results = engine.evaluate(case["text"], brand=case["brand"], channel=case.get("channel"),
                              product=case.get("product"))
    findings = [r for r in results if not r.passed]
    if case.get("expect_block_by"):
        blockers = sorted({r.check for r in findings if r.blocks})
        assert set(blockers) & set(case["expect_block_by"]), (
            f"expected a block from {case['expect_block_by']}, got blocks from {blockers}: "
            f"{[(r.rule, r.reason[:80]) for r in findings]}")
    for check in case.get("expect_no_finding_from", []):
        found = [(r.rule, r.reason[:80]) for r in findings if r.check == check]
        assert not found, f"expected no {check} finding, got {found}"
