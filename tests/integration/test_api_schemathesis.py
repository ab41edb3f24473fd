"""Property-based tests of the HTTP API against its own OpenAPI schema (Schemathesis).

Every operation gets up to 25 generated requests (valid and invalid), sent in-process through ASGI
with an admin token whose user also holds every other role on every brand, so each operation is
exercised past its permission check. The checks: no 5xx, invalid data is rejected, and every response
(status code, content type, headers, body) conforms to the schema. Left out: ``positive_data_acceptance``,
which expects every schema-valid request to succeed; the factory rightly refuses some with a 422 for
rules a JSON schema cannot state (an unknown brand or channel, a missing rejection reason).
Bounded to run in well under two minutes.
"""

from __future__ import annotations

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
from app.db import session_scope
from app.pipeline import runner
from app.schemas import BriefCreate
from tests.conftest import module_deps
from tests.fakes import IDEAS
from tests.unit.test_api import PASSING_DRAFT

pytestmark = pytest.mark.integration
TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    deps, llm = module_deps(tmp_path_factory.mktemp("schemathesis") / "var", draft=PASSING_DRAFT)
    with session_scope(deps.engine) as session:
        admin = users.create_user(session, username="fuzz-admin", roles=["admin", "marketer", "reviewer",
                                  "compliance"], brands=["*"], password=None, actor="test")
        _token, secret = tokens.create_token(session, user=admin, roles=None, brands=None, expires_days=1,
                                             actor="test")
    TOKEN["Authorization"] = f"Bearer {secret}"
    llm.enqueue(IDEAS)  # one real brief with a variant, so list operations return items to validate
    brief = runner.submit_brief(deps=deps, brief_in=BriefCreate(
        brand="fernhill", channels=["linkedin"], n_ideas=1, n_variants=1, audience="evening tea drinkers",
        goal="launch", key_message="caffeine-free"), actor="mia")
    runner.run_ideation(brief.id, deps)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(deps=deps))


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
