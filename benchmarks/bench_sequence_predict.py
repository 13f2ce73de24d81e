"""One forecast from a loaded sequence bundle: the window ending at the last row of a raw frame.

Run with ``python -m benchmarks.bench_sequence_predict``; writes ``benchmarks/results/sequence_predict.json``.

``train_forecaster`` fits an LSTM (one layer of 32 units, the domain's default, ``EPOCHS`` epochs:
the weights do not change the cost of a forecast) on a synthetic hourly series with a daily season
and AR(1) noise (``seasonal_ar``, ``N_ROWS`` rows), forecasting ``HORIZON`` steps from windows of ``WINDOW``; it is
saved to a temporary directory and read back with ``load_bundle`` in this process. The timed call is
``bundle.predict(frame, last=True)`` where ``frame`` holds exactly one window of raw rows (a parsed
time column and the value): checking the times, reading the numbers, the window view, the network
(NumPy) and the table of ``h1..hH``. ``CALLS`` calls one by one after 50 warm-up calls; median and
p99. The same for a bundle trained with quantiles (0.1, 0.5, 0.9), whose table adds the interval.
"""

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks._common import latencies_ms
from benchmarks._results import row, write_results
from pyanalytics.bundle import load_bundle
from pyanalytics.data.synthetic_series import seasonal_ar
from pyanalytics.sequence import train_forecaster

N_ROWS = 2000
WINDOW = 24
HORIZON = 12
PERIOD = 24
EPOCHS = 2
CALLS = 1000


def seasonal_series(n: int = N_ROWS) -> pd.DataFrame:
    """Hourly values of ``synthetic_series.seasonal_ar`` with a daily season."""
    return pd.DataFrame({"time": pd.date_range("2024-01-01", periods=n, freq="h"),
                         "value": seasonal_ar(n, period=PERIOD, seed=0)})


def forecast_latency(series: pd.DataFrame, folder: Path, quantiles=None) -> tuple[float, float]:
    """Median and p99 milliseconds of one forecast from a loaded bundle (trained with ``quantiles``)."""
    result = train_forecaster(series, "value", time_column="time", window=WINDOW, horizon=HORIZON, period=PERIOD,
                              quantiles=quantiles, epochs=EPOCHS, seed=0)
    bundle = load_bundle(result.save(folder / f"bundle-{quantiles is not None}"))
    frame = series.tail(WINDOW)
    expected = result.estimator.predict(frame[["value"]].to_numpy()[None])  # the in-memory model on the same window
    np.testing.assert_allclose(bundle.predict(frame, last=True).iloc[:, :HORIZON].to_numpy(), expected, rtol=1e-5)
    times = latencies_ms(lambda: bundle.predict(frame, last=True), calls=CALLS)
    return float(np.median(times)), float(np.percentile(times, 99))


def main() -> None:
    series = seasonal_series()
    with tempfile.TemporaryDirectory() as folder:
        median, p99 = forecast_latency(series, Path(folder))
        q_median, q_p99 = forecast_latency(series, Path(folder), quantiles=(0.1, 0.5, 0.9))
    write_results(
        "sequence_predict",
        [
            row("sequence_forecast_one_window_median_ms", round(median, 3), "ms", "<= 2"),
            row("sequence_forecast_one_window_p99_ms", round(p99, 3), "ms", None),
            row("sequence_forecast_with_interval_one_window_median_ms", round(q_median, 3), "ms", "<= 2"),
            row("sequence_forecast_with_interval_one_window_p99_ms", round(q_p99, 3), "ms", None),
        ],
    )
    print(f"sequence_predict: one {HORIZON}-step forecast from a loaded LSTM bundle {median:.3f} ms median, "
          f"{p99:.3f} ms p99; with its 80% interval {q_median:.3f} ms median, {q_p99:.3f} ms p99 ({CALLS} calls)")


if __name__ == "__main__":
    main()
