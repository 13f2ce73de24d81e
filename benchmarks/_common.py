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
