"""A variant's review risk: the weight of its current failed findings, stored on the variant.

Risk = sum over the *current* findings that failed of their severity weight (block 3, warn 1, other 0).
The current findings are the compliance gate's once it ran on the variant, else those of the draft or
the edit that wrote it. Accepting a warning does not lower the risk (the desk shows who accepted it).

The review queue sorts by this number, so it is written when findings change
(:func:`refresh_risk`, called by ``records.save_findings`` in the same transaction) and read from an
index, never computed per request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from sqlmodel import Session, col, select

from app.models import CheckFinding, Variant

SEVERITY_WEIGHT = {"block": 3, "warn": 1}


class FindingLike(Protocol):
    gate: str
    passed: bool
    severity: str


F = TypeVar("F", bound=FindingLike)


def current_findings(findings: Sequence[F]) -> list[F]:
    """The findings of the variant's latest gate: the compliance gate's once it ran, else the draft's."""
    compliance = [f for f in findings if f.gate == "compliance"]
    return compliance or [f for f in findings if f.gate != "compliance"]


def risk(findings: Sequence[FindingLike]) -> int:
    """Weight of the failed current findings among ``findings`` (all of one variant, any gate)."""
    return sum(SEVERITY_WEIGHT.get(f.severity, 0) for f in current_findings(findings) if not f.passed)


def refresh_risk(session: Session, variant: Variant) -> int:
    """Recompute ``variant.risk`` from its stored findings (flushing pending ones first); returns it."""
    session.flush()
    findings = session.exec(select(CheckFinding).where(CheckFinding.variant_id == variant.id)
                            .order_by(col(CheckFinding.id))).all()
    variant.risk = risk(findings)
    session.add(variant)
    return variant.risk
