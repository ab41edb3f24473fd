"""Stage functions: plain functions of (item, deps) that return an outcome and touch no database.

:mod:`app.pipeline.runner` loads the items, calls these, then persists and audits the outcome.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.brand import load_brand
from app.errors import MalformedOutput
from app.guardrails.base import CheckResult
from app.guardrails.fixes import apply_replacements
from app.guardrails.style import style_guide
from app.llm.structured import CallRecord, StructuredOutputFailed, generate
from app.models import Brief, Idea, Variant, new_id
from app.pipeline import selection
from app.pipeline.deps import Deps
from app.pipeline.idea_screen import ScreenedIdea, screen_ideas
from app.pipeline.retrieval import Retrieval, as_knowledge_block, retrieve
from app.prompting.registry import PromptVersion
from app.retrieval.store import Hit
from app.schemas import DraftCopy, IdeaList, IdeaOut, idea_list_schema


@dataclass
class IdeationOutcome:
    ideas: list[IdeaOut]
    retrieval: Retrieval
    calls: list[CallRecord]
    # Per idea (same order): what the wording screen took out before drafting (:mod:`app.pipeline.idea_screen`).
    screened: list[ScreenedIdea] = field(default_factory=list)

    @property
    def hits(self) -> list[Hit]:
        return self.retrieval.hits


@dataclass
class Candidate:
    """One best-of-N draft of a slot: its copy after auto-fixes and re-asks, and what it cost."""

    id: str
    number: int
    copy: DraftCopy
    calls: list[CallRecord]
    findings: list[CheckResult] = field(default_factory=list)
    notes: list[dict[str, object]] = field(default_factory=list)
    score: selection.DraftScore = field(default_factory=lambda: selection.DraftScore(total=0.0))
    kept: bool = False
    reason: str = ""


@dataclass
class DraftOutcome:
    """The kept candidate of a slot (``copy``, ``findings``, ``notes``, ``score``) and every candidate."""

    retrieval: Retrieval
    candidates: list[Candidate]
    failed_calls: list[CallRecord] = field(default_factory=list)

    @property
    def kept(self) -> Candidate:
        return next(c for c in self.candidates if c.kept)

    @property
    def copy(self) -> DraftCopy:
        return self.kept.copy

    @property
    def findings(self) -> list[CheckResult]:
        return self.kept.findings

    @property
    def notes(self) -> list[dict[str, object]]:
        return self.kept.notes

    @property
    def score(self) -> selection.DraftScore:
        return self.kept.score

    @property
    def calls(self) -> list[CallRecord]:
        return [call for c in self.candidates for call in c.calls] + self.failed_calls

    @property
    def hits(self) -> list[Hit]:
        return self.retrieval.hits


def ideate(brief: Brief, deps: Deps, *, prompt_ref: str) -> IdeationOutcome:
    prompt = deps.prompts.resolve(prompt_ref)
    found = retrieve(brief, deps)
    variables = _brief_variables(brief, deps)
    result = generate(
        deps.llm, prompt, {**variables, "knowledge": as_knowledge_block(found.hits), "n_ideas": brief.n_ideas},
        IdeaList, schema=idea_list_schema(brief.n_ideas), max_attempts=deps.settings.llm_max_attempts,
    )
    screened = screen_ideas(result.value.ideas[: brief.n_ideas], brief, str(variables["product"]), deps)
    return IdeationOutcome(ideas=[s.idea for s in screened], retrieval=found, calls=result.calls, screened=screened)


def draft(
    brief: Brief, idea: Idea, channel: str, deps: Deps, *, prompt_ref: str, ordinal: int = 1,
    feedback: str = "", previous: Variant | None = None, kept_texts: Sequence[str] = (),
) -> DraftOutcome:
    """Write ``Settings.draft_candidates`` candidates for one variant slot and keep the best.

    Each candidate goes through the brand's policy (auto-fix, bounded re-asks); each is scored
    (:mod:`app.pipeline.selection`) and the best one that is not a near-duplicate of ``kept_texts``
    (the brief's variants already kept) is marked ``kept``. Raises MalformedOutput only when no
    candidate could be written; the failed candidates' calls are kept in ``failed_calls``.
    """
    prompt = deps.prompts.resolve(prompt_ref)
    found = retrieve(brief, deps, focus=f"{idea.title} {idea.angle}")
    base = {
        **_brief_variables(brief, deps), "knowledge": as_knowledge_block(found.hits), "channel": channel,
        "idea_title": idea.title, "idea_angle": idea.angle,
    }
    revision = previous.revision + 1 if previous else 1
    candidates: list[Candidate] = []
    failed_calls: list[CallRecord] = []
    last_error: MalformedOutput | None = None
    for number in range(1, deps.settings.draft_candidates + 1):
        seed = 100 * ordinal + 10 * revision + idea.ordinal + 10_000 * (number - 1)
        try:
            candidates.append(_write_candidate(brief, channel, deps, prompt, base, number=number, seed=seed,
                                               feedback=feedback, previous=previous))
        except MalformedOutput as exc:
            last_error = exc
            failed_calls.extend(getattr(exc, "calls", []))
    if not candidates:
        assert last_error is not None
        # Every candidate's failed calls go with the error, so the brief's failure record keeps them all.
        raise StructuredOutputFailed(str(last_error), failed_calls)
    _score_and_choose(candidates, brief, channel, found, kept_texts, deps)
    return DraftOutcome(retrieval=found, candidates=candidates, failed_calls=failed_calls)


def _write_candidate(
    brief: Brief, channel: str, deps: Deps, prompt: PromptVersion, base: dict[str, object], *, number: int,
    seed: int, feedback: str, previous: Variant | None,
) -> Candidate:
    """One candidate: generate, auto-fix what has a replacement, and re-ask the LLM with the reasons
    (at most ``reask_max_attempts`` times) while a ``reask`` finding blocks."""
    policy = deps.guardrails.for_brand(brief.brand).policy
    candidate: Candidate | None = None
    notes: list[dict[str, object]] = []
    for round_no in range(policy.reask_max_attempts + 1):
        prior_text = variant_text(previous) if previous else ""
        try:
            result = generate(
                deps.llm, prompt, {**base, "feedback": feedback, "previous_draft": prior_text}, DraftCopy,
                max_attempts=deps.settings.llm_max_attempts, seed_offset=seed + 1000 * round_no,
            )
        except StructuredOutputFailed as exc:
            if candidate is None:
                raise
            # A re-ask that produced nothing usable: keep the last usable draft, and every call.
            candidate.calls = candidate.calls + exc.calls
            notes.append({"action": "reask_failed", "round": round_no, "error": str(exc)[:200]})
            return candidate
        copy, findings, fixed = _checked_and_fixed(result.value, brief, channel, deps)
        calls = (candidate.calls if candidate else []) + result.calls
        candidate = Candidate(id=new_id(), number=number, copy=copy, calls=calls, findings=findings, notes=notes)
        if fixed:
            notes.append({"action": "auto_fix", "round": round_no, "rules": [f.rule for f in fixed]})
        reask = [f for f in findings if f.blocks and policy.action_for(f.check) == "reask"]
        if not reask or round_no == policy.reask_max_attempts:
            return candidate
        notes.append({"action": "reask", "round": round_no, "rules": [f.rule for f in reask]})
        feedback = "Fix these problems, keep everything else: " + "; ".join(f.reason for f in reask)
        previous = _as_variant(copy, previous)
    assert candidate is not None
    return candidate


def _score_and_choose(
    candidates: list[Candidate], brief: Brief, channel: str, found: Retrieval, kept_texts: Sequence[str],
    deps: Deps,
) -> None:
    """Score every candidate and mark the one the slot keeps (one embedding batch for all texts)."""
    texts = [variant_text(c.copy) for c in candidates]
    chunks = [h.text for h in found.hits]
    vectors = deps.embedder.embed([brief.key_message, *texts, *chunks, *kept_texts])
    key_vector, rest = vectors[0], vectors[1:]
    text_vectors, rest = rest[: len(texts)], rest[len(texts):]
    chunk_vectors, kept_vectors = rest[: len(chunks)], rest[len(chunks):]
    max_words = _channel_body_words(brief, channel, deps)
    for candidate, vector in zip(candidates, text_vectors, strict=True):
        candidate.score = selection.score(
            findings=candidate.findings, text_vector=vector, key_message_vector=key_vector,
            chunk_vectors=chunk_vectors, body=candidate.copy.body, max_body_words=max_words,
        )
    choice = selection.choose([c.score for c in candidates], text_vectors, kept_vectors,
                              duplicate_cosine=deps.settings.duplicate_cosine)
    for i, candidate in enumerate(candidates):
        candidate.kept = i == choice.kept
        candidate.reason = choice.reasons.get(i, "highest score")
    if choice.duplicate_of is not None:
        candidates[choice.kept].reason = "highest score; every candidate repeats a variant already kept"


def _channel_body_words(brief: Brief, channel: str, deps: Deps) -> int | None:
    limits = style_guide(deps.guardrails.for_brand(brief.brand).profile).channels.get(channel, {})
    return limits.get("body_words")


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
    """Every check of the brand's policy on the copy, with the brief's key message and language (the
    brand's default language: briefs do not carry their own yet)."""
    language = deps.guardrails.for_brand(brief.brand).profile.default_language
    return deps.guardrails.evaluate(variant_text(copy), brand=brief.brand, channel=channel, product=brief.product,
                                    key_message=brief.key_message, language=language)


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
