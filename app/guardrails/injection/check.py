"""The injection scan as a check on drafts (and on anything ``factory check`` is given)."""

from __future__ import annotations

from app.guardrails.base import CheckContext, CheckResult, Severity
from app.guardrails.injection.scan import INJECTION_THRESHOLD, InjectionVerdict, scan_injection
from app.guardrails.injection.unicode_view import Finding

SUGGESTION = "remove the instructions aimed at the model; content must not direct the assistant"
HIDDEN_SUGGESTION = "remove the invisible or look-alike characters; a reviewer must see every character"


class InjectionCheck:
    """One failed result per rule that fired, when the text is an injection; nothing otherwise.

    Each result: rule ``injection:<rule>``, the check's severity (block by default), all of that rule's
    spans in the text, and a reason that says which stage decided: the rules score, the judge's verdict, or
    ``(rules only: <why>)`` when no judge answered (``ctx.judge`` None means the judge is off).
    """

    name = "injection"

    def __init__(self, severity: Severity = Severity.block) -> None:
        self.severity = severity

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        verdict = scan_injection(text, ctx.judge)
        if not verdict.is_injection:
            return []
        by_rule: dict[str, list[Finding]] = {}
        for finding in verdict.findings:
            by_rule.setdefault(finding[2], []).append(finding)
        return [self._result(rule, hits, text, verdict) for rule, hits in by_rule.items()]

    def _result(self, rule: str, hits: list[Finding], text: str, verdict: InjectionVerdict) -> CheckResult:
        start, end = hits[0][0], hits[0][1]
        hidden = verdict.decided_by == "hidden characters"
        stage = (f"injection score {verdict.score:.2f} >= {INJECTION_THRESHOLD}" if verdict.decided_by == "rules"
                 else f"rules score {verdict.score:.2f}" if not hidden else "hidden characters")
        return CheckResult(
            check=self.name, rule=f"injection:{rule}", passed=False, severity=self.severity,
            spans=tuple((s, e) for s, e, _, _ in hits),
            reason=f"{hits[0][3]} ({stage}){'; ' + verdict.note.strip() if verdict.note else ''}",
            evidence=text[start:end][:200],
            suggestion=HIDDEN_SUGGESTION if rule in ("hidden_characters", "lookalike_letters") else SUGGESTION,
        )
