"""One epoch of the custom cost-sensitive training step against one epoch of built-in ``fit``.

Run with ``python -m benchmarks.bench_cost``; writes ``benchmarks/results/cost.json``.

The target rows are ``custom training epoch / built-in fit epoch`` for the DNN and for the LSTM
(``<= 1.0``): ``CostSensitiveTrainer`` (a ``tf.GradientTape`` ``train_step`` that Keras compiles)
with ``CostSensitiveBinaryCrossentropy(ALPHA)`` against the bare network compiled with
``"binary_crossentropy"``. An eager GradientTape loop is about 11x here; a compiled step should
cost no more than the built-in one.

How the comparison is kept fair:

* Same data: the training part of Apple's whole daily history (``price_file("AAPL")``) when the
  file exists, else of ``synthetic_market(10000)``: ``build_dataset`` features, the
  ``chronological_split`` train part (gap 1), scaled with the training rows' statistics, float32.
  The DNN reads single days; the LSTM reads windows of ``WINDOW`` days from ``model_inputs``,
  keeping only windows that lie inside the train part (``usable_rows``).
* Same network: the estimator's builders (``dense_network`` with (64, 32) relu units and dropout
  0.2; ``recurrent_network`` with one LSTM of 32 units), built once under ``SEED``; both sides get
  a copy of those initial weights. Same optimizer (Adam, learning rate 1e-3), batch size 32,
  shuffling, no validation, no metrics, ``verbose=0``; no XLA on either side (Keras' "auto"
  leaves it off on a CPU-only machine).
* Each side's model is compiled once and warmed up with one untimed ``fit(epochs=1)``, which
  traces its training function (the first epoch includes tracing and the short last batch).
  Then ``ROUNDS`` rounds each run one more ``fit(epochs=1)`` on both sides back to back (order
  alternating, ABBA) after ``gc.collect()``; a callback times each epoch from its
  ``on_epoch_begin`` to its ``on_epoch_end``. The target rows are the median over rounds of the
  per-round ratio (custom / built-in): the two epochs of a round are adjacent in time, which
  cancels slow changes of load on a shared machine. Median seconds per epoch, the per-round
  extremes, the ratio of each side's fastest epoch (closest to the undisturbed cost) and the median per-round CPU-time ratio (all threads of this process; less disturbed
  by other work on the machine) are information.
* Information only: the same trainer compiled with ``run_eagerly=True`` (a Python GradientTape
  loop) on the DNN, paired with adjacent built-in epochs the same way on both sides' same first
  ``EAGER_SAMPLES`` training rows (an eager epoch of the whole part takes 12-18 s here), when its
  warm-up epoch takes at most ``EAGER_LIMIT_S`` seconds; ``EAGER_ROUNDS`` timed pairs.
"""

import gc
import statistics
import time

import numpy as np

from benchmarks._common import load_market
from benchmarks._results import row, write_results
from pyanalytics.data.windows import model_inputs, usable_rows
from pyanalytics.finance.features import build_dataset
from pyanalytics.splits import chronological_split

WINDOW = 20
BATCH_SIZE = 32
LEARNING_RATE = 1e-3
ALPHA = 2.0
SEED = 0
ROUNDS = 10  # even, so each side goes first equally often
EAGER_SAMPLES = 2000
EAGER_ROUNDS = 2
EAGER_LIMIT_S = 30.0




def training_inputs(prices) -> dict:
    """Scaled float32 (X, y) of the train part: single days for the DNN, windows for the LSTM."""
    data = build_dataset(prices)
    labelled = np.flatnonzero(data.labelled)
    train = labelled[chronological_split(len(labelled), validation=0.15, test=0.15, gap=1).train]
    days = model_inputs(data.X, train, None).to_numpy(dtype=np.float64)
    mean, std = days.mean(axis=0), days.std(axis=0)
    std[std == 0] = 1.0
    y = data.y.to_numpy()
    window_rows = usable_rows(train, WINDOW, first_row=train[0])
    windows = model_inputs(data.X, window_rows, WINDOW)
    return {
        "dnn": (((days - mean) / std).astype(np.float32), y[train].astype(np.float32)),
        "lstm": (((windows - mean) / std).astype(np.float32), y[window_rows].astype(np.float32)),
    }


def build(case: str, shape: tuple[int, ...]):
    from pyanalytics.models.networks import dense_network, recurrent_network

    if case == "dnn":
        return dense_network(shape[-1], hidden_units=(64, 32), activation="relu", dropout=0.2)
    return recurrent_network(WINDOW, shape[-1], cell="lstm", units=(32,), dropout=0.0)


def compiled_models(case: str, shape: tuple[int, ...], *, eager: bool = False) -> dict:
    """The built-in and the custom side, with the same initial weights, each compiled once."""
    import keras

    from pyanalytics.models.cost import CostSensitiveBinaryCrossentropy, CostSensitiveTrainer

    keras.utils.set_random_seed(SEED)
    initial = build(case, shape).get_weights()
    builtin = build(case, shape)
    builtin.set_weights(initial)
    builtin.compile(optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE), loss="binary_crossentropy")
    network = build(case, shape)
    network.set_weights(initial)
    custom = CostSensitiveTrainer(network, alpha=ALPHA)
    custom.compile(
        optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
        loss=CostSensitiveBinaryCrossentropy(ALPHA),
        run_eagerly=eager,
    )
    return {"builtin": builtin, "custom": custom}


