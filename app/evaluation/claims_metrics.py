"""Claims measurements on third-party data: regulators' misleading claims, and false alarms on clean copy.

- :func:`regulator_claims_metrics`: on ``claims/regulator_cited_claim_examples.csv`` (columns
  ``claim_text, jurisdiction, verdict, basis, source_url, claim_type``), how many claims that regulators
  judged misleading (every verdict but ``not_deceptive``) the extractor finds as claims and the claims
  check blocks, judged against a brand's approved claims (the demo brand's support none of them); the
  ``not_deceptive`` rows are reported apart, as controls. A trailing parenthesis in ``claim_text`` is the
  transcriber's note on context ("(as a brand name)") and is dropped; "[product]" placeholders stay.
- :func:`german_claims_metrics`: the same on ``german/claims/german_claims_dev.csv``, checked as German.
- :func:`blocking_rate`: share of texts on which any of the checks reports a blocking finding.
- :func:`clean_copy_false_alarms`: that rate for the claims and the style checks on the 18F content
  guide's paragraphs (real, clean editorial copy that is not the brand's).
- :func:`real_copy_blocked`: the claims check's blocked share on every real-copy loader of
  :mod:`app.evaluation.guardrail_metrics` (18F prose units and paragraphs, Vale clean lines, German strings).
- :func:`claims_timing`: milliseconds of one claims check at 150, 1,500 and 15,000 words of brand copy
  (median of ``repeats`` runs); ``python -m app.evaluation.claims_metrics`` prints them.
"""

from __future__ import annotations

import csv
import re
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.brand import BrandProfile
from app.guardrails.base import Check, CheckContext
from app.guardrails.claims import ClaimsCheck, extract_claims
from app.guardrails.style import StyleCheck

DEFAULT_DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
REGULATOR_CSV = Path("claims") / "regulator_cited_claim_examples.csv"
NOT_MISLEADING = frozenset({"not_deceptive"})
GERMAN_CSV = Path("german") / "claims" / "german_claims_dev.csv"
GERMAN_LAWFUL = frozenset({"permitted", "permitted_with_conditions", "permitted_puffery"})
_CONTEXT_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def regulator_claims_metrics(datasets_dir: Path = DEFAULT_DATASETS,
                             brand: BrandProfile | None = None, *, csv_path: Path = REGULATOR_CSV,
                             not_misleading: frozenset[str] = NOT_MISLEADING,
                             language: str | None = None) -> dict[str, Any]:
    """Recall of extraction and blocking on regulator-cited misleading claims, with the per-row detail.
    ``csv_path`` (under ``datasets_dir``) and ``not_misleading`` (its verdicts that are controls) choose the
    set; :func:`german_claims_metrics` reads the German one. ``language`` is passed as the brief's."""
    if brand is None:
        raise ValueError("a brand profile is needed: claims are judged against its approved claims")
    check, ctx = ClaimsCheck(), CheckContext(brand=brand, language=language)
    rows = []
    with (datasets_dir / csv_path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = _CONTEXT_NOTE.sub("", row["claim_text"]).strip()
            results = check.run(text, ctx)
            rows.append({
                "claim_text": row["claim_text"], "checked_text": text, "verdict": row["verdict"],
                "claim_type": row["claim_type"], "misleading": row["verdict"] not in not_misleading,
                "claims_found": [f"{c.kind}:{c.text}" for c in extract_claims(text, competitors=(),
                                                                               language=language)],
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


def german_claims_metrics(datasets_dir: Path = DEFAULT_DATASETS,
                          brand: BrandProfile | None = None) -> dict[str, Any]:
    """:func:`regulator_claims_metrics` on ``german/claims/german_claims_dev.csv`` (German ad claims with the
    verdicts of German courts, the HCVO register and consumer centres), checked as German. Controls: the
    verdicts ``permitted``, ``permitted_with_conditions`` and ``permitted_puffery`` (lawful wording; still
    unsupported for a brand that has not approved it, so a block there is not a false alarm of the rules)."""
    return regulator_claims_metrics(datasets_dir, brand, csv_path=GERMAN_CSV, not_misleading=GERMAN_LAWFUL,
                                    language="de")


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


def real_copy_blocked(datasets_dir: Path = DEFAULT_DATASETS, brand: BrandProfile | None = None
                      ) -> dict[str, tuple[int, int]]:
    """``{loader: (texts blocked by the claims check, texts)}`` on real copy that is not the brand's: the
    checks should pass it (aim: under 1 % blocked, issue 11)."""
    from app.evaluation import guardrail_metrics as gm

    if brand is None:
        raise ValueError("a brand profile is needed")
    sets = {
        "18f_content_guide prose units": [u.text for u in gm.style_guide_prose(datasets_dir)],
        "18f_content_guide paragraphs": gm.clean_copy_paragraphs(datasets_dir)["18f_content_guide"],
        "vale fixtures' clean lines": gm.vale_clean_lines(datasets_dir),
        "thunderbird German marketing strings": [r["text"] for r in gm.german_marketing_strings(datasets_dir)],
    }
    check, ctx = ClaimsCheck(), CheckContext(brand=brand)
    return {name: (sum(1 for t in texts if any(r.blocks for r in check.run(t, ctx))), len(texts))
            for name, texts in sets.items()}


# Brand copy for timing: approved wording, facts and a few unsupported claims, so every stage runs.
_TIMING_COPY = (
    "Morning Ember is our breakfast tea, a whole-leaf Assam black tea with a malty, honeyed body. A 100 g "
    "pouch costs €12.50 and makes about 40 cups. Free standard shipping on orders over €35 to anywhere in "
    "the EU. Rated 4.8 out of 5 by our customers, from 2,316 verified reviews. It is the finest tea in "
    "Ireland and boosts your energy all day. Our pouches are certified home-compostable and meet the EN "
    "13432 standard. Quiet Hours is naturally caffeine-free, as infusions of chamomile, lemon balm and "
    "orange peel are. Save up to half this week, twice the flavour of ordinary tea bags. "
)


def claims_timing(brand: BrandProfile, words: tuple[int, ...] = (150, 1_500, 15_000),
                  repeats: int = 5) -> dict[int, float]:
    """``{words: median milliseconds}`` of ``ClaimsCheck().run`` on brand copy of that many words (rules
    only). The index is built before timing (once per loaded brand in use)."""
    check, ctx = ClaimsCheck(), CheckContext(brand=brand, product="morning-ember")
    check.run(_TIMING_COPY, ctx)
    base = _TIMING_COPY.split()
    out = {}
    for n in words:
        text = " ".join(base[i % len(base)] for i in range(n))
        runs = []
        for _ in range(max(1, repeats if n < 10_000 else 1)):
            start = time.perf_counter()
            check.run(text, ctx)
            runs.append((time.perf_counter() - start) * 1000)
        out[n] = statistics.median(runs)
    return out


if __name__ == "__main__":
    from app.brand import load_brand
    from app.settings import PROJECT_ROOT

    slug = sys.argv[1] if len(sys.argv) > 1 else "fernhill"
    for n, ms in claims_timing(load_brand(PROJECT_ROOT / "brand_kb", slug)).items():
        print(f"claims check, {n:>6,} words: {ms:9.1f} ms")
