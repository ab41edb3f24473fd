"""A brief end to end on the embedded backends: SQLite, the filesystem broker with a real worker
process, Qdrant local mode, the real embedder and the real local model (SmolLM2 via llama.cpp)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from app.models import Delivery, LLMCall
from app.pipeline.runner import submit_brief
from app.states import BriefState, VariantState
from tests.integration.harness import SMALL_BRIEF, blocking_rules_in, drain, make_factory

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_brief_is_written_reviewed_and_published_once_on_embedded_backends(tmp_path, embedder):
    factory = make_factory(tmp_path, embedder)
    with factory.worker() as worker:
        brief = submit_brief(deps=factory.deps, brief_in=SMALL_BRIEF, actor="mia")
        assert factory.wait_state(brief.id, {BriefState.in_review, BriefState.failed}, worker) \
            is BriefState.in_review, factory.brief(brief.id).error
        [drafted] = factory.variants(brief.id)
        assert drafted.headline and drafted.body and drafted.cta and drafted.grounding_chunk_ids

        variant = factory.review_to_publication(brief.id, worker)

        before = factory.counts()
        for task, item in [("ideate", brief.id), ("draft", drafted.idea_id), ("compliance", variant.id),
                           ("publish", variant.id)]:
            factory.deps.enqueue(task, item)  # a broker redelivering every stage's message
        drain(worker, extra_tasks=4)
    assert factory.counts() == before, "redelivered tasks changed nothing"

    outbox = list(factory.settings.outbox_dir.glob("*.json"))
    assert len(outbox) == 1
    published = json.loads(outbox[0].read_text())
    with Session(factory.deps.engine) as s:
        delivery = s.exec(select(Delivery)).one()
        calls = s.exec(select(LLMCall).where(LLMCall.brief_id == brief.id)).all()
    assert published["webhook_id"] == delivery.id
    assert published["payload"]["content_hash"] == variant.content_hash
    assert blocking_rules_in(factory.settings, published["payload"]) == [], \
        "no unsupported superlative, health claim or other blocking finding reaches the outbox"
    assert variant.state is VariantState.published
    production = {name: factory.deps.prompts.labels(name)["production"] for name in ("ideas", "draft")}
    assert {c.prompt_ref for c in calls} == {f"ideas@{production['ideas']}", f"draft@{production['draft']}"}
    assert all(c.model == "smollm2-135m-instruct" and c.completion_tokens > 0 and c.latency_ms > 0
               for c in calls)
    actions = factory.actions(brief.id)
    for expected in ["brief.submitted", "llm.call", "kb.retrieved", "idea.created", "variant.created",
                     "checks.draft", "variant.state_changed", "checks.compliance", "delivery.created",
                     "delivery.attempt"]:
        assert expected in actions
    assert actions.count("delivery.attempt") == 1
