"""Recurrent forecasters: they find a planted season and AR(1), nothing in a random walk, and their
quantile intervals cover what they say.

The series (``pyanalytics.data.synthetic_series``) have 2,000 steps: windows of 12, horizons 1..3,
the first 70 % of windows to train on. Over series seeds 0-3 the quantile LSTM's 80 % interval covered
0.75-0.80 of the test values, and intervals from the linear AR's training residual quantiles
(an oracle-like reference) 0.76-0.84 over seeds 0-5: the test part's own noise moves coverage by
a few points, hence the tolerance of 0.07.
"""

import json

import keras
import numpy as np
import pytest

from pyanalytics.data.sequences import horizon_targets, windows_ending_at
from pyanalytics.data.synthetic_series import random_walk, seasonal_ar
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.evaluation.forecast_metrics import forecast_metrics, naive_scale
from pyanalytics.models import GRUForecaster, LinearAR, LSTMForecaster, NaiveForecast, SeasonalNaive

N_STEPS = 2000
PERIOD = 12
WINDOW = 12
HORIZON = 3
SMALL = {"units": (8,), "epochs": 15, "learning_rate": 0.02, "batch_size": 64, "patience": 3, "seed": 0}
QUANTILES = (0.1, 0.5, 0.9)


def train_test(series: np.ndarray, train_share: float = 0.7):
    """``(X_train, y_train, X_test, y_test, scale)``: windows ending at each step with a full
    horizon after it, split in time so no test target is a training target, and MASE's scale
    from the training values only."""
    ends = np.arange(WINDOW - 1, len(series) - HORIZON)
    X, y = windows_ending_at(series[:, None], ends, WINDOW), horizon_targets(series, ends, HORIZON)
    cut = int(train_share * len(X))
    last_train_value = ends[cut - 1] + HORIZON
    test = slice(cut + HORIZON, None)
    return X[:cut], y[:cut], X[test], y[test], naive_scale(series[: last_train_value + 1])


@pytest.fixture(scope="module")
def seasonal():
    return train_test(seasonal_ar(N_STEPS, period=PERIOD, seed=0))


@pytest.fixture(scope="module")
def lstm(seasonal):
    X, y = seasonal[:2]
    return LSTMForecaster(**SMALL).fit(X, y)


@pytest.fixture(scope="module")
def quantile_lstm(seasonal):
    X, y = seasonal[:2]
    return LSTMForecaster(**SMALL, quantiles=QUANTILES).fit(X, y)


def _mase(model, data, **interval) -> dict:
    X_train, y_train, X_test, y_test, scale = data
    return forecast_metrics(y_test, model.predict(X_test), scale=scale, **interval)


def test_the_lstm_and_the_linear_ar_find_the_planted_season_and_ar(lstm, seasonal):
    X_train, y_train = seasonal[:2]
    network = _mase(lstm, seasonal)
    linear = _mase(LinearAR().fit(X_train, y_train), seasonal)
    naive = _mase(NaiveForecast().fit(X_train, y_train), seasonal)
    seasonal_naive = _mase(SeasonalNaive(period=PERIOD).fit(X_train, y_train), seasonal)
    assert network["mase"] < 0.8 and linear["mase"] < 0.8
    assert network["mase"] < 0.8 * min(naive["mase"], seasonal_naive["mase"])
    assert all(m < 1 for m in network["horizons"]["mase"])
    assert lstm.predict(seasonal[2]).shape == (len(seasonal[2]), HORIZON)


def test_on_a_random_walk_no_model_beats_the_naive_forecast():
    """The naive forecast is optimal for a random walk: over 200 walks the linear AR's MASE was at
    least 0.989 of the naive one's (1 % quantile 0.995), so 0.97 leaves room only for noise."""
    data = train_test(random_walk(N_STEPS, seed=0))
    X_train, y_train = data[:2]
    naive = _mase(NaiveForecast().fit(X_train, y_train), data)["mase"]
    gru = GRUForecaster(**{**SMALL, "epochs": 5}, relative_to=0).fit(X_train, y_train)
    assert gru.network_.name == "forecast_gru"
    for model in (LinearAR().fit(X_train, y_train), gru):
        assert _mase(model, data)["mase"] > 0.97 * naive, type(model).__name__


def test_relative_windows_keep_a_network_near_naive_on_levels_it_never_saw():
    """A network of levels scales its inputs with the training part, whose levels a drifting walk
    leaves for good, and does not extrapolate: far worse than naive. Read relative to the window's
    last value (``relative_to``), it sees only steps, which look alike at every level."""
    data = train_test(random_walk(N_STEPS, seed=0) + 0.2 * np.arange(N_STEPS))
    X_train, y_train = data[:2]
    naive = _mase(NaiveForecast().fit(X_train, y_train), data)["mase"]
    levels = _mase(LSTMForecaster(**SMALL).fit(X_train, y_train), data)["mase"]
    relative = _mase(LSTMForecaster(**SMALL, relative_to=0).fit(X_train, y_train), data)["mase"]
    assert relative < 1.1 * naive and levels > 1.5 * naive


def test_relative_to_must_name_a_feature_of_the_windows(seasonal):
    with pytest.raises(ParameterError, match="relative_to: feature 3 of windows with 1 features"):
        LSTMForecaster(**SMALL, relative_to=3).fit(*seasonal[:2])


