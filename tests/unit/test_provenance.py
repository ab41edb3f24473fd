"""Signed provenance of published variants: the manifest's content, its signature, and the one-call verifier."""

from __future__ import annotations

import base64
import copy
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import Session, select

from app.api import decisions
from app.audit.keys import Signer, public_pem, raw_public
from app.models import AuditEntry, Variant
from app.pipeline import compliance_desk, delivery, gate, review, stages
from app.provenance import c2pa_sidecar
from app.provenance.issuer import ProvenanceIssuer
from app.provenance.manifest import CLEARED, HUMAN_EDITS, TRAINED_ALGORITHMIC_MEDIA
from app.provenance.models import ProvenanceRecord
from app.provenance.verify import copy_text, sha256_hex, verify_manifest
from app.schemas import BriefCreate, DraftCopy
from tests.fakes import BANNED_DRAFT, CLEAN_DRAFT
from tests.unit.helpers import drafted

BRIEF = BriefCreate(brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=1, n_variants=1,
                    audience="evening tea drinkers", goal="launch", key_message="caffeine-free")


def published_payload(deps, variant_id: str) -> dict:
    """Run the gate and the publisher to the outbox; the payload the CMS would receive."""
    gate.run_compliance(variant_id, deps)
    assert delivery.run_publish(variant_id, deps).status == "delivered"
    [path] = deps.settings.outbox_dir.glob("*.json")
    return json.loads(path.read_text(encoding="utf-8"))["payload"]


def public_key_of(deps) -> str:
    return public_pem(deps.provenance.signer.public_key)


def test_a_published_payload_carries_a_manifest_that_states_ai_generation_and_every_step(
        ingested, fake_llm, enqueued):
    variant = drafted(ingested, fake_llm, enqueued, CLEAN_DRAFT, brief=BRIEF)
    review.approve(ingested, variant_id=variant.id, actor="rob", comment="good to go")
    payload = published_payload(ingested, variant.id)

    result = verify_manifest(payload, public_key_of(ingested))
    assert (result.ok, result.reasons, result.copy_checked) == (True, [], True)

    manifest = payload["provenance"]["manifest"]
    assert manifest["digital_source_type"] == TRAINED_ALGORITHMIC_MEDIA
    assert manifest["content"]["sha256"] == variant.content_hash
    assert manifest["item"].items() >= {"variant_id": variant.id, "brief_id": variant.brief_id,
                                        "brand": "fernhill"}.items()
    created, approved, cleared = manifest["actions"]
    assert created["action"] == "c2pa.created" and created["digitalSourceType"] == TRAINED_ALGORITHMIC_MEDIA
    assert created["softwareAgent"]["name"] == "fake-llm"
    assert created["parameters"]["prompts"] == [variant.prompt_ref]
    assert approved["parameters"].items() >= {"actor": "rob", "content_hash": variant.content_hash,
                                              "comment": "good to go"}.items()
    assert cleared["action"] == CLEARED and cleared["parameters"]["actor"] == "system:compliance"
    # A model no pinned file stands behind has no hash, and the manifest says so rather than inventing one.
    assert manifest["models"] == [{"name": "fake-llm", "sha256": None, "backend": "unknown",
                                   "verification": "unknown model: no file hash recorded"}]
    assert [p["ref"] for p in manifest["prompts"]] == [variant.prompt_ref]
    assert all(len(p["sha256"]) == 64 for p in manifest["prompts"])
    # Every check of both gates, each with its verdict.
    gates = {c["gate"] for c in manifest["checks"]}
    assert gates == {"draft", "compliance"} and all("passed" in c for c in manifest["checks"])
    assert any(c["check"] == "approval" and c["passed"] for c in manifest["checks"])
    # The KB chunks the copy was grounded on, each hashed from the text the store holds.
    assert [s["chunk_id"] for s in manifest["sources"]] == variant.grounding_chunk_ids
    assert all(len(s["sha256"]) == 64 and s["source_path"] for s in manifest["sources"])
    assert "sources_note" not in manifest


def test_the_manifest_is_stored_and_its_hash_is_in_the_audit_chain(ingested, fake_llm, enqueued):
    variant = drafted(ingested, fake_llm, enqueued, CLEAN_DRAFT, brief=BRIEF)
    review.approve(ingested, variant_id=variant.id, actor="rob")
    payload = published_payload(ingested, variant.id)
    gate.run_compliance(variant.id, ingested)  # redelivered: no second manifest

    with Session(ingested.engine) as session:
        record = session.get(ProvenanceRecord, variant.id)
        signed = session.exec(select(AuditEntry).where(AuditEntry.action == "provenance.signed")).all()
    envelope = payload["provenance"]
    assert record is not None and record.manifest == envelope["manifest"]
    assert record.signature == envelope["signature"]["value"]
    assert [e.details["manifest_sha256"] for e in signed] == [envelope["manifest_sha256"]]
    assert signed[0].details["c2pa_store_sha256"] == hashlib.sha256(
        base64.b64decode(envelope["c2pa"]["store_b64"])).hexdigest()


