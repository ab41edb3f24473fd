"""``StyleCheck``: the house rules of style.yaml and the Vale rules it lists, run on one text."""

from __future__ import annotations

from app.brand import BrandProfile
from app.guardrails.base import CheckContext, CheckResult
from app.guardrails.fixes import apply_replacements
from app.guardrails.language import text_language
from app.guardrails.style.guide import StyleGuide, parse_style_guide
from app.guardrails.style.house import (
    EMOJI,
    HASHTAG,
    Found,
    all_caps,
    counted,
    exclamations,
    length_findings,
    pattern_findings,
    readability,
    term_findings,
)
from app.guardrails.style.vale import vale_results


class StyleCheck:
    """The style check: ``run(text, ctx)`` returns one failed result per finding (no results: no finding).

    ``guide`` defaults to the brand's style.yaml (:func:`style_guide`). Vale rules run on the post's
    blocks (:func:`~app.guardrails.style.vale.post_blocks`: the headline is a heading, the body paragraphs
    and the call to action are prose).
    """

    name = "style"

    def __init__(self, guide: StyleGuide | None = None) -> None:
        self.guide = guide

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        guide = self.guide or style_guide(ctx.brand)
        limits = guide.channels.get(ctx.channel or "", {})
        language = text_language(text, ctx.language)  # the brief's, else detected; "en" when unclear
        found = [*term_findings(text, guide, language), *pattern_findings(text, guide, language)]
        found += length_findings(text, limits)
        most = limits.get("exclamation_max", guide.limits.get("exclamation_max"))  # a channel may be stricter
        found += exclamations(text, most, 0, len(text))
        headline_end = text.find("\n") if "\n" in text else len(text)
        found += exclamations(text, limits.get("headline_exclamation_max"), 0, headline_end)
        found += counted(text, "emoji", EMOJI, limits.get("emoji_max"))
        found += counted(text, "hashtags", HASHTAG, limits.get("hashtags_max"))
        found += all_caps(text, guide.limits.get("all_caps"))
        found += readability(text, guide.limits, language)
        results = [_result(self.name, guide, f) for f in found]
        return results + (vale_results(guide.vale, text, self.name) if guide.vale else [])


def apply_fixes(text: str, results: list[CheckResult], checks: tuple[str, ...] = ("style", "vale")) -> str:
    """``text`` with the substitution fixes of failed ``results`` from ``checks`` applied, non-overlapping."""
    fixes = [r for r in results if r.check in checks and not r.passed and r.suggestion is not None]
    return apply_replacements(text, fixes)[0]


def style_guide(brand: BrandProfile) -> StyleGuide:
    """The brand's parsed style.yaml, built once per loaded profile."""
    return brand.derive("style.guide", lambda b: parse_style_guide(b.style, b.folder))


def _result(check: str, guide: StyleGuide, found: Found) -> CheckResult:
    family, detail, spans, reason, suggestion = found
    rule = f"style:{family}:{detail}" if detail else f"style:{family}"
    return CheckResult(check=check, rule=rule, passed=False, severity=guide.severity(family), spans=spans,
                       reason=reason, evidence=detail, suggestion=suggestion)
