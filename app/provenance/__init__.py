"""Signed provenance of every published variant (issue 12, part 2).

- :mod:`app.provenance.facts`: what the database knows about how a variant was made;
- :mod:`app.provenance.manifest`: the C2PA-shaped manifest (AI generation, edits, approval, clearance,
  models, prompts, KB chunks, checks, the content hash);
- :mod:`app.provenance.issuer`: signing it (Ed25519), storing it and auditing it with the delivery;
- :mod:`app.provenance.verify`: the one-call check a CMS runs with only the public key;
- :mod:`app.provenance.c2pa_sidecar` and :mod:`app.provenance.certs`: the C2PA sidecar manifest store;
- :mod:`app.provenance.evidence`: the evidence pack of one published variant.
"""

from app.provenance.models import ProvenanceRecord  # noqa: F401  (register the table)
