"""Charts of a run, as PNG files (matplotlib, Agg backend: no display needed).

- ``chart-rates.png``: both sides' means of the rate metrics (values in 0..1), side by side;
- ``chart-deltas.png``: each rate metric's delta with its 95% bootstrap interval and the suite's
  threshold, so a regression reads at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot: reports are written on servers and in CI, without a display

import matplotlib.pyplot as plt

from app.evaluation.stats import MetricSummary

_RATES = ("structure_valid", "guardrail_pass_rate", "blocking_rate", "expectation_pass_rate", "grounding",
          "diversity", "quality_pass_rate", "key_message_similarity", "placeholder_rate")


def rate_metrics(summaries: Sequence[MetricSummary]) -> list[MetricSummary]:
    return [s for s in summaries if s.metric in _RATES or s.metric.startswith(("check.", "expect."))]


def write_charts(summaries: Sequence[MetricSummary], folder: Path) -> list[str]:
    """Write the charts into ``folder``; returns their file names (none when there is nothing to plot)."""
    rates = rate_metrics(summaries)
    if not rates:
        return []
    return [_rates_chart(rates, folder / "chart-rates.png"), _deltas_chart(rates, folder / "chart-deltas.png")]


def _rates_chart(rates: Sequence[MetricSummary], path: Path) -> str:
    names = [s.metric for s in rates]
    y = range(len(names))
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(names) + 1.5))
    ax.barh([i + 0.2 for i in y], [s.baseline for s in rates], height=0.4, label="baseline", color="#8c8c8c")
    ax.barh([i - 0.2 for i in y], [s.candidate for s in rates], height=0.4, label="candidate", color="#2a6f97")
    ax.set_yticks(list(y), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("mean over cases")
    ax.legend(loc="lower right")
    ax.set_title("Rates: candidate vs baseline")
    return _save(fig, path)


def _deltas_chart(rates: Sequence[MetricSummary], path: Path) -> str:
    names = [s.metric for s in rates]
    y = list(range(len(names)))
    lower = [s.delta - s.delta_ci[0] for s in rates]
    upper = [s.delta_ci[1] - s.delta for s in rates]
    colors = ["#c0392b" if s.regressed else "#2a6f97" for s in rates]
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(names) + 1.5))
    ax.errorbar([s.delta for s in rates], y, xerr=[lower, upper], fmt="none", ecolor="#555555", capsize=3)
    ax.scatter([s.delta for s in rates], y, c=colors, zorder=3)
    for i, s in enumerate(rates):
        if s.threshold is not None:
            ax.plot([s.threshold, s.threshold], [i - 0.3, i + 0.3], color="#c0392b", linewidth=2)
    ax.axvline(0, color="#999999", linewidth=1)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel("candidate - baseline (95% bootstrap CI; red tick: threshold)")
    ax.set_title("Deltas")
    return _save(fig, path)


def _save(fig: plt.Figure, path: Path) -> str:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name
