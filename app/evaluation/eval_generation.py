"""Generating one eval case with the real stage functions, offline: no queue, nothing stored.

:func:`generate_case` builds the brief and its ideas in memory and calls
:func:`app.pipeline.stages.ideate` and :func:`app.pipeline.stages.draft` exactly as the workers do,
with the given prompt pins (``{"ideas": "ideas@1", "draft": "draft@2"}``), so guardrail policy,
auto-fixes, re-asks and best-of-N drafting (each slot's candidates, near-duplicates of the variants
already kept set aside) apply as in production; every candidate's LLM calls count. Malformed output
is a result (recorded in ``errors``, the variant missing), and so is any other error of one
generation: one broken case must not end a run of hundreds, and the report shows it. Transient
faults (:class:`~app.errors.LLMUnavailable`) propagate, so the run retries or stops and can resume.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.brand import load_brand
from app.errors import FactoryError, InvalidInput, MalformedOutput, PromptError
from app.llm.structured import CallRecord, StructuredOutputFailed
from app.models import Brief, Idea
from app.pipeline import stages
from app.pipeline.deps import Deps
from app.schemas import BriefCreate, DraftCopy


@dataclass
class GeneratedVariant:
    idea: int
    channel: str
    ordinal: int
    copy: DraftCopy
    source_ids: list[str]
    sources: list[str]
    notes: list[dict[str, object]]

    @property
    def text(self) -> str:
        return stages.variant_text(self.copy)


@dataclass
class Generation:
    brief: Brief
    expected: int
    ideas: list[dict[str, str]] = field(default_factory=list)
    variants: list[GeneratedVariant] = field(default_factory=list)
    calls: list[tuple[str, CallRecord]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def generate_case(
    deps: Deps, brief_in: BriefCreate, pins: dict[str, str], *, ideation: stages.IdeationOutcome | None = None,
) -> tuple[Generation, stages.IdeationOutcome | None]:
    """Ideas (or the given ``ideation``, shared between sides with the same ideas prompt), then every
    variant of every idea and channel. Returns the generation and the ideation it used."""
    profile = load_brand(deps.settings.brand_kb_dir, brief_in.brand)
    brief = Brief(**brief_in.model_dump(exclude={"language"}), language=brief_in.language or profile.default_language,
                  submitted_by="system:eval", prompt_pins=dict(pins))
    gen = Generation(brief=brief, expected=brief.n_ideas * len(brief.channels) * brief.n_variants)
    if ideation is None:
        try:
            ideation = stages.ideate(brief, deps, prompt_ref=pins["ideas"])
        except Exception as exc:
            _failed(gen, "ideas", exc)
            return gen, None
    gen.calls += [("ideas", call) for call in ideation.calls]
    gen.ideas = [{"title": i.title, "angle": i.angle} for i in ideation.ideas]
    for n, idea_out in enumerate(ideation.ideas, start=1):
        idea = Idea(brief_id=brief.id, ordinal=n, title=idea_out.title, angle=idea_out.angle)
        for channel in brief.channels:
            for ordinal in range(1, brief.n_variants + 1):
                _draft_one(gen, deps, idea, channel, ordinal, pins["draft"])
    return gen, ideation


def _draft_one(gen: Generation, deps: Deps, idea: Idea, channel: str, ordinal: int, prompt_ref: str) -> None:
    try:
        outcome = stages.draft(gen.brief, idea, channel, deps, prompt_ref=prompt_ref, ordinal=ordinal,
                               kept_texts=[v.text for v in gen.variants])
    except Exception as exc:
        _failed(gen, f"draft {idea.ordinal}/{channel}/{ordinal}", exc)
        return
    gen.calls += [("draft", call) for call in outcome.calls]
    gen.variants.append(GeneratedVariant(
        idea=idea.ordinal, channel=channel, ordinal=ordinal, copy=outcome.copy,
        source_ids=[h.id for h in outcome.hits], sources=[h.text for h in outcome.hits], notes=outcome.notes,
    ))


def _failed(gen: Generation, where: str, exc: Exception) -> None:
    """Record a failed generation; re-raise what is transient (the caller retries or stops the run)."""
    if (isinstance(exc, FactoryError) and exc.transient) or isinstance(exc, PromptError | InvalidInput):
        raise exc  # transient: retried or resumed; a broken prompt or brief: every case would fail alike
    detail = exc.message if isinstance(exc, MalformedOutput) else f"{type(exc).__name__}: {exc}"
    gen.errors.append(f"{where}: {detail}")
    if isinstance(exc, StructuredOutputFailed):
        gen.calls += [(where.split(" ", 1)[0], call) for call in exc.calls]
