"""``factory demo``: ingest the demo brand, run one brief end to end with a real worker and the
local model, approve the best variant as the demo reviewer, publish, and print everything."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from rich.console import Console
from sqlmodel import Session, col, select

from app.api import decisions
from app.auth import users
from app.cli import render
from app.db import session_scope, upgrade
from app.errors import ModelFileError
from app.llm.model_status import describe_local_model
from app.models import Brief, CheckFinding, LLMCall, Variant
from app.pipeline.deps import Deps
from app.pipeline.knowledge import ingest_brand
from app.pipeline.runner import submit_brief
from app.schemas import BriefCreate
from app.settings import Settings
from app.states import BriefState, VariantState
from app.wiring import build_deps
from app.worker_process import WorkerProcess

console = Console(width=140)
DEMO_MARKETER = "demo-marketer"
DEMO_REVIEWER = "demo-reviewer"
# Sign-in accounts of the review desk, one per role, all on the demo brand.
DEMO_USERS = {"demo-marketer": ("marketer", "Mia (marketing)"), "demo-reviewer": ("reviewer", "Rob (brand review)"),
              "demo-compliance": ("compliance", "Cai (compliance)"), "demo-admin": ("admin", "Ada (admin)"),
              "demo-prompts": ("prompt_engineer", "Pia (prompts)")}
# Two ideas, one variant each, best of CF_DRAFT_CANDIDATES candidates per variant: two distinct options for
# the reviewer at about four drafting calls of the 1.5B model.
DEMO_BRIEF = BriefCreate(
    brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=2, n_variants=1,
    audience="busy professionals who drink tea in the evening",
    goal="introduce Quiet Hours to new customers before winter",
    key_message="Quiet Hours is a naturally caffeine-free chamomile and lemon balm blend for the evening",
    constraints="no health claims; mention that it is certified organic",
)
# The same brief in German (`factory demo --language de`): German prompts, German and English facts retrieved,
# German checks. The embedded model writes weak German (README, "German copy"); a stronger endpoint writes better.
DEMO_BRIEF_DE = BriefCreate(
    brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=2, n_variants=1, language="de",
    audience="Berufstätige, die abends gern Tee trinken",
    goal="Quiet Hours vor dem Winter neuen Kundinnen und Kunden vorstellen",
    key_message="Quiet Hours ist eine von Natur aus koffeinfreie Mischung aus Kamille und Zitronenmelisse "
                "für den Abend",
    constraints="keine Gesundheitsversprechen; erwähne, dass der Tee biozertifiziert ist",
)
DEMO_BRIEFS = {"en": DEMO_BRIEF, "de": DEMO_BRIEF_DE}


def run_demo(settings: Settings, *, language: str = "en", wait_minutes: float = 60) -> int:
    """Exit code 0 when the demo published; ``language`` picks the English or the German brief; ``wait_minutes``
    bounds each wait for the worker (the 1.5B model needs about 9 minutes on an idle 2-core machine, several
    times that on a busy one)."""
    started = time.perf_counter()
    step = StepClock()
    deps = build_deps(settings)
    upgrade(deps.engine)
    report = ingest_brand(deps, settings.brand_kb_dir / "fernhill", brand="fernhill", actor=DEMO_MARKETER)
    console.print(f"[bold]1. KB[/bold] fernhill: {len(report.added) + len(report.replaced)} files ingested, "
                  f"{len(report.unchanged)} unchanged ({deps.store.count('fernhill')} chunks, "
                  f"embedder {settings.embedder}) {step.took()}")
    if not _model_line(settings):
        return 1
    log = settings.data_dir / "demo-worker.log"
    with WorkerProcess({"CF_DATA_DIR": str(settings.data_dir)}, log_path=log) as worker:
        brief = submit_brief(deps=deps, brief_in=DEMO_BRIEFS[language], actor=DEMO_MARKETER)
        console.print(f"[bold]2. Brief[/bold] {brief.id} ({brief.language}) submitted by {DEMO_MARKETER}; "
                      f"worker log: {log}")
        state = _wait(deps, brief.id, {BriefState.in_review, BriefState.failed}, worker.alive, wait_minutes * 60)
        console.print(f"   variants written {step.took()}")
        if state is not BriefState.in_review:
            return _failed(deps, brief.id, worker, state, wait_minutes)
        best = best_passing_variant(deps, brief.id)
        if best is None:
            return _nothing_passes(deps, brief.id)
        decisions.decide(deps, variant_id=best.id, actor=DEMO_REVIEWER, decision="approve",
                         comment=f"demo: highest score ({best.score}) of the variants that pass every blocking check")
        console.print(f"[bold]3. Review[/bold] {DEMO_REVIEWER} approved variant {best.id} "
                      f"(score {best.score}, passes every blocking check)")
        final = _wait(deps, brief.id, {BriefState.published, BriefState.blocked, BriefState.failed},
                      worker.alive, wait_minutes * 60)
        console.print(f"   compliance and publishing {step.took()}")
    render.brief_report(deps, brief.id)
    render.print_trail(deps, brief.id)
    _summary(deps, brief.id, final, time.perf_counter() - started)
    _published_copy(deps, best.id, final)
    _desk_users(deps)
    return 0 if final is BriefState.published else 1


class StepClock:
    """Seconds since the previous step, for the demo's step lines: "(12.3 s)"."""

    def __init__(self) -> None:
        self._last = time.perf_counter()

    def took(self) -> str:
        now = time.perf_counter()
        elapsed, self._last = now - self._last, now
        return f"({elapsed:.1f} s)"


