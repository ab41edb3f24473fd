"""Open route for receivers of published items: the public key that verifies their provenance."""

from __future__ import annotations

import base64

from fastapi import APIRouter
from pydantic import BaseModel

from app.api.deps import FactoryDep
from app.audit.keys import public_pem, raw_public
from app.provenance.issuer import ProvenanceIssuer
from app.provenance.verify import ALGORITHM, FORMAT

router = APIRouter(tags=["provenance"])


class ProvenanceKeyPublic(BaseModel):
    """The key a CMS passes to ``app.provenance.verify.verify_manifest`` (any of the three spellings)."""

    format: str
    algorithm: str
    key_id: str
    public_key_pem: str
    public_key_b64: str
    certificate_chain: str


@router.get("/provenance/public-key")
def provenance_public_key(factory: FactoryDep) -> ProvenanceKeyPublic:
    """The Ed25519 public key that signs every published item's provenance manifest, with its id and the
    C2PA certificate chain (leaf first; its root is the trust anchor for the sidecar). Open to all: it is
    public by design. Pin it out of band too: a key fetched over the same channel as the payload proves
    less than one configured in the CMS."""
    issuer = factory.provenance or ProvenanceIssuer.from_settings(factory.settings)
    key = issuer.signer.public_key
    return ProvenanceKeyPublic(format=FORMAT, algorithm=ALGORITHM, key_id=issuer.signer.key_id,
                               public_key_pem=public_pem(key),
                               public_key_b64=base64.b64encode(raw_public(key)).decode("ascii"),
                               certificate_chain=issuer.chain_pem or "")
