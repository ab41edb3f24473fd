"""Property-based tests of the HTTP API against its own OpenAPI schema (Schemathesis).

Every operation gets up to 25 generated requests (valid and invalid), sent in-process through ASGI
with an admin token whose user also holds every other role on every brand, so each operation is
exercised past its permission check. The checks: no 5xx, invalid data is rejected, and every response
(status code, content type, headers, body) conforms to the schema. Left out: ``positive_data_acceptance``,
which expects every schema-valid request to succeed; the factory rightly refuses some with a 422 for
rules a JSON schema cannot state (an unknown brand or channel, a missing rejection reason).
Bounded to run in well under two minutes.

A second run poisons generated requests with a NUL character, an integer past 64 bits or an unknown enum
value, on SQLite and on PostgreSQL (which refuses what SQLite stores): every one must get a 4xx JSON error.
"""

from __future__ import annotations

import json

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.api.main import create_app
from app.api.routes import router
from app.auth import tokens, users
from app.db import session_scope, upgrade
from app.pipeline import runner
from app.pipeline.knowledge import ingest_brand
from app.schemas import BriefCreate
from app.wiring import build_deps
from tests.conftest import module_deps, private_settings
from tests.fakes import IDEAS, FakeLLM, HashingEmbedder, RecordingEnqueue
from tests.integration.servers import fresh_postgres_database
from tests.unit.test_api import PASSING_DRAFT

pytestmark = pytest.mark.integration
TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    deps, llm = module_deps(tmp_path_factory.mktemp("schemathesis") / "var", draft=PASSING_DRAFT)
    schema, headers = _schema_of(deps, llm)
    TOKEN.update(headers)
    return schema


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def schema_on_each_database(request, tmp_path_factory, api_schema):
    """(schema, headers) of the API on SQLite, then on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield api_schema, dict(TOKEN)
        return
    with fresh_postgres_database() as url:
        settings = private_settings(tmp_path_factory.mktemp("schemathesis-pg") / "var")
        llm = FakeLLM()
        llm.default = json.dumps(PASSING_DRAFT)
        deps = build_deps(settings.model_copy(update={"database_url": url}), enqueue=RecordingEnqueue(),
                          llm_factory=lambda: llm, embedder=HashingEmbedder())
        upgrade(deps.engine)
        ingest_brand(deps, settings.brand_kb_dir / "fernhill", brand="fernhill")
        yield _schema_of(deps, llm)
        deps.engine.dispose()


def _schema_of(deps, llm) -> tuple[object, dict[str, str]]:
    """The API's schema for in-process calls, and the headers of an every-role, every-brand admin token."""
    with session_scope(deps.engine) as session:
        admin = users.create_user(session, username="fuzz-admin", roles=["admin", "marketer", "reviewer",
                                  "compliance"], brands=["*"], password=None, actor="test")
        _token, secret = tokens.create_token(session, user=admin, roles=None, brands=None, expires_days=1,
                                             actor="test")
    llm.enqueue(IDEAS)  # one real brief with a variant, so list operations return items to validate
    brief = runner.submit_brief(deps=deps, brief_in=BriefCreate(
        brand="fernhill", channels=["linkedin"], n_ideas=1, n_variants=1, audience="evening tea drinkers",
        goal="launch", key_message="caffeine-free"), actor="mia")
    runner.run_ideation(brief.id, deps)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(deps=deps)), {"Authorization": f"Bearer {secret}"}


def _operations() -> list[tuple[str, str]]:
    """Every documented operation, read from the routes alone (no database needed at collection)."""
    bare = FastAPI()
    bare.include_router(router)
    return [(method.upper(), path) for path, ops in bare.openapi()["paths"].items() for method in ops]


# schemathesis.pytest.from_fixture (its lazy loader) does not work with pytest 9 (it sets
# node._nodeid); the documented alternative is one Hypothesis test per operation on as_strategy().
@pytest.mark.parametrize(("method", "path"), _operations())
def test_api_conforms_to_its_schema(api_schema, method: str, path: str) -> None:
    operation = api_schema[path][method]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @hypothesis.given(case=cases)
    @hypothesis.settings(max_examples=25, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=TOKEN, excluded_checks=[positive_data_acceptance])

    run()


# Values no database stores, or no enum holds: every operation must answer them with a 4xx and the JSON error,
# never a 5xx (issue 12: a NUL in an id or filter, a huge offset and an unknown state each answered 500 on
# PostgreSQL). One kind per example, put into one generated parameter or body field.
POISONS = ("nul", "huge", "unknown")


def _enum_params(api_schema, path: str, method: str) -> set[tuple[str, str]]:
    """(location, name) of every parameter whose schema is an enum (directly, by $ref, or in anyOf)."""
    raw = api_schema.raw_schema
    components = raw.get("components", {}).get("schemas", {})

    def is_enum(schema: dict) -> bool:
        if "$ref" in schema:
            return is_enum(components.get(schema["$ref"].rsplit("/", 1)[-1], {}))
        return "enum" in schema or any(is_enum(s) for s in schema.get("anyOf", []))

    params = raw["paths"][path][method.lower()].get("parameters", [])
    return {(p["in"], p["name"]) for p in params if is_enum(p.get("schema", {}))}


def _poison(case: schemathesis.Case, kind: str, enums: set[tuple[str, str]]) -> bool:
    """Put one ``kind`` of bad value into ``case``; False when the operation has nowhere to put it."""
    places = [("path", case.path_parameters), ("query", case.query)]
    for location, values in places:
        for name in list(values or {}):
            if kind == "unknown" and (location, name) in enums:
                values[name] = "no-such-value"
                return True
            if kind == "nul" and isinstance(values[name], str):
                values[name] = f"{values[name]}\x00x"
                return True
            if kind == "huge" and isinstance(values[name], int) and not isinstance(values[name], bool):
                values[name] = 10**20
                return True
    if isinstance(case.body, dict):
        for name, value in case.body.items():
            if kind == "nul" and isinstance(value, str):
                case.body[name] = f"{value}\x00x"
                return True
            if kind == "huge" and isinstance(value, int) and not isinstance(value, bool):
                case.body[name] = 10**20
                return True
    return False


def _operations_with_input() -> list[tuple[str, str]]:
    bare = FastAPI()
    bare.include_router(router)
    return [(method.upper(), path) for path, ops in bare.openapi()["paths"].items() for method, op in ops.items()
            if op.get("parameters") or op.get("requestBody")]


@pytest.mark.parametrize(("method", "path"), _operations_with_input())
def test_api_answers_unstorable_and_unknown_values_with_a_4xx(schema_on_each_database, method: str,
                                                              path: str) -> None:
    api_schema, headers = schema_on_each_database
    operation = api_schema[path][method]
    enums = _enum_params(api_schema, path, method)

    @hypothesis.given(case=operation.as_strategy(GenerationMode.POSITIVE), kind=st.sampled_from(POISONS))
    @hypothesis.settings(max_examples=12, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case, kind: str) -> None:
        hypothesis.assume(_poison(case, kind, enums))
        response = case.call(headers=headers)
        assert 400 <= response.status_code < 500, f"{kind}: {method} {case.formatted_path} -> {response.status_code}"
        error = response.json()
        assert error["code"] and error["message"]

    run()
