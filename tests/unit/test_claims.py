"""The claims check on the demo brand's real knowledge base: extraction, support, contradiction and
disclaimers."""

from __future__ import annotations

import pytest

from app.brand import BrandProfile, load_brand
from app.guardrails.base import CheckContext, CheckResult, Severity
from app.guardrails.claims import ClaimsCheck
from app.guardrails.claims.candidates import extract_claims
from app.settings import PROJECT_ROOT

# Five truthful Fernhill posts written from the approved claims, product facts and disclaimers only:
# (channel, product, "headline\nbody\ncta").
GOOD_POSTS = [
    ("instagram", "quiet-hours",
     "Our evening cup: Quiet Hours\n"
     "Quiet Hours is naturally caffeine-free, as infusions of chamomile, lemon balm and orange peel "
     "are. It brews a pale golden cup with soft apple-and-hay notes and a bright citrus lift. Steep "
     "it for 5-7 minutes, covered. A 50 g pouch costs €9.50 and makes about 25 cups.\n"
     "\n"
     "Contains chamomile. People with an allergy to plants in the daisy family (Asteraceae), such as "
     "ragweed or marigold, should avoid this product.\n"
     "\n"
     "#FernhillTea #LooseLeafTea #HerbalInfusion\n"
     "Link in bio to shop Quiet Hours"),
    ("linkedin", "morning-ember",
     "Morning Ember starts at Mangalam Estate in Assam\n"
     "We buy our three core teas directly from the people who grow them. They are Mangalam Estate in "
     "Assam, India; Yamabuki Tea Garden in Shizuoka, Japan; and the Zelena Dolina cooperative in "
     "Slavonia, Croatia.\n"
     "\n"
     "Morning Ember is our breakfast tea: a whole-leaf Assam black tea with a malty, honeyed body. It "
     "has a gentle brisk finish that stands up well to a splash of milk.\n"
     "\n"
     "Every blend is mixed by hand in small batches of no more than 20 kg in our blending room in "
     "Kilbrannagh. Morning Ember is certified organic under EU organic rules (control body "
     "IE-ORG-09). It comes in a home-compostable pouch certified to EN 13432.\n"
     "\n"
     "If you run a café and would like to talk about stocking it, we would be glad to hear from you.\n"
     "\n"
     "#LooseLeafTea #OrganicTea #IrishBusiness\n"
     "Get in touch about wholesale"),
    ("x", "green-ridge",
     "Here's the trick with sencha: cooler water.\n"
     "Brew Green Ridge at 70-75 °C, never boiling, and steep it for 1-1.5 minutes. The leaves can be "
     "re-steeped twice.\n"
     "Read the brewing guide on our blog"),
    ("email", "the-tea-club",
     "A new seasonal blend each month\n"
     "The Tea Club: €16.00 a month, no minimum term. Pause, skip or cancel any time from your "
     "account.\n"
     "\n"
     "Each month you get a letterbox-sized box with two 50 g pouches. One is a seasonal blend made "
     "only for the Club, the other a tea from our core range, plus a tasting card with brewing notes. "
     "Every Tea Club box ships free to EU addresses.\n"
     "\n"
     "All teas in The Tea Club are certified organic under EU organic rules (control body IE-ORG-09). "
     "The box is 100% recycled cardboard and sized to fit a letterbox.\n"
     "\n"
     "The Tea Club costs €16.00 per month, billed on the 1st of each month. Cancel any time from your "
     "account before the billing date; there is no minimum term and no cancellation fee. Free "
     "shipping applies to EU addresses; UK delivery is €4.00 per box.\n"
     "Join The Tea Club"),
    ("email", "cold-brew-kit",
     "Tea from the fridge this summer\n"
     "The Cold Brew Kit is everything you need to make tea in the fridge. It has a 1-litre glass "
     "bottle with a stainless-steel filter and cork stopper, and four 25 g pouches: Morning Ember, "
     "Green Ridge, Quiet Hours and Hedgerow Hibiscus.\n"
     "\n"
     "Add 10 g of tea per litre, fill the bottle with cold water and leave it in the fridge for 8-12 "
     "hours. Each 25 g pouch makes about 10 glasses of 250 ml. The kit costs €34.00.\n"
     "\n"
     "Free standard shipping on orders over €35 to anywhere in the EU.\n"
     "\n"
     "Free standard shipping applies to orders over €35 (after discounts) delivered to EU addresses. "
     "Below €35, EU standard shipping is €4.50. UK orders ship for a flat €6.90. Express delivery is "
     "charged at checkout. Contains chamomile. People with an allergy to plants in the daisy family "
     "(Asteraceae), such as ragweed or marigold, should avoid this product.\n"
     "Shop the Cold Brew Kit"),
]


