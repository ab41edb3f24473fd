"""Template placeholders and slot markers block; brackets, braces and capitals with a real use do not."""

from __future__ import annotations

import pytest

from app.guardrails.base import Severity
from app.guardrails.quality.placeholders import placeholder_findings
from app.guardrails.quality.tests.conftest import rules


@pytest.mark.parametrize("slot", ["[Title]", "[City Name]", "[...]", "[the product description]", "[insert link]",
                                  "[Kundenname]"])
def test_quality_blocks_bracketed_slot_markers(quality, slot):
    text = f"Meet Quiet Hours in {slot}, our evening blend."

    [found] = [r for r in quality(text) if r.rule == "quality:placeholder:bracketed_slot"]

    assert found.severity is Severity.block and found.evidence == slot
    assert text[found.spans[0][0]:found.spans[0][1]] == slot


@pytest.mark.parametrize("variable", ["{name}", "{{ first_name }}", "{% if vip %}", "${discount}", "%(city)s"])
def test_quality_blocks_template_variables(quality, variable):
    results = quality(f"Hello {variable}, your Quiet Hours tin is on its way.")

    assert "quality:placeholder:template_variable" in rules(results)


@pytest.mark.parametrize("slot", ["<insert product benefit>", "<PRODUCT NAME>", "<<headline>>", "<name>"])
def test_quality_blocks_angle_bracket_slots(quality, slot):
    assert "quality:placeholder:angle_slot" in rules(quality(f"Quiet Hours: {slot} for your evenings."))


@pytest.mark.parametrize("filler", ["Lorem ipsum dolor sit amet", "TBD", "TODO", "XXX", "€XX", "X%", "_____",
                                    "Company Name", "Your Logo", "Brand X", "image goes here"])
def test_quality_blocks_filler_and_unfinished_markers(quality, filler):
    assert "quality:placeholder:filler" in rules(quality(f"Quiet Hours is back. {filler}."))


def test_quality_blocks_a_slot_closed_by_the_wrong_bracket_and_one_left_open(quality):
    text = "Visit Quiet Hours at [Museum of Fine) today.\nOur tea, brewed for [the evening"

    found = [r for r in quality(text) if r.rule == "quality:placeholder:unbalanced_bracket"]

    assert [r.evidence for r in found] == ["[Museum of Fine)", "[the evening"]


@pytest.mark.parametrize("text", [
    "Read [our brewing guide](https://fernhilltea.example/brew) before your first cup.",
    "Chamomile calms the evening [1] and lemon balm lifts it [2].",
    "She wrote: \"the tea [sic] was perfect\".",
    "Steep for 4 minutes (longer makes it stronger).",
    "Line breaks<br>and <strong>bold</strong> tags are markup, not slots.",
    "Mail <hello@fernhilltea.example> or visit <https://fernhilltea.example>.",
    "Sizes S to XXL, and 1) pour 2) steep.",
    "We ship across the EU; UK orders pay a flat €6.90 per box.",
])
def test_quality_passes_brackets_and_capitals_that_have_a_real_use(text):
    assert placeholder_findings(text) == []
