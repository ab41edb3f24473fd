"""A factory on real components for integration tests: real database, real broker, a real worker
process, Qdrant local mode, the real embedder and (in the worker) the real local model."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, func, select

from app.api import decisions
from app.db import upgrade
from app.guardrails.engine import GuardrailEngine
from app.models import AuditEntry, Brief, CheckFinding, Delivery, DeliveryAttempt, Idea, LLMCall, Variant
from app.pipeline import review
from app.pipeline.deps import Deps
from app.pipeline.knowledge import ingest_brand
from app.retrieval.embedder import Embedder, embedder_name
from app.schemas import BriefCreate, DraftCopy
from app.settings import Settings
from app.states import BriefState, VariantState
from app.wiring import build_deps
from app.worker_process import WorkerProcess

SMALL_BRIEF = BriefCreate(
    brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=1, n_variants=1,
    audience="people who drink tea in the evening", goal="introduce Quiet Hours",
    key_message="Quiet Hours is a naturally caffeine-free chamomile and lemon balm blend",
)

# What a reviewer writes when the model's copy makes claims the brand cannot support: approved claims
# (C-008, certified organic) and the allergen disclaimer the claim requires, nothing else.
SUPPORTED_COPY = DraftCopy(
    headline="Meet Quiet Hours",
    body="Quiet Hours is naturally caffeine-free, as infusions of chamomile, lemon balm and orange peel are. "
         "Contains chamomile. People with an allergy to plants in the daisy family (Asteraceae), such as "
         "ragweed or marigold, should avoid this product.",
    cta="Try Quiet Hours",
)


@dataclass
class Factory:
    env: dict[str, str]
    settings: Settings
    deps: Deps
    tmp: Path

    def worker(self, name: str = "worker1") -> WorkerProcess:
        return WorkerProcess(self.env, log_path=self.tmp / f"{name}.log", name=name)

    def brief(self, brief_id: str) -> Brief:
        with Session(self.deps.engine) as s:
            brief = s.get(Brief, brief_id)
        assert brief is not None
        return brief

    def variants(self, brief_id: str) -> list[Variant]:
        with Session(self.deps.engine) as s:
            return list(s.exec(select(Variant).where(Variant.brief_id == brief_id)
                               .order_by(col(Variant.created_at))).all())

    def counts(self) -> dict[str, int]:
        with Session(self.deps.engine) as s:
            return {t.__name__: s.exec(select(func.count()).select_from(t)).one()
                    for t in (Idea, Variant, AuditEntry, LLMCall, Delivery, DeliveryAttempt)}

    def actions(self, brief_id: str) -> list[str]:
        with Session(self.deps.engine) as s:
            return [e.action for e in s.exec(select(AuditEntry).where(AuditEntry.brief_id == brief_id)
                                             .order_by(col(AuditEntry.id)))]

    def blocking_findings(self, variant_id: str) -> list[CheckFinding]:
        with Session(self.deps.engine) as s:
            return [f for f in s.exec(select(CheckFinding).where(CheckFinding.variant_id == variant_id))
                    if not f.passed and f.severity == "block"]

    def review_to_publication(self, brief_id: str, worker: WorkerProcess, reviewer: str = "rob") -> Variant:
        """Review the brief's one variant as a person at the desk would, and wait until it is published.

        Copy without blocking findings is approved as drafted. Copy the checks blocked (the 135M model
        often claims what the brand cannot support) is rewritten by the reviewer and the edit approved:
        blocked copy itself is never approved here. Returns the published revision.
        """
        [variant] = [v for v in self.variants(brief_id) if v.state is VariantState.in_review]
        if self.blocking_findings(variant.id):
            variant = decisions.edit_and_approve(self.deps, variant_id=variant.id, actor=reviewer,
                                                 copy=SUPPORTED_COPY, comment="rewritten: unsupported claims")
        else:
            review.approve(self.deps, variant_id=variant.id, actor=reviewer)
        final = self.wait_state(brief_id, {BriefState.published, BriefState.blocked}, worker)
        assert final is BriefState.published, self.variants(brief_id)
        [published] = [v for v in self.variants(brief_id) if v.state is VariantState.published]
        return published

    def wait_state(self, brief_id: str, until: set[BriefState], worker: WorkerProcess,
                   timeout_s: float = 600) -> BriefState:
        wait_for(lambda: self.brief(brief_id).state in until, worker, timeout_s,
                 lambda: f"brief {brief_id} stuck in {self.brief(brief_id).state}")
        return self.brief(brief_id).state


def make_factory(tmp: Path, embedder: Embedder, **env: str) -> Factory:
    """Settings from ``env`` (CF_* names), the demo brand ingested, the schema migrated."""
    # SmolLM2-135M unless a test says otherwise: these tests need a real model, not good copy, and it is fast.
    # The judge off unless a test turns it on: SmolLM2 is no judge, and ingestion would wait on it per chunk.
    # The worker builds its own embedder from CF_EMBEDDER: the test's, so that it searches the collection the test
    # ingested (each embedder has its own, app/retrieval/spaces.py).
    full = {"CF_DATA_DIR": str(tmp / "var"), "CF_LLM_LOCAL_MODEL": "smollm2-135m-instruct", "CF_JUDGE_MODE": "off",
            "CF_EMBEDDER": embedder_name(embedder), **env}
    fields = {k[3:].lower(): v for k, v in full.items() if k.startswith("CF_")}
    settings = Settings(_env_file=None, **fields)  # type: ignore[call-arg]
    deps = build_deps(settings, embedder=embedder)
    upgrade(deps.engine)
    ingest_brand(deps, settings.brand_kb_dir / "fernhill", brand="fernhill")
    return Factory(env=full, settings=settings, deps=deps, tmp=tmp)


def wait_for(predicate: Callable[[], bool], worker: WorkerProcess, timeout_s: float,
             describe: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        if not worker.alive():
            raise AssertionError(f"worker died: {describe()}\n{worker.log_tail()}")
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout_s:.0f} s: {describe()}\n{worker.log_tail()}")


def drain(worker: WorkerProcess, extra_tasks: int, timeout_s: float = 120) -> None:
    """Wait until the worker has finished ``extra_tasks`` more tasks than it had when called."""
    target = worker.finished_tasks() + extra_tasks
    wait_for(lambda: worker.finished_tasks() >= target, worker, timeout_s,
             lambda: f"{worker.finished_tasks()} of {target} tasks finished")


def blocking_rules_in(settings: Settings, payload: dict[str, str]) -> list[str]:
    """The brand's whole policy run afresh on a published payload: the rules that would block it."""
    text = f"{payload['headline']}\n{payload['body']}\n{payload['cta']}"
    results = GuardrailEngine(settings).evaluate(text, brand=payload["brand"], channel=payload["channel"])
    return [r.rule for r in results if r.blocks]
