"""Losses of variance forecasts: MSE and QLIKE, each on the realised variance.

QLIKE (Patton 2011) is ``mean(s2 / h - log(s2 / h) - 1)`` with ``s2`` the realised and ``h`` the
forecast variance: 0 for a perfect forecast, and, like MSE, it ranks forecasts by their expected
loss correctly even when the realised variance is a noisy proxy of the true one. It punishes a
forecast that is too low far more than one too high and depends on the ratio only, so calm and
turbulent years weigh alike; MSE is dominated by the turbulent ones.
"""

import numpy as np

from pyanalytics.errors import DataError

VOLATILITY_METRIC_NAMES = ("mse", "qlike")


def variance_metrics(realised, forecast) -> dict:
    """MSE and QLIKE of variance forecasts, and the number of forecasts scored.

    Args:
        realised: realised variances, one per forecast (> 0).
        forecast: forecast variances in the same units (> 0).

    Raises:
        DataError: the lengths differ, or a variance is not a finite positive number (named by
            its position).

    Example:
        >>> m = variance_metrics([0.04, 0.09], [0.04, 0.04])
        >>> round(m["mse"], 6), round(m["qlike"], 4), m["n"]
        (0.00125, 0.2195, 2)
    """
    realised = _variances("realised", realised)
    forecast = _variances("forecast", forecast)
    if len(realised) != len(forecast):
        raise DataError(f"forecast: {len(forecast)} variances for {len(realised)} realised ones; expected one each.")
    ratio = realised / forecast
    return {
        "mse": float(np.mean((realised - forecast) ** 2)),
        "qlike": float(np.mean(ratio - np.log(ratio) - 1.0)),
        "n": int(len(realised)),
    }


def _variances(name: str, values) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64).ravel()
    bad = ~(np.isfinite(values) & (values > 0))
    if bad.any():
        first = int(np.argmax(bad))
        raise DataError(
            f"{name} variance at position {first}: expected a finite positive number, got {float(values[first])!r} "
            f"({int(bad.sum())} such value(s)); QLIKE divides by and takes the log of each variance, so leave "
            "those dates out."
        )
    return values
