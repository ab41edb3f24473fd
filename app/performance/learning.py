"""Learning from results: what worked per brand, and which offline gates predict live click-through.

:func:`brand_learning` reads every slot of a brand with enough data (each arm at least ``min_impressions``)
and returns, per slot, each variant's figures: rate with its 95 % credible interval, the lift over the
slot's weakest variant with a 95 % credible interval (Monte Carlo over the two Beta posteriors), and the
features a writer can reuse (headline length in words, question or number in the headline, the call to
action, body length). It also reports Spearman rank correlations (scipy) across the brand's measured
variants between live rate and the offline signals: the best-of-N pre-score and the number of warnings the
checks raised. A correlation over fewer than :data:`MIN_VARIANTS_FOR_CORRELATION` variants is not given.

:func:`what_worked_markdown` writes that as a Markdown document; :func:`publish_what_worked` saves it in the
brand's KB folder (``learned/what-worked.md``) and ingests the folder, so the drafting stage's retrieval
offers the evidence as brand knowledge to the next briefs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import stats as scipy_stats
from sqlmodel import Session, col, func, select

from app.models import CheckFinding, Variant
from app.performance.models import Slot, VariantStats
from app.performance.posterior import Arm, seed_of
from app.pipeline.deps import Deps
from app.pipeline.knowledge import ingest_brand

MIN_VARIANTS_FOR_CORRELATION = 4
LEARNED_FILE = Path("learned") / "what-worked.md"
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class VariantResult:
    variant_id: str
    headline: str
    cta: str
    headline_words: int
    body_words: int
    question: bool
    number: bool
    impressions: int
    successes: int
    rate: float
    interval: tuple[float, float]
    lift: float | None  # over the slot's weakest variant
    lift_interval: tuple[float, float] | None
    score: float | None
    warnings: int
    winner: bool


@dataclass
class BrandLearning:
    brand: str
    slots: dict[str, list[VariantResult]] = field(default_factory=dict)
    correlations: dict[str, float | None] = field(default_factory=dict)
    measured_variants: int = 0
    # Goal successes so far over what an even split of the same impressions would have earned, minus 1.
    lift_over_even: float | None = None


def lift_interval(best: Arm, base: Arm, *, seed: int, draws: int = 20_000) -> tuple[float, float, float]:
    """Median and 95 % credible interval of ``best.rate / base.rate - 1`` from posterior draws."""
    rng = np.random.default_rng(seed)
    ratio = rng.beta(best.alpha, best.beta, draws) / rng.beta(base.alpha, base.beta, draws) - 1.0
    low, median, high = np.percentile(ratio, [2.5, 50, 97.5])
    return float(median), float(low), float(high)


def brand_learning(deps: Deps, brand: str, *, min_impressions: int = 100) -> BrandLearning:
    """What the brand's measured slots show (see the module docstring)."""
    out = BrandLearning(brand=brand)
    with Session(deps.engine) as session:
        slots = {s.id: s for s in session.exec(select(Slot).where(Slot.brand == brand))}
        rows = session.exec(select(VariantStats).where(VariantStats.brand == brand,
                                                       VariantStats.impressions >= min_impressions)).all()
        variants = {v.id: v for v in session.exec(select(Variant).where(
            col(Variant.id).in_([r.variant_id for r in rows])))} if rows else {}
        warnings = dict(session.exec(select(CheckFinding.variant_id, func.count()).where(
            col(CheckFinding.variant_id).in_(list(variants)), CheckFinding.passed == False,  # noqa: E712
            CheckFinding.severity == "warn").group_by(col(CheckFinding.variant_id))).all()) if variants else {}
    by_slot: dict[str, list[VariantStats]] = {}
    for row in rows:
        if row.variant_id in variants:
            by_slot.setdefault(row.slot, []).append(row)
    for slot_id, slot_rows in sorted(by_slot.items()):
        slot = slots.get(slot_id)
        goal = slot.goal if slot else "click"
        out.slots[slot_id] = _slot_results(slot_id, slot_rows, variants, warnings, goal,
                                           slot.winner_variant_id if slot else None)
    measured = [r for results in out.slots.values() for r in results]
    # Observed rates (not posterior means): with an even split the expectation is then exactly what was seen.
    expected = sum(sum(r.impressions for r in rs) * float(np.mean([r.successes / r.impressions for r in rs]))
                   for rs in out.slots.values())
    observed = sum(r.successes for r in measured)
    out.lift_over_even = observed / expected - 1.0 if expected > 0 else None
    out.measured_variants = len(measured)
    out.correlations = {"pre_score": _spearman([r.score for r in measured], [r.rate for r in measured]),
                        "warnings": _spearman([float(r.warnings) for r in measured], [r.rate for r in measured])}
    return out


