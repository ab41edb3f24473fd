"""Text normalisation before every check (issue 11, part 2).

Checks match against :attr:`NormalisedText.text` (NFKC, hidden characters removed, look-alike letters
folded to Latin in words that mix scripts) and report spans that :meth:`NormalisedText.to_original`
maps back into the text the user wrote. Hidden characters and look-alike letters are findings of their
own (:func:`unicode_findings`), never silently dropped. :func:`skeleton` compares a term with a text
through TR39 confusables. The confusables table and script data come from ``confusable-homoglyphs``.
"""

from app.guardrails.normalise.confusables import skeleton, skeleton_with_offsets
from app.guardrails.normalise.findings import unicode_findings
from app.guardrails.normalise.hidden import HiddenRun
from app.guardrails.normalise.normalised import NormalisedText, normalise
from app.guardrails.normalise.results import on_original, unicode_results

__all__ = ["HiddenRun", "NormalisedText", "normalise", "on_original", "skeleton", "skeleton_with_offsets",
           "unicode_findings", "unicode_results"]
