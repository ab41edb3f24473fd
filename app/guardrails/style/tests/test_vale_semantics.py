"""Vale's semantics the factory must keep: swap order, regex swap values, scopes, conditional rules, and
rules that cannot run reported at load (with the file and why), never dropped in silence."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.brand import BrandProfile
from app.guardrails.base import CheckContext, CheckResult
from app.guardrails.style import StyleCheck, apply_fixes, parse_style_guide
from app.guardrails.style.vale import ValeCheck, load_rule, load_rules, post_blocks


def rule(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yml"
    path.write_text(body, encoding="utf-8")
    return path


def run(path: Path, text: str, tmp_path: Path) -> list[CheckResult]:
    ctx = CheckContext(brand=BrandProfile(slug="demo", name="Demo", folder=tmp_path))
    return ValeCheck([load_rule(path)]).run(text, ctx)


def spans(text: str, results: list[CheckResult]) -> list[str]:
    return [text[slice(*r.spans[0])] for r in results]


def test_substitution_tries_the_longest_swap_key_first(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Terms", """
extends: substitution
message: "Use '%s' instead of '%s'."
ignorecase: true
swap:
  sign up: sign-up
  sign up form: registration form
""")
    text = "Fill in the sign up form.\nPlease sign up today."
    results = run(path, text, tmp_path)
    assert [(found, r.suggestion) for found, r in zip(spans(text, results), results, strict=True)] == [
        ("sign up form", "registration form"), ("sign up", "sign-up")]


LEAF_RULE = r"""
extends: substitution
message: "Say '%s', not '%s'."
ignorecase: true
swap:
  '(?:\w+) leaf teas?': '(?:loose|whole) leaf teas?'
"""


def test_regex_swap_value_accepts_its_own_forms_in_any_case_under_ignorecase(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Leaves", LEAF_RULE)
    text = "Whole Leaf Tea\nOur loose leaf teas and our broken leaf tea.\nShop"
    assert spans(text, run(path, text, tmp_path)) == ["broken leaf tea"]


def test_regex_swap_value_is_never_written_into_the_copy(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Leaves", LEAF_RULE)
    text = "New in\nTry our dusty leaf tea.\nShop"
    [finding] = run(path, text, tmp_path)
    assert finding.suggestion is None and "'dusty leaf tea'" in finding.reason
    assert "no automatic fix" in finding.reason
    assert apply_fixes(text, [finding], checks=("vale",)) == text


def test_plain_swap_value_compares_case_exactly_as_vale_does(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Names", "extends: substitution\nmessage: \"Use '%s'.\"\nswap:\n"
                                             "  Mutual TLS: mutual TLS\n")
    assert spans("We use Mutual TLS. And mutual TLS.", run(path, "We use Mutual TLS. And mutual TLS.",
                                                             tmp_path)) == ["Mutual TLS"]


def test_heading_scope_runs_on_the_headline_only(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Headings", """
extends: capitalization
message: "'%s' should be in sentence case."
scope: heading
match: $sentence
""")
    text = "Brewing Notes For Winter\nWe Tested Twelve Teas On A Cold Morning.\nRead The Guide"
    assert spans(text, run(path, text, tmp_path)) == ["Brewing Notes For Winter"]


def test_sentence_and_list_scopes_select_their_blocks(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Long", "extends: occurrence\nmessage: Too many commas\nscope: sentence\n"
                                            "max: 1\ntoken: ','\n")
    listed = rule(tmp_path / "House", "Items", "extends: existence\nmessage: \"'%s' in a list\"\nscope: list\n"
                                               "tokens: [simply]\n")
    text = "Autumn, at last\nWe pick, roll, and dry. Simply so.\n- simply steep it\nShop"
    assert spans(text, run(path, text, tmp_path)) == [","]
    assert [r.spans for r in run(path, text, tmp_path)] == [((text.index(",", 16), text.index(",", 16) + 1),)]
    assert spans(text, run(listed, text, tmp_path)) == ["simply"]


def test_negated_scope_skips_headings(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Hype", "extends: existence\nmessage: x\nscope: ~heading\n"
                                            "ignorecase: true\ntokens: [ultimate]\n")
    text = "The ultimate guide\nAn ultimate cup.\nShop"
    assert [r.spans for r in run(path, text, tmp_path)] == [((22, 30),)]


def test_conditional_rule_flags_an_acronym_never_spelled_out(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Acronyms", r"""
extends: conditional
message: "Spell out '%s' on first use."
ignorecase: false
first: '\b([A-Z]{3,5})\b'
second: '(?:\b[A-Z][a-z]+ )+\(([A-Z]{3,5})\)'
exceptions:
  - FAQ
