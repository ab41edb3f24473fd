"""Routes of allocation and retraction: a slot's choice, weights and figures; taking copy out of rotation.

A slot is ``<brief_id>:<channel>`` (:mod:`app.performance.slots`). ``choice`` and ``weights`` are what a CMS
calls (an ``analytics`` token); ``GET /slots/{slot}`` is the desk's view with credible intervals and history.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlmodel import Session

from app.api import queries
from app.api.admin_services import known_brands
from app.api.deps import FactoryDep, SessionDep, requires
from app.api.errors import ERROR_RESPONSES
from app.api.public_performance import (
    ArmOut,
    ChoiceOut,
    LearningOut,
    RetractIn,
    RetractionOut,
    SlotOut,
    SnapshotOut,
    VariantResultOut,
    WeightsOut,
    WithdrawOut,
)
from app.api.public_prompts import EvalCaseIn, EvalCaseOut
from app.auth.roles import Permission, Principal, Role
from app.errors import InvalidTransition, NotFound
from app.evaluation.eval_suite import named_suite
from app.models import Brief, Variant
from app.performance import retraction, slots
from app.performance.eval_cases import add_case_from_slot
from app.performance.learning import brand_learning
from app.performance.models import Retraction

router = APIRouter(tags=["performance"], responses=ERROR_RESPONSES)
PerformanceReader = Annotated[Principal, requires(Permission.read_performance)]
Retractor = Annotated[Principal, requires(Permission.retract_content)]
ClaimWithdrawer = Annotated[Principal, requires(Permission.withdraw_claims)]
CaseAdder = Annotated[Principal, requires(Permission.add_eval_cases)]
SlotId = Annotated[str, Path(max_length=200, description="`<brief_id>:<channel>`")]
Seed = Annotated[int | None, Query(ge=0, le=2**63 - 1, description="Same seed, same data: same choice.")]


@router.get("/slots/{slot}/choice")
def choice(slot: SlotId, factory: FactoryDep, user: PerformanceReader, seed: Seed = None) -> ChoiceOut:
    """One live variant for one view, drawn by Thompson sampling (its weight); 404 when none is live."""
    view = slots.evaluate(factory, slot, sees=user.sees)
    variant_id = slots.choose(view, seed=seed)
    with Session(factory.engine) as session:
        variant = session.get(Variant, variant_id)
    assert variant is not None
    weight = next(a.weight for a in view.arms if a.variant_id == variant_id)
    return ChoiceOut(slot=slot, variant_id=variant_id, headline=variant.headline, body=variant.body, cta=variant.cta,
                     weight=weight, seed=seed)


@router.get("/slots/{slot}/weights")
def weights(slot: SlotId, factory: FactoryDep, user: PerformanceReader) -> WeightsOut:
    """The share of traffic of each live variant (for a CMS that splits traffic itself)."""
    view = slots.evaluate(factory, slot, sees=user.sees)
    return WeightsOut(slot=slot, goal=view.goal, weights=view.weights(),  # type: ignore[arg-type]
                      winner_variant_id=view.winner_variant_id)


@router.get("/slots/{slot}")
def slot_figures(slot: SlotId, factory: FactoryDep, session: SessionDep, user: PerformanceReader,
                 history: Annotated[int, Query(ge=0, le=1000)] = 200) -> SlotOut:
    """Per variant: impressions, clicks, rate with a 95 % credible interval, P(best), weight; the winner, the
    lift over an even split and the history of weights."""
    view = slots.evaluate(factory, slot, sees=user.sees)
    snapshots = slots.history(session, slot, limit=history) if history else []
    return SlotOut(slot=view.slot, brand=view.brand, brief_id=view.brief_id, channel=view.channel,
                   goal=view.goal,  # type: ignore[arg-type]
                   arms=[ArmOut(**a.__dict__) for a in view.arms], winner_variant_id=view.winner_variant_id,
                   winner_probability=view.winner_probability, lift_over_even=view.lift_over_even,
                   history=[SnapshotOut(at=s.created_at, impressions=s.impressions, weights=s.weights)
                            for s in snapshots])


def _out(row: Retraction) -> RetractionOut:
    return RetractionOut(id=row.id, variant_id=row.variant_id, kind=row.kind, reason=row.reason,
                         claim_ids=list(row.claim_ids), notice_state=row.notice_state)


@router.post("/variants/{variant_id}/retract")
def retract(variant_id: str, body: RetractIn, factory: FactoryDep, session: SessionDep,
            user: Retractor) -> RetractionOut:
    """Take published copy out of every slot at once and tell the CMS (signed ``content.retracted``). A
    reviewer's retraction revokes the approval; a compliance officer's retracts the clearance."""
    queries.visible_variant(session, user, variant_id)
    kind = "compliance_retracted" if user.has_role(Role.compliance) else "approval_revoked"
    made = retraction.retract(factory, variant_id=variant_id, kind=kind, reason=body.reason, actor=user.username)
    if made is None:
        raise InvalidTransition(f"variant {variant_id} is already retracted")
    return _out(made)


@router.post("/brands/{slug}/claims/{claim_id}/withdraw")
def withdraw_claim(slug: str, claim_id: Annotated[str, Path(max_length=64)], body: RetractIn, factory: FactoryDep,
                   user: ClaimWithdrawer) -> WithdrawOut:
    """Withdraw an approved claim: every published variant of the brand cleared on it is retracted."""
    if not user.sees(slug) or slug not in known_brands(factory.settings.brand_kb_dir):
        raise NotFound(f"no brand {slug!r} in your brands")
    made = retraction.withdraw_claim(factory, brand=slug, claim_id=claim_id, reason=body.reason,
                                     actor=user.username)
    return WithdrawOut(brand=slug, claim_id=claim_id, retracted=[_out(r) for r in made])


@router.get("/brands/{slug}/learning")
def learning(slug: str, factory: FactoryDep, user: PerformanceReader,
             min_impressions: Annotated[int, Query(ge=1, le=1_000_000)] = 100) -> LearningOut:
    """What worked for the brand: per measured slot each variant's rate, lift over the weakest with its 95 %
    credible interval and reusable features; how offline scores correlate with live rates; the lift of bandit
    allocation over an even split so far."""
    if not user.sees(slug) or slug not in known_brands(factory.settings.brand_kb_dir):
        raise NotFound(f"no brand {slug!r} in your brands")
    result = brand_learning(factory, slug, min_impressions=min_impressions)
    measured = {slot: [VariantResultOut(**r.__dict__) for r in rows] for slot, rows in result.slots.items()}
    return LearningOut(brand=slug, slots=measured, correlations=result.correlations,
                       measured_variants=result.measured_variants, lift_over_even=result.lift_over_even)


@router.post("/slots/{slot}/eval-case", status_code=201)
def slot_eval_case(slot: SlotId, body: EvalCaseIn, factory: FactoryDep, session: SessionDep,
                   user: CaseAdder) -> EvalCaseOut:
    """Turn the slot's result into an eval case of a suite (its brief, the winner's figures as the note);
    409 before a winner is declared, 422 for a suite of another brand or a case already there."""
    view = slots.evaluate(factory, slot, sees=user.sees)
    brief = session.get(Brief, view.brief_id)
    assert brief is not None
    fields = {"product": brief.product, "audience": brief.audience, "goal": brief.goal,
              "key_message": brief.key_message, "constraints": brief.constraints}
    case = add_case_from_slot(session, view, brief=fields, actor=user.username,
                              suite_path=named_suite(factory.settings.eval_suites_dir, body.suite))
    session.commit()
    return EvalCaseOut(suite=body.suite, case_id=case.id, must_not_mention=case.expect.must_not_mention,
                       note=case.note, brief=case.brief)
