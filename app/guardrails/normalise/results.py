"""Check results and normalisation: spans back onto the original text, and normalisation's own findings."""

from __future__ import annotations

from dataclasses import replace

from app.guardrails.base import CheckResult, Severity
from app.guardrails.normalise.findings import unicode_findings
from app.guardrails.normalise.normalised import NormalisedText

UNICODE_CHECK = "injection"


def on_original(results: list[CheckResult], n: NormalisedText) -> list[CheckResult]:
    """``results`` (spans in ``n.text``) with their spans in ``n.original``; an evidence that quoted the
    first span quotes the original's words instead."""
    if n.text == n.original and n.to_original(0, len(n.text)) == (0, len(n.original)):
        return results
    mapped: list[CheckResult] = []
    for result in results:
        if not result.spans:
            mapped.append(result)
            continue
        spans = tuple(n.to_original(s, e) for s, e in result.spans)
        evidence = result.evidence
        first = result.spans[0]
        if evidence and evidence == n.text[first[0]:first[1]]:
            evidence = n.original[spans[0][0]:spans[0][1]]
        mapped.append(replace(result, spans=spans, evidence=evidence))
    return mapped


def unicode_results(n: NormalisedText, severity: Severity = Severity.block) -> list[CheckResult]:
    """Normalisation's findings as failed ``injection`` results, spans in the original; none for clean text.

    Hidden characters are one result (rule ``injection:hidden_characters``) whose suggestion is ""
    (remove them); look-alike letters one result per distinct reading (``injection:lookalike_letters``)
    whose suggestion is the word retyped in Latin letters, so an ``auto_fix`` policy repairs both.
    """
    groups: dict[tuple[str, str], list[tuple[int, int, str, str]]] = {}
    readings = {(f.start, f.end): f.reading for f in n.folds}
    for finding in unicode_findings(n):
        fix = readings.get((finding[0], finding[1]), "") if finding[2] == "lookalike_letters" else ""
        groups.setdefault((finding[2], fix), []).append(finding)
    results = []
    for (rule, fix), hits in groups.items():
        reasons = [h[3] for h in hits[:3]] + ([f"and {len(hits) - 3} more"] if len(hits) > 3 else [])
        results.append(CheckResult(
            check=UNICODE_CHECK, rule=f"injection:{rule}", passed=False, severity=severity,
            spans=tuple((s, e) for s, e, _, _ in hits), reason="; ".join(reasons),
            evidence=n.original[hits[0][0]:hits[0][1]][:200], suggestion=fix,
        ))
    return results
