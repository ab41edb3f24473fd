"""Text about the text blocks: replies to the requester, labels of the copy's parts, descriptions of its
structure. Copy that merely mentions posts, notes or headings passes."""

from __future__ import annotations

import pytest

from app.guardrails.quality.meta_text import meta_text_findings
from app.guardrails.quality.tests.conftest import rules


@pytest.mark.parametrize("text", [
    "Sure! Here's a post about Quiet Hours: wind down with a caffeine-free cup.",
    "Certainly, below is the revised caption for Quiet Hours.",
    "Here is your LinkedIn post:\nQuiet Hours is our evening blend.",
    "I've drafted three headlines for Quiet Hours.",
    "Quiet Hours is our evening blend. I hope this helps!",
    "Quiet Hours is our evening blend. Feel free to adjust the tone.",
    "Quiet Hours is our evening blend. Let me know if you'd like another version.",
])
def test_quality_blocks_the_model_talking_to_the_requester(quality, text):
    assert "quality:meta_text:assistant_reply" in rules(quality(text))


@pytest.mark.parametrize("text", [
    "Title: Quiet Hours for slow evenings",
    "Headline 2: Meet Quiet Hours",
    "Wind down tonight.\nDetailed Description: a caffeine-free blend.\nTry it",
    "Body copy: Quiet Hours is a caffeine-free blend.",
    '"cta": "Try Quiet Hours"',
    "Meet Quiet Hours\nA caffeine-free blend for your evening cup.\nList of CTAs",
    "Quiet Hours\nCall to action\nTry it",
])
def test_quality_blocks_labels_of_the_copys_parts(quality, text):
    assert "quality:meta_text:field_label" in rules(quality(text))


@pytest.mark.parametrize("text", [
    "This header has two short paragraphs about Quiet Hours.",
    "The first paragraph contains the product's origin.",
    "Each sentence includes one fact about Quiet Hours.",
    "The closing line is a placeholder for the offer.",
    "Quiet Hours is a caffeine-free blend (42 words).",
    "Word count: 120",
])
def test_quality_blocks_copy_that_describes_its_own_structure(quality, text):
    assert "quality:meta_text:self_description" in rules(quality(text))


@pytest.mark.parametrize("text", [
    "Quiet Hours is caffeine-free. Any copy that mentions caffeine must carry the disclaimer.",
    "Morning Ember is malty and bold; see disclaimer D-CAFFEINE.",
    "A calm cup for the evening. No sleep, relaxation or stress claims.",
    "Every post must include the disclaimer.",
])
def test_quality_blocks_the_writers_instructions_leaking_into_the_copy(quality, text):
    assert "quality:meta_text:instruction" in rules(quality(text))


@pytest.mark.parametrize("text", [
    "In this post, we share three ways to brew Quiet Hours.",
    "This post contains affiliate links.",
    "Here are three ways to enjoy Quiet Hours after dinner:",
    "Ingredients: chamomile, lemon balm and orange peel.",
    "Note: UK orders ship in separate boxes.",
    "We hope you enjoy your first cup as much as we do.",
    "The headline should say what the reader gets.",
    "Enter your email to get our brewing guide.",
    "Our text message service is free.",
    "No false claims: just tea we would drink ourselves.",
    "Copy the code WELCOME at checkout.",
])
def test_quality_passes_copy_that_mentions_posts_notes_and_headlines(text):
    assert meta_text_findings(text) == []
