"""Task functions for the engine tests, in a module the spawned workers import by name."""

import os
import time

import numpy as np

from pyanalytics.errors import DataError


def fit_small_network(seed: int, rows: int = 256) -> dict:
    """Fit a tiny seeded Keras network on seeded data; its weights and loss history as float lists."""
    import keras

    keras.utils.set_random_seed(seed)
    generator = np.random.default_rng(seed)
    x = generator.normal(size=(rows, 4)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dropout(0.2), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    history = model.fit(x, y, epochs=3, batch_size=32, shuffle=True, verbose=0)
    weights = [float(value) for array in model.get_weights() for value in array.ravel()]
    return {"weights": weights, "loss": [float(value) for value in history.history["loss"]], "nan": float("nan")}


def square_slowly(value: int, seconds: float) -> dict:
    """``value ** 2`` after ``seconds``: a task slow enough to be killed halfway."""
    time.sleep(seconds)
    return {"square": value**2, "ratio": value / 3}


def fail_with_data_error(ticker: str) -> None:
    raise DataError(f"{ticker}: expected 300 rows, found 12; pass a longer history.")


def fail_with_zero_division() -> float:
    return 1 / 0


def die() -> None:
    """End the worker process at once, as the OS killing it would."""
    os._exit(3)


SQUARES_SETTINGS = {"task": "square_slowly", "seconds": 0.3}


def square_tasks(count: int) -> list:
    """``count`` slow squaring tasks keyed ``sq/<i>``."""
    from pyanalytics.engine import Task, fingerprint

    return [Task(f"sq/{i}", square_slowly, (i, SQUARES_SETTINGS["seconds"]), fingerprint(SQUARES_SETTINGS, i))
            for i in range(count)]


def run_squares(directory: str, count: int) -> None:
    """Run ``square_tasks(count)`` on one local worker with a store in ``directory`` (the process to kill)."""
    from pyanalytics.engine import TaskStore, run_tasks

    run_tasks(square_tasks(count), engine="local", workers=1, store=TaskStore(directory, SQUARES_SETTINGS))
