"""Forward returns and direction labels: the label at t is the direction from t to t+h."""

import math
from numbers import Integral, Real

import numpy as np
import pandas as pd

from pyanalytics.errors import ParameterError
from pyanalytics.finance.features._columns import column_array
from pyanalytics.finance.features.spec import PRICE_COLUMNS


def check_horizon(horizon) -> int:
    """Return ``horizon`` as an int, or raise ParameterError unless it is an integer >= 1."""
    if not isinstance(horizon, Integral) or isinstance(horizon, bool) or horizon < 1:
        raise ParameterError(
            f"horizon: expected an integer >= 1 (rows ahead), got {horizon!r}; pass horizon=1."
        )
    return int(horizon)


def check_dead_zone(dead_zone) -> float:
    """Return ``dead_zone`` as a float, or raise ParameterError unless it is finite and >= 0."""
    valid = isinstance(dead_zone, Real) and not isinstance(dead_zone, bool)
    if not (valid and math.isfinite(dead_zone) and dead_zone >= 0):
        raise ParameterError(
            f"dead_zone: expected a finite number >= 0 (a return, e.g. 0.002), got {dead_zone!r}; "
            "pass dead_zone=0.0 to label every row."
        )
    return float(dead_zone)


def _price(prices: pd.DataFrame, price: str) -> np.ndarray:
    if price not in PRICE_COLUMNS:
        raise ParameterError(
            f"price: expected one of {list(PRICE_COLUMNS)}, got {price!r}; pass price='close'."
        )
    return column_array(prices, price, "the labels", "pass price='close'")


def _forward_return(price: np.ndarray, horizon: int) -> np.ndarray:
    out = np.full(len(price), np.nan)
    out[: max(len(price) - horizon, 0)] = price[horizon:] / price[:-horizon] - 1.0
    return out


def _direction(forward: np.ndarray, dead_zone: float) -> np.ndarray:
    down = forward < -dead_zone if dead_zone > 0 else forward <= 0
    return np.where(forward > dead_zone, 1.0, np.where(down, 0.0, np.nan))


def forward_returns(prices: pd.DataFrame, horizon: int, price: str = "close") -> pd.Series:
    """Simple return from t to t+horizon, ``p_{t+h} / p_t - 1``; NaN for the last ``horizon`` rows.

    Raises:
        ParameterError: ``horizon`` is not an integer >= 1 or ``price`` is not a price column.
        DataError: ``prices`` has no ``price`` column.
    """
    horizon = check_horizon(horizon)
    values = _forward_return(_price(prices, price), horizon)
    return pd.Series(values, index=prices.index, name="forward_return")


def direction_labels(
    prices: pd.DataFrame, horizon: int = 1, dead_zone: float = 0.0, price: str = "close"
) -> pd.Series:
    """Direction of the price from t to t+horizon, as float64 labels named ``label``.

    With ``dead_zone == 0`` the label is 1.0 for a rise and 0.0 otherwise (an unchanged price is
    0.0). With ``dead_zone > 0`` it is 1.0 above ``dead_zone``, 0.0 below ``-dead_zone`` and NaN in
    between. The last ``horizon`` rows are NaN: their future is unknown.

    Raises:
        ParameterError: a bad ``horizon``, ``dead_zone`` or ``price``.
        DataError: ``prices`` has no ``price`` column.

    Example:
        >>> import pandas as pd
        >>> direction_labels(pd.DataFrame({"close": [1.0, 2.0, 2.0, 1.0]})).tolist()
        [1.0, 0.0, 0.0, nan]
    """
    dead_zone = check_dead_zone(dead_zone)
    forward = forward_returns(prices, horizon, price)
    return pd.Series(_direction(forward.to_numpy(), dead_zone), index=prices.index, name="label")
