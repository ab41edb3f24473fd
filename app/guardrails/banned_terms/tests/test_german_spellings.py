"""German spellings of banned terms: "ß" and "ss", umlauts and their two-letter spellings, capitals, and
German words that only contain a term (a Scunthorpe probe of German compounds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.brand import BannedTerm, BrandProfile
from app.guardrails.banned_terms import BannedTermsCheck
from app.guardrails.base import CheckContext

TERMS = [
    BannedTerm("Wundermittel", "Exaggerated health promise."),
    BannedTerm("Entschlackung", "Unauthorised health claim."),
    BannedTerm("Fettkiller", "Unauthorised health claim."),
    BannedTerm("Schöner Schlaf", "Unauthorised health claim.", replacement="Abendtee"),
    BannedTerm("Größenwahn", "Off-voice."),
    BannedTerm("Kraeuterkur", "Unauthorised health claim."),
    BannedTerm("Müslimeister", "Competitor (Müslimeister GmbH)."),
]


def found(text: str) -> list[tuple[str, str]]:
    ctx = CheckContext(brand=BrandProfile(slug="t", name="T", folder=Path("."), banned_terms=TERMS))
    return [(r.rule.removeprefix("banned_term:"), text[s:e]) for r in BannedTermsCheck().run(text, ctx)
            for s, e in r.spans]


@pytest.mark.parametrize("written", ["Schöner Schlaf", "Schoener Schlaf", "SCHÖNER SCHLAF", "SCHOENER SCHLAF",
                                     "schöner-schlaf"])
def test_an_umlaut_matches_its_two_letter_spelling_and_any_case(written: str) -> None:
    assert found(f"Unser Tee für {written} am Abend.") == [("schöner schlaf", written)]


@pytest.mark.parametrize("written", ["Größenwahn", "Grössenwahn", "GRÖSSENWAHN", "Groessenwahn", "GRÖẞENWAHN"])
def test_sharp_s_and_ss_are_one_letter(written: str) -> None:
    assert [w for _, w in found(f"Kein {written}, bitte.")] == [written]


@pytest.mark.parametrize("written", ["Kräuterkur", "Kraeuterkur", "KRÄUTERKUR"])
def test_a_term_written_without_umlauts_finds_the_umlaut_spelling(written: str) -> None:
    assert [w for _, w in found(f"Die {written} im Frühling.")] == [written]


@pytest.mark.parametrize("written", ["Müslimeister", "Mueslimeister", "Müsli-Meister", "MÜSLIMEISTERS"])
def test_a_competitor_name_matches_german_spellings_and_hyphens(written: str) -> None:
    assert [w for _, w in found(f"Besser als {written} Granola.")] == [written]


@pytest.mark.parametrize("text", [
    "Die Mittel für die Wunde.", "Ein Fettkillerwal gibt es nicht.", "Schöne Schlafzimmer.",
    "Die Grösse zählt nicht.", "Schlackenfreie Entschlüsselung.",
])
def test_no_hit_inside_other_german_words(text: str) -> None:
    assert found(text) == []
