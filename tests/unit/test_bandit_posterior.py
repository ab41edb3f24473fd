"""The posterior and allocation logic of the bandit (app/performance/posterior.py), on made-up counts."""

from __future__ import annotations

import numpy as np
import pytest

from app.performance.posterior import (
    MAX_PRIOR_WEIGHT,
    Arm,
    choose,
    lift_over_even,
    prob_best,
    score_prior,
    shape_weights,
    winner,
)


def rng(seed: int = 7) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_prob_best_favours_the_arm_with_the_higher_observed_rate_and_sums_to_one() -> None:
    arms = [Arm("a", 20, 1000), Arm("b", 50, 1000), Arm("c", 22, 1000)]
    p = prob_best(arms, rng())
    assert p.sum() == pytest.approx(1.0)
    assert p.argmax() == 1 and p[1] > 0.99


def test_without_data_arms_with_equal_priors_share_the_traffic() -> None:
    p = prob_best([Arm("a", 0, 0), Arm("b", 0, 0)], rng(), draws=20_000)
    assert p == pytest.approx([0.5, 0.5], abs=0.02)


def test_late_clicks_beyond_impressions_never_make_failures_negative() -> None:
    arm = Arm("a", successes=5, trials=3, prior_alpha=1, prior_beta=1)
    assert arm.beta == 1 and arm.alpha == 6


def test_credible_interval_contains_the_mean_and_narrows_with_data() -> None:
    small, large = Arm("a", 3, 100), Arm("a", 300, 10_000)
    for arm in (small, large):
        low, high = arm.interval()
        assert low < arm.mean < high
    assert large.interval()[1] - large.interval()[0] < (small.interval()[1] - small.interval()[0]) / 5


def test_weights_respect_the_exploration_floor_and_the_cap_and_sum_to_one() -> None:
    w = shape_weights([0.97, 0.02, 0.01], floor=0.05, cap=0.85)
    assert w.sum() == pytest.approx(1.0)
    assert w.min() >= 0.05 - 1e-9 and w.max() <= 0.85 + 1e-9
    # The cap frees 0.12 of the leader's share; the others keep their 2:1 proportion, the smaller at the floor.
    assert w == pytest.approx([0.85, 0.10, 0.05], abs=1e-6)


def test_weights_inside_the_bounds_are_left_as_they_are() -> None:
    assert shape_weights([0.5, 0.3, 0.2], floor=0.05, cap=0.9) == pytest.approx([0.5, 0.3, 0.2])


def test_an_impossible_floor_or_cap_falls_back_to_an_even_split() -> None:
    assert shape_weights([0.9, 0.1], floor=0.7, cap=0.3) == pytest.approx([0.5, 0.5])


def test_the_same_seed_gives_the_same_choice_and_choices_follow_the_weights() -> None:
    weights = np.array([0.7, 0.2, 0.1])
    first = [choose(weights, rng(42)) for _ in range(3)]
    assert len(set(first)) == 1
    g = rng(1)
    counts = np.bincount([choose(weights, g) for _ in range(5000)], minlength=3) / 5000
    assert counts == pytest.approx(weights, abs=0.03)


def test_a_winner_needs_both_the_probability_and_the_minimum_sample() -> None:
    arms = [Arm("a", 10, 500), Arm("b", 40, 500)]
    p = prob_best(arms, rng())
    assert winner(arms, p, threshold=0.95, min_trials=1000) is None  # too few impressions
    assert winner(arms, p, threshold=0.95, min_trials=500) == 1
    close = [Arm("a", 30, 1000), Arm("b", 32, 1000)]
    assert winner(close, prob_best(close, rng()), threshold=0.95, min_trials=500) is None
    assert winner([arms[0]], np.array([1.0]), threshold=0.95, min_trials=1) is None  # nothing compared


def test_a_higher_pre_score_tilts_the_prior_mean_up_within_bounds() -> None:
    scores = [0.4, 0.6, 1.6]
    low = score_prior(0.4, scores, base_rate=0.02, weight=20)
    high = score_prior(1.6, scores, base_rate=0.02, weight=20)
    mean = lambda ab: ab[0] / (ab[0] + ab[1])  # noqa: E731
    assert mean(low) < 0.02 < mean(high) <= 0.02 * 1.5 + 1e-12
    assert sum(high) == pytest.approx(20)
    assert sum(score_prior(None, scores, base_rate=0.02, weight=10_000)) == pytest.approx(MAX_PRIOR_WEIGHT)


def test_data_outweighs_the_prior_within_a_few_hundred_impressions() -> None:
    favoured = score_prior(2.0, [0.0, 2.0], base_rate=0.05, weight=MAX_PRIOR_WEIGHT)
    disfavoured = score_prior(0.0, [0.0, 2.0], base_rate=0.05, weight=MAX_PRIOR_WEIGHT)
    arms = [Arm("favoured", 10, 500, *favoured), Arm("disfavoured", 40, 500, *disfavoured)]
    assert prob_best(arms, rng())[1] > 0.99


def test_lift_over_even_is_positive_when_traffic_went_to_the_better_arm() -> None:
    arms = [Arm("good", 80, 1800), Arm("bad", 4, 200)]
    lift = lift_over_even(arms)
    assert lift is not None and lift > 0.2
    assert lift_over_even([Arm("a", 0, 0)]) is None
