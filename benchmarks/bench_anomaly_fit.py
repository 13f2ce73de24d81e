"""Fit overhead of the autoencoder detector against the same network in plain Keras, and the cost
of the variational autoencoder's custom training step against a plain autoencoder epoch.

Run with ``python -m benchmarks.bench_anomaly_fit``; writes ``benchmarks/results/anomaly_fit.json``.
Skips when the shared credit-card file is absent.

How the comparisons are kept fair:

* Same data: the normal training rows ``train_anomaly`` hands its detector on
  ``creditcard_fraud_enriched.csv`` (split by ``Time``, seed 0).
* Fit overhead (target ``<= 1.10``): ``Autoencoder`` with its default network (hidden units,
  code size, activation, Adam learning rate, batch size) against a hand-written
  ``keras.Sequential`` of the same Dense layers trained with ``model.fit`` on the mean squared
  error, both ``EPOCHS`` epochs, seed ``SEED``, no validation rows, early stopping or callback. The
  estimator's timing covers everything ``fit`` does (checks, scaler, building, compiling,
  training); plain Keras gets float32 rows scaled outside its timing.
* VAE step (information, as ``bench_cost`` reports its eager ratio): ``VariationalAutoencoder``
  (reparameterisation and KL in ``VariationalTrainer``'s compiled ``train_step``) against
  ``Autoencoder``, same rows and sizes, ``EPOCHS`` epochs each; an epoch is timed from one
  ``on_epoch`` call to the next, the first (tracing) epoch left out, and each fit gives its
  median epoch.
* Warmed up, then ``ROUNDS`` alternating rounds (``alternating_rounds``); the rows are medians of
  the per-round ratios, whose two runs are adjacent in time on a shared machine.
"""

import statistics
import time

import numpy as np

from benchmarks._common import alternating_rounds, warm_up_keras
from benchmarks._results import row, write_results
from pyanalytics.anomaly import train_anomaly
from pyanalytics.settings import data_dir

EPOCHS = 20
SEED = 0
ROUNDS = 8  # even, so each side goes first equally often
COLUMNS = {"label": "Class", "time_column": "Time", "amount_column": "Amount"}


def training_rows(path) -> np.ndarray:
    """The normal training rows of ``train_anomaly``'s split, as it hands them to the detector."""
    result = train_anomaly(path, **COLUMNS, epochs=1, seed=SEED)
    return result.preprocessing.features(result.frames["train"])


def time_estimator(cls, X) -> float:
    """Wall seconds of ``cls(...).fit(X)`` (no callback, as plain Keras gets none)."""
    model = cls(epochs=EPOCHS, seed=SEED, validation_fraction=0.0)
    start = time.perf_counter()
    model.fit(X)
    seconds = time.perf_counter() - start
    assert len(model.history_["loss"]) == EPOCHS, "the estimator stopped early"
    return seconds


def epoch_seconds(cls, X) -> float:
    """Median wall seconds of an epoch of ``cls(...).fit(X)`` after the first (which traces)."""
    ends = []
    cls(epochs=EPOCHS, seed=SEED, validation_fraction=0.0).fit(
        X, on_epoch=lambda epoch, epochs, logs: ends.append(time.perf_counter()))
    assert len(ends) == EPOCHS, "the estimator stopped early"
    return statistics.median(np.diff(ends))


def defaults() -> dict:
    """The default autoencoder's parameters (network sizes, activation, learning rate, batch size)."""
    from pyanalytics.models import Autoencoder

    return Autoencoder().get_params()


def sequential(n_features: int):
    """The default autoencoder's layers as a reader of the course would write them."""
    import keras

    params = defaults()
    hidden = list(params["hidden_units"])
    return keras.Sequential([
        keras.Input(shape=(n_features,)),
        *[keras.layers.Dense(units, activation=params["activation"]) for units in hidden],
        keras.layers.Dense(params["code_size"]),
        *[keras.layers.Dense(units, activation=params["activation"]) for units in reversed(hidden)],
        keras.layers.Dense(n_features),
    ])


def time_plain_keras(scaled: np.ndarray) -> float:
    """Wall seconds of seeding, building, compiling and fitting the Sequential on scaled rows."""
    import keras

    params = defaults()
    start = time.perf_counter()
    keras.utils.set_random_seed(SEED)
    network = sequential(scaled.shape[1])
    network.compile(optimizer=keras.optimizers.Adam(learning_rate=params["learning_rate"]), loss="mse")
    history = network.fit(scaled, scaled, epochs=EPOCHS, batch_size=params["batch_size"], verbose=0)
    seconds = time.perf_counter() - start
    assert len(history.history["loss"]) == EPOCHS, "plain Keras stopped early"
    return seconds


def main() -> None:
    from pyanalytics.models import Autoencoder, VariationalAutoencoder

    path = data_dir() / "tabular" / "creditcard_fraud_enriched.csv"
    if not path.is_file():
        print(f"anomaly_fit: skipped, {path} not found")
        return
    X = training_rows(path)
    scaled = ((X - X.mean(axis=0)) / X.std(axis=0)).astype(np.float32)
    warm_up_keras(defaults()["batch_size"])
    estimator, plain = alternating_rounds(lambda: time_estimator(Autoencoder, X), lambda: time_plain_keras(scaled), ROUNDS)
    fit_ratios = [e / k for e, k in zip(estimator, plain)]
    vae, ae = alternating_rounds(lambda: epoch_seconds(VariationalAutoencoder, X), lambda: epoch_seconds(Autoencoder, X), ROUNDS)
    step_ratios = [v / a for v, a in zip(vae, ae)]
    fit_ratio, step_ratio = statistics.median(fit_ratios), statistics.median(step_ratios)
    write_results(
        "anomaly_fit",
        [
            row("anomaly_fit_time_ratio_autoencoder_vs_plain_sequential", round(fit_ratio, 3), "x", "<= 1.10"),
            row("anomaly_fit_time_ratio_min_round", round(min(fit_ratios), 3), "x", None),
            row("anomaly_fit_time_ratio_max_round", round(max(fit_ratios), 3), "x", None),
            row("anomaly_fit_autoencoder_median_seconds", round(statistics.median(estimator), 3), "s", None),
            row("anomaly_fit_plain_sequential_median_seconds", round(statistics.median(plain), 3), "s", None),
            row("anomaly_vae_epoch_ratio_custom_step_vs_autoencoder", round(step_ratio, 3), "x", None),
            row("anomaly_vae_epoch_ratio_min_round", round(min(step_ratios), 3), "x", None),
            row("anomaly_vae_epoch_ratio_max_round", round(max(step_ratios), 3), "x", None),
            row("anomaly_vae_epoch_median_seconds", round(statistics.median(vae), 4), "s", None),
            row("anomaly_autoencoder_epoch_median_seconds", round(statistics.median(ae), 4), "s", None),
            row("anomaly_fit_creditcard_train_rows", len(X), "rows", None),
        ],
    )
    print(
        f"anomaly_fit: autoencoder/plain Sequential {fit_ratio:.3f}x ({statistics.median(estimator):.2f} vs "
        f"{statistics.median(plain):.2f} s, {EPOCHS} epochs on {len(X)} normal rows; rounds {min(fit_ratios):.3f}-"
        f"{max(fit_ratios):.3f}); VAE custom-step epoch / autoencoder epoch {step_ratio:.2f}x "
        f"({statistics.median(vae) * 1e3:.0f} vs {statistics.median(ae) * 1e3:.0f} ms)"
    )


if __name__ == "__main__":
    main()
