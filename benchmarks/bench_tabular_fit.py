"""Fit overhead of the tabular network against the same network written as a plain
``keras.Sequential``, on preprocessed Titanic rows.

Run with ``python -m benchmarks.bench_tabular_fit``; writes ``benchmarks/results/tabular_fit.json``.
Skips when the shared Titanic file is absent.

How the comparison is kept fair:

* Same data: ``titanic_train.csv`` split as ``train_tabular`` splits it (seeded, stratified), the
  ``TabularPreprocessor`` fitted on the training part; both fit the same training rows.
* Same network: ``train_tabular``'s default (``DEFAULT_NETWORK``: hidden layers, activation,
  dropout, batch normalisation, Adam learning rate, batch size) as ``DNNClassifier`` against a
  hand-written ``keras.Sequential`` of those layers, both ``EPOCHS`` epochs, seed ``SEED``, no
  validation part and no early stopping on either.
* The estimator's timing covers everything ``fit`` does (checks, DataFrame to array, scaler,
  building, compiling, training); plain Keras gets float32 arrays scaled outside its timing.
* Warmed up, then ``ROUNDS`` alternating rounds (``alternating_rounds``); the target row is the
  median of the per-round ratios (estimator / plain Keras), as in ``bench_fit``.
"""

import statistics
import time

import numpy as np
import pandas as pd

from benchmarks._common import alternating_rounds, warm_up_keras
from benchmarks._results import row, write_results
from pyanalytics.data.preprocess import TabularPreprocessor
from pyanalytics.data.tabular import read_tabular
from pyanalytics.data.target import TargetEncoder
from pyanalytics.defaults import DEFAULT_NETWORK
from pyanalytics.settings import data_dir
from pyanalytics.splits import tabular_split

EPOCHS = 30
SEED = 0
ROUNDS = 7


def training_rows(path):
    """The preprocessed training part of ``train_tabular``'s default split, as it hands it to the
    network: (X frame, y codes)."""
    table = read_tabular(path, "Survived", task="binary")
    split = tabular_split(table.features, table.target, table.task, validation=0.15, test=0.15, seed=SEED)
    features, target = table.features.iloc[split.train], table.target.iloc[split.train]
    preprocessor = TabularPreprocessor().fit(features)
    X = pd.DataFrame(preprocessor.transform(features), columns=preprocessor.get_feature_names_out(), index=features.index)
    return X, TargetEncoder(table.task).fit(target).encode(target)


def time_estimator(X, y) -> float:
    """Wall seconds of ``DNNClassifier.fit`` with the default tabular network."""
    from pyanalytics.models import DNNClassifier

    model = DNNClassifier(**{**DEFAULT_NETWORK, "epochs": EPOCHS, "seed": SEED, "validation_fraction": 0.0})
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    assert len(model.history_["loss"]) == EPOCHS, "the estimator stopped early"
    return seconds


def sequential(n_features: int):
    """``DEFAULT_NETWORK``'s layers as a reader of the course would write them."""
    import keras

    layers = [keras.Input(shape=(n_features,))]
    for units in DEFAULT_NETWORK["hidden_units"]:
        if DEFAULT_NETWORK["batch_norm"]:
            layers += [keras.layers.Dense(units, use_bias=False), keras.layers.BatchNormalization(),
                       keras.layers.Activation(DEFAULT_NETWORK["activation"])]
        else:
            layers.append(keras.layers.Dense(units, activation=DEFAULT_NETWORK["activation"]))
        if DEFAULT_NETWORK["dropout"]:
            layers.append(keras.layers.Dropout(DEFAULT_NETWORK["dropout"]))
    return keras.Sequential([*layers, keras.layers.Dense(1, activation="sigmoid")])


def time_plain_keras(X: np.ndarray, y: np.ndarray) -> float:
    """Wall seconds of seeding, building, compiling and fitting the Sequential on scaled arrays."""
    import keras

    start = time.perf_counter()
    keras.utils.set_random_seed(SEED)
    network = sequential(X.shape[1])
    network.compile(optimizer=keras.optimizers.Adam(learning_rate=DEFAULT_NETWORK["learning_rate"]),
                    loss="binary_crossentropy")
    history = network.fit(X, y, epochs=EPOCHS, batch_size=DEFAULT_NETWORK["batch_size"], verbose=0)
    seconds = time.perf_counter() - start
    assert len(history.history["loss"]) == EPOCHS, "plain Keras stopped early"
    return seconds


def main() -> None:
    path = data_dir() / "tabular" / "titanic_train.csv"
    if not path.is_file():
        print(f"tabular_fit: skipped, {path} not found")
        return
    X, y = training_rows(path)
    values = X.to_numpy(dtype=np.float64)
    scaled = ((values - values.mean(axis=0)) / np.where(values.std(axis=0) > 0, values.std(axis=0), 1)).astype(np.float32)
    warm_up_keras(DEFAULT_NETWORK["batch_size"])
    estimator, plain = alternating_rounds(lambda: time_estimator(X, y), lambda: time_plain_keras(scaled, y.astype(np.float32)), ROUNDS)
    paired = [e / k for e, k in zip(estimator, plain)]
    ratio = statistics.median(paired)
    write_results(
        "tabular_fit",
        [
            row("tabular_fit_time_ratio_estimator_vs_plain_sequential", round(ratio, 3), "x", "<= 1.10"),
            row("tabular_fit_time_ratio_min_round", round(min(paired), 3), "x", None),
            row("tabular_fit_time_ratio_max_round", round(max(paired), 3), "x", None),
            row("tabular_fit_estimator_median_seconds", round(statistics.median(estimator), 3), "s", None),
            row("tabular_fit_plain_sequential_median_seconds", round(statistics.median(plain), 3), "s", None),
            row("tabular_fit_titanic_train_rows", len(X), "rows", None),
        ],
    )
    print(
        f"tabular_fit: estimator/plain Sequential {ratio:.3f}x ({statistics.median(estimator):.2f} vs "
        f"{statistics.median(plain):.2f} s, {EPOCHS} epochs on {len(X)} Titanic rows; rounds {min(paired):.3f}-{max(paired):.3f})"
    )


if __name__ == "__main__":
    main()
