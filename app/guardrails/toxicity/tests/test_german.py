"""German: never read by the English model; German abuse caught by German rules, negated or mentioned
insults pass. Language is decided per sentence."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.guardrails.base import CheckResult
from app.guardrails.language import classify
from app.guardrails.toxicity.german import MILD, STRONG, TARGETED, german_score


@pytest.mark.parametrize("text", [
    "Die Dose gehört ins Altglas, der Deckel in die Gelbe Tonne.",
    "Die Teeblätter ziehen vier Minuten, dann ist die Tasse fertig.",
    "Wir liefern die Bestellung in zwei Tagen.",
    "Die Kinder lieben den Früchtetee mit Apfel.",
])
def test_german_sentences_with_the_article_die_pass(text: str, toxicity: Callable[..., list[CheckResult]]) -> None:
    assert toxicity(text) == []


@pytest.mark.parametrize("text", [
    "Du bist so ein dummer Trottel.",
    "Ihr Vollidioten habt meine Bestellung verschlampt.",
    "Halt endlich die Klappe, du Depp.",
    "Diese Leute sind alle Schmarotzer.",
    "Ausländer haben hier nichts zu suchen.",
    "So ein Arschloch von Lieferant.",
])
def test_german_abuse_is_blocked(text: str, blocked: Callable[[str], bool]) -> None:
    assert blocked(text)


@pytest.mark.parametrize("text", [
    "Du bist kein Idiot, nur weil du Milch in den Tee gibst.",
    "Niemand hält Sie für dumm, wenn Sie nachfragen.",
    "Nennen Sie Kunden niemals blöd oder faul.",
    "Wörter wie Depp oder Trottel gehören nicht in unsere Mails.",
])
def test_negated_or_mentioned_german_insults_pass(text: str, toxicity: Callable[..., list[CheckResult]]) -> None:
    assert toxicity(text) == []


def test_german_scores_rank_targeted_over_strong_over_mild() -> None:
    assert german_score("Du Idiot.")[0] >= TARGETED
    assert german_score("Was für Idioten.")[0] == pytest.approx(STRONG)
    assert german_score("Das Wetter ist blöd.")[0] == pytest.approx(MILD)
    assert german_score("Die Beutel sind kompostierbar.") == (0.0, "")


@pytest.mark.parametrize(("text", "language"), [
    ("Die Beutel gehören in den Kompost.", "de"),
    ("Du bist ein Idiot.", "de"),
    ("you're a clown lol", "en"),
    ("Flavours to die for.", "en"),
    ("Nous livrons votre commande demain matin avant midi.", "fr"),
])
def test_language_is_read_per_sentence(text: str, language: str) -> None:
    assert classify(text) == language


def test_a_language_without_rules_is_reported_not_passed_silently(
        toxicity: Callable[..., list[CheckResult]]) -> None:
    findings = toxicity("Nous livrons votre commande demain matin avant midi.")

    assert [(f.rule, f.severity.value, f.blocks) for f in findings] == [
        ("toxicity:unchecked_language", "info", False)]
