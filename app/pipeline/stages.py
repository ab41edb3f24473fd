"""Stage functions: plain functions of (item, deps) that return an outcome and touch no database.

:mod:`app.pipeline.runner` loads the items, calls these, then persists and audits the outcome.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from app.brand import load_brand
from app.guardrails.base import CheckContext, CheckResult, run_checks
from app.llm.structured import CallRecord, generate
from app.models import Brief, Idea, Variant
from app.pipeline.deps import Deps
from app.pipeline.retrieval import as_knowledge_block, retrieve
from app.retrieval.store import Hit
from app.schemas import DraftCopy, IdeaList, IdeaOut, idea_list_schema


@dataclass
class IdeationOutcome:
    ideas: list[IdeaOut]
    hits: list[Hit]
    calls: list[CallRecord]


@dataclass
class DraftOutcome:
    copy: DraftCopy
    hits: list[Hit]
    calls: list[CallRecord]
    findings: list[CheckResult] = field(default_factory=list)


def ideate(brief: Brief, deps: Deps, *, prompt_ref: str) -> IdeationOutcome:
    prompt = deps.prompts.resolve(prompt_ref)
    hits = retrieve(brief, deps)
    result = generate(
        deps.llm, prompt,
        {**_brief_variables(brief, deps), "knowledge": as_knowledge_block(hits), "n_ideas": brief.n_ideas},
        IdeaList, schema=idea_list_schema(brief.n_ideas), max_attempts=deps.settings.llm_max_attempts,
    )
    return IdeationOutcome(ideas=result.value.ideas[: brief.n_ideas], hits=hits, calls=result.calls)


def draft(
    brief: Brief, idea: Idea, channel: str, deps: Deps, *, prompt_ref: str, ordinal: int = 1,
    feedback: str = "", previous: Variant | None = None,
) -> DraftOutcome:
    prompt = deps.prompts.resolve(prompt_ref)
    hits = retrieve(brief, deps, focus=f"{idea.title} {idea.angle}")
    variables = {
        **_brief_variables(brief, deps), "knowledge": as_knowledge_block(hits), "channel": channel,
        "idea_title": idea.title, "idea_angle": idea.angle, "feedback": feedback,
        "previous_draft": variant_text(previous) if previous else "",
    }
    revision = previous.revision + 1 if previous else 1
    result = generate(deps.llm, prompt, variables, DraftCopy, max_attempts=deps.settings.llm_max_attempts,
                      seed_offset=100 * ordinal + 10 * revision + idea.ordinal)
    findings = check_copy(result.value, brief, channel, deps)
    return DraftOutcome(copy=result.value, hits=hits, calls=result.calls, findings=findings)


def check_copy(copy: DraftCopy | Variant, brief: Brief, channel: str, deps: Deps) -> list[CheckResult]:
    ctx = CheckContext(brand=load_brand(deps.settings.brand_kb_dir, brief.brand), channel=channel,
                       product=brief.product)
    return run_checks(deps.checks, variant_text(copy), ctx)


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