""")
    text = "Our teas\nThe Soil Association (SOIL) certifies them; SOIL visits yearly. Our MSC fish and the FAQ.\nShop"
    assert spans(text, run(path, text, tmp_path)) == ["MSC"]


def test_rules_that_cannot_run_are_reported_with_file_and_reason(tmp_path: Path) -> None:
    styles = tmp_path / "styles" / "House"
    rule(styles, "Spell", "extends: spelling\nmessage: x\n")
    rule(styles, "Order", "extends: sequence\nmessage: x\n")
    rule(styles, "Custom", "extends: script\nmessage: x\n")
    rule(styles, "Grade", "extends: readability\nmessage: x\nmetrics: [Fog Index]\ngrade: 8\n")
    rule(styles, "Broken", "extends: existence\nmessage: x\ntokens: ['(unclosed']\n")
    rule(styles, "Inline", "extends: existence\nmessage: x\nscope: strong\ntokens: [foo]\n")
    rule(styles, "Ok", "extends: existence\nmessage: x\ntokens: [foo]\n")
    found = load_rules([styles])
    assert [r.name for r in found.rules] == ["House.Ok"]
    why = {s["rule"]: s["why"] for s in found.skipped}
    assert set(why) == {"House.Spell", "House.Order", "House.Custom", "House.Grade", "House.Broken",
                        "House.Inline"}
    assert "Hunspell" in why["House.Spell"] and "part-of-speech" in why["House.Order"]
    assert "compile" in why["House.Broken"] and "'raw'" in why["House.Inline"]
    assert all(s["file"].endswith(f"{s['rule'].split('.')[1]}.yml") for s in found.skipped)
    guide = parse_style_guide({"vale_rules": ["styles/House"]}, tmp_path)
    assert len(guide.load_report()) == 6 and any("Spell.yml" in line for line in guide.load_report())


@pytest.mark.parametrize("headline", ["Écoutez le thé", "Über den tee", "Łódź in spring", "Ørsted visits our farm"])
def test_sentence_case_reads_letters_of_every_script(tmp_path: Path, headline: str) -> None:
    path = rule(tmp_path / "House", "Headings", "extends: capitalization\nmessage: x\nscope: heading\n"
                                                "match: $sentence\n")
    assert run(path, f"{headline}\nBody text.\nShop", tmp_path) == []
    lowered = headline[0].lower() + headline[1:]
    assert spans(lowered, run(path, lowered, tmp_path)) == [lowered]


def test_title_case_reads_letters_of_every_script(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Titles", "extends: capitalization\nmessage: x\nscope: heading\nmatch: $title\n")
    assert run(path, "Éclairs and Ökotee for the Office", tmp_path) == []
    assert run(path, "éclairs and ökotee for the office", tmp_path) != []


def test_style_check_words_hashtags_and_shouting_in_every_script(tmp_path: Path) -> None:
    guide = parse_style_guide({"limits": {"all_caps": {"min_length": 4}},
                               "channels": {"x": {"hashtags_max": 1, "body_words": 3}}})
    ctx = CheckContext(brand=BrandProfile(slug="demo", name="Demo", folder=tmp_path), channel="x")
    text = "Grüner Tee\nÄpfel, Öl und Ähren ÜBERALL #Teegärten #Ökotee\nJetzt"
    results = StyleCheck(guide).run(text, ctx)
    by_rule = {r.rule: [text[slice(*s)] for s in r.spans] for r in results}
    assert by_rule["style:all_caps"] == ["ÜBERALL"]
    assert by_rule["style:hashtags"] == ["#Ökotee"]
    assert by_rule["style:length:body_words"] == ["Ähren ÜBERALL #Teegärten #Ökotee"]


def test_readability_rule_grades_the_whole_document(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Grade", "extends: readability\nmessage: \"Grade %s; aim for 8.\"\n"
                                             "metrics: [Flesch-Kincaid, Automated Readability]\ngrade: 8\n")
    plain = "Fresh tea\nWe pick the leaves. We dry them in the sun. You brew them at home.\nShop"
    dense = ("Considerations\nOrganisational considerations regarding infrastructural interoperability necessitate "
             "comprehensive documentation concerning institutional responsibilities.\nShop")
    assert run(path, plain, tmp_path) == []
    [finding] = run(path, dense, tmp_path)
    assert finding.spans == ((0, len(dense)),) and finding.reason.startswith("Grade ")


def test_metric_rule_evaluates_its_formula_and_condition(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Wordy", "extends: metric\nmessage: \"%s words per sentence\"\n"
                                             "formula: words / sentences\ncondition: '> 12'\n")
    short = "Tea\nShort lines. Easy reading.\nShop"
    long_one = "Tea\n" + " ".join(["word"] * 30) + ".\nShop"
    assert run(path, short, tmp_path) == []
    [finding] = run(path, long_one, tmp_path)
    assert finding.reason.endswith(" words per sentence") and float(finding.reason.split()[0]) > 12


def test_metric_formula_that_is_not_arithmetic_is_reported_at_load(tmp_path: Path) -> None:
    rule(tmp_path / "House", "Evil", "extends: metric\nmessage: x\nformula: __import__('os')\ncondition: '> 1'\n")
    rule(tmp_path / "House", "Unknown", "extends: metric\nmessage: x\nformula: widgets / words\ncondition: '> 1'\n")
    found = load_rules([tmp_path / "House"])
    assert found.rules == [] and {s["rule"] for s in found.skipped} == {"House.Evil", "House.Unknown"}


def test_post_layout_gives_headline_body_paragraphs_and_cta_their_own_blocks() -> None:
    text = "Spring harvest\nFirst flush is in. It is bright.\n\n- Picked in April\nShop now"
    by_scope = [(b.scope, text[b.start:b.end]) for b in post_blocks(text) if b.scope not in ("summary", "raw")]
    assert by_scope == [
        ("text.heading.h1.title", "Spring harvest"),
        ("paragraph", "First flush is in. It is bright."), ("sentence", "First flush is in."),
        ("sentence", "It is bright."), ("text", "First flush is in. It is bright."),
        ("text.list", "Picked in April"),
        ("paragraph", "Shop now"), ("sentence", "Shop now"), ("text", "Shop now"),
    ]


def test_literal_swap_value_with_a_dot_is_text_to_write_not_a_pattern(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Standards", "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\n"
                                                 "ignorecase: true\nswap:\n  'iso[ -]?22000': ISO 22000\n"
                                                 "  'node ?js': Node.js\n")
    text = "Certified\nOur site holds iso 22000 and ISO 22000 audits; the shop runs on node js.\nShop"
    results = run(path, text, tmp_path)
    assert [(found, r.suggestion) for found, r in zip(spans(text, results), results, strict=True)] == [
        ("iso 22000", "ISO 22000"), ("node js", "Node.js")]


def test_words_inside_web_addresses_are_not_prose(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Cheap", "extends: existence\nmessage: x\nignorecase: true\ntokens: [cheap]\n")
    text = "Deals\nCheap tea is not our thing; see https://example.com/cheap-tea or www.example.org/cheap.\nShop"
    assert spans(text, run(path, text, tmp_path)) == ["Cheap"]


def test_vale_default_level_is_warning(tmp_path: Path) -> None:
    path = rule(tmp_path / "House", "Plain", "extends: existence\nmessage: x\ntokens: [utilise]\n")
    [finding] = run(path, "Tea\nWe utilise leaves.\nShop", tmp_path)
    assert finding.severity.value == "warn"


def test_brand_proper_nouns_are_vocabulary_for_its_vale_rules(tmp_path: Path) -> None:
    rule(tmp_path / "styles" / "House", "Headings", "extends: capitalization\nmessage: x\nscope: heading\n"
                                                     "match: $sentence\n")
    ctx = CheckContext(brand=BrandProfile(slug="demo", name="Demo", folder=tmp_path))
    with_vocab = parse_style_guide({"vale_rules": ["styles/House"], "proper_nouns": ["Nimbus Drive Pro"]}, tmp_path)
    without = parse_style_guide({"vale_rules": ["styles/House"]}, tmp_path)
    text = "Meet Nimbus Drive Pro\nStorage for small teams.\nStart now"
    assert [r.rule for r in StyleCheck(with_vocab).run(text, ctx)] == []
    assert [r.rule for r in StyleCheck(without).run(text, ctx)] == ["vale:House.Headings"]
