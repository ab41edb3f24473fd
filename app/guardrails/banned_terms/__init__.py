"""Banned terms and competitor names (issue 11, part 4): see :mod:`.patterns` for what matches."""

from app.guardrails.banned_terms.check import BannedTermsCheck

__all__ = ["BannedTermsCheck"]
