"""Issuing a variant's provenance when its delivery is created: build, sign, store, audit.

The signed envelope goes into the delivery's payload as ``provenance``::

    {"manifest": {...},                                   # app.provenance.manifest
     "signature": {"alg": "Ed25519", "key_id", "value"},  # over app.provenance.verify.signed_bytes(manifest)
     "manifest_sha256",                                   # SHA-256 of those signed bytes
     "c2pa": {"media_type": "application/c2pa", "store_b64", ...} or {"unavailable": why}}

The key is ``CF_PROVENANCE_SIGNING_KEY`` or, unset, the audit key (``CF_AUDIT_SIGNING_KEY``, or the development
key outside production): one Ed25519 key system, and one public key for a CMS to hold. Signatures of
manifests and of audit checkpoints cannot be confused: a manifest's signed bytes start with the text
``factory-provenance/1`` and a NUL, a checkpoint's with the byte 0x01.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app import audit
from app.audit.keys import Signer, load_signer, signer_for
from app.models import Brief, Variant
from app.pipeline.stages import variant_text
from app.provenance import c2pa_sidecar, certs
from app.provenance.facts import Sources
from app.provenance.manifest import build_manifest
from app.provenance.models import ProvenanceRecord
from app.provenance.verify import ALGORITHM, signed_bytes
from app.retrieval.store import VectorStore
from app.settings import Settings

log = logging.getLogger("factory")


@dataclass(frozen=True)
class ProvenanceIssuer:
    """Signs manifests with ``signer``; ``chain_pem`` certifies its key for the C2PA sidecar (None: no sidecar)."""

    signer: Signer
    chain_pem: str | None
    chain_kind: str  # "configured" or "development (self-signed root, untrusted unless pinned)"

    @classmethod
    def from_settings(cls, settings: Settings) -> ProvenanceIssuer:
        """Raises ConfigurationError when a configured key or chain cannot be read or do not match."""
        signer = (load_signer(settings.provenance_signing_key, setting="CF_PROVENANCE_SIGNING_KEY")
                  if settings.provenance_signing_key else signer_for(settings))
        if settings.provenance_cert_chain is not None:
            return cls(signer, certs.configured_chain(settings.provenance_cert_chain, signer), "configured")
        if settings.environment == "production":
            log.warning("provenance: no CF_PROVENANCE_CERT_CHAIN; C2PA sidecars carry a development certificate "
                        "chain that validators report as untrusted (the Ed25519 manifest is unaffected)")
        return cls(signer, certs.development_chain(signer, settings.audit_dir),
                   "development (self-signed root, untrusted unless pinned)")

    def sign(self, manifest: dict[str, Any]) -> dict[str, Any]:
        """The envelope without its C2PA part: the manifest, its signature and its hash."""
        message = signed_bytes(manifest)
        return {"manifest": manifest,
                "signature": {"alg": ALGORITHM, "key_id": self.signer.key_id, "value": self.signer.sign(message)},
                "manifest_sha256": hashlib.sha256(message).hexdigest()}

    def issue(self, session: Session, *, variant: Variant, brief: Brief, settings: Settings,
              store: VectorStore | None, delivery_id: str, clearance: dict[str, Any],
              sources: Sources | None = None) -> dict[str, Any]:
        """Build and sign ``variant``'s manifest, add its record and a ``provenance.signed`` audit entry to
        ``session`` (the caller's transaction, which also creates the delivery), and return the envelope.
        Pass ``sources`` (:func:`app.provenance.facts.chunk_hashes`, read before the transaction) so that no
        vector store is opened while the transaction holds its locks."""
        manifest = build_manifest(session, variant=variant, brief=brief, settings=settings, store=store,
                                  delivery_id=delivery_id, key_id=self.signer.key_id, clearance=clearance,
                                  sources=sources)
        envelope = self.sign(manifest)
        envelope["c2pa"] = c2pa_sidecar.sidecar(manifest, variant_text(variant), self.signer, self.chain_pem,
                                                self.chain_kind)
        store_b64 = envelope["c2pa"].get("store_b64")
        session.add(ProvenanceRecord(
            variant_id=variant.id, brief_id=brief.id, delivery_id=delivery_id, key_id=self.signer.key_id,
            manifest_sha256=envelope["manifest_sha256"], manifest=manifest,
            signature=envelope["signature"]["value"], c2pa_store_b64=store_b64,
            c2pa_note=envelope["c2pa"].get("unavailable")))
        audit.record(session, action="provenance.signed", actor="system:provenance", subject_type="variant",
                     subject_id=variant.id, brief_id=brief.id, delivery_id=delivery_id, key_id=self.signer.key_id,
                     manifest_sha256=envelope["manifest_sha256"], content_hash=manifest["content"]["sha256"],
                     c2pa_store_sha256=hashlib.sha256(base64.b64decode(store_b64)).hexdigest() if store_b64 else None)
        return envelope
