"""German claims, kind by kind, and German numbers. Sentences are written for these tests (a muesli and a
granola brand), not copied from the cases or from the German claims data set that measures the rules."""

from __future__ import annotations

import pytest

from app.brand import BrandProfile
from app.guardrails.claims import extract_claims
from app.guardrails.claims.tests.conftest import blocking, check


def kinds(text: str) -> set[str]:
    return {c.kind for c in extract_claims(text, language="de")}


@pytest.mark.parametrize("text", [
    "Das ist der beste Haferbrei, den Sie je gegessen haben.", "Unser feinstes Müsli kommt aus dem Allgäu.",
    "Die knusprigsten Flocken im ganzen Land.", "Dieses Granola ist unschlagbar.", "Wir sind Nr. 1 beim Frühstück.",
    "Die weltbesten Haferflocken.", "Unsere Riegel schmecken am frischesten.",
])
def test_german_superlatives_and_rankings_are_claims(text: str) -> None:
    assert kinds(text) & {"superlative", "ranking"}


@pytest.mark.parametrize("text", [
    "Die erste Lieferung kommt am Montag.", "Das letzte Glas ist leer.", "Die meisten Kunden bestellen online.",
    "Am besten mit kalter Milch servieren.", "Die Kosten für den Versand trägt der Kunde.",
    "Unsere Gäste lieben das Frühstück.", "Die feste Konsistenz kommt vom Hafer.",
])
def test_german_ordinals_idioms_and_nouns_are_not_superlatives(text: str) -> None:
    assert not kinds(text) & {"superlative", "ranking"}


@pytest.mark.parametrize("text", [
    "Hafer stärkt deine Abwehrkräfte.", "Unser Müsli heilt Verstopfung.", "Ein Riegel gegen Heißhunger.",
    "Die Flocken fördern eine gesunde Verdauung.", "Beugt Muskelkater vor.",
    "Ballaststoffe tragen zu einer normalen Darmfunktion bei.", "Granola, das die Konzentration steigert.",
    "Für ein gesundes Herz am Morgen.", "Macht schlank und satt.",
])
def test_german_health_wording_is_a_health_claim(text: str) -> None:
    assert "health" in kinds(text)


@pytest.mark.parametrize("text", [
    "Wir verbessern die Funktionen der App.", "Bei der Bestellung helfen wir gern.", "Die Kosten senken wir.",
    "Gegen Aufpreis liefern wir am Samstag.", "Der Grüne Tee ist in drei Sorten erhältlich.",
])
def test_german_everyday_verbs_without_a_health_object_are_not_health_claims(text: str) -> None:
    assert "health" not in kinds(text)


@pytest.mark.parametrize("text, kind", [
    ("Klinisch getestet an 40 Frühstückern.", "clinical"), ("Studien belegen die Wirkung.", "clinical"),
    ("Von Ernährungsberatern empfohlen.", "endorsement"), ("Unsere Verpackung ist umweltfreundlich.",
                                                           "environmental_generic"),
    ("Nachhaltige Haferflocken aus der Region.", "environmental_generic"),
    ("Die Dose ist recycelbar.", "environmental"), ("Klimaneutral geliefert.", "environmental"),
    ("Versand gratis ab 30 €.", "financial"), ("Die Probe ist kostenlos.", "financial"),
    ("Spare bis zu 30 % auf alle Riegel.", "savings"), ("Jetzt 20 % Rabatt auf Granola.", "savings"),
    ("Zum halben Preis, nur diese Woche.", "savings"), ("Mit Geld-zurück-Garantie.", "guarantee"),
    ("Knuspriger als herkömmliche Cornflakes.", "comparative"), ("Ganz ohne Zuckerzusatz.", "nutrition"),
])
def test_german_claims_of_each_kind(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize("text", [
    "Die Probe ist nicht kostenlos.", "Der Riegel hat keine Heilwirkung.", "Wir geben keine Garantie auf Glasbruch.",
])
def test_german_negation_takes_the_claim_back(text: str) -> None:
    assert not kinds(text) & {"financial", "health", "guarantee"}


def test_nachhaltig_as_an_adverb_of_a_verb_is_not_an_environmental_claim() -> None:
    assert "environmental_generic" not in kinds("Spenden helfen, das Projekt nachhaltig zu finanzieren.")
    assert "environmental_generic" not in kinds("Das wird die Suche nachhaltig verändern.")


@pytest.mark.parametrize("text, value, unit", [
    ("Nur 1.299,00 € für das Jahresabo.", 1299.0, "EUR"), ("Das Glas kostet 4,95 €.", 4.95, "EUR"),
    ("Ab 1.299 € im Jahr.", 1299.0, "EUR"), ("2.500 Kunden frühstücken mit uns.", 2500.0, "customer"),
    ("Drei Minuten quellen lassen: 3 Minuten.", 3.0, "min"), ("Bis zu 50 % weniger Zucker.", 50.0, "%"),
])
def test_german_numbers_and_prices_are_read_in_german_format(text: str, value: float, unit: str) -> None:
    values = {(c.value, c.unit) for c in extract_claims(text, language="de") if c.kind in ("price", "number")}
    assert (value, unit) in values


def test_a_german_date_is_not_a_number_claim() -> None:
    assert not [c for c in extract_claims("Lieferung ab dem 3. Mai.", language="de") if c.kind == "number"]


def test_english_text_is_not_read_with_german_rules() -> None:
    assert "environmental" not in kinds_en("Read our bio on the about page.")


def kinds_en(text: str) -> set[str]:
    return {c.kind for c in extract_claims(text, language="en")}


def test_language_is_detected_when_the_brief_gives_none() -> None:
    assert "health" in {c.kind for c in extract_claims("Unser Müsli stärkt das Immunsystem jeden Morgen.")}


def test_german_health_and_superlative_claims_block_for_the_brand(northmoor: BrandProfile) -> None:
    rules = {r.rule for r in blocking(check(northmoor, "Unser Müsli ist das beste der Welt und heilt Migräne."))}
    assert {"claims:unsupported:health", "claims:unsupported:superlative"} <= rules


def test_german_superlative_in_a_text_not_about_the_brand_only_warns(northmoor: BrandProfile) -> None:
    results = check(northmoor, "Im Herbst sind die Tage am kürzesten.", language="de")
    assert results and not blocking(results)


def test_german_copy_without_claims_passes(northmoor: BrandProfile) -> None:
    text = "Die Beutel gehören in den Kompost. Über unsere Felder im Allgäu erzählen wir im Blog."
    assert not blocking(check(northmoor, text, language="de"))
