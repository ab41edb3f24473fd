"""What a quality rule reports before :class:`~app.guardrails.quality.check.QualityCheck` turns it into a
:class:`~app.guardrails.base.CheckResult` (check ``quality``, rule ``quality:<rule>``, severity block)."""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True)
class Finding:
    """One problem: ``rule`` such as ``placeholder:bracketed_slot``, char ``spans`` into the checked text,
    a ``reason`` a reviewer can act on, the matched ``evidence`` and, when one is safe, a ``suggestion``."""

    rule: str
    spans: tuple[Span, ...]
    reason: str
    evidence: str = ""
    suggestion: str | None = None
