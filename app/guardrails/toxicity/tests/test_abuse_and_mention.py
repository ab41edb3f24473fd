"""Rule (b): abuse of a person is toxic unless the insult is negated, quoted or only mentioned."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.guardrails.base import CheckResult
from app.guardrails.toxicity.insults import find_abuse, neutral_insults


@pytest.mark.parametrize("text", [
    "You are a pathetic little moron.",
    "Honestly, you clueless idiot, read the label.",
    "Your manager is a complete clown.",
    "Shut up and go to hell.",
    "You look like a fool in that apron.",
])
def test_insults_aimed_at_a_person_are_blocked(text: str, blocked: Callable[[str], bool]) -> None:
    assert blocked(text)


@pytest.mark.parametrize("text", [
    "We would never call you dumb for asking how to steep oolong.",       # negated, second person
    "No one on our team thinks you are a fool for liking chai.",          # negated belief
    "You are not stupid for adding honey.",                               # negated copula
    "Please don't label a regular customer as lazy or slow.",             # style advice
    "Never describe a caller as ignorant in the ticket notes.",           # style advice
    'The word "moron" has no place in our replies.',                      # mention
    "Avoid words like idiot or dumb in any email.",                       # mention
])
def test_negated_or_mentioned_insults_pass(text: str, toxicity: Callable[..., list[CheckResult]]) -> None:
    assert toxicity(text) == []


def test_profanity_stays_abusive_under_a_negation(blocked: Callable[[str], bool]) -> None:
    assert blocked("Don't be such a bitch about the delivery.")


def test_neutral_insults_are_reported_by_span() -> None:
    text = "Never call a guest stupid."

    assert [text[a:b] for a, b in sorted(neutral_insults(text))] == ["stupid"]
    assert find_abuse(text) == []


def test_hyperbole_aimed_at_the_reader_is_not_abuse() -> None:
    assert find_abuse("You're crazy if you skip our winter sale.") == []
