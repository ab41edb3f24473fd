"""Beta-Bernoulli posteriors of variants and Thompson-sampling allocation (numpy and scipy; no state).

Each arm (an approved variant in a slot) has a goal rate (clicks or conversions per impression) with a
Beta(alpha, beta) posterior: ``alpha = prior_alpha + successes``, ``beta = prior_beta + max(trials -
successes, 0)`` (late events can briefly report more clicks than impressions; the failures never go negative).

Thompson sampling shows arm i with the probability that i has the highest rate given the data (Thompson
1933; Russo et al., "A Tutorial on Thompson Sampling", 2018, section 3). :func:`prob_best` estimates those
probabilities by Monte Carlo over ``numpy.random.Generator.beta`` draws; :func:`shape_weights` bounds them
to ``[floor, cap]`` (the minimum exploration share and the per-arm cap, both settings); :func:`choose`
draws one arm from the bounded weights. Every function takes the generator, so a seed reproduces a choice.

Priors come from the variants' pre-scores (:func:`score_prior`): a prior is worth ``weight`` impressions
(at most :data:`MAX_PRIOR_WEIGHT`), so a few hundred impressions outweigh it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

MAX_PRIOR_WEIGHT = 100.0
# How far a pre-score may move the prior mean from the base rate: a factor in [1 - TILT, 1 + TILT].
TILT = 0.5
DEFAULT_DRAWS = 4000


@dataclass(frozen=True)
class Arm:
    """One arm's data: ``successes`` of ``trials`` (clicks or conversions of impressions) and its prior."""

    variant_id: str
    successes: int
    trials: int
    prior_alpha: float = 1.0
    prior_beta: float = 1.0

    @property
    def alpha(self) -> float:
        return self.prior_alpha + max(self.successes, 0)

    @property
    def beta(self) -> float:
        return self.prior_beta + max(self.trials - self.successes, 0)

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """The equal-tailed credible interval of the rate (scipy's Beta quantiles)."""
        tail = (1.0 - level) / 2.0
        low, high = stats.beta.ppf([tail, 1.0 - tail], self.alpha, self.beta)
        return float(low), float(high)


def score_prior(score: float | None, scores: Sequence[float | None], *, base_rate: float,
                weight: float) -> tuple[float, float]:
    """``(alpha, beta)`` of a variant's prior: mean ``base_rate`` tilted by how its pre-score compares with the
    median of the slot's (a score 0.5 above the median gives the largest tilt, ``1 + TILT``), strength
    ``weight`` pseudo-impressions (clipped to ``(0, MAX_PRIOR_WEIGHT]``). No score: the base rate."""
    if not 0.0 < base_rate < 1.0:
        raise ValueError(f"base_rate must lie in (0, 1), got {base_rate}")
    strength = min(max(weight, 1e-6), MAX_PRIOR_WEIGHT)
    known = [s for s in scores if s is not None]
    tilt = 1.0
    if score is not None and known:
        tilt = 1.0 + max(-TILT, min(TILT, (score - float(np.median(known))) * 2 * TILT))
    mean = min(max(base_rate * tilt, 1e-6), 1 - 1e-6)
    return mean * strength, (1.0 - mean) * strength


def prob_best(arms: Sequence[Arm], rng: np.random.Generator, draws: int = DEFAULT_DRAWS) -> np.ndarray:
    """P(arm i has the highest rate), estimated from ``draws`` joint posterior draws; shape ``(len(arms),)``."""
    if not arms:
        return np.zeros(0)
    alpha = np.array([a.alpha for a in arms])[:, None]
    beta = np.array([a.beta for a in arms])[:, None]
    samples = rng.beta(alpha, beta, size=(len(arms), draws))
    return np.bincount(samples.argmax(axis=0), minlength=len(arms)) / draws


def shape_weights(p: Sequence[float] | np.ndarray, *, floor: float, cap: float) -> np.ndarray:
    """``p`` as shares that sum to 1 with every share in ``[floor, cap]`` (floor at most 1/K, cap at least 1/K):
    ``clip(t * p, floor, cap)`` with the scale ``t`` found by bisection (the sum grows with ``t``), so arms
    inside the bounds keep their proportions."""
    w = np.asarray(p, dtype=float)
    k = len(w)
    if k == 0:
        return w.copy()
    floor, cap = min(floor, 1.0 / k), max(cap, 1.0 / k)
    w = w / w.sum() if w.sum() > 0 else np.full(k, 1.0 / k)
    low, high = 0.0, 1.0
    while np.clip(high * w, floor, cap).sum() < 1.0 and high < 1e12:
        high *= 2.0
    for _ in range(100):
        mid = (low + high) / 2.0
        if np.clip(mid * w, floor, cap).sum() < 1.0:
            low = mid
        else:
            high = mid
    shaped = np.clip(high * w, floor, cap)
    return shaped / shaped.sum()


def choose(weights: np.ndarray, rng: np.random.Generator) -> int:
    """The index of one arm drawn with probability ``weights``."""
    return int(rng.choice(len(weights), p=weights / weights.sum()))


def winner(arms: Sequence[Arm], p_best: np.ndarray, *, threshold: float, min_trials: int) -> int | None:
    """The stopping rule: the arm whose P(best) reaches ``threshold`` once every arm has ``min_trials``
    impressions; None otherwise (or with fewer than two arms: nothing was compared)."""
    if len(arms) < 2 or min(a.trials for a in arms) < min_trials:
        return None
    best = int(np.argmax(p_best))
    return best if p_best[best] >= threshold else None


def lift_over_even(arms: Sequence[Arm]) -> float | None:
    """How much better the traffic did than an even split would have, as a fraction: observed successes
    over what the same impressions would have earned at the arms' mean posterior rate, minus 1."""
    trials = sum(a.trials for a in arms)
    if trials == 0:
        return None
    even_rate = sum(a.mean for a in arms) / len(arms)
    observed = sum(min(a.successes, a.trials) for a in arms) / trials
    return observed / even_rate - 1.0 if even_rate > 0 else None


def seed_of(*parts: object) -> int:
    """A stable 63-bit seed from ``parts`` (weights of the same data are the same numbers every time)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1

