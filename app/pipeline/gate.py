"""The compliance gate: the final checks on an approved variant, before anything is published.

A variant passes when no check blocks and its text still has the hash the reviewer approved. A
blocked variant goes back to review with the reasons; a passing one gets its (single) delivery row.
"""

from __future__ import annotations

from sqlmodel import Session, select

from app import audit
from app.auth.roles import Role
from app.db import session_scope
from app.guardrails.base import CheckResult, Severity, is_blocked
from app.models import Brief, Delivery, Variant
from app.notifications import Waiting, notify_safely
from app.pipeline import records, stages
from app.pipeline.deps import Deps
from app.pipeline.runner import safe_enqueue
from app.provenance import facts
from app.provenance.issuer import ProvenanceIssuer
from app.states import VariantState


def run_compliance(variant_id: str, deps: Deps) -> None:
    """Check an approved variant and move it to ``publishing`` (with its delivery) or ``blocked``.

    Both moves are conditional (:func:`app.pipeline.records.set_variant_state`): a redelivered task that
    finds the variant already in ``compliance`` re-runs the checks (its first run may have died) but
    writes the ``approved → compliance`` entry no second time, and of two runs racing to the verdict only
    the first writes findings, the verdict and the delivery.
    """
    with session_scope(deps.engine) as session:
        variant = session.get(Variant, variant_id)
        if variant is None or variant.state not in {VariantState.approved, VariantState.compliance}:
            return
        if variant.state is VariantState.approved:
            records.set_variant_state(session, variant, VariantState.compliance, actor=audit.SYSTEM)
        brief = session.get(Brief, variant.brief_id)
        assert brief is not None
    if variant.state is not VariantState.compliance:
        return
    results = [*stages.check_copy(variant, brief, variant.channel, deps), _approval_still_valid(variant)]
    # for its provenance, read before the brief is locked
    sources = facts.chunk_hashes(deps.store, list(variant.grounding_chunk_ids), brief.brand)
    with session_scope(deps.engine) as session:
        locked = records.lock_brief(session, variant.brief_id)
        variant = session.get(Variant, variant_id, with_for_update=True)
        if variant is None or locked is None or variant.state is not VariantState.compliance:
            return
        blocked = is_blocked(results)
        if blocked:
            reasons = [r.reason for r in results if r.blocks]
            moved = records.set_variant_state(session, variant, VariantState.blocked, actor="system:compliance",
                                              reasons=reasons)
        else:
            moved = records.set_variant_state(session, variant, VariantState.publishing,
                                              actor="system:compliance")
        if not moved:  # another delivery of this task reached the verdict first
            return
        records.save_findings(session, variant, "compliance", results)
        if not blocked:
            _ensure_delivery(session, variant, locked, deps, sources=sources)
        records.refresh_brief_state(session, locked, actor="system:compliance")
    if not blocked:
        safe_enqueue(deps, "publish", variant_id)
    else:
        notify_safely(deps, Waiting(role=Role.compliance, brand=locked.brand, brief_id=locked.id,
                                    variant_ids=[variant_id], summary="a variant blocked at the gate"))


def _approval_still_valid(variant: Variant) -> CheckResult:
    current = stages.content_hash(variant)
    if variant.approved_hash == current:
        return CheckResult(check="approval", rule="content_hash", passed=True, reason="text is as approved")
    return CheckResult(
        check="approval", rule="content_hash", passed=False, severity=Severity.block,
        reason="the text changed after approval; it must be approved again",
        evidence=f"approved {variant.approved_hash}, now {current}",
    )


def _ensure_delivery(session: Session, variant: Variant, brief: Brief, deps: Deps,
                     clearance: dict[str, object] | None = None, sources: facts.Sources | None = None) -> None:
    """The variant's one delivery, its payload carrying the signed provenance (:mod:`app.provenance`)."""
    if session.exec(select(Delivery).where(Delivery.variant_id == variant.id)).first() is not None:
        return
    publisher = deps.publisher_factory()
    delivery = Delivery(variant_id=variant.id, brief_id=brief.id, brand=brief.brand, target=publisher.target,
                        payload=publication_payload(variant, brief))
    issuer = deps.provenance or ProvenanceIssuer.from_settings(deps.settings)
    delivery.payload = {**delivery.payload, "provenance": issuer.issue(
        session, variant=variant, brief=brief, settings=deps.settings, store=deps.store, delivery_id=delivery.id,
        clearance=clearance or {"actor": "system:compliance", "verdict": "passed"}, sources=sources)}
    session.add(delivery)
    audit.record(session, action="delivery.created", actor="system:compliance", subject_type="delivery",
                 subject_id=delivery.id, brief_id=brief.id, variant_id=variant.id, target=publisher.target)


def publication_payload(variant: Variant, brief: Brief) -> dict[str, object]:
    """What the CMS receives: the approved copy and where it came from (``_ensure_delivery`` adds the signed
    ``provenance``)."""
    return {
        "type": "content.approved",
        "brand": brief.brand, "brief_id": brief.id, "variant_id": variant.id, "channel": variant.channel,
        "headline": variant.headline, "body": variant.body, "cta": variant.cta,
        "content_hash": variant.content_hash, "approved_by": variant.approved_by,
        "prompt": variant.prompt_ref, "sources": variant.grounding_chunk_ids,
    }


def release_to_publishing(session: Session, variant: Variant, brief: Brief, deps: Deps, *, actor: str,
                          **details: object) -> None:
    """The passing gate's path for a variant a person releases (a compliance clearance): move it to
    ``publishing`` and create its delivery. The caller commits, then enqueues ``publish``."""
    records.set_variant_state(session, variant, VariantState.publishing, actor=actor, **details)
    _ensure_delivery(session, variant, brief, deps,
                     clearance={"actor": actor, "verdict": "cleared by a compliance officer", **details})
