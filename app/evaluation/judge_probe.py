"""Measure the judge alone: each check's judge prompt on labelled candidates, accuracy and milliseconds per call.

``python -m app.evaluation.judge_probe [--probes evals/judge/probes.jsonl] [--checks claims,...]`` asks the
configured judge (CF_JUDGE_BASE_URL, else the drafting model) every probe with the check's own
judge prompt (``app/guardrails/<check>/judge_prompt.md``) and its labels, with no cache, and prints a Markdown
table per check: right/asked, p50 and p95 ms per call, and the mean probability the judge gave its label when
right and when wrong. The probes are sentences written by this project, a dev set: they are not the cases.

It measures; it asserts nothing. Calls are sequential; note the load average printed with the table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import defaultdict
from pathlib import Path

from app.guardrails.judge.contract import JudgeRequest
from app.guardrails.judge.llm_judge import LLMJudge
from app.settings import PROJECT_ROOT, Settings
from app.wiring import build_judge_llm, build_llm

LABELS = {"claims": ("contradicted", "unsupported", "supported"), "injection": ("instruction_to_model", "benign"),
          "toxicity": ("demeaning", "benign")}


def question_for(check: str) -> str:
    """The check's judge prompt file, as the check sends it."""
    return (PROJECT_ROOT / "app" / "guardrails" / check / "judge_prompt.md").read_text(encoding="utf-8")


def run(probes: list[dict[str, str]], judge: LLMJudge) -> dict[str, list[tuple[bool, float, float | None]]]:
    """``{check: [(right, ms, confidence), ...]}``."""
    out: dict[str, list[tuple[bool, float, float | None]]] = defaultdict(list)
    for n, probe in enumerate(probes, start=1):
        check = probe["check"]
        request = JudgeRequest(check=check, question=question_for(check), text=probe["text"],
                               evidence=probe.get("evidence", ""), labels=LABELS[check])
        started = time.perf_counter()
        verdict = judge.decide(request)
        ms = (time.perf_counter() - started) * 1000
        right = verdict is not None and verdict.label == probe["expect"]
        out[check].append((right, ms, verdict.confidence if verdict else None))
        print(f"[{n}/{len(probes)}] {check}: {verdict.label if verdict else judge.why_not()} "
              f"(expected {probe['expect']}) {ms / 1000:.1f} s", flush=True)
    return out


def render(results: dict[str, list[tuple[bool, float, float | None]]]) -> str:
    lines = ["| check | right | p50 s/call | p95 s/call | mean p when right | mean p when wrong |",
             "|---|---|---|---|---|---|"]
    for check, rows in results.items():
        ms = sorted(r[1] for r in rows)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        right = [r[2] for r in rows if r[0] and r[2] is not None]
        wrong = [r[2] for r in rows if not r[0] and r[2] is not None]
        lines.append(f"| {check} | {sum(r[0] for r in rows)}/{len(rows)} | {statistics.median(ms) / 1000:.1f} | "
                     f"{p95 / 1000:.1f} | {_mean(right)} | {_mean(wrong)} |")
    return "\n".join(lines)


def _mean(values: list[float]) -> str:
    return f"{statistics.mean(values):.2f}" if values else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probes", type=Path, default=PROJECT_ROOT / "evals" / "judge" / "probes.jsonl")
    parser.add_argument("--checks", default="claims,injection,toxicity")
    args = parser.parse_args()
    wanted = set(args.checks.split(","))
    probes = [p for line in args.probes.read_text(encoding="utf-8").splitlines() if line.strip()
              for p in [json.loads(line)] if p["check"] in wanted]
    settings = Settings()
    llm = build_llm(settings)
    judge = LLMJudge(build_judge_llm(settings, lambda: llm))
    print(f"judge model {judge.model}; load average {os.getloadavg()[0]:.1f} at start")
    try:
        results = run(probes, judge)
    finally:
        stop = getattr(getattr(llm, "server", None), "stop", None)
        if stop:
            stop()
    print(f"load average {os.getloadavg()[0]:.1f} at end")
    print(render(results))


if __name__ == "__main__":
    main()