def epoch_seconds(model, X, y) -> tuple[float, float]:
    """Wall and CPU seconds of one training epoch of ``fit`` (from epoch begin to epoch end)."""
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = (time.perf_counter(), time.process_time())

        def on_epoch_end(self, epoch, logs=None):
            self.seconds = (time.perf_counter() - self.start[0], time.process_time() - self.start[1])

    timer = EpochTimer()
    gc.collect()
    model.fit(X, y, epochs=1, batch_size=BATCH_SIZE, callbacks=[timer], verbose=0)
    return timer.seconds


def warm_up(model, X, y) -> float:
    """One untimed epoch (it traces the training function); returns its wall seconds."""
    start = time.perf_counter()
    model.fit(X, y, epochs=1, batch_size=BATCH_SIZE, verbose=0)
    return time.perf_counter() - start


def paired_rounds(models: dict, X, y, rounds: int) -> dict:
    """Epoch seconds of both sides per round (ABBA order) and the per-round ratios."""
    sides = ("custom", "builtin")
    times = {side: [] for side in sides}
    for i in range(rounds):
        for side in sides if i % 2 == 0 else sides[::-1]:
            times[side].append(epoch_seconds(models[side], X, y))
    return {
        "ratios": [c / b for (c, _), (b, _) in zip(times["custom"], times["builtin"])],
        "cpu_ratios": [c / b for (_, c), (_, b) in zip(times["custom"], times["builtin"])],
        "custom": [wall for wall, _ in times["custom"]],
        "builtin": [wall for wall, _ in times["builtin"]],
    }


def eager_dnn(X, y) -> dict | None:
    """Eager GradientTape epochs against adjacent built-in epochs, or None when too slow."""
    import keras

    keras.backend.clear_session()
    models = compiled_models("dnn", X.shape[1:], eager=True)
    if warm_up(models["custom"], X, y) > EAGER_LIMIT_S:
        return None
    warm_up(models["builtin"], X, y)
    return paired_rounds(models, X, y, EAGER_ROUNDS)


def main() -> None:
    import keras

    prices, label = load_market()
    inputs = training_inputs(prices)
    rows, summary = [], []
    for case in ("dnn", "lstm"):
        X, y = inputs[case]
        keras.backend.clear_session()
        gc.collect()
        models = compiled_models(case, X.shape[1:])
        for model in models.values():
            warm_up(model, X, y)
        result = paired_rounds(models, X, y, ROUNDS)
        ratio = statistics.median(result["ratios"])
        custom, builtin = statistics.median(result["custom"]), statistics.median(result["builtin"])
        rows += [
            row(f"cost_{case}_epoch_ratio_custom_vs_builtin", round(ratio, 3), "x", "<= 1.0"),
            row(f"cost_{case}_epoch_ratio_min_round", round(min(result["ratios"]), 3), "x", None),
            row(f"cost_{case}_epoch_ratio_max_round", round(max(result["ratios"]), 3), "x", None),
            row(f"cost_{case}_epoch_ratio_of_fastest", round(min(result["custom"]) / min(result["builtin"]), 3), "x", None),
            row(f"cost_{case}_epoch_cpu_time_ratio", round(statistics.median(result["cpu_ratios"]), 3), "x", None),
            row(f"cost_{case}_custom_epoch_median_seconds", round(custom, 3), "s", None),
            row(f"cost_{case}_builtin_epoch_median_seconds", round(builtin, 3), "s", None),
            row(f"cost_{case}_train_samples_{label}", len(X), "samples", None),
        ]
        summary.append(f"{case.upper()} {ratio:.2f}x ({custom:.2f} vs {builtin:.2f} s)")
    X, y = inputs["dnn"]
    eager = eager_dnn(X[:EAGER_SAMPLES], y[:EAGER_SAMPLES])
    if eager is None:
        rows.append(row("cost_dnn_eager_epoch_ratio_vs_builtin", "skipped (too slow)", "", None))
        summary.append("eager DNN skipped")
    else:
        eager_ratio = statistics.median(eager["ratios"])
        rows += [
            row("cost_dnn_eager_epoch_ratio_vs_builtin", round(eager_ratio, 3), "x", None),
            row(f"cost_dnn_eager_epoch_{EAGER_SAMPLES}_samples_median_seconds", round(statistics.median(eager["custom"]), 3), "s", None),
        ]
        summary.append(f"eager DNN {eager_ratio:.1f}x")
    write_results("cost", rows)
    print(f"cost: custom step epoch / built-in fit epoch: {'; '.join(summary)} ({label}, {ROUNDS} rounds)")


if __name__ == "__main__":
    main()
