"""Runs the writing stages: submission, ideation, drafting and redrafting.

Each ``run_*`` function takes an id, is safe to run twice (a redelivered task finds its work done
and changes nothing), persists and audits in one transaction, and enqueues the next stage only after
that transaction committed. LLM calls happen outside transactions.
"""

from __future__ import annotations

import logging
from typing import NoReturn

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app import audit
from app.auth.roles import Role
from app.brand import load_brand
from app.db import session_scope
from app.errors import InvalidInput, MalformedOutput, NotFound
from app.guardrails.screening import screen_brief
from app.language import normalise_language
from app.llm.structured import StructuredOutputFailed
from app.models import Brief, Idea, Variant
from app.notifications import Waiting, notify_safely
from app.pipeline import claims, records, stages
from app.pipeline.deps import Deps
from app.prompting.integrity import lock
from app.prompting.registry import PromptRegistry, PromptVersion
from app.retrieval.spaces import require_ingested
from app.schemas import BriefCreate
from app.states import BriefState, VariantState

log = logging.getLogger(__name__)
DEFAULT_PROMPTS = {"ideas": "ideas@production", "draft": "draft@production"}
# A brief in another language runs that language's prompts: `<stage>_<language>` (prompts/ideas_de/, ...).
LANGUAGE_PROMPTS = {"de": {"ideas": "ideas_de@production", "draft": "draft_de@production"}}


def prompts_for(language: str) -> dict[str, str]:
    """Each stage's prompt reference for copy in ``language`` (English's for a language without its own)."""
    return LANGUAGE_PROMPTS.get(language, DEFAULT_PROMPTS)


def submit_brief(*, deps: Deps, brief_in: BriefCreate, actor: str) -> Brief:
    """Validate against the brand, store the brief, enqueue ideation. Raises InvalidInput subclasses
    (InjectionDetected for a brief that tries to instruct the model); a rejected brief stores nothing."""
    screen_brief(brief_in)
    profile = load_brand(deps.settings.brand_kb_dir, brief_in.brand)
    if brief_in.product and brief_in.product not in profile.products:
        raise InvalidInput(
            f"brand {profile.slug} has no product {brief_in.product}; known: {', '.join(sorted(profile.products))}"
        )
    off_brand = off_brand_channels(profile.channels, brief_in.channels)
    if off_brand:
        raise InvalidInput(f"brand {profile.slug} does not publish on {', '.join(off_brand)}; "
                           f"it uses {', '.join(profile.channels)}")
    language = brief_in.language or normalise_language(profile.default_language)
    require_ingested(deps.store, deps.settings.qdrant_collection, profile.slug)
    pinned = pin_prompts(deps.prompts, language)
    pins = {stage: version.ref for stage, version in pinned.items()}
    with session_scope(deps.engine) as session:
        brief = Brief(**brief_in.model_dump(exclude={"language"}), language=language, submitted_by=actor,
                      prompt_pins=pins)
        session.add(brief)
        audit.record(session, action="brief.submitted", actor=actor, subject_type="brief", subject_id=brief.id,
                     brief_id=brief.id, brief=brief_in.model_dump(), prompts=pins,
                     prompt_hashes={v.ref: v.content_hash for v in pinned.values()})
    safe_enqueue(deps, "ideate", brief.id)
    return brief


def off_brand_channels(brand_channels: list[str], chosen: list[str]) -> list[str]:
    """The channels of ``chosen`` the brand does not use (none when the brand lists no channels)."""
    return [c for c in chosen if brand_channels and c not in brand_channels]


def pin_prompts(registry: PromptRegistry, language: str = "en") -> dict[str, PromptVersion]:
    """Each stage's label (of ``language``'s prompts, :func:`prompts_for`) resolved to an exact version, which is
    locked in ``versions.lock`` if it was not.

    From here on the brief runs that version only, and the lock makes an edit of its file fail to load
    (and fail ``factory prompts verify``): a version a brief may publish with can never change.
    """
    pinned = {}
    for stage, ref in prompts_for(language).items():
        pinned[stage] = lock(registry, registry.resolve(ref))  # resolve loaded and validated it once
    return pinned


def run_ideation(brief_id: str, deps: Deps) -> None:
    """Write the brief's ideas, under the brief's ideation lease: a copy of this task that finds the lease
    held by a live worker returns at once (no LLM call)."""
    with claims.held(deps.engine, claims.ideation_key(brief_id), task="ideate", item_id=brief_id,
                     lease_s=deps.settings.claim_lease_s) as mine:
        if mine:
            _ideate_claimed(brief_id, deps)


