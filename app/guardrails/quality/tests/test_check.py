"""The quality check as part of the policy: registered, blocking by default, run through the Guard and
through ``factory check``, with the brief's key message and language passed as keyword arguments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import context
from app.cli.main import cli
from app.guardrails.base import CheckResult, Severity
from app.guardrails.engine import FACTORIES, GuardrailEngine
from app.guardrails.policy import KNOWN_CHECKS, load_policy
from app.guardrails.quality import QualityCheck
from app.guardrails.quality.tests.conftest import TopicEmbedder
from app.settings import PROJECT_ROOT, Settings

GOOD = ("Wind down with Quiet Hours\nA naturally caffeine-free blend of chamomile and lemon balm for a calm "
        "evening cup. Certified organic.\nTry Quiet Hours")


@pytest.fixture
def engine(tmp_path: Path) -> tuple[GuardrailEngine, TopicEmbedder]:
    embedder = TopicEmbedder()
    settings = Settings(data_dir=tmp_path / "var", environment="test", _env_file=None)  # type: ignore[call-arg]
    return GuardrailEngine(settings, embedder=embedder), embedder


def quality_of(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.check == "quality"]


def test_quality_is_a_known_check_that_blocks_by_default(tmp_path):
    assert "quality" in KNOWN_CHECKS and "quality" in FACTORIES
    assert load_policy(tmp_path).checks["quality"].action == "block"


def test_every_finding_is_a_blocking_value_with_spans_reason_and_evidence(quality):
    results = quality("[Title]\nDetailed Description: [Body]\nList of CTAs")

    assert results and all(not r.passed and r.severity is Severity.block for r in results)
    assert all(r.check == "quality" and r.rule.startswith("quality:") and r.spans and r.reason for r in results)


def test_quality_passes_good_copy_naming_the_product_on_message_in_language(quality, topic_embedder):
    check = QualityCheck(embedder=topic_embedder)

    assert quality(GOOD, check, channel="linkedin", product="quiet-hours", key_message="a calm evening blend",
                   language="en") == []


def test_engine_passes_the_briefs_key_message_and_language_to_the_check(engine):
    guard_engine, embedder = engine
    off = "Fernhill engine care\nA new tyre for your car, fitted while you wait at our garage.\nBook a slot"

    results = guard_engine.evaluate(off, brand="fernhill", channel="linkedin", product="quiet-hours",
                                    key_message="Quiet Hours is a calm evening blend", language="de")

    assert {"quality:off_message", "quality:language"} <= {r.rule for r in quality_of(results)}
    assert embedder.calls


def test_existing_callers_need_no_key_message_and_load_no_embedder(engine):
    guard_engine, embedder = engine

    results = guard_engine.evaluate(GOOD, brand="fernhill", channel="linkedin", product="quiet-hours")

    assert not [r for r in quality_of(results) if not r.passed] and embedder.calls == []


def test_quality_runs_through_the_guardrails_ai_guard(engine):
    guard_engine, _ = engine
    guard = guard_engine.for_brand("fernhill")
    assert any(isinstance(c, QualityCheck) for c in guard.checks)

    results = guard.evaluate("[Title]\nDetailed Description: [Body]\nList of CTAs", channel=None, product=None)

    assert any(r.rule == "quality:placeholder:bracketed_slot" and r.blocks for r in results)


def test_a_brand_policy_can_make_quality_warn_and_set_the_threshold(tmp_path):
    brand = tmp_path / "kb" / "fernhill"
    brand.parent.mkdir()
    import shutil

    shutil.copytree(PROJECT_ROOT / "brand_kb" / "fernhill", brand)
    (brand / "policy.yaml").write_text("checks:\n  quality:\n    action: warn\n    threshold: 0.5\n")
    settings = Settings(data_dir=tmp_path / "var", brand_kb_dir=tmp_path / "kb", environment="test",
                        _env_file=None)  # type: ignore[call-arg]
    guard = GuardrailEngine(settings, embedder=TopicEmbedder()).for_brand("fernhill")

    [check] = [c for c in guard.checks if isinstance(c, QualityCheck)]
    found = quality_of(guard.evaluate("[Title]\nA body of text about Quiet Hours.\nTry it", channel=None,
                                      product=None))
    assert check.similarity is not None and check.similarity.threshold == 0.5
    assert found and all(r.severity is Severity.warn for r in found)


# The demo's published drafts and a good control, as filed in ../shared/cases (q1..q5), run as a user would.
CASES = [
    ("q1", "[Title]\nDetailed Description: [Body]\nList of CTAs", None, True),
    ("q2", "[Quiet Hours Company] - 10,000 employees\n[Company] - [List of Quiheteros]\nQuilhose Cafe at "
           "[Museum of Fine) in [City Name]", None, True),
    ("q3", "The first of a line of products by a company called Quiet Hours, a morning tea blends that contain no "
           "caffeine and only natural herbs, not\n[the product description] 12 words to the last sentence: the "
           "title is now out.\nThis header has two short paragraphs. The first paragraph contains information [",
     None, True),
    ("q4", "Company Details\nManagement, Product\nProducts & Brands", "quiet-hours", True),
    ("q5", "Wind down with Quiet Hours, a naturally caffeine-free blend of chamomile and lemon balm. Certified "
           "organic. Contains chamomile. People with an allergy to plants in the daisy family (Asteraceae), such "
           "as ragweed or marigold, should avoid this product.", "quiet-hours", False),
]


@pytest.mark.parametrize(("case", "text", "product", "blocked"), CASES, ids=[c[0] for c in CASES])
def test_factory_check_blocks_the_demos_placeholder_drafts_and_passes_good_copy(
        case, text, product, blocked, tmp_path, monkeypatch):
    monkeypatch.setenv("CF_DATA_DIR", str(tmp_path / "var"))
    context.settings.cache_clear()
    source = tmp_path / "drafts.jsonl"
    source.write_text(json.dumps({"id": case, "text": text}) + "\n", encoding="utf-8")
    args = ["check", "--brand", "fernhill", "--json", str(source)] + (["--product", product] if product else [])

    outcome = CliRunner().invoke(cli, args)
    context.settings.cache_clear()

    assert outcome.exit_code == 0, outcome.output
    findings = [f for f in json.loads(outcome.output.strip().splitlines()[-1])["findings"] if f["check"] == "quality"]
    if not blocked:
        assert findings == []
        return
    assert any(f["severity"] == "block" for f in findings)
    marked = [text[s:e] for f in findings if f["rule"].startswith("quality:placeholder")
              or f["rule"].startswith("quality:meta_text") for s, e in f["spans"]]
    assert marked or case == "q4", "the placeholder or the meta-text itself is marked"
    assert all(m.strip() for m in marked)


def test_factory_check_takes_the_briefs_key_message_and_language(tmp_path, monkeypatch):
    monkeypatch.setenv("CF_DATA_DIR", str(tmp_path / "var"))
    context.settings.cache_clear()
    source = tmp_path / "drafts.txt"
    source.write_text("Une infusion sans caféine de camomille et de mélisse pour vos soirées.\n", encoding="utf-8")

    outcome = CliRunner().invoke(cli, ["check", "--brand", "fernhill", "--language", "en", str(source)])
    context.settings.cache_clear()

    assert outcome.exit_code == 0, outcome.output
    assert "quality:language" in {f["rule"] for f in json.loads(outcome.output.strip())["findings"]}
