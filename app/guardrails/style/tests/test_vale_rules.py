"""Vale-style YAML rules loaded as checks: each supported rule type, levels, fixes, skipped types."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.brand import BrandProfile
from app.guardrails.base import CheckContext, Severity
from app.guardrails.style.vale import ValeCheck, load_rule, load_rules, prose_view


def rule_file(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def ctx(tmp_path: Path) -> CheckContext:
    return CheckContext(brand=BrandProfile(slug="demo", name="Demo", folder=tmp_path))


def test_vale_substitution_rule_suggests_the_swap(tmp_path: Path, ctx: CheckContext) -> None:
    path = rule_file(tmp_path / "House", "Terms", """
extends: substitution
message: "Use '%s' instead of '%s'."
ignorecase: true
level: error
swap:
  e-?mail: email
  'java[ -]?script': JavaScript
""")
    text = "Send an e-mail about java script. JavaScript is fine, and so is email."
    results = ValeCheck([load_rule(path)]).run(text, ctx)
    assert [(text[slice(*r.spans[0])], r.suggestion) for r in results] == [("e-mail", "email"),
                                                                            ("java script", "JavaScript")]
    assert results[0].rule == "vale:House.Terms" and results[0].severity is Severity.block
    assert results[0].reason == "Use 'email' instead of 'e-mail'."


def test_vale_existence_rule_finds_tokens_with_spans(tmp_path: Path, ctx: CheckContext) -> None:
    path = rule_file(tmp_path / "House", "Hype", """
extends: existence
message: "Avoid '%s'."
ignorecase: true
level: warning
tokens:
  - amazing
  - game[- ]changer
exceptions:
  - game changer
""")
    text = "An AMAZING cup, a real game-changer. A game changer is excepted; amazingly, not a token."
    results = ValeCheck([load_rule(path)]).run(text, ctx)
    assert [r.spans for r in results] == [((3, 10),), ((23, 35),)]
    assert [r.reason for r in results] == ["Avoid 'AMAZING'.", "Avoid 'game-changer'."]
    assert all(r.severity is Severity.warn and not r.passed for r in results)


def test_existence_raw_goes_first_and_nonword_drops_boundaries(tmp_path: Path, ctx: CheckContext) -> None:
    rule_file(tmp_path / "wg", "Passive", r"""
extends: existence
message: "'%s' may be passive."
ignorecase: true
raw:
  - \b(am|are|were|is|was)\b\s*
tokens:
  - '[\w]+ed'
""")
    rule_file(tmp_path / "wg", "Bang",
              "extends: existence\nmessage: '%s'\nnonword: true\ntokens:\n  - '[a-z]+!{2,}'\n")
    results = ValeCheck(load_rules([tmp_path / "wg"]).rules).run("The tea was steamed. Wow!!", ctx)
    # Bang is case-sensitive, so "[a-z]+" starts after the capital W, as in Vale.
    assert sorted(r.evidence for r in results) == ["ow!!", "was steamed"]
    assert {r.severity for r in results} == {Severity.warn}  # no level: Vale's default, warning


def test_repetition_consistency_occurrence_and_capitalization(tmp_path: Path, ctx: CheckContext) -> None:
    rule_file(tmp_path / "S", "Repeat", "extends: repetition\nmessage: \"'%s' is repeated\"\nalpha: true\n"
                                        "ignorecase: true\ntokens:\n  - '[^\\s]+'\n")
    rule_file(tmp_path / "S", "Spelling", "extends: consistency\nmessage: \"Inconsistent '%s'\"\n"
                                          "ignorecase: true\neither:\n  colour: color\n")
    rule_file(tmp_path / "S", "Commas", "extends: occurrence\nmessage: Too many commas\nscope: sentence\n"
                                        "max: 1\ntoken: ','\n")
    rule_file(tmp_path / "S", "Headline", "extends: capitalization\nmessage: \"'%s' wants sentence case\"\n"
                                          "match: $sentence\n")
    text = "A New Headline\nThe the colour, the color, the taste.\nBrew it."
    results = ValeCheck(load_rules([tmp_path / "S"]).rules).run(text, ctx)
    found = {(r.rule, text[slice(*r.spans[0])]) for r in results}
    assert found == {("vale:S.Repeat", "The the"), ("vale:S.Spelling", "color"), ("vale:S.Commas", ","),
                     ("vale:S.Headline", "A New Headline")}


def test_unsupported_rule_types_are_skipped_with_the_reason(tmp_path: Path) -> None:
    rule_file(tmp_path / "P", "Spell", "extends: spelling\nmessage: x\n")
    rule_file(tmp_path / "P", "Ok", "extends: existence\nmessage: x\ntokens: [foo]\n")
    found = load_rules([tmp_path / "P"])
    assert [r.name for r in found.rules] == ["P.Ok"]
    [skipped] = found.skipped
    assert skipped["rule"] == "P.Spell" and skipped["file"].endswith("Spell.yml")
    assert "Hunspell dictionary" in skipped["why"]


def test_remove_action_gives_an_empty_replacement(tmp_path: Path, ctx: CheckContext) -> None:
    body = ("extends: existence\nmessage: x\nlevel: suggestion\naction:\n  name: remove\n"
            "tokens:\n  - More research is needed\n")
    path = rule_file(tmp_path / "P", "Sorry", body)
    [result] = ValeCheck([load_rule(path)]).run("More research is needed.", ctx)
    assert result.suggestion == "" and result.severity is Severity.info


def test_prose_view_blanks_code_and_keeps_offsets() -> None:
    text = "the `the` the\n```\nvery very\n```\nend"
    view = prose_view(text, "md")
    assert len(view) == len(text) and view.count("\n") == text.count("\n")
    assert "`" not in view and "very" not in view and view.startswith("the ") and view.endswith("end")
    assert prose_view(text, "txt") == text
