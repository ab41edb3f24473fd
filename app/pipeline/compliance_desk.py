"""The compliance officer's decisions on a variant the gate blocked.

* ``clear_blocked``: the officer overrules the gate with a reason (audited ``compliance.cleared``,
  with the findings it overrules); the variant then takes the passing gate's path: ``publishing``,
  its single delivery row, and the publish task. A block because the text changed after approval
  cannot be cleared: nobody approved that text, so it needs a reviewer, not an override.

Sending a blocked variant back is :func:`app.pipeline.review.request_changes`, as for a reviewer.
"""

from __future__ import annotations

from sqlmodel import select

from app import audit
from app.db import session_scope
from app.errors import InvalidInput, InvalidTransition, NotFound
from app.models import CheckFinding, Variant
from app.pipeline import gate, records, stages
from app.pipeline.deps import Deps
from app.pipeline.runner import safe_enqueue
from app.states import VariantState


def clear_blocked(deps: Deps, *, variant_id: str, actor: str, reason: str) -> Variant:
    """Release a blocked variant to publishing. InvalidInput without a reason; InvalidTransition when the
    variant is not blocked or its text is not the approved text."""
    if not reason.strip():
        raise InvalidInput("say why the block can be cleared: the reason is kept in the audit log")
    with session_scope(deps.engine) as session:
        variant = session.get(Variant, variant_id, with_for_update=True)
        brief = records.lock_brief(session, variant.brief_id) if variant else None
        if variant is None or brief is None:
            raise NotFound(f"no variant with id {variant_id!r}")
        if variant.state is not VariantState.blocked:
            raise InvalidTransition(f"variant {variant_id} is {variant.state.value}; only blocked variants are cleared")
        if variant.approved_hash != stages.content_hash(variant):
            raise InvalidTransition("the text changed after approval: a reviewer must approve it again "
                                    "(send it back), a clearance cannot stand in for an approval")
        overruled = session.exec(select(CheckFinding).where(
            CheckFinding.variant_id == variant_id, CheckFinding.gate == "compliance",
            CheckFinding.passed == False)).all()  # noqa: E712
        audit.record(session, action="compliance.cleared", actor=actor, subject_type="variant",
                     subject_id=variant.id, brief_id=brief.id, reason=reason.strip(),
                     overruled=[{"check": f.check, "rule": f.rule, "reason": f.reason} for f in overruled])
        gate.release_to_publishing(session, variant, brief, deps, actor=actor, decision="clear",
                                   reason=reason.strip())
        records.refresh_brief_state(session, brief, actor=actor)
    safe_enqueue(deps, "publish", variant_id)
    return variant

