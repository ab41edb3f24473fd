"""A German brief end to end on the embedded defaults with the real local model (SmolLM2 via llama.cpp, in a real
worker process) and the default multilingual embedder: German prompts, German and English facts retrieved,
the drafts checked in German. SmolLM2 writes poor German (README, "German copy"): the test asserts what the
factory does with it, not that the copy is good."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.models import AuditEntry, CheckFinding, LLMCall
from app.pipeline.runner import submit_brief
from app.retrieval.embedder import make_embedder
from app.schemas import BriefCreate
from app.states import BriefState
from tests.integration.harness import make_factory

pytestmark = [pytest.mark.integration, pytest.mark.slow]

GERMAN_BRIEF = BriefCreate(
    brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=1, n_variants=1, language="de",
    audience="Menschen, die abends gern Tee trinken", goal="Quiet Hours vorstellen",
    key_message="Quiet Hours ist ein von Natur aus koffeinfreier Kräutertee aus Kamille und Zitronenmelisse",
)


def test_a_german_brief_runs_on_the_german_prompts_with_german_and_english_facts(tmp_path):
    factory = make_factory(tmp_path, make_embedder("multilingual-e5-small"))
    with factory.worker() as worker:
        brief = submit_brief(deps=factory.deps, brief_in=GERMAN_BRIEF, actor="mia")
        assert factory.wait_state(brief.id, {BriefState.in_review, BriefState.failed}, worker) \
            is BriefState.in_review, factory.brief(brief.id).error
    [variant] = factory.variants(brief.id)
    with Session(factory.deps.engine) as s:
        calls = s.exec(select(LLMCall).where(LLMCall.brief_id == brief.id)).all()
        findings = s.exec(select(CheckFinding).where(CheckFinding.variant_id == variant.id)).all()
        retrieved = s.exec(select(AuditEntry).where(AuditEntry.brief_id == brief.id,
                                                    AuditEntry.action == "kb.retrieved")).all()
    assert {c.prompt_ref for c in calls} == {"ideas_de@1", "draft_de@1"}
    assert all(c.model == "smollm2-135m-instruct" and c.completion_tokens > 0 for c in calls)
    assert variant.language == "de" and variant.headline and variant.body
    assert findings and {f.language for f in findings} == {"de"}
    assert {"de", "en"} <= {chunk["language"] for entry in retrieved for chunk in entry.details["chunks"]}
