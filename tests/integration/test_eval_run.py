"""``factory eval run`` end to end: the real stage functions, the real embedder, Qdrant local mode, SQLite,
and (first test) the real local model, SmolLM2-135M (fast); the report's numbers are recomputed from the
database. Model comparisons put scripted models behind the model names (the CLI's ``model_builder``).

The brand KB is a copy of the demo brand with ``reask_max_attempts: 0`` and the settings draft one
candidate per variant slot: every draft is one LLM call, which keeps the real-model run within its time
budget (the re-ask loop and best-of-N drafting have their own tests).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import context
from app.cli import evals as evals_cli
from app.cli.main import cli
from app.db import upgrade
from app.evaluation.models import EvalCaseResult, EvalRun
from app.evaluation.stats import paired
from app.llm.base import Completion
from app.llm.local_server import LocalLLM
from app.pipeline.deps import Deps
from app.pipeline.knowledge import ingest_brand
from app.retrieval.embedder import Embedder
from app.settings import PROJECT_ROOT, Settings
from app.wiring import build_deps
from tests.fakes import FakeLLM, RecordingEnqueue

pytestmark = pytest.mark.integration

SUITE = """name: smoke
brand: fernhill
thresholds:
  expectation_pass_rate: -0.05
  expect.must_not_mention: -0.05
cases:
  - id: gr-tip
    brief: {product: green-ridge, channels: [x], n_ideas: 1, n_variants: 2, audience: sencha drinkers,
            goal: a brewing tip, key_message: brew Green Ridge at 70-75 °C for 1-1.5 minutes}
    expect: {must_mention: [Green Ridge], must_not_mention: [best, detox, immunity], max_length: 280,
             tone: [no exclamation marks]}
  - id: me-tip
    brief: {product: morning-ember, channels: [x], n_ideas: 1, n_variants: 2, audience: breakfast tea drinkers,
            goal: a brewing tip, key_message: steep Morning Ember for 3-4 minutes}
    expect: {must_not_mention: [best, detox, boosts energy], max_length: 280}
  - id: not-run
    brief: {channels: [x], n_ideas: 1, n_variants: 2, audience: everyone, goal: never generated,
            key_message: this case is past the limit}
"""
CLEAN = {"headline": "Brew Green Ridge cooler", "body": "Water at 70-75 °C keeps Green Ridge smooth. Steep it for "
         "90 seconds.", "cta": "Try Green Ridge"}
HYPE = {"headline": "The best tea in the world!", "body": "A detox miracle that boosts immunity and helps you "
        "sleep, rated number one by 50,000 experts!", "cta": "Buy now!"}
TEMPLATE = {"headline": "[Title]", "body": "Detailed Description: [Body]", "cta": "List of CTAs"}


class SuperlativeCandidateLLM(FakeLLM):
    """Scripted to write superlative, health-claim copy through the worse draft@2 and clean copy
    otherwise: the tiny real model does not write reliably worse copy when asked, and the pipeline's
    own fixes hide part of what it does, so the gate's exit code is tested on copy we control."""

    def complete(self, messages: list[dict[str, str]], *, params: dict[str, Any],
                 json_schema: dict[str, Any] | None) -> Completion:
        if json_schema and "ideas" in json_schema.get("properties", {}):
            self.enqueue({"ideas": [{"title": "Cooler water", "angle": "Sencha is sweeter below boiling."}]})
        else:
            self.enqueue(HYPE if "hype copywriter" in messages[0]["content"] else CLEAN)
        return super().complete(messages, params=params, json_schema=json_schema)


class TemplateModelLLM(SuperlativeCandidateLLM):
    """A model that answers every draft prompt with an unfilled template, the way SmolLM2 sometimes does."""

    model_name = "template-model"

    def complete(self, messages: list[dict[str, str]], *, params: dict[str, Any],
                 json_schema: dict[str, Any] | None) -> Completion:
        if not (json_schema and "ideas" in json_schema.get("properties", {})):
            self.enqueue(TEMPLATE)
            return FakeLLM.complete(self, messages, params=params, json_schema=json_schema)
        return super().complete(messages, params=params, json_schema=json_schema)


