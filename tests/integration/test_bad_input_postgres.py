"""On PostgreSQL, which refuses NUL characters and 64-bit overflows that SQLite lets through, every bad input
answers 422 with the documented error (the seven inputs the issue found answering 500, and others of their
kinds), never a 500 from the database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.db import upgrade
from app.pipeline.deps import Deps
from app.pipeline.knowledge import ingest_brand
from app.wiring import build_deps
from tests.bad_inputs import BAD_INPUTS, BadInput, assert_refused_as_invalid_input
from tests.conftest import private_settings
from tests.fakes import FakeLLM, HashingEmbedder, RecordingEnqueue
from tests.integration.servers import fresh_postgres_database
from tests.unit.helpers import bearer

pytestmark = [pytest.mark.integration]


@pytest.fixture(scope="module")
def pg_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Deps, TestClient, dict[str, str]]]:
    with fresh_postgres_database() as url:
        settings = private_settings(Path(tmp_path_factory.mktemp("pg-bad-input")) / "var")
        settings = settings.model_copy(update={"database_url": url})
        deps = build_deps(settings, enqueue=RecordingEnqueue(), llm_factory=FakeLLM, embedder=HashingEmbedder())
        upgrade(deps.engine)
        assert deps.engine.dialect.name == "postgresql"
        ingest_brand(deps, settings.brand_kb_dir / "fernhill", brand="fernhill")
        headers = bearer(deps, "ava", ["marketer", "reviewer", "compliance", "admin"])
        yield deps, TestClient(create_app(deps=deps), raise_server_exceptions=False), headers
        deps.engine.dispose()


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c.name)
def test_bad_input_is_refused_with_422_on_postgresql(pg_factory: tuple[Deps, TestClient, dict[str, str]],
                                                      case: BadInput) -> None:
    _deps, client, headers = pg_factory
    if case.form is not None:
        response = client.request(case.method, case.path, data=case.form, headers=headers)
    else:
        response = client.request(case.method, case.path, json=case.json, headers=headers)
    assert_refused_as_invalid_input(case, response.status_code, response.content,
                                    response.headers.get("content-type", ""))


def test_good_requests_still_answer_on_postgresql(pg_factory: tuple[Deps, TestClient, dict[str, str]]) -> None:
    _deps, client, headers = pg_factory
    assert client.get("/briefs?state=in_review&brand=fernhill", headers=headers).status_code == 200
    assert client.get("/ui/briefs?offset=1000000", headers=headers).status_code == 200
