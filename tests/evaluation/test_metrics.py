"""Classification metrics, checked against counts worked out by hand."""

import math

import numpy as np
import pytest

from pyanalytics.evaluation import METRIC_NAMES, classification_metrics, compare_models, metrics_table

#            0    1    2    3    4    5    6    7
Y = [1, 0, 1, 1, 0, 0, 1, 0]
P = [0.9, 0.6, 0.4, 0.7, 0.2, 0.5, 0.8, 0.1]
# at 0.5 (0.5 itself counts as up) the predictions are 1 1 0 1 0 1 1 0:
# tp = rows 0, 3, 6; fp = rows 1, 5; fn = row 2; tn = rows 4, 7


def test_hand_checked_example():
    m = classification_metrics(Y, P)
    assert m["confusion"] == {"tn": 2, "fp": 2, "fn": 1, "tp": 3}
    assert m["accuracy"] == pytest.approx(5 / 8)
    assert m["precision"] == pytest.approx(3 / 5)
    assert m["recall"] == pytest.approx(3 / 4)
    assert m["f1"] == pytest.approx(2 * (3 / 5) * (3 / 4) / (3 / 5 + 3 / 4))  # = 2/3
    squared = [0.1**2, 0.6**2, 0.6**2, 0.3**2, 0.2**2, 0.5**2, 0.2**2, 0.1**2]
    assert m["brier"] == pytest.approx(sum(squared) / 8)  # = 0.145
    # positive/negative pairs ranked correctly: 0.9 -> 4, 0.4 -> 2, 0.7 -> 4, 0.8 -> 4 of 16
    assert m["roc_auc"] == pytest.approx(14 / 16)
    assert m["n"] == 8 and m["up_rate"] == 0.5


def test_the_threshold_moves_the_decisions_but_not_auc_or_brier():
    m = classification_metrics(Y, P, threshold=0.75)  # predictions 1 0 0 0 0 0 1 0
    assert m["confusion"] == {"tn": 4, "fp": 0, "fn": 2, "tp": 2}
    assert m["accuracy"] == pytest.approx(6 / 8)
    assert m["precision"] == 1.0 and m["recall"] == pytest.approx(2 / 4)
    base = classification_metrics(Y, P)
    assert m["roc_auc"] == base["roc_auc"] and m["brier"] == base["brier"]


def test_a_single_class_has_no_auc_and_empty_ratios_are_zero():
    m = classification_metrics([0, 0, 0], [0.1, 0.2, 0.3])
    assert math.isnan(m["roc_auc"])
    assert m["accuracy"] == 1.0 and m["precision"] == 0.0 and m["recall"] == 0.0 and m["f1"] == 0.0
    assert m["confusion"] == {"tn": 3, "fp": 0, "fn": 0, "tp": 0} and m["up_rate"] == 0.0
    ups = classification_metrics([1, 1], [0.2, 0.9])
    assert math.isnan(ups["roc_auc"]) and ups["recall"] == 0.5 and ups["precision"] == 1.0


def test_metric_values_are_plain_python_numbers():
    m = classification_metrics(np.array(Y), np.array(P))
    assert all(type(m[k]) is float for k in METRIC_NAMES)
    assert all(type(v) is int for v in m["confusion"].values()) and type(m["n"]) is int


class Fixed:
    """A fitted model stand-in with fixed probabilities and its own threshold."""

    def __init__(self, p_up, threshold):
        self.p_up, self.threshold_ = np.asarray(p_up), threshold

    def predict_proba(self, X):
        return np.column_stack([1 - self.p_up, self.p_up])


def test_compare_models_uses_each_models_threshold_and_the_table_has_a_row_each():
    results = compare_models({"low": Fixed(P, 0.5), "high": Fixed(P, 0.75)}, None, Y)
    assert results["low"] == classification_metrics(Y, P, 0.5)
    assert results["high"] == classification_metrics(Y, P, 0.75)
    table = metrics_table(results)
    assert list(table.index) == ["low", "high"] and table.index.name == "model"
    assert list(table.columns) == [*METRIC_NAMES, "tn", "fp", "fn", "tp"]
    assert table.loc["high", "tp"] == 2 and table.loc["low", "accuracy"] == pytest.approx(5 / 8)


def test_best_baseline_ignores_the_model_and_undefined_aucs():
    from pyanalytics.evaluation import best_baseline

    nan = float("nan")
    results = {"dnn": {"roc_auc": 0.9}, "a": {"roc_auc": 0.51}, "b": {"roc_auc": nan}, "c": {"roc_auc": 0.55}}
    assert best_baseline(results, "dnn") == ("c", 0.55)
    name, auc = best_baseline({"dnn": {"roc_auc": 0.6}, "b": {"roc_auc": nan}}, "dnn")
    assert name is None and auc != auc


# -- judging over walk-forward folds ----------------------------------------------------------


def test_a_single_direction_fold_has_no_auc_and_is_left_out_of_the_spread():
    from pyanalytics.evaluation.metrics import fold_spread

    single = classification_metrics([1, 1, 1], [0.2, 0.6, 0.9])
    assert math.isnan(single["roc_auc"])
    spread = fold_spread([0.6, single["roc_auc"], 0.5, 0.7])
    assert spread == {"mean": pytest.approx(0.6), "std": pytest.approx(0.1), "min": 0.5, "max": 0.7, "n_folds": 3}
    empty = fold_spread([math.nan])
    assert empty["n_folds"] == 0 and all(math.isnan(empty[k]) for k in ("mean", "std", "min", "max"))


def test_the_pooled_auc_of_a_constant_per_fold_is_not_one_half_but_each_folds_is():
    """The walk-forward trap: a constant that follows the folds' up-rates ranks whole folds."""
    from pyanalytics.evaluation.metrics import fold_spread

    labels = [[0, 0, 0, 1], [0, 1, 1, 1]]  # up-rate 0.25, then 0.75
    constant = [[0.4] * 4, [0.6] * 4]       # the training up-rate of each fold
    pooled = classification_metrics(sum(labels, []), sum(constant, []))["roc_auc"]
    per_fold = [classification_metrics(y, p)["roc_auc"] for y, p in zip(labels, constant)]
    assert pooled == pytest.approx(0.75) and per_fold == [0.5, 0.5]
    assert fold_spread(per_fold)["mean"] == 0.5
