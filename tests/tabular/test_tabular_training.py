"""train_tabular on planted signals and on the course's data sets (real data skip when absent)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_wine

from pyanalytics.errors import DataError
from pyanalytics.tabular import train_tabular


@pytest.mark.parametrize(("target", "task", "baselines"), [
    ("label", "binary", {"majority_class", "logistic_regression"}),
    ("kind", "multiclass", {"majority_class", "logistic_regression"}),
    ("amount", "regression", {"mean", "ridge"}),
])
def test_each_task_is_inferred_and_scored_beside_its_baselines(fitted, target, task, baselines):
    result = fitted(target)
    assert result.task == task
    assert set(result.metrics) == {"dnn", *baselines}
    assert sum(result.parts.values()) == 240 and result.parts["test"] == 36
    assert result.metrics["dnn"]["n"] == 36
    assert "column 'id' dropped" in " ".join(result.notes)
    assert result.verdict.metric == {"binary": "roc_auc", "multiclass": "accuracy", "regression": "rmse"}[task]
    assert "loss" in result.history and "val_loss" in result.history


def test_the_preprocessing_is_fitted_on_the_training_part_only(fitted, mixed):
    from pyanalytics.splits import tabular_split

    train = tabular_split(mixed, mixed["label"], "binary", seed=0).train
    x_spec = next(s for s in fitted("label").preprocessing.preprocessor.columns_ if s["name"] == "x")
    assert x_spec["mean"] == pytest.approx(mixed["x"].iloc[train].mean())
    assert x_spec["mean"] != pytest.approx(mixed["x"].mean())


def test_the_planted_signal_is_learned(fitted):
    assert fitted("label").metrics["dnn"]["roc_auc"] > 0.9
    assert fitted("amount").metrics["dnn"]["r2"] > 0.8


def test_a_date_column_splits_chronologically_and_is_not_a_feature(mixed):
    frame = mixed.drop(columns=["kind", "amount"]).assign(day=pd.date_range("2020-01-01", periods=240).astype(str))
    result = train_tabular(frame.iloc[::-1], "label", date_column="day", hidden_units=(4,), epochs=2, gap=2)
    assert result.gap == 2 and result.date_column == "day"
    assert sum(result.parts.values()) == 240 - 4
    assert "day" not in result.preprocessing.required_columns


@pytest.mark.parametrize(("frame", "target", "options", "match"), [
    (pd.DataFrame({"x": range(50), "y": [0, 1] * 25}), "z", {}, "target 'z': no such column"),
    (pd.DataFrame({"x": range(50), "y": [1] * 50}), "y", {}, "target 'y': expected at least two distinct"),
    (pd.DataFrame({"x": range(50), "y": ["a", "b"] * 25}), "y", {"task": "regression"}, "regression target must be numeric"),
    (pd.DataFrame({"x": range(50), "e": [np.nan] * 50, "y": [0, 1] * 25}), "y", {}, "'e'"),
])
def test_bad_input_is_one_line_naming_it(frame, target, options, match):
    with pytest.raises(DataError, match=match) as error:
        train_tabular(frame, target, epochs=1, **options)
    assert "\n" not in str(error.value)


def test_titanic_reaches_the_course_figures_beside_the_baselines(shared_data):
    # The course holds out 20 % for testing (and 20 % of the rest for validation). On the default
    # 15 %/15 % parts the same network gets accuracy 0.80 and ROC AUC 0.82, logistic regression 0.83:
    # that smaller test part is harder for every model, not only for this one.
    result = train_tabular(shared_data("tabular/titanic_train.csv"), "Survived", seed=0, validation=0.2, test=0.2)
    dnn = result.metrics["dnn"]
    assert result.task == "binary" and set(result.metrics) == {"dnn", "majority_class", "logistic_regression"}
    assert dnn["accuracy"] >= 0.80
    assert dnn["roc_auc"] >= 0.85
    assert dnn["accuracy"] > result.metrics["majority_class"]["accuracy"]


def test_wages_give_mae_rmse_r2_beside_mean_and_ridge(shared_data):
    result = train_tabular(shared_data("tabular/hourly_wages.csv"), "wage_per_hour", seed=0,
                           hidden_units=(10, 5))
    assert result.task == "regression"
    table = result.metrics_table()
    assert list(table.index) == ["dnn", "mean", "ridge"] and {"mae", "rmse", "r2"} <= set(table.columns)
    assert table.loc["mean", "r2"] == pytest.approx(0.0, abs=0.05)
    assert table.loc["dnn", "r2"] > 0.15 and table.loc["dnn", "mae"] < table.loc["mean", "mae"]


def test_wine_softmax_reaches_95_percent_beside_the_baselines():
    wine = load_wine(as_frame=True).frame
    wine["target"] = wine["target"].map(dict(enumerate(load_wine().target_names)))
    result = train_tabular(wine, "target", seed=0, hidden_units=(16,))
    assert result.task == "multiclass"
    assert result.metrics["dnn"]["accuracy"] >= 0.95
    assert result.metrics["majority_class"]["accuracy"] < 0.5
    assert result.estimator.network_.layers[-1].get_config()["activation"] == "softmax"
