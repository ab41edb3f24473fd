"""A C2PA manifest store for the published copy, as a sidecar (``c2pa-python``, the CAI's bindings of c2pa-rs).

What c2pa-python 0.38.1 does for plain text, measured on this machine (2026-11-30):

- It cannot *embed* a manifest in ``text/plain``: ``Builder.sign`` raises ``NotSupported: type is
  unsupported`` (text is not among ``Builder.get_supported_mime_types()``).
- It can sign a *sidecar* manifest store (``Builder.set_no_embed()``) over the text's bytes: the store holds a
  ``c2pa.hash.data`` hard binding over the UTF-8 copy, our actions and a ``com.contentfactory.provenance``
  assertion; ``Reader(format, text_stream, store)`` validates it: ``Valid`` for the untouched copy, ``Invalid``
  with ``assertion.dataHash.mismatch`` after one changed character. About 2 ms and 13 KB per item.
- It signs Ed25519 through a callback, so the same key signs both artefacts, but it needs an X.509 chain
  (:mod:`app.provenance.certs`); with the development chain validators add ``signingCredential.untrusted``
  unless they trust its root (then ``Trusted``).

The Ed25519-signed JSON manifest (:mod:`app.provenance.verify`) stays the artefact a CMS must check: it
needs no native library and no certificate. The sidecar is for C2PA tooling (``c2patool``, the CAI verify
site) and is sent base64 in the payload. Embedding in the text itself (C2PA 2.4 Annex A.8, packages
``c2pa-text`` and ``c2pa-unstructured-text``) appends a run of invisible Unicode variation selectors to the
copy: the factory's own hidden-character check (:mod:`app.guardrails.normalise.hidden`) flags exactly such
runs, many CMSs strip them, and the spec reserves that method for when nothing else works; it is not used.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
from typing import Any

from app.audit.keys import Signer
from app.provenance.verify import signed_bytes

log = logging.getLogger("factory")
STORE_MEDIA_TYPE = "application/c2pa"
TEXT_FORMAT = "text/plain"
ASSERTION = "com.contentfactory.provenance"


def available() -> str | None:
    """None when c2pa-python can be used here, else why not."""
    try:
        import c2pa  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: the bundled native library cannot load
        return f"c2pa-python is not usable here: {exc}"
    return None


def definition(manifest: dict[str, Any]) -> dict[str, Any]:
    """The C2PA manifest definition: our actions as ``c2pa.actions.v2`` and the rest as one assertion."""
    actions = []
    for action in manifest["actions"]:
        converted = {k: v for k, v in action.items() if v is not None and k != "softwareAgent"}
        agent = action.get("softwareAgent")
        if agent:  # C2PA's softwareAgent is a ClaimGeneratorInfo: name and version
            converted["softwareAgent"] = {"name": agent["name"], "version": f"sha256:{agent['sha256'] or 'unknown'}"}
        actions.append(converted)
    facts = {name: manifest[name] for name in ("item", "content", "models", "prompts", "sources", "checks")}
    facts["manifest_sha256"] = hashlib.sha256(signed_bytes(manifest)).hexdigest()
    return {"claim_generator_info": [{"name": "content-factory", "version": "0.1.0"}],
            "title": f"{manifest['item']['variant_id']}.txt", "format": TEXT_FORMAT,
            "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": actions}},
                           {"label": ASSERTION, "data": json.loads(json.dumps(facts))}]}


def build_store(manifest: dict[str, Any], text: str, signer: Signer, chain_pem: str) -> bytes:
    """The signed sidecar manifest store for ``text`` (raises c2pa.C2paError if c2pa-python refuses)."""
    import c2pa

    c2pa_signer = c2pa.Signer.from_callback(signer.private_key.sign, c2pa.C2paSigningAlg.ED25519, chain_pem, None)
    with c2pa.Builder(json.dumps(definition(manifest))) as builder:
        builder.set_no_embed()
        store: bytes = builder.sign(c2pa_signer, TEXT_FORMAT, io.BytesIO(text.encode("utf-8")), io.BytesIO())
    return store


def sidecar(manifest: dict[str, Any], text: str, signer: Signer, chain_pem: str | None,
            chain_kind: str) -> dict[str, Any]:
    """The payload's ``c2pa`` part: the base64 store and what it binds, or ``{"unavailable": why}``."""
    missing = available() if chain_pem else "no certificate chain for the provenance key"
    if missing:
        return {"unavailable": missing}
    assert chain_pem is not None
    try:
        store = build_store(manifest, text, signer, chain_pem)
    except Exception as exc:  # the JSON manifest is the verified artefact; a sidecar failure must not stop it
        log.warning("provenance: no C2PA sidecar for %s: %s", manifest["item"]["variant_id"], exc)
        return {"unavailable": f"c2pa-python could not sign: {exc}"}
    return {"media_type": STORE_MEDIA_TYPE, "asset_format": TEXT_FORMAT, "binding": "c2pa.hash.data over the "
            "UTF-8 copy (headline, body, cta joined by newlines)", "certificate_chain": chain_kind,
            "store_b64": base64.b64encode(store).decode("ascii")}


def validate(store_b64: str, text: str, trust_anchor_pem: str | None = None) -> tuple[str, list[str]]:
    """(validation state, failure codes) of a sidecar store for ``text``: ``Valid``/``Trusted`` or ``Invalid``.

    With ``trust_anchor_pem`` (e.g. the development root) the chain is checked against it too."""
    import c2pa

    store = base64.b64decode(store_b64)
    stream = io.BytesIO(text.encode("utf-8"))
    if trust_anchor_pem:
        context = c2pa.Context.from_dict({"trust": {"user_anchors": trust_anchor_pem},
                                          "verify": {"verify_trust": True}})
        reader = c2pa.Reader(TEXT_FORMAT, stream, store, context=context)
    else:
        reader = c2pa.Reader(TEXT_FORMAT, stream, store)
    with reader:
        results = reader.get_validation_results() or {}
        failures = [f["code"] for f in (results.get("activeManifest") or {}).get("failure", [])]
        return str(reader.get_validation_state()), failures
