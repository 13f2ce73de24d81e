"""Single-row prediction latency from a loaded model bundle.

Run with ``python -m benchmarks.bench_predict``; writes ``benchmarks/results/predict.json``.

A small DNN (``EPOCHS`` epochs) is trained on Apple's prices (``price_file("AAPL")``) when the
file exists, else on ``synthetic_market(3000)``, saved as a bundle to a temporary directory and
loaded back with ``load_bundle`` in this process. After 50 warm-up calls, ``CALLS`` calls of each
of these are timed one by one:

* ``features_row`` (the targets apply here): ``bundle.estimator.predict_proba(row)`` where
  ``row`` is a one-row DataFrame of already-computed features (the latest date).
* ``prices_tail`` (information, no target): ``bundle.predict(prices_tail, last=1)`` where
  ``prices_tail`` is the last ``TAIL`` rows of raw prices, so the features are recomputed from
  prices on every call.
"""

import statistics
import tempfile
from pathlib import Path

import numpy as np

from benchmarks._common import load_market, latencies_ms
from benchmarks._results import row, write_results
from pyanalytics.bundle import load_bundle, save_bundle
from pyanalytics.finance.training import train_direction_model

EPOCHS = 3
CALLS = 1000
TAIL = 300


def main() -> None:
    prices, label = load_market()
    result = train_direction_model(prices, model_params={"epochs": EPOCHS})
    with tempfile.TemporaryDirectory() as folder:
        bundle = load_bundle(save_bundle(result, Path(folder) / "bundle"))
        features_row = bundle.dataset(prices).X.iloc[[-1]]
        prices_tail = prices.iloc[-TAIL:]
        expected = result.estimator.predict_proba(features_row)
        assert np.allclose(bundle.estimator.predict_proba(features_row), expected, atol=1e-6)
        assert len(bundle.predict(prices_tail, last=1)) == 1
        on_row = latencies_ms(lambda: bundle.estimator.predict_proba(features_row), calls=CALLS)
        on_prices = latencies_ms(lambda: bundle.predict(prices_tail, last=1), calls=CALLS)
    row_median, row_p99 = statistics.median(on_row), float(np.percentile(on_row, 99))
    tail_median, tail_p99 = statistics.median(on_prices), float(np.percentile(on_prices, 99))
    write_results(
        "predict",
        [
            row("predict_features_row_median_ms", round(row_median, 3), "ms", "<= 2"),
            row("predict_features_row_p99_ms", round(row_p99, 3), "ms", "<= 10"),
            row(f"predict_prices_tail{TAIL}_last1_median_ms", round(tail_median, 3), "ms", None),
            row(f"predict_prices_tail{TAIL}_last1_p99_ms", round(tail_p99, 3), "ms", None),
        ],
    )
    print(
        f"predict: one feature row {row_median:.2f} ms median / {row_p99:.2f} ms p99; "
        f"from {TAIL} price rows {tail_median:.2f} / {tail_p99:.2f} ms ({CALLS} calls)"
    )


if __name__ == "__main__":
    main()
