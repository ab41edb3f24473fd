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

Findings that are not about a wording (a missing disclaimer, the quality check's rules for finished copy,
style) do not apply to an idea and are ignored. Every removal is returned as a note for the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.guardrails.base import CheckResult
from app.guardrails.sentences import split_sentences
from app.models import Brief
from app.pipeline.deps import Deps
from app.schemas import IdeaOut

# Checks whose blocked spans are wordings an idea must not pass on to its drafts.
SCREENED_CHECKS = frozenset({"claims", "banned_terms", "toxicity"})
_TITLE_BREAK = re.compile(r"\s*(?::|\s[-\u2013\u2014|]\s)\s*")


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
        title, cut_title = _without_blocked_parts(idea.title, title_findings)
        angle, cut_angle = _without_blocked_sentences(idea.angle, angle_findings)
        result = ScreenedIdea(
            idea=IdeaOut(title=title or product_name or brief.key_message[:120],
                         angle=angle or brief.key_message[:400]),
            removed=cut_title + cut_angle,
            rules=[f.rule for f in title_findings + angle_findings],
        )
        screened.append(result)
    return screened


def _located_blocks(text: str, brief: Brief, deps: Deps, language: str) -> list[CheckResult]:
    results = deps.guardrails.evaluate(text, brand=brief.brand, product=brief.product, language=language)
    return [r for r in results if r.blocks and r.check in SCREENED_CHECKS and r.spans
            and "disclaimer" not in r.rule]


def _overlaps(start: int, end: int, findings: list[CheckResult]) -> bool:
    return any(s < end and start < e for f in findings for s, e in f.spans)


def _without_blocked_sentences(text: str, findings: list[CheckResult]) -> tuple[str, list[str]]:
    if not findings:
        return text, []
    kept: list[str] = []
    cut: list[str] = []
    for start, end, sentence in split_sentences(text):
        (cut if _overlaps(start, end, findings) else kept).append(sentence.strip())
    return " ".join(k for k in kept if k), cut


def _without_blocked_parts(title: str, findings: list[CheckResult]) -> tuple[str, list[str]]:
    if not findings:
        return title, []
    kept: list[str] = []
    cut: list[str] = []
    start = 0
    for match in [*_TITLE_BREAK.finditer(title), None]:
        end = match.start() if match else len(title)
        part = title[start:end].strip()
        if part:
            (cut if _overlaps(start, end, findings) else kept).append(part)
        if match:
            start = match.end()
    return ": ".join(kept), cut
