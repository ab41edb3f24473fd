"""API fixtures shared by the unit tests: a TestClient on the ingested demo brand, and tokens of a
marketer (mia) and a reviewer (rob) on fernhill."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.pipeline.deps import Deps
from tests.unit.helpers import bearer


@pytest.fixture
def client(ingested: Deps) -> TestClient:
    return TestClient(create_app(deps=ingested))


@pytest.fixture
def mia(ingested: Deps) -> dict[str, str]:
    return bearer(ingested, "mia", ["marketer"])


@pytest.fixture
def rob(ingested: Deps) -> dict[str, str]:
    return bearer(ingested, "rob", ["reviewer"])
