"""Best-of-N drafting: scoring, selection, de-duplication across a brief, and what is stored.

Selection is tested as pure functions; the pipeline tests run the real stages on SQLite and Qdrant
local mode with a scripted LLM and the hashing embedder (similar words, similar vectors)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.guardrails.base import CheckResult, Severity
from app.models import DraftCandidate, Idea, LLMCall, Variant
from app.pipeline import runner, selection
from app.pipeline.deps import Deps
from app.schemas import BriefCreate
from tests.fakes import BANNED_DRAFT, CLEAN_DRAFT, FakeLLM, RecordingEnqueue
from tests.unit.helpers import bearer

KEY_MESSAGE = "Quiet Hours is a naturally caffeine-free chamomile and lemon balm blend for the evening"
ON_MESSAGE = {"headline": "Quiet Hours for your evening",
              "body": "Quiet Hours is a naturally caffeine-free chamomile and lemon balm blend for the evening. "
                      "Brew a cup after work and let the day go quiet. Certified organic, gentle and warm, "
                      "made for slow evenings at home with the people you love.",
              "cta": "Try Quiet Hours"}
OFF_MESSAGE = {"headline": "Our company story", "body": "We were founded by people who like spreadsheets, "
               "offices and quarterly reports about logistics and procurement.", "cta": "Read more"}


def brief_in(**overrides: object) -> BriefCreate:
    fields: dict[str, object] = dict(
        brand="fernhill", product="quiet-hours", channels=["linkedin"], n_ideas=1, n_variants=1,
        audience="evening tea drinkers", goal="launch", key_message=KEY_MESSAGE,
    )
    fields.update(overrides)
    return BriefCreate.model_validate(fields)


def draft_brief(deps: Deps, llm: FakeLLM, enqueued: RecordingEnqueue, drafts: list[dict], **brief: object) -> str:
    llm.enqueue({"ideas": [{"title": "Evenings, unhurried", "angle": "A calm cup after work."}]}, *drafts)
    submitted = runner.submit_brief(deps=deps, brief_in=brief_in(**brief), actor="mia")
    runner.run_ideation(submitted.id, deps)
    enqueued.take()
    with Session(deps.engine) as s:
        idea_id = s.exec(select(Idea.id).where(Idea.brief_id == submitted.id)).one()
    runner.run_drafting(idea_id, deps)
    return submitted.id


def finding(severity: Severity) -> CheckResult:
    return CheckResult(check="quality", rule="placeholder", passed=False, severity=severity, reason="x")


def scored(findings: list[CheckResult], key_similarity: float) -> selection.DraftScore:
    return selection.score(findings=findings, text_vector=[key_similarity, (1 - key_similarity**2) ** 0.5],
                           key_message_vector=[1.0, 0.0], chunk_vectors=[], body="word " * 30,
                           max_body_words=200)


# --- scoring and choosing (pure) -------------------------------------------------------------------

def test_score_rewards_closeness_to_the_key_message():
    assert scored([], 0.9).total > scored([], 0.2).total


def test_a_candidate_passing_every_blocking_check_outranks_a_closer_one_that_blocks():
    clean_but_far = scored([], 0.0)
    close_but_blocked = scored([finding(Severity.block)], 1.0)
    choice = selection.choose([close_but_blocked, clean_but_far], [[1.0, 0.0], [0.0, 1.0]], [],
                              duplicate_cosine=0.92)
    assert choice.kept == 1
    assert "blocking" in choice.reasons[0]


def test_a_clean_near_duplicate_is_kept_over_a_distinct_candidate_that_blocks():
    clean_repeat, distinct_blocked = scored([], 0.9), scored([finding(Severity.block)], 1.0)
    choice = selection.choose([clean_repeat, distinct_blocked], [[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0]],
                              duplicate_cosine=0.92)
    assert choice.kept == 0 and choice.duplicate_of == 0


def test_many_warnings_never_outrank_a_block():
    many_warnings = scored([finding(Severity.warn)] * 12, 0.1)
    blocked = scored([finding(Severity.block)], 1.0)
    choice = selection.choose([blocked, many_warnings], [[1.0, 0.0], [0.0, 1.0]], [], duplicate_cosine=0.92)
    assert choice.kept == 1


def test_warnings_cost_less_than_a_block_but_still_count():
    assert scored([finding(Severity.warn)], 0.5).total < scored([], 0.5).total
    assert scored([finding(Severity.warn)], 0.5).total > scored([finding(Severity.block)], 0.5).total


def test_length_fit_is_full_inside_the_channel_band_and_falls_outside():
    assert selection.length_fit("word " * 50, 200) == 1.0
    assert selection.length_fit("word " * 5, 200) < 0.5
    assert selection.length_fit("word " * 300, 200) == 0.5


def test_near_duplicate_of_a_kept_variant_is_dropped_for_a_distinct_candidate():
    best, second = scored([], 0.9), scored([], 0.5)
    kept_already = [[1.0, 0.0, 0.0]]
    choice = selection.choose([best, second], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], kept_already,
                              duplicate_cosine=0.92)
    assert choice.kept == 1
    assert "near-duplicate" in choice.reasons[0]


def test_when_every_candidate_repeats_a_kept_variant_the_best_is_still_kept_and_marked():
    choice = selection.choose([scored([], 0.9), scored([], 0.5)], [[1.0, 0.0], [1.0, 0.01]], [[1.0, 0.0]],
                              duplicate_cosine=0.92)
    assert choice.kept == 0 and choice.duplicate_of == 0


# --- the pipeline ----------------------------------------------------------------------------------

def test_best_of_n_keeps_the_candidate_on_the_key_message_that_passes_the_checks(ingested, fake_llm, enqueued):
    ingested.settings.draft_candidates = 3
    rounds = ingested.guardrails.for_brand("fernhill").policy.reask_max_attempts + 1  # a model that never learns
    brief_id = draft_brief(ingested, fake_llm, enqueued, [BANNED_DRAFT] * rounds + [OFF_MESSAGE, ON_MESSAGE])
    with Session(ingested.engine) as s:
        variant = s.exec(select(Variant).where(Variant.brief_id == brief_id)).one()
        candidates = s.exec(select(DraftCandidate).where(DraftCandidate.brief_id == brief_id)
                            .order_by(col(DraftCandidate.candidate_no))).all()
    assert variant.headline == ON_MESSAGE["headline"]
    assert [c.kept for c in candidates] == [False, False, True]
    assert candidates[2].variant_id == variant.id and variant.score == candidates[2].score
    assert variant.score_components["candidates"] == 3
    assert set(variant.score_components) >= {"key_message", "grounding", "length_fit", "blocking", "warnings"}
    assert all(c.reason for c in candidates[:2]), "every candidate set aside says why"
    assert candidates[0].findings, "a rejected candidate keeps its failed checks for evals"


def test_every_candidates_llm_call_is_logged_with_its_tokens(ingested, fake_llm, enqueued):
    ingested.settings.draft_candidates = 2
    brief_id = draft_brief(ingested, fake_llm, enqueued, [OFF_MESSAGE, ON_MESSAGE])
    with Session(ingested.engine) as s:
        calls = s.exec(select(LLMCall).where(LLMCall.brief_id == brief_id, LLMCall.stage == "draft")).all()
        candidates = s.exec(select(DraftCandidate).where(DraftCandidate.brief_id == brief_id)).all()
    assert {c.candidate_id for c in calls} == {c.id for c in candidates}
    assert all(c.completion_tokens > 0 and c.latency_ms > 0 for c in calls)
    assert sum(c.completion_tokens for c in candidates) == sum(c.completion_tokens for c in calls)


def test_candidates_get_different_seeds_so_they_differ(ingested, fake_llm, enqueued):
    ingested.settings.draft_candidates = 3
    draft_brief(ingested, fake_llm, enqueued, [ON_MESSAGE, ON_MESSAGE, ON_MESSAGE])
    seeds = [h["params"].get("seed") for h in fake_llm.history[1:]]
    assert len(set(seeds)) == 3


def test_second_slot_skips_a_repeat_of_the_first_slots_variant(ingested, fake_llm, enqueued):
    ingested.settings.draft_candidates = 2
    brief_id = draft_brief(ingested, fake_llm, enqueued, [ON_MESSAGE, OFF_MESSAGE, ON_MESSAGE, CLEAN_DRAFT],
                           n_variants=2)
    with Session(ingested.engine) as s:
        variants = s.exec(select(Variant).where(Variant.brief_id == brief_id).order_by(col(Variant.ordinal))).all()
        second = s.exec(select(DraftCandidate).where(DraftCandidate.brief_id == brief_id,
                                                     DraftCandidate.ordinal == 2)).all()
    assert variants[0].headline == ON_MESSAGE["headline"]
    assert variants[1].headline == CLEAN_DRAFT["headline"], "the repeat of slot 1 was not kept for slot 2"
    repeat = next(c for c in second if c.headline == ON_MESSAGE["headline"])
    assert not repeat.kept and "near-duplicate" in repeat.reason


def test_one_malformed_candidate_does_not_fail_the_slot(ingested, fake_llm, enqueued):
    ingested.settings.draft_candidates = 2
    ingested.settings.llm_max_attempts = 1
    brief_id = draft_brief(ingested, fake_llm, enqueued, ["not json at all", ON_MESSAGE])
    with Session(ingested.engine) as s:
        variant = s.exec(select(Variant).where(Variant.brief_id == brief_id)).one()
        failed = s.exec(select(LLMCall).where(LLMCall.brief_id == brief_id, col(LLMCall.ok).is_(False))).all()
    assert variant.headline == ON_MESSAGE["headline"]
    assert len(failed) == 1, "the failed candidate's call stays in the call log"


def test_review_desk_shows_why_this_draft_and_the_candidates_set_aside(ingested, fake_llm, enqueued, client, rob):
    ingested.settings.draft_candidates = 2
    brief_id = draft_brief(ingested, fake_llm, enqueued, [OFF_MESSAGE, ON_MESSAGE])
    with Session(ingested.engine) as s:
        variant = s.exec(select(Variant).where(Variant.brief_id == brief_id)).one()
    shown = client.get(f"/variants/{variant.id}", headers=rob).json()
    assert shown["score"] == variant.score and shown["score_components"]["candidates"] == 2
    listed = client.get(f"/variants/{variant.id}/candidates", headers=rob).json()
    assert [c["kept"] for c in listed] == [True, False]
    assert listed[1]["headline"] == OFF_MESSAGE["headline"]


def test_review_queue_sorts_by_score_highest_first(ingested, fake_llm, enqueued, client, rob):
    draft_brief(ingested, fake_llm, enqueued, [OFF_MESSAGE])
    draft_brief(ingested, fake_llm, enqueued, [ON_MESSAGE])
    items = client.get("/review/queue?sort=score", headers=rob).json()["items"]
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True) and len(scores) == 2


def test_candidates_of_another_brand_are_not_found(ingested, fake_llm, enqueued, client):
    brief_id = draft_brief(ingested, fake_llm, enqueued, [ON_MESSAGE])
    with Session(ingested.engine) as s:
        variant = s.exec(select(Variant).where(Variant.brief_id == brief_id)).one()
    stranger = bearer(ingested, "otto", ["reviewer"], brands=["kelpra"])
    assert client.get(f"/variants/{variant.id}/candidates", headers=stranger).status_code == 404


def test_when_every_candidate_is_malformed_the_brief_fails_with_every_call_logged(ingested, fake_llm, enqueued):
    ingested.settings.draft_candidates = 2
    ingested.settings.llm_max_attempts = 1
    brief_id = draft_brief(ingested, fake_llm, enqueued, ["not json", "still not json"])
    with Session(ingested.engine) as s:
        failed = s.exec(select(LLMCall).where(LLMCall.brief_id == brief_id, col(LLMCall.ok).is_(False))).all()
        assert s.exec(select(Variant).where(Variant.brief_id == brief_id)).first() is None
    assert len(failed) == 2, "both candidates' calls are in the call log"