@pytest.fixture(scope="module")
def kb_settings(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Settings:
    """The demo brand, without re-asks, ingested once for this module."""
    root = tmp_path_factory.mktemp("eval")
    kb = root / "brand_kb"
    shutil.copytree(PROJECT_ROOT / "brand_kb" / "fernhill", kb / "fernhill")
    policy = kb / "fernhill" / "policy.yaml"
    text = policy.read_text() if policy.exists() else ""
    policy.write_text(re.sub(r"(?m)^reask_max_attempts:.*$", "", text) + "\nreask_max_attempts: 0\n")
    # SmolLM2-135M: this module needs a real model, not good copy, and the small one keeps CI fast.
    settings = Settings(_env_file=None, data_dir=root / "var", brand_kb_dir=kb, llm_timeout_s=300,  # type: ignore[call-arg]
                        llm_local_model="smollm2-135m-instruct", draft_candidates=1)
    deps = build_deps(settings, enqueue=RecordingEnqueue(), embedder=embedder)
    upgrade(deps.engine)
    ingest_brand(deps, kb / "fernhill", brand="fernhill")
    (root / "smoke.yaml").write_text(SUITE)
    return settings


@pytest.fixture
def cli_deps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Deps]]:
    """The CLI uses the deps a test puts here (its own LLM) instead of building them from the environment."""
    holder: list[Deps] = []
    monkeypatch.setattr(context, "deps", lambda: holder[0])
    yield holder
    for deps in holder:
        if isinstance(deps._llm, LocalLLM):
            deps._llm.server.stop()
        deps.engine.dispose()


def _run(suite: Path, out: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["eval", "run", str(suite), "--out", str(out), *args])


# Ten SmolLM2 calls: a few minutes alone, 12 min measured on 2 cores shared with two Qwen processes.
@pytest.mark.timeout(1800)
def test_a_real_model_run_reports_numbers_recomputed_from_the_database(
    kb_settings: Settings, embedder: Embedder, cli_deps: list[Deps], tmp_path: Path,
):
    deps = build_deps(kb_settings, enqueue=RecordingEnqueue(), embedder=embedder)  # the real local model
    cli_deps.append(deps)
    result = _run(kb_settings.data_dir.parent / "smoke.yaml", tmp_path, "--prompt", "draft@experiment",
                  "--baseline", "draft@production", "--limit", "2")
    assert result.exit_code in (0, 1), result.output
    report_html = Path(result.stdout.strip().splitlines()[-1])
    folder = report_html.parent
    with Session(deps.engine) as session:
        run = session.get(EvalRun, folder.name)
        rows = session.exec(select(EvalCaseResult).where(EvalCaseResult.run_id == folder.name)).all()
    assert run is not None and run.status == "finished" and run.model == "smollm2-135m-instruct"
    assert isinstance(deps.llm, LocalLLM)
    model_file = Path(deps.llm.server.model_path).resolve()
    for side in ("candidate", "baseline"):
        recorded = run.config["models"][side]
        assert (recorded["name"], recorded["backend"], recorded["path"]) == (
            "smollm2-135m-instruct", "local", str(model_file))
        assert recorded["sha256"] == hashlib.sha256(model_file.read_bytes()).hexdigest() and recorded["pinned"]
    assert (run.prompt_ref, run.baseline_ref) == ("draft@2", f"draft@{deps.prompts.labels('draft')['production']}")
    assert sorted((r.case_id, r.side) for r in rows) == [("gr-tip", "baseline"), ("gr-tip", "candidate"),
                                                         ("me-tip", "baseline"), ("me-tip", "candidate")]
    for row in rows:
        assert row.output["variants"] or row.output["errors"]
        assert all(c["model"] == "smollm2-135m-instruct" and c["completion_tokens"] > 0
                   for c in row.output["calls"])

    sides: dict[str, dict[str, dict[str, Any]]] = {"candidate": {}, "baseline": {}}
    for row in rows:
        sides[row.side][row.case_id] = row.metrics
    markdown = (folder / "report.md").read_text()
    assert f"on model `smollm2-135m-instruct (local GGUF {model_file.name}, sha256 " \
           f"{run.config['models']['candidate']['sha256'][:12]}, matches its pin)`" in markdown
    table = _summary_table(markdown)
    assert {"guardrail_pass_rate", "expectation_pass_rate", "grounding", "diversity", "latency_ms",
            "tokens", "key_message_similarity"} <= set(table)
    # The table prints three decimals: half a unit in the last place, plus float error at exact halves
    # (0.4375 prints as 0.438).
    printed = 5e-4 + 1e-9
    for metric, (baseline, candidate, delta, regressed) in table.items():
        cand, base = paired(metric, sides["candidate"], sides["baseline"])
        assert baseline == pytest.approx(sum(base) / len(base), abs=printed), metric
        assert candidate == pytest.approx(sum(cand) / len(cand), abs=printed), metric
        assert delta == pytest.approx(sum(cand) / len(cand) - sum(base) / len(base), abs=1e-3), metric
        assert regressed == (metric in run.summary["regressions"])
    assert result.exit_code == (1 if run.summary["regressions"] else 0)
    html = report_html.read_text()
    for chart in ("chart-rates.png", "chart-deltas.png"):
        assert f'src="{chart}"' in html and (folder / chart).stat().st_size > 1000


