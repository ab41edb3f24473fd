"""Benchmark: briefs/hour with one and two real workers on one machine, and the overhead R cold and warm.

Both runs use the same data folder (embedded defaults: SQLite, filesystem queue, Qdrant local folder held
by this process and served to the workers), the same model and the same briefs. Workers are started and
the run begins when each has logged that its model is warm (app's worker readiness line).

- 1 worker: one brief alone right after readiness (cold), one more alone (warm), then ``briefs`` at once;
- 2 workers: ``briefs`` at once (they share one model server, app/llm/shared_server.py).

briefs/hour = briefs / (time from submitting them until the last is in review). R = (brief wall time -
its LLM calls' summed latency) / that latency, where the wall time runs from submission to review. It
measures; it asserts nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from app.bench.model_comparison import BRIEFS
from app.db import upgrade
from app.models import Brief, LLMCall
from app.pipeline.deps import Deps
from app.pipeline.knowledge import ingest_brand
from app.pipeline.runner import submit_brief
from app.settings import Settings
from app.states import BriefState
from app.wiring import build_deps
from app.worker_process import WorkerProcess

READY = ("worker ready for briefs", "local model warm-up failed")
_WORKING = {BriefState.submitted, BriefState.ideating, BriefState.drafting}


@dataclass
class Throughput:
    workers: int
    briefs: int
    seconds: float

    @property
    def per_hour(self) -> float:
        return self.briefs / self.seconds * 3600


def run(home: Path, *, model: str, briefs: int) -> tuple[dict[int, Throughput], float, float]:
    """``({workers: Throughput}, R cold, R warm)``."""
    settings = Settings(_env_file=None, data_dir=home, llm_local_model=model)  # type: ignore[call-arg]
    deps = build_deps(settings)
    upgrade(deps.engine)
    ingest_brand(deps, settings.brand_kb_dir / "fernhill", brand="fernhill", actor="bench")
    env = {"CF_DATA_DIR": str(home), "CF_LLM_LOCAL_MODEL": model}
    results: dict[int, Throughput] = {}
    with StartedWorkers(env, home, 1) as workers:
        cold = overhead(deps, submit_and_wait(deps, 1, workers)[0])
        warm = overhead(deps, submit_and_wait(deps, 1, workers)[0])
        started = time.perf_counter()
        submit_and_wait(deps, briefs, workers)
        results[1] = Throughput(1, briefs, time.perf_counter() - started)
    with StartedWorkers(env, home, 2) as workers:
        started = time.perf_counter()
        submit_and_wait(deps, briefs, workers)
        results[2] = Throughput(2, briefs, time.perf_counter() - started)
    deps.store.close()
    return results, cold, warm


class StartedWorkers:
    def __init__(self, env: dict[str, str], home: Path, n: int) -> None:
        self.workers = [WorkerProcess(env, log_path=home / f"worker{i}-{n}.log", name=f"bench{i}") for i in range(n)]

    def __enter__(self) -> list[WorkerProcess]:
        for w in self.workers:
            w.start()
        deadline = time.monotonic() + 600
        while not all(any(line in w.log_tail(100_000) for line in READY) for w in self.workers):
            if time.monotonic() > deadline or not all(w.alive() for w in self.workers):
                raise RuntimeError(f"a worker did not get ready: {self.workers[0].log_tail(1500)}")
            time.sleep(0.2)
        return self.workers

    def __exit__(self, *_exc: object) -> None:
        for w in self.workers:
            w.stop()


def submit_and_wait(deps: Deps, n: int, workers: list[WorkerProcess]) -> list[tuple[str, float]]:
    """Submit ``n`` briefs at once; ``[(brief id, seconds until in review)]`` when all are."""
    started = time.perf_counter()
    pending = {submit_brief(deps=deps, brief_in=BRIEFS[i % len(BRIEFS)], actor="bench").id for i in range(n)}
    done: list[tuple[str, float]] = []
    deadline = time.monotonic() + 3600
    while pending:
        if time.monotonic() > deadline or not any(w.alive() for w in workers):
            raise RuntimeError(f"briefs did not reach review: {workers[0].log_tail(1500)}")
        with Session(deps.engine) as session:
            for brief in session.exec(select(Brief).where(col(Brief.id).in_(pending))).all():
                if brief.state not in _WORKING:
                    done.append((brief.id, time.perf_counter() - started))
                    pending.discard(brief.id)
        time.sleep(0.2)
    return done


def overhead(deps: Deps, brief: tuple[str, float]) -> float:
    brief_id, wall = brief
    with Session(deps.engine) as session:
        llm_s = sum(c.latency_ms for c in session.exec(select(LLMCall).where(LLMCall.brief_id == brief_id)).all())
    llm_s /= 1000
    return (wall - llm_s) / llm_s if llm_s else float("nan")
