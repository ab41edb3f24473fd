"""Review decisions as the desk takes them: the pipeline's rules, plus time-in-review and editing.

:mod:`app.pipeline.review` owns the rules (state checks, nobody approves their own brief, the
approval bound to the content hash). This module adds what the desk needs around them:

* every decision is followed by a ``review.decided`` audit entry whose details hold
  ``time_in_review_s``: from the variant's ``created_at`` to the decision;
* "edit then approve": the reviewer's text becomes a new revision (audited ``variant.edited``), is
  checked again, and is approved only when no check blocks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlmodel import Session

from app import audit
from app.db import session_scope
from app.errors import InvalidInput, InvalidTransition, NotFound
from app.guardrails.base import CheckResult
from app.models import Brief, Variant
from app.pipeline import records, review, stages
from app.pipeline.deps import Deps
from app.schemas import DraftCopy
from app.states import VariantState

Decision = Literal["approve", "request_changes", "reject"]


@dataclass(frozen=True)
class EditOutcome:
    variant: Variant
    findings: list[CheckResult]

    @property
    def blocking(self) -> list[CheckResult]:
        return [f for f in self.findings if f.blocks]


def decide(deps: Deps, *, variant_id: str, actor: str, decision: Decision, comment: str = "",
           since: datetime | None = None) -> Variant:
    """Take ``decision`` and record how long the variant waited (from ``since``, default its creation)."""
    started = since or _created_at(deps, variant_id)
    if decision == "approve":
        variant = review.approve(deps, variant_id=variant_id, actor=actor, comment=comment)
    elif decision == "request_changes":
        variant = review.request_changes(deps, variant_id=variant_id, actor=actor, comment=comment)
    else:
        variant = review.reject(deps, variant_id=variant_id, actor=actor, reason=comment)
    waited = round((datetime.now(UTC) - started).total_seconds(), 1)
    with session_scope(deps.engine) as session:
        audit.record(session, action="review.decided", actor=actor, subject_type="variant", subject_id=variant_id,
                     brief_id=variant.brief_id, decision=decision, comment=comment.strip(),
                     time_in_review_s=waited, content_hash=variant.content_hash)
    return variant


def edit(deps: Deps, *, variant_id: str, actor: str, copy: DraftCopy, comment: str = "") -> EditOutcome:
    """Save a reviewer's text as the next revision of a variant in review, checked like a draft.

    The old revision becomes ``superseded``; the new one starts in review with the checks' findings
    (gate ``edit``). An unchanged text is InvalidInput: there is nothing to check or approve anew.
    """
    with Session(deps.engine) as session:
        old = session.get(Variant, variant_id)
        brief = session.get(Brief, old.brief_id) if old else None
    if old is None or brief is None:
        raise NotFound(f"no variant with id {variant_id!r}")
    if stages.content_hash(copy) == old.content_hash:
        raise InvalidInput("the edited text is identical to the draft: approve it as it is")
    findings = stages.check_copy(copy, brief, old.channel, deps)  # outside the transaction: checks take time
    with session_scope(deps.engine) as session:
        locked = records.lock_brief(session, brief.id)
        current = session.get(Variant, variant_id, with_for_update=True)
        if locked is None or current is None or current.state is not VariantState.in_review:
            raise InvalidTransition(f"variant {variant_id} is no longer in review; reload to see its state")
        new = _next_revision(current, copy)
        session.add(new)
        session.flush()
        audit.record(session, action="variant.edited", actor=actor, subject_type="variant", subject_id=new.id,
                     brief_id=brief.id, parent_id=current.id, revision=new.revision, comment=comment.strip(),
                     from_hash=current.content_hash, content_hash=new.content_hash,
                     fields=[f for f in ("headline", "body", "cta") if getattr(current, f) != getattr(new, f)])
        records.set_variant_state(session, current, VariantState.superseded, actor=actor, successor=new.id,
                                  decision="edit")
        records.save_findings(session, new, "edit", findings)
        records.refresh_brief_state(session, locked, actor=actor)
    return EditOutcome(variant=new, findings=findings)


def edit_and_approve(deps: Deps, *, variant_id: str, actor: str, copy: DraftCopy, comment: str = "") -> Variant:
    """Edit, check, then approve the new revision; InvalidTransition (the edit kept) when a check blocks."""
    started = _created_at(deps, variant_id)
    outcome = edit(deps, variant_id=variant_id, actor=actor, copy=copy, comment=comment)
    if outcome.blocking:
        reasons = "; ".join(f.reason for f in outcome.blocking)
        raise InvalidTransition(f"your edit is saved as revision {outcome.variant.revision} "
                                f"({outcome.variant.id}) but not approved: {reasons}")
    return decide(deps, variant_id=outcome.variant.id, actor=actor, decision="approve", comment=comment,
                  since=started)


def _next_revision(old: Variant, copy: DraftCopy) -> Variant:
    return Variant(
        brief_id=old.brief_id, brand=old.brand, idea_id=old.idea_id, channel=old.channel, ordinal=old.ordinal,
        revision=old.revision + 1, parent_id=old.id, headline=copy.headline, body=copy.body, cta=copy.cta,
        content_hash=stages.content_hash(copy), grounding_chunk_ids=list(old.grounding_chunk_ids),
        prompt_ref=old.prompt_ref,
    )


def _created_at(deps: Deps, variant_id: str) -> datetime:
    with Session(deps.engine) as session:
        variant = session.get(Variant, variant_id)
    if variant is None:
        raise NotFound(f"no variant with id {variant_id!r}")
    return variant.created_at
