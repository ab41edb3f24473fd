"""The text the rules match, through the shared normaliser (:mod:`app.guardrails.normalise`).

``match_view(text)`` returns what the rules run on: the normaliser's matching text (NFKC, confusable
look-alikes folded to Latin, invisible characters removed), a function that maps a span of it back to the
ORIGINAL text, and the normaliser's own findings (``hidden_characters``, ``lookalike_letters``) which the
injection scan treats as blocking: text that hides characters from a human reviewer is refused or
quarantined, whatever it says.

The normaliser is built on branch h/norm with the API ``normalise(text) -> NormalisedText`` (``.text``,
``.hidden``, ``.to_original(start, end)``) and ``unicode_findings(n) -> list[(start, end, rule, reason)]``.
Until it is merged this adapter falls back to the identity view with no findings, so the scan still runs
(and behaves as before: invisible format characters are only dropped by :mod:`.folding`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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
    try:
        from app.guardrails.normalise import normalise, unicode_findings  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # h/norm not merged yet
        return MatchView(text)
    normalised = normalise(text)
    return MatchView(normalised.text, normalised.to_original, [tuple(f) for f in unicode_findings(normalised)])
