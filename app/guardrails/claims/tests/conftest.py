"""Fixtures for the claims check's specifications: a small brand written for these tests (not the demo
brand, so the rules are not tuned to its wording), the demo brand, and helpers to run the check."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.brand import BrandProfile, load_brand
from app.guardrails.base import CheckContext, CheckResult
from app.guardrails.claims import ClaimsCheck
from app.settings import PROJECT_ROOT

NORTHMOOR_CLAIMS = """\
approved_claims:
  - id: N-1
    text: Harbour Oats contribute to normal digestion as part of a varied diet.
    products: [harbour-oats]
  - id: N-2
    text: Our mailer boxes are made from 100% recycled paper.
    products: [all]
  - id: N-3
    text: Free delivery on orders over £40 to UK addresses.
    products: [all]
  - id: N-4
    text: Brightwave gummies may help you feel rested when taken daily.
    subject: Brightwave gummies
    conditions: [when taken daily]
    strength: may help
forbidden_claim_patterns:
  - {id: X-1, pattern: miracle, reason: Never.}
"""
NORTHMOOR_DELIVERY_POLICY = """\
# Delivery

- **UK:** free over £40, otherwise £3.95.
- **Ireland:** a flat £7.50 per order. There is no free delivery threshold.
"""


@pytest.fixture(scope="session")
def northmoor(tmp_path_factory: pytest.TempPathFactory) -> BrandProfile:
    kb: Path = tmp_path_factory.mktemp("kb")
    folder = kb / "northmoor"
    (folder / "products").mkdir(parents=True)
    (folder / "policy").mkdir()
    (folder / "brand.yaml").write_text("name: Northmoor\nchannels: [blog]\n", encoding="utf-8")
    (folder / "claims.yaml").write_text(NORTHMOOR_CLAIMS, encoding="utf-8")
    (folder / "policy" / "delivery.md").write_text(NORTHMOOR_DELIVERY_POLICY, encoding="utf-8")
    for pid, name in (("harbour-oats", "Harbour Oats"), ("sea-salt-granola", "Sea Salt Granola")):
        (folder / "products" / f"{pid}.yaml").write_text(f"id: {pid}\nname: {name}\ncategory: cereal\n",
                                                         encoding="utf-8")
    return load_brand(kb, "northmoor")


@pytest.fixture(scope="session")
def fernhill() -> BrandProfile:
    return load_brand(PROJECT_ROOT / "brand_kb", "fernhill")


def check(brand: BrandProfile, text: str, **context: object) -> list[CheckResult]:
    return ClaimsCheck().run(text, CheckContext(brand=brand, **context))  # type: ignore[arg-type]


def blocking(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.blocks]


def findings(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if not r.passed]