def test_a_worse_candidate_fails_the_gate_and_an_identical_one_passes(
    kb_settings: Settings, embedder: Embedder, cli_deps: list[Deps], tmp_path: Path,
):
    llm = SuperlativeCandidateLLM()
    cli_deps.append(build_deps(kb_settings, enqueue=RecordingEnqueue(), embedder=embedder,
                               llm_factory=lambda: llm))
    suite = kb_settings.data_dir.parent / "smoke.yaml"

    worse = _run(suite, tmp_path, "--prompt", "draft@experiment", "--baseline", "draft@production", "--limit", "2")
    assert worse.exit_code == 1, worse.output
    assert "REGRESSION" in worse.output and "expectation_pass_rate" in worse.output
    assert "**FAIL" in (Path(worse.stdout.strip().splitlines()[-1]).parent / "report.md").read_text()

    same = _run(suite, tmp_path, "--prompt", "draft@production", "--baseline", "draft@production", "--limit", "2")
    assert same.exit_code == 0, same.output
    assert "no regression" in same.output


def test_a_model_comparison_stores_and_reports_both_models_and_gates_on_the_worse_one(
    kb_settings: Settings, embedder: Embedder, cli_deps: list[Deps], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    llms: dict[str, FakeLLM] = {"clean-model": SuperlativeCandidateLLM(), "template-model": TemplateModelLLM()}
    llms["clean-model"].model_name = "clean-model"
    monkeypatch.setattr(evals_cli, "model_builder", lambda deps: llms.__getitem__)
    deps = build_deps(kb_settings, enqueue=RecordingEnqueue(), embedder=embedder)
    cli_deps.append(deps)
    suite = kb_settings.data_dir.parent / "smoke.yaml"
    same_prompt = ("--prompt", "draft@production", "--baseline", "draft@production", "--limit", "2")

    worse = _run(suite, tmp_path, *same_prompt, "--model", "template-model", "--baseline-model", "clean-model")
    assert worse.exit_code == 1, worse.output
    ref = f"draft@{deps.prompts.labels('draft')['production']}"
    assert f"{ref} on template-model vs {ref} on clean-model" in worse.output
    folder = Path(worse.stdout.strip().splitlines()[-1]).parent
    with Session(deps.engine) as session:
        run = session.get(EvalRun, folder.name)
    assert run is not None and run.model == "template-model"
    assert {side: m["name"] for side, m in run.config["models"].items()} == {
        "candidate": "template-model", "baseline": "clean-model"}
    markdown = (folder / "report.md").read_text()
    assert "on model `template-model (" in markdown and "on model `clean-model (" in markdown
    table = _summary_table(markdown)
    assert table["expectation_pass_rate"][3], "the template never names Green Ridge: a regression"
    assert table["key_message_similarity"][2] < 0, "the template is further from the key message"

    better = _run(suite, tmp_path, *same_prompt, "--model", "clean-model", "--baseline-model", "template-model")
    assert better.exit_code == 0, better.output
    resumed = _run(suite, tmp_path, "--resume", folder.name, "--model", "clean-model")
    assert resumed.exit_code == 2 and "keeps the models it started with" in resumed.output


def _summary_table(markdown: str) -> dict[str, tuple[float, float, float, bool]]:
    """metric -> (baseline, candidate, delta, regressed) from the report's summary table; ``n/a`` rows
    (a metric no case measured on both sides) are left out."""
    section = markdown.split("## Summary", 1)[1].split("## Cases", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines() if line.startswith("| ")]
    return {cells[0].strip(): (float(cells[3]), float(cells[4]), float(cells[5]), cells[8].strip() == "REGRESSION")
            for cells in rows[1:] if cells[3].strip() != "n/a"}
