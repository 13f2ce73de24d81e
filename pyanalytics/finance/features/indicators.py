"""Technical indicators computed from a prices frame: one call per ticker, numpy and TA-Lib.

Every feature at row t depends only on rows up to and including t.
"""

from collections.abc import Iterator

import numpy as np
import pandas as pd
import talib

from pyanalytics.finance.extra_features import extra_values
from pyanalytics.finance.features._columns import column_array
from pyanalytics.finance.features.spec import FeatureSpec


def log_return(price: np.ndarray, lag: int) -> np.ndarray:
    """``log(price_t / price_{t-lag})``, NaN for the first ``lag`` rows."""
    out = np.full(len(price), np.nan)
    out[lag:] = np.log(price[lag:] / price[: max(len(price) - lag, 0)])
    return out


def _flat(values: np.ndarray, window: int) -> np.ndarray:
    """True where the last ``window`` values are all equal.

    TA-Lib's running sums can leave a std of ~1e-3 in such a window after a volatile history, so
    the std alone cannot tell a flat window.
    """
    return talib.MAX(values, window) == talib.MIN(values, window)


def _ratio(numerator: np.ndarray, denominator: np.ndarray, flat: np.ndarray, fill: float):
    """``numerator / denominator``, with ``fill`` where the window is flat or the spread is 0."""
    degenerate = flat | (denominator == 0)
    safe = np.where(degenerate, 1.0, denominator)
    return np.where(degenerate, fill, numerator / safe)


def percent_b(price: np.ndarray, window: int, width: float) -> np.ndarray:
    """Bollinger %B: the price's place in its band (0 lower, 1 upper); 0.5 if the band is flat."""
    upper, _, lower = talib.BBANDS(price, window, width, width, talib.MA_Type.SMA)
    return _ratio(price - lower, upper - lower, _flat(price, window), 0.5)


def volume_zscore(volume: np.ndarray, window: int) -> np.ndarray:
    """Z-score of ``log1p(volume)`` against its rolling mean and std; 0 where the std is 0."""
    log_volume = np.log1p(volume)
    mean = talib.SMA(log_volume, window)
    std = talib.STDDEV(log_volume, window, 1.0)
    return _ratio(log_volume - mean, std, _flat(log_volume, window), 0.0)


def _columns(spec: FeatureSpec, price: np.ndarray, volume: np.ndarray | None) -> Iterator:
    """Yield the feature arrays in the order of ``spec.names``."""
    for lag in spec.return_lags:
        yield log_return(price, lag)
    for window in spec.ma_windows:
        yield price / talib.SMA(price, window) - 1.0
    if spec.volatility_window:
        yield talib.STDDEV(log_return(price, 1), spec.volatility_window, 1.0)
    if spec.rsi_period:
        yield talib.RSI(price, spec.rsi_period)
    if spec.macd:
        yield from (line / price for line in talib.MACD(price, *spec.macd))
    if spec.bollinger:
        yield percent_b(price, *spec.bollinger)
    if spec.volume_window:
        yield volume_zscore(volume, spec.volume_window)


def compute_features(prices: pd.DataFrame, spec: FeatureSpec = FeatureSpec()) -> pd.DataFrame:
    """Compute the features ``spec`` describes.

    Args:
        prices: a prices frame (see the Prices contract); only ``spec.required_columns`` and
            ``spec.extra_features`` are read.
        spec: which features to compute.

    Returns:
        A float64 frame with the index of ``prices`` and columns ``spec.names``; each of the first
        ``spec.warmup`` rows has at least one NaN, later rows have none, except the leading
        missing values of the extra features (their warm-up) which are kept as they are.

    Raises:
        DataError: ``prices`` lacks a column the spec needs, or an extra column holds a bad
            value (naming its row and date).

    Example:
        >>> from pyanalytics.finance import random_walk
        >>> compute_features(random_walk(300, seed=0)).shape
        (300, 17)
    """
    remedy = "use FeatureSpec(price='close')" if spec.price != "close" else "supply closing prices"
    price = column_array(prices, spec.price, "every price feature", remedy)
    volume = None
    if spec.volume_window:
        volume = column_array(
            prices,
            "volume",
            f"the feature volume_z_{spec.volume_window}",
            "supply volume or use FeatureSpec(volume_window=None)",
        )
    values = np.vstack(list(_columns(spec, price, volume)))
    if spec.extra_features:
        values = np.vstack([values, extra_values(prices, spec.extra_features)])
    return pd.DataFrame(values.T, index=prices.index, columns=list(spec.names), copy=False)