def test_the_quantile_interval_covers_near_its_nominal_level(quantile_lstm, seasonal):
    X_test = seasonal[2]
    lower, upper = quantile_lstm.predict_interval(X_test)
    median = quantile_lstm.predict(X_test)
    assert quantile_lstm.nominal_coverage_ == pytest.approx(0.8)
    assert (lower <= median).all() and (median <= upper).all()
    metrics = _mase(quantile_lstm, seasonal, lower=lower, upper=upper, nominal=quantile_lstm.nominal_coverage_)
    assert abs(metrics["coverage"] - 0.8) < 0.07, metrics["coverage"]
    assert metrics["mase"] < 0.8
    assert quantile_lstm.network_.output.shape == (None, HORIZON * len(QUANTILES))


def test_the_targets_are_scaled_with_the_training_part_only(lstm, seasonal):
    """The validation windows (the last 15 %) and the gap of one horizon before them are left out."""
    X, y = seasonal[:2]
    n_val = round(0.15 * len(X))
    train = y[: len(X) - n_val - HORIZON]
    np.testing.assert_allclose(lstm.target_mean_, train.mean(axis=0))
    np.testing.assert_allclose(lstm.target_scale_, train.std(axis=0))
    assert lstm.horizon_ == HORIZON and lstm.n_timesteps_in_ == WINDOW and lstm.nominal_coverage_ is None
    assert {"loss", "val_loss"} <= set(lstm.history_)


@pytest.mark.parametrize("fixture", ["lstm", "quantile_lstm"])
def test_json_state_and_a_safe_mode_network_rebuild_identical_forecasts(fixture, request, seasonal, tmp_path):
    """As a bundle saves and loads them: JSON state, the network through Keras safe mode, no compile."""
    model = request.getfixturevalue(fixture)
    X_test = seasonal[2]
    model.network_.save(tmp_path / "model.keras")
    network = keras.saving.load_model(tmp_path / "model.keras", safe_mode=True, compile=False)
    state = json.loads(json.dumps(model.to_state(), allow_nan=False))
    restored = LSTMForecaster.from_state(state, network=network)
    np.testing.assert_array_equal(restored.predict(X_test), model.predict(X_test))
    assert restored.horizon_ == model.horizon_ and restored.n_timesteps_in_ == WINDOW
    if model.quantiles is not None:
        for got, expected in zip(restored.predict_interval(X_test), model.predict_interval(X_test), strict=True):
            np.testing.assert_array_equal(got, expected)
        compiled = keras.saving.load_model(tmp_path / "model.keras", safe_mode=True)  # the registered pinball loss
        assert compiled.loss.quantiles == list(QUANTILES)
    with pytest.raises(DataError, match=f"windows have {WINDOW + 1} timesteps, but the model was fitted with {WINDOW}"):
        restored.predict(np.zeros((2, WINDOW + 1, 1)))


def test_a_model_without_quantiles_has_no_interval(lstm, seasonal):
    with pytest.raises(ParameterError, match="quantiles: LSTMForecaster was trained without quantiles"):
        lstm.predict_interval(seasonal[2])


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (np.zeros(50), r"LSTMForecaster\.fit: y must be 2-D \(samples x horizons\), got shape \(50,\)"),
        (np.zeros((49, 3)), r"y has 49 rows but X has 50 windows"),
        (np.full((50, 3), np.nan), r"y row 1, horizon 1 is nan; expected a finite number"),
    ],
)
def test_bad_targets_are_refused_naming_y(y, message):
    with pytest.raises(DataError, match=message):
        LSTMForecaster().fit(np.zeros((50, WINDOW, 1)), y)


def test_validation_targets_need_the_training_horizons():
    X, y = np.zeros((50, WINDOW, 1)), np.zeros((50, 3))
    with pytest.raises(DataError, match=r"fit\(validation_data\): y has 2 horizon column\(s\), expected 3"):
        LSTMForecaster().fit(X, y, validation_data=(X[:10], y[:10, :2]))


@pytest.mark.parametrize(
    ("quantiles", "message"),
    [
        ((0.9, 0.5, 0.1), r"quantiles: expected None or at least three increasing numbers in \(0, 1\)"),
        ((0.5,), r"quantiles: expected None or at least three increasing numbers"),
        ((0.1, 0.9), r"quantiles: expected None or at least three increasing numbers"),  # no point forecast
        ((0.1, 0.3, 0.7, 0.9), r"quantiles: levels \[0.1, 0.3, 0.7, 0.9\] have no single middle level"),
        ((0.1, 0.5, 1.2), r"quantiles\[2\]: expected a quantile level in \(0, 1\), got 1.2"),
        ((0.0, 0.5, 0.9), r"quantiles\[0\]: expected a quantile level in \(0, 1\), got 0.0"),
        ("0.1", r"quantiles: expected None or at least three"),
    ],
)
def test_bad_quantiles_are_refused_naming_them(quantiles, message):
    with pytest.raises(ParameterError, match=message):
        LSTMForecaster(quantiles=quantiles).fit(np.zeros((50, WINDOW, 1)), np.zeros((50, 3)))