def _slot_results(slot_id: str, rows: list[VariantStats], variants: dict[str, Variant], warnings: dict[str, int],
                  goal: str, winner: str | None) -> list[VariantResult]:
    arms = {r.variant_id: Arm(r.variant_id, r.conversions if goal == "conversion" else r.clicks, r.impressions)
            for r in rows}
    weakest = min(arms.values(), key=lambda a: a.mean)
    results = []
    for variant_id, arm in sorted(arms.items(), key=lambda kv: -kv[1].mean):
        variant = variants[variant_id]
        lift = None if arm is weakest else lift_interval(arm, weakest, seed=seed_of(slot_id, variant_id))
        results.append(VariantResult(
            variant_id=variant_id, headline=variant.headline, cta=variant.cta,
            headline_words=len(variant.headline.split()), body_words=len(variant.body.split()),
            question=variant.headline.rstrip().endswith("?"), number=bool(_NUMBER.search(variant.headline)),
            impressions=arm.trials, successes=arm.successes, rate=arm.mean, interval=arm.interval(),
            lift=lift[0] if lift else None, lift_interval=(lift[1], lift[2]) if lift else None,
            score=variant.score, warnings=warnings.get(variant_id, 0), winner=variant_id == winner))
    return results


def _spearman(xs: list[float | None], ys: list[float]) -> float | None:
    pairs = [(x, y) for x, y in zip(xs, ys, strict=True) if x is not None]
    if len(pairs) < MIN_VARIANTS_FOR_CORRELATION or len({p[0] for p in pairs}) < 2:
        return None
    rho = scipy_stats.spearmanr([p[0] for p in pairs], [p[1] for p in pairs]).statistic
    return None if np.isnan(rho) else float(rho)


def what_worked_markdown(learning: BrandLearning) -> str:
    """The brand's evidence as a Markdown document for the KB (headings per slot; figures in the text)."""
    lines = [f"# What worked for {learning.brand}: measured results of published copy", "",
             "Rates are clicks (or conversions) per impression, with 95 % credible intervals; lift is over the "
             "weakest variant of the same slot. Reuse what won; do not copy claims: every claim still needs "
             "its approval.", ""]
    for slot_id, results in learning.slots.items():
        lines += [f"## Slot {slot_id}", ""]
        for r in results:
            label = "Winner" if r.winner else ("Weakest" if r.lift is None else "Variant")
            lift = (f", lift {r.lift:+.0%} (95 % interval {r.lift_interval[0]:+.0%} to {r.lift_interval[1]:+.0%})"
                    if r.lift is not None and r.lift_interval else "")
            lines.append(f"- {label}: headline \"{r.headline}\" ({r.headline_words} words"
                         f"{', a question' if r.question else ''}{', with a number' if r.number else ''}), "
                         f"call to action \"{r.cta}\", body {r.body_words} words: rate {r.rate:.2%} "
                         f"({r.interval[0]:.2%} to {r.interval[1]:.2%}) over {r.impressions:,} impressions{lift}.")
        lines.append("")
    corr = learning.correlations
    lines += ["## Which offline signals predicted live results", "",
              f"Spearman correlation with the live rate over {learning.measured_variants} measured variants: "
              f"pre-score {_fmt(corr.get('pre_score'))}, warnings raised by the checks {_fmt(corr.get('warnings'))}.",
              ""]
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    if value is None:
        return f"not computed (fewer than {MIN_VARIANTS_FOR_CORRELATION} variants, or no spread)"
    return f"{value:+.2f}"


def publish_what_worked(deps: Deps, brand: str, *, actor: str) -> Path:
    """Write the brand's ``learned/what-worked.md`` into its KB folder and ingest the folder; returns the file."""
    document = what_worked_markdown(brand_learning(deps, brand))
    path = deps.settings.brand_kb_dir / brand / LEARNED_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document, encoding="utf-8")
    ingest_brand(deps, deps.settings.brand_kb_dir / brand, brand=brand, actor=actor)
    return path
