"""Copy cut off mid-sentence blocks; headlines and calls to action without a full stop pass."""

from __future__ import annotations

import pytest

from app.guardrails.quality.cut_off import cut_off_findings


@pytest.mark.parametrize("body", [
    "Quiet Hours is a caffeine-free blend of chamomile and lemon balm that brews a pale golden",
    "Quiet Hours brews a pale golden cup with soft apple notes and",
    "Quiet Hours brews a pale golden cup, perfect for your",
    "Quiet Hours brews a pale golden cup (with soft apple notes",
    "Quiet Hours brews a pale golden cup. Here is what is inside:",
    "Quiet Hours brews a pale golden cup with notes of [",
])
def test_quality_blocks_a_body_cut_off_mid_sentence(quality, body):
    text = f"Meet Quiet Hours\n{body}\nTry Quiet Hours"

    [found] = [r for r in quality(text) if r.rule == "quality:cut_off"]

    start, end = found.spans[0]
    assert text[start:end] == found.evidence and text.index(body) <= start and end == text.index("\nTry")


@pytest.mark.parametrize("text", [
    "Meet Quiet Hours, the\nA caffeine-free blend of chamomile and lemon balm.\nTry Quiet Hours",
    "Meet Quiet Hours\nA caffeine-free blend of chamomile and lemon balm.\nShop our",
    "Meet Quiet Hours\nA caffeine-free blend of chamomile and lemon balm.\nOrder now:",
    "Quiet Hours is a caffeine-free blend. It brews a pale golden cup with soft apple and",
])
def test_quality_blocks_a_headline_cta_or_free_text_that_stops_short(text):
    assert [f.rule for f in cut_off_findings(text)] == ["cut_off"]


@pytest.mark.parametrize("text", [
    "Tea worth staying up for\nQuiet Hours is a caffeine-free blend of chamomile and lemon balm.\nTry Quiet Hours",
    "Meet Quiet Hours\nA pale golden cup for the end of the day! #QuietHours #eveningtea\nShop now",
    "Meet Quiet Hours\nWhat is inside:\n- chamomile from Slavonia\n- lemon balm\nShop now",
    "Meet Quiet Hours\nAsk for it at your local shop \u2026\nFind a shop",
    'Meet Quiet Hours\n"The calmest cup I know," says Niamh.\nTry Quiet Hours',
    "Wind down with Quiet Hours",
    "Our range: Morning Ember, Green Ridge and Quiet Hours. See them all at Fernhill Tea Co",
    "Three teas to try this autumn:",
])
def test_quality_passes_copy_that_ends_where_it_means_to(text):
    assert cut_off_findings(text) == []


def test_english_dangling_words_are_not_judged_in_another_language():
    text = "Bitte geben Sie bei Bedarf weitere Details an"

    assert cut_off_findings(text, "de") == [] and cut_off_findings(text, "en")
