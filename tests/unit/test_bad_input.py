"""Bad input is a 4xx with the documented JSON error on SQLite too (the PostgreSQL run is in
tests/integration/test_bad_input_postgres.py); /health hides the LLM URL's secrets; an LLM endpoint that
refuses the credentials fails the brief with a configuration error naming the setting."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.api.main import create_app
from app.errors import LLMAuthenticationFailed
from app.llm.model_status import llm_health
from app.llm.openai_compatible import OpenAICompatibleLLM
from app.models import Brief
from app.pipeline import runner
from app.pipeline.deps import Deps
from app.publishing.signing import signed_headers, verify
from app.schemas import BriefCreate
from app.settings import Settings, url_origin
from app.wiring import build_judge_llm
from tests.bad_inputs import BAD_INPUTS, BRIEF, BadInput, assert_refused_as_invalid_input
from tests.fakes import FakeLLM
from tests.unit.helpers import bearer


@pytest.fixture
def everyone(ingested: Deps) -> dict[str, str]:
    return bearer(ingested, "ava", ["marketer", "reviewer", "compliance", "admin"])


def send(client: TestClient, case: BadInput, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    if case.form is not None:
        return client.request(case.method, case.path, data=case.form, headers=headers)
    return client.request(case.method, case.path, json=case.json, headers=headers)


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c.name)
def test_bad_input_is_refused_with_422(client: TestClient, everyone: dict[str, str], case: BadInput) -> None:
    response = send(client, case, everyone)
    assert_refused_as_invalid_input(case, response.status_code, response.content,
                                    response.headers.get("content-type", ""))


def test_the_error_names_where_the_nul_was(client: TestClient, everyone: dict[str, str]) -> None:
    response = client.post("/briefs", json={**BRIEF, "goal": "grow\x00"}, headers=everyone)
    assert response.json()["message"] == "body.goal: NUL characters (\\x00) are not allowed"
    assert "query.brand" in client.get("/briefs?brand=%00", headers=everyone).json()["message"]


def test_good_filters_still_work(client: TestClient, everyone: dict[str, str]) -> None:
    assert client.get("/briefs?state=in_review&offset=0", headers=everyone).status_code == 200
    assert client.get("/ui/briefs?state=&brand=", headers=everyone).status_code == 200
    assert client.get("/ui/briefs?state=failed&offset=50", headers=everyone).status_code == 200


def test_a_brief_file_with_a_nul_fails_validation_before_the_database() -> None:
    with pytest.raises(ValueError, match="NUL"):
        BriefCreate.model_validate({**BRIEF, "key_message": "decaf\x00"})


SECRET_URL = "https://alice:pa55word@llm.example.com:8443/v1?api-key=sk-hidden-123"


def test_health_shows_only_scheme_and_host_of_the_llm_url(ingested: Deps) -> None:
    settings = ingested.settings.model_copy(update={"llm_base_url": SECRET_URL, "llm_model": "gpt-x"})
    client = TestClient(create_app(deps=dataclasses.replace(ingested, settings=settings)))
    text = client.get("/health").text
    for secret in ("alice", "pa55word", "sk-hidden-123", "api-key", "/v1"):
        assert secret not in text
    assert "https://llm.example.com:8443" in text
    assert llm_health(settings)["base_url"] == "https://llm.example.com:8443"


@pytest.mark.parametrize(("url", "shown"), [
    ("http://user@10.0.0.5:8000/v1", "http://10.0.0.5:8000"),
    ("https://[::1]:9000/?token=abc", "https://[::1]:9000"),
    ("https://api.example.org", "https://api.example.org"),
    ("not a url", "(unparsable URL)"),
])
def test_url_origin_keeps_scheme_host_and_port_only(url: str, shown: str) -> None:
    assert url_origin(url) == shown


class _Refusing(BaseHTTPRequestHandler):
    status = 401

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = json.dumps({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                                     "code": "invalid_api_key"}}).encode()
        self.send_response(self.status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(params=[401, 403])
def refusing_endpoint(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = type("Handler", (_Refusing,), {"status": request.param})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_an_llm_endpoint_refusing_the_key_is_a_configuration_error_naming_the_setting(refusing_endpoint: str) -> None:
    llm = OpenAICompatibleLLM(base_url=refusing_endpoint, model="m", api_key="wrong", json_mode="json_object",
                              timeout_s=10)
    with pytest.raises(LLMAuthenticationFailed, match="CF_LLM_API_KEY"):
        llm.complete([{"role": "user", "content": "hi"}], params={}, json_schema=None)


def test_the_judge_endpoint_refusing_its_key_names_the_judge_setting(settings: Settings,
                                                                     refusing_endpoint: str) -> None:
    judge = build_judge_llm(settings.model_copy(update={"judge_base_url": refusing_endpoint}), FakeLLM)
    with pytest.raises(LLMAuthenticationFailed, match="CF_JUDGE_API_KEY"):
        judge.complete([{"role": "user", "content": "is this claim approved?"}], params={}, json_schema=None)


def test_a_refused_key_fails_the_brief_with_that_reason(ingested: Deps, refusing_endpoint: str) -> None:
    llm = OpenAICompatibleLLM(base_url=refusing_endpoint, model="m", api_key=None, json_mode="json_object",
                              timeout_s=10)
    deps = dataclasses.replace(ingested, llm_factory=lambda: llm)
    brief = runner.submit_brief(deps=deps, brief_in=BriefCreate(**BRIEF), actor="mia")
    runner.run_ideation(brief.id, deps)
    with Session(deps.engine) as session:
        failed = session.get(Brief, brief.id)
    assert failed is not None and failed.state == "failed"
    assert "CF_LLM_API_KEY" in (failed.error or "") and "LLMAuthenticationFailed" in (failed.error or "")


def test_signature_verify_accepts_the_body_as_text() -> None:
    secret = "whsec_" + "dGVzdC1rZXktZm9yLXN0ci1ib2R5"
    body = '{"headline": "Tee für den Abend"}'
    headers = signed_headers(secret=secret, msg_id="msg_1", body=body.encode("utf-8"))
    verify(secret=secret, headers=headers, body=body)
    verify(secret=secret, headers=headers, body=body.encode("utf-8"))
