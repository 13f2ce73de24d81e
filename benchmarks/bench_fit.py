"""Fit overhead of DNNClassifier against the same network in plain Keras, and training peak RSS.

Run with ``python -m benchmarks.bench_fit``; writes ``benchmarks/results/fit.json``.

How the comparison is kept fair:

* Same data: Apple's whole daily history (``price_file("AAPL")``) when the file exists, else
  ``synthetic_market(10000)``; features from ``build_dataset``; the same ``chronological_split``
  train and validation parts for both.
* Same network (``dense_network`` with the estimator's hidden units, activation and dropout), same
  Adam learning rate, batch size, fixed epoch count and seed; both use
  ``EarlyStopping(restore_best_weights=True)`` on the same validation rows with a patience larger
  than the epoch count, so both run every epoch.
* The estimator's timing covers everything ``fit`` does (argument and input checks, DataFrame to
  array, StandardScaler, scaling, building, compiling, training). Plain Keras gets float32 arrays
  already scaled *outside* its timing and is timed for seeding, building, compiling and training
  only, so any scaling cost counts against the estimator.
* TensorFlow is warmed up with one small fit first. Then ``ROUNDS`` rounds each run both fits
  back to back (order alternating, ABBA), with ``keras.backend.clear_session()`` and
  ``gc.collect()`` before each timed run. The target row is the median over rounds of the
  per-round wall-time ratio (estimator / plain Keras): the two runs of a round are adjacent in
  time, which cancels slow changes in load from other processes on a shared machine. The ratio of
  the two median times, the per-round extremes and the CPU-time ratio (all threads of this
  process, less disturbed by other work) are reported as information.

Peak RSS is ``ru_maxrss`` of a fresh subprocess that loads the prices and runs
``train_direction_model`` with default settings on the whole history.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks._common import alternating_rounds, clean_keras, load_market, warm_up_keras
from benchmarks._results import row, write_results
from pyanalytics.finance.features import build_dataset
from pyanalytics.splits import chronological_split

EPOCHS = 10
BATCH_SIZE = 32
LEARNING_RATE = 1e-3
HIDDEN_UNITS = (64, 32)
ACTIVATION = "relu"
DROPOUT = 0.2
SEED = 0
ROUNDS = 7

RSS_CHILD = """
import json, resource, time
from benchmarks._common import load_market
from pyanalytics.finance.training import train_direction_model
start = time.perf_counter()
prices, _ = load_market()
result = train_direction_model(prices)
seconds = time.perf_counter() - start
print(json.dumps({
    "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "seconds": seconds,
    "best_epoch": result.estimator.best_epoch_,
    "epochs_run": len(result.estimator.history_["loss"]),
}))
"""




def parts(prices):
    """Train and validation (X, y) of the labelled rows, split chronologically with a gap of 1."""
    data = build_dataset(prices)
    X = data.X[data.labelled]
    y = data.y[data.labelled].astype(np.int64)
    split = chronological_split(len(X), validation=0.15, test=0.15, gap=1)
    return (X.iloc[split.train], y.iloc[split.train]), (X.iloc[split.validation], y.iloc[split.validation])


def time_estimator(train, validation) -> tuple[float, float]:
    """Wall and CPU seconds of DNNClassifier.fit on DataFrames (everything fit does)."""
    from pyanalytics.models import DNNClassifier

    model = DNNClassifier(
        hidden_units=HIDDEN_UNITS,
        activation=ACTIVATION,
        dropout=DROPOUT,
        learning_rate=LEARNING_RATE,
        batch_size=BATCH_SIZE,
        epochs=EPOCHS,
        patience=EPOCHS + 1,
        seed=SEED,
    )
    start, cpu = time.perf_counter(), time.process_time()
    model.fit(*train, validation_data=validation)
    seconds = (time.perf_counter() - start, time.process_time() - cpu)
    assert len(model.history_["loss"]) == EPOCHS, "the estimator stopped early"
    return seconds


def scaled_arrays(train, validation):
    """Float32 arrays scaled with the training rows' mean and standard deviation (as the estimator)."""
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(train[0].to_numpy(dtype=np.float64))

    def scale(X):
        return ((X.to_numpy(dtype=np.float64) - scaler.mean_) / scaler.scale_).astype(np.float32)

    return (
        (scale(train[0]), train[1].to_numpy().astype(np.float32)),
        (scale(validation[0]), validation[1].to_numpy().astype(np.float32)),
    )


def time_plain_keras(train, validation) -> tuple[float, float]:
    """Wall and CPU seconds of seeding, building, compiling and fitting on pre-scaled arrays."""
    import keras

    from pyanalytics.models.networks import dense_network

    start, cpu = time.perf_counter(), time.process_time()
    keras.utils.set_random_seed(SEED)
    network = dense_network(
        train[0].shape[1], hidden_units=HIDDEN_UNITS, activation=ACTIVATION, dropout=DROPOUT
    )
    network.compile(optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE), loss="binary_crossentropy")
    history = network.fit(
        *train,
        validation_data=validation,
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        callbacks=[
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=EPOCHS + 1, restore_best_weights=True
            )
        ],
        verbose=0,
    )
    seconds = (time.perf_counter() - start, time.process_time() - cpu)
    assert len(history.history["loss"]) == EPOCHS, "plain Keras stopped early"
    return seconds


def peak_rss() -> dict:
    """Peak RSS and wall time of a default train_direction_model in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", RSS_CHILD],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    prices, label = load_market()
    train, validation = parts(prices)
    plain_train, plain_validation = scaled_arrays(train, validation)
    warm_up_keras(BATCH_SIZE)
    estimator_times, keras_times = alternating_rounds(
        lambda: time_estimator(train, validation), lambda: time_plain_keras(plain_train, plain_validation), ROUNDS
    )
    paired = [e / k for (e, _), (k, _) in zip(estimator_times, keras_times)]
    ratio = statistics.median(paired)
    est = statistics.median(t for t, _ in estimator_times)
    plain = statistics.median(t for t, _ in keras_times)
    est_cpu = statistics.median(c for _, c in estimator_times)
    plain_cpu = statistics.median(c for _, c in keras_times)
    clean_keras()
    rss = peak_rss()
    write_results(
        "fit",
        [
            row("fit_time_ratio_estimator_vs_plain_keras", round(ratio, 3), "x", "<= 1.10"),
            row("fit_time_ratio_min_round", round(min(paired), 3), "x", None),
            row("fit_time_ratio_max_round", round(max(paired), 3), "x", None),
            row("fit_estimator_median_seconds", round(est, 3), "s", None),
            row("fit_plain_keras_median_seconds", round(plain, 3), "s", None),
            row("fit_cpu_time_ratio_estimator_vs_plain_keras", round(est_cpu / plain_cpu, 3), "x", None),
            row(f"fit_train_rows_{label}", len(train[0]), "rows", None),
            row(f"train_peak_rss_{label}_full_history", round(rss["maxrss_mb"], 1), "MB", "<= 2048"),
            row(f"train_seconds_{label}_full_history", round(rss["seconds"], 2), "s", None),
            row(f"train_epochs_run_{label}_full_history", rss["epochs_run"], "epochs", None),
        ],
    )
    print(
        f"fit: estimator/plain Keras {ratio:.3f}x ({est:.2f} vs {plain:.2f} s); "
        f"{label} train peak RSS {rss['maxrss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
