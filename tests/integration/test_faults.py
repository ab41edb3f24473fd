"""Faults on real components: a worker killed mid-brief loses nothing and duplicates nothing."""

from __future__ import annotations

import pytest

from app.pipeline.runner import submit_brief
from app.schemas import BriefCreate
from app.states import BriefState
from tests.integration.harness import make_factory, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_killed_worker_loses_no_brief_and_duplicates_no_variant(tmp_path, embedder):
    factory = make_factory(tmp_path, embedder)
    brief_in = BriefCreate(
        brand="fernhill", product="morning-ember", channels=["linkedin", "email"], n_ideas=1, n_variants=2,
        audience="early risers", goal="winter breakfast sales", key_message="a malty Assam breakfast tea",
    )
    first = factory.worker("first").start()
    try:
        brief = submit_brief(deps=factory.deps, brief_in=brief_in, actor="mia")
        wait_for(lambda: len(factory.variants(brief.id)) >= 1, first, 600,
                 lambda: f"brief is {factory.brief(brief.id).state}")
    finally:
        first.kill()  # SIGKILL mid-drafting: no ack, no cleanup
    assert factory.brief(brief.id).state is BriefState.drafting

    with factory.worker("second") as second:  # recovers pending work when it starts
        factory.wait_state(brief.id, {BriefState.in_review, BriefState.failed}, second)
    variants = factory.variants(brief.id)
    slots = [(v.channel, v.ordinal) for v in variants]
    assert factory.brief(brief.id).state is BriefState.in_review
    assert sorted(slots) == [("email", 1), ("email", 2), ("linkedin", 1), ("linkedin", 2)]
    assert factory.actions(brief.id).count("variant.created") == 4
