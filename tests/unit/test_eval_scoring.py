"""Eval scoring, statistics, suites and runs: the pieces behind ``factory eval``, on a real database
and Qdrant local store, with a scripted LLM at the seam."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from app.db import session_scope
from app.errors import InvalidInput
from app.evaluation import report, runs
from app.evaluation.cases import add_case_from_variant, must_not_mention
from app.evaluation.eval_judge import Judge
from app.evaluation.eval_models import (
    SideModels,
    configured_model,
    describe,
    model_record,
    same_model,
    settings_for_model,
)
from app.evaluation.eval_suite import EvalCase, Expectations, append_case, load_suite
from app.evaluation.models import EvalCaseResult, EvalRun
from app.evaluation.scorers import (
    ClaimRef,
    case_metrics,
    claim_extractor,
    diversity,
    expectation_results,
    grounding,
    numbers_in,
    quality_outcome,
)
from app.evaluation.stats import bootstrap_ci, is_regression, summarize
from app.guardrails.base import CheckContext, CheckResult, Severity
from app.llm.base import Completion
from app.llm.local_server import LocalLlamaServer, LocalLLM
from app.llm.openai_compatible import OpenAICompatibleLLM
from app.models import AuditEntry, Brief, Idea, Variant
from app.pipeline import review
from app.pipeline.deps import Deps
from app.settings import PROJECT_ROOT, Settings
from tests.fakes import FakeLLM

CLEAN = {"headline": "Meet Green Ridge", "body": "A first-harvest sencha from Shizuoka. Brew it at 70-75 °C "
         "for a bright jade cup.", "cta": "Try Green Ridge"}
HYPE = {"headline": "The best tea in the world!", "body": "Green Ridge is a detox miracle that boosts immunity, "
        "rated 9.9 by 50,000 experts!", "cta": "Buy now!"}
TEMPLATE = {"headline": "[Title]", "body": "Detailed Description: [Body]", "cta": "List of CTAs"}
SUITE = """# a small suite for tests
name: tiny
brand: fernhill
thresholds:
  expectation_pass_rate: -0.05
  guardrail_pass_rate: -0.05
cases:
  - id: gr-one
    brief: {product: green-ridge, channels: [x], n_ideas: 1, n_variants: 2, audience: sencha drinkers,
            goal: a brewing tip, key_message: brew at 70-75 °C}
    expect: {must_mention: [Green Ridge], must_not_mention: [detox, best], tone: [no exclamation marks]}
  - id: gr-two
    brief: {product: green-ridge, channels: [x], n_ideas: 1, n_variants: 2, audience: tea drinkers,
            goal: a harvest note, key_message: first harvest sencha}
    expect: {must_not_mention: [immunity], max_length: 280}
"""


class ScriptedLLM(FakeLLM):
    """Ideas for the ideas prompt; hype from the deliberately worse draft@2, clean copy otherwise."""

    def complete(self, messages: list[dict[str, str]], *, params: dict[str, Any],
                 json_schema: dict[str, Any] | None) -> Completion:
        if json_schema and "ideas" in json_schema.get("properties", {}):
            self.enqueue({"ideas": [{"title": "Brew it cooler", "angle": "Sencha likes water below boiling."}]})
        else:
            self.enqueue(HYPE if "hype copywriter" in messages[0]["content"] else CLEAN)
        return super().complete(messages, params=params, json_schema=json_schema)


class ModelLLM(ScriptedLLM):
    """A named model that writes the same draft whatever the prompt."""

    def __init__(self, name: str, draft: dict[str, str], log: list[str]) -> None:
        super().__init__()
        self.model_name, self.draft, self.log = name, draft, log

    def complete(self, messages: list[dict[str, str]], *, params: dict[str, Any],
                 json_schema: dict[str, Any] | None) -> Completion:
        self.log.append(self.model_name)
        if json_schema and "ideas" in json_schema.get("properties", {}):
            return super().complete(messages, params=params, json_schema=json_schema)
        self.enqueue(self.draft)
        return FakeLLM.complete(self, messages, params=params, json_schema=json_schema)


class PlaceholderQuality:
    """Stands in for the quality check: every bracketed slot marker is a blocking placeholder finding."""

    name = "quality"

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        return [CheckResult(check="quality", rule="quality:placeholder:bracket", passed=False, severity=Severity.block,
                            spans=((m.start(), m.end()),), reason="template placeholder")
                for m in re.finditer(r"\[[^\]]+\]", text)]


class WithQualityCheck:
    """The brand's guardrail engine with :class:`PlaceholderQuality` as its quality check."""

    def __init__(self, engine: Any, check: Any = None) -> None:
        self._engine = engine
        self._check = check or PlaceholderQuality()

    def for_brand(self, slug: str) -> Any:
        guard = self._engine.for_brand(slug)
        return replace(guard, checks=[*(c for c in guard.checks if c.name != "quality"), self._check])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


