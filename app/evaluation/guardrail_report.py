"""``make eval-guardrails``: every guardrail measured on third-party data, and their latency, as one table.

:func:`measure` runs the metric functions of :mod:`app.evaluation.guardrail_metrics`,
:mod:`app.evaluation.claims_metrics` and :mod:`app.evaluation.style_metrics` on ``../shared/datasets``
(the quality check: on real text as published, the hand-labelled drafts of ``evals/quality``, and the data
behind its naming, language and key-message rules) plus :func:`latency_benchmark`, and returns :class:`Row`
objects (what was measured, on what, the figure, the aim). :func:`render_markdown` turns them into the
GUARDRAILS.md table, stamped with date and commit.

Nothing here is asserted: these are measurements. The tests that pin behaviour are in tests/.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.brand import BrandProfile, load_brand
from app.guardrails.base import Check, CheckContext
from app.settings import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    from app.evaluation.guardrail_metrics import Share

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
BENCHMARK_KEY_MESSAGE = "Morning Ember is a malty organic breakfast tea that takes milk well"


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
                       ("claims", _claims_rows), ("clean copy", _clean_copy_rows), ("quality", _quality_rows)):
        progress(name)
        rows += step(datasets_dir, profile)
    progress("judge calls")
    rows += _judge_call_rows(datasets_dir, profile)
    progress("latency")
    rows += latency_rows(settings, brand)
    return rows


def _judge_call_rows(datasets_dir: Path, profile: BrandProfile) -> list[Row]:
    """Judge calls a text would cost with the judge on (counted, no model): collected drafts and real copy."""
    from app.evaluation import guardrail_metrics as gm
    from app.evaluation.judge_load import judge_calls

    checks = _all_checks()
    drafts = [str(r["text"]) for r in gm.collected_drafts()]
    prose = [u.text for u in gm.style_guide_prose(datasets_dir)]
    rows = []
    for data, texts in (("collected model drafts", drafts), ("18f_content_guide prose units", prose)):
        counted = judge_calls(checks, texts, CheckContext(brand=profile, language="en"))
        rows.append(Row("judge", "calls per text: mean / p95 / max (by check)", data, len(texts), counted.summary()))
    return rows


def _toxicity_rows(datasets_dir: Path, profile: BrandProfile) -> list[Row]:
    """The toxicity check with the judge off, per stage (rules and model; plus the learned grade of sentences
    that name a group): English and German data, this project's implicit-hate sets (dev and held-out),
    false alarms on real English and German copy, judge candidates per text, and ms."""
    from app.evaluation.guardrail_metrics import (
        clean_copy_paragraphs,
        german_marketing_strings,
        german_toxicity_metrics,
        judge_candidates,
        toxicity_metrics,
    )
    from app.guardrails.toxicity import DEFAULT_THRESHOLD, ProfanityCheckBackend, ToxicityCheck
    from app.guardrails.toxicity.learned import ImplicitHateScorer
    from app.retrieval.embedder import SentenceTransformerEmbedder

    backend = ProfanityCheckBackend()
    embedder = SentenceTransformerEmbedder()
    rows = []
    for stage, scorer in (("rules", None), ("rules + learned", ImplicitHateScorer(embedder))):
        measured = toxicity_metrics(backend, DEFAULT_THRESHOLD, datasets_dir, scorer)
        measured |= german_toxicity_metrics(backend, DEFAULT_THRESHOLD, datasets_dir, scorer=scorer)
        for name, m in measured.items():
            aim = "≥ 0.90" if name.startswith("implicit_hate") else ""
            rows.append(Row("toxicity", f"{stage}: precision / recall at {DEFAULT_THRESHOLD}", name, int(m["n"]),
                            f"{m['precision']:.3f} / {m['recall']:.3f}"))
            rows.append(Row("toxicity", f"{stage}: ROC AUC", name, int(m["n"]), f"{m['auc']:.3f}", aim))
    check = ToxicityCheck(backend, embedder=embedder)
    ctx = CheckContext(brand=profile)
    copy = {"18f_content_guide": clean_copy_paragraphs(datasets_dir)["18f_content_guide"],
            "thunderbird_de_marketing_strings": [r["text"] for r in german_marketing_strings(datasets_dir)]}
    for data, texts in copy.items():
        blocked = sum(any(r.blocks for r in check.run(t, ctx)) for t in texts)
        rows.append(Row("toxicity", "texts blocked (judge off)", data, len(texts), _pct(blocked, len(texts))))
        asked = judge_candidates(backend, texts, DEFAULT_THRESHOLD, check.scorer)
        rows.append(Row("toxicity", "judge calls per text (mean / max)", data, len(texts),
                        f"{sum(asked) / len(asked):.3f} / {max(asked)}"))
    draft = f"{len(BENCHMARK_DRAFT.split())}-word draft"
    p50, p95 = _timed(partial(check.run, BENCHMARK_DRAFT, ctx), runs=200, warmup=20)
    rows.append(Row("toxicity", "judge-off p50 / p95 ms (wall clock)", draft, 200, f"{p50:.1f} / {p95:.1f}",
                    "≤ 20 ms"))
    # CPU time of this thread: on a loaded machine the wall clock mostly measures waiting for a core.
    cpu = []
    for _ in range(200):
        started = time.thread_time()
        check.run(BENCHMARK_DRAFT, ctx)
        cpu.append((time.thread_time() - started) * 1000)
    rows.append(Row("toxicity", "judge-off p50 CPU ms", draft, 200, f"{statistics.median(cpu):.1f}"))
    return rows


def _injection_rows(datasets_dir: Path, _profile: BrandProfile) -> list[Row]:
    """Rules-only injection figures: recall / false alarms per set, what a judge would be asked about, real copy,
    and the scan's own time on 150-word texts."""
    from app.evaluation.guardrail_metrics import injection_clean_copy_metrics, injection_latency, injection_metrics

    rows = []
    for name, m in injection_metrics(datasets_dir).items():
        if "recall" in m:
            aim = "≥ 0.95" if name.startswith("planted") else "≥ 0.90"
            rows.append(Row("injection", "recall (rules only)", name, int(m["n"]), _ratio(m["flagged"], m["n"]), aim))
            rows.append(Row("injection", "judge candidates (score ≥ floor)", name, int(m["n"]),
                            _ratio(m["candidates"], m["n"])))
        else:
            aim = "≤ 0.02" if name.startswith("planted") or name == "notinject_benign" else ""
            rows.append(Row("injection", "false alarms (rules only)", name, int(m["n"]),
                            _ratio(m["flagged"], m["n"]), aim))
    for name, copy in injection_clean_copy_metrics(datasets_dir).items():
        rows.append(Row("injection", "false alarms on real copy (rules only)", name, copy["n"],
                        _ratio(copy["flagged"], copy["n"]), "≤ 0.02"))
        rows.append(Row("injection", "judge calls on real copy (score ≥ floor)", name, copy["n"],
                        _ratio(copy["candidates"], copy["n"])))
    lat = injection_latency(datasets_dir)
    rows.append(Row("injection", "scan p50 / p95 ms (rules only)", f"{lat['words']:.0f}-word 18F text", int(lat["n"]),
                    f"{lat['p50_ms']:.1f} / {lat['p95_ms']:.1f}", "≤ 20 ms"))
    rows.append(Row("injection", "scan p50 / p95 CPU ms (rules only)", f"{lat['words']:.0f}-word 18F text",
                    int(lat["n"]), f"{lat['cpu_p50_ms']:.1f} / {lat['cpu_p95_ms']:.1f}"))
    return rows


