"""train_direction_model: scaler on the training part, honest test metrics, planted signals found."""

import json

import numpy as np
import pytest

from pyanalytics import jsonio
from pyanalytics.errors import ParameterError
from pyanalytics.evaluation import classification_metrics
from pyanalytics.evaluation.costs import tune_threshold
from pyanalytics.finance.training import prices_sha256, train_direction_model
from pyanalytics.models import BASELINES
from pyanalytics.training import TrainingResult


def _parts(result):
    X, y = result.dataset.X, result.dataset.y
    return {name: (X.iloc[rows], y.iloc[rows].astype(int)) for name, rows in result.rows.items()}


def test_the_dnn_finds_a_strong_planted_signal(strong_result):
    assert strong_result.metrics["dnn"]["roc_auc"] >= 0.85


def test_the_dnn_finds_nothing_in_a_random_walk(walk_result):
    assert 0.44 <= walk_result.metrics["dnn"]["roc_auc"] <= 0.56


@pytest.mark.parametrize("fixture", ["strong_result", "walk_result"])
def test_metrics_hold_the_model_and_every_baseline(fixture, request):
    result = request.getfixturevalue(fixture)
    assert isinstance(result, TrainingResult)
    assert set(result.metrics) == {"dnn", *BASELINES}
    for constant in ("always_up", "majority_class"):
        assert result.metrics[constant]["roc_auc"] == 0.5


def test_the_scaler_is_fitted_on_the_training_part_only(strong_result):
    train_X = _parts(strong_result)["train"][0].to_numpy()
    every_X = strong_result.dataset.X.to_numpy()
    scaler = strong_result.estimator.scaler_
    np.testing.assert_allclose(scaler.mean_, train_X.mean(axis=0), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(scaler.scale_, train_X.std(axis=0), rtol=1e-10)
    assert not np.allclose(scaler.mean_, every_X.mean(axis=0), rtol=1e-6, atol=0)


def test_metrics_are_computed_on_the_test_part_alone(strong_result):
    parts = _parts(strong_result)
    X_test, y_test = parts["test"]
    model = strong_result.estimator
    assert strong_result.metrics["dnn"] == classification_metrics(
        y_test, model.predict_proba(X_test)[:, 1], model.threshold_
    )
    assert strong_result.metrics["dnn"]["n"] == len(strong_result.rows["test"])
    # the baselines learned from the training part only
    majority = strong_result.baselines["majority_class"]
    assert majority.up_rate_ == parts["train"][1].mean()


def test_the_split_purges_the_horizon_and_early_stopping_watches_validation(strong_result):
    rows = strong_result.rows
    assert strong_result.gap == strong_result.dataset.horizon == 1
    assert rows["validation"][0] - rows["train"][-1] == rows["test"][0] - rows["validation"][-1] == 2
    assert strong_result.estimator.validation_gap == 1 and strong_result.estimator.seed == 0
    assert rows["test"][-1] == np.flatnonzero(strong_result.dataset.labelled)[-1]
    assert "val_loss" in strong_result.estimator.history_


def test_periods_and_summary(strong_result):
    periods = strong_result.periods
    dates = strong_result.dataset.X.index
    assert periods["test"]["start"] == dates[strong_result.rows["test"][0]].date().isoformat()
    assert periods["train"]["end"] < periods["validation"]["start"] < periods["test"]["start"]
    labelled = strong_result.dataset.n_labelled
    assert sum(p["rows"] for p in periods.values()) + 2 * strong_result.gap == labelled
    summary = strong_result.summary(bundle="somewhere")
    assert summary["metrics"]["test"] == strong_result.metrics["dnn"]
    assert set(summary["baselines"]) == set(BASELINES)
    assert summary["best_epoch"] == strong_result.estimator.best_epoch_
    assert summary["features"] == list(strong_result.dataset.X.columns)
    # strict JSON that reads back as the summary itself (a NaN would come back null, a tuple as a list)
    assert json.loads(jsonio.dumps(summary)) == summary


def test_a_tuned_threshold_is_the_cheapest_on_the_validation_rows_not_the_training_rows(strong_market):
    alpha = 3.0
    result = train_direction_model(strong_market.iloc[:1200], seed=0, cost_fp=alpha, tune_threshold=True,
                                   model_params={"hidden_units": (8,), "epochs": 3, "batch_size": 64})
    parts = _parts(result)
    cheapest = {name: tune_threshold(y, result.estimator.predict_proba(X)[:, 1], alpha)
                for name, (X, y) in parts.items() if name != "test"}
    assert cheapest["validation"] != cheapest["train"]  # else this test could not tell them apart
    assert result.estimator.threshold_ == cheapest["validation"]
    assert result.summary()["threshold"] == cheapest["validation"]


def test_prices_fingerprint_follows_values_not_identity(strong_market):
    digest = prices_sha256(strong_market)
    assert digest == prices_sha256(strong_market.copy())
    changed = strong_market.copy()
    changed.iloc[100, changed.columns.get_loc("close")] += 0.01
    assert prices_sha256(changed) != digest


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"model": "rnn"}, "model"),
        ({"horizon": 0}, "horizon"),
        ({"horizon": 3, "gap": 2}, "gap"),
        ({"test": 1.2}, "test"),
        ({"model_params": {"epochs": 0}}, "epochs"),
    ],
)
def test_bad_arguments_are_parameter_errors(strong_market, kwargs, name):
    with pytest.raises(ParameterError, match=f"^{name}"):
        train_direction_model(strong_market.iloc[:400], **kwargs)


def test_model_setup_checks_its_options_once_and_fills_the_defaults():
    from pyanalytics.defaults import DEFAULT_WINDOW
    from pyanalytics.finance.model_setup import ModelSetup

    lstm = ModelSetup("lstm", horizon=3.0)  # R sends whole numbers as doubles
    assert (lstm.horizon, lstm.gap, lstm.window, lstm.alpha, lstm.model_params) == (3, 3, DEFAULT_WINDOW, 1.0, {})
    assert ModelSetup("dnn", cost_fp=4, model_params={"epochs": 2}).alpha == 4.0
    for kwargs, name in (({"model": "rnn"}, "model"), ({"gap": 0}, "gap"), ({"window": 5}, "window"),
                         ({"cost_fp": 0}, "cost_fp")):
        with pytest.raises(ParameterError, match=f"^{name}"):
            ModelSetup(**kwargs)
