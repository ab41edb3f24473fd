"""Auto-fix: apply the replacements that findings suggest, without overlapping edits."""

from __future__ import annotations

from app.guardrails.base import CheckResult


def apply_replacements(text: str, findings: list[CheckResult]) -> tuple[str, list[CheckResult]]:
    """``text`` with each finding's spans replaced by its ``suggestion``; returns the findings applied.

    Edits are applied right to left so earlier offsets stay valid; a span overlapping one already
    applied is skipped (the re-check after the fix will report it again if it still matters).
    """
    edits = sorted(
        ((start, end, f) for f in findings if f.suggestion is not None and not f.passed for start, end in f.spans),
        key=lambda e: e[0], reverse=True,
    )
    applied: list[CheckResult] = []
    limit = len(text) + 1
    for start, end, finding in edits:
        if end > limit:
            continue
        text = text[:start] + _match_case(text[start:end], str(finding.suggestion)) + text[end:]
        limit = start
        if finding not in applied:
            applied.append(finding)
    return text, applied


def _match_case(original: str, replacement: str) -> str:
    # "Detox" at the start of a sentence should become "Naturally ...", not "naturally ...".
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement
