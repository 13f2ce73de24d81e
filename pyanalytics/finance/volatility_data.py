"""Realised volatility over the next days, and the features that forecast it from prices up to each date.

Returns are daily log returns of the traded close (``adj_close`` when present, else ``close``, as
the backtest books them): ``r_t = log(P_t / P_(t-1))``. The target at date t for a horizon of k
days is the realised volatility of the next k returns, annualised,
``sqrt(252 * mean(r_(t+1)^2 .. r_(t+k)^2))``; it is known at the close of t + k, so the last k
dates have none. The features at t use prices up to t only:

- ``return``: r_t; ``abs_return``: |r_t|;
- ``rv_weekly``, ``rv_monthly``: the realised volatility of the last 5 and 22 returns up to t,
  annualised (with ``sqrt(252) * |r_t|``, the daily one, HAR-RV's regressors);
- ``range`` (optional): ``log(high_t / low_t)``, the day's range (Parkinson's estimator reads it).

The first date with every feature is the 23rd (22 returns); dates before it get none.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance.backtest import traded_closes
from pyanalytics.params import check_int

ANNUAL = 252  # trading days per year: realised volatilities are annualised with it
WEEK, MONTH = 5, 22  # HAR-RV's weekly and monthly windows, in returns
HORIZONS = (5, 21)
FEATURES = ("return", "abs_return", "rv_weekly", "rv_monthly", "range")


@dataclass(frozen=True, eq=False)
class VolatilityData:
    """Returns, features and realised-volatility targets of one price history, by date.

    Attributes:
        returns: daily log returns by date (NaN on the first date).
        features: the features by date (see the module notes); NaN before ``first_row``.
        realised: the annualised realised volatility of the next k days, one column per horizon
            k (NaN on the last k dates, whose future is not known yet).
        horizons: the horizons, in days, ascending.
        first_row: position of the first date with every feature.
        rows: positions of the dates with every feature and every horizon's target, the dates
            a walk-forward splits; consecutive.
    """

    returns: pd.Series
    features: pd.DataFrame
    realised: pd.DataFrame
    horizons: tuple[int, ...]
    first_row: int
    rows: np.ndarray

    @property
    def dates(self) -> pd.DatetimeIndex:
        return self.features.index

    def realised_variance(self, rows) -> np.ndarray:
        """(len(rows), horizons) annualised realised variances of ``rows``."""
        return self.realised.to_numpy()[np.asarray(rows)] ** 2


def check_horizons(horizons) -> tuple[int, ...]:
    """Distinct horizons in days (each an integer >= 1), ascending.

    Raises:
        ParameterError: no horizon, a horizon below 1 or not whole, or one given twice.
    """
    values = (horizons,) if isinstance(horizons, (int, float, np.integer, np.floating)) else horizons
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__") or len(values) == 0:
        raise ParameterError(f"horizons: expected one or more horizons in days such as (5, 21), got {horizons!r}.")
    checked = [check_int(f"horizons[{i}]", value, minimum=1) for i, value in enumerate(values)]
    if len(set(checked)) != len(checked):
        raise ParameterError(f"horizons: expected distinct horizons, got {list(checked)}; give each once.")
    return tuple(sorted(checked))


def volatility_data(prices, horizons=HORIZONS, *, range_feature: bool = True) -> VolatilityData:
    """Returns, features and targets of ``prices`` (see the module notes).

    Args:
        prices: a prices frame (``pyanalytics.finance.load_prices``); ``high`` and ``low`` are
            needed for the range feature.
        horizons: days ahead of each realised-volatility target.
        range_feature: add ``range`` = log(high / low) to the features.

    Raises:
        ParameterError: a bad horizon.
        DataError: a close, high or low that is not a finite positive number (the date named),
            no high/low column for the range feature, or too few dates for a feature and a target.

    Example:
        >>> from pyanalytics.finance import synthetic_market
        >>> data = volatility_data(synthetic_market(300), horizons=(5, 21))
        >>> data.first_row, int(data.rows[0]), int(data.rows[-1]), list(data.realised.columns)
        (22, 22, 278, [5, 21])
    """
    horizons = check_horizons(horizons)
    closes = traded_closes(prices)
    needed = MONTH + 1 + horizons[-1]
    if len(closes) < needed:
        raise DataError(
            f"prices: {len(closes)} dates, but features over {MONTH} returns and a {horizons[-1]}-day target need "
            f"at least {needed}; supply a longer history or shorter horizons."
        )
    log_prices = np.log(closes.to_numpy())
    returns = np.r_[np.nan, np.diff(log_prices)]
    squared = returns**2
    features = {
        "return": returns,
        "abs_return": np.abs(returns),
        "rv_weekly": trailing_volatility(squared, WEEK),
        "rv_monthly": trailing_volatility(squared, MONTH),
    }
    if range_feature:
        features["range"] = _log_range(prices, closes.index)
    frame = pd.DataFrame(features, index=closes.index)
    frame.iloc[:MONTH] = np.nan
    realised = pd.DataFrame({k: next_volatility(squared, k) for k in horizons}, index=closes.index)
    rows = np.arange(MONTH, len(closes) - horizons[-1])
    return VolatilityData(pd.Series(returns, index=closes.index, name="return"), frame, realised, horizons, MONTH,
                          rows)


def trailing_volatility(squared: np.ndarray, days: int) -> np.ndarray:
    """Annualised realised volatility of the ``days`` returns up to each date (NaN before there are that many).

    ``squared`` holds the squared returns by date, NaN first (the first date has no return).
    """
    out = np.full(len(squared), np.nan)
    out[days:] = np.sqrt(ANNUAL * sliding_window_view(squared[1:], days).mean(axis=1))
    return out


def next_volatility(squared: np.ndarray, days: int) -> np.ndarray:
    """Annualised realised volatility of the ``days`` returns after each date (NaN on the last ``days`` dates):
    the trailing volatility ``days`` dates later."""
    out = np.full(len(squared), np.nan)
    out[: len(squared) - days] = trailing_volatility(squared, days)[days:]
    return out


def _log_range(prices, dates: pd.DatetimeIndex) -> np.ndarray:
    """log(high / low) per date; refuses a missing column or a bad price, naming it."""
    if not isinstance(prices, pd.DataFrame) or not {"high", "low"} <= set(prices.columns):
        found = ", ".join(map(str, prices.columns)) if isinstance(prices, pd.DataFrame) else "a Series of closes"
        raise DataError(
            f"prices: the range feature reads the 'high' and 'low' columns, found {found}; load prices with them "
            "or pass range_feature=False."
        )
    for column in ("high", "low"):
        values = prices[column].to_numpy(dtype=np.float64)
        bad = ~(np.isfinite(values) & (values > 0))
        if bad.any():
            first = int(np.argmax(bad))
            raise DataError(
                f"prices: the {column} of {dates[first].date()} is {float(values[first])!r}; expected a finite positive "
                "price. Fix the data, or load it with drop_invalid=True."
            )
    return np.log(prices["high"].to_numpy(dtype=np.float64) / prices["low"].to_numpy(dtype=np.float64))