def _hype_calls(llm: FakeLLM) -> int:
    return sum("hype copywriter" in h["messages"][0]["content"] for h in llm.history)


@pytest.fixture
def suite_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(SUITE)
    return path


def test_numbers_are_normalised_for_grounding():
    assert numbers_in("€16.00 a month, 2,316 reviews, 4.8 out of 5, 70-75 °C") == ["16", "2316", "4.8", "5", "70", "75"]


def test_grounding_is_the_share_of_numbers_found_in_the_sources():
    sources = ["Green Ridge 80 g pouch costs €14.90.", "Brew Green Ridge with water at 70-75 °C."]
    assert grounding("Green Ridge costs €14.90 and brews at 75 °C.", sources) == 1.0
    assert grounding("Green Ridge costs €9.99 and brews at 75 °C.", sources) == 0.5
    assert grounding("A bright jade cup.", sources) == 1.0, "no claims, nothing unsupported"


def test_grounding_with_extracted_claims_judges_wording_by_its_sentence():
    sources = ["Our tea pouches are certified home-compostable and meet the EN 13432 standard.",
               "Banned term: detox. Reason: health claim."]
    sentence_only = [ClaimRef(numbers=(), sentence="Our pouches are certified home-compostable")]
    assert grounding("x", sources, lambda _t: sentence_only) == 1.0
    detox = [ClaimRef(numbers=(), sentence="Green Ridge is a detox miracle for busy mornings")]
    assert grounding("x", sources, lambda _t: detox) == 0.0
    extractor = claim_extractor()
    if extractor is not None:  # the factory's own extractor, when present
        assert grounding("Green Ridge is the best detox tea, €9.99.", sources, extractor) == 0.0


def test_expectations_are_checked_per_variant():
    expect = Expectations(must_mention=["Green Ridge"], must_not_mention=["best", "detox"], max_length=60,
                          claims_must_stay_supported=True, tone=["no exclamation marks", "no all caps"])
    assert expectation_results("Green Ridge: bestow a calm cup.", expect, grounding_score=1.0,
                               claims_check_passed=True) == {
        "must_mention": True, "must_not_mention": True, "max_length": True, "claims_supported": True, "tone": True}
    bad = expectation_results("The BEST detox tea! " * 4, expect, grounding_score=0.5, claims_check_passed=True)
    assert bad == {"must_mention": False, "must_not_mention": False, "max_length": False,
                   "claims_supported": False, "tone": False}


def test_diversity_is_the_mean_pairwise_cosine_distance():
    assert diversity([[1.0, 0.0]]) is None
    assert diversity([[1.0, 0.0], [1.0, 0.0]]) == pytest.approx(0.0)
    assert diversity([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]) == pytest.approx(2 / 3)


