"""Loops and copied sentences block; the repetition people use on purpose passes."""

from __future__ import annotations

import pytest

from app.guardrails.quality.repetition import repetition_findings
from app.guardrails.quality.tests.conftest import rules


@pytest.mark.parametrize("text", [
    "Quiet Hours is calm calm calm calm for your evening.",
    "A sunrise, a sunrise, a sunrise in every cup of Quiet Hours.",
    "Quiet Hours: a warm cup for you, a warm cup for you, every night.",
])
def test_quality_blocks_a_run_of_words_looping_back_to_back(quality, text):
    [loop] = [r for r in quality(text) if r.rule == "quality:repetition:loop"]
    start, end = loop.spans[0]
    assert text[start:end] == loop.evidence


def test_quality_blocks_a_sentence_said_twice(quality):
    text = "Meet Quiet Hours tonight\nA caffeine-free evening blend. A caffeine-free evening blend.\nTry it"

    [found] = [r for r in quality(text) if r.rule == "quality:repetition:repeated_sentence"]

    assert len(found.spans) == 2


def test_quality_blocks_a_phrase_that_keeps_coming_back(quality):
    text = ("Quiet Hours is a blend. Quiet Hours is a ritual. Quiet Hours is a cup. Quiet Hours is a pause "
            "at the end of the day.")

    assert "quality:repetition:repeated_phrase" in rules(quality(text))


def test_quality_blocks_a_long_stretch_copied_into_another_field(quality):
    text = ("Quiet Hours for your evening\nThe story of Quiet Hours is a story of chamomile and lemon balm grown "
            "in Slavonia.\nThe story of Quiet Hours is a story of chamomile and lemon balm")

    assert "quality:repetition:repeated_phrase" in rules(quality(text))


def test_quality_passes_a_body_that_restates_its_headline(quality):
    text = ("Brew Green Ridge cooler and shorter for a brighter cup\nA quick tip: brew Green Ridge cooler and shorter "
            "for a brighter cup. Water at 70-75 \u00b0C is enough.\nTry Green Ridge")

    assert not [r for r in quality(text) if r.rule.startswith("quality:repetition")]


def test_quality_passes_long_copy_that_names_the_product_often(quality):
    text = ("Tea on your terms\nThe Tea Club sends a seasonal tea each month. The Tea Club has no minimum term. "
            "Pause The Tea Club when you travel, and come back to The Tea Club when you like.\nJoin The Tea Club")

    assert not [r for r in quality(text, product="the-tea-club") if r.rule.startswith("quality:repetition")]


@pytest.mark.parametrize("text", [
    "Location, location, location: our tea room is by the harbour.",
    "Sip, savour, repeat.",
    "Slow down. Slow down. Quiet Hours is here.",
    "We tried it again and again and again until the blend was right.",
    "The tea she had had was Quiet Hours.",
    "Quiet Hours is calm. Morning Ember is bold. Green Ridge is bright.",
])
def test_quality_passes_repetition_used_on_purpose(text):
    assert repetition_findings(text) == []

