"""Stage functions: plain functions of (item, deps) that return an outcome and touch no database.

:mod:`app.pipeline.runner` loads the items, calls these, then persists and audits the outcome.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from app.brand import load_brand
from app.guardrails.base import CheckResult
from app.guardrails.fixes import apply_replacements
from app.llm.structured import CallRecord, generate
from app.models import Brief, Idea, Variant
from app.pipeline.deps import Deps
from app.pipeline.retrieval import Retrieval, as_knowledge_block, retrieve
from app.retrieval.store import Hit
from app.schemas import DraftCopy, IdeaList, IdeaOut, idea_list_schema


@dataclass
class IdeationOutcome:
    ideas: list[IdeaOut]
    retrieval: Retrieval
    calls: list[CallRecord]

    @property
    def hits(self) -> list[Hit]:
        return self.retrieval.hits


@dataclass
class DraftOutcome:
    copy: DraftCopy
    retrieval: Retrieval
    calls: list[CallRecord]
    findings: list[CheckResult] = field(default_factory=list)
    notes: list[dict[str, object]] = field(default_factory=list)

    @property
    def hits(self) -> list[Hit]:
        return self.retrieval.hits


def ideate(brief: Brief, deps: Deps, *, prompt_ref: str) -> IdeationOutcome:
    prompt = deps.prompts.resolve(prompt_ref)
    found = retrieve(brief, deps)
    result = generate(
        deps.llm, prompt,
        {**_brief_variables(brief, deps), "knowledge": as_knowledge_block(found.hits), "n_ideas": brief.n_ideas},
        IdeaList, schema=idea_list_schema(brief.n_ideas), max_attempts=deps.settings.llm_max_attempts,
    )
    return IdeationOutcome(ideas=result.value.ideas[: brief.n_ideas], retrieval=found, calls=result.calls)


def draft(
    brief: Brief, idea: Idea, channel: str, deps: Deps, *, prompt_ref: str, ordinal: int = 1,
    feedback: str = "", previous: Variant | None = None,
) -> DraftOutcome:
    """Write one variant, then apply the brand's policy: auto-fix what has a replacement, and re-ask
    the LLM with the reasons (at most ``reask_max_attempts`` times) while a ``reask`` finding blocks."""
    prompt = deps.prompts.resolve(prompt_ref)
    found = retrieve(brief, deps, focus=f"{idea.title} {idea.angle}")
    base = {
        **_brief_variables(brief, deps), "knowledge": as_knowledge_block(found.hits), "channel": channel,
        "idea_title": idea.title, "idea_angle": idea.angle,
    }
    policy = deps.guardrails.for_brand(brief.brand).policy
    revision = previous.revision + 1 if previous else 1
    outcome: DraftOutcome | None = None
    notes: list[dict[str, object]] = []
    for round_no in range(policy.reask_max_attempts + 1):
        prior_text = variant_text(previous) if previous else ""
        result = generate(
            deps.llm, prompt, {**base, "feedback": feedback, "previous_draft": prior_text}, DraftCopy,
            max_attempts=deps.settings.llm_max_attempts,
            seed_offset=100 * ordinal + 10 * revision + idea.ordinal + 1000 * round_no,
        )
        copy, findings, fixed = _checked_and_fixed(result.value, brief, channel, deps)
        calls = (outcome.calls if outcome else []) + result.calls
        outcome = DraftOutcome(copy=copy, retrieval=found, calls=calls, findings=findings, notes=notes)
        if fixed:
            notes.append({"action": "auto_fix", "round": round_no, "rules": [f.rule for f in fixed]})
        reask = [f for f in findings if f.blocks and policy.action_for(f.check) == "reask"]
        if not reask or round_no == policy.reask_max_attempts:
            return outcome
        notes.append({"action": "reask", "round": round_no, "rules": [f.rule for f in reask]})
        feedback = "Fix these problems, keep everything else: " + "; ".join(f.reason for f in reask)
        previous = _as_variant(copy, previous)
    assert outcome is not None
    return outcome


def _checked_and_fixed(
    copy: DraftCopy, brief: Brief, channel: str, deps: Deps
) -> tuple[DraftCopy, list[CheckResult], list[CheckResult]]:
    """Check, apply the auto-fixable findings' replacements, and check the fixed text again."""
    findings = check_copy(copy, brief, channel, deps)
    policy = deps.guardrails.for_brand(brief.brand).policy
    fixable = [f for f in findings if not f.passed and policy.action_for(f.check) == "auto_fix"]
    if not fixable:
        return copy, findings, []
    text, applied = apply_replacements(variant_text(copy), fixable)
    if not applied:
        return copy, findings, []
    try:
        fixed = DraftCopy.from_text(text)
    except ValueError:  # a fix that breaks the copy's shape is not applied
        return copy, findings, []
    return fixed, check_copy(fixed, brief, channel, deps), applied


def _as_variant(copy: DraftCopy, previous: Variant | None) -> Variant:
    """A transient Variant holding the draft to improve (never stored)."""
    return Variant(brief_id="", idea_id="", channel="", ordinal=0, revision=previous.revision if previous else 0,
                   headline=copy.headline, body=copy.body, cta=copy.cta, content_hash="")


def check_copy(copy: DraftCopy | Variant, brief: Brief, channel: str, deps: Deps) -> list[CheckResult]:
    return deps.guardrails.evaluate(variant_text(copy), brand=brief.brand, channel=channel, product=brief.product)


def variant_text(copy: DraftCopy | Variant) -> str:
    """The text the checks see and the approval hash covers: headline, body and CTA, one per line."""
    return f"{copy.headline}\n{copy.body}\n{copy.cta}"


def content_hash(copy: DraftCopy | Variant) -> str:
    return hashlib.sha256(variant_text(copy).encode()).hexdigest()


def _brief_variables(brief: Brief, deps: Deps) -> dict[str, object]:
    profile = load_brand(deps.settings.brand_kb_dir, brief.brand)
    return {
        "brand_name": profile.name, "product": profile.products.get(brief.product or "", brief.product or ""),
        "audience": brief.audience, "goal": brief.goal, "key_message": brief.key_message,
        "constraints": brief.constraints or "none", "channels": ", ".join(brief.channels),
    }
