"""The candidate finder, kind by kind: what counts as a claim, and the false alarms fixed by kind (verbs,
negation, compounds, topic words). Sentences are written for these tests, not copied from the cases."""

from __future__ import annotations

import pytest

from app.brand import BrandProfile
from app.guardrails.claims import extract_claims
from app.guardrails.claims.tests.conftest import blocking, check, findings


def kinds(text: str, competitors: tuple[str, ...] = ()) -> set[str]:
    return {c.kind for c in extract_claims(text, competitors=competitors)}


@pytest.mark.parametrize("text", [
    "Get a third off every refill this week.", "Pay less for your morning cup.",
    "Savings of up to a quarter on all tins.", "Buy one, get one free on oat bars.",
    "Three jars for the price of two.", "Only £4 today, usually £6.",
])
def test_savings_in_words_are_savings_claims(text: str) -> None:
    assert "savings" in kinds(text)


@pytest.mark.parametrize("text", [
    "A planet-positive snack for busy mornings.", "Packed the eco way.", "The greener pick for your kitchen.",
    "Gentle on nature, strong on taste.", "Our nature-friendly refill jars.", "Kind to the earth.",
])
def test_generic_environmental_wording_is_its_own_kind(text: str) -> None:
    assert "environmental_generic" in kinds(text)


@pytest.mark.parametrize("text", [
    "Three times the crunch of regular granola.", "40% more protein in every bowl.",
    "Double the oats of other brands.", "Beats any supermarket muesli.", "Crunchier flakes than porridge.",
])
def test_comparatives_without_than_are_comparatives(text: str) -> None:
    assert "comparative" in kinds(text)


@pytest.mark.parametrize("text", [
    "Nutritionists recommend our oat bars.", "A dietitian-approved breakfast.",
    "Recommended by leading dentists.", "Nine out of ten doctors choose it.", "Loved by physios across Wales.",
])
def test_endorsements_are_endorsement_claims(text: str) -> None:
    assert "endorsement" in kinds(text)


@pytest.mark.parametrize("text", [
    "A science-backed formula for busy mornings.", "Clinically tested on real families.",
    "Dermatologically approved hand cream.", "Research shows oats keep you going.",
    "Tested in our lab for purity.",
])
def test_pseudo_clinical_wording_is_a_clinical_claim(text: str) -> None:
    assert "clinical" in kinds(text)


@pytest.mark.parametrize("text", [
    "Perfect the art of slow breakfasts.", "Free your Sunday mornings from chores.",
    "Boost your team's morale with a tea round.", "Our for-profit partners and non-profit friends.",
    "This tea does not cure colds, and we never say it does.",
])
def test_verbs_compounds_and_negations_are_not_claims(text: str) -> None:
    assert not kinds(text) & {"superlative", "financial", "health"}


@pytest.mark.parametrize("text", [
    "It boosts your natural defences every winter.", "Supercharges your metabolism.",
    "Keeps you alert through long meetings.", "Keeps the winter bugs at bay.", "Melts away your daily tension.",
])
def test_an_effect_on_body_or_mind_is_a_health_claim(text: str) -> None:
    assert "health" in kinds(text)


def test_competitor_names_match_their_variants() -> None:
    for text in ("Brewmasters fans will love it.", "Brew-master drinkers, look here.", "Salt and Pepper Co fans"):
        assert "competitor" in kinds(text, competitors=("Brewmaster", "Salt & Pepper Co")), text


def test_a_switch_pitch_is_a_comparison_but_advice_is_not() -> None:
    assert "comparative" in kinds("Tired of bland cereal? Try Harbour Oats instead.")
    assert "comparative" not in kinds("Use numerals instead of words for numbers.")


def test_a_topic_word_naming_a_thing_is_not_the_offer(fernhill: BrandProfile) -> None:
    assert not findings(check(fernhill, "Our shipping partners collect from the blending room at noon."))
    assert not findings(check(fernhill, "Delivery estimates appear in your basket."))
    assert any(r.rule == "claims:missing_disclaimer:D-SHIPPING"
               for r in check(fernhill, "Morning Ember ships free over €35 to EU addresses."))


def test_prose_not_about_the_brand_is_not_blocked_for_ordinary_superlatives(northmoor: BrandProfile) -> None:
    results = check(northmoor, "Short sentences give readers the best chance. Most people read 20 percent of a page.")
    assert not blocking(results) and findings(results)


def test_a_superlative_about_the_brand_blocks(northmoor: BrandProfile) -> None:
    assert blocking(check(northmoor, "Harbour Oats are the finest oats in Scotland."))


@pytest.mark.parametrize("text", [
    "Save up to a third on Harbour Oats.", "Earth-kind packaging for every order.",
    "Twice the crunch of ordinary granola.", "Lab-tested to settle busy stomachs.",
    "Experts agree Harbour Oats keep you going.",
])
def test_each_new_kind_blocks_when_unapproved(northmoor: BrandProfile, text: str) -> None:
    assert blocking(check(northmoor, text)), text


def test_a_readers_question_about_an_offer_is_not_a_claim(northmoor: BrandProfile) -> None:
    assert not findings(check(northmoor, "Is delivery free to the Channel Islands?"))
    assert blocking(check(northmoor, "Delivery is free to the Channel Islands."))


def test_a_claim_denied_in_place_is_not_a_claim() -> None:
    assert "environmental" not in kinds("The jars are glass rather than recyclable plastic.")
    assert "environmental" in kinds("The jars are recyclable.")


@pytest.mark.parametrize("text", [
    "Our oat bars are safe for people with a peanut allergy.", "Fine during pregnancy, so enjoy a cup.",
    "Suitable for those who are allergic to tree nuts.", "A gentle granola, ideal for kids with coeliac disease.",
    "Hypoallergenic and made in small batches.", "Our muesli won't trigger your hay fever allergy.",
    "Good for anyone with diabetes.",
])
def test_saying_a_product_suits_people_with_a_condition_is_a_health_claim(text: str) -> None:
    assert "health" in kinds(text)


@pytest.mark.parametrize("text", [
    "Not suitable for people with a peanut allergy.", "Not recommended for children or during pregnancy.",
    "People with a nut allergy should avoid this product.", "Suitable for vegans and vegetarians.",
    "Safe to put in your home compost bin.", "A good choice for busy mornings.",
])
def test_warnings_and_ordinary_suitability_are_not_health_claims(text: str) -> None:
    assert "health" not in kinds(text)


@pytest.mark.parametrize("text", [
    "Pour a mug tonight to wind down before bed.", "Sip a warm cup and relax.", "A relaxing blend for late evenings.",
    "Brew it after dinner for a restful night.", "A relaxing infusion for after dinner.",
    "Keep a tin by the kettle so you can drift off sooner.",
])
def test_a_calmer_body_or_mind_as_the_purpose_of_the_product_is_a_health_claim(text: str) -> None:
    assert "health" in kinds(text)


@pytest.mark.parametrize("text", [
    "Relax: your order ships within two days.", "Find a quiet place to read the guide.",
    "Good night from all of us in the blending room.", "We relaxed the return window to 60 days.",
    "A relaxing evening with friends and a pot of tea.",
])
def test_ordinary_words_about_rest_that_promise_no_effect_are_not_health_claims(text: str) -> None:
    assert "health" not in kinds(text)
