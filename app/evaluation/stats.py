"""Run statistics: per metric, both sides' means over cases, the delta and 95% bootstrap intervals.

A metric is compared over the cases where both sides have a value (paired), so ``delta`` is exactly
``candidate - baseline`` of the means shown. Intervals are percentile bootstraps over cases
(resampling case indices, :data:`RESAMPLES` times, fixed seed), so a report is reproducible.

Regression: with a suite threshold ``t`` for a metric of direction ``d``, the candidate regresses when
``d = +1`` (higher is better) and ``delta < t``, when ``d = -1`` and ``delta > t``, or when ``d = 0``
and ``|delta| > |t|``. The gate uses the point delta: the interval is there to judge it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from app.evaluation.scorers import METRICS, metric_direction

RESAMPLES = 2000
SEED = 20240611
_EPS = 1e-9


@dataclass(frozen=True)
class MetricSummary:
    metric: str
    direction: int
    n: int
    candidate: float
    baseline: float
    delta: float
    candidate_ci: tuple[float, float]
    baseline_ci: tuple[float, float]
    delta_ci: tuple[float, float]
    threshold: float | None = None
    regressed: bool = False

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def bootstrap_ci(values: Sequence[float], *, seed: int = SEED, resamples: int = RESAMPLES) -> tuple[float, float]:
    """95% percentile interval of the mean of ``values``."""
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return (float("nan"), float("nan"))
    if data.size == 1:
        return (float(data[0]), float(data[0]))
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, data.size, size=(resamples, data.size))].mean(axis=1)
    return (float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5)))


def summarize(
    candidate: Mapping[str, Mapping[str, float | None]], baseline: Mapping[str, Mapping[str, float | None]],
    thresholds: Mapping[str, float],
) -> list[MetricSummary]:
    """One summary per metric seen; ``candidate`` and ``baseline`` map case id -> metrics."""
    names = {m for side in (candidate, baseline) for metrics in side.values() for m in metrics}
    return [s for m in ordered_metrics(names) if (s := _summary(m, candidate, baseline, thresholds)) is not None]


def regressions(summaries: Sequence[MetricSummary]) -> list[MetricSummary]:
    return [s for s in summaries if s.regressed]


def paired(
    metric: str, candidate: Mapping[str, Mapping[str, float | None]],
    baseline: Mapping[str, Mapping[str, float | None]],
) -> tuple[list[float], list[float]]:
    """The metric's values on both sides for the cases where both have one, in case order."""
    cases = sorted(set(candidate) & set(baseline))
    pairs = [(candidate[c].get(metric), baseline[c].get(metric)) for c in cases]
    kept = [(float(a), float(b)) for a, b in pairs if a is not None and b is not None]
    return [a for a, _ in kept], [b for _, b in kept]


def _summary(
    metric: str, candidate: Mapping[str, Mapping[str, float | None]],
    baseline: Mapping[str, Mapping[str, float | None]], thresholds: Mapping[str, float],
) -> MetricSummary | None:
    cand, base = paired(metric, candidate, baseline)
    if not cand:
        return None
    direction = metric_direction(metric)
    delta_values = [a - b for a, b in zip(cand, base, strict=True)]
    delta = float(np.mean(cand)) - float(np.mean(base))
    threshold = thresholds.get(metric)
    return MetricSummary(
        metric=metric, direction=direction, n=len(cand), candidate=float(np.mean(cand)),
        baseline=float(np.mean(base)), delta=delta, candidate_ci=bootstrap_ci(cand),
        baseline_ci=bootstrap_ci(base), delta_ci=bootstrap_ci(delta_values), threshold=threshold,
        regressed=threshold is not None and is_regression(delta, threshold, direction),
    )


def is_regression(delta: float, threshold: float, direction: int) -> bool:
    if direction > 0:
        return delta < threshold - _EPS
    if direction < 0:
        return delta > threshold + _EPS
    return abs(delta) > abs(threshold) + _EPS


def ordered_metrics(names: set[str]) -> list[str]:
    """The fixed metrics in :data:`~app.evaluation.scorers.METRICS` order, then the families by name."""
    fixed = [m for m in METRICS if m in names]
    return fixed + sorted(n for n in names if n not in METRICS)
