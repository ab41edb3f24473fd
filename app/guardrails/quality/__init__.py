"""The quality check: placeholders, meta-text, repetition, cut-off copy, empty or short fields, copy that
never names the product, copy off the key message, and copy in the wrong language.

:mod:`app.guardrails.quality.check` documents the contract and lists the rules; each rule lives in a module
named for it, and the tests beside them (``tests/``) read as its specification.
"""

from app.guardrails.quality.check import QualityCheck

__all__ = ["QualityCheck"]
