"""A claim is supported only when subject, part, material, territory, conditions and strength all match one
approved claim; the finding names the claim compared with and what differs."""

from __future__ import annotations

from app.brand import BrandProfile
from app.guardrails.claims.tests.conftest import blocking, check, findings


def test_claims_support_the_approved_wording_with_its_id(northmoor: BrandProfile) -> None:
    results = check(northmoor, "Harbour Oats contribute to normal digestion as part of a varied diet.")
    assert not findings(results)
    [summary] = [r for r in results if r.rule == "claims:supported"]
    assert summary.evidence == "N-1"


def test_claims_reject_approved_wording_applied_to_another_product(northmoor: BrandProfile) -> None:
    [finding] = blocking(check(northmoor, "Sea Salt Granola contributes to normal digestion as part of a varied "
                                          "diet."))
    assert "compared with N-1" in finding.reason
    assert "subject: sea-salt-granola vs harbour-oats" in finding.reason


def test_claims_reject_approved_wording_applied_to_a_thing_that_is_not_a_product(northmoor: BrandProfile) -> None:
    [finding] = blocking(check(northmoor, "Sugar cubes may help you feel rested when taken daily."))
    assert "subject: Sugar cubes vs Brightwave gummies" in finding.reason


def test_claims_reject_a_stronger_verb_or_an_intensifier(northmoor: BrandProfile) -> None:
    stronger = blocking(check(northmoor, "Harbour Oats greatly improve digestion as part of a varied diet."))
    assert stronger and "compared with N-1" in stronger[0].reason
    assert "strength: improve vs contribute" in stronger[0].reason
    assert "strength: adds greatly" in stronger[0].reason


def test_claims_reject_a_dropped_hedge(northmoor: BrandProfile) -> None:
    [finding] = blocking(check(northmoor, "Brightwave gummies help you feel rested when taken daily."))
    assert "drops may" in finding.reason


def test_claims_reject_a_dropped_condition(northmoor: BrandProfile) -> None:
    [finding] = blocking(check(northmoor, "Harbour Oats contribute to normal digestion."))
    assert "condition: (missing) vs as part of a varied diet" in finding.reason


def test_claims_reject_a_claim_about_another_part(northmoor: BrandProfile) -> None:
    results = check(northmoor, "Our granola jars are made from 100% recycled paper.")
    reasons = " ".join(r.reason for r in blocking(results))
    assert "part: jar vs box" in reasons


def test_claims_reject_a_claim_about_another_material(northmoor: BrandProfile) -> None:
    results = check(northmoor, "Our mailer boxes are made from 100% recycled plastic.")
    assert "material: plastic vs paper" in " ".join(r.reason for r in blocking(results))


def test_claims_reject_an_offer_moved_to_another_territory(northmoor: BrandProfile) -> None:
    results = check(northmoor, "Free delivery on orders over £40 to Germany.")
    assert any("territory: DE vs UK" in r.reason for r in blocking(results))


def test_free_offer_where_the_brands_pricing_charges_is_contradicted(northmoor: BrandProfile) -> None:
    results = check(northmoor, "Enjoy free delivery on orders over £40 anywhere in Ireland.")
    [finding] = [r for r in blocking(results) if r.rule == "claims:contradicted:financial"]
    assert "policy/delivery.md" in finding.reason and "£7.50" in finding.evidence


def test_free_offer_in_the_approved_territory_is_supported(northmoor: BrandProfile) -> None:
    assert not blocking(check(northmoor, "Free delivery on orders over £40 to UK addresses."))


def test_structured_fields_of_the_claims_file_are_parsed(northmoor: BrandProfile) -> None:
    claim = next(c for c in northmoor.claims if c.id == "N-4")
    assert (claim.subject, claim.conditions, claim.strength) == ("Brightwave gummies", ("when taken daily",),
                                                                 "may help")
    today = next(c for c in northmoor.claims if c.id == "N-1")
    assert (today.subject, today.parts, today.territory) == ("", (), ())


def test_the_demo_brands_box_claim_does_not_cover_a_bottle(fernhill: BrandProfile) -> None:
    results = check(fernhill, "The Cold Brew Kit bottle is made from 100% recycled glass.")
    reasons = " ".join(r.reason for r in blocking(results))
    assert "part: bottle vs box" in reasons and "material: glass vs cardboard" in reasons


def test_claims_reject_a_condition_with_its_qualifier_changed(northmoor: BrandProfile) -> None:
    [finding] = blocking(check(northmoor, "Harbour Oats contribute to normal digestion as part of any diet."))
    assert "condition: (missing) vs as part of a varied diet" in finding.reason


def test_claims_reject_a_health_claim_that_adds_an_effect(northmoor: BrandProfile) -> None:
    [finding] = blocking(check(northmoor, "Harbour Oats contribute to normal digestion and energy as part of a "
                                          "varied diet."))
    assert "effect: energy vs digestion" in finding.reason


def test_claims_do_not_read_an_effect_verb_used_as_an_adjective_or_noun_as_a_stronger_claim() -> None:
    from app.guardrails.claims.scope import scope_of

    assert scope_of("A calm morning bowl from Northmoor: certified organic oats.").verbs == ()
    assert scope_of("Our support team answers within a day.").verbs == ()
    assert [v for v, _ in scope_of("Harbour Oats calm busy mornings.").verbs] == ["calm"]
