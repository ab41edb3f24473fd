"""The learned German grade: its features, its cap (it ranks, it never blocks), and an honest split (the
measured tweets were never trained on). German sentences here are written for these tests."""

from __future__ import annotations

import json
from collections.abc import Callable

from app.guardrails.base import CheckResult
from app.guardrails.toxicity import DEFAULT_THRESHOLD, ProfanityCheckBackend
from app.guardrails.toxicity.german_learned import WEIGHTS_PATH, GermanAbuseScorer, char_grams, is_held_out
from app.guardrails.toxicity.learned import CAP
from app.guardrails.toxicity.scoring import score_text
from app.guardrails.toxicity.tests.conftest import FakeJudge


def test_features_are_word_bounded_character_ngrams_of_the_lower_cased_text() -> None:
    grams = char_grams("Du Tee")
    assert {" du", "du ", " du ", " te", "tee", "ee ", " tee", "tee ", " tee "} == set(grams)
    assert grams == sorted(grams) and char_grams("") == []


def test_the_grade_is_a_probability_and_is_capped_under_the_threshold() -> None:
    sentences = ["Unser Tee wird in Assam von Hand gepflückt.", "Ihr seid doch alle nur noch peinlich."]
    probabilities = GermanAbuseScorer().score(sentences)
    assert all(0.0 < p < 1.0 for p in probabilities)
    assert CAP * max(probabilities) < DEFAULT_THRESHOLD


def test_german_sentences_get_the_grade_only_when_a_german_scorer_is_given() -> None:
    text = "Die Beutel gehören in den Kompost."
    [plain] = score_text(ProfanityCheckBackend(), text, DEFAULT_THRESHOLD, "de").sentences
    [graded] = score_text(ProfanityCheckBackend(), text, DEFAULT_THRESHOLD, "de",
                          german=GermanAbuseScorer()).sentences
    assert (plain.kind, plain.score) == ("german", 0.0)
    assert graded.kind == "german_learned" and 0.0 < graded.score < DEFAULT_THRESHOLD


def test_the_grade_never_blocks_german_copy_with_the_judge_on_or_off(
        toxicity: Callable[..., list[CheckResult]]) -> None:
    copy = "Die Beutel gehören in den Kompost. Über unsere Teegärten erzählen wir im Blog."
    assert toxicity(copy, language="de") == []
    judge = FakeJudge()
    assert not [r for r in toxicity(copy, language="de", judge=judge) if r.blocks]


def test_the_shipped_weights_say_how_they_were_split_and_measured() -> None:
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    figures = data["held_out"]
    assert figures["train"] + figures["held_out"] == 300 and figures["held_out"] > 0
    assert "sha256(orig_line)" in data["split"] and "CC BY 4.0" in data["source"]
    held = [line for line in map(str, range(1, 1000)) if is_held_out(line)]
    assert 250 < len(held) < 420  # about a third of any lines
