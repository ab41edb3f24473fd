"""The embedded default model (Qwen2.5-Coder-1.5B-Instruct, hash-verified) writes copy worth reviewing:
a brief reaches review through a real worker with at least one variant the quality check passes."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from app.models import CheckFinding, DraftCandidate, LLMCall
from app.pipeline.runner import submit_brief
from app.settings import Settings
from app.states import BriefState
from tests.integration.harness import SMALL_BRIEF, make_factory

pytestmark = [pytest.mark.integration, pytest.mark.slow]
DEFAULT_MODEL = Settings.model_fields["llm_local_model"].default


def test_default_model_brief_reaches_review_with_a_variant_passing_quality(tmp_path, embedder):
    factory = make_factory(tmp_path, embedder, CF_LLM_LOCAL_MODEL=DEFAULT_MODEL, CF_DRAFT_CANDIDATES="2",
                           CF_LLM_TIMEOUT_S="600")
    with factory.worker() as worker:
        brief = submit_brief(deps=factory.deps, brief_in=SMALL_BRIEF, actor="mia")
        state = factory.wait_state(brief.id, {BriefState.in_review, BriefState.failed}, worker, timeout_s=1500)
    assert state is BriefState.in_review, factory.brief(brief.id).error
    variants = factory.variants(brief.id)
    with Session(factory.deps.engine) as s:
        quality_blocks = {f.variant_id for f in s.exec(select(CheckFinding).where(
            CheckFinding.check == "quality", col(CheckFinding.passed).is_(False), CheckFinding.severity == "block"))}
        models = set(s.exec(select(LLMCall.model).where(LLMCall.brief_id == brief.id)).all())
        candidates = s.exec(select(DraftCandidate).where(DraftCandidate.brief_id == brief.id)).all()
        checked = s.exec(select(CheckFinding.check).where(
            col(CheckFinding.variant_id).in_([v.id for v in variants]))).all()
    assert models == {DEFAULT_MODEL}, "every call ran on the default model"
    assert "quality" in checked, "the quality check ran on the drafts"
    assert len(variants) < len(candidates) <= 2 * len(variants), "up to two candidates per variant slot"
    passing = [v for v in variants if v.id not in quality_blocks]
    assert passing, [(v.headline, v.body, v.cta) for v in variants]
    product = "quiet hours"
    assert any(product in f"{v.headline} {v.body}".lower() for v in passing), "passing copy names the product"