def _wait(deps: Deps, brief_id: str, until: set[BriefState], alive: Callable[[], bool],
          timeout_s: float = 900) -> BriefState:
    deadline, last = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline and alive():
        with Session(deps.engine) as session:
            brief = session.get(Brief, brief_id)
            assert brief is not None
            n_variants = len(session.exec(select(Variant.id).where(Variant.brief_id == brief_id)).all())
        progress = f"{brief.state.value} ({n_variants} variants written)"
        if progress != last:
            console.print(f"   … {progress}")
            last = progress
        if brief.state in until:
            return brief.state
        time.sleep(0.5)
    return BriefState.failed


def _model_line(settings: Settings) -> bool:
    """Print which model writes the copy, verifying a local model's file first (False when refused)."""
    try:
        console.print(f"[bold]   Model[/bold] {describe_local_model(settings)}")
    except ModelFileError as exc:
        console.print(f"[red bold]The local model file was refused:[/red bold] {exc}")
        return False
    return True


def best_passing_variant(deps: Deps, brief_id: str) -> Variant | None:
    """The highest-scoring variant in review with no blocking draft finding (the quality check's
    included), or None when every variant has one: the demo never approves copy a check blocked."""
    with Session(deps.engine) as session:
        variants = session.exec(select(Variant).where(
            Variant.brief_id == brief_id, Variant.state == VariantState.in_review)
            .order_by(col(Variant.created_at))).all()
        blocking = set(session.exec(select(CheckFinding.variant_id).where(
            col(CheckFinding.variant_id).in_([v.id for v in variants]),
            col(CheckFinding.passed).is_(False), CheckFinding.severity == "block")).all())
    passing = [v for v in variants if v.id not in blocking]
    return max(passing, key=lambda v: v.score if v.score is not None else float("-inf"), default=None)


def _nothing_passes(deps: Deps, brief_id: str) -> int:
    render.brief_report(deps, brief_id)
    console.print("[red bold]No variant passed every blocking check, so the demo publishes nothing.[/red bold] "
                  "The findings above say why; a reviewer would request changes. Nothing was approved.")
    return 1


def _failed(deps: Deps, brief_id: str, worker: WorkerProcess, state: BriefState, wait_minutes: float) -> int:
    render.brief_report(deps, brief_id)
    why = ("the brief failed" if state is BriefState.failed else "the worker stopped" if not worker.alive()
           else f"still {state.value} after {wait_minutes:g} minutes: the machine is slower than expected; "
                f"run again with a longer wait (`factory demo --wait-minutes {2 * wait_minutes:g}`)")
    console.print(f"[red]The brief did not reach review: {why}.[/red] Worker log tail:\n" + worker.log_tail())
    return 1


def _summary(deps: Deps, brief_id: str, final: BriefState, wall_s: float) -> None:
    with Session(deps.engine) as session:
        calls = session.exec(select(LLMCall).where(LLMCall.brief_id == brief_id)).all()
    llm_s = sum(c.latency_ms for c in calls) / 1000
    outbox = sorted(deps.settings.outbox_dir.glob("*.json"))
    console.print(f"[bold]4. Result[/bold] brief {brief_id} is [bold]{final.value}[/bold]; "
                  f"{len(calls)} LLM calls took {llm_s:.1f} s of {wall_s:.1f} s wall time.")
    if final is BriefState.published and outbox:
        console.print(f"   published to the outbox: {max(outbox, key=lambda p: p.stat().st_mtime)}")


def _published_copy(deps: Deps, variant_id: str, final: BriefState) -> None:
    """The approved copy in full, as the CMS receives it."""
    with Session(deps.engine) as session:
        variant = session.get(Variant, variant_id)
    assert variant is not None
    if final is not BriefState.published:
        console.print(f"[red bold]Nothing was published:[/red bold] the brief ended {final.value}.")
        return
    console.print(f"[bold]Published copy[/bold] ({variant.channel}, variant {variant.id}, score {variant.score}):")
    console.print(f"   [bold]{variant.headline}[/bold]", soft_wrap=True)
    console.print(f"   {variant.body}", soft_wrap=True)
    console.print(f"   [italic]{variant.cta}[/italic]", soft_wrap=True)


def _desk_users(deps: Deps) -> None:
    """Create (or reset the passwords of) the demo desk users and print how to sign in.

    Passwords are fresh on every run, so no well-known password ever opens a desk left running."""
    passwords = {name: secrets.token_urlsafe(9) for name in DEMO_USERS}
    with session_scope(deps.engine) as session:
        for name, (role, display) in DEMO_USERS.items():
            user = users.get_user(session, username=name)
            if user is None:
                users.create_user(session, username=name, roles=[role], brands=["fernhill"],
                                  password=passwords[name], display_name=display, actor="system:demo")
            else:
                users.update_user(session, user=user, actor="system:demo", password=passwords[name], active=True)
    accounts = ", ".join(f"{name} / {pw}" for name, pw in passwords.items())
    console.print(f"[bold]5. Review desk[/bold]: run `factory api` and open http://127.0.0.1:8000/ (users: {accounts})",
                  soft_wrap=True)