def test_one_changed_character_of_the_copy_fails_verification(ingested, fake_llm, enqueued):
    variant = drafted(ingested, fake_llm, enqueued, CLEAN_DRAFT, brief=BRIEF)
    review.approve(ingested, variant_id=variant.id, actor="rob")
    payload = published_payload(ingested, variant.id)
    key = public_key_of(ingested)

    for field in ("headline", "body", "cta"):
        changed = copy.deepcopy(payload)
        changed[field] = changed[field][:-1] + ("x" if changed[field][-1] != "x" else "y")
        result = verify_manifest(changed, key)
        assert not result.ok
        assert result.reasons == [result.reasons[0]] and "the copy does not match" in result.reasons[0]

    edited_manifest = copy.deepcopy(payload)
    edited_manifest["provenance"]["manifest"]["actions"][1]["parameters"]["actor"] = "mallory"
    assert verify_manifest(edited_manifest, key).reasons == [
        "the signature does not match the manifest: it was changed after signing"]

    other_key = public_pem(Ed25519PrivateKey.generate().public_key())
    assert "but the given public key is" in verify_manifest(payload, other_key).reasons[0]

    moved = copy.deepcopy(payload)
    moved["variant_id"] = "another-variant"
    assert any("variant_id" in r for r in verify_manifest(moved, key).reasons)


def test_a_reviewers_edit_is_a_human_edit_between_the_model_and_the_approval(ingested, fake_llm, enqueued):
    variant = drafted(ingested, fake_llm, enqueued, CLEAN_DRAFT, brief=BRIEF)
    fixed = DraftCopy(headline="Quiet Hours, for slow evenings", body=variant.body, cta=variant.cta)
    approved = decisions.edit_and_approve(ingested, variant_id=variant.id, actor="rob", copy=fixed,
                                          comment="calmer headline")
    payload = published_payload(ingested, approved.id)

    assert verify_manifest(payload, public_key_of(ingested)).ok
    actions = payload["provenance"]["manifest"]["actions"]
    assert [a["action"] for a in actions] == ["c2pa.created", "c2pa.edited", "com.contentfactory.approved", CLEARED]
    assert actions[0]["parameters"]["variant_id"] == variant.id
    edit = actions[1]
    assert edit["digitalSourceType"] == HUMAN_EDITS
    assert edit["parameters"].items() >= {"actor": "rob", "from_hash": variant.content_hash, "fields": ["headline"],
                                          "comment": "calmer headline", "revision": 2}.items()


def test_an_officers_clearance_names_the_officer_and_keeps_the_overruled_checks(ingested, fake_llm, enqueued):
    variant = drafted(ingested, fake_llm, enqueued, BANNED_DRAFT, brief=BRIEF)
    review.approve(ingested, variant_id=variant.id, actor="rob")
    gate.run_compliance(variant.id, ingested)  # banned terms: blocked at the gate
    compliance_desk.clear_blocked(ingested, variant_id=variant.id, actor="olga", reason="legal approved wording")
    assert delivery.run_publish(variant.id, ingested).status == "delivered"
    [path] = ingested.settings.outbox_dir.glob("*.json")
    payload = json.loads(path.read_text(encoding="utf-8"))["payload"]

    assert verify_manifest(payload, public_key_of(ingested)).ok
    cleared = payload["provenance"]["manifest"]["actions"][-1]
    assert cleared["action"] == CLEARED
    assert cleared["parameters"].items() >= {"actor": "olga", "reason": "legal approved wording"}.items()
    overruled = {c["rule"] for c in payload["provenance"]["manifest"]["checks"]
                 if c["gate"] == "compliance" and not c["passed"]}
    assert {"banned_term:detox", "banned_term:miracle"} <= overruled


