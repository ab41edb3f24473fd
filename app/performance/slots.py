"""A slot's arms, posteriors, weights and winner; the choice a CMS asks for.

:func:`evaluate` reads a slot (its brief's published variants on its channel, their aggregates) and
returns a :class:`SlotView`: per variant its counts, posterior mean rate with a 95 % credible interval,
P(best) and current weight. Only live arms (:mod:`app.performance.eligibility`) get weight; a variant found
not live for a reason not yet recorded (a claim removed from the brand's files, an edited text) is
retracted on the spot, which sends the CMS ``content.retracted``.

Weights are Thompson sampling's allocation: P(best) (:func:`app.performance.posterior.prob_best`) bounded
by ``CF_BANDIT_MIN_SHARE`` and ``CF_BANDIT_MAX_SHARE``, computed with a generator seeded by the slot and its
counts, so the same data give the same weights. :func:`choose` draws one variant from them with a caller's
seed (reproducible) or fresh entropy. Once a winner is declared and ``CF_BANDIT_WINNER_ONLY`` is set, the
winner alone gets the traffic while it stays live.

:func:`refresh` is the worker's step after new aggregates: store the weights (the history) and apply the
stopping rule (P(best) >= ``CF_BANDIT_WIN_PROBABILITY`` with ``CF_BANDIT_MIN_IMPRESSIONS`` per arm),
declaring the winner once, audited ``slot.winner_declared``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlmodel import Session, col, select

from app import audit
from app.db import session_scope
from app.errors import NotFound
from app.models import Brief, Variant
from app.performance import posterior, retraction
from app.performance.eligibility import ArmStatus, statuses
from app.performance.models import Slot, VariantStats, WeightSnapshot
from app.performance.slot_ids import goal_of, parse_slot
from app.pipeline.deps import Deps
from app.settings import Settings
from app.states import VariantState


@dataclass(frozen=True)
class ArmView:
    variant_id: str
    headline: str
    live: bool
    why: str | None
    impressions: int
    clicks: int
    conversions: int
    rate: float  # posterior mean of the goal rate
    interval: tuple[float, float]  # 95 % credible interval of the goal rate
    p_best: float
    weight: float


@dataclass(frozen=True)
class SlotView:
    slot: str
    brand: str
    brief_id: str
    channel: str
    goal: str  # "click" or "conversion" (per impression)
    arms: list[ArmView]
    winner_variant_id: str | None
    winner_probability: float | None
    lift_over_even: float | None

    @property
    def live(self) -> list[ArmView]:
        return [a for a in self.arms if a.live]

    def weights(self) -> dict[str, float]:
        return {a.variant_id: a.weight for a in self.live}


def evaluate(deps: Deps, slot: str, *, sees: Callable[[str], bool]) -> SlotView:
    """The slot as it stands. NotFound when the brief does not exist, is not in a brand ``sees`` accepts,
    or does not run on the channel."""
    brief_id, channel, _placement = parse_slot(slot)
    with Session(deps.engine) as session:
        brief = session.get(Brief, brief_id)
        if brief is None or not sees(brief.brand) or channel not in brief.channels:
            raise NotFound(f"no slot {slot!r} in your brands")
        variants = list(session.exec(select(Variant).where(
            Variant.brief_id == brief_id, Variant.channel == channel, Variant.state == VariantState.published)
            .order_by(col(Variant.created_at), col(Variant.id))).all())
        arm_status = statuses(session, variants, kb_dir=deps.settings.brand_kb_dir)
        stats = {s.variant_id: s for s in session.exec(select(VariantStats).where(VariantStats.slot == slot)).all()}
        row = session.get(Slot, slot)
    _retract_newly_invalid(deps, arm_status)
    goal = row.goal if row is not None else goal_of(brief)
    return _view(deps.settings, slot, brief, channel, goal, arm_status, stats, row)


def _retract_newly_invalid(deps: Deps, arm_status: list[ArmStatus]) -> None:
    for status in arm_status:
        if not status.live and not status.retracted and status.kind is not None:
            retraction.retract(deps, variant_id=status.variant.id, kind=status.kind, reason=status.why or status.kind,
                               actor="system:bandit", claim_ids=status.claim_ids)


def _view(settings: Settings, slot: str, brief: Brief, channel: str, goal: str, arm_status: list[ArmStatus],
          stats: dict[str, VariantStats], row: Slot | None) -> SlotView:
    live = [s.variant for s in arm_status if s.live]
    scores = [v.score for v in live]
    arms = []
    for variant in live:
        st = stats.get(variant.id)
        trials = st.impressions if st else 0
        successes = (st.conversions if goal == "conversion" else st.clicks) if st else 0
        alpha, beta = posterior.score_prior(variant.score, scores, base_rate=settings.bandit_prior_rate,
                                            weight=settings.bandit_prior_weight)
        arms.append(posterior.Arm(variant.id, successes, trials, alpha, beta))
    rng = np.random.default_rng(posterior.seed_of(slot, *[(a.variant_id, a.successes, a.trials) for a in arms]))
    p_best = posterior.prob_best(arms, rng)
    weights = posterior.shape_weights(p_best, floor=settings.bandit_min_share, cap=settings.bandit_max_share)
    winner = row.winner_variant_id if row is not None else None
    live_ids = [a.variant_id for a in arms]
    if settings.bandit_winner_only and winner in live_ids:
        weights = np.array([1.0 if vid == winner else 0.0 for vid in live_ids])
    by_id = {a.variant_id: (a, float(p), float(w)) for a, p, w in zip(arms, p_best, weights, strict=True)}
    views = []
    for status in arm_status:
        st = stats.get(status.variant.id)
        counts = (st.impressions, st.clicks, st.conversions) if st else (0, 0, 0)
        arm, p, w = by_id.get(status.variant.id, (None, 0.0, 0.0))
        rate, interval = (arm.mean, arm.interval()) if arm else (0.0, (0.0, 0.0))
        views.append(ArmView(status.variant.id, status.variant.headline, status.live, status.why, *counts,
                             rate=rate, interval=interval, p_best=p, weight=w))
    return SlotView(slot, brief.brand, brief.id, channel, goal, views, winner,
                    row.winner_probability if row is not None else None, posterior.lift_over_even(arms))


def choose(view: SlotView, *, seed: int | None = None) -> str:
    """One live variant id drawn by its weight; NotFound when the slot has no live arm."""
    live = view.live
    if not live:
        raise NotFound(f"slot {view.slot} has no live variant: none is published, or all were retracted")
    weights = np.array([a.weight for a in live])
    return live[posterior.choose(weights, np.random.default_rng(seed))].variant_id


def refresh(deps: Deps, slot: str) -> SlotView:
    """Record the slot's weights and apply the stopping rule (see the module docstring)."""
    view = evaluate(deps, slot, sees=lambda _brand: True)
    settings = deps.settings
    live = view.live
    with session_scope(deps.engine) as session:
        session.add(WeightSnapshot(slot=slot, weights=view.weights(), impressions=sum(a.impressions for a in live)))
        row = session.get(Slot, slot, with_for_update=True)
        if row is None or row.winner_variant_id is not None or len(live) < 2:
            return view
        if min(a.impressions for a in live) < settings.bandit_min_impressions:
            return view
        best = max(live, key=lambda a: a.p_best)
        if best.p_best < settings.bandit_win_probability:
            return view
        row.winner_variant_id, row.winner_probability = best.variant_id, best.p_best
        row.winner_declared_at = datetime.now(UTC)
        session.add(row)
        audit.record(session, action="slot.winner_declared", actor="system:bandit", subject_type="slot",
                     subject_id=slot[:64], brief_id=view.brief_id, variant_id=best.variant_id,
                     probability=round(best.p_best, 4), goal=view.goal,
                     arms=[{"variant_id": a.variant_id, "impressions": a.impressions, "clicks": a.clicks,
                            "conversions": a.conversions, "rate": round(a.rate, 6),
                            "interval": [round(x, 6) for x in a.interval], "p_best": round(a.p_best, 4)}
                           for a in live])
    return evaluate(deps, slot, sees=lambda _brand: True)


def history(session: Session, slot: str, *, limit: int = 200) -> list[WeightSnapshot]:
    """The slot's most recent weight snapshots, oldest first."""
    rows = session.exec(select(WeightSnapshot).where(WeightSnapshot.slot == slot)
                        .order_by(col(WeightSnapshot.id).desc()).limit(limit)).all()
    return list(reversed(rows))