def test_case_metrics_average_variants_and_total_calls():
    variant = {"text": "abcd", "checks": {"banned_terms": True, "claims": False}, "blocking": True,
               "expect": {"must_mention": True, "tone": False}, "grounding": 0.5, "reasks": 1, "auto_fixes": 0}
    clean = {**variant, "checks": {"banned_terms": True, "claims": True}, "blocking": False,
             "expect": {"must_mention": True, "tone": True}, "grounding": 1.0, "reasks": 0, "text": "ab"}
    calls = [{"prompt_tokens": 300, "completion_tokens": 100, "latency_ms": 10.0}] * 3
    m = case_metrics([variant, clean], expected=4, calls=calls, vectors=[[1.0, 0.0], [0.0, 1.0]], price_per_1k=2.0)
    assert m["structure_valid"] == 0.5 and m["guardrail_pass_rate"] == 0.5 and m["blocking_rate"] == 0.5
    assert m["check.claims"] == 0.5 and m["check.banned_terms"] == 1.0
    assert m["expectation_pass_rate"] == 0.75 and m["expect.tone"] == 0.5
    assert m["grounding"] == 0.75 and m["diversity"] == pytest.approx(1.0) and m["length_chars"] == 3
    assert m["tokens"] == 1200 and m["cost"] == pytest.approx(2.4) and m["latency_ms"] == 30 and m["reasks"] == 1


def test_a_draft_passes_quality_unless_a_quality_finding_blocks():
    warn = CheckResult(check="quality", rule="quality:meta_text:intro", passed=False, severity=Severity.warn)
    slot = CheckResult(check="quality", rule="quality:placeholder:bracket", passed=False, severity=Severity.block)
    off = CheckResult(check="quality", rule="quality:off_message", passed=False, severity=Severity.block)
    other = CheckResult(check="claims", rule="unsupported", passed=False, severity=Severity.block)
    assert quality_outcome([warn, other], present=True) == (True, False), "a warning or another check's block passes"
    assert quality_outcome([warn, slot], present=True) == (False, True)
    assert quality_outcome([off], present=True) == (False, False), "blocked, but not for a placeholder"
    assert quality_outcome([CheckResult(check="quality", rule="all", passed=True)], present=True) == (True, False)


def test_quality_metrics_are_not_a_pass_when_the_brand_runs_no_quality_check():
    assert quality_outcome([], present=False) == (None, None)
    variant = {"text": "ab", "checks": {"claims": True}, "blocking": False, "expect": {}, "grounding": 1.0,
               "reasks": 0, "auto_fixes": 0, "quality_passed": None, "placeholder": None,
               "key_message_similarity": 0.5}
    m = case_metrics([variant], expected=1, calls=[], vectors=[], price_per_1k=0.0)
    assert m["quality_pass_rate"] is None and m["placeholder_rate"] is None
    assert m["key_message_similarity"] == 0.5


def test_case_metrics_average_quality_placeholders_and_key_message_similarity():
    base = {"text": "ab", "checks": {}, "blocking": False, "expect": {}, "grounding": 1.0, "reasks": 0,
            "auto_fixes": 0}
    variants = [{**base, "quality_passed": True, "placeholder": False, "key_message_similarity": 0.8},
                {**base, "quality_passed": False, "placeholder": True, "key_message_similarity": 0.2},
                {**base, "quality_passed": False, "placeholder": False, "key_message_similarity": 0.5}]
    m = case_metrics(variants, expected=3, calls=[], vectors=[], price_per_1k=0.0)
    assert m["quality_pass_rate"] == pytest.approx(1 / 3) and m["placeholder_rate"] == pytest.approx(1 / 3)
    assert m["key_message_similarity"] == pytest.approx(0.5)


def test_a_local_model_must_be_one_the_factory_has_and_an_endpoint_takes_any_name(settings: Settings):
    with pytest.raises(InvalidInput, match="unknown local model 'gpt-9'"):
        settings_for_model(settings, "gpt-9")
    endpoint = settings.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1"})
    assert configured_model(settings_for_model(endpoint, "any/model:7b")) == "any/model:7b"


