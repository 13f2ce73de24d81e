"""Anomaly metrics on cases small enough to check by hand, and against scikit-learn on larger ones."""

import math

import numpy as np
import pytest
from sklearn import metrics

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.evaluation.anomaly_metrics import RECALL_PRECISION, anomaly_metrics


def test_every_metric_of_four_rows_by_hand():
    # ranked: 0.8 (anomaly), 0.4 (normal), 0.35 (anomaly), 0.1 (normal); flagged: 0.8 and 0.4
    m = anomaly_metrics([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], threshold=0.4)
    assert m == {
        "roc_auc": 0.75,  # 3 of the 4 (anomaly, normal) pairs ranked right
        "pr_auc": pytest.approx(0.5 * 1 + 0.5 * 2 / 3),  # recall steps of 1/2 at precisions 1 and 2/3
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "precision_at_k": 0.5,  # k = 2 anomalies; the top two hold one
        "recall_at_precision": 0.5,  # only the top row alone is 90 % precise
        "alerts": 2, "tp": 1, "fp": 1, "fn": 1, "tn": 1, "n": 4,
    }


def test_ties_at_the_threshold_are_all_flagged():
    y, scores = [1, 0, 1, 0, 0], [0.9, 0.5, 0.5, 0.5, 0.1]
    m = anomaly_metrics(y, scores, threshold=0.5)
    assert (m["alerts"], m["tp"], m["fp"], m["fn"], m["tn"]) == (4, 2, 2, 0, 1)
    assert (m["precision"], m["recall"], m["f1"]) == (0.5, 1.0, pytest.approx(2 / 3))
    just_above = anomaly_metrics(y, scores, threshold=np.nextafter(0.5, 1))
    assert (just_above["alerts"], just_above["precision"], just_above["recall"]) == (1, 1.0, 0.5)


def test_precision_at_k_shares_a_tie_at_the_kth_score():
    # k = 2: the 0.9 row (an anomaly) is in; one place is left among three rows tied at 0.5, one
    # of them an anomaly: on average a third of an anomaly, so (1 + 1/3) / 2
    m = anomaly_metrics([1, 0, 1, 0, 0], [0.9, 0.5, 0.5, 0.5, 0.1], threshold=1.0)
    assert m["precision_at_k"] == pytest.approx(2 / 3)
    # and it does not depend on the order of the rows
    assert anomaly_metrics([0, 0, 1, 0, 1], [0.5, 0.1, 0.5, 0.5, 0.9], 1.0)["precision_at_k"] == pytest.approx(2 / 3)
    # a constant score ranks nothing: its top k hold the anomalies' share
    assert anomaly_metrics([1, 0, 0, 0], [0.3] * 4, 1.0)["precision_at_k"] == 0.25


def test_recall_at_precision_flags_ties_together_and_is_zero_when_never_precise_enough():
    assert RECALL_PRECISION == 0.9
    # eight anomalies, a normal row, an anomaly, then two anomalies tied with a normal row
    y = [1] * 8 + [0, 1] + [1, 1, 0]
    scores = list(np.linspace(1.0, 0.6, 10)) + [0.5, 0.5, 0.5]
    m = anomaly_metrics(y, scores, threshold=0.55)
    # the top 10 rows are exactly 90 % precise (9 of 10) and catch 9 of 11; the tie adds three
    # rows at once, 11 of 13 (85 %): not precise enough, though its first two rows alone would be
    assert m["recall_at_precision"] == 9 / 11
    never = anomaly_metrics([0, 1], [0.9, 0.1], threshold=0.5)
    assert (never["recall_at_precision"], never["precision_at_k"], never["roc_auc"]) == (0.0, 0.0, 0.0)


def test_nothing_flagged_gives_zero_precision_recall_and_f1():
    m = anomaly_metrics([0, 1, 0], [0.2, 0.3, 0.1], threshold=math.inf)
    assert (m["alerts"], m["precision"], m["recall"], m["f1"], m["fn"]) == (0, 0.0, 0.0, 0.0, 1)
    assert m["roc_auc"] == 1.0 and m["pr_auc"] == 1.0


def test_one_class_leaves_the_ranking_metrics_undefined():
    normal = anomaly_metrics([0, 0, 0], [0.1, 0.5, 0.9], threshold=0.5)
    assert all(math.isnan(normal[k]) for k in ("roc_auc", "pr_auc", "precision_at_k", "recall_at_precision"))
    assert (normal["alerts"], normal["fp"], normal["precision"], normal["recall"]) == (2, 2, 0.0, 0.0)
    frauds = anomaly_metrics([1, 1], [0.1, 0.9], threshold=0.5)
    assert math.isnan(frauds["roc_auc"]) and math.isnan(frauds["pr_auc"])
    assert (frauds["precision_at_k"], frauds["recall_at_precision"], frauds["recall"]) == (1.0, 1.0, 0.5)


def test_the_ranking_metrics_match_scikit_learn():
    rng = np.random.default_rng(5)
    y = (rng.random(400) < 0.1).astype(int)
    scores = rng.normal(size=400) + 1.5 * y
    m = anomaly_metrics(y, scores, threshold=1.0)
    assert m["roc_auc"] == pytest.approx(metrics.roc_auc_score(y, scores))
    assert m["pr_auc"] == pytest.approx(metrics.average_precision_score(y, scores))
    flags = scores >= 1.0
    assert m["precision"] == pytest.approx(metrics.precision_score(y, flags))
    assert m["recall"] == pytest.approx(metrics.recall_score(y, flags))
    assert m["f1"] == pytest.approx(metrics.f1_score(y, flags))
    precision, recall, _ = metrics.precision_recall_curve(y, scores)
    assert m["recall_at_precision"] == pytest.approx(recall[precision >= 0.9].max())
    top = np.argsort(-scores)[: y.sum()]
    assert m["precision_at_k"] == pytest.approx(y[top].mean())


@pytest.mark.parametrize(
    "y, scores, threshold, error, message",
    [
        ([0, 2, 1], [0.1, 0.2, 0.3], 0.5, DataError, r"y: row 1 holds 2; labels must be 0 \(normal\) or 1"),
        ([0, 1], [0.1, 0.2, 0.3], 0.5, DataError, r"y: expected 3 labels, one per score"),
        ([0, 1, 1], [0.1, float("nan"), 0.3], 0.5, DataError, r"scores: row 1 holds nan"),
        ([0, 1, 1], [0.1, 0.2, 0.3], float("nan"), ParameterError, r"threshold: expected a number"),
    ],
)
def test_bad_input_is_one_line_naming_it(y, scores, threshold, error, message):
    with pytest.raises(error, match=message):
        anomaly_metrics(y, scores, threshold)
