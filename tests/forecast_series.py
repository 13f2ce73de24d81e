"""Seeded series for the forecasting tests, cut into windows and direct multi-step targets.

``seasonal_ar``: a planted season (period 12) plus an AR(1), so the last window predicts the
next steps; ``random_walk``: nothing to predict beyond the last value.
"""

import numpy as np

from pyanalytics.data.sequences import horizon_targets, windows_ending_at

PERIOD = 12
WINDOW = 12
HORIZON = 3


def seasonal_ar(n: int, seed: int, *, period: int = PERIOD, phi: float = 0.7) -> np.ndarray:
    """``2 sin(2 pi t / period) + a_t`` with ``a_t = phi a_{t-1} + N(0, 0.5^2)``."""
    rng = np.random.default_rng(seed)
    shocks = rng.normal(scale=0.5, size=n)
    ar = np.zeros(n)
    for t in range(1, n):
        ar[t] = phi * ar[t - 1] + shocks[t]
    return 2.0 * np.sin(2 * np.pi * np.arange(n) / period) + ar


def random_walk(n: int, seed: int) -> np.ndarray:
    return np.cumsum(np.random.default_rng(seed).normal(size=n))


def windows(series: np.ndarray, window: int = WINDOW, horizon: int = HORIZON) -> tuple[np.ndarray, np.ndarray]:
    """Windows (n, window, 1) ending at each t with a full horizon after it, and targets
    (n, horizon): ``series[t + 1 .. t + horizon]``."""
    ends = np.arange(window - 1, len(series) - horizon)
    return windows_ending_at(series[:, None], ends, window), horizon_targets(series, ends, horizon)


def train_test(series: np.ndarray, train_share: float = 0.7):
    """``(X_train, y_train, X_test, y_test, scale)``: the windows split in time (the test windows
    start after the last training target) and MASE's scale from the training values only."""
    from pyanalytics.evaluation.forecast_metrics import naive_scale

    X, y = windows(series)
    cut = int(train_share * len(X))
    last_train_value = cut - 1 + WINDOW - 1 + HORIZON  # the last training window's last target
    test = slice(cut + HORIZON, None)  # so no test window's target is a training target
    return X[:cut], y[:cut], X[test], y[test], naive_scale(series[: last_train_value + 1])
