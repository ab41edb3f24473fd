"""Simulated traffic: Thompson sampling (the factory's allocation) against an even A/B split and epsilon-greedy.

Each scenario has K variants with known click-through rates; a policy allocates each batch of impressions
(the period between two aggregation runs), clicks are drawn Binomial(n, rate), and the policy sees the
counts before the next batch. Reported per policy: the expected cumulative regret, sum over impressions of
(best rate now - rate of the variant shown), i.e. clicks lost to not always showing the best variant; and,
for Thompson sampling and the even split, the impressions until the factory's stopping rule
(:func:`app.performance.posterior.winner`) first declares a winner and whether it was the best variant then.

Thompson sampling here is the production path: :func:`~app.performance.posterior.prob_best` and
:func:`~app.performance.posterior.shape_weights` with the default floor and cap, priors at the default base
rate and weight, impressions split by the weights (what a CMS that reads ``/weights`` does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.performance.posterior import Arm, prob_best, score_prior, shape_weights, winner
from app.settings import Settings

Rates = Callable[[float], np.ndarray]  # progress in [0, 1] -> the K true rates at that point


@dataclass(frozen=True)
class Scenario:
    name: str
    rates: Rates


def _fixed(*rates: float) -> Rates:
    return lambda _progress: np.array(rates)


def _drift(start: tuple[float, ...], end: tuple[float, ...]) -> Rates:
    a, b = np.array(start), np.array(end)
    return lambda progress: a + (b - a) * progress


SCENARIOS = (
    Scenario("clear winner (2 %, 3 %, 5 %)", _fixed(0.02, 0.03, 0.05)),
    Scenario("close rates (3.0 %, 3.2 %, 3.4 %)", _fixed(0.030, 0.032, 0.034)),
    Scenario("drift (5 % -> 2 %, 3 %, 2 % -> 5 %)", _drift((0.05, 0.03, 0.02), (0.02, 0.03, 0.05))),
)


@dataclass
class Outcome:
    regret: float = 0.0
    declared_at: int | None = None
    declared_correct: bool | None = None


@dataclass
class Run:
    """Counts of one policy in one scenario."""

    k: int
    shown: np.ndarray
    clicks: np.ndarray

    @classmethod
    def empty(cls, k: int) -> Run:
        return cls(k, np.zeros(k, dtype=np.int64), np.zeros(k, dtype=np.int64))


def thompson_split(run: Run, batch: int, rng: np.random.Generator, settings: Settings) -> np.ndarray:
    priors = [score_prior(None, [], base_rate=settings.bandit_prior_rate, weight=settings.bandit_prior_weight)] * run.k
    arms = [Arm(str(i), int(run.clicks[i]), int(run.shown[i]), *priors[i]) for i in range(run.k)]
    weights = shape_weights(prob_best(arms, rng, draws=2000), floor=settings.bandit_min_share,
                            cap=settings.bandit_max_share)
    return rng.multinomial(batch, weights)


def even_split(run: Run, batch: int, rng: np.random.Generator, _settings: Settings) -> np.ndarray:
    return rng.multinomial(batch, np.full(run.k, 1.0 / run.k))


def epsilon_greedy_split(run: Run, batch: int, rng: np.random.Generator, _settings: Settings,
                         epsilon: float = 0.1) -> np.ndarray:
    """Epsilon-greedy (epsilon 0.1): the best observed rate gets 1 - epsilon, the rest is spread evenly."""
    observed = np.divide(run.clicks, run.shown, out=np.full(run.k, np.inf), where=run.shown > 0)
    weights = np.full(run.k, epsilon / run.k)
    weights[int(np.argmax(observed))] += 1.0 - epsilon
    return rng.multinomial(batch, weights)


POLICIES = {"thompson": thompson_split, "even": even_split, "epsilon_greedy": epsilon_greedy_split}


def simulate(scenario: Scenario, policy: str, *, horizon: int, batches: int, seed: int,
             settings: Settings) -> Outcome:
    """One run of ``policy`` over ``horizon`` impressions in ``batches`` allocation rounds."""
    rng = np.random.default_rng(seed)
    split = POLICIES[policy]
    k = len(scenario.rates(0.0))
    run, outcome = Run.empty(k), Outcome()
    batch = max(1, horizon // batches)
    for step in range(0, horizon, batch):
        rates = scenario.rates(step / horizon)
        shown = split(run, min(batch, horizon - step), rng, settings)
        clicks = rng.binomial(shown, rates)
        outcome.regret += float((rates.max() - rates) @ shown)
        run.shown += shown
        run.clicks += clicks
        if outcome.declared_at is None and policy != "epsilon_greedy":
            _apply_stopping_rule(run, rates, rng, settings, outcome, step + int(shown.sum()))
    return outcome


def _apply_stopping_rule(run: Run, rates: np.ndarray, rng: np.random.Generator, settings: Settings,
                         outcome: Outcome, impressions: int) -> None:
    arms = [Arm(str(i), int(run.clicks[i]), int(run.shown[i])) for i in range(run.k)]
    if min(a.trials for a in arms) < settings.bandit_min_impressions:
        return
    best = winner(arms, prob_best(arms, rng, draws=2000), threshold=settings.bandit_win_probability,
                  min_trials=settings.bandit_min_impressions)
    if best is not None:
        outcome.declared_at = impressions
        outcome.declared_correct = best == int(np.argmax(rates))