def test_a_local_model_is_recorded_by_its_file_hash_and_an_endpoint_by_its_url(tmp_path: Path):
    def local_llm(path: Path) -> LocalLLM:
        return LocalLLM(LocalLlamaServer(model_path=path, alias="smollm2-135m-instruct"), timeout_s=1)

    gguf = tmp_path / "own.gguf"
    gguf.write_bytes(b"not really a model")
    local = model_record("smollm2-135m-instruct", local_llm(gguf))
    assert (local["backend"], local["path"], local["size"]) == ("local", str(gguf.resolve()), 18)
    assert local["sha256"] == hashlib.sha256(b"not really a model").hexdigest()
    assert not local["pinned"] and describe(local).endswith("not the pinned file)"), "SmolLM2's pin is another hash"
    gguf.write_bytes(b"another file now")
    assert not same_model(local, model_record("smollm2-135m-instruct", local_llm(gguf)))
    url = "http://127.0.0.1:9/v1"
    endpoint = model_record("gpt-x", OpenAICompatibleLLM(base_url=url, model="gpt-x", api_key=None,
                                                          json_mode="json_schema", timeout_s=1))
    assert (endpoint["backend"], endpoint["base_url"], endpoint["sha256"]) == ("endpoint", url, None)
    assert describe(endpoint) == f"gpt-x (endpoint {url})"


def test_switching_models_releases_the_previous_one_first():
    events: list[str] = []
    models = SideModels(lambda name: FakeLLM(), release=lambda llm: events.append(f"release {id(llm)}"))
    big = models.activate("big")
    assert models.activate("big") is big and events == [], "the same model stays up"
    tiny = models.activate("tiny")
    assert events == [f"release {id(big)}"] and tiny is not big
    models.close()
    assert events[-1] == f"release {id(tiny)}"


def test_bootstrap_interval_is_reproducible_and_brackets_the_mean():
    values = [0.0, 1.0, 1.0, 0.5, 0.25, 1.0, 0.75]
    low, high = bootstrap_ci(values)
    assert (low, high) == bootstrap_ci(values), "fixed seed"
    assert low <= sum(values) / len(values) <= high
    assert bootstrap_ci([0.3]) == (0.3, 0.3)


def test_regression_follows_the_metric_direction():
    assert is_regression(-0.10, -0.05, 1) and not is_regression(-0.05, -0.05, 1)
    assert is_regression(600.0, 500.0, -1) and not is_regression(-900.0, 500.0, -1)
    assert is_regression(-30.0, 20.0, 0)


def test_summary_pairs_cases_and_flags_regressions():
    cand = {"a": {"grounding": 0.5, "diversity": None}, "b": {"grounding": 1.0, "diversity": 0.2}}
    base = {"a": {"grounding": 1.0, "diversity": 0.4}, "b": {"grounding": 1.0, "diversity": 0.2}}
    rows = {s.metric: s for s in summarize(cand, base, {"grounding": -0.1})}
    assert rows["grounding"].delta == pytest.approx(-0.25) and rows["grounding"].regressed
    assert rows["diversity"].n == 1, "a case without a value on one side is left out of the pair"