@pytest.fixture(scope="module")
def fernhill() -> BrandProfile:
    return load_brand(PROJECT_ROOT / "brand_kb", "fernhill")


def run(brand: BrandProfile, text: str, product: str | None = None) -> list[CheckResult]:
    return ClaimsCheck().run(text, CheckContext(brand=brand, channel="instagram", product=product))


def failed(results: list[CheckResult], rule: str) -> list[CheckResult]:
    return [r for r in results if not r.passed and r.rule == rule]


def test_unsupported_health_claim_blocks(fernhill: BrandProfile) -> None:
    text = "Green Ridge\nA fresh cup that supports healthy digestion.\nShop Green Ridge"
    findings = failed(run(fernhill, text, "green-ridge"), "claims:unsupported:health")
    assert {text[s:e] for f in findings for s, e in f.spans} == {"supports healthy digestion"}
    assert all(f.blocks for f in findings)
    assert "health claims" in findings[0].reason


def test_price_that_differs_from_the_fact_is_contradicted(fernhill: BrandProfile) -> None:
    text = "Quiet Hours costs €8 for a 50 g pouch."
    [finding] = failed(run(fernhill, text), "claims:contradicted:price")
    assert finding.blocks and text[slice(*finding.spans[0])] == "€8"
    assert "quiet-hours.price" in finding.reason and "9.5" in finding.reason
    assert finding.evidence.startswith("quiet-hours.price:") and "€9.50" in finding.evidence
    assert finding.suggestion == "€9.50"  # the fact's value, ready to replace the span


def test_approved_claim_is_supported_with_its_id(fernhill: BrandProfile) -> None:
    text = ("Rated 4.8 out of 5 by our customers, from 2,316 verified reviews. Average of 2,316 verified "
            "customer "
            "reviews on ReviewLoop as at 31 March 2025.")
    results = run(fernhill, text)
    [summary] = [r for r in results if r.rule == "claims:supported"]
    assert summary.passed and "C-009" in summary.evidence.split(", ")
    assert not [r for r in results if not r.passed]


def test_superlative_without_approval_is_unsupported(fernhill: BrandProfile) -> None:
    text = "Morning Ember is the finest breakfast tea, from Mangalam Estate in Assam."
    [finding] = failed(run(fernhill, text, "morning-ember"), "claims:unsupported:superlative")
    assert finding.blocks and text[slice(*finding.spans[0])] == "finest"
    assert finding.suggestion is not None and finding.suggestion.startswith("closest approved claim C-")


def test_missing_subscription_disclaimer_is_a_finding(fernhill: BrandProfile) -> None:
    text = "Join The Tea Club\nThe Tea Club: €16.00 a month, no minimum term.\nJoin The Tea Club"
    [finding] = failed(run(fernhill, text, "the-tea-club"), "claims:missing_disclaimer:D-SUBSCRIPTION")
    assert finding.severity is Severity.warn and not finding.blocks
    with_disclaimer = text + "\n" + fernhill.disclaimers["D-SUBSCRIPTION"]
    again = run(fernhill, with_disclaimer, "the-tea-club")
    assert not failed(again, "claims:missing_disclaimer:D-SUBSCRIPTION")


def test_caffeine_free_does_not_call_for_the_caffeine_disclaimer(fernhill: BrandProfile) -> None:
    results = run(fernhill, "Quiet Hours is naturally caffeine-free. Contains chamomile.", "quiet-hours")
    assert not failed(results, "claims:missing_disclaimer:D-CAFFEINE")


def test_competitor_comparison_is_never_supported(fernhill: BrandProfile) -> None:
    results = run(fernhill, "Green Ridge is fresher than Kettlewick and other brands.")
    rules = {r.rule for r in results if r.blocks}
    assert {"claims:unsupported:competitor", "claims:unsupported:comparative"} <= rules
    assert len(failed(results, "claims:unsupported:competitor")) == 2


