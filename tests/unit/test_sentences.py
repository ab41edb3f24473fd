"""Sentence splitting: every sentence comes back with the span it occupies in the original text."""

from __future__ import annotations

from app.guardrails.sentences import split_sentences


def sentences(text: str) -> list[str]:
    found = split_sentences(text)
    assert all(text[start:end] == sentence for start, end, sentence in found)
    return [sentence for _, _, sentence in found]


def test_spans_index_the_original_text() -> None:
    text = "  Brew it hot.   Or brew it cold!  "
    assert split_sentences(text) == [(2, 14, "Brew it hot."), (17, 33, "Or brew it cold!")]


def test_decimals_prices_and_versions_do_not_end_a_sentence() -> None:
    assert sentences("Quiet Hours is €9.50 for 50 g. App v2.1 is out.") == [
        "Quiet Hours is €9.50 for 50 g.", "App v2.1 is out."]


def test_abbreviations_do_not_end_a_sentence() -> None:
    assert sentences("Try a green tea, e.g. Green Ridge, at 80 °C. Mr. Byrne agrees. Done.") == [
        "Try a green tea, e.g. Green Ridge, at 80 °C.", "Mr. Byrne agrees.", "Done."]


def test_etc_ends_a_sentence_only_before_a_capital() -> None:
    assert sentences("Kettles, cups, etc. are in the kit. Pots, lids etc. Then pour.") == [
        "Kettles, cups, etc. are in the kit.", "Pots, lids etc.", "Then pour."]


def test_urls_and_emails_stay_whole() -> None:
    text = "Order at https://fernhill.example/shop?id=3. Or mail hello@fernhill.example today."
    assert sentences(text) == [
        "Order at https://fernhill.example/shop?id=3.", "Or mail hello@fernhill.example today."]


def test_line_breaks_end_headings_and_list_items_but_not_wrapped_prose() -> None:
    text = "# Cold brew\nSteep it in\nthe fridge overnight.\n\n- 10 g of tea\n- 1 litre of water"
    assert sentences(text) == [
        "# Cold brew", "Steep it in\nthe fridge overnight.", "- 10 g of tea", "- 1 litre of water"]


def test_closing_quotes_and_ellipses_belong_to_their_sentence() -> None:
    assert sentences('She said "Lovely." Then... silence? Yes!') == [
        'She said "Lovely."', "Then...", "silence?", "Yes!"]


def test_blank_text_has_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t ") == []
