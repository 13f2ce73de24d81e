"""Seeded series with a known answer, for forecasting tests, examples and benchmarks.

``seasonal_ar``: a planted season plus AR(1) noise, which a forecaster reading the last window
can predict beyond the naive forecast; ``random_walk``: nothing to predict beyond the last
value, so no honest forecaster beats the naive one by more than noise.
"""

import numpy as np


def seasonal_ar(
    n: int,
    *,
    period: int = 12,
    amplitude: float = 2.0,
    phi: float = 0.7,
    noise: float = 0.5,
    seed: int = 0,
) -> np.ndarray:
    """``amplitude * sin(2 pi t / period) + a_t`` with ``a_t = phi * a_{t-1} + N(0, noise^2)``.

    Example:
        >>> seasonal_ar(5, seed=0).round(2).tolist()
        [0.0, 0.93, 2.01, 2.24, 1.64]
    """
    rng = np.random.default_rng(seed)
    shocks = rng.normal(scale=noise, size=n)
    ar = np.zeros(n)
    for t in range(1, n):
        ar[t] = phi * ar[t - 1] + shocks[t]
    return amplitude * np.sin(2 * np.pi * np.arange(n) / period) + ar


def random_walk(n: int, *, seed: int = 0) -> np.ndarray:
    """The cumulative sum of ``n`` standard normal steps."""
    return np.cumsum(np.random.default_rng(seed).normal(size=n))
