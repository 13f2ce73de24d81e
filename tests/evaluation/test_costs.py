"""Asymmetric costs: expected cost, cost curves and the cheapest threshold.

A false positive (said up, went down) costs ``alpha``; a false negative costs 1; the expected
cost is ``(alpha * FP + FN) / n``. For calibrated probabilities the cheapest threshold is
``alpha / (1 + alpha)``.
"""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import ParameterError
from pyanalytics.evaluation import classification_metrics
from pyanalytics.evaluation.costs import (
    THRESHOLD_GRID,
    check_alpha,
    cost_curve,
    expected_cost,
    optimal_threshold,
    tune_threshold,
)

Y = np.array([0, 1, 1, 0, 1, 0, 0])
P = np.array([0.9, 0.8, 0.1, 0.2, 0.5, 0.5, 0.3])


@pytest.mark.parametrize(
    ("threshold", "alpha", "fp", "fn"),
    [
        (0.5, 1.0, 2, 1),  # up: 0.9 (y 0), 0.8, 0.5 (y 1), 0.5 (y 0) -> FP 2; down 0.1 (y 1) -> FN 1
        (0.5, 5.0, 2, 1),
        (0.85, 5.0, 1, 3),  # only 0.9 is up (y 0); every rise is missed
        (0.05, 2.0, 4, 0),  # everything up
        (0.95, 2.0, 0, 3),  # everything down
    ],
)
def test_expected_cost_by_hand(threshold, alpha, fp, fn):
    assert expected_cost(Y, P, threshold, alpha) == pytest.approx((alpha * fp + fn) / len(Y))


def test_expected_cost_docstring_case_and_ties_at_the_threshold():
    assert expected_cost([0, 1, 1, 0], [0.9, 0.8, 0.1, 0.2], threshold=0.5, alpha=5) == 1.5
    # p == threshold says up: one false positive costing 3 out of one decision
    assert expected_cost([0], [0.5], threshold=0.5, alpha=3) == 3.0
    assert expected_cost([1], [0.5], threshold=0.5, alpha=3) == 0.0


def test_correct_decisions_cost_nothing():
    assert expected_cost([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.7], threshold=0.5, alpha=10) == 0.0


def test_cost_curve_columns_and_counts():
    curve = cost_curve(Y, P, 5.0)
    assert list(curve.columns) == ["threshold", "expected_cost", "fp", "fn"]
    np.testing.assert_array_equal(curve["threshold"], THRESHOLD_GRID)
    assert THRESHOLD_GRID[0] == 0.0 and THRESHOLD_GRID[-1] == 1.0 and len(THRESHOLD_GRID) == 201
    np.testing.assert_allclose(curve["expected_cost"], (5.0 * curve["fp"] + curve["fn"]) / len(Y))
    for row in curve.itertuples():
        assert row.expected_cost == pytest.approx(expected_cost(Y, P, row.threshold, 5.0))


@pytest.mark.parametrize("alpha", [0.5, 1.0, 5.0])
def test_cost_curve_ends_everything_up_then_everything_down(alpha):
    negatives, positives = int((Y == 0).sum()), int((Y == 1).sum())
    curve = cost_curve(Y, P, alpha, thresholds=[0.0, 1.0000001, 2.0])
    # at threshold 0 every date says up: every fall is a false positive
    assert curve["expected_cost"].iloc[0] == pytest.approx(alpha * negatives / len(Y))
    assert (curve["fp"].iloc[0], curve["fn"].iloc[0]) == (negatives, 0)
    # above 1 every date says down: every rise is a false negative
    for i in (1, 2):
        assert curve["expected_cost"].iloc[i] == pytest.approx(positives / len(Y))
        assert (curve["fp"].iloc[i], curve["fn"].iloc[i]) == (0, positives)


def test_as_the_threshold_rises_false_positives_fall_and_false_negatives_grow():
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 2, 500), rng.uniform(size=500)
    curve = cost_curve(y, p, 3.0)
    assert (np.diff(curve["fp"]) <= 0).all() and (np.diff(curve["fn"]) >= 0).all()


@pytest.mark.parametrize("alpha", [0.25, 1.0, 2.0, 5.0, 99.0])
def test_optimal_threshold_is_alpha_over_one_plus_alpha(alpha):
    assert optimal_threshold(alpha) == pytest.approx(alpha / (1 + alpha))


@pytest.mark.parametrize("bad", [0, -1, -0.5, float("nan"), "2", None, True])
def test_alpha_not_above_zero_is_refused(bad):
    with pytest.raises(ParameterError, match="alpha: expected a number"):
        check_alpha(bad)
    with pytest.raises(ParameterError, match="alpha"):
        optimal_threshold(bad)
    with pytest.raises(ParameterError, match="alpha"):
        cost_curve(Y, P, bad)


def test_check_alpha_names_the_argument_it_checks():
    with pytest.raises(ParameterError, match="cost_fp: expected a number"):
        check_alpha(0, "cost_fp")
    assert check_alpha(5) == 5.0 and isinstance(check_alpha(5), float)


def test_tune_threshold_picks_the_minimum_of_the_curve():
    rng = np.random.default_rng(1)
    y, p = rng.integers(0, 2, 300), rng.uniform(size=300)
    for alpha in (0.5, 1.0, 5.0):
        curve = cost_curve(y, p, alpha)
        tuned = tune_threshold(y, p, alpha)
        assert tuned in set(curve["threshold"])
        assert expected_cost(y, p, tuned, alpha) == pytest.approx(curve["expected_cost"].min())


def test_on_a_flat_curve_tuning_falls_back_on_the_theory():
    # every date falls: any threshold above the highest probability costs 0
    y, p = np.zeros(10, dtype=int), np.full(10, 0.1)
    assert tune_threshold(y, p, 5.0) == pytest.approx(round(optimal_threshold(5.0) / 0.005) * 0.005)


@pytest.mark.parametrize("alpha", [1.0, 2.0, 5.0])
def test_on_calibrated_probabilities_tuning_lands_near_alpha_over_one_plus_alpha(alpha):
    rng = np.random.default_rng(42)
    p = rng.uniform(size=200_000)
    y = (rng.uniform(size=p.size) < p).astype(np.int64)  # y ~ Bernoulli(p): perfectly calibrated
    assert abs(tune_threshold(y, p, alpha) - alpha / (1 + alpha)) <= 0.05


@pytest.mark.parametrize("alpha", [1.0, 5.0])
def test_classification_metrics_expected_cost_is_expected_cost(alpha):
    rng = np.random.default_rng(3)
    y, p = rng.integers(0, 2, 400), rng.uniform(size=400)
    for threshold in (0.3, 0.5, 0.8):
        metrics = classification_metrics(y, p, threshold, alpha)
        assert metrics["expected_cost"] == pytest.approx(expected_cost(y, p, threshold, alpha), abs=1e-15)
        confusion = metrics["confusion"]
        assert metrics["expected_cost"] == pytest.approx((alpha * confusion["fp"] + confusion["fn"]) / len(y))
    # with alpha 1 the expected cost is the error rate
    assert classification_metrics(y, p, 0.5, 1.0)["expected_cost"] == pytest.approx(
        1 - classification_metrics(y, p, 0.5, 1.0)["accuracy"]
    )


def test_cost_curve_accepts_lists_and_series():
    curve = cost_curve(list(Y), pd.Series(P), 2.0, thresholds=[0.5])
    assert curve["expected_cost"].iloc[0] == pytest.approx(expected_cost(Y, P, 0.5, 2.0))
