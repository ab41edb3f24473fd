"""Benchmark: the local models side by side on the same briefs, through the real pipeline.

``python -m app.bench.model_comparison [--models a,b] [--briefs N] [--candidates N]`` (``make bench-models``)
runs, for each model in turn (never two at once on this 2-core machine), N briefs through a real
worker process on the embedded defaults, each in a fresh data folder, and prints one Markdown table:

- seconds per brief: wall time from submission until the brief is in review (model start included
  for the first brief, as a user would see it);
- tokens/s: completion tokens over the summed latency of the drafting and ideation calls;
- LLM calls per variant: drafting calls (candidates, re-asks and repairs) per kept variant;
- quality pass rate: kept variants with no blocking finding of the ``quality`` check, and the same
  over every candidate written;
- discarded tokens: the share of drafting tokens (prompt and completion) spent on candidates that were
  not kept.

It measures; it asserts nothing. Figures depend on the machine's load, so compare rows of one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from app.cli.demo import DEMO_BRIEF
from app.db import upgrade
from app.models import Brief, CheckFinding, DraftCandidate, LLMCall, Variant
from app.pipeline.deps import Deps
from app.pipeline.knowledge import ingest_brand
from app.pipeline.runner import submit_brief
from app.schemas import BriefCreate
from app.settings import Settings
from app.states import BriefState
from app.wiring import build_deps
from app.worker_process import WorkerProcess

DEFAULT_MODELS = ("smollm2-135m-instruct", "qwen2.5-coder-1.5b-instruct")
BRIEFS = (
    DEMO_BRIEF,
    BriefCreate(
        brand="fernhill", product="morning-ember", channels=["linkedin"], n_ideas=1, n_variants=2,
        audience="people who start the day early", goal="make Morning Ember the default breakfast tea",
        key_message="Morning Ember is a bold, malty breakfast black tea that takes milk well",
        constraints="no health claims",
    ),
)


@dataclass
class Row:
    model: str
    briefs: int
    seconds_per_brief: float
    tokens_per_s: float
    calls_per_variant: float
    quality_pass: float
    candidate_quality_pass: float
    discarded_tokens: float

    def cells(self) -> list[str]:
        return [self.model, str(self.briefs), f"{self.seconds_per_brief:.0f}", f"{self.tokens_per_s:.1f}",
                f"{self.calls_per_variant:.2f}", f"{self.quality_pass:.0%}", f"{self.candidate_quality_pass:.0%}",
                f"{self.discarded_tokens:.0%}"]


HEADER = ["model", "briefs", "s/brief", "tokens/s", "LLM calls/variant", "quality pass (kept)",
          "quality pass (all candidates)", "tokens on discarded candidates"]


def run_model(model: str, briefs: list[BriefCreate], *, candidates: int, home: Path) -> Row:
    """One model's row: its briefs through a real worker in a fresh data folder under ``home``."""
    data = home / model
    shutil.rmtree(data, ignore_errors=True)
    env = {"CF_DATA_DIR": str(data), "CF_LLM_LOCAL_MODEL": model, "CF_DRAFT_CANDIDATES": str(candidates)}
    settings = Settings(_env_file=None, data_dir=data, llm_local_model=model,  # type: ignore[call-arg]
                        draft_candidates=candidates)
    deps = build_deps(settings)
    upgrade(deps.engine)
    ingest_brand(deps, settings.brand_kb_dir / "fernhill", brand="fernhill", actor="bench")
    walls: list[float] = []
    ids: list[str] = []
    with WorkerProcess(env, log_path=data / "worker.log") as worker:
        for brief_in in briefs:
            started = time.perf_counter()
            brief = submit_brief(deps=deps, brief_in=brief_in, actor="bench")
            _wait_for_review(deps, brief.id, worker)
            walls.append(time.perf_counter() - started)
            ids.append(brief.id)
            print(f"  {model}: brief {len(ids)}/{len(briefs)} in review after {walls[-1]:.0f} s", flush=True)
    return _row(deps, model, ids, walls)


def _wait_for_review(deps: Deps, brief_id: str, worker: WorkerProcess, timeout_s: float = 3600) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and worker.alive():
        with Session(deps.engine) as session:
            brief = session.get(Brief, brief_id)
        if brief is not None and brief.state not in {BriefState.submitted, BriefState.ideating, BriefState.drafting}:
            return
        time.sleep(1)
    raise RuntimeError(f"brief {brief_id} did not reach review; worker log: {worker.log_tail(1500)}")


def _row(deps: Deps, model: str, ids: list[str], walls: list[float]) -> Row:
    with Session(deps.engine) as session:
        calls = session.exec(select(LLMCall).where(col(LLMCall.brief_id).in_(ids))).all()
        variants = session.exec(select(Variant).where(col(Variant.brief_id).in_(ids))).all()
        cands = session.exec(select(DraftCandidate).where(col(DraftCandidate.brief_id).in_(ids))).all()
        blocked = set(session.exec(select(CheckFinding.variant_id).where(
            col(CheckFinding.variant_id).in_([v.id for v in variants]), CheckFinding.check == "quality",
            col(CheckFinding.passed).is_(False), CheckFinding.severity == "block")).all())
    latency = sum(c.latency_ms for c in calls) / 1000
    draft_calls = [c for c in calls if c.stage == "draft"]
    discarded = {c.id for c in cands if not c.kept}
    tokens = sum(c.prompt_tokens + c.completion_tokens for c in draft_calls)
    thrown = sum(c.prompt_tokens + c.completion_tokens for c in draft_calls if c.candidate_id in discarded)
    cand_pass = sum(not any(f["check"] == "quality" and f["severity"] == "block" for f in c.findings) for c in cands)
    return Row(
        model=model, briefs=len(ids), seconds_per_brief=sum(walls) / len(walls),
        tokens_per_s=sum(c.completion_tokens for c in calls) / latency if latency else 0.0,
        calls_per_variant=len(draft_calls) / len(variants) if variants else 0.0,
        quality_pass=sum(v.id not in blocked for v in variants) / len(variants) if variants else 0.0,
        candidate_quality_pass=cand_pass / len(cands) if cands else 0.0,
        discarded_tokens=thrown / tokens if tokens else 0.0,
    )


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(DEFAULT_MODELS))
    parser.add_argument("--briefs", type=int, default=len(BRIEFS), help=f"briefs per model (1..{len(BRIEFS)})")
    parser.add_argument("--candidates", type=int, default=Settings(_env_file=None).draft_candidates)  # type: ignore[call-arg]
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    home = Path(tempfile.mkdtemp(prefix="bench-models-"))
    briefs = list(BRIEFS[: max(1, min(args.briefs, len(BRIEFS)))])
    rows = []
    for model in args.models.split(","):
        print(f"{model}: {len(briefs)} briefs, {args.candidates} candidates per variant slot", flush=True)
        rows.append(run_model(model.strip(), briefs, candidates=args.candidates, home=home))
    print(table(rows))
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
