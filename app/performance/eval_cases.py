"""A slot's result as an eval case, in one action (``POST /slots/{slot}/eval-case``).

The case is the slot's brief on its channel, tagged ``from-slot``; its note keeps the evidence (the winner's
headline, call to action and rate with its credible interval against the runner-up), so prompt engineers
can check that a new prompt still writes copy like the winner. Expectations: the copy's claims must stay
supported (the winner won with approved claims only), and it must not repeat the losing variants' headlines.
Only a slot with a declared winner becomes a case (InvalidTransition otherwise); the addition is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlmodel import Session

from app import audit
from app.errors import InvalidInput, InvalidTransition
from app.evaluation.eval_suite import EvalCase, Expectations, append_case, load_suite
from app.models import Variant
from app.performance.slots import SlotView


def add_case_from_slot(session: Session, view: SlotView, *, brief: Mapping[str, object], suite_path: Path,
                       actor: str) -> EvalCase:
    """Append the slot's case to the suite at ``suite_path``; returns it. InvalidInput when the suite is for
    another brand or holds the case already."""
    suite = load_suite(suite_path)
    if view.winner_variant_id is None:
        raise InvalidTransition(f"slot {view.slot} has no declared winner yet: nothing to learn from")
    if suite.brand != view.brand:
        raise InvalidInput(f"slot {view.slot} is for brand {view.brand!r}; suite {suite.name} is {suite.brand!r}")
    ranked = sorted(view.arms, key=lambda a: -a.rate)
    winner = next(a for a in view.arms if a.variant_id == view.winner_variant_id)
    variant = session.get(Variant, winner.variant_id)
    cta = variant.cta if variant is not None else ""
    runner_up = next((a for a in ranked if a.variant_id != winner.variant_id), None)
    against = (f"; runner-up {runner_up.rate:.2%} ({runner_up.interval[0]:.2%}-{runner_up.interval[1]:.2%})"
               if runner_up else "")
    case = EvalCase(
        id=f"slot-{view.brief_id[:12]}-{view.channel}".lower(),
        brief={**brief, "channels": [view.channel], "n_ideas": 1, "n_variants": 2},
        expect=Expectations(claims_must_stay_supported=True,
                            must_not_mention=[a.headline for a in view.arms if a.variant_id != winner.variant_id]),
        tags=["from-slot", view.goal],
        note=(f"slot {view.slot}: winner {winner.variant_id} \"{winner.headline}\" / \"{cta}\" at "
              f"{winner.rate:.2%} ({winner.interval[0]:.2%}-{winner.interval[1]:.2%}) over {winner.impressions:,} "
              f"impressions, P(best) {view.winner_probability or winner.p_best:.2f}{against}"),
    )
    if any(c.id == case.id for c in suite.cases):
        raise InvalidInput(f"suite {suite.name} already holds case {case.id}")
    audit.record(session, action="eval.case_added", actor=actor, subject_type="slot", subject_id=view.slot[:64],
                 brief_id=view.brief_id, suite=suite.name, case_id=case.id, winner=winner.variant_id)
    session.flush()
    append_case(suite_path, case)
    return case
