"""Ideas pass the brand's wording checks before they reach a draft prompt.

An idea's title and angle are written into every draft prompt of that idea, and a small model copies them
nearly word for word: an angle that says "the perfect way to unwind" produced drafts blocked for the same
words after every re-ask (measured on the demo brief with Qwen2.5-Coder-1.5B, 2026-11-30). So the ideas
are checked with the brand's policy, and wording that a check blocks at a located span (an unsupported
claim, a banned term, abuse) is taken out before drafting:

- a sentence of the angle that holds a blocked span is dropped; an angle left empty becomes the brief's
  key message (the marketer's own words);
- a title is split at ``:``, dashes and ``|``; the parts that hold a blocked span are dropped; a title left
  empty becomes the product's name.

Only wordings count (:func:`app.pipeline.wording_cuts.blocked_wording`): a missing disclaimer or the
quality rules for finished copy do not apply to an idea. Every removal is returned as a note for the audit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.guardrails.base import CheckResult
from app.models import Brief
from app.pipeline.deps import Deps
from app.pipeline.wording_cuts import blocked_wording, spans_of, without_sentences, without_title_parts
from app.schemas import IdeaOut


@dataclass
class ScreenedIdea:
    idea: IdeaOut
    removed: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    def note(self) -> dict[str, object]:
        return {"action": "idea_screened", "removed": self.removed, "rules": sorted(set(self.rules))}


def screen_ideas(ideas: list[IdeaOut], brief: Brief, product_name: str, deps: Deps) -> list[ScreenedIdea]:
    """Each idea with the blocked wording taken out (``removed`` lists what was cut, ``rules`` why)."""
    language = deps.guardrails.for_brand(brief.brand).profile.default_language
    screened = []
    for idea in ideas:
        title_findings = _located_blocks(idea.title, brief, deps, language)
        angle_findings = _located_blocks(idea.angle, brief, deps, language)
        title, cut_title = without_title_parts(idea.title, spans_of(title_findings))
        angle, cut_angle = without_sentences(idea.angle, spans_of(angle_findings))
        screened.append(ScreenedIdea(
            idea=IdeaOut(title=title or product_name or brief.key_message[:120],
                         angle=angle or brief.key_message[:400]),
            removed=cut_title + cut_angle,
            rules=[f.rule for f in title_findings + angle_findings],
        ))
    return screened


def _located_blocks(text: str, brief: Brief, deps: Deps, language: str) -> list[CheckResult]:
    return blocked_wording(deps.guardrails.evaluate(text, brand=brief.brand, product=brief.product,
                                                    language=language))