def _ideate_claimed(brief_id: str, deps: Deps) -> None:
    with session_scope(deps.engine) as session:
        brief = _brief(session, brief_id)
        if brief.state not in {BriefState.submitted, BriefState.ideating, BriefState.drafting}:
            return
        idea_ids = _idea_ids(session, brief_id)
        if not idea_ids:
            records.set_brief_state(session, brief, BriefState.ideating, actor=audit.SYSTEM)
    if idea_ids:  # redelivered after the ideas landed: make sure drafting was enqueued, nothing more
        _enqueue_drafts(deps, idea_ids)
        return
    try:
        outcome = stages.ideate(brief, deps, prompt_ref=brief.prompt_pins["ideas"])
    except MalformedOutput as exc:
        fail_brief(deps, brief_id, exc)
        return
    try:
        with session_scope(deps.engine) as session:
            brief = records.lock_brief(session, brief_id) or _missing(brief_id)
            records.save_calls(session, brief_id, "ideas", outcome.calls)
            records.save_retrieval(session, brief_id, brief_id, outcome.retrieval)
            for n, idea_out in enumerate(outcome.ideas, start=1):
                idea = Idea(brief_id=brief_id, ordinal=n, title=idea_out.title, angle=idea_out.angle,
                            grounding_chunk_ids=[h.id for h in outcome.hits], language=brief.language)
                session.add(idea)
                cut = outcome.screened[n - 1].note() if n <= len(outcome.screened) else {}
                audit.record(session, action="idea.created", actor=audit.SYSTEM, subject_type="idea",
                             subject_id=idea.id, brief_id=brief_id, title=idea.title,
                             **({"screened": cut} if cut.get("removed") else {}))
            records.set_brief_state(session, brief, BriefState.drafting, actor=audit.SYSTEM)
    except IntegrityError:
        log.info("ideas for brief %s were written by another delivery of this task", brief_id)
    with Session(deps.engine) as session:
        _enqueue_drafts(deps, _idea_ids(session, brief_id))


def run_drafting(idea_id: str, deps: Deps) -> None:
    """Write every empty slot of the idea, each under its own lease; a slot a live worker holds is left
    to that worker (which finishes the brief if its slot is the last)."""
    with Session(deps.engine) as session:
        idea = session.get(Idea, idea_id) or _missing(idea_id)
        brief = _brief(session, idea.brief_id)
    if brief.state is not BriefState.drafting:
        return
    for channel in brief.channels:
        for ordinal in range(1, brief.n_variants + 1):
            with claims.held(deps.engine, claims.draft_key(idea.id, channel, ordinal), task="draft",
                             item_id=idea.id, lease_s=deps.settings.claim_lease_s) as mine:
                if mine and not _draft_slot(brief, idea, channel, ordinal, deps):
                    return
    _finish_drafting(deps, brief.id)


def run_redraft(variant_id: str, deps: Deps) -> None:
    """Write the next revision of a variant a reviewer sent back, with their comment in the prompt (under
    the variant's redraft lease)."""
    with claims.held(deps.engine, claims.redraft_key(variant_id), task="redraft", item_id=variant_id,
                     lease_s=deps.settings.claim_lease_s) as mine:
        if mine:
            _redraft_claimed(variant_id, deps)


def _redraft_claimed(variant_id: str, deps: Deps) -> None:
    with Session(deps.engine) as session:
        old = session.get(Variant, variant_id) or _missing(variant_id)
        if old.state is not VariantState.changes_requested:
            return
        brief = _brief(session, old.brief_id)
        idea = session.get(Idea, old.idea_id) or _missing(old.idea_id)
        kept = _kept_texts(session, brief.id, exclude=old.id)
    try:
        outcome = stages.draft(brief, idea, old.channel, deps, prompt_ref=brief.prompt_pins["draft"],
                               ordinal=old.ordinal, feedback=old.review_comment or "", previous=old,
                               kept_texts=kept)
    except MalformedOutput as exc:
        fail_brief(deps, brief.id, exc)
        return
    try:
        with session_scope(deps.engine) as session:
            locked = records.lock_brief(session, brief.id) or _missing(brief.id)
            old = session.get(Variant, variant_id) or _missing(variant_id)
            new = _save_variant(session, brief, idea, old.channel, old.ordinal, outcome,
                                revision=old.revision + 1, parent=old)
            records.set_variant_state(session, old, VariantState.superseded, actor=audit.SYSTEM,
                                      successor=new.id)
            records.refresh_brief_state(session, locked, actor=audit.SYSTEM)
    except IntegrityError:
        log.info("revision of variant %s was written by another delivery of this task", variant_id)
        return
    notify_safely(deps, Waiting(role=Role.reviewer, brand=brief.brand, brief_id=brief.id, variant_ids=[new.id],
                                summary=f"revision {new.revision} of a variant sent back"))


def fail_brief(deps: Deps, brief_id: str, exc: Exception) -> None:
    """Mark a brief failed with a reason a person can act on; keeps the LLM calls that were made."""
    reason = f"{type(exc).__name__}: {exc}"
    with session_scope(deps.engine) as session:
        brief = records.lock_brief(session, brief_id)
        if brief is None:
            return
        if isinstance(exc, StructuredOutputFailed):
            records.save_calls(session, brief_id, "failed", exc.calls)
        records.set_brief_state(session, brief, BriefState.failed, actor=audit.SYSTEM, reason=reason)


def safe_enqueue(deps: Deps, task: str, item_id: str) -> bool:
    """Enqueue; if the broker is down the item stays in its state and recovery enqueues it later."""
    try:
        deps.enqueue(task, item_id)
        return True
    except Exception as exc:
        log.warning("could not enqueue %s(%s): %s; `factory recover` or a worker start will", task, item_id, exc)
        return False


