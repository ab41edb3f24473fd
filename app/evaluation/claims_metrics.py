"""Claims measurements on third-party data: regulators' misleading claims, and false alarms on clean copy.

- :func:`regulator_claims_metrics`: on ``claims/regulator_cited_claim_examples.csv`` (columns
  ``claim_text, jurisdiction, verdict, basis, source_url, claim_type``), how many claims that regulators
  judged misleading (every verdict but ``not_deceptive``) the extractor finds as claims and the claims
  check blocks, judged against a brand's approved claims (the demo brand's support none of them); the
  ``not_deceptive`` rows are reported apart, as controls. A trailing parenthesis in ``claim_text`` is the
  transcriber's note on context ("(as a brand name)") and is dropped; "[product]" placeholders stay.
- :func:`blocking_rate`: share of texts on which any of the checks reports a blocking finding.
- :func:`clean_copy_false_alarms`: that rate for the claims and the style checks on the 18F content
  guide's paragraphs (real, clean editorial copy that is not the brand's).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.brand import BrandProfile
from app.guardrails.base import Check, CheckContext
from app.guardrails.claim_extraction import extract_claims
from app.guardrails.claims import ClaimsCheck
from app.guardrails.style import StyleCheck

DEFAULT_DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
REGULATOR_CSV = Path("claims") / "regulator_cited_claim_examples.csv"
NOT_MISLEADING = frozenset({"not_deceptive"})
_CONTEXT_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def regulator_claims_metrics(datasets_dir: Path = DEFAULT_DATASETS,
                             brand: BrandProfile | None = None) -> dict[str, Any]:
    """Recall of extraction and blocking on regulator-cited misleading claims, with the per-row detail."""
    if brand is None:
        raise ValueError("a brand profile is needed: claims are judged against its approved claims")
    check, ctx = ClaimsCheck(), CheckContext(brand=brand)
    rows = []
    with (datasets_dir / REGULATOR_CSV).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = _CONTEXT_NOTE.sub("", row["claim_text"]).strip()
            results = check.run(text, ctx)
            rows.append({
                "claim_text": row["claim_text"], "checked_text": text, "verdict": row["verdict"],
                "claim_type": row["claim_type"], "misleading": row["verdict"] not in NOT_MISLEADING,
                "claims_found": [f"{c.kind}:{c.text}" for c in extract_claims(text, competitors=())],
                "blocked": any(r.blocks for r in results),
                "blocking_rules": sorted({r.rule for r in results if r.blocks}),
            })
    misleading = [r for r in rows if r["misleading"]]
    return {
        "rows": len(rows), "misleading": len(misleading),
        "found_as_claims": sum(1 for r in misleading if r["claims_found"]),
        "blocked": sum(1 for r in misleading if r["blocked"]),
        "recall_blocked": sum(1 for r in misleading if r["blocked"]) / len(misleading) if misleading else 0.0,
        "controls_blocked": sum(1 for r in rows if not r["misleading"] and r["blocked"]),
        "controls": sum(1 for r in rows if not r["misleading"]),
        "per_row": rows,
    }


def blocking_rate(checks: Sequence[Check], texts: Sequence[str], ctx: CheckContext) -> float:
    """Share of ``texts`` on which any of ``checks`` reports a blocking finding."""
    if not texts:
        raise ValueError("no texts to measure")
    blocked = sum(1 for text in texts if any(r.blocks for check in checks for r in check.run(text, ctx)))
    return blocked / len(texts)


def clean_copy_false_alarms(datasets_dir: Path = DEFAULT_DATASETS, brand: BrandProfile | None = None,
                            channel: str | None = None) -> dict[str, Any]:
    """Blocking rate of the claims and style checks on the 18F content guide's paragraphs."""
    from app.evaluation.guardrail_metrics import clean_copy_paragraphs

    if brand is None:
        raise ValueError("a brand profile is needed")
    paragraphs = clean_copy_paragraphs(datasets_dir)["18f_content_guide"]
    ctx = CheckContext(brand=brand, channel=channel)
    return {
        "texts": len(paragraphs), "channel": channel,
        "claims": blocking_rate([ClaimsCheck()], paragraphs, ctx),
        "style": blocking_rate([StyleCheck()], paragraphs, ctx),
    }
