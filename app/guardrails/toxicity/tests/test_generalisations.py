"""Rule (a): a group reference plus a demeaning predicate is toxic without any slur; naming a group is not."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.guardrails.base import CheckResult
from app.guardrails.toxicity.generalisations import REPORTED, SURE, find_generalisations


@pytest.mark.parametrize("text", [
    "Those people should never be allowed to work in a kitchen.",          # deictic group, exclusion
    "Men from that village are not clever enough to manage a shop.",       # pointed-at group, capability
    "Filipino nurses are too slow for a busy ward.",                       # identity adjective + person noun
    "Pensioners are a burden on everyone else.",                           # identity noun, trait
    "Their sort don't belong in a nice neighbourhood.",                    # deictic, exclusion
    "Never hire a Muslim for a front-desk job.",                           # hostile action before the group
    "Older workers can't learn the new till, so they should be let go.",   # capability
    "Migrants, in my experience, are all thieves.",                        # commas between group and trait
    "Lesbian teachers are a danger to the pupils.",                        # orientation, trait
])
def test_demeaning_generalisations_without_slurs_are_blocked(text: str, blocked: Callable[[str], bool]) -> None:
    assert blocked(text)


@pytest.mark.parametrize("text", [
    "Our Sikh and Hindu customers asked for a vegetarian range.",
    "Two deaf baristas and a blind taster run the Saturday shift.",
    "Refugee-owned farms grow the mint in this blend.",
    "Women from the hill villages pick every leaf by hand.",
    "Gay and lesbian couples get married in our garden every summer.",
    "People like you keep small tea shops alive.",
    "Children should not be allowed near the hot water tap.",
    "Older customers should not be charged for delivery.",
])
def test_naming_a_group_is_not_toxic(text: str, toxicity: Callable[..., list[CheckResult]]) -> None:
    assert toxicity(text) == []


def test_a_rejected_or_reported_prejudice_is_left_to_the_judge_not_blocked(
        toxicity: Callable[..., list[CheckResult]]) -> None:
    text = "It is a stereotype that immigrants are lazy."

    assert [g.score for g in find_generalisations(text)] == [REPORTED]
    assert toxicity(text) == []


def test_a_negated_trait_is_no_generalisation() -> None:
    assert find_generalisations("Nobody thinks refugees are lazy.")[0].score == REPORTED
    assert find_generalisations("Refugees are hard-working and kind.") == []


def test_the_generalisation_names_its_group_and_predicate() -> None:
    found = find_generalisations("Honestly, Albanians are criminals, all of them.")

    assert [(g.kind, g.score, g.evidence) for g in found] == [("trait", SURE, "Albanians are criminals")]


def test_a_pronoun_after_the_group_carries_it_to_the_predicate(blocked: Callable[[str], bool]) -> None:
    assert blocked("Keep the elderly away from the counter; they are useless with card machines.")
