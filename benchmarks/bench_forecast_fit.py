"""Fit overhead of the recurrent forecaster against the same network in plain Keras.

Run with ``python -m benchmarks.bench_forecast_fit``; writes ``benchmarks/results/forecast_fit.json``.

How the comparison is kept fair:

* Same data: ``N_WINDOWS`` windows of ``WINDOW`` steps x ``N_FEATURES`` features cut from one
  seeded series with a season and an AR(1) (the target is feature 0), horizons 1..``HORIZON``.
* Same network: ``LSTMForecaster`` with its default units, learning rate and batch size against a
  hand-written ``keras.Sequential`` (``LSTM(units)``, ``Dense(HORIZON)``) trained with
  ``model.fit`` on the mean squared error; both ``EPOCHS`` epochs, seed ``SEED``, no validation
  rows, early stopping or callback (``validation_fraction=0``).
* The estimator's timing covers everything ``fit`` does (checks, window and target scaling,
  building, compiling, training); plain Keras gets float32 windows and targets scaled outside its
  timing.
* Warmed up, then ``ROUNDS`` alternating rounds (``alternating_rounds``); the target row
  (``<= 1.10``) is the median of the per-round ratios, whose two runs are adjacent in time on a
  shared machine.
"""

import statistics
import time

import numpy as np

from benchmarks._common import alternating_rounds, warm_up_keras
from benchmarks._results import row, write_results
from pyanalytics.data.sequences import horizon_targets, windows_ending_at
from pyanalytics.data.synthetic_series import seasonal_ar

N_WINDOWS = 4000
WINDOW = 20
N_FEATURES = 5
HORIZON = 5
EPOCHS = 5
SEED = 0
ROUNDS = 6  # even, so each side goes first equally often


def forecasting_data() -> tuple[np.ndarray, np.ndarray]:
    """Windows (N_WINDOWS, WINDOW, N_FEATURES) and targets (N_WINDOWS, HORIZON) of feature 0."""
    n = N_WINDOWS + WINDOW + HORIZON
    values = np.random.default_rng(SEED).normal(size=(n, N_FEATURES))
    values[:, 0] = seasonal_ar(n, seed=SEED)
    ends = np.arange(WINDOW - 1, WINDOW - 1 + N_WINDOWS)
    return windows_ending_at(values, ends, WINDOW), horizon_targets(values[:, 0], ends, HORIZON)


def defaults() -> dict:
    from pyanalytics.models import LSTMForecaster

    return LSTMForecaster().get_params()


def time_estimator(X, y) -> float:
    """Wall seconds of ``LSTMForecaster(...).fit(X, y)``."""
    from pyanalytics.models import LSTMForecaster

    model = LSTMForecaster(epochs=EPOCHS, seed=SEED, validation_fraction=0.0)
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    assert len(model.history_["loss"]) == EPOCHS, "the estimator stopped early"
    return seconds


def time_plain_keras(X_scaled, y_scaled) -> float:
    """Wall seconds of seeding, building, compiling and fitting the Sequential on scaled arrays."""
    import keras

    params = defaults()
    start = time.perf_counter()
    keras.utils.set_random_seed(SEED)
    network = keras.Sequential([
        keras.Input(shape=(WINDOW, N_FEATURES)),
        *[keras.layers.LSTM(units, return_sequences=i < len(params["units"]) - 1)
          for i, units in enumerate(params["units"])],
        keras.layers.Dense(HORIZON),
    ])
    network.compile(optimizer=keras.optimizers.Adam(learning_rate=params["learning_rate"]), loss="mse")
    history = network.fit(X_scaled, y_scaled, epochs=EPOCHS, batch_size=params["batch_size"], verbose=0)
    seconds = time.perf_counter() - start
    assert len(history.history["loss"]) == EPOCHS, "plain Keras stopped early"
    return seconds


def main() -> None:
    X, y = forecasting_data()
    flat = X.reshape(-1, N_FEATURES)
    X_scaled = ((X - flat.mean(axis=0)) / flat.std(axis=0)).astype(np.float32)
    y_scaled = ((y - y.mean(axis=0)) / y.std(axis=0)).astype(np.float32)
    warm_up_keras(defaults()["batch_size"])
    estimator, plain = alternating_rounds(lambda: time_estimator(X, y), lambda: time_plain_keras(X_scaled, y_scaled), ROUNDS)
    ratios = [e / k for e, k in zip(estimator, plain)]
    ratio = statistics.median(ratios)
    write_results(
        "forecast_fit",
        [
            row("forecast_fit_time_ratio_lstm_forecaster_vs_plain_sequential", round(ratio, 3), "x", "<= 1.10"),
            row("forecast_fit_time_ratio_min_round", round(min(ratios), 3), "x", None),
            row("forecast_fit_time_ratio_max_round", round(max(ratios), 3), "x", None),
            row("forecast_fit_lstm_forecaster_median_seconds", round(statistics.median(estimator), 3), "s", None),
            row("forecast_fit_plain_sequential_median_seconds", round(statistics.median(plain), 3), "s", None),
            row("forecast_fit_windows", N_WINDOWS, "windows", None),
        ],
    )
    print(
        f"forecast_fit: LSTMForecaster/plain Sequential {ratio:.3f}x ({statistics.median(estimator):.2f} vs "
        f"{statistics.median(plain):.2f} s, {EPOCHS} epochs on {N_WINDOWS} windows of {WINDOW} x {N_FEATURES}, "
        f"{HORIZON} horizons; rounds {min(ratios):.3f}-{max(ratios):.3f})"
    )


if __name__ == "__main__":
    main()
