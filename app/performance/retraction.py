"""Taking copy out of rotation, and telling the CMS with a signed ``content.retracted`` webhook.

- :func:`retract`: one variant leaves every slot at once (its ``Retraction`` row is read by every choice),
  audited ``variant.retracted``; then the task ``notify_retraction`` sends the notice.
- :func:`withdraw_claim`: an approved claim is withdrawn for a brand (audited ``claim.withdrawn``); every
  published variant of the brand whose compliance clearance cites it is retracted.
- :func:`send_notice`: one attempt at the notice through the factory's publisher (the same Standard Webhooks
  signature and secret as publications; the retraction's id is the ``webhook-id``, the same on every
  retry, so receivers deduplicate). Failures follow the publication rules (retryable or not, the
  ``CF_WEBHOOK_RETRY_SCHEDULE_H`` schedule); when the schedule is spent the notice is ``dead``.

Retraction is idempotent: a second call for a retracted variant changes nothing and sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import audit
from app.db import session_scope
from app.errors import InvalidInput, InvalidTransition, NotFound
from app.models import Variant
from app.performance.eligibility import cited_sources
from app.performance.models import ClaimWithdrawal, Retraction
from app.performance.slot_ids import slot_id
from app.pipeline.deps import Deps
from app.pipeline.runner import safe_enqueue
from app.publishing.publisher import retry_delay_s
from app.states import VariantState

KINDS = ("claim_withdrawn", "approval_revoked", "compliance_retracted", "approval_invalid")


@dataclass(frozen=True)
class NoticeOutcome:
    status: str  # delivered, retry, dead, nothing
    retry_in_s: float = 0.0


def retract(deps: Deps, *, variant_id: str, kind: str, reason: str, actor: str,
            claim_ids: Iterable[str] = ()) -> Retraction | None:
    """Retract a published variant; None when it was already retracted. InvalidInput for an unknown kind or an
    empty reason; NotFound for an unknown variant; InvalidTransition when the variant was never published."""
    if kind not in KINDS:
        raise InvalidInput(f"kind: one of {list(KINDS)}")
    if not reason.strip():
        raise InvalidInput("say why the copy is retracted: the reason goes to the CMS and the audit log")
    try:
        with session_scope(deps.engine) as session:
            retraction = _retract_in(session, variant_id=variant_id, kind=kind, reason=reason.strip(), actor=actor,
                                     claim_ids=list(claim_ids))
    except IntegrityError:  # another request retracted it between our check and our insert
        return None
    if retraction is not None:
        safe_enqueue(deps, "notify_retraction", retraction.id)
    return retraction


def _retract_in(session: Session, *, variant_id: str, kind: str, reason: str, actor: str,
                claim_ids: list[str]) -> Retraction | None:
    variant = session.get(Variant, variant_id)
    if variant is None:
        raise NotFound(f"no variant with id {variant_id!r}")
    if variant.state is not VariantState.published:
        raise InvalidTransition(f"variant {variant_id} is {variant.state.value}; only published copy is retracted")
    if session.exec(select(Retraction.id).where(Retraction.variant_id == variant_id)).first() is not None:
        return None
    retraction = Retraction(variant_id=variant_id, brand=variant.brand, brief_id=variant.brief_id, kind=kind,
                            reason=reason, claim_ids=claim_ids, actor=actor)
    session.add(retraction)
    audit.record(session, action="variant.retracted", actor=actor, subject_type="variant", subject_id=variant_id,
                 brief_id=variant.brief_id, kind=kind, reason=reason, claim_ids=claim_ids,
                 slot=slot_id(variant.brief_id, variant.channel), notice_id=retraction.id)
    return retraction


def withdraw_claim(deps: Deps, *, brand: str, claim_id: str, reason: str, actor: str) -> list[Retraction]:
    """Withdraw ``claim_id`` for ``brand`` and retract the published variants citing it; returns those
    retractions (none new when the claim was already withdrawn). InvalidInput without a reason."""
    if not reason.strip():
        raise InvalidInput("say why the claim is withdrawn: the reason is kept in the audit log")
    made: list[Retraction] = []
    with session_scope(deps.engine) as session:
        if session.get(ClaimWithdrawal, (brand, claim_id)) is None:
            session.add(ClaimWithdrawal(brand=brand, claim_id=claim_id, reason=reason.strip(), actor=actor))
            audit.record(session, action="claim.withdrawn", actor=actor, subject_type="claim",
                         subject_id=claim_id[:64], brand=brand, reason=reason.strip())
        published = session.exec(select(Variant.id).where(Variant.brand == brand,
                                                          Variant.state == VariantState.published)).all()
        citing = [vid for vid, refs in cited_sources(session, published).items() if claim_id in refs]
        for variant_id in sorted(citing):
            retraction = _retract_in(session, variant_id=variant_id, kind="claim_withdrawn",
                                     reason=f"approved claim {claim_id} was withdrawn: {reason.strip()}",
                                     actor=actor, claim_ids=[claim_id])
            if retraction is not None:
                made.append(retraction)
    for retraction in made:
        safe_enqueue(deps, "notify_retraction", retraction.id)
    return made


def notice_payload(retraction: Retraction, channel: str) -> dict[str, object]:
    """The body of the ``content.retracted`` webhook."""
    return {"type": "content.retracted", "brand": retraction.brand, "brief_id": retraction.brief_id,
            "variant_id": retraction.variant_id, "slot": slot_id(retraction.brief_id, channel),
            "kind": retraction.kind, "reason": retraction.reason, "claim_ids": list(retraction.claim_ids),
            "retracted_at": retraction.created_at.isoformat()}


def send_notice(retraction_id: str, deps: Deps) -> NoticeOutcome:
    """One attempt at the retraction's notice; the outcome says whether to retry and when."""
    with Session(deps.engine) as session:
        retraction = session.get(Retraction, retraction_id)
        if retraction is None or retraction.notice_state != "pending":
            return NoticeOutcome("nothing")
        variant = session.get(Variant, retraction.variant_id)
        payload = notice_payload(retraction, variant.channel if variant else "")
    result = deps.publisher_factory().send(delivery_id=retraction_id, payload=payload)
    with session_scope(deps.engine) as session:
        retraction = session.get(Retraction, retraction_id, with_for_update=True)
        if retraction is None or retraction.notice_state != "pending":
            return NoticeOutcome("nothing")
        retraction.notice_attempts += 1
        retraction.notice_error = result.error
        wait = None if result.ok or not result.transient else retry_delay_s(
            retraction.notice_attempts, deps.settings.webhook_retry_schedule_h)
        retraction.notice_state = "delivered" if result.ok else ("pending" if wait is not None else "dead")
        session.add(retraction)
        audit.record(session, action="retraction.notice", actor="system:publisher", subject_type="variant",
                     subject_id=retraction.variant_id, brief_id=retraction.brief_id, notice_id=retraction_id,
                     attempt=retraction.notice_attempts, ok=result.ok, status=result.status_code,
                     error=result.error, state=retraction.notice_state, target=result.target)
        if result.ok:
            return NoticeOutcome("delivered")
        return NoticeOutcome("retry", wait) if wait is not None else NoticeOutcome("dead")
