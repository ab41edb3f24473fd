"""Copy must name the brief's product or the brand when the brief gives a product or a key message."""

from __future__ import annotations

import pytest

from app.guardrails.quality.naming import brand_names, names_pattern
from app.guardrails.quality.tests.conftest import rules


def test_quality_blocks_copy_that_never_names_the_product_or_brand(quality):
    text = "Company Details\nManagement, Product\nProducts & Brands"

    [found] = [r for r in quality(text, product="quiet-hours") if r.rule == "quality:not_named"]

    assert "Quiet Hours" in found.reason and found.spans == ((0, len(text)),)


@pytest.mark.parametrize("named", ["Quiet Hours", "QUIET HOURS", "quiet-hours", "#QuietHours", "Quiet Hours'",
                                   "Quiet Hours's", "Fernhill", "Fernhill's", "Fernhill Tea Co."])
def test_quality_passes_good_copy_naming_the_product(quality, named):
    text = f"Wind down with {named} evening blend, naturally caffeine-free."

    assert "quality:not_named" not in rules(quality(text, product="quiet-hours"))


def test_with_only_a_key_message_any_of_the_brands_products_names_it(quality):
    text = "Morning Ember brews a malty, full cup that takes milk well."

    assert "quality:not_named" not in rules(quality(text, key_message="a proper breakfast cup"))
    assert "quality:not_named" in rules(quality("A malty cup that takes milk well.", key_message="breakfast tea"))


def test_without_a_product_or_key_message_naming_is_not_checked(quality):
    assert "quality:not_named" not in rules(quality("A malty cup that takes milk well."))


def test_a_product_the_brand_does_not_know_is_its_own_name(quality):
    assert "quality:not_named" not in rules(quality("Try the Autumn Sampler tonight.", product="Autumn Sampler"))


def test_brand_names_drop_the_legal_suffix(fernhill):
    assert brand_names(fernhill) == ["Fernhill Tea Co.", "Fernhill Tea", "fernhill"]


def test_names_match_whole_words_only():
    pattern = names_pattern(["Ash"])
    assert pattern is not None
    assert not pattern.search("a splash of milk") and pattern.search("Ash-blend tea")
    assert names_pattern(["Thunderbird"]).search("das Thunderbird-Konto")  # type: ignore[union-attr]
