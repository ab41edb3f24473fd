"""``factory eval``: run a prompt or model comparison over a suite, report it, turn reviews into cases.

``run`` compares a candidate (``--prompt``, ``--model``) with a baseline (``--baseline``,
``--baseline-model``); a model is a local model's name or, with ``CF_LLM_BASE_URL`` set, any model of
that endpoint (see :mod:`app.evaluation.eval_models`), and defaults to the factory's configured model.
It exits 0 when no metric regressed past the suite's thresholds, 1 when one did (so CI can gate a
prompt or model change), 2 on an error and 130 when interrupted (resume with ``--resume <run_id>``). The report
folder is the last line on stdout; progress goes to stderr.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text
from sqlmodel import Session, col, select

from app.cli import context
from app.db import session_scope
from app.errors import FactoryError, InvalidInput
from app.evaluation import report, runs
from app.evaluation.cases import add_case_from_variant
from app.evaluation.eval_judge import Judge, judge_from_url
from app.evaluation.eval_models import ModelBuilder, model_builder
from app.evaluation.eval_suite import EvalSuite, load_suite, suite_path
from app.evaluation.models import EvalRun
from app.pipeline.deps import Deps
from app.settings import PROJECT_ROOT

evals = typer.Typer(help="Prompt evaluation: suites, runs, reports.", no_args_is_help=True)
EVALS_DIR = PROJECT_ROOT / "evals"
SuitesDir = typer.Option(None, "--suites-dir", help="Default: the eval_suites_dir setting (CF_EVAL_SUITES_DIR).")
OutDir = typer.Option(EVALS_DIR / "runs", "--out", envvar="CF_EVAL_RUNS_DIR", help="Reports go to OUT/<run_id>/.")


class RateColumn(ProgressColumn):
    """Completed case sides per minute (rich's own speed column counts bytes)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("-- /min" if speed is None else f"{speed * 60:.1f}/min", style="progress.data.speed")


@evals.command("run")
def run(
    suite: str = typer.Argument(None, help="Suite name under --suites-dir, or a YAML path."),
    prompt: str = typer.Option("draft@candidate", "--prompt", help="Candidate prompt ref."),
    baseline: str = typer.Option("draft@production", "--baseline", help="Baseline prompt ref."),
    model: str = typer.Option(None, "--model", help="Candidate's model: a local model's name, or any model of "
                              "the CF_LLM_BASE_URL endpoint. Default: the configured model."),
    baseline_model: str = typer.Option(None, "--baseline-model", help="Baseline's model (as --model)."),
    limit: int = typer.Option(None, "--limit", min=1, help="Only the first N cases."),
    resume: str = typer.Option(None, "--resume", help="Continue this run id, skipping stored cases."),
    price: float = typer.Option(0.0, "--price-per-1k", envvar="CF_EVAL_PRICE_PER_1K", help="Cost per 1k tokens."),
    judge_url: str = typer.Option(None, "--judge-url", help="OpenAI-compatible endpoint of an LLM judge (off)."),
    judge_model: str = typer.Option("judge", "--judge-model"),
    suites_dir: Path | None = SuitesDir, out: Path = OutDir,
) -> None:
    """Compare two prompt versions, two models, or both, over a suite with the real pipeline stages;
    exit 1 on regression."""
    deps = context.deps()
    models = model_builder(deps)  # a module attribute, so a test can put fakes behind the model names
    eval_run: EvalRun | None = None
    try:
        if resume:
            if model or baseline_model:
                raise InvalidInput("a resumed run keeps the models it started with; drop --model/--baseline-model")
            eval_run, loaded = runs.load_run(deps, resume)
        else:
            if not suite:
                raise InvalidInput("name a suite (or --resume a run)")
            path = suite_path(suite, _suites(suites_dir))
            loaded = load_suite(path)
            options = runs.RunOptions(limit=limit, price_per_1k=price, judge_url=judge_url, judge_model=judge_model,
                                      candidate_model=model, baseline_model=baseline_model)
            eval_run = runs.start_run(deps, loaded, path, candidate=prompt, baseline=baseline, options=options,
                                      models=models)
        judge = _judge(eval_run, loaded.brand)
        typer.echo(f"run {eval_run.id}: {_side(eval_run, 'candidate')} vs {_side(eval_run, 'baseline')} "
                   f"on {loaded.name}", err=True)
        finished = _execute_with_progress(deps, eval_run, loaded, judge, models)
        folder = report.write_report(deps.engine, eval_run.id, out)
    except KeyboardInterrupt:
        if eval_run is not None:
            typer.secho(f"interrupted; resume with: factory eval run --resume {eval_run.id}", err=True)
        raise typer.Exit(130) from None
    except FactoryError as exc:
        raise context.fail(exc) from exc
    regressed = finished.summary.get("regressions", [])
    typer.secho(("REGRESSION: " + ", ".join(regressed)) if regressed else "no regression past the thresholds",
                fg=typer.colors.RED if regressed else typer.colors.GREEN, err=True)
    typer.echo(str(folder / "report.html"))
    raise typer.Exit(1 if regressed else 0)


def _side(eval_run: EvalRun, side: str) -> str:
    ref = eval_run.prompt_ref if side == "candidate" else eval_run.baseline_ref
    name = runs.side_model(eval_run, side)
    return ref if name is None else f"{ref} on {name}"


def _execute_with_progress(
    deps: Deps, eval_run: EvalRun, suite: EvalSuite, judge: Judge | None, models: ModelBuilder,
) -> EvalRun:
    todo = runs.pending(deps, eval_run, suite)
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn()]
    # A case side takes tens of seconds: estimate the rate over the last hour, not rich's default 30 s.
    with Progress(*columns, console=Console(stderr=True), speed_estimate_period=3600) as progress:
        task = progress.add_task("cases x sides", total=len(todo))
        return runs.execute(deps, eval_run, suite, judge=judge, models=models,
                            on_done=lambda case_id, side: progress.update(task, advance=1,
                                                                            description=f"{case_id} ({side})"))