def _draft_slot(brief: Brief, idea: Idea, channel: str, ordinal: int, deps: Deps) -> bool:
    """Write one variant if its slot is empty. False when the brief left drafting meanwhile."""
    with Session(deps.engine) as session:
        if _slot_taken(session, idea.id, channel, ordinal):
            return True
        kept = _kept_texts(session, brief.id)
    try:
        outcome = stages.draft(brief, idea, channel, deps, prompt_ref=brief.prompt_pins["draft"], ordinal=ordinal,
                               kept_texts=kept)
    except MalformedOutput as exc:
        fail_brief(deps, brief.id, exc)
        return False
    try:
        with session_scope(deps.engine) as session:
            _save_variant(session, brief, idea, channel, ordinal, outcome, revision=1, parent=None)
    except IntegrityError:
        log.info("variant %s/%s/%s already written", idea.id, channel, ordinal)
    return True


def _save_variant(
    session: Session, brief: Brief, idea: Idea, channel: str, ordinal: int, outcome: stages.DraftOutcome,
    *, revision: int, parent: Variant | None,
) -> Variant:
    variant = Variant(
        brief_id=brief.id, brand=brief.brand, idea_id=idea.id, channel=channel, ordinal=ordinal, revision=revision,
        parent_id=parent.id if parent else None, feedback=parent.review_comment if parent else None,
        headline=outcome.copy.headline, body=outcome.copy.body, cta=outcome.copy.cta,
        content_hash=stages.content_hash(outcome.copy), grounding_chunk_ids=[h.id for h in outcome.hits],
        prompt_ref=brief.prompt_pins["draft"], score=outcome.score.total,
        score_components={**outcome.score.components, "candidates": len(outcome.candidates)},
        language=brief.language,
    )
    session.add(variant)
    session.flush()  # the unique slot constraint fires here, before anything else is written
    records.save_candidates(session, variant, outcome.candidates)
    records.save_calls(session, brief.id, "draft", outcome.failed_calls)
    records.save_retrieval(session, brief.id, variant.id, outcome.retrieval)
    audit.record(session, action="variant.created", actor=audit.SYSTEM, subject_type="variant",
                 subject_id=variant.id, brief_id=brief.id, idea_id=idea.id, channel=channel,
                 ordinal=ordinal, revision=revision, content_hash=variant.content_hash)
    records.save_findings(session, variant, "draft", outcome.findings)
    for note in outcome.notes:
        details = {k: v for k, v in note.items() if k != "action"}
        audit.record(session, action=f"guardrails.{note['action']}", actor="system:guardrails",
                     subject_type="variant", subject_id=variant.id, brief_id=brief.id, **details)
    return variant


def _finish_drafting(deps: Deps, brief_id: str) -> None:
    with session_scope(deps.engine) as session:
        brief = records.lock_brief(session, brief_id) or _missing(brief_id)
        if brief.state is not BriefState.drafting:
            return
        expected = len(_idea_ids(session, brief_id)) * len(brief.channels) * brief.n_variants
        written = session.exec(
            select(func.count()).select_from(Variant)
            .where(Variant.brief_id == brief_id, Variant.revision == 1)
        ).one()
        if written < expected:
            return
        records.set_brief_state(session, brief, BriefState.in_review, actor=audit.SYSTEM)
        waiting = list(session.exec(select(Variant.id).where(Variant.brief_id == brief_id,
                                                             Variant.state == VariantState.in_review)))
    if waiting:  # after the commit: the reviewers can open what they are told about
        notify_safely(deps, Waiting(role=Role.reviewer, brand=brief.brand, brief_id=brief_id, variant_ids=waiting,
                                    summary=f"{len(waiting)} new variant{'s' if len(waiting) > 1 else ''}"))


def _kept_texts(session: Session, brief_id: str, exclude: str | None = None) -> list[str]:
    """The texts of the brief's current variants: new candidates must differ from them."""
    stmt = select(Variant).where(Variant.brief_id == brief_id,
                                 col(Variant.state).not_in([VariantState.superseded, VariantState.rejected]))
    return [stages.variant_text(v) for v in session.exec(stmt) if v.id != exclude]


def _slot_taken(session: Session, idea_id: str, channel: str, ordinal: int) -> bool:
    stmt = select(Variant.id).where(
        Variant.idea_id == idea_id, Variant.channel == channel, Variant.ordinal == ordinal, Variant.revision == 1,
    )
    return session.exec(stmt).first() is not None


def _enqueue_drafts(deps: Deps, idea_ids: list[str]) -> None:
    for idea_id in idea_ids:
        safe_enqueue(deps, "draft", idea_id)


def _idea_ids(session: Session, brief_id: str) -> list[str]:
    stmt = select(Idea.id).where(Idea.brief_id == brief_id).order_by(col(Idea.ordinal))
    return list(session.exec(stmt))


def _brief(session: Session, brief_id: str) -> Brief:
    return session.get(Brief, brief_id) or _missing(brief_id)


def _missing(item_id: str) -> NoReturn:
    raise NotFound(f"no item with id {item_id!r}")