def test_forbidden_pattern_is_unsupported_even_if_an_approved_claim_matches(fernhill: BrandProfile) -> None:
    [finding] = failed(run(fernhill, "Free shipping on all orders."), "claims:unsupported:financial")
    assert "F-015" in finding.reason


def test_number_of_another_product_in_the_same_sentence_is_not_borrowed(fernhill: BrandProfile) -> None:
    results = run(fernhill, "Morning Ember costs €9.50.", "quiet-hours")
    [finding] = failed(results, "claims:contradicted:price")
    assert "morning-ember.price" in finding.reason


@pytest.mark.parametrize(("channel", "product", "text"), GOOD_POSTS, ids=[p[1] for p in GOOD_POSTS])
def test_good_copy_gets_no_blocking_claims_finding(fernhill: BrandProfile, channel: str, product: str,
                                                   text: str) -> None:
    results = ClaimsCheck().run(text, CheckContext(brand=fernhill, channel=channel, product=product))
    assert not [r for r in results if r.blocks], [r.reason for r in results if r.blocks]
    assert any(r.rule == "claims:supported" for r in results)


def test_extraction_finds_each_kind_with_its_span() -> None:
    text = ("Our #1 award-winning tea, clinically proven and eco-friendly, rated 4.8/5: €12.50 for 100 g "
            "with a "
            "30-day guarantee. It boosts immunity, is better than Kettlewick and saves €5.")
    claims = extract_claims(text, competitors=["Kettlewick"])
    assert all(text[c.start:c.end] == c.text for c in claims)
    kinds = {(c.kind, c.text) for c in claims}
    assert {("ranking", "#1"), ("award", "award-winning"), ("clinical", "clinically proven"),
            ("environmental_generic", "eco-friendly"), ("rating", "4.8/5"), ("price", "€12.50"), ("number", "100 g"),
            ("number", "30-day"), ("guarantee", "guarantee"), ("health", "boosts immunity"),
            ("comparative", "better than"), ("competitor", "Kettlewick"), ("savings", "saves €5")} <= kinds
    price = next(c for c in claims if c.kind == "price" and c.text == "€12.50")
    assert (price.value, price.unit) == (12.5, "EUR")


def test_dates_codes_and_hyphenated_free_are_not_claims() -> None:
    claims = extract_claims("Ends 23:59 on 14 September 2025, billed on the 1st. IE-ORG-09. Caffeine-free.")
    assert claims == []


def test_a_brand_with_only_two_approved_claims_still_gets_them_supported(tmp_path) -> None:
    folder = tmp_path / "kb" / "tiny"
    folder.mkdir(parents=True)
    (folder / "brand.yaml").write_text("name: Tiny Co\nchannels: [blog]\n", encoding="utf-8")
    (folder / "claims.yaml").write_text(
        "approved_claims:\n"
        "  - {id: T-1, text: Every order ships in boxes made from 100% recycled cardboard.}\n"
        "  - {id: T-2, text: Our mugs are made in Stoke-on-Trent.}\n", encoding="utf-8")
    tiny = load_brand(tmp_path / "kb", "tiny")

    results = ClaimsCheck().run("We ship every order in boxes made from 100% recycled cardboard.",
                                CheckContext(brand=tiny))

    assert not [r for r in results if r.blocks], [r.reason for r in results if not r.passed]


def test_a_free_offer_the_brands_pricing_charges_for_is_contradicted(fernhill: BrandProfile) -> None:
    [finding] = failed(run(fernhill, "Tea Club members in the UK get every box shipped free."),
                       "claims:contradicted:financial")
    assert finding.blocks and "the-tea-club.shipping" in finding.reason and "€4.00" in finding.reason


def test_a_free_offer_without_its_approved_condition_blocks(fernhill: BrandProfile) -> None:
    results = run(fernhill, "Free shipping to the EU on everything.")
    assert any(r.blocks and r.rule.endswith(":financial") for r in results)


def test_approved_offer_with_its_territory_and_condition_is_supported(fernhill: BrandProfile) -> None:
    results = run(fernhill, "Free standard shipping on orders over €35 to anywhere in the EU.")
    assert not [r for r in results if r.blocks]
    assert "C-003" in next(r for r in results if r.rule == "claims:supported").evidence


def test_structured_scope_fields_of_the_demo_brand_are_read(fernhill: BrandProfile) -> None:
    c003 = next(c for c in fernhill.claims if c.id == "C-003")
    assert c003.territory == ("EU",) and c003.conditions == ("orders over €35",)
