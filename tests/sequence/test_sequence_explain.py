"""Explanations of sequence models (issue 13, point 5): the existing LIME and SHAP adapters over
windows, each feature's cells summed over the window's steps, one set of rows per horizon for a
forecaster, in the contract's tidy frame; reached through pyanalytics.explain too.

Planted data (tests/sequence/conftest.py): a room whose light carries the occupied state far more
clearly than its CO2, and a seasonal series; small networks, few windows, few samples.
"""

import dataclasses

import numpy as np
import pandas as pd
import pytest

import pyanalytics as pa
from pyanalytics.bundle import load_bundle
from pyanalytics.errors import DataError, NotFittedError, ParameterError
from pyanalytics.explain.result import COLUMNS
from pyanalytics.models import LSTMClassifier
from pyanalytics.sequence.explain import explain_sequences

KERNEL_SAMPLES = 400  # KernelExplainer evaluations per window: its regression adds up at any number


def _windows_ending(result, times):
    test = next(iter(result.test_sets.values()))
    return test.X[test.times.get_indexer(times)]


def _additivity(frame: pd.DataFrame) -> pd.Series:
    """|base + sum(weights) - the explained output| per (window, label), checked against model_prediction."""
    by = frame.groupby(["case", "label"], sort=False)
    total = by["feature_weight"].sum() + by["base_value"].first()
    np.testing.assert_allclose(by["model_prediction"].first(), total, rtol=0, atol=1e-9)
    return (total - by["label_prob"].first()).abs()


@pytest.fixture(scope="module")
def classifier_shap(classifier_result):
    return explain_sequences(classifier_result, method="shap", n=4)


def test_a_classifier_explanation_is_the_tidy_frame_with_one_row_per_window_and_feature(classifier_result,
                                                                                        classifier_shap):
    frame = classifier_shap.to_frame()
    assert list(frame.columns) == list(COLUMNS)
    test = classifier_result.test_sets["test"]
    assert list(pd.unique(frame["case"])) == list(test.times[-4:])  # the last windows, by their end times
    assert len(frame) == 4 * 2 and frame.groupby("case")["feature"].apply(list).map(tuple).unique().tolist() == [
        ("light", "co2")]
    assert set(frame["label"]) == {"1"} and set(frame["method"]) == {"shap"}
    probabilities = classifier_result.estimator.predict_proba(test.X[-4:])[:, 1]
    np.testing.assert_allclose(frame.groupby("case", sort=False)["label_prob"].first(), probabilities, rtol=1e-6)
    np.testing.assert_allclose(frame["feature_value"], test.X[-4:, -1, :].ravel())  # the window's last step
    assert classifier_shap.task == "binary" and classifier_shap.target == "occupied"
    assert classifier_shap.quality["steps_summed"] == 10


def test_summed_windows_name_the_planted_feature(classifier_shap):
    importance = classifier_shap.global_importance()
    assert importance.index[0] == "light" and importance["light"] > 5 * importance["co2"]


def test_gradient_shap_reports_its_additivity_error(classifier_shap):
    error = _additivity(classifier_shap.frame)
    assert classifier_shap.quality["additivity_max_error"] == pytest.approx(float(error.max()), abs=1e-9)
    assert error.max() < 0.1  # expected gradients: a Monte-Carlo estimate, reported rather than exact


def test_kernel_shap_sums_of_steps_add_up_to_the_probability(classifier_result):
    result = explain_sequences(classifier_result, method="shap", explainer="kernel", n=2, n_samples=KERNEL_SAMPLES)
    assert result.explainer == "KernelExplainer"
    assert _additivity(result.frame).max() < 1e-4


def test_a_forecaster_is_explained_per_horizon_and_adds_up_to_each_forecast(forecast_result, seasonal):
    result = pa.explain(forecast_result, method="shap", last=2, n_samples=KERNEL_SAMPLES)  # the domain's explainer
    frame = result.to_frame()
    assert list(frame.columns) == [*COLUMNS, "horizon"]
    assert len(frame) == 2 * 6 and frame.groupby(["case", "horizon", "feature"]).size().eq(1).all()
    assert (frame["label"] == "h" + frame["horizon"].astype(str)).all()  # label names the bundle's column
    times = list(pd.unique(frame["case"]))
    forecasts = forecast_result.estimator.predict(_windows_ending(forecast_result, times))
    np.testing.assert_allclose(frame["label_prob"], forecasts.ravel(), rtol=1e-6)  # window-major, then horizon
    assert _additivity(frame).max() < 1e-4
    assert result.explains("h3") == "the forecast of value at h3"
    assert result.per_feature().groupby(["case", "horizon"]).size().eq(1).all()  # horizons are not summed


def test_lime_explains_chosen_horizons_with_its_local_fits(forecast_result):
    test = forecast_result.test_sets["test"]
    result = explain_sequences(forecast_result, method="lime", times=[str(test.times[-1])], horizon=[1, 6],
                               n_samples=500)
    frame = result.to_frame()
    assert frame["horizon"].tolist() == [1, 6] and frame["model_r2"].notna().all()
    assert frame["feature_desc"].str.endswith("(24 steps summed)").all()
    assert frame["base_value"].isna().all() and frame["model_intercept"].notna().all()


def test_a_bundle_explains_the_series_it_is_given_as_its_result_does(classifier_result, switching, tmp_path):
    bundle = load_bundle(classifier_result.save(tmp_path / "room"))
    from_bundle = explain_sequences(bundle, switching, method="lime", n=2, n_samples=400)
    from_result = explain_sequences(classifier_result, switching, method="lime", n=2, n_samples=400)
    pd.testing.assert_frame_equal(from_bundle.to_frame(), from_result.to_frame())
    assert list(pd.unique(from_bundle.frame["case"])) == list(switching["date"].iloc[-2:])
    with pytest.raises(ParameterError, match="data: explaining the bundle .* needs the series"):
        explain_sequences(bundle)


def test_bad_requests_are_refused_by_name(classifier_result, forecast_result, switching):
    unfitted = dataclasses.replace(classifier_result, estimator=LSTMClassifier())
    with pytest.raises(NotFittedError, match="LSTMClassifier is not fitted"):
        explain_sequences(unfitted, n=1)
    with pytest.raises(DataError, match="'co2'"):
        explain_sequences(classifier_result, switching.drop(columns="co2"), n=1)
    with pytest.raises(DataError, match="times: 1999-01-01 ends no whole window"):
        explain_sequences(classifier_result, switching, times=["1999-01-01"])
    with pytest.raises(ParameterError, match=r"horizon: this forecaster forecasts horizons 1\.\.6; got 7"):
        explain_sequences(forecast_result, horizon=7)
    with pytest.raises(ParameterError, match="explainer: a forecaster is explained by 'kernel'"):
        explain_sequences(forecast_result, explainer="gradient")
    with pytest.raises(ParameterError, match="horizon: only a forecaster"):
        explain_sequences(classifier_result, horizon=1)
    with pytest.raises(ParameterError, match="model: expected a SequenceResult"):
        explain_sequences(object())
