"""LSTM single-window prediction latency from a loaded model bundle.

Run with ``python -m benchmarks.bench_lstm_predict``; writes ``benchmarks/results/lstm_predict.json``.

A small LSTM (windows of ``WINDOW`` days, one layer of 32 units, ``EPOCHS`` epochs) is trained
with ``train_direction_model(model="lstm")`` on Apple's prices (``price_file("AAPL")``) when the
file exists, else on ``synthetic_market(3000)``, saved as a bundle to a temporary directory and
loaded back with ``load_bundle`` in this process. After 50 warm-up calls, ``CALLS`` calls of each
of these are timed one by one:

* ``window`` (the target applies here): ``bundle.estimator.predict_proba(window)`` where
  ``window`` is one (1, WINDOW, n_features) array of already-computed features (the window
  ending at the latest date, from ``model_inputs``).
* ``prices_tail`` (information, no target): ``bundle.predict(prices_tail, last=1)`` where
  ``prices_tail`` is the last ``TAIL`` rows of raw prices, so the features and the window are
  recomputed from prices on every call.
"""

import statistics
import tempfile
from pathlib import Path

import numpy as np

from benchmarks._common import load_market, latencies_ms
from benchmarks._results import row, write_results
from pyanalytics.bundle import load_bundle, save_bundle
from pyanalytics.data.windows import model_inputs
from pyanalytics.finance.training import train_direction_model

WINDOW = 20
UNITS = (32,)
EPOCHS = 3
CALLS = 1000
TAIL = 300






def main() -> None:
    prices, label = load_market()
    result = train_direction_model(
        prices, model="lstm", window=WINDOW, model_params={"epochs": EPOCHS, "units": UNITS}
    )
    with tempfile.TemporaryDirectory() as folder:
        bundle = load_bundle(save_bundle(result, Path(folder) / "bundle"))
        X = bundle.dataset(prices).X
        window = model_inputs(X, np.array([len(X) - 1]), bundle.window)
        assert window.shape == (1, WINDOW, X.shape[1]), window.shape
        prices_tail = prices.iloc[-TAIL:]
        expected = result.estimator.predict_proba(window)
        assert np.allclose(bundle.estimator.predict_proba(window), expected, atol=1e-6)
        assert np.isclose(bundle.predict(prices_tail, last=1)["prob_up"].iloc[0], expected[0, 1], atol=1e-5)
        on_window = latencies_ms(lambda: bundle.estimator.predict_proba(window), calls=CALLS)
        on_prices = latencies_ms(lambda: bundle.predict(prices_tail, last=1), calls=CALLS)
    window_median, window_p99 = statistics.median(on_window), float(np.percentile(on_window, 99))
    tail_median, tail_p99 = statistics.median(on_prices), float(np.percentile(on_prices, 99))
    write_results(
        "lstm_predict",
        [
            row(f"lstm_predict_window{WINDOW}_median_ms", round(window_median, 3), "ms", "<= 5"),
            row(f"lstm_predict_window{WINDOW}_p99_ms", round(window_p99, 3), "ms", None),
            row(f"lstm_predict_prices_tail{TAIL}_last1_median_ms", round(tail_median, 3), "ms", None),
            row(f"lstm_predict_prices_tail{TAIL}_last1_p99_ms", round(tail_p99, 3), "ms", None),
        ],
    )
    print(
        f"lstm_predict: one {WINDOW}-day window {window_median:.2f} ms median / {window_p99:.2f} ms p99; "
        f"from {TAIL} price rows {tail_median:.2f} / {tail_p99:.2f} ms ({CALLS} calls, {label})"
    )


if __name__ == "__main__":
    main()
