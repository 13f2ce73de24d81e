"""What several benchmarks share: the market they run on and a latency loop."""

import time

import numpy as np

from pyanalytics.finance import load_prices, synthetic_market
from pyanalytics.settings import price_file

SYNTHETIC_DAYS = 10_000


def load_market():
    """``(prices, label)``: Apple's daily prices when the shared file exists, else a synthetic
    market of the same order of size, so the figures stay comparable."""
    path = price_file("AAPL")
    if path.is_file():
        return load_prices(path), "AAPL"
    return synthetic_market(SYNTHETIC_DAYS, seed=0), f"synthetic_{SYNTHETIC_DAYS}"


def latencies_ms(call, *, warmup: int = 50, calls: int = 1000) -> np.ndarray:
    """Milliseconds of each of ``calls`` calls of ``call()`` after ``warmup`` untimed ones."""
    for _ in range(warmup):
        call()
    times = np.empty(calls)
    for i in range(calls):
        start = time.perf_counter_ns()
        call()
        times[i] = (time.perf_counter_ns() - start) / 1e6
    return times


def clean_keras() -> None:
    """Drop Keras's global state and collect garbage, so one timed fit does not pay for the last."""
    import gc

    import keras

    keras.backend.clear_session()
    gc.collect()


def warm_up_keras(batch_size: int = 32) -> None:
    """One small fit so TensorFlow's one-off start-up costs land in no timing."""
    from pyanalytics.models.networks import dense_network

    rng = np.random.default_rng(0)
    X = rng.normal(size=(256, 8)).astype(np.float32)
    y = (rng.random(256) > 0.5).astype(np.float32)
    network = dense_network(8)
    network.compile(optimizer="adam", loss="binary_crossentropy")
    network.fit(X, y, validation_data=(X, y), epochs=2, batch_size=batch_size, verbose=0)


def alternating_rounds(first, second, rounds: int) -> tuple[list, list]:
    """What ``first()`` and ``second()`` return over ``rounds`` rounds, run back to back in
    alternating order (ABBA) with Keras cleaned before each run, so slow changes in the machine's
    load touch both alike; pair them by round for per-round ratios."""
    results = ([], [])
    for i in range(rounds):
        for which in ((0, 1) if i % 2 == 0 else (1, 0)):
            clean_keras()
            results[which].append((first, second)[which]())
    return results
