"""Kept for callers of the old module path; the extractor lives in :mod:`app.guardrails.claims.candidates`."""

from app.guardrails.claims.candidates import extract_claims
from app.guardrails.claims.claim import Claim
from app.guardrails.claims.words import keywords

__all__ = ["Claim", "extract_claims", "keywords"]
