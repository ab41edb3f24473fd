"""Copy in another language than the brief's blocks; short lines, names and loan words do not."""

from __future__ import annotations

import pytest

from app.errors import InvalidInput
from app.guardrails.quality.language import language_findings
from app.guardrails.quality.tests.conftest import rules


def test_quality_blocks_copy_in_another_language(quality):
    text = "Quiet Hours\nUne infusion sans caféine de camomille et de mélisse pour vos soirées.\nEssayez-la"

    [found] = [r for r in quality(text, language="en") if r.rule == "quality:language"]

    assert "'fr'" in found.reason and "'en'" in found.reason


def test_quality_blocks_a_draft_that_drifts_into_another_language_for_a_line():
    text = ("Meet Quiet Hours, our evening blend\nA caffeine-free cup of chamomile and lemon balm from Slavonia, "
            "for the end of a long day.\nDie Kamille und die Melisse werden von einer Genossenschaft angebaut.\n"
            "Try Quiet Hours")

    [found] = language_findings(text, "en")

    assert text[found.spans[0][0]:found.spans[0][1]].startswith("Die Kamille")


def test_quality_passes_german_copy_for_a_german_brief(quality):
    text = "Quiet Hours\nEine koffeinfreie Mischung aus Kamille und Zitronenmelisse für Ihren Abend.\nJetzt probieren"

    assert "quality:language" not in rules(quality(text, language="de"))


@pytest.mark.parametrize("text", ["Quiet Hours", "Merci, Niamh!", "Try our Quiet Hours latte: a café favourite.",
                                  "Danke schön from all of us at Fernhill."])
def test_quality_passes_short_text_names_and_loan_words(text):
    assert language_findings(text, "en") == []


def test_without_a_language_it_is_not_checked(quality):
    assert "quality:language" not in rules(quality("Une infusion sans caféine pour vos soirées tranquilles."))


def test_an_unknown_language_code_is_an_error_not_a_finding():
    with pytest.raises(InvalidInput, match="ISO 639-1"):
        language_findings("Quiet Hours is a caffeine-free blend.", "xx")
