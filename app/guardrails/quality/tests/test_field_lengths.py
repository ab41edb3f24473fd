"""A variant's empty or stub fields block, with per-channel minimums from the brand's style.yaml."""

from __future__ import annotations

from app.brand import BrandProfile
from app.guardrails.quality.field_lengths import DEFAULT_MINIMUMS, field_findings, minimums


def test_quality_blocks_an_empty_field(quality):
    [found] = [r for r in quality("Meet Quiet Hours\n \u2014 \nTry Quiet Hours") if r.rule == "quality:field:empty"]

    assert found.evidence == "body" and "empty" in found.reason


def test_quality_blocks_a_body_below_the_channels_minimum(quality, fernhill):
    text = "Meet Quiet Hours\nQuiet Hours, caffeine-free, for evenings.\nTry it"
    least = minimums(fernhill, "linkedin")["body_min_words"]

    [found] = [r for r in quality(text, channel="linkedin") if r.rule == "quality:field:too_short"]

    assert f"at least {least}" in found.reason
    assert text[slice(*found.spans[0])] == "Quiet Hours, caffeine-free, for evenings."


def test_channel_minimums_come_from_style_yaml_over_the_defaults(fernhill, tmp_path):
    assert minimums(fernhill, "x")["body_min_words"] < minimums(fernhill, "linkedin")["body_min_words"]
    bare = BrandProfile(slug="bare", name="Bare", folder=tmp_path)
    assert minimums(bare, "linkedin") == DEFAULT_MINIMUMS
    assert minimums(bare, None) == DEFAULT_MINIMUMS


def test_quality_passes_short_but_complete_fields(quality):
    text = "Unwind.\nQuiet Hours is a caffeine-free blend of chamomile and lemon balm for your evening cup.\nSubscribe"

    assert not [r for r in quality(text, channel="instagram") if r.rule.startswith("quality:field")]


def test_field_rules_leave_free_text_alone():
    assert field_findings("Quiet Hours.", DEFAULT_MINIMUMS) == []
    assert field_findings("Meet Quiet Hours\nTry it", DEFAULT_MINIMUMS) == []
