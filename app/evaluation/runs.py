"""Eval runs: compare a candidate (prompt version, model) with a baseline over a suite, case by case.

``start_run`` resolves both refs (``draft@candidate``, ``draft@production``) to numbered versions,
pins them for every pipeline stage with their file hashes, records each side's model
(:mod:`app.evaluation.eval_models`: name, and the file's SHA-256 when local) in ``config["models"]``,
and stores an :class:`EvalRun` with the chosen case ids and each case's content hash. The sides may
differ by prompt, by model or both; the same prompt on two models is a model comparison.
``execute`` generates every (case, side) that has no stored result yet with the real stage functions
(:mod:`app.evaluation.eval_generation`) on that side's model, scores it
(:mod:`app.evaluation.eval_scoring`) and commits it at once, so an interrupted run loses at most the
case in flight; ``load_run`` + ``execute`` resumes it, refusing when a pinned prompt, a case or a
side's model changed since. ``finish`` stores the summary (:mod:`app.evaluation.stats`): metric means,
deltas, intervals, and the metrics that regressed past the suite's thresholds.

Order: with one model, case by case (candidate, then baseline); with two, every candidate case first,
then the candidate's local server is stopped and every baseline case runs, so two local models never
share the machine. Sides with identical pins and model would generate identical copy (fixed seeds), so
the baseline then reuses the candidate's result; ideas are shared between sides when only the draft
prompt differs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.brand import load_brand
from app.db import session_scope
from app.errors import FactoryError, InvalidInput, NotFound, PromptError
from app.evaluation.eval_generation import Generation, generate_case
from app.evaluation.eval_judge import Judge
from app.evaluation.eval_models import (
    ModelBuilder,
    SideModels,
    configured_model,
    describe,
    model_builder,
    model_record,
    same_model,
)
from app.evaluation.eval_scoring import score_generation
from app.evaluation.eval_suite import EvalCase, EvalSuite, load_suite
from app.evaluation.models import SIDES, EvalCaseResult, EvalRun
from app.evaluation.scorers import claim_extractor
from app.evaluation.stats import regressions, summarize
from app.pipeline.deps import Deps
from app.pipeline.runner import DEFAULT_PROMPTS, LANGUAGE_PROMPTS, prompts_for
from app.pipeline.stages import IdeationOutcome
from app.retrieval.spaces import require_ingested
from app.schemas import BriefCreate

OnDone = Callable[[str, str], None]
TRANSIENT_ATTEMPTS = 3
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOptions:
    limit: int | None = None
    price_per_1k: float = 0.0
    judge_url: str | None = None
    judge_model: str | None = None
    candidate_model: str | None = None  # None: the factory's configured model
    baseline_model: str | None = None


def start_run(
    deps: Deps, suite: EvalSuite, path: Path, *, candidate: str, baseline: str, options: RunOptions,
    models: ModelBuilder | None = None,
) -> EvalRun:
    """Validate, pin and store a new run (nothing is generated yet). ``models`` builds a side's LLM
    from its model name (default :func:`~app.evaluation.eval_models.model_builder`); InvalidInput for
    an unknown local model."""
    language = suite.language or load_brand(deps.settings.brand_kb_dir, suite.brand).default_language
    cand = deps.prompts.resolve(localised_ref(candidate, language))
    base = deps.prompts.resolve(localised_ref(baseline, language))
    if cand.name != base.name:
        raise InvalidInput(f"compare two versions of one prompt, not {cand.ref} and {base.ref}")
    stage = stage_of(cand.name)
    require_ingested(deps.store, deps.settings.qdrant_collection, suite.brand)
    production = {s: deps.prompts.resolve(ref).ref for s, ref in prompts_for(language).items()}
    pins = {"candidate": {**production, stage: cand.ref}, "baseline": {**production, stage: base.ref}}
    cases = suite.cases[: options.limit] if options.limit else suite.cases
    default = configured_model(deps.settings)
    names = {"candidate": options.candidate_model or default, "baseline": options.baseline_model or default}
    build = models or model_builder(deps)
    records = {side: model_record(name, build(name)) for side, name in names.items()}
    config = {
        "pins": pins, "hashes": {ref: deps.prompts.resolve(ref).content_hash for p in pins.values()
                                 for ref in p.values()},
        "case_ids": [c.id for c in cases], "case_hashes": {c.id: case_hash(c) for c in cases},
        "thresholds": dict(suite.thresholds), "brand": suite.brand, "limit": options.limit,
        "price_per_1k": options.price_per_1k, "judge_url": options.judge_url, "judge_model": options.judge_model,
        "models": records,
    }
    run = EvalRun(suite=suite.name, suite_path=str(path.resolve()), prompt_ref=cand.ref, prompt_hash=cand.content_hash,
                  prompt_label=candidate, baseline_ref=base.ref, baseline_hash=base.content_hash,
                  baseline_label=baseline, model=names["candidate"][:128], config=config)
    with session_scope(deps.engine) as session:
        session.add(run)
    return run


def load_run(deps: Deps, run_id: str) -> tuple[EvalRun, EvalSuite]:
    """A stored run and its suite, checked to be resumable: same prompt files, same cases."""
    with Session(deps.engine) as session:
        run = session.get(EvalRun, run_id)
    if run is None:
        raise NotFound(f"no eval run {run_id!r}; `factory eval list` shows the runs")
    suite = load_suite(Path(run.suite_path))
    for ref, expected in run.config["hashes"].items():
        name, _, version = ref.partition("@")
        if deps.prompts.load(name, int(version)).content_hash != expected:
            raise PromptError(f"run {run_id}: {ref} changed since the run started; start a new run")
    for case_id, expected in run.config["case_hashes"].items():
        if case_hash(suite.case(case_id)) != expected:
            raise InvalidInput(f"run {run_id}: case {case_id} changed since the run started; start a new run")
    return run, suite


def pending(deps: Deps, run: EvalRun, suite: EvalSuite) -> list[tuple[EvalCase, str]]:
    """(case, side) pairs without a stored result: candidate before baseline for each case, or, when
    the sides run different models, every candidate case before every baseline case."""
    done = set(stored(deps, run.id))
    ids = run.config["case_ids"]
    if side_model(run, "candidate") == side_model(run, "baseline"):
        order = [(cid, side) for cid in ids for side in SIDES]
    else:
        order = [(cid, side) for side in SIDES for cid in ids]
    return [(suite.case(cid), side) for cid, side in order if (cid, side) not in done]


def side_model(run: EvalRun, side: str) -> str | None:
    """The model name a side runs; None for runs stored before sides had models (the factory's LLM)."""
    record = run.config.get("models", {}).get(side)
    return None if record is None else str(record["name"])


def execute(
    deps: Deps, run: EvalRun, suite: EvalSuite, *, judge: Judge | None = None, on_done: OnDone | None = None,
    models: ModelBuilder | None = None,
) -> EvalRun:
    """Generate and score every pending (case, side) on its side's model, then finish the run.
    Ctrl-C marks it interrupted. InvalidInput before anything is generated on a side whose model is not
    the one the run recorded (a resumed run must not mix models)."""
    todo = pending(deps, run, suite)
    if todo:
        _update(deps, run.id, status="running")
    extractor = claim_extractor()
    ideas_cache: dict[tuple[str, str, str | None], IdeationOutcome] = {}
    side_models = SideModels(models or model_builder(deps))
    try:
        for case, side in todo:
            side_deps = _deps_for_side(deps, run, side, side_models)
            _run_one(side_deps, run, suite, case, side, ideas_cache, judge=judge, extractor=extractor)
            if on_done:
                on_done(case.id, side)
    except KeyboardInterrupt:
        _update(deps, run.id, status="interrupted")
        raise
    except Exception as exc:
        _update(deps, run.id, status="failed", error=f"{type(exc).__name__}: {exc}")
        raise
    finally:
        side_models.close()
    return finish(deps, run.id)


def _deps_for_side(deps: Deps, run: EvalRun, side: str, side_models: SideModels) -> Deps:
    """``deps`` with the side's model as its LLM, checked against the model the run recorded."""
    name = side_model(run, side)
    if name is None:
        return deps
    llm = side_models.activate(name)
    recorded = run.config["models"][side]
    now = model_record(name, llm)
    if not same_model(recorded, now):
        raise InvalidInput(f"run {run.id}: the {side} model is now {describe(now)}, not {describe(recorded)} "
                           "as when the run started; start a new run")
    return replace(deps, llm_factory=lambda: llm, _llm=llm)


def finish(deps: Deps, run_id: str) -> EvalRun:
    """Compute and store the run's summary; the run is finished when every case side is stored."""
    with session_scope(deps.engine) as session:
        run = session.get(EvalRun, run_id) or _missing(run_id)
        sides = results_by_side(session, run_id)
        summaries = summarize(sides["candidate"], sides["baseline"], run.config.get("thresholds", {}))
        complete = all(len(sides[s]) == len(run.config["case_ids"]) for s in SIDES)
        run.summary = {"metrics": [s.as_dict() for s in summaries],
                       "regressions": [s.metric for s in regressions(summaries)],
                       "cases": len(run.config["case_ids"]), "complete": complete}
        run.status = "finished" if complete else run.status
        run.finished_at = datetime.now(UTC) if complete else None
        session.add(run)
    return run


def results_by_side(session: Session, run_id: str) -> dict[str, dict[str, dict[str, float | None]]]:
    """``{side: {case_id: metrics}}`` from the stored results."""
    rows = session.exec(select(EvalCaseResult).where(EvalCaseResult.run_id == run_id)
                        .order_by(col(EvalCaseResult.id))).all()
    sides: dict[str, dict[str, dict[str, float | None]]] = {side: {} for side in SIDES}
    for row in rows:
        sides[row.side][row.case_id] = dict(row.metrics)
    return sides


def stored(deps: Deps, run_id: str) -> list[tuple[str, str]]:
    with Session(deps.engine) as session:
        rows = session.exec(select(EvalCaseResult.case_id, EvalCaseResult.side)
                            .where(EvalCaseResult.run_id == run_id)).all()
    return [(case_id, side) for case_id, side in rows]


def localised_ref(ref: str, language: str) -> str:
    """``ref`` for briefs in ``language``: a stage's English prompt becomes that language's (``draft@candidate``
    -> ``draft_de@candidate`` for German); a reference to another prompt is kept."""
    name, at, selector = ref.partition("@")
    if name in DEFAULT_PROMPTS and language in LANGUAGE_PROMPTS:
        return LANGUAGE_PROMPTS[language][name].partition("@")[0] + at + selector
    return ref


def stage_of(prompt_name: str) -> str:
    """The pipeline stage a prompt serves (``draft`` and ``draft_de`` -> ``draft``); InvalidInput for others."""
    for prompts in (DEFAULT_PROMPTS, *LANGUAGE_PROMPTS.values()):
        for stage, ref in prompts.items():
            if ref.partition("@")[0] == prompt_name:
                return stage
    raise InvalidInput(f"prompt {prompt_name!r} is not used by a pipeline stage ({sorted(DEFAULT_PROMPTS)})")


def case_hash(case: EvalCase) -> str:
    return hashlib.sha256(json.dumps(case.model_dump(), sort_keys=True).encode()).hexdigest()


def _run_one(
    deps: Deps, run: EvalRun, suite: EvalSuite, case: EvalCase, side: str,
    ideas_cache: dict[tuple[str, str, str | None], IdeationOutcome], *, judge: Judge | None, extractor: Any,
) -> None:
    pins: dict[str, str] = run.config["pins"][side]
    reused = _reusable(deps, run, case.id, side)
    if reused is not None:
        output, metrics = reused
    else:
        started = time.perf_counter()
        key = (case.id, pins["ideas"], side_model(run, side))
        brief_in = case.brief_for(suite.brand, suite.language)
        gen, ideation = _generate_retrying(deps, brief_in, pins, ideas_cache.get(key))
        if ideation is not None:
            ideas_cache[key] = ideation
        output, metrics = score_generation(gen, case, deps, price_per_1k=float(run.config["price_per_1k"]),
                                           judge=judge, extractor=extractor)
        output["wall_ms"] = (time.perf_counter() - started) * 1000
        output["model"] = side_model(run, side) or deps.llm.model_name
    try:
        with session_scope(deps.engine) as session:
            session.add(EvalCaseResult(run_id=run.id, case_id=case.id, side=side, output=output, metrics=metrics))
    except IntegrityError:
        pass  # another process resumed the same run and stored this case side first


def _generate_retrying(
    deps: Deps, brief_in: BriefCreate, pins: dict[str, str], ideation: IdeationOutcome | None,
) -> tuple[Generation, IdeationOutcome | None]:
    """generate_case, retried with backoff on transient faults (a busy or restarting LLM endpoint), as the
    workers retry; the last failure propagates and the run can be resumed."""
    for attempt in range(TRANSIENT_ATTEMPTS):
        try:
            return generate_case(deps, brief_in, pins, ideation=ideation)
        except FactoryError as exc:
            if not exc.transient or attempt == TRANSIENT_ATTEMPTS - 1:
                raise
            log.warning("transient fault, retrying the case in %.0f s: %s", 2.0 * 2**attempt, exc)
            time.sleep(2.0 * 2**attempt)
    raise AssertionError("unreachable")


def _reusable(deps: Deps, run: EvalRun, case_id: str, side: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    pins = run.config["pins"]
    if side != "baseline" or pins["candidate"] != pins["baseline"]:
        return None
    if side_model(run, "candidate") != side_model(run, "baseline"):
        return None
    with Session(deps.engine) as session:
        row = session.exec(select(EvalCaseResult).where(
            EvalCaseResult.run_id == run.id, EvalCaseResult.case_id == case_id,
            EvalCaseResult.side == "candidate")).first()
    return ({**row.output, "reused_from": "candidate"}, dict(row.metrics)) if row else None


def _update(deps: Deps, run_id: str, **fields: Any) -> None:
    with session_scope(deps.engine) as session:
        run = session.get(EvalRun, run_id) or _missing(run_id)
        for name, value in fields.items():
            setattr(run, name, value)
        session.add(run)


def _missing(run_id: str) -> NoReturn:
    raise NotFound(f"no eval run {run_id!r}")