def _judge(eval_run: EvalRun, brand: str) -> Judge | None:
    url = eval_run.config.get("judge_url")
    if not url:
        return None
    return judge_from_url(url, model=eval_run.config.get("judge_model") or "judge", brand_name=brand)


@evals.command("report")
def report_cmd(run_id: str, out: Path = OutDir) -> None:
    """(Re)write a run's report from its stored results; prints the HTML path."""
    try:
        folder = report.write_report(context.deps().engine, run_id, out)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(str(folder / "report.html"))


@evals.command("add-case")
def add_case(
    from_variant: str = typer.Option(..., "--from-variant", help="A rejected or sent-back variant's id."),
    suite: str = typer.Option(..., "--suite"), actor: str = typer.Option("system:cli", "--as"),
    suites_dir: Path | None = SuitesDir,
) -> None:
    """Turn a reviewer's rejection or change request into a regression case of a suite."""
    deps = context.deps()
    try:
        with session_scope(deps.engine) as session:
            case = add_case_from_variant(session, variant_id=from_variant,
                                         suite_path=suite_path(suite, _suites(suites_dir)), actor=actor,
                                         kb_dir=deps.settings.brand_kb_dir)
    except FactoryError as exc:
        raise context.fail(exc) from exc
    typer.echo(f"added case {case.id} (must_not_mention: {case.expect.must_not_mention})")


@evals.command("list")
def list_runs(limit: int = 20, suites_dir: Path | None = SuitesDir) -> None:
    """Recent runs, and the suites available."""
    with Session(context.deps().engine) as session:
        rows = session.exec(select(EvalRun).order_by(col(EvalRun.started_at).desc()).limit(limit)).all()
    table = Table("run", "suite", "candidate", "baseline", "status", "started", "regressions")
    for r in rows:
        table.add_row(r.id, r.suite, _side(r, "candidate"), _side(r, "baseline"), r.status,
                      f"{r.started_at:%Y-%m-%d %H:%M}", ", ".join(r.summary.get("regressions", [])) or "-")
    console = Console(width=140)
    console.print(table)
    suites = Table("suite", "brand", "cases", "file")
    for path in sorted(_suites(suites_dir).glob("*.yaml")):
        try:
            loaded = load_suite(path)
            suites.add_row(loaded.name, loaded.brand, str(len(loaded.cases)), str(path))
        except FactoryError as exc:
            suites.add_row(path.stem, "INVALID", "-", exc.message[:80])
    console.print(suites)


GUARDRAILS_MD = PROJECT_ROOT / "GUARDRAILS.md"
_START, _END = "<!-- measured:start -->", "<!-- measured:end -->"
_DE_START, _DE_END = "<!-- measured-de:start -->", "<!-- measured-de:end -->"


@evals.command("guardrails")
def guardrails_cmd(
    datasets: Path = typer.Option(PROJECT_ROOT.parent / "shared" / "datasets", "--datasets",
                                  envvar="CF_DATASETS_DIR", help="The third-party data (see its SOURCES.md)."),
    write: Path = typer.Option(None, "--write", help="Replace the measured table in this Markdown file."),
    german_only: bool = typer.Option(False, "--german-only", help="Measure (and write) only the German table."),
) -> None:
    """Measure every guardrail on third-party data and its latency, and on the German data; print the tables
    (and write them, each between its own markers)."""
    from app.brand import load_brand
    from app.evaluation.german_report import german_measure
    from app.evaluation.guardrail_report import measure, render_markdown

    if not datasets.is_dir():
        raise typer.BadParameter(f"{datasets} is not a folder: point --datasets at the shared datasets")
    err = Console(stderr=True)
    settings = context.settings()
    parts = []
    if not german_only:
        parts.append(((_START, _END), "Guardrails, measured",
                      measure(datasets, settings, progress=lambda step: err.print(f"measuring {step}…"))))
    err.print("measuring German…")
    parts.append(((_DE_START, _DE_END), "Guardrails in German, measured",
                  german_measure(datasets, load_brand(settings.brand_kb_dir, "fernhill"))))
    for markers, title, rows in parts:
        table = Table("area", "measure", "data", "n", "figure", "aim", title=title)
        for r in rows:
            table.add_row(r.area, r.measure, r.data, str(r.n), r.figure, r.aim)
        Console().print(table)
        if write is not None:
            _replace_section(write, render_markdown(rows, datasets_dir=datasets), markers)
            err.print(f"wrote {title.lower()} to {write}")


def _replace_section(path: Path, section: str, markers: tuple[str, str] = (_START, _END)) -> None:
    """Put ``section`` between the ``markers`` of ``path`` (appended, with markers, if absent)."""
    start, end = markers
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{start}\n{section}{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text + ("\n" if text else "") + block + "\n"
    path.write_text(text, encoding="utf-8")


def _suites(given: Path | None) -> Path:
    return given or context.settings().eval_suites_dir
