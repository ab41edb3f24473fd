"""Provenance on PostgreSQL: the stored manifest survives the JSON column's round trip, so the evidence pack
built from the database verifies with the public key alone, up to a signed checkpoint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.audit.keys import public_pem
from app.db import upgrade
from app.pipeline import delivery, gate, review
from app.pipeline.knowledge import ingest_brand
from app.provenance.evidence import check_pack, write_pack
from app.provenance.verify import verify_manifest
from app.schemas import BriefCreate
from app.wiring import build_deps
from tests.conftest import private_settings
from tests.fakes import CLEAN_DRAFT, FakeLLM, HashingEmbedder, RecordingEnqueue
from tests.integration.servers import fresh_postgres_database
from tests.unit.helpers import drafted

pytestmark = pytest.mark.integration

BRIEF = BriefCreate(brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=1, n_variants=1,
                    audience="evening tea drinkers", goal="launch", key_message="caffeine-free")


def test_a_manifest_stored_on_postgresql_verifies_and_its_evidence_pack_checks(tmp_path: Path) -> None:
    with fresh_postgres_database() as url:
        settings = private_settings(tmp_path / "var").model_copy(
            update={"database_url": url, "audit_checkpoint_every": 5})
        llm, enqueued = FakeLLM(), RecordingEnqueue()
        deps = build_deps(settings, enqueue=enqueued, llm_factory=lambda: llm, embedder=HashingEmbedder())
        try:
            upgrade(deps.engine)
            ingest_brand(deps, settings.brand_kb_dir / "fernhill", brand="fernhill")
            variant = drafted(deps, llm, enqueued, CLEAN_DRAFT, brief=BRIEF)
            review.approve(deps, variant_id=variant.id, actor="rob")
            gate.run_compliance(variant.id, deps)
            assert delivery.run_publish(variant.id, deps).status == "delivered"
            [path] = settings.outbox_dir.glob("*.json")
            payload = json.loads(path.read_text(encoding="utf-8"))["payload"]
            assert deps.provenance is not None
            key = public_pem(deps.provenance.signer.public_key)
            assert verify_manifest(payload, key).ok

            issuer = deps.provenance
            summary = write_pack(deps.engine, variant.id, tmp_path / "pack", public_key=issuer.signer.public_key,
                                 chain_pem=issuer.chain_pem)
        finally:
            deps.engine.dispose()
    assert summary.problems == []
    assert check_pack(tmp_path / "pack", key) == []
    stored = json.loads((tmp_path / "pack" / "provenance.json").read_text(encoding="utf-8"))
    assert stored["manifest"] == payload["provenance"]["manifest"]
