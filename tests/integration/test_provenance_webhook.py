"""The provenance a CMS receives over a real webhook, checked the way a CMS would: with only the public key.

The receiver is :class:`tests.integration.servers.FlakyCMS` on loopback: it checks Standard Webhooks
signatures with its own code, is down for the first attempt, and stores each webhook-id once. The variant
is drafted (fake LLM), approved, cleared by the gate and published by the real delivery code; the CMS then
fetches the public key from the open API route and verifies what it stored.
"""

from __future__ import annotations

import base64
import dataclasses
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.pipeline import delivery, gate, review
from app.provenance import c2pa_sidecar
from app.provenance.verify import copy_text, verify_manifest
from app.publishing.publisher import WebhookPublisher
from app.schemas import BriefCreate
from tests.fakes import CLEAN_DRAFT
from tests.integration.servers import FlakyCMS
from tests.unit.helpers import drafted

pytestmark = pytest.mark.integration

SECRET = "whsec_" + base64.b64encode(b"provenance receiver test key 32b").decode()
BRIEF = BriefCreate(brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=1, n_variants=1,
                    audience="evening tea drinkers", goal="launch", key_message="caffeine-free")


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_the_cms_verifies_the_received_manifest_with_the_public_key_and_rejects_one_changed_character(
        ingested, fake_llm, enqueued, no_proxy):
    with FlakyCMS(SECRET, failures=1) as cms:
        settings = ingested.settings.model_copy(update={"webhook_retry_schedule_h": [0.0, 0.0]})
        deps = dataclasses.replace(ingested, settings=settings,
                                   publisher_factory=lambda: WebhookPublisher(url=cms.url, secret=SECRET, timeout_s=5))
        variant = drafted(deps, fake_llm, enqueued, CLEAN_DRAFT, brief=BRIEF)
        review.approve(deps, variant_id=variant.id, actor="rob")
        gate.run_compliance(variant.id, deps)
        outcomes = [delivery.run_publish(variant.id, deps).status for _ in range(2)]

    assert outcomes == ["retry", "delivered"]
    assert cms.bad_signatures == 0 and len(cms.accepted) == 1
    [received] = cms.accepted.values()

    # The CMS's side: the public key from the open route, nothing else of the factory's.
    key = TestClient(create_app(deps=deps)).get("/provenance/public-key").json()
    result = verify_manifest(received, key["public_key_pem"])
    assert (result.ok, result.reasons, result.copy_checked) == (True, [], True)
    assert result.key_id == key["key_id"]
    assert received["provenance"]["manifest"]["digital_source_type"].endswith("/trainedAlgorithmicMedia")

    tampered = json.loads(json.dumps(received))
    tampered["body"] = tampered["body"].replace("a", "à", 1)
    assert tampered["body"] != received["body"]
    failed = verify_manifest(tampered, key["public_key_pem"])
    assert not failed.ok and failed.reasons[0].startswith("the copy does not match the signed content hash")

    # The C2PA sidecar travels with it and binds the same text; trusted once the CMS pins the chain's root.
    root = x509.load_pem_x509_certificates(key["certificate_chain"].encode())[-1]
    root_pem = root.public_bytes(serialization.Encoding.PEM).decode()
    text = copy_text(received["headline"], received["body"], received["cta"])
    store = received["provenance"]["c2pa"]["store_b64"]
    assert c2pa_sidecar.validate(store, text, trust_anchor_pem=root_pem) == ("Trusted", [])
    state, failures = c2pa_sidecar.validate(store, copy_text(tampered["headline"], tampered["body"], tampered["cta"]))
    assert state == "Invalid" and "assertion.dataHash.mismatch" in failures
