"""The check contract.

A check looks at one text and returns :class:`CheckResult` values: one per finding, or a single
passing result when it found nothing, so every check leaves a record. A failed check is a value,
not an exception; an exception means the check could not run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from app.brand import BrandProfile

if TYPE_CHECKING:
    from app.guardrails.judge.contract import Judge


class Severity(StrEnum):
    block = "block"
    warn = "warn"
    info = "info"


@dataclass(frozen=True)
class CheckResult:
    check: str
    rule: str
    passed: bool
    severity: Severity = Severity.info
    spans: tuple[tuple[int, int], ...] = ()
    reason: str = ""
    evidence: str = ""
    suggestion: str | None = None

    @property
    def blocks(self) -> bool:
        return not self.passed and self.severity is Severity.block


@dataclass(frozen=True)
class CheckContext:
    """What a check knows besides the text: the brand, and what the brief says when there is one.

    ``key_message`` and ``language`` (an ISO 639-1 code such as ``"en"``) come from the brief; checks
    that need them (quality's key-message and language rules) skip those rules when they are None.
    ``judge`` is the second stage (:mod:`app.guardrails.judge`): None when the judge is off, in which case
    checks decide by their rules and say so in their findings.
    """

    brand: BrandProfile
    channel: str | None = None
    product: str | None = None
    key_message: str | None = None
    language: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    judge: Judge | None = None


class Check(Protocol):
    name: str

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]: ...


def passed(check: str) -> CheckResult:
    return CheckResult(check=check, rule="all", passed=True, reason="no findings")


def run_checks(checks: list[Check], text: str, ctx: CheckContext) -> list[CheckResult]:
    """Every check's results, in check order."""
    results: list[CheckResult] = []
    for check in checks:
        results.extend(check.run(text, ctx) or [passed(check.name)])
    return results


def is_blocked(results: list[CheckResult]) -> bool:
    return any(r.blocks for r in results)
