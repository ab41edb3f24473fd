"""The text the rules match, through the shared normaliser (:mod:`app.guardrails.normalise`).

``match_view(text)`` returns what the rules run on: the normaliser's matching text (NFKC, confusable
look-alikes folded to Latin, invisible characters removed), a function that maps a span of it back to the
ORIGINAL text, and the normaliser's own findings (``hidden_characters``, ``lookalike_letters``) which the
injection scan treats as blocking: text that hides characters from a human reviewer is refused or
quarantined, whatever it says.

Folding for the rules' own needs (lower case, leetspeak, spaced-out letters) runs after it, in
:mod:`.folding`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.guardrails.normalise import normalise, unicode_findings

Finding = tuple[int, int, str, str]


def _identity(start: int, end: int) -> tuple[int, int]:
    return start, end


@dataclass(frozen=True)
class MatchView:
    """``text`` to match; ``to_original(start, end)`` -> span in the original; ``findings`` in the original."""

    text: str
    to_original: Callable[[int, int], tuple[int, int]] = _identity
    findings: list[Finding] = field(default_factory=list)


def match_view(text: str) -> MatchView:
    """The normalised view of ``text``; never raises on a str."""
    normalised = normalise(text)
    return MatchView(normalised.text, normalised.to_original, unicode_findings(normalised))
