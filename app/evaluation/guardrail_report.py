"""``make eval-guardrails``: every guardrail measured on third-party data, and their latency, as one table.

:func:`measure` runs the metric functions of :mod:`app.evaluation.guardrail_metrics`,
:mod:`app.evaluation.claims_metrics` and :mod:`app.evaluation.style_metrics` on ``../shared/datasets``
plus :func:`latency_benchmark`, and returns :class:`Row` objects (what was measured, on what, the figure,
the aim). :func:`render_markdown` turns them into the GUARDRAILS.md table, stamped with date and commit.

Nothing here is asserted: these are measurements. The tests that pin behaviour are in tests/.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from app.brand import BrandProfile, load_brand
from app.guardrails.base import Check, CheckContext
from app.settings import PROJECT_ROOT, Settings

# A 150-word email draft in the demo brand's voice, written for this benchmark: it holds approved claims,
# a disclaimer, numbers and product names, so every check does real work on it.
BENCHMARK_DRAFT = (
    "Your mornings, brewed slowly\n"
    "Morning Ember is our breakfast black tea, blended by hand in small batches in Kilbrannagh from "
    "leaves we buy directly from Mangalam Estate in Assam. It is certified organic, and it brews a "
    "malty, full cup that takes milk well. Use one teaspoon per cup and water just off the boil, then "
    "steep for three to four minutes; longer makes it stronger, not better. A 100 g pouch makes about "
    "forty cups and costs €9.50. If you would rather not run out, The Tea Club sends a different "
    "seasonal tea to your door every month, and you can pause or cancel from your account before the "
    "billing date. Contains caffeine. Caffeine figures are approximate and vary with the amount of tea "
    "and the brewing time. Not recommended for children or for people who are pregnant or "
    "breastfeeding. Tell us how you take yours.\n"
    "Try Morning Ember"
)


@dataclass(frozen=True)
class Row:
    area: str
    measure: str
    data: str
    n: int
    figure: str
    aim: str = ""


def measure(datasets_dir: Path, settings: Settings, *, brand: str = "fernhill",
            progress: Callable[[str], None] = lambda _: None) -> list[Row]:
    """All measurements; ``progress`` is told which one starts (they take from seconds to a minute)."""
    profile = load_brand(settings.brand_kb_dir, brand)
    rows: list[Row] = []
    for name, step in (("toxicity", _toxicity_rows), ("injection", _injection_rows), ("style", _style_rows),
                       ("claims", _claims_rows), ("clean copy", _clean_copy_rows)):
        progress(name)
        rows += step(datasets_dir, profile)
    progress("latency")
    rows += latency_rows(settings, brand)
    return rows


def _toxicity_rows(datasets_dir: Path, _profile: BrandProfile) -> list[Row]:
    from app.evaluation.guardrail_metrics import toxicity_metrics
    from app.guardrails.toxicity import DEFAULT_THRESHOLD, ProfanityCheckBackend

    rows = []
    for name, m in toxicity_metrics(ProfanityCheckBackend(), DEFAULT_THRESHOLD, datasets_dir).items():
        rows.append(Row("toxicity", f"precision / recall at {DEFAULT_THRESHOLD}", name, int(m["n"]),
                        f"{m['precision']:.3f} / {m['recall']:.3f}"))
        rows.append(Row("toxicity", "ROC AUC", name, int(m["n"]), f"{m['auc']:.3f}", "≥ 0.90"))
    return rows


def _injection_rows(datasets_dir: Path, _profile: BrandProfile) -> list[Row]:
    from app.evaluation.guardrail_metrics import injection_metrics

    rows = []
    for name, m in injection_metrics(datasets_dir).items():
        if "recall" in m:
            rows.append(Row("injection", "recall", name, int(m["n"]), _ratio(m["flagged"], m["n"]), "≥ 0.90"))
        else:
            aim = "≤ 0.05" if name == "notinject_benign" else ""
            rows.append(Row("injection", "false alarms", name, int(m["n"]), _ratio(m["flagged"], m["n"]), aim))
    return rows


def _style_rows(datasets_dir: Path, _profile: BrandProfile) -> list[Row]:
    from app.evaluation.style_metrics import vale_fixture_metrics

    rows = []
    for package, m in vale_fixture_metrics(datasets_dir).items():
        rows.append(Row("style (Vale rules)", "fixture findings reproduced (extra)", package, int(m["expected"]),
                        f"{m['reproduced']}/{m['expected']} (+{m['extra']})"))
    return rows


def _claims_rows(datasets_dir: Path, profile: BrandProfile) -> list[Row]:
    from app.evaluation.claims_metrics import regulator_claims_metrics

    m = regulator_claims_metrics(datasets_dir, profile)
    return [
        Row("claims", "misleading claims blocked", "regulator_cited_claim_examples", m["misleading"],
            _ratio(m["blocked"], m["misleading"])),
        Row("claims", "not-deceptive controls blocked", "regulator_cited_claim_examples", m["controls"],
            f"{m['controls_blocked']}/{m['controls']}"),
    ]


def _clean_copy_rows(datasets_dir: Path, profile: BrandProfile) -> list[Row]:
    """Every check's false alarms (any failed finding) and blocks on good copy the project did not write."""
    from app.evaluation.guardrail_metrics import clean_copy_paragraphs

    paragraphs = clean_copy_paragraphs(datasets_dir)["18f_content_guide"]
    ctx = CheckContext(brand=profile)  # no channel: paragraphs are not posts, channel length limits do not apply
    rows = []
    for check in _all_checks():
        alarms = blocks = 0
        for text in paragraphs:
            results = check.run(text, ctx)
            alarms += any(not r.passed for r in results)
            blocks += any(r.blocks for r in results)
        rows.append(Row(f"clean copy: {check.name}", "texts blocked / with any finding", "18f_content_guide",
                        len(paragraphs), f"{_pct(blocks, len(paragraphs))} / {_pct(alarms, len(paragraphs))}"))
    return rows


