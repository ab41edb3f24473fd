"""Marking the spans of failed findings in a variant's text, part by part.

Spans are ``[start, end)`` offsets into ``"headline\\nbody\\ncta"``. The text is cut at every span
boundary; each piece carries the most severe finding covering it and their reasons, so overlapping
findings need no nesting in the HTML.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from app.api.public import FindingPublic, VariantPublic

_RANK = {"block": 3, "warn": 2, "info": 1}


@dataclass
class Piece:
    text: str
    severity: str | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return "\n".join(self.reasons)


def marked_parts(variant: VariantPublic, findings: list[FindingPublic]) -> dict[str, list[Piece]]:
    """``{"headline": [...], "body": [...], "cta": [...]}`` with the failed findings' spans marked."""
    parts = {"headline": variant.headline, "body": variant.body, "cta": variant.cta}
    failed = [f for f in findings if not f.passed and f.spans]
    out: dict[str, list[Piece]] = {}
    start = 0
    for name, text in parts.items():
        out[name] = _pieces(text, start, failed)
        start += len(text) + 1  # the newline between parts
    return out


def _pieces(text: str, offset: int, findings: list[FindingPublic]) -> list[Piece]:
    end = offset + len(text)
    cuts = {offset, end}
    for f in findings:
        for s, e in _spans(f):
            cuts.update(c for c in (s, e) if offset < c < end)
    bounds = sorted(cuts)
    pieces = []
    for a, b in itertools.pairwise(bounds):
        covering = [f for f in findings if any(s < b and e > a for s, e in _spans(f))]
        severity = max((f.severity for f in covering), key=lambda s: _RANK.get(s, 0), default=None)
        reasons = list(dict.fromkeys(f"{f.check}: {f.reason}" for f in covering))
        pieces.append(Piece(text=text[a - offset:b - offset], severity=severity, reasons=reasons))
    return pieces


def _spans(f: FindingPublic) -> list[tuple[int, int]]:
    return [(int(s[0]), int(s[1])) for s in f.spans if len(s) == 2 and s[1] > s[0]]
