"""Alert thresholds of an anomaly score (issue 12, point 4): by precision, recall, budget, cost
or a quantile of normal scores, on planted scores where the answer can be checked."""

import numpy as np
import pytest

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.evaluation.thresholds import (
    alert_curve,
    for_budget,
    for_cost,
    for_precision,
    for_quantile,
    for_recall,
)


def planted(n_normal: int, n_fraud: int, seed: int):
    """Normal rows score N(0, 1), frauds N(2.5, 1); frauds carry larger amounts."""
    rng = np.random.default_rng(seed)
    scores = np.r_[rng.normal(0, 1, n_normal), rng.normal(2.5, 1, n_fraud)]
    y = np.r_[np.zeros(n_normal, int), np.ones(n_fraud, int)]
    amounts = np.r_[rng.exponential(50, n_normal), rng.exponential(300, n_fraud)]
    return scores, y, amounts


def flagged(scores, threshold):
    return np.asarray(scores) >= threshold


def test_the_curve_counts_what_flagging_at_each_threshold_flags():
    scores, y, _ = planted(300, 30, seed=0)
    curve = alert_curve(scores, y)
    assert curve["threshold"].iloc[0] == np.inf and curve["alerts"].iloc[0] == 0
    assert curve["alerts"].iloc[-1] == len(scores) and curve["recall"].iloc[-1] == 1.0
    for _, row in curve.sample(20, random_state=0).iterrows():
        said = flagged(scores, row["threshold"])
        assert row["alerts"] == said.sum() and row["tp"] == (said & (y == 1)).sum()
        assert row["fn"] == (~said & (y == 1)).sum()


def test_ties_are_flagged_together():
    curve = alert_curve([3.0, 2.0, 2.0, 2.0, 1.0], [1, 0, 1, 0, 0])
    assert curve["alerts"].tolist() == [0, 1, 4, 5]
    assert for_budget([3.0, 2.0, 2.0, 2.0, 1.0], top_k=2).chosen["alerts"] == 1  # a tie flags fewer, never more


def test_a_precision_target_is_met_with_the_most_frauds_caught():
    scores, y, _ = planted(2000, 100, seed=1)
    choice = for_precision(scores, y, 0.8)
    said = flagged(scores, choice.threshold)
    assert (y[said] == 1).mean() >= 0.8
    lower = np.sort(np.unique(scores))
    lower = lower[lower < choice.threshold]
    assert all((y[flagged(scores, t)] == 1).mean() < 0.8 for t in lower[-50:])  # any lower threshold misses it


def test_a_recall_chosen_on_validation_holds_on_test_within_sampling_error():
    val_scores, val_y, _ = planted(5000, 400, seed=2)
    test_scores, test_y, _ = planted(5000, 400, seed=3)
    choice = for_recall(val_scores, val_y, 0.9)
    assert choice.chosen["recall"] >= 0.9
    test_recall = flagged(test_scores, choice.threshold)[test_y == 1].mean()
    assert abs(test_recall - 0.9) < 0.04  # binomial standard error at 400 frauds is 0.015


def test_the_cost_threshold_never_costs_more_than_flagging_nothing_or_everything():
    for seed in range(5):
        scores, y, amounts = planted(1000, 40, seed=seed)
        for fee in (0.5, 20.0, 500.0):
            choice = for_cost(scores, y, review_fee=fee, amounts=amounts)
            cost = lambda said: amounts[(y == 1) & ~said].sum() + fee * said.sum()  # noqa: E731
            chosen = cost(flagged(scores, choice.threshold))
            assert np.isclose(chosen, choice.chosen["cost"])
            assert chosen <= cost(np.zeros(len(y), bool)) + 1e-9 and chosen <= cost(np.ones(len(y), bool)) + 1e-9


def test_a_dear_review_flags_nothing_and_a_free_one_flags_every_fraud():
    scores, y, amounts = planted(500, 20, seed=4)
    assert for_cost(scores, y, review_fee=1e9, amounts=amounts).threshold == np.inf
    assert for_cost(scores, y, review_fee=0.0, amounts=amounts).chosen["recall"] == 1.0


def test_a_budget_flags_the_top_rows():
    scores, _, _ = planted(990, 10, seed=5)
    assert flagged(scores, for_budget(scores, top_k=25).threshold).sum() == 25
    assert flagged(scores, for_budget(scores, fraction=0.01).threshold).sum() == 10
    assert (for_budget(scores, fraction=0.01).rule, for_budget(scores, fraction=0.01).target) == ("fraction", 0.01)
    assert (for_budget(scores, top_k=25).rule, for_budget(scores, top_k=25).target) == ("top_k", 25.0)


def test_a_quantile_of_normal_scores_flags_about_its_share_of_new_normal_rows():
    normal = np.random.default_rng(6).normal(size=20000)
    choice = for_quantile(normal, 0.99)
    fresh = np.random.default_rng(7).normal(size=20000)
    assert abs(flagged(fresh, choice.threshold).mean() - 0.01) < 0.003


@pytest.mark.parametrize("call, error, message", [
    (lambda: for_recall([0.1, 0.2], [0, 2], 0.5), DataError, r"y: row 1 holds 2; labels must be 0 \(normal\) or 1"),
    (lambda: for_recall([0.1, np.nan], [0, 1], 0.5), DataError, "scores: row 1 holds nan"),
    (lambda: for_recall([0.1, 0.2], [0, 0], 0.5), DataError, "y: no row is labelled 1"),
    (lambda: for_recall([0.1, 0.2], [0, 1, 1], 0.5), DataError, "y: expected 2 labels"),
    (lambda: for_recall([0.1, 0.2], [0, 1], 1.5), ParameterError, r"recall: expected a number in \(0.0, 1.0\]"),
    (lambda: for_precision([0.9, 0.1], [0, 1], 0.9), DataError, "precision: no threshold reaches 0.9 on these rows"),
    (lambda: for_cost([0.1, 0.2], [0, 1], review_fee=1, amounts=[5, -1]), DataError, "amounts: row 1 holds -1.0"),
    (lambda: for_budget([0.1, 0.2]), ParameterError, "top_k/fraction: give exactly one"),
    (lambda: for_budget([0.1, 0.2], fraction=0.1), ParameterError, "fraction: 0.1 of these 2 rows rounds to no alert"),
    (lambda: for_quantile([], 0.9), DataError, "normal_scores: expected one score per row"),
])
def test_bad_input_is_one_line_naming_it(call, error, message):
    with pytest.raises(error, match=message) as caught:
        call()
    assert "\n" not in str(caught.value)
