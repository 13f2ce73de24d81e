"""Thresholds chosen on validation rows keep their word on the real credit-card data.

A recall target met on the validation part is met, up to sampling noise, on the later test part;
the cost rule never costs more on the rows it chose on than flagging nothing or everything.
"""

import numpy as np
import pytest

from pyanalytics.anomaly import train_anomaly
from pyanalytics.evaluation.thresholds import choose_threshold

CREDIT_CARD = {"label": "Class", "time_column": "Time", "amount_column": "Amount"}
SMALL = {"epochs": 10, "seed": 0}
FEE = 5.0


def _part(result, name):
    """Scores, labels and amounts of one part of the split."""
    frame, pre = result.frames[name], result.preprocessing
    return result.estimator.anomaly_score(pre.features(frame)), pre.labels(frame), pre.amounts(frame)


@pytest.fixture(scope="module")
def recall_result(shared_data):
    return train_anomaly(shared_data("tabular/creditcard_fraud_enriched.csv"), **CREDIT_CARD, rule="recall",
                         target=0.8, **SMALL)


@pytest.fixture(scope="module")
def cost_result(shared_data):
    return train_anomaly(shared_data("tabular/creditcard_fraud_enriched.csv"), **CREDIT_CARD, rule="cost",
                         target=FEE, **SMALL)


def _sampling_slack(target: float, frauds_validation: int, frauds_test: int) -> float:
    """Two standard errors of the difference of two recalls measured on independent frauds."""
    return 2 * np.sqrt(target * (1 - target) * (1 / frauds_validation + 1 / frauds_test))


@pytest.mark.parametrize("target", [0.5, 0.8, 0.9])
def test_a_recall_target_met_on_validation_is_met_on_test_up_to_sampling_noise(recall_result, target):
    val_scores, val_y, _ = _part(recall_result, "validation")
    test_scores, test_y, _ = _part(recall_result, "test")
    threshold = choose_threshold("recall", target, scores=val_scores, y=val_y).threshold
    validation_recall = np.mean(val_scores[val_y == 1] >= threshold)
    test_recall = np.mean(test_scores[test_y == 1] >= threshold)
    assert validation_recall >= target
    assert test_recall >= target - _sampling_slack(target, val_y.sum(), test_y.sum())


def test_train_anomaly_reports_the_test_recall_of_its_validation_threshold(recall_result):
    test_scores, test_y, _ = _part(recall_result, "test")
    chosen = recall_result.threshold
    assert chosen.rule == "recall" and chosen.chosen["recall"] >= 0.8
    assert recall_result.metrics["autoencoder"]["recall"] == np.mean(test_scores[test_y == 1] >= chosen.threshold)


def _cost(scores, y, amounts, threshold, fee):
    """Missed frauds' amounts plus the fee of every alert, counted row by row."""
    flagged = scores >= threshold
    return amounts[(y == 1) & ~flagged].sum() + fee * flagged.sum()


@pytest.mark.parametrize("fee", [0.5, FEE, 50.0, 500.0])
def test_the_cost_threshold_never_costs_more_than_flagging_nothing_or_everything(cost_result, fee):
    scores, y, amounts = _part(cost_result, "validation")
    threshold = choose_threshold("cost", fee, scores=scores, y=y, amounts=amounts).threshold
    chosen = _cost(scores, y, amounts, threshold, fee)
    assert chosen <= _cost(scores, y, amounts, np.inf, fee) + 1e-9
    assert chosen <= _cost(scores, y, amounts, -np.inf, fee) + 1e-9


def test_train_anomaly_costs_each_miss_its_amount_and_beats_both_extremes(cost_result):
    scores, y, amounts = _part(cost_result, "validation")
    chosen = cost_result.threshold
    cost = _cost(scores, y, amounts, chosen.threshold, FEE)
    assert chosen.rule == "cost" and chosen.chosen["cost"] == pytest.approx(cost)
    assert cost < min(amounts[y == 1].sum(), FEE * len(y))
