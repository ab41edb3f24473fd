"""Check a published item's provenance with nothing but the factory's public key: one call, no database.

A CMS calls :func:`verify_manifest` on the webhook payload it received (the parsed JSON, or the raw body)
and the Ed25519 public key the factory publishes (``GET /provenance/public-key``, or the PEM from
``factory audit keygen``). The result says ``ok`` or lists every reason it is not, for example::

    result = verify_manifest(json.loads(body), public_key_pem)
    if not result.ok:
        reject(result.reasons)   # ["the copy does not match the signed content hash: ..."]

What is checked, in order:

1. the payload carries ``provenance`` with a ``manifest`` and an Ed25519 ``signature``;
2. the signature's ``key_id`` (first 16 hex digits of SHA-256 over the raw 32-byte public key) is the given
   key's, and the signature verifies over ``DOMAIN || JCS(manifest)``: :data:`DOMAIN` is the ASCII text
   ``factory-provenance/1`` and a NUL byte, JCS is RFC 8785 canonical JSON;
3. the copy in the payload (``headline``, ``body``, ``cta``) hashes to the manifest's ``content.sha256``:
   SHA-256 over the UTF-8 of ``headline + "\\n" + body + "\\n" + cta``, so one changed character fails;
4. the payload's ``variant_id`` and ``brief_id`` are the manifest's (a manifest moved to another item fails).

Given only the envelope (``{"manifest", "signature"}``) the copy cannot be checked unless ``text`` is passed;
the result then says so in ``notes`` and ``copy_checked`` is False.

This module imports only the standard library, ``cryptography`` and ``rfc8785``, so a CMS can copy it alone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "factory-provenance/1"
DOMAIN = FORMAT.encode("ascii") + b"\x00"
ALGORITHM = "Ed25519"
COPY_FIELDS = ("headline", "body", "cta")


@dataclass
class ProvenanceCheck:
    """The verdict: ``ok`` only when ``reasons`` is empty. ``manifest`` is the signed statement (whatever
    its verdict, for display); ``copy_checked`` says whether a text was compared with its content hash."""

    ok: bool
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    key_id: str | None = None
    copy_checked: bool = False
    manifest: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "reasons": self.reasons, "notes": self.notes, "key_id": self.key_id,
                "copy_checked": self.copy_checked}


def signed_bytes(manifest: dict[str, Any]) -> bytes:
    """The exact bytes the signature covers: :data:`DOMAIN` then the RFC 8785 form of ``manifest``."""
    return DOMAIN + rfc8785.dumps(manifest)


def copy_text(headline: str, body: str, cta: str) -> str:
    """The text the content hash covers: headline, body and call to action, one per line."""
    return f"{headline}\n{body}\n{cta}"


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def key_id_of(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key(key: Ed25519PublicKey | str | bytes) -> Ed25519PublicKey:
    """A public key from a key object, PEM text or bytes, 32 raw bytes, or their base64. ValueError otherwise."""
    if isinstance(key, Ed25519PublicKey):
        return key
    data = key.encode("ascii") if isinstance(key, str) else key
    if b"-----BEGIN" in data:
        try:
            loaded = serialization.load_pem_public_key(data)
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise ValueError(f"not a PEM public key: {exc}") from None
        if not isinstance(loaded, Ed25519PublicKey):
            raise ValueError(f"the PEM holds a {type(loaded).__name__}, not an Ed25519 public key")
        return loaded
    if len(data) != 32:
        try:
            data = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("expected PEM, 32 raw bytes or their base64 for an Ed25519 public key") from None
    if len(data) != 32:
        raise ValueError(f"an Ed25519 public key is 32 bytes, got {len(data)}")
    return Ed25519PublicKey.from_public_bytes(data)


def verify_manifest(payload_or_manifest: dict[str, Any] | str | bytes, public_key: Ed25519PublicKey | str | bytes,
                    *, text: str | None = None) -> ProvenanceCheck:
    """Verify a webhook payload (or a provenance envelope) with only the public key; never raises for a bad
    input: every problem is a reason in the result. ``text`` overrides the copy read from the payload."""
    check = ProvenanceCheck(ok=False)
    try:
        key = load_public_key(public_key)
    except ValueError as exc:
        check.reasons.append(f"the public key cannot be read: {exc}")
        return check
    document = _parsed(payload_or_manifest, check)
    if document is None:
        return check
    envelope = document.get("provenance", document)
    manifest, signature = (envelope.get("manifest"), envelope.get("signature")) if isinstance(envelope, dict) \
        else (None, None)
    if not isinstance(manifest, dict) or not isinstance(signature, dict):
        check.reasons.append("no provenance: expected 'provenance': {'manifest': {...}, 'signature': {...}}")
        return check
    check.manifest, check.key_id = manifest, signature.get("key_id")
    _check_signature(manifest, signature, key, check)
    _check_copy(document, manifest, text, check)
    _check_item(document, manifest, check)
    check.ok = not check.reasons
    return check


def _parsed(value: dict[str, Any] | str | bytes, check: ProvenanceCheck) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    try:
        parsed = json.loads(value)
    except (ValueError, UnicodeDecodeError) as exc:
        check.reasons.append(f"the payload is not JSON: {exc}")
        return None
    if not isinstance(parsed, dict):
        check.reasons.append("the payload is not a JSON object")
        return None
    return parsed


def _check_signature(manifest: dict[str, Any], signature: dict[str, Any], key: Ed25519PublicKey,
                     check: ProvenanceCheck) -> None:
    if signature.get("alg") != ALGORITHM:
        check.reasons.append(f"the signature algorithm is {signature.get('alg')!r}, not {ALGORITHM}")
        return
    if manifest.get("format") != FORMAT:
        check.reasons.append(f"the manifest format is {manifest.get('format')!r}, not {FORMAT!r}")
    expected_id = key_id_of(key)
    if signature.get("key_id") != expected_id:
        check.reasons.append(f"signed by key {signature.get('key_id')!r}, but the given public key is {expected_id!r}")
        return
    try:
        key.verify(base64.b64decode(str(signature.get("value", "")), validate=True), signed_bytes(manifest))
    except (InvalidSignature, binascii.Error, ValueError):
        check.reasons.append("the signature does not match the manifest: it was changed after signing")
    except rfc8785.CanonicalizationError as exc:
        check.reasons.append(f"the manifest is not canonical JSON: {exc}")


def _check_copy(document: dict[str, Any], manifest: dict[str, Any], text: str | None,
                check: ProvenanceCheck) -> None:
    if text is None and all(isinstance(document.get(name), str) for name in COPY_FIELDS):
        text = copy_text(*(document[name] for name in COPY_FIELDS))
    if text is None:
        check.notes.append("the copy was not checked: pass the whole payload, or text=")
        return
    content = manifest.get("content")
    signed = content.get("sha256") if isinstance(content, dict) else None
    actual = sha256_hex(text)
    check.copy_checked = True
    if signed != actual:
        check.reasons.append(f"the copy does not match the signed content hash: it hashes to {actual}, "
                             f"the manifest says {signed}")


def _check_item(document: dict[str, Any], manifest: dict[str, Any], check: ProvenanceCheck) -> None:
    item = manifest.get("item")
    if not isinstance(item, dict):
        item = {}
    for name in ("variant_id", "brief_id"):
        if name in document and document[name] != item.get(name):
            check.reasons.append(f"the payload's {name} {document[name]!r} is not the manifest's {item.get(name)!r}")
