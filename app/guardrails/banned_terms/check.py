"""The brand's banned terms and competitor names, found through look-alikes and variants
(:mod:`.patterns`), with the brand's replacement as the suggestion when there is one."""

from __future__ import annotations

from app.brand import BannedTerm
from app.guardrails.banned_terms.patterns import TermMatch, brand_pattern
from app.guardrails.base import CheckContext, CheckResult, Severity
from app.guardrails.normalise import skeleton


class BannedTermsCheck:
    name = "banned_terms"

    def __init__(self, severity: Severity = Severity.block) -> None:
        self.severity = severity

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        """One finding per term found (every occurrence a span, in ``text`` offsets), in term order."""
        by_term: dict[str, list[TermMatch]] = {}
        for match in brand_pattern(ctx.brand).find(text):
            by_term.setdefault(match.term.term, []).append(match)
        return [self._finding(matches[0].term, matches, text) for matches in by_term.values()]

    def _finding(self, term: BannedTerm, matches: list[TermMatch], text: str) -> CheckResult:
        spans = tuple((m.start, m.end) for m in matches)
        found = text[spans[0][0]:spans[0][1]]
        shown = repr(term.term) if skeleton(found) == skeleton(term.term) else f"{found!r} (a form of {term.term!r})"
        return CheckResult(
            check=self.name, rule=f"banned_term:{term.term.lower()}", passed=False, severity=self.severity,
            spans=spans, reason=f"{shown} is banned by the brand" + (f": {term.reason}" if term.reason else ".")
            + ("" if term.replacement else " Remove it."),
            evidence=found,
            # The suggestion is the replacement itself, so the policy can auto-fix it; none means "remove".
            suggestion=term.replacement or None,
        )
