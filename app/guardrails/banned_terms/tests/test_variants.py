"""Banned terms and competitor names cannot be hidden by look-alike letters or written as a variant, and
do not match inside other words."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.brand import BannedTerm, BrandProfile
from app.guardrails.banned_terms import BannedTermsCheck
from app.guardrails.base import CheckContext
from app.guardrails.normalise.tests.writing import with_cyrillic, with_greek

TERMS = [
    BannedTerm("Brewmaster Bros", "Competitor name."),
    BannedTerm("Pot & Pour", "Competitor name."),
    BannedTerm("Teaforia", "Competitor (Teaforia Ltd)."),
    BannedTerm("ale", "Not our product."),
    BannedTerm("fat burning", "Unauthorised health claim."),
    BannedTerm("anti-inflammatory", "Medicinal claim."),
    BannedTerm("gluten free", "Not certified.", replacement="made without wheat"),
    BannedTerm("#1", "Unverifiable ranking."),
]


def found(text: str, terms: list[BannedTerm] = TERMS) -> list[tuple[str, str]]:
    ctx = CheckContext(brand=BrandProfile(slug="test", name="Test", folder=Path("."), banned_terms=terms))
    return [(r.rule.removeprefix("banned_term:"), text[s:e]) for r in BannedTermsCheck().run(text, ctx)
            for s, e in r.spans]


@pytest.mark.parametrize("text, written", [
    ("Teaforias are everywhere now.", "Teaforias"),
    ("Unlike Teaforia's tins, ours seal.", "Teaforia's"),
    ("Unlike Teaforia\u2019s tins, ours seal.", "Teaforia\u2019s"),
    ("Both Teaforias' shops closed.", "Teaforias'"),
    ("Tea-foria fans, listen up.", "Tea-foria"),
    ("TEA FORIA fans, listen up.", "TEA FORIA"),
    ("Brewmaster-Bros and friends.", "Brewmaster-Bros"),
])
def test_competitor_names_match_inflections_spacing_and_hyphens(text, written):
    assert [w for _, w in found(text)] == [written]


@pytest.mark.parametrize("written", ["Pot and Pour", "Pot + Pour", "pot&pour", "POT 'N' POUR", "Pot & Pour"])
def test_and_ampersand_and_plus_match_each_other_in_names(written):
    assert found(f"Better than {written} any day.") == [("pot & pour", written)]


def test_look_alike_letters_cannot_hide_a_term_or_a_name():
    text = "No " + with_cyrillic("fat burning", "a") + " here, unlike " + with_greek("Teaforia", "oi") + "."

    assert found(text) == [("fat burning", with_cyrillic("fat burning", "a")),
                           ("teaforia", with_greek("Teaforia", "oi"))]


@pytest.mark.parametrize("text", [
    "Our summer sale ends Friday.", "A pale, golden cup.", "Stale tea? Never.", "Kaleidoscope of flavour.",
    "Brewmasters guild", "teapot and pouring guide", "A potpourri of blends.", "Rated #10 by nobody.",
])
def test_no_hit_inside_other_words_or_on_a_different_name(text):
    assert found(text) == []


def test_spaces_and_hyphens_in_terms_match_each_other_and_nothing():
    assert [w for _, w in found("Fat-burning, fatburning and fat  burning blends.")] == \
        ["Fat-burning", "fatburning", "fat  burning"]
    assert [w for _, w in found("Gentle and anti inflammatory.")] == ["anti inflammatory"]


def test_one_finding_per_term_with_every_occurrence_and_the_replacement():
    ctx = CheckContext(brand=BrandProfile(slug="test", name="Test", folder=Path("."), banned_terms=TERMS))
    [finding] = BannedTermsCheck().run("Gluten free cake, gluten-free tea.", ctx)

    assert finding.spans == ((0, 11), (18, 29)) and finding.suggestion == "made without wheat"
    assert "'gluten-free'" not in finding.reason or "a form of" in finding.reason


def test_a_variant_is_named_as_a_form_of_the_term_in_the_reason():
    ctx = CheckContext(brand=BrandProfile(slug="test", name="Test", folder=Path("."), banned_terms=TERMS))
    [finding] = BannedTermsCheck().run("Pot and Pour fans", ctx)

    assert "'Pot and Pour' (a form of 'Pot & Pour') is banned by the brand" in finding.reason


def test_matching_is_one_pass_over_the_text():
    """Many terms and a long text: the brand's pattern is one alternation, so this stays fast (no timing
    asserted; see the report's measurement)."""
    terms = [BannedTerm(f"term{i}", "x") for i in range(300)]
    text = "plain words about tea " * 5000 + "term299"

    assert found(text, terms) == [("term299", "term299")]