def _all_checks() -> list[Check]:
    from app.guardrails.banned_terms import BannedTermsCheck
    from app.guardrails.claims import ClaimsCheck
    from app.guardrails.injection import InjectionCheck
    from app.guardrails.style import StyleCheck
    from app.guardrails.toxicity import ProfanityCheckBackend, ToxicityCheck

    return [BannedTermsCheck(), ToxicityCheck(ProfanityCheckBackend()), ClaimsCheck(), StyleCheck(),
            InjectionCheck()]


def latency_benchmark(settings: Settings, brand: str, *, runs: int = 200, warmup: int = 20) -> dict[str, Any]:
    """Milliseconds per check and for the brand's whole Guard on :data:`BENCHMARK_DRAFT`, pinned to one core.

    Returns ``{"words": n, "runs": n, "per_check": {name: (p50, p95)}, "guard": (p50, p95)}``.
    """
    from app.guardrails.engine import GuardrailEngine

    _pin_to_one_core()
    engine = GuardrailEngine(settings)
    guard = engine.for_brand(brand)
    ctx = CheckContext(brand=guard.profile, channel="email")
    per_check = {c.name: _timed(partial(c.run, BENCHMARK_DRAFT, ctx), runs, warmup) for c in guard.checks}
    whole = _timed(lambda: guard.evaluate(BENCHMARK_DRAFT, channel="email", product=None), runs, warmup)
    return {"words": len(BENCHMARK_DRAFT.split()), "runs": runs, "per_check": per_check, "guard": whole}


def latency_rows(settings: Settings, brand: str) -> list[Row]:
    bench = latency_benchmark(settings, brand)
    data = f"{bench['words']}-word draft"
    rows = [Row("latency", f"{name} p50 / p95 ms", data, bench["runs"], f"{p50:.1f} / {p95:.1f}")
            for name, (p50, p95) in bench["per_check"].items()]
    p50, p95 = bench["guard"]
    rows.append(Row("latency", "all checks through the Guard, p50 / p95 ms", data, bench["runs"],
                    f"{p50:.1f} / {p95:.1f}", "< 20 ms"))
    return rows


def _timed(fn: Callable[[], object], runs: int, warmup: int) -> tuple[float, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), statistics.quantiles(samples, n=20)[18]


def _pin_to_one_core() -> None:
    """The aim is stated for one core; pin this process (and BLAS/torch threads) to the first allowed one."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # torch is a dependency; without it nothing here uses threads
        pass


def render_markdown(rows: list[Row], *, datasets_dir: Path) -> str:
    header = (
        "| area | measure | data | n | figure | aim |\n"
        "|---|---|---|---:|---|---|\n"
    )
    body = "".join(f"| {r.area} | {r.measure} | {r.data} | {r.n} | {r.figure} | {r.aim} |\n" for r in rows)
    return (f"Measured {date.today().isoformat()} at commit `{_commit()}` with `make eval-guardrails` "
            f"on `{datasets_dir}` (see its SOURCES.md).\n\n" + header + body)


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out + ("+changes" if dirty else "")


def _ratio(part: float, whole: float) -> str:
    return f"{int(part)}/{int(whole)} = {part / whole:.3f}" if whole else "n/a"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"
