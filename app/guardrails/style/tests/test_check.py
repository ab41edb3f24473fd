"""The style check on the demo brand's style.yaml: channel limits, terminology and its auto-fix, counts,
readability, and Vale rules a brand lists in its style.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.brand import BrandProfile, load_brand
from app.errors import InvalidInput
from app.guardrails.base import CheckContext, CheckResult, Severity
from app.guardrails.style import StyleCheck, apply_fixes, parse_style_guide, reading_grade, syllables
from app.settings import PROJECT_ROOT
from tests.unit.test_claims import GOOD_POSTS


@pytest.fixture(scope="module")
def fernhill() -> BrandProfile:
    return load_brand(PROJECT_ROOT / "brand_kb", "fernhill")


def run(brand: BrandProfile, text: str, channel: str | None = None) -> list[CheckResult]:
    return StyleCheck().run(text, CheckContext(brand=brand, channel=channel))


def rules(results: list[CheckResult]) -> set[str]:
    return {r.rule for r in results if not r.passed}


def test_headline_over_channel_limit_blocks(fernhill: BrandProfile) -> None:
    headline = "Our new seasonal blend for The Tea Club is here at last"  # 55 characters; email allows 50
    results = run(fernhill, f"{headline}\nA short body.\nJoin The Tea Club", channel="email")
    [finding] = [r for r in results if r.rule == "style:length:headline_chars"]
    assert finding.blocks and finding.spans == ((50, 55),) and finding.suggestion is None
    assert "55 characters" in finding.reason and "50" in finding.reason
    on_linkedin = run(fernhill, f"{headline}\nA short body.\nShop", "linkedin")  # LinkedIn allows 140
    assert "style:length:headline_chars" not in rules(on_linkedin)


def test_x_posts_count_every_character(fernhill: BrandProfile) -> None:
    text = "Brewing tip\n" + "Brew Green Ridge at 75 °C. " * 11 + "\nRead the guide"
    assert len(text) > 280
    [finding] = [r for r in run(fernhill, text, "x") if r.rule == "style:length:total_chars"]
    assert finding.blocks and finding.spans == ((280, len(text)),)


def test_terminology_fix_is_applied(fernhill: BrandProfile) -> None:
    text = "News by e-mail\nOur quiet hours blend has a honeyed flavor; join the Tea Club. FTC loves it.\nGo"
    results = run(fernhill, text)
    assert {"style:terminology:e-mail", "style:capitalisation:Quiet Hours", "style:terminology:flavor",
            "style:capitalisation:The Tea Club", "style:terminology:ftc"} <= rules(results)
    assert all(r.severity is Severity.warn for r in results)
    fixed = apply_fixes(text, results)
    assert fixed == ("News by email\nOur Quiet Hours blend has a honeyed flavour; join The Tea Club. "
                     "Fernhill loves it.\nGo")
    assert not rules(run(fernhill, fixed)) & {"style:terminology:e-mail", "style:capitalisation:Quiet Hours"}


def test_fixes_keep_the_capital_of_the_replaced_word(fernhill: BrandProfile) -> None:
    text = "Flavor notes\nColor and flavor.\nShop"
    assert apply_fixes(text, run(fernhill, text)) == "Flavour notes\nColour and flavour.\nShop"


def test_tone_words_without_replacement_are_flagged_but_not_rewritten(fernhill: BrandProfile) -> None:
    text = "An amazing cup\nHurry, it is luxury in a pouch.\nShop"
    results = run(fernhill, text)
    assert {"style:tone:amazing", "style:tone:hurry", "style:tone:luxury"} <= rules(results)
    assert apply_fixes(text, results) == text


def test_exclamation_emoji_and_hashtag_limits(fernhill: BrandProfile) -> None:
    text = "Fresh leaves!\nGreen Ridge is back! 🍵🌿 #Sencha #GreenTea #LooseLeafTea\nShop now!"
    results = run(fernhill, text, "x")
    assert {"style:exclamation", "style:emoji", "style:hashtags"} <= rules(results)
    assert apply_fixes(text, results).count("!") == 1


def test_email_subject_allows_no_exclamation_mark(fernhill: BrandProfile) -> None:
    assert "style:exclamation" in rules(run(fernhill, "Back in stock!\nGreen Ridge is back.\nShop", "email"))


def test_reading_grade_follows_sentence_and_word_length() -> None:
    assert [syllables(w) for w in ("tea", "leaves", "brewing", "certified", "table")] == [1, 1, 2, 3, 2]
    plain = "We buy tea from the farm. We pack it by hand. You brew it at home."
    dense = ("Organisational considerations regarding infrastructural interoperability necessitate "
             "comprehensive documentation, particularly concerning authentication methodologies and "
             "institutional responsibilities.")
    assert reading_grade(plain) < 3 < 15 < reading_grade(dense)


def test_long_sentences_and_hard_text_are_warnings(fernhill: BrandProfile) -> None:
    sentence = ("Organisational considerations regarding infrastructural interoperability necessitate "
                "comprehensive documentation concerning institutional responsibilities")
    text = " and ".join([sentence] * 3) + ". " + ". ".join([sentence] * 2) + "."  # one sentence of 35 words
    results = run(fernhill, text)
    assert {"style:reading_level", "style:sentence_length"} <= rules(results)
    assert not [r for r in results if r.blocks]


@pytest.mark.parametrize(("channel", "product", "text"), GOOD_POSTS, ids=[p[1] for p in GOOD_POSTS])
def test_good_copy_gets_no_blocking_style_finding(fernhill: BrandProfile, channel: str, product: str,
                                                  text: str) -> None:
    results = StyleCheck().run(text, CheckContext(brand=fernhill, channel=channel, product=product))
    assert not [r for r in results if r.blocks], [r.reason for r in results if r.blocks]


def test_vale_rules_listed_in_style_yaml_run_in_the_style_check(tmp_path: Path) -> None:
    styles = tmp_path / "styles" / "House"
    styles.mkdir(parents=True)
    rule = "extends: existence\nmessage: \"Cut '%s'.\"\nlevel: error\ntokens:\n  - must-have\n"
    (styles / "Hype.yml").write_text(rule, encoding="utf-8")
    guide = parse_style_guide({"vale_rules": ["styles/House"]}, tmp_path)
    brand = BrandProfile(slug="demo", name="Demo", folder=tmp_path)
    [result] = StyleCheck(guide).run("A must-have cup.", CheckContext(brand=brand))
    assert (result.check, result.rule, result.severity, result.reason) == ("style", "vale:House.Hype",
                                                                           Severity.block, "Cut 'must-have'.")


def test_a_bad_style_yaml_is_refused_with_the_key(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"channels\.x.*headline_char"):
        parse_style_guide({"channels": {"x": {"headline_char": 10}}}, tmp_path)
    with pytest.raises(InvalidInput, match=r"severity\.length"):
        parse_style_guide({"severity": {"length": "fatal"}}, tmp_path)


def test_each_proper_noun_of_a_long_list_is_matched_and_named(tmp_path: Path) -> None:
    names = [f"Blend No {n}" for n in range(500)] + ["Quiet Hours", "Nimbus Drive Pro", "Nimbus Drive"]
    guide = parse_style_guide({"proper_nouns": names}, tmp_path)
    brand = BrandProfile(slug="demo", name="Demo", folder=tmp_path)
    text = "New\nTry quiet  hours, nimbus drive pro and NIMBUS DRIVE; Blend No 42 is right already.\nShop"
    results = StyleCheck(guide).run(text, CheckContext(brand=brand))
    assert [(r.rule, r.suggestion) for r in results] == [
        ("style:capitalisation:Quiet Hours", "Quiet Hours"),
        ("style:capitalisation:Nimbus Drive Pro", "Nimbus Drive Pro"),
        ("style:capitalisation:Nimbus Drive", "Nimbus Drive")]
