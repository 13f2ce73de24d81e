"""Forecast metrics: MAE, RMSE and MASE overall and per horizon, and prediction interval coverage.

MASE (Hyndman and Koehler, 2006) divides the mean absolute error by the in-sample naive
forecast's (``naive_scale`` of the training target): below 1 beats the naive one-step forecast
made inside the training data, on any scale. The scale must come from the training part only.
"""

import math

import numpy as np

from pyanalytics.errors import DataError


def naive_scale(train_target, period: int = 1) -> float:
    """MASE's scale: ``mean |y_t - y_{t-period}|`` over the training target.

    Args:
        train_target: the training part's target series, shape (n,), in time order.
        period: 1 for the naive forecast, the season's length for the seasonal naive.

    Raises:
        DataError: the series has no more than ``period`` values or never changes over ``period``.

    Example:
        >>> naive_scale([1.0, 3.0, 2.0, 6.0])
        2.3333333333333335
    """
    values = np.asarray(train_target, dtype=np.float64).reshape(-1)
    if len(values) <= period:
        raise DataError(
            f"train_target: expected more than period={period} values to measure the naive error, got {len(values)}."
        )
    scale = float(np.mean(np.abs(values[period:] - values[:-period])))
    if not scale > 0:
        raise DataError(
            f"train_target: the series never changes over period={period} (naive error {scale}), so MASE is "
            "undefined; check the target column."
        )
    return scale


def _matrix(values) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    return array.reshape(-1, 1) if array.ndim == 1 else array


def forecast_metrics(y, pred, *, scale: float, lower=None, upper=None, nominal: float | None = None) -> dict:
    """MAE, RMSE and MASE of forecasts overall and per horizon; coverage of an interval if given.

    Args:
        y: actual values, shape (n, H) (or (n,) for one horizon).
        pred: forecasts of the same shape.
        scale: MASE's denominator, ``naive_scale`` of the training target.
        lower, upper: optional interval bounds, each of the shape of ``y``.
        nominal: the interval's nominal coverage (e.g. 0.8), reported beside the coverage.

    Returns:
        ``mae``, ``rmse``, ``mase``, ``n`` (windows) and ``horizons`` (``mae``, ``rmse``,
        ``mase`` lists, one entry per horizon); with an interval also ``coverage`` (share of
        actual values inside it), ``interval_width`` (mean upper - lower), ``nominal``, and
        per-horizon ``coverage`` and ``interval_width``.

    Raises:
        DataError: shapes differ, or ``scale`` is not a positive number.

    Example:
        >>> m = forecast_metrics([[1.0, 2.0], [3.0, 4.0]], [[1.0, 3.0], [3.0, 2.0]], scale=2.0)
        >>> m["mae"], m["mase"], m["horizons"]["mae"]
        (0.75, 0.375, [0.0, 1.5])
    """
    actual, forecast = _matrix(y), _matrix(pred)
    if forecast.shape != actual.shape:
        raise DataError(f"pred: expected the shape of y {actual.shape}, got {forecast.shape}.")
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.number)) or not scale > 0 or math.isinf(scale):
        raise DataError(f"scale: expected MASE's positive scale (naive_scale of the training target), got {scale!r}.")
    error = actual - forecast
    mae_h = np.mean(np.abs(error), axis=0)
    rmse_h = np.sqrt(np.mean(error**2, axis=0))
    result = {
        "mae": float(np.mean(np.abs(error))),
        "rmse": float(np.sqrt(np.mean(error**2))),
        "mase": float(np.mean(np.abs(error)) / scale),
        "n": int(actual.shape[0]),
        "horizons": {"mae": mae_h.tolist(), "rmse": rmse_h.tolist(), "mase": (mae_h / scale).tolist()},
    }
    if lower is None and upper is None:
        return result
    low, high = _matrix(lower), _matrix(upper)
    for name, bound in (("lower", low), ("upper", high)):
        if bound.shape != actual.shape:
            raise DataError(f"{name}: expected the shape of y {actual.shape}, got {bound.shape}.")
    inside = (actual >= low) & (actual <= high)
    width = high - low
    result.update(coverage=float(inside.mean()), interval_width=float(width.mean()), nominal=nominal)
    result["horizons"].update(coverage=inside.mean(axis=0).tolist(), interval_width=width.mean(axis=0).tolist())
    return result
