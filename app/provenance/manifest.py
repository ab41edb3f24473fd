"""The provenance manifest of one published variant: a C2PA-shaped statement of how the copy was made.

Shape (``format`` ``factory-provenance/1``; every hash is lower-case hex SHA-256)::

    {"format", "issued_at" (UTC ISO 8601), "issuer": {"name", "key_id"},
     "item": {"variant_id", "brief_id", "brand", "channel", "revision", "delivery_id"},
     "content": {"sha256", "media_type", "covers"},            # the hash of the published copy
     "digital_source_type": IPTC trainedAlgorithmicMedia,
     "actions": [c2pa.created, c2pa.edited..., approved, compliance_cleared],   # C2PA action names
     "models": [{"name", "sha256", "verification", "backend"}],
     "prompts": [{"ref", "sha256"}],
     "sources": [{"chunk_id", "sha256", "source_path", "source_sha256"}], "sources_note",
     "checks": [{"gate", "check", "rule", "passed", "severity", "reason"}],
     "accepted_warnings": [{"check", "rule", "actor", "reason", "when"}]}

Action names follow C2PA 2.x (``c2pa.created``, ``c2pa.edited``, with ``digitalSourceType`` from the IPTC
vocabulary: https://cv.iptc.org/newscodes/digitalsourcetype/); C2PA has no action for an approval or a
compliance clearance, so those use this factory's own names (``com.contentfactory.approved``,
``com.contentfactory.compliance_cleared``), as the spec allows for custom actions.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from app.llm.model_files import KNOWN_MODELS
from app.llm.model_status import llm_health
from app.models import Brief, Variant
from app.pipeline.stages import content_hash
from app.provenance import facts
from app.provenance.verify import FORMAT
from app.retrieval.store import VectorStore
from app.settings import Settings

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED_ALGORITHMIC_MEDIA = IPTC + "trainedAlgorithmicMedia"
HUMAN_EDITS = IPTC + "humanEdits"
APPROVED = "com.contentfactory.approved"
CLEARED = "com.contentfactory.compliance_cleared"
MEDIA_TYPE = "text/plain; charset=utf-8"
COVERS = "UTF-8 of headline + '\\n' + body + '\\n' + cta"


def model_identity(settings: Settings, name: str) -> dict[str, Any]:
    """Name, file SHA-256 and how it is known, for a model named in the LLM call log.

    The local server loads a known model only after its file matched the pinned SHA-256, so the pin is the
    hash of what ran; ``verification`` says whether this data folder holds a record of that check. A remote
    endpoint discloses no weights: ``sha256`` is None there."""
    if settings.llm_base_url is None and name == settings.llm_local_model:
        health = llm_health(settings)
        sha = health.get("sha256") or health.get("pinned_sha256")
        return {"name": name, "sha256": sha, "verification": health.get("verification"), "backend": "local"}
    if settings.llm_base_url is not None and name == settings.llm_model:
        return {"name": name, "sha256": None, "verification": "remote endpoint: weights not disclosed",
                "backend": "openai-compatible"}
    known = KNOWN_MODELS.get(name)
    if known is not None:
        return {"name": name, "sha256": known.sha256, "verification": "pinned hash (not the model in use now)",
                "backend": "local"}
    return {"name": name, "sha256": None, "verification": "unknown model: no file hash recorded", "backend": "unknown"}


def _created_or_redrafted(revision: facts.Revision, models: dict[str, dict[str, Any]], first: bool) -> dict[str, Any]:
    model = models.get(revision.actor, {"name": revision.actor, "sha256": None})
    prompts = sorted({c.prompt_ref for c in revision.calls})
    action: dict[str, Any] = {
        "action": "c2pa.created" if first else "c2pa.edited", "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
        "when": revision.when, "softwareAgent": {"name": model["name"], "sha256": model["sha256"]},
        "parameters": {"variant_id": revision.variant.id, "revision": revision.variant.revision,
                       "content_hash": revision.variant.content_hash, "prompts": prompts,
                       "llm_calls": len(revision.calls)},
    }
    if revision.requested_by is not None:
        action["parameters"].update(requested_by=revision.requested_by, request=revision.request_comment)
    return action


def _edited_by_reviewer(revision: facts.Revision) -> dict[str, Any]:
    edit = revision.edit or {}
    return {"action": "c2pa.edited", "digitalSourceType": HUMAN_EDITS, "when": revision.when,
            "parameters": {"actor": revision.actor, "variant_id": revision.variant.id,
                           "revision": revision.variant.revision, "from_hash": edit.get("from_hash"),
                           "content_hash": revision.variant.content_hash, "fields": edit.get("fields", []),
                           "comment": edit.get("comment", "")}}


def actions(revisions: list[facts.Revision], models: dict[str, dict[str, Any]], approval: dict[str, Any] | None,
            clearance: dict[str, Any]) -> list[dict[str, Any]]:
    """The C2PA-shaped action list, oldest first (see the module docstring for the names)."""
    out = [(_edited_by_reviewer(r) if r.maker == "reviewer" else _created_or_redrafted(r, models, i == 0))
           for i, r in enumerate(revisions)]
    if approval is not None:
        out.append({"action": APPROVED, "when": approval["when"],
                    "parameters": {"actor": approval["actor"], "content_hash": approval["content_hash"],
                                   "comment": approval["comment"]}})
    out.append({"action": CLEARED, "when": clearance.get("when"), "parameters": clearance})
    return out


def build_manifest(session: Session, *, variant: Variant, brief: Brief, settings: Settings,
                   store: VectorStore | None, delivery_id: str, key_id: str, clearance: dict[str, Any],
                   sources: facts.Sources | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The unsigned manifest of ``variant`` as published now (see the module docstring for the shape).

    ``clearance`` says who let it through compliance: ``{"actor": "system:compliance", "verdict": "passed"}``
    for the gate, or an officer's ``{"actor", "verdict": "cleared", "reason"}``. ``sources`` are the chunk
    hashes read beforehand (:func:`app.provenance.facts.chunk_hashes`); without them ``store`` is read now."""
    issued = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    revisions = facts.revisions(session, variant)
    calls = [c for r in revisions for c in r.calls]
    models = {name: model_identity(settings, name) for name in sorted({c.model for c in calls})}
    chunks, sources_note = sources or facts.chunk_hashes(store, list(variant.grounding_chunk_ids))
    manifest: dict[str, Any] = {
        "format": FORMAT, "issued_at": issued, "issuer": {"name": "content-factory", "key_id": key_id},
        "item": {"variant_id": variant.id, "brief_id": brief.id, "brand": brief.brand, "channel": variant.channel,
                 "revision": variant.revision, "delivery_id": delivery_id},
        "content": {"sha256": content_hash(variant), "media_type": MEDIA_TYPE, "covers": COVERS},
        "digital_source_type": TRAINED_ALGORITHMIC_MEDIA,
        "actions": actions(revisions, models, facts.approval(session, variant), {"when": issued, **clearance}),
        "models": list(models.values()),
        "prompts": sorted(({"ref": ref, "sha256": sha} for ref, sha in {(c.prompt_ref, c.prompt_hash) for c in calls}),
                          key=lambda p: p["ref"]),
        "sources": chunks,
        "checks": facts.findings(session, variant.id),
        "accepted_warnings": facts.accepted_warnings(session, variant.id),
    }
    if sources_note:
        manifest["sources_note"] = sources_note
    return manifest
