"""The style check on German copy: words and their count, all-caps with umlauts, sentence length, Vale's
capitalisation rules on German headings (nouns are capitalised), and the demo brand's German word list.
The German copy here is written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.brand import BrandProfile, load_brand
from app.guardrails.base import CheckContext
from app.guardrails.style import StyleCheck, parse_style_guide, sentence_word_counts, word_spans
from app.guardrails.style.readability import german_syllables, wiener_grade
from app.guardrails.style.vale.casing import capitalization
from app.settings import PROJECT_ROOT

# 77 words as a reader counts them: umlauts, ß, hyphenated compounds and "CO2" are one word each; "100" is
# a number, not a word, as in the other house rules.
GERMAN_COPY = (
    "Über unsere Teegärten in Assam erzählen wir gern. Die Blätter für Morning Ember wachsen an steilen "
    "Hängen, werden früh gepflückt und schonend getrocknet. Ein Beutel mit 100 g reicht für etwa vierzig "
    "Tassen. Gießen Sie das Wasser kurz nach dem Aufkochen auf und lassen Sie den Tee vier Minuten ziehen. "
    "Fragen zur Bestellung? Schreiben Sie uns eine E-Mail, wir antworten innerhalb eines Werktags. "
    "Die Verpackung besteht aus Papier und gehört ins Altpapier; der CO2-Ausstoß des Versands ist klein."
)


def test_german_words_are_counted_as_a_reader_counts_them() -> None:
    expected = [w.strip(".,;:?!") for w in GERMAN_COPY.split() if not w.strip(".,;:?!").isdigit()]
    assert [GERMAN_COPY[s:e] for s, e in word_spans(GERMAN_COPY)] == expected
    assert len(word_spans(GERMAN_COPY)) == 77


def test_sentence_lengths_count_german_words() -> None:
    first = sentence_word_counts(GERMAN_COPY)[0]
    assert first[1] == 8  # "Über unsere Teegärten in Assam erzählen wir gern."


@pytest.mark.parametrize("text, shouted", [
    ("Unser GRÜNER Tee aus Japan.", ["GRÜNER"]), ("ÜBERALL erhältlich.", ["ÜBERALL"]),
    ("GROẞE Auswahl, kleine Preise.", ["GROẞE"]), ("Über unsere Teegärten", []),
])
def test_all_caps_words_with_umlauts_are_found(text: str, shouted: list[str]) -> None:
    guide = parse_style_guide({"limits": {"all_caps": {"min_length": 4}}})
    results = StyleCheck(guide).run(text, CheckContext(brand=BrandProfile(slug="t", name="T", folder=Path("."))))
    assert [text[s:e] for r in results for s, e in r.spans] == shouted


@pytest.mark.parametrize("match", ["$sentence", "$title"])
@pytest.mark.parametrize("heading", [
    "Über unsere Teegärten", "Frischer Tee für kalte Abende", "Unsere Ernte aus dem Hochland von Assam",
    "So gelingt Ihr Eistee: drei Schritte",
])
def test_german_headings_in_sentence_case_with_capitalised_nouns_pass(match: str, heading: str) -> None:
    assert capitalization({"match": match})(heading, {}) == []


@pytest.mark.parametrize("heading", ["Über Unsere Teegärten", "Tee Für Die Kalten Abende"])
def test_german_headings_with_capitalised_function_words_are_flagged(heading: str) -> None:
    assert capitalization({"match": "$sentence"})(heading, {}) != []


def test_english_headings_keep_vales_semantics() -> None:
    assert capitalization({"match": "$sentence"})("Our Tea Gardens In Assam", {}) != []
    assert capitalization({"match": "$sentence"})("Our tea gardens in Assam", {}) == []


@pytest.fixture(scope="module")
def fernhill() -> BrandProfile:
    return load_brand(PROJECT_ROOT / "brand_kb", "fernhill")


def _rules(brand: BrandProfile, text: str) -> dict[str, str | None]:
    return {r.rule: r.suggestion for r in StyleCheck().run(text, CheckContext(brand=brand))}


def test_the_demo_brands_german_word_list_flags_hype_urgency_and_translated_names(fernhill: BrandProfile) -> None:
    found = _rules(fernhill, "Sensationell mild: Ruhige Stunden, nur heute im Teeclub. Fragen per eMail.")
    assert {"vale:FernhillDE.Uebertreibung", "vale:FernhillDE.Dringlichkeit"} <= set(found)
    assert found["vale:FernhillDE.Begriffe"] in {"Quiet Hours", "The Tea Club", "E-Mail"}


def test_the_german_word_list_is_silent_on_english_and_on_plain_german(fernhill: BrandProfile) -> None:
    english = "Quiet Hours is our evening blend. Email us with questions; we reply within a day."
    assert not [r for r in _rules(fernhill, english) if r.startswith("vale:FernhillDE")]
    assert not [r for r in _rules(fernhill, GERMAN_COPY) if r.startswith("vale:")]


def test_a_rule_written_for_english_does_not_run_on_german(fernhill: BrandProfile) -> None:
    german = "Schreiben Sie uns eine E-Mail: Ruhige Abende kosten 12,50 € pro Beutel mit 100 g."
    assert not [r for r in _rules(fernhill, german) if r.startswith(("style:terminology", "style:pattern"))]
    english = "Send us an e-mail: a pouch costs 12,50 €."
    assert {"style:terminology:e-mail", "style:pattern:price-format"} <= set(_rules(fernhill, english))


def test_german_syllables_have_no_silent_e_and_count_diphthongs_once() -> None:
    assert [german_syllables(w) for w in ("Tee", "Teegärten", "Idee", "Kräuter", "Verpackung")] == [1, 3, 2, 2, 3]


def test_german_reading_grade_uses_the_wiener_sachtextformel() -> None:
    plain = "Der Tee ist gut. Wir mögen ihn sehr. Er ist mild und frisch. " * 5
    dense = ("Die Verpackungsverordnung verpflichtet Vertreiber systembeteiligungspflichtiger Verkaufsverpackungen "
             "zur Beteiligung an flächendeckenden Rücknahmesystemen. ") * 4
    assert wiener_grade(plain) < 4 < 10 < wiener_grade(dense)
    guide = parse_style_guide({"limits": {"reading_grade_max": 10, "reading_min_words": 10}})
    ctx = CheckContext(brand=BrandProfile(slug="t", name="T", folder=Path(".")), language="de")
    [finding] = StyleCheck(guide).run(dense, ctx)
    assert finding.rule == "style:reading_level" and "Wiener Sachtextformel" in finding.reason
    assert StyleCheck(guide).run(plain, ctx) == []


def test_a_channel_word_limit_counts_german_words_as_a_reader_does() -> None:
    guide = parse_style_guide({"channels": {"x": {"body_words": 76}}})
    ctx = CheckContext(brand=BrandProfile(slug="t", name="T", folder=Path(".")), channel="x")
    [finding] = StyleCheck(guide).run(f"Überschrift\n{GERMAN_COPY}\nJetzt bestellen", ctx)
    assert finding.rule == "style:length:body_words" and "body is 77 words; the limit is 76" in finding.reason
    assert StyleCheck(parse_style_guide({"channels": {"x": {"body_words": 77}}})).run(
        f"Überschrift\n{GERMAN_COPY}\nJetzt bestellen", ctx) == []
