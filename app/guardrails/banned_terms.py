"""The brand's banned terms, matched as whole words, case-insensitively, with a replacement if any."""

from __future__ import annotations

import re
from functools import lru_cache

from app.brand import BannedTerm
from app.guardrails.base import CheckContext, CheckResult, Severity


class BannedTermsCheck:
    name = "banned_terms"

    def __init__(self, severity: Severity = Severity.block) -> None:
        self.severity = severity

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        findings = []
        for term in ctx.brand.banned_terms:
            spans = tuple((m.start(), m.end()) for m in _pattern(term.term).finditer(text))
            if spans:
                findings.append(self._finding(term, spans, text))
        return findings

    def _finding(self, term: BannedTerm, spans: tuple[tuple[int, int], ...], text: str) -> CheckResult:
        return CheckResult(
            check=self.name, rule=f"banned_term:{term.term.lower()}", passed=False, severity=self.severity,
            spans=spans, reason=f"{term.term!r} is banned by the brand: {term.reason}".strip()
            + ("" if term.replacement else " Remove it."),
            evidence=text[spans[0][0]:spans[0][1]],
            # The suggestion is the replacement itself, so the policy can auto-fix it; none means "remove".
            suggestion=term.replacement or None,
        )


@lru_cache(maxsize=4096)
def _pattern(term: str) -> re.Pattern[str]:
    # Word boundaries only where the term starts/ends with a word character ("#1" has none).
    escaped = re.escape(term.strip()).replace(r"\ ", r"\s+")
    left = r"\b" if term[:1].isalnum() else ""
    right = r"\b" if term[-1:].isalnum() else ""
    return re.compile(left + escaped + right, re.IGNORECASE)
