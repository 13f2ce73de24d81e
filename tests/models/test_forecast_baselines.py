"""Forecast baselines compute what they say, and every forecaster keeps the estimator contract."""

import json

import numpy as np
import pytest
from sklearn.base import clone

from pyanalytics.errors import DataError, NotFittedError, ParameterError, PyAnalyticsError
from pyanalytics.models import (
    FORECAST_BASELINES,
    GRUForecaster,
    LinearAR,
    LSTMForecaster,
    NaiveForecast,
    SeasonalNaive,
    task_baselines,
)
from pyanalytics.models.keras_base import KerasTraining
from pyanalytics.tasks import TASKS

TINY_NETWORK = {"units": (4,), "epochs": 2, "batch_size": 64, "seed": 0}
# Non-default values where a class has parameters, so get_params proves they were stored.
PARAMS = {
    NaiveForecast: {"target_index": 1},
    SeasonalNaive: {"period": 4, "target_index": 1},
    LinearAR: {"target_index": 1, "alpha": 0.5},
    LSTMForecaster: TINY_NETWORK,
    GRUForecaster: {**TINY_NETWORK, "quantiles": (0.2, 0.5, 0.8)},
}
FORECASTERS = list(PARAMS)


def _data(n=120, window=6, horizon=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, window, 2)), rng.normal(size=(n, horizon))


def test_task_baselines_of_the_forecasting_task_are_the_forecast_baselines():
    assert task_baselines(TASKS["forecasting"]) == FORECAST_BASELINES
    assert FORECAST_BASELINES == {"naive": NaiveForecast, "seasonal_naive": SeasonalNaive, "linear_ar": LinearAR}


def test_naive_repeats_the_targets_last_value_at_every_horizon():
    X, y = _data()
    forecast = NaiveForecast(target_index=1).fit(X, y).predict(X)
    np.testing.assert_array_equal(forecast, np.repeat(X[:, -1, 1:2], 3, axis=1))


def test_seasonal_naive_takes_the_value_one_season_before_each_horizon():
    X = np.arange(2 * 6 * 1, dtype=float).reshape(2, 6, 1) ** 2
    forecast = SeasonalNaive(period=4).fit(X, np.zeros((2, 9))).predict(X)
    t = 5  # the windows' last position
    expected = [[x[t + h - 4 * int(np.ceil(h / 4)), 0] for h in range(1, 10)] for x in X]
    np.testing.assert_array_equal(forecast, expected)
    # a series with that period is forecast exactly
    season = np.tile([1.0, 5.0, 2.0, 7.0], 10)
    windows = np.lib.stride_tricks.sliding_window_view(season[:-5], 8)[..., None]
    targets = np.lib.stride_tricks.sliding_window_view(season[8:], 5)
    np.testing.assert_array_equal(SeasonalNaive(period=4).fit(windows, targets).predict(windows), targets)


def test_seasonal_naive_refuses_a_period_longer_than_the_window():
    X, y = _data(window=6)
    with pytest.raises(ParameterError, match=r"^period: expected at most the window length 6, got 7; use windows"):
        SeasonalNaive(period=7).fit(X, y)


def test_a_target_index_past_the_features_is_refused():
    X, y = _data()
    with pytest.raises(ParameterError, match=r"^target_index: expected a feature position below 2 .*got 2"):
        NaiveForecast(target_index=2).fit(X, y)


def test_linear_ar_learns_the_ar1_forecast_at_each_horizon():
    """For an AR(1) the best forecast h steps ahead is phi**h times the last value."""
    rng = np.random.default_rng(3)
    series = np.zeros(3000)
    for t in range(1, len(series)):
        series[t] = 0.8 * series[t - 1] + rng.normal()
    X = np.lib.stride_tricks.sliding_window_view(series[:-3], 5)[..., None]
    y = np.lib.stride_tricks.sliding_window_view(series[5:], 3)
    model = LinearAR(alpha=0.0).fit(X[:2000], y[:2000])
    optimal = X[2000:, -1, :] * 0.8 ** np.arange(1, 4)
    mse = ((model.predict(X[2000:]) - y[2000:]) ** 2).mean(axis=0)
    best = ((optimal - y[2000:]) ** 2).mean(axis=0)
    naive = ((X[2000:, -1, :] - y[2000:]) ** 2).mean(axis=0)
    assert (mse < 1.02 * best).all() and (best < 0.95 * naive).all(), (mse, best, naive)
    np.testing.assert_allclose(model.predict(X[2000:]), optimal, atol=0.5)
    assert model.coef_.shape == (3, 5)


def test_forecasters_refuse_targets_that_are_not_one_row_per_window():
    X, _ = _data()
    with pytest.raises(DataError, match=r"LinearAR\.fit: y must be 2-D \(samples x horizons\), got shape \(120,\)"):
        LinearAR().fit(X, np.zeros(120))
    with pytest.raises(DataError, match=r"NaiveForecast\.fit: X must be 3-D"):
        NaiveForecast().fit(X[:, :, 0], np.zeros((120, 3)))


# --- the contract of every forecaster --------------------------------------------------------


@pytest.fixture(scope="module")
def fitted():
    """One fit per class: (model, what fit returned, params before fit)."""
    X, y = _data()
    out = {}
    for cls in FORECASTERS:
        model = cls(**PARAMS[cls])
        before = model.get_params()
        out[cls] = (model, model.fit(X, y), before)
    return out


@pytest.mark.parametrize("cls", FORECASTERS, ids=lambda cls: cls.__name__)
def test_init_only_stores_its_arguments_and_methods_before_fit_raise(cls):
    model = cls(**PARAMS[cls])
    assert {k: v for k, v in model.get_params().items() if k in PARAMS[cls]} == PARAMS[cls]
    assert vars(model) == model.get_params()
    X, _ = _data()
    for method in (model.predict, getattr(model, "predict_interval", model.predict)):
        with pytest.raises(NotFittedError, match=f"{cls.__name__} is not fitted yet"):
            method(X)
    with pytest.raises(NotFittedError, match=cls.__name__) as info:
        model.to_state()
    assert isinstance(info.value, PyAnalyticsError)


@pytest.mark.parametrize("cls", FORECASTERS, ids=lambda cls: cls.__name__)
def test_fit_returns_self_learns_underscored_attributes_and_clone_unfits(cls, fitted):
    model, returned, before = fitted[cls]
    assert returned is model and model.get_params() == before
    learned = [name for name in vars(model) if name not in before and not name.startswith("_")]
    assert {"horizon_", "n_features_in_", "n_timesteps_in_", "feature_names_in_"} <= set(learned)
    assert all(name.endswith("_") for name in learned), learned
    copy = clone(model)
    assert vars(copy) == copy.get_params() == before
    with pytest.raises(NotFittedError):
        copy.predict(_data()[0])
    assert model.__sklearn_tags__().target_tags.multi_output


@pytest.mark.parametrize("cls", FORECASTERS, ids=lambda cls: cls.__name__)
def test_state_survives_json_and_rebuilds_identical_forecasts(cls, fitted):
    model = fitted[cls][0]
    X, y = _data(seed=1)
    state = json.loads(json.dumps(model.to_state(), allow_nan=False))
    parts = {"network": model.network_} if isinstance(model, KerasTraining) else {}
    restored = cls.from_state(state, **parts)
    forecast = model.predict(X)
    assert forecast.shape == (len(X), 3) and forecast.dtype == np.float64
    np.testing.assert_array_equal(restored.predict(X), forecast)
    assert restored.to_state() == model.to_state()
    assert restored.score(X, y) == pytest.approx(model.score(X, y))
