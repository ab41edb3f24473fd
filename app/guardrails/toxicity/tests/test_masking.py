"""Rule (c): idioms with violent or rude words, hostility aimed at things, and identity terms are hidden from
the word-based model; abuse aimed at people still reaches it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.guardrails.base import CheckResult
from app.guardrails.toxicity.masking import mask, masked_spans


@pytest.mark.parametrize("text", [
    "A breakfast blend worth dying for? We think it is worth waking up for.",
    "Prices to die for, all weekend.",
    "This is a killer pairing with shortbread.",
    "Drop-dead gorgeous tins, refillable forever.",
    "Our iced tea beats the heat.",
    "We hate queues, so we ship same day.",
    "The descaler kills limescale and bacteria.",
    "Crush your afternoon cravings with a cup of rooibos.",
    "Seriously, this chai is stupid good.",
    "Shut up and take my money: the advent calendar is back.",
    "Our bisexual and transgender staff network chose this charity.",
])
def test_idioms_and_identity_terms_pass(text: str, toxicity: Callable[..., list[CheckResult]]) -> None:
    assert toxicity(text) == []


@pytest.mark.parametrize("text", [
    "I hate you and your stupid shop.",
    "Somebody should kill him.",
    "Die in a fire, you troll.",
])
def test_violent_words_aimed_at_people_are_still_blocked(text: str, blocked: Callable[[str], bool]) -> None:
    assert blocked(text)


def test_masking_keeps_length_so_spans_stay_valid() -> None:
    text = "Flavours to die for, and a killer price."

    masked = mask(text, masked_spans(text))

    assert len(masked) == len(text)
    assert "die" not in masked and "killer" not in masked
    assert masked.startswith("Flavours")


def test_an_identity_word_fused_with_an_insult_is_not_hidden() -> None:
    text = "They are white trash."

    assert "white" in mask(text, masked_spans(text))