def test_suites_refuse_unknown_tones_metrics_and_duplicate_ids(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    for broken, message in [(SUITE.replace("no exclamation marks", "no shouting"), "unknown tone"),
                            (SUITE.replace("guardrail_pass_rate: -0.05", "vibes: -0.05"), "unknown metric"),
                            (SUITE.replace("id: gr-two", "id: gr-one"), "appears twice"),
                            (SUITE.replace("channels: [x]", "channels: [tiktok]", 1), "case gr-one: invalid brief")]:
        bad.write_text(broken)
        with pytest.raises(InvalidInput, match=message):
            load_suite(bad)


def test_the_shipped_suites_hold_at_least_forty_cases_with_adversarial_briefs():
    suites = [load_suite(p) for p in sorted((PROJECT_ROOT / "evals" / "suites").glob("*.yaml"))]
    cases = [c for s in suites for c in s.cases]
    assert len(suites) >= 3 and len(cases) >= 40
    texts = " ".join(json.dumps(c.brief) for c in cases)
    assert "Kettlewick Tea Company" in texts and "Ignore all previous instructions" in texts
    assert any("cures" in c.brief.get("key_message", "") for c in cases)
    assert all(s.thresholds for s in suites), "every suite can gate a prompt change"


def test_appending_a_case_keeps_the_file_comments(suite_file: Path):
    brief = {"channels": ["x"], "audience": "all", "goal": "a tip", "key_message": "hello there"}
    case = EvalCase(id="extra", brief=brief,
                    expect=Expectations(must_not_mention=["cheap"]), note="from a review")
    suite = append_case(suite_file, case)
    assert [c.id for c in suite.cases] == ["gr-one", "gr-two", "extra"]
    assert suite_file.read_text().startswith("# a small suite for tests")
    with pytest.raises(InvalidInput, match="already has a case"):
        append_case(suite_file, case)
    invalid = EvalCase(id="bad", brief={"channels": ["x"], "audience": "all", "goal": "a tip", "key_message": "hi"})
    with pytest.raises(InvalidInput, match="cannot join"):
        append_case(suite_file, invalid)
    assert len(load_suite(suite_file).cases) == 3


def test_must_not_mention_comes_from_the_reviewers_words():
    copy = "The best tea in the world\nA detox miracle with a cheap price tag.\nBuy now"
    comment = 'Remove "best tea in the world", never mention detox and avoid cheap. Also no emojis.'
    assert must_not_mention(comment, copy, ["detox", "cheap", "Fairtrade"]) == ["best tea in the world", "detox",
                                                                                "cheap"]


def test_a_rejected_variant_becomes_an_eval_case(ingested: Deps, suite_file: Path):
    with session_scope(ingested.engine) as session:
        brief = Brief(brand="fernhill", product="green-ridge", channels=["x"], audience="sencha drinkers",
                      goal="a tip", key_message="brew cooler", submitted_by="mia")
        idea = Idea(brief_id=brief.id, ordinal=1, title="t", angle="a")
        variant = Variant(brief_id=brief.id, idea_id=idea.id, channel="x", ordinal=1, headline=HYPE["headline"],
                          body=HYPE["body"], cta=HYPE["cta"], content_hash="h", prompt_ref="draft@2")
        session.add_all([brief, idea, variant])
    review.reject(ingested, variant_id=variant.id, actor="rob", reason='No "miracle" talk and remove the detox claim.')
    with session_scope(ingested.engine) as session:
        case = add_case_from_variant(session, variant_id=variant.id, suite_path=suite_file, actor="rob",
                                     kb_dir=ingested.settings.brand_kb_dir)
    stored = load_suite(suite_file).case(case.id)
    assert stored.brief["channels"] == ["x"] and stored.brief["key_message"] == "brew cooler"
    assert {"miracle", "detox"} <= set(stored.expect.must_not_mention)
    assert "rejected by rob" in stored.note and "remove the detox claim" in stored.note
    with Session(ingested.engine) as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "eval.case_added")).one().actor == "rob"


