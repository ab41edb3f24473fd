"""Ideas are screened with the brand's wording checks before their title and angle reach a draft prompt."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from app.models import AuditEntry, Brief, Idea
from app.pipeline import runner
from app.pipeline.deps import Deps
from app.pipeline.idea_screen import screen_ideas
from app.schemas import BriefCreate, IdeaOut
from tests.fakes import CLEAN_DRAFT, FakeLLM, RecordingEnqueue

KEY_MESSAGE = "Morning Ember is an organic Assam breakfast tea, blended by hand in Kilbrannagh"


def brief() -> Brief:
    return Brief(brand="fernhill", product="morning-ember", channels=["linkedin"], audience="early risers",
                 goal="launch", key_message=KEY_MESSAGE)


def test_an_angle_sentence_with_an_unsupported_superlative_is_dropped_and_the_rest_kept(deps: Deps):
    idea = IdeaOut(title="Breakfast from Assam",
                   angle="Morning Ember is the finest breakfast tea money can buy. Show the Assam estate it "
                         "comes from and the hands that blend it.")
    [screened] = screen_ideas([idea], brief(), "Morning Ember", deps)
    assert screened.idea.angle == "Show the Assam estate it comes from and the hands that blend it."
    assert screened.removed == ["Morning Ember is the finest breakfast tea money can buy."]
    assert any(rule.startswith("claims:") for rule in screened.rules)


def test_a_title_part_with_a_health_promise_is_cut_at_its_colon(deps: Deps):
    idea = IdeaOut(title="Morning Ember: the tea that heals your gut", angle="Tell the story of the Assam estate.")
    [screened] = screen_ideas([idea], brief(), "Morning Ember", deps)
    assert screened.idea.title == "Morning Ember"
    assert screened.removed == ["the tea that heals your gut"]


def test_an_idea_with_nothing_left_falls_back_to_the_product_name_and_the_key_message(deps: Deps):
    idea = IdeaOut(title="The ultimate breakfast tea", angle="The best tea in Ireland, unbeatable every morning.")
    [screened] = screen_ideas([idea], brief(), "Morning Ember", deps)
    assert screened.idea == IdeaOut(title="Morning Ember", angle=KEY_MESSAGE)
    assert screened.note()["action"] == "idea_screened" and len(screened.removed) == 2


def test_a_clean_idea_passes_unchanged_and_a_missing_disclaimer_is_not_a_reason_to_cut(deps: Deps):
    # "caffeine" asks for the caffeine disclaimer in finished copy; an idea is not finished copy.
    idea = IdeaOut(title="Assam, by hand", angle="Show how the caffeine in a breakfast tea comes from the leaf, "
                                                 "blended by hand in Kilbrannagh.")
    [screened] = screen_ideas([idea], brief(), "Morning Ember", deps)
    assert screened.idea == idea and screened.removed == []


def test_drafts_never_see_the_blocked_wording_of_their_idea_and_the_audit_says_what_was_cut(
    ingested: Deps, fake_llm: FakeLLM, enqueued: RecordingEnqueue,
):
    deps = ingested
    fake_llm.enqueue({"ideas": [{"title": "Wake up to Assam",
                                 "angle": "The world's best breakfast tea. Follow the leaf from the estate to "
                                          "the cup."}]})
    fake_llm.default = json.dumps(CLEAN_DRAFT)  # every candidate and re-ask
    submitted = runner.submit_brief(deps=deps, brief_in=BriefCreate(
        brand="fernhill", product="morning-ember", channels=["linkedin"], n_ideas=1, n_variants=1,
        audience="early risers", goal="launch", key_message=KEY_MESSAGE), actor="mia")
    runner.run_ideation(submitted.id, deps)
    enqueued.take()
    with Session(deps.engine) as s:
        idea = s.exec(select(Idea).where(Idea.brief_id == submitted.id)).one()
        [created] = s.exec(select(AuditEntry).where(AuditEntry.action == "idea.created")).all()
    assert idea.angle == "Follow the leaf from the estate to the cup."
    assert created.details["screened"]["removed"] == ["The world's best breakfast tea."]
    deps.settings.draft_candidates = 1
    runner.run_drafting(idea.id, deps)
    drafts = [" ".join(m["content"] for m in call["messages"]) for call in fake_llm.history[1:]]
    assert drafts and all("best breakfast tea" not in p and "Follow the leaf from the estate" in p for p in drafts)