def test_the_c2pa_sidecar_binds_the_copy_and_fails_after_one_changed_character(tmp_path):
    signer = Signer(Ed25519PrivateKey.generate())
    from app.provenance import certs

    chain = certs.development_chain(signer, tmp_path)
    root = (tmp_path / f"provenance-root-{signer.key_id}.pem").read_text()
    issuer = ProvenanceIssuer(signer, chain, "development")
    text = copy_text("Quiet evenings", "A caffeine-free blend for slow nights.", "Try a cup tonight")
    manifest = {"format": "factory-provenance/1", "item": {"variant_id": "v1"},
                "content": {"sha256": sha256_hex(text)}, "actions": [
                    {"action": "c2pa.created", "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                     "softwareAgent": {"name": "m", "sha256": "ab" * 32}}],
                "models": [], "prompts": [], "sources": [], "checks": []}
    part = c2pa_sidecar.sidecar(issuer.sign(manifest)["manifest"], text, signer, chain, "development")

    assert c2pa_sidecar.validate(part["store_b64"], text) == ("Valid", ["signingCredential.untrusted"])
    assert c2pa_sidecar.validate(part["store_b64"], text, trust_anchor_pem=root) == ("Trusted", [])
    state, failures = c2pa_sidecar.validate(part["store_b64"], text.replace("slow", "slov"))
    assert state == "Invalid" and "assertion.dataHash.mismatch" in failures


def test_the_verifier_reads_every_public_key_form_and_explains_bad_input():
    signer = Signer(Ed25519PrivateKey.generate())
    issuer = ProvenanceIssuer(signer, None, "none")
    text = copy_text("H", "B", "C")
    envelope = issuer.sign({"format": "factory-provenance/1", "item": {}, "content": {"sha256": sha256_hex(text)}})
    raw = raw_public(signer.public_key)
    for key in (signer.public_key, public_pem(signer.public_key), raw, base64.b64encode(raw).decode()):
        assert verify_manifest(envelope, key, text=text).ok

    alone = verify_manifest(envelope, raw)
    assert alone.ok and not alone.copy_checked
    assert alone.notes == ["the copy was not checked: pass the whole payload, or text="]
    assert verify_manifest(b"{not json", raw).reasons[0].startswith("the payload is not JSON")
    assert verify_manifest({"body": "x"}, raw).reasons[0].startswith("no provenance")
    assert verify_manifest(envelope, "not a key").reasons[0].startswith("the public key cannot be read")


def test_the_verifier_hashes_the_copy_exactly_as_the_pipeline_does():
    copy_in = DraftCopy(headline="Grüße", body="Naïve café copy.\nSecond line.", cta="Buy")
    as_variant = Variant(brief_id="", idea_id="", channel="", ordinal=0, headline=copy_in.headline, body=copy_in.body,
                         cta=copy_in.cta, content_hash="")
    assert sha256_hex(copy_text(copy_in.headline, copy_in.body, copy_in.cta)) == stages.content_hash(as_variant)


@pytest.mark.parametrize("missing", ["manifest", "signature"])
def test_an_envelope_without_its_parts_is_no_provenance(missing):
    signer = Signer(Ed25519PrivateKey.generate())
    envelope = ProvenanceIssuer(signer, None, "none").sign({"format": "factory-provenance/1", "content": {}})
    del envelope[missing]
    assert not verify_manifest({"provenance": envelope}, signer.public_key).ok


def test_the_evidence_pack_proves_the_manifest_up_to_a_signed_checkpoint_and_catches_edits(
        ingested, fake_llm, enqueued, monkeypatch, tmp_path):
    import zipfile

    from typer.testing import CliRunner

    from app.cli import context
    from app.cli.main import cli
    from app.provenance.evidence import check_pack

    variant = drafted(ingested, fake_llm, enqueued, CLEAN_DRAFT, brief=BRIEF)
    review.approve(ingested, variant_id=variant.id, actor="rob")
    published_payload(ingested, variant.id)
    monkeypatch.setenv("CF_DATA_DIR", str(ingested.settings.data_dir))
    monkeypatch.setenv("CF_ENVIRONMENT", "test")
    context.settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["audit", "evidence", variant.id, "--out", str(tmp_path / "pack.zip")])
    finally:
        context.settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "signed a checkpoint covering the manifest's audit entry" in result.output  # fewer than 100 entries yet

    pack = tmp_path / "pack"
    zipfile.ZipFile(tmp_path / "pack.zip").extractall(pack)
    key = (pack / "public-key.pem").read_bytes()
    assert key.decode() == public_key_of(ingested)
    assert json.loads((pack / "summary.json").read_text())["problems"] == []
    assert check_pack(pack, key) == []
    lines = (pack / "audit-excerpt.jsonl").read_text().splitlines()
    excerpt = [json.loads(line)["content"]["action"] for line in lines]
    assert {"brief.submitted", "llm.call", "kb.retrieved", "provenance.signed", "delivery.attempt"} <= set(excerpt)
    assert (pack / f"{variant.id}.c2pa").stat().st_size > 0

    checked = CliRunner().invoke(cli, ["audit", "evidence-check", str(pack),
                                       "--public-key", str(pack / "public-key.pem")])
    assert checked.exit_code == 0, checked.output

    (pack / "copy.txt").write_text((pack / "copy.txt").read_text().replace("Quiet", "Quiel", 1))
    segment = (pack / "chain-segment.jsonl").read_text().splitlines()
    second = json.loads(segment[1])
    second["content"]["actor"] = "mallory"
    (pack / "chain-segment.jsonl").write_text("\n".join([segment[0], json.dumps(second), *segment[2:]]) + "\n")
    problems = check_pack(pack, key)
    assert problems[0].startswith("manifest: the copy does not match the signed content hash")
    assert f"entry {second['content']['seq']}: its hash does not match its content" in problems


def test_a_local_model_is_named_with_its_pinned_file_hash_and_an_endpoint_with_none(settings):
    from app.llm.model_files import KNOWN_MODELS
    from app.provenance.manifest import model_identity

    local = model_identity(settings, settings.llm_local_model)
    assert local["sha256"] == KNOWN_MODELS[settings.llm_local_model].sha256 and local["backend"] == "local"
    remote_settings = settings.model_copy(update={"llm_base_url": "https://llm.example.com/v1", "llm_model": "gpt-x"})
    remote = model_identity(remote_settings, "gpt-x")
    assert (remote["sha256"], remote["backend"]) == (None, "openai-compatible")
