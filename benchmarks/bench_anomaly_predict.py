"""Scoring transactions with a loaded anomaly bundle: one at a time, and in one large batch.

Run with ``python -m benchmarks.bench_anomaly_predict``; writes ``benchmarks/results/anomaly_predict.json``.
Skips when the shared credit-card file is absent.

``train_anomaly`` fits the default autoencoder on ``creditcard_fraud_enriched.csv`` (``EPOCHS``
epochs: the weights do not change the cost of scoring), saves the bundle to a temporary
directory and ``load_bundle`` reads it back in this process. Both timed calls are
``bundle.predict(frame)`` on raw rows as read from the CSV (``Time`` still there, ``Class``
dropped): reading the feature columns, checking every cell, the network (NumPy) and the
``score``/``flag`` frame.

* One transaction: row ``ROW``, ``CALLS`` calls one by one after 50 warm-up calls; median and p99.
* A batch: the file's rows repeated to at least ``BATCH_ROWS`` rows, ``BATCH_CALLS`` calls after one
  warm-up; rows per second of the median call.
"""

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks._common import latencies_ms
from benchmarks._results import row, write_results
from pyanalytics.anomaly import train_anomaly
from pyanalytics.bundle import load_bundle
from pyanalytics.settings import data_dir

EPOCHS = 3
CALLS = 1000
ROW = 0
BATCH_ROWS = 300_000
BATCH_CALLS = 5
COLUMNS = {"label": "Class", "time_column": "Time", "amount_column": "Amount"}


def credit_card_path() -> Path:
    return data_dir() / "tabular" / "creditcard_fraud_enriched.csv"


def batch_seconds(bundle, frame: pd.DataFrame) -> float:
    """Median wall seconds of ``bundle.predict(frame)`` over ``BATCH_CALLS`` calls, after one warm-up."""
    bundle.predict(frame)
    times = []
    for _ in range(BATCH_CALLS):
        start = time.perf_counter()
        bundle.predict(frame)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    path = credit_card_path()
    if not path.is_file():
        print(f"anomaly_predict: skipped, {path} not found")
        return
    raw = pd.read_csv(path).drop(columns=[COLUMNS["label"]])
    result = train_anomaly(path, **COLUMNS, epochs=EPOCHS, seed=0)
    transaction = raw.iloc[[ROW]]
    batch = pd.concat([raw] * -(-BATCH_ROWS // len(raw)), ignore_index=True)
    with tempfile.TemporaryDirectory() as folder:
        bundle = load_bundle(result.save(Path(folder) / "bundle"))
        expected = result.estimator.anomaly_score(result.preprocessing.features(transaction))
        np.testing.assert_allclose(bundle.predict(transaction)["score"], expected, rtol=1e-5)
        times = latencies_ms(lambda: bundle.predict(transaction), calls=CALLS)
        seconds = batch_seconds(bundle, batch)
    median, p99 = float(np.median(times)), float(np.percentile(times, 99))
    per_second = len(batch) / seconds
    write_results(
        "anomaly_predict",
        [
            row("anomaly_predict_one_transaction_median_ms", round(median, 3), "ms", "<= 1"),
            row("anomaly_predict_one_transaction_p99_ms", round(p99, 3), "ms", "<= 5"),
            row("anomaly_predict_batch_rows_per_second", round(per_second), "rows/s", ">= 200000"),
            row("anomaly_predict_batch_rows", len(batch), "rows", None),
            row("anomaly_predict_batch_median_seconds", round(seconds, 4), "s", None),
        ],
    )
    print(f"anomaly_predict: one credit-card transaction from a loaded bundle {median:.3f} ms median, {p99:.3f} ms p99 "
          f"({CALLS} calls); a batch of {len(batch):,} rows {per_second:,.0f} rows/s")


if __name__ == "__main__":
    main()