def _style_rows(datasets_dir: Path, _profile: BrandProfile) -> list[Row]:
    from app.evaluation.style_metrics import vale_fixture_metrics

    rows = []
    for package, m in vale_fixture_metrics(datasets_dir).items():
        rows.append(Row("style (Vale rules)", "fixture findings reproduced (extra)", package, int(m["expected"]),
                        f"{_ratio(m['reproduced'], m['expected'])} (+{m['extra']})"))
        rows.append(Row("style (Vale rules)", "rules run (not run, reported at load)", package,
                        int(m["rules_loaded"]) + len(m["skipped"]), f"{m['rules_loaded']} ({len(m['skipped'])})"))
    return rows


def _claims_rows(datasets_dir: Path, profile: BrandProfile) -> list[Row]:
    """Recall on regulator-cited claims, blocks on real copy (aim < 1%, issue 11) and time by text length,
    all rules only (no judge)."""
    from app.evaluation.claims_metrics import claims_timing, real_copy_blocked, regulator_claims_metrics

    m = regulator_claims_metrics(datasets_dir, profile)
    rows = [
        Row("claims", "misleading claims blocked (rules only)", "regulator_cited_claim_examples", m["misleading"],
            _ratio(m["blocked"], m["misleading"])),
        Row("claims", "not-deceptive controls blocked", "regulator_cited_claim_examples", m["controls"],
            f"{m['controls_blocked']}/{m['controls']}"),
    ]
    rows += [Row("claims", "real copy blocked (rules only)", data, n, _pct(blocked, n), "< 1%")
             for data, (blocked, n) in real_copy_blocked(datasets_dir, profile).items()]
    rows += [Row("claims", "ms per check (median, rules only)", f"{words:,} words of brand copy", 1, f"{ms:.1f}")
             for words, ms in claims_timing(profile).items()]
    return rows


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
                        len(paragraphs), f"{_pct(blocks, len(paragraphs))} / {_pct(alarms, len(paragraphs))}",
                        "< 1% blocked" if check.name == "claims" else ""))  # claims aim: issue 11
    return rows


