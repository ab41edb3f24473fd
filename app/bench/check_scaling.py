"""Benchmark: every check's time at 150, 1,500 and 15,000 words (is each check linear in the text length?).

``python -m app.bench.check_scaling [--brand fernhill] [--runs N]`` (``make bench-checks``) builds texts of
about 150, 1,500 and 15,000 words from :data:`app.evaluation.guardrail_report.BENCHMARK_DRAFT` (its body
repeated, each copy with its numbers changed so no copy is an exact duplicate of another), runs each of the
brand's checks on them with the judge off, and prints one Markdown table: median milliseconds per text and
the ratio of ms per word to the 150-word text (1.0 = linear; 10 = each word costs ten times as much at that
length). A check that grows with the square of the text shows a ratio near 10 at 1,500 and 100 at 15,000.

It measures; it asserts nothing. Pinned to one core; compare rows of one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from functools import partial

from app.evaluation.guardrail_report import BENCHMARK_DRAFT
from app.guardrails.base import CheckContext
from app.guardrails.engine import GuardrailEngine
from app.settings import Settings

SIZES = (150, 1_500, 15_000)


def text_of(words: int) -> str:
    """About ``words`` words of draft-like copy: headline, a body of numbered repeats, a call to action."""
    headline, body, cta = BENCHMARK_DRAFT.split("\n")
    per_copy = len(body.split())
    copies = max(1, round(words / per_copy))
    bodies = [body.replace("forty", f"forty-{n}").replace("€9.50", f"€{9 + n % 7}.50") for n in range(copies)]
    return "\n".join([headline, " ".join(bodies), cta])


def median_ms(fn: Callable[[str], object], text: str, runs: int) -> float:
    """Median ms of ``fn`` over ``runs`` texts that differ in their last word, so no per-text cache answers."""
    fn(text + " warm")  # compiled patterns, the language detector
    times = []
    for n in range(runs):
        variant = f"{text} {n}"
        started = time.perf_counter()
        fn(variant)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(settings: Settings, brand: str, runs: int) -> dict[str, dict[int, float]]:
    """``{check name: {words: median ms}}`` plus ``"all checks"``."""
    engine = GuardrailEngine(settings)
    guard = engine.for_brand(brand)
    ctx = CheckContext(brand=guard.profile, channel="blog")
    texts = {n: text_of(n) for n in SIZES}
    table: dict[str, dict[int, float]] = {}
    for check in guard.checks:
        run: Callable[[str], object] = partial(check.run, ctx=ctx)
        table[check.name] = {n: median_ms(run, texts[n], _runs(runs, n)) for n in SIZES}
    table["all checks"] = {n: median_ms(lambda t: guard.evaluate(t, channel="blog", product=None), texts[n],
                                        _runs(runs, n)) for n in SIZES}
    return table


def _runs(runs: int, words: int) -> int:
    return max(1, runs * SIZES[0] // words)


def render(table: dict[str, dict[int, float]], texts: dict[int, str]) -> str:
    words = {n: len(t.split()) for n, t in texts.items()}
    head = " | ".join(f"{words[n]:,} words ms" for n in SIZES)
    ratios = " | ".join(f"ms per word at {words[n]:,} vs 150" for n in SIZES[1:])
    lines = [f"| check | {head} | {ratios} |", "|---" * (1 + len(SIZES) * 2 - 1) + "|"]
    for name, row in table.items():
        base = row[SIZES[0]] / words[SIZES[0]]
        cells = " | ".join(f"{row[n]:.1f}" for n in SIZES)
        growth = " | ".join(f"{(row[n] / words[n]) / base:.2f}" if base else "-" for n in SIZES[1:])
        lines.append(f"| {name} | {cells} | {growth} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brand", default="fernhill")
    parser.add_argument("--runs", type=int, default=20, help="runs at 150 words (fewer at larger sizes)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    settings = Settings(judge_mode="off")
    table = measure(settings, args.brand, args.runs)
    print(f"load average {os.getloadavg()[0]:.1f}; one core; judge off; brand {args.brand}")
    print(render(table, {n: text_of(n) for n in SIZES}))


if __name__ == "__main__":
    main()