def test_an_interrupted_run_resumes_without_redoing_finished_cases(ingested: Deps, suite_file: Path):
    llm = ScriptedLLM()
    ingested.llm_factory = lambda: llm
    suite = load_suite(suite_file)
    run = runs.start_run(ingested, suite, suite_file, candidate="draft@experiment", baseline="draft@production",
                         options=runs.RunOptions())

    def stop_after_first(case_id: str, side: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        runs.execute(ingested, run, suite, on_done=stop_after_first)
    with Session(ingested.engine) as session:
        assert session.get(EvalRun, run.id).status == "interrupted"
    hype_before = _hype_calls(llm)

    resumed, suite = runs.load_run(ingested, run.id)
    assert [(c.id, side) for c, side in runs.pending(ingested, resumed, suite)] == [
        ("gr-one", "baseline"), ("gr-two", "candidate"), ("gr-two", "baseline")]
    finished = runs.execute(ingested, resumed, suite)
    assert finished.status == "finished" and finished.finished_at is not None
    with Session(ingested.engine) as session:
        rows = session.exec(select(EvalCaseResult).where(EvalCaseResult.run_id == run.id)).all()
    assert sorted((r.case_id, r.side) for r in rows) == [("gr-one", "baseline"), ("gr-one", "candidate"),
                                                         ("gr-two", "baseline"), ("gr-two", "candidate")]
    assert _hype_calls(llm) == 2 * hype_before, "gr-one's candidate side was not generated again"
    first = next(r for r in rows if (r.case_id, r.side) == ("gr-one", "candidate"))
    assert first.output["pins"] == {"ideas": "ideas@1", "draft": "draft@2"}
    assert "expectation_pass_rate" in finished.summary["regressions"]


def test_the_optional_judge_scores_copy_and_gives_none_when_its_answer_stays_malformed():
    judge_llm = FakeLLM().enqueue({"score": 2, "reason": "health claims"})
    judge = Judge(judge_llm, brand_name="Fernhill Tea Co.")
    brief = load_suite(PROJECT_ROOT / "evals" / "suites" / "core.yaml").cases[0].brief_for("fernhill")
    assert judge.score(brief, "The best tea in the world!") == 2.0
    prompt = judge_llm.history[0]["messages"]
    assert "<copy>The best tea in the world!</copy>" in prompt[1]["content"] and "Fernhill" in prompt[0]["content"]
    judge_llm.enqueue("not json", {"score": 9})
    assert judge.score(brief, "copy") is None


def _results(deps: Deps, run_id: str) -> dict[tuple[str, str], EvalCaseResult]:
    with Session(deps.engine) as session:
        rows = session.exec(select(EvalCaseResult).where(EvalCaseResult.run_id == run_id)).all()
    return {(r.case_id, r.side): r for r in rows}


def test_a_model_comparison_runs_each_side_on_its_model_and_reports_both(
    ingested: Deps, suite_file: Path, tmp_path: Path,
):
    ingested.guardrails = WithQualityCheck(ingested.guardrails)  # type: ignore[assignment]
    log: list[str] = []
    llms = {"big": ModelLLM("big", CLEAN, log), "tiny": ModelLLM("tiny", TEMPLATE, log)}
    suite = load_suite(suite_file)
    run = runs.start_run(ingested, suite, suite_file, candidate="draft@production", baseline="draft@production",
                         options=runs.RunOptions(candidate_model="big", baseline_model="tiny"), models=llms.__getitem__)
    assert {side: m["name"] for side, m in run.config["models"].items()} == {"candidate": "big", "baseline": "tiny"}
    assert run.config["pins"]["candidate"] == run.config["pins"]["baseline"], "the same prompt on two models"
    assert [(c.id, side) for c, side in runs.pending(ingested, run, suite)] == [
        ("gr-one", "candidate"), ("gr-two", "candidate"), ("gr-one", "baseline"), ("gr-two", "baseline")]

    finished = runs.execute(ingested, run, suite, models=llms.__getitem__)
    first_tiny = log.index("tiny")
    assert set(log[:first_tiny]) == {"big"} and set(log[first_tiny:]) == {"tiny"}, "one model at a time"
    results = _results(ingested, run.id)
    for (_case, side), row in results.items():
        assert "reused_from" not in row.output and row.output["model"] == ("big" if side == "candidate" else "tiny")
        assert {c["model"] for c in row.output["calls"]} == {row.output["model"]}, "ideas are not shared"
    summary = {m["metric"]: m for m in finished.summary["metrics"]}
    assert (summary["quality_pass_rate"]["candidate"], summary["quality_pass_rate"]["baseline"]) == (1.0, 0.0)
    assert (summary["placeholder_rate"]["candidate"], summary["placeholder_rate"]["baseline"]) == (0.0, 1.0)
    assert summary["key_message_similarity"]["delta"] > 0, "the template says nothing of the key message"
    assert tuple(summary["quality_pass_rate"]["delta_ci"]) == (1.0, 1.0), "both cases moved by +1"

    folder = report.write_report(ingested.engine, run.id, tmp_path / "runs")
    markdown = (folder / "report.md").read_text()
    assert "on model `big (ModelLLM, served as big)`" in markdown
    assert "on model `tiny (ModelLLM, served as tiny)`" in markdown
    rows = {line.split("|")[1].strip(): line for line in markdown.split("## Cases")[0].splitlines()
            if line.startswith("| ")}
    assert {"quality_pass_rate", "key_message_similarity", "placeholder_rate"} <= set(rows)
    assert json.loads((folder / "summary.json").read_text())["models"]["baseline"]["name"] == "tiny"


def test_without_a_quality_check_the_quality_rows_read_n_a(ingested: Deps, suite_file: Path, tmp_path: Path):
    class NoQuality(WithQualityCheck):
        def for_brand(self, slug: str) -> Any:
            guard = self._engine.for_brand(slug)
            return replace(guard, checks=[c for c in guard.checks if c.name != "quality"])

    ingested.guardrails = NoQuality(ingested.guardrails)  # type: ignore[assignment]
    ingested.llm_factory = ScriptedLLM
    suite = load_suite(suite_file)
    run = runs.start_run(ingested, suite, suite_file, candidate="draft@1", baseline="draft@production",
                         options=runs.RunOptions(limit=1))
    runs.execute(ingested, run, suite)
    markdown = (report.write_report(ingested.engine, run.id, tmp_path) / "report.md").read_text()
    assert "| quality_pass_rate | higher | 0 | n/a | n/a | n/a |" in markdown
    assert "| placeholder_rate | lower | 0 | n/a | n/a | n/a |" in markdown
    assert "need the brand's quality check" in markdown


def test_eval_checks_see_the_briefs_key_message_and_the_brands_language(ingested: Deps, suite_file: Path):
    seen: list[tuple[str | None, str | None]] = []

    class Recording(PlaceholderQuality):
        def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
            seen.append((ctx.key_message, ctx.language))
            return super().run(text, ctx)

    ingested.guardrails = WithQualityCheck(ingested.guardrails, Recording())  # type: ignore[assignment]
    ingested.llm_factory = ScriptedLLM
    suite = load_suite(suite_file)
    run = runs.start_run(ingested, suite, suite_file, candidate="draft@1", baseline="draft@production",
                         options=runs.RunOptions(limit=1))
    runs.execute(ingested, run, suite)
    assert seen and set(seen) == {("brew at 70-75 °C", "en")}


def test_a_resumed_run_refuses_a_side_whose_model_changed(ingested: Deps, suite_file: Path):
    def endpoint(url: str) -> Any:
        return lambda name: OpenAICompatibleLLM(base_url=url, model=name, api_key=None, json_mode="json_schema",
                                                timeout_s=1)

    suite = load_suite(suite_file)
    run = runs.start_run(ingested, suite, suite_file, candidate="draft@1", baseline="draft@production",
                         options=runs.RunOptions(candidate_model="m", baseline_model="m"),
                         models=endpoint("http://127.0.0.1:9/v1"))
    with pytest.raises(InvalidInput, match=r"the candidate model is now m \(endpoint http://127.0.0.1:8/v1\)"):
        runs.execute(ingested, run, suite, models=endpoint("http://127.0.0.1:8/v1"))
    assert _results(ingested, run.id) == {}, "nothing generated on the wrong model"


def test_an_interrupted_model_comparison_resumes_on_the_side_it_stopped(ingested: Deps, suite_file: Path):
    log: list[str] = []
    llms = {"big": ModelLLM("big", CLEAN, log), "tiny": ModelLLM("tiny", TEMPLATE, log)}
    suite = load_suite(suite_file)
    run = runs.start_run(ingested, suite, suite_file, candidate="draft@production", baseline="draft@production",
                         options=runs.RunOptions(candidate_model="big", baseline_model="tiny"), models=llms.__getitem__)
    done: list[tuple[str, str]] = []

    def stop_after_three(case_id: str, side: str) -> None:
        done.append((case_id, side))
        if len(done) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        runs.execute(ingested, run, suite, models=llms.__getitem__, on_done=stop_after_three)
    resumed, suite = runs.load_run(ingested, run.id)
    assert [(c.id, side) for c, side in runs.pending(ingested, resumed, suite)] == [("gr-two", "baseline")]
    log.clear()
    assert runs.execute(ingested, resumed, suite, models=llms.__getitem__).status == "finished"
    assert set(log) == {"tiny"}, "the finished candidate side was not generated again"