def _quality_rows(datasets_dir: Path, profile: BrandProfile) -> list[Row]:
    """The quality check: blocks on real good text (< 1% aimed), recall on the collected bad drafts, and the
    figures behind its context rules (naming, language, key-message similarity)."""
    from app.evaluation import guardrail_metrics as gm
    from app.guardrails.quality import QualityCheck
    from app.guardrails.quality.key_message import DEFAULT_MIN_SIMILARITY
    from app.retrieval.embedder import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    check, english = QualityCheck(), CheckContext(brand=profile, language="en")
    units = gm.style_guide_prose(datasets_dir)
    variants = [v for v in map(gm.prose_variant, units) if v]
    german = gm.german_marketing_strings(datasets_dir)
    thunderbird = BrandProfile(slug="thunderbird", name="Thunderbird", folder=datasets_dir,
                               products={"thunderbird": "Thunderbird"})
    named = [r["text"] for r in german if "thunderbird" in r["source_en"].lower()]
    rows = [
        _blocked_row("18f_content_guide prose units, language en", gm.blocked_share(check, [u.text for u in units],
                                                                                     english)),
        _blocked_row("18f paragraphs as variants (heading / paragraph / page title)",
                     gm.blocked_share(check, variants, english)),
        _blocked_row("vale fixtures' clean lines, language en", gm.blocked_share(check, gm.vale_clean_lines(
            datasets_dir), english)),
        _blocked_row("thunderbird_de_marketing_strings, language de", gm.blocked_share(
            check, [r["text"] for r in german], CheckContext(brand=thunderbird, language="de"))),
        _blocked_row("thunderbird de strings naming Thunderbird in English, product given", gm.blocked_share(
            check, named, CheckContext(brand=thunderbird, product="thunderbird", language="de"))),
        _blocked_row("18f_content_guide raw Markdown paragraphs (source, not published text)", gm.blocked_share(
            check, gm.clean_copy_paragraphs(datasets_dir)["18f_content_guide"], CheckContext(brand=profile)), aim=""),
    ]
    rows += _language_recall_rows(units, german)
    pairs = gm.key_message_pairs(embedder, units)
    own = sum(s < DEFAULT_MIN_SIMILARITY for s in pairs["own"])
    other = sum(s < DEFAULT_MIN_SIMILARITY for s in pairs["other"])
    rows.append(Row("quality: key message", f"below {DEFAULT_MIN_SIMILARITY}: own page / other pages",
                    "18f paragraphs (15+ words) vs page title + lead", len(pairs["own"]),
                    f"{_pct(own, len(pairs['own']))} / {_pct(other, len(pairs['other']))} of {len(pairs['other'])}",
                    "own < 1%"))
    drafts = gm.drafts_metrics(QualityCheck(embedder=embedder), profile, gm.collected_drafts())
    for group, m in drafts.items():
        rows.append(Row("quality: collected drafts", "bad blocked (recall) / good blocked", group,
                        m["bad"] + m["good"], f"{_ratio(m['bad_blocked'], m['bad'])} / "
                        f"{m['good_blocked']}/{m['good']}", "recall ≥ 0.90" if group == "all" else ""))
    return rows


def _blocked_row(data: str, share: Share, aim: str = "< 1%") -> Row:
    top = ", ".join(f"{rule.removeprefix('quality:')} {n}"
                    for rule, n in sorted(share.rules.items(), key=lambda kv: -kv[1]))
    return Row("clean copy: quality", "texts blocked (rules that fired)", data, share.n,
               _pct(share.blocked, share.n) + (f" ({top})" if top else ""), aim)


