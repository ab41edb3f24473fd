"""The writing stages on a real SQLite database and Qdrant local store, with a scripted LLM."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from app.errors import EmptyKnowledgeBase, InvalidInput, LLMUnavailable, UnknownBrand
from app.models import AuditEntry, Brief, CheckFinding, Idea, LLMCall, Variant
from app.pipeline import runner
from app.pipeline.deps import Deps
from app.schemas import BriefCreate
from app.states import BriefState, VariantState
from tests.fakes import BANNED_DRAFT, CLEAN_DRAFT, IDEAS, FakeLLM, RecordingEnqueue

MARKETER = "mia"


def brief_in(**overrides: object) -> BriefCreate:
    fields: dict[str, object] = dict(
        brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=2, n_variants=1,
        audience="evening tea drinkers", goal="launch", key_message="naturally caffeine-free",
    )
    fields.update(overrides)
    return BriefCreate.model_validate(fields)


def counts(deps: Deps) -> dict[str, int]:
    with Session(deps.engine) as s:
        return {t.__name__: len(s.exec(select(t)).all()) for t in (Idea, Variant, AuditEntry, LLMCall)}


def run_to_review(deps: Deps, llm: FakeLLM, enqueued: RecordingEnqueue, drafts: list[dict]) -> Brief:
    llm.enqueue(IDEAS, *drafts)
    brief = runner.submit_brief(deps=deps, brief_in=brief_in(), actor=MARKETER)
    assert enqueued.take() == [("ideate", brief.id)]
    runner.run_ideation(brief.id, deps)
    for _task, idea_id in enqueued.take():
        runner.run_drafting(idea_id, deps)
    with Session(deps.engine) as s:
        return s.get(Brief, brief.id)  # type: ignore[return-value]


def test_brief_goes_from_submission_to_review_with_ideas_variants_and_audit(ingested, fake_llm, enqueued):
    brief = run_to_review(ingested, fake_llm, enqueued, [CLEAN_DRAFT, CLEAN_DRAFT])
    assert brief.state is BriefState.in_review
    with Session(ingested.engine) as s:
        ideas = s.exec(select(Idea).where(Idea.brief_id == brief.id)).all()
        variants = s.exec(select(Variant).where(Variant.brief_id == brief.id)).all()
        actions = [e.action for e in s.exec(select(AuditEntry).where(AuditEntry.brief_id == brief.id))]
    assert [i.title for i in ideas] == [i["title"] for i in IDEAS["ideas"]]
    assert len(variants) == 2 and all(v.state is VariantState.in_review for v in variants)
    assert all(v.grounding_chunk_ids for v in variants), "each variant records the chunks that grounded it"
    assert all(v.prompt_ref == "draft@1" for v in variants)
    assert actions[0] == "brief.submitted"
    for expected in ("llm.call", "kb.retrieved", "idea.created", "variant.created", "checks.draft"):
        assert expected in actions


def test_prompts_are_pinned_at_submission(ingested):
    brief = runner.submit_brief(deps=ingested, brief_in=brief_in(), actor=MARKETER)
    assert brief.prompt_pins == {"ideas": "ideas@1", "draft": "draft@1"}


def test_knowledge_goes_into_the_prompt_as_delimited_data(ingested, fake_llm, enqueued):
    run_to_review(ingested, fake_llm, enqueued, [CLEAN_DRAFT, CLEAN_DRAFT])
    user_message = fake_llm.history[0]["messages"][1]["content"]
    assert "<source id=" in user_message and "</source>" in user_message


def test_redelivered_ideation_and_drafting_change_nothing(ingested, fake_llm, enqueued):
    brief = run_to_review(ingested, fake_llm, enqueued, [CLEAN_DRAFT, CLEAN_DRAFT])
    before = counts(ingested)
    calls_before = len(fake_llm.history)
    runner.run_ideation(brief.id, ingested)
    with Session(ingested.engine) as s:
        for idea in s.exec(select(Idea)).all():
            runner.run_drafting(idea.id, ingested)
    assert counts(ingested) == before
    assert len(fake_llm.history) == calls_before, "no LLM call is repeated for work already done"


def test_ideation_redelivered_before_drafting_was_enqueued_enqueues_it_again(ingested, fake_llm, enqueued):
    fake_llm.enqueue(IDEAS)
    brief = runner.submit_brief(deps=ingested, brief_in=brief_in(), actor=MARKETER)
    runner.run_ideation(brief.id, ingested)
    first = enqueued.take()
    runner.run_ideation(brief.id, ingested)
    assert enqueued.take() == [t for t in first if t[0] == "draft"]
    assert counts(ingested)["Idea"] == 2


def test_drafts_are_checked_and_findings_stored_with_spans(ingested, fake_llm, enqueued):
    # A model that does not learn: the first idea's draft and both re-asks are the same banned copy.
    brief = run_to_review(ingested, fake_llm, enqueued, [BANNED_DRAFT] * 3 + [CLEAN_DRAFT])
    with Session(ingested.engine) as s:
        findings = s.exec(select(CheckFinding).where(CheckFinding.passed == False)).all()  # noqa: E712
    rules = {f.rule for f in findings}
    with Session(ingested.engine) as s:
        reasks = s.exec(select(AuditEntry).where(AuditEntry.brief_id == brief.id,
                                                 AuditEntry.action == "guardrails.reask")).all()
    assert len(reasks) == 2, "unsupported claims are re-asked at most reask_max_attempts times"
    assert {"banned_term:detox", "banned_term:miracle", "banned_term:best tea in the world"} <= rules
    detox = next(f for f in findings if f.rule == "banned_term:detox")
    assert detox.severity == "block" and detox.spans and detox.reason
    assert brief.state is BriefState.in_review


def test_malformed_llm_output_fails_the_brief_with_the_reason(ingested, fake_llm, enqueued):
    fake_llm.enqueue("not json", '{"ideas": "nope"}', "still not json")
    brief = runner.submit_brief(deps=ingested, brief_in=brief_in(), actor=MARKETER)
    runner.run_ideation(brief.id, ingested)
    with Session(ingested.engine) as s:
        stored = s.get(Brief, brief.id)
        calls = s.exec(select(LLMCall).where(LLMCall.brief_id == brief.id)).all()
    assert stored is not None and stored.state is BriefState.failed
    assert "did not match IdeaList after 3 attempts" in (stored.error or "")
    assert len(calls) == 3 and not any(c.ok for c in calls)
    assert "could not be used" in fake_llm.history[1]["messages"][-1]["content"], "the re-ask names the error"


def test_unreachable_llm_raises_a_transient_error_and_keeps_the_brief(ingested, fake_llm, enqueued):
    fake_llm.enqueue(LLMUnavailable("connection refused"))
    brief = runner.submit_brief(deps=ingested, brief_in=brief_in(), actor=MARKETER)
    with pytest.raises(LLMUnavailable):
        runner.run_ideation(brief.id, ingested)
    with Session(ingested.engine) as s:
        assert s.get(Brief, brief.id).state is BriefState.ideating  # type: ignore[union-attr]
    fake_llm.enqueue(IDEAS)
    runner.run_ideation(brief.id, ingested)  # the retry succeeds
    assert counts(ingested)["Idea"] == 2


def test_unknown_brand_is_refused_with_the_known_brands(deps):
    with pytest.raises(UnknownBrand, match=r"known brands: .*fernhill"):
        runner.submit_brief(deps=deps, brief_in=brief_in(brand="acme"), actor=MARKETER)


def test_empty_knowledge_base_is_refused_with_the_command_to_run(deps):
    with pytest.raises(EmptyKnowledgeBase, match="factory kb ingest brand_kb/fernhill"):
        runner.submit_brief(deps=deps, brief_in=brief_in(), actor=MARKETER)


def test_unknown_product_is_refused(ingested):
    with pytest.raises(InvalidInput, match="has no product earl-grey; known: "):
        runner.submit_brief(deps=ingested, brief_in=brief_in(product="earl-grey"), actor=MARKETER)


def test_brief_survives_a_broker_that_is_down(ingested):
    def broken(*_a: object, **_k: object) -> None:
        raise ConnectionError("broker down")

    ingested.enqueue = broken
    brief = runner.submit_brief(deps=ingested, brief_in=brief_in(), actor=MARKETER)
    with Session(ingested.engine) as s:
        assert s.get(Brief, brief.id).state is BriefState.submitted  # type: ignore[union-attr]


def test_audit_log_refuses_update_and_delete(ingested):
    runner.submit_brief(deps=ingested, brief_in=brief_in(), actor=MARKETER)
    with ingested.engine.connect() as conn:
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text("UPDATE auditentry SET actor = 'mallory'"))
        conn.rollback()
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text("DELETE FROM auditentry"))