def _language_recall_rows(units: list[Any], german: list[dict[str, str]]) -> list[Row]:
    from app.guardrails.quality.language import MIN_WORDS, language_findings
    from app.guardrails.quality.layout import words

    rows = []
    for data, texts, wrong in (("thunderbird de strings checked as en", [r["text"] for r in german], "en"),
                               ("18f prose units checked as de", [u.text for u in units], "de")):
        eligible = [t for t in texts if len(words(t)) >= MIN_WORDS]
        caught = sum(bool(language_findings(t, wrong)) for t in eligible)
        rows.append(Row("quality: language", f"wrong language caught ({MIN_WORDS}+ words / all)", data, len(texts),
                        f"{_ratio(caught, len(eligible))} / {_pct(caught, len(texts))}"))
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
    briefed = replace(ctx, product="morning-ember", key_message=BENCHMARK_KEY_MESSAGE, language="en")
    for check in guard.checks:
        if check.name == "quality":  # with a brief: one embedding of the draft, and the language detector
            per_check["quality with a brief"] = _timed(partial(check.run, BENCHMARK_DRAFT, briefed), runs, warmup)
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


def remeasure_area(markdown: str, area: str, rows: list[Row], *, command: str) -> str:
    """``markdown`` with the measured table's rows of ``area`` replaced by ``rows`` (at the place of the first old
    one) and a line under the table's stamp saying when, at which commit and with which command they were
    re-measured; the other areas' rows, and everything outside the ``<!-- measured:start/end -->`` markers, are
    left as they were. Raises ValueError when there is no measured block or it has no such row."""
    start, end = "<!-- measured:start -->", "<!-- measured:end -->"
    if start not in markdown or end not in markdown:
        raise ValueError("no measured block (<!-- measured:start --> ... <!-- measured:end -->)")
    head, rest = markdown.split(start, 1)
    block, tail = rest.split(end, 1)
    return head + start + _remeasured_block(block, area, rows, command) + end + tail


def _remeasured_block(block: str, area: str, rows: list[Row], command: str) -> str:
    lines = block.split("\n")
    prefix = f"| {area} |"
    old = [i for i, line in enumerate(lines) if line.startswith(prefix)]
    if not old:
        raise ValueError(f"no '{area}' rows in the measured table")
    body = [f"| {r.area} | {r.measure} | {r.data} | {r.n} | {r.figure} | {r.aim} |" for r in rows]
    kept = [line for i, line in enumerate(lines) if i not in set(old)]
    at = old[0]
    kept[at:at] = body
    note = f"Rows `{area}` re-measured {date.today().isoformat()} at commit `{_commit()}` with `{command}`."
    stamp_at = next(i for i, line in enumerate(kept) if line.startswith("Measured "))
    notes_end = stamp_at + 1
    while notes_end < len(kept) and kept[notes_end].startswith("Rows `"):
        notes_end += 1
    notes = [n for n in kept[stamp_at + 1:notes_end] if not n.startswith(f"Rows `{area}`")]
    kept[stamp_at + 1:notes_end] = [*notes, note]
    return "\n".join(kept)


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


AREAS: dict[str, Callable[[Path, BrandProfile], list[Row]]] = {
    "toxicity": _toxicity_rows, "injection": _injection_rows, "style": _style_rows, "claims": _claims_rows,
}


def main(argv: list[str] | None = None) -> None:
    """Re-measure one area and replace its rows in GUARDRAILS.md without re-running the rest:
    ``python -m app.evaluation.guardrail_report --area injection --write GUARDRAILS.md``."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--area", choices=sorted(AREAS), required=True)
    parser.add_argument("--write", type=Path, help="Markdown file whose measured table gets the new rows")
    parser.add_argument("--datasets", type=Path, default=PROJECT_ROOT.parent / "shared" / "datasets")
    parser.add_argument("--brand", default="fernhill")
    args = parser.parse_args(argv)
    from app.settings import get_settings

    settings = get_settings()
    rows = AREAS[args.area](args.datasets, load_brand(settings.brand_kb_dir, args.brand))
    for r in rows:
        print(f"| {r.area} | {r.measure} | {r.data} | {r.n} | {r.figure} | {r.aim} |")
    if args.write is not None:
        command = f"python -m app.evaluation.guardrail_report --area {args.area} --write {args.write.name}"
        args.write.write_text(remeasure_area(args.write.read_text(encoding="utf-8"), args.area, rows,
                                             command=command), encoding="utf-8")


if __name__ == "__main__":
    main()
