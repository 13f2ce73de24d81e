"""Seeded synthetic markets with an optional planted, learnable signal.

Used by the tests, the demo fallback and the benchmarks. Every frame follows the prices
contract of :mod:`pyanalytics.finance.prices`.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd

from pyanalytics.errors import ParameterError
from pyanalytics.finance.prices import PRICE_COLUMNS

_START_PRICE = 100.0
_BASE_VOLUME = 1e6
_VOLUME_SPREAD = 0.5
SIGNALS = ("volume", "sequence")


def synthetic_market(
    n_days: int = 2000,
    *,
    signal_strength: float = 0.0,
    signal: str = "volume",
    seed=0,
    start="2000-01-03",
    volatility: float = 0.015,
    drift: float = 0.0002,
) -> pd.DataFrame:
    """Generate a seeded daily market whose only signal is planted in volume.

    Draw iid ``z_t ~ N(0, 1)`` and set ``log(volume_t) = log(1e6) + 0.5 * z_t`` (rounded to
    whole shares, at least 1). The log-return from day ``t`` to ``t + 1`` is::

        drift + volatility * (signal_strength * z_t + eps_{t+1}) / sqrt(1 + signal_strength**2)

    with ``eps`` iid ``N(0, 1)``. The return volatility is therefore ``volatility`` for every
    strength: a high-volume day is followed by a rise, with correlation
    ``signal_strength / sqrt(1 + signal_strength**2)`` between ``z_t`` and the next return, so
    only a volume feature (such as its z-score) can carry the signal. Strength 0 is a pure
    random walk (plus ``drift``) whose direction nothing predicts.

    With ``signal="sequence"`` the driver is ``z_t * z_{t-1}`` instead of ``z_t``: the next move
    is up when the last two days' volume shocks agree in sign. No single day's value carries it
    (each day's shock is uncorrelated with the next return); only the pattern over the window does.

    Close starts at 100 on the first day and follows the cumulative log-returns. The first
    open is 100; later opens are the previous close times ``exp(N(0, volatility / 4))``.
    High is ``max(open, close) * exp(|N(0, volatility / 2)|)`` and low is
    ``min(open, close) * exp(-|N(0, volatility / 2)|)``; ``adj_close`` equals close.

    Args:
        n_days: Number of business days, an int >= 2.
        signal_strength: Strength of the planted volume signal, >= 0.
        signal: ``"volume"`` (today's volume) or ``"sequence"`` (the last two days' volumes).
        seed: Seed for :func:`numpy.random.default_rng`; the same seed gives the same frame.
        start: First business day (anything :class:`pandas.Timestamp` accepts).
        volatility: Standard deviation of the daily log-return, > 0.
        drift: Mean daily log-return.

    Returns:
        A prices frame indexed by ``pd.bdate_range(start, periods=n_days)``.

    Raises:
        ParameterError: An argument outside its allowed range.

    Example:
        >>> prices = synthetic_market(500, signal_strength=1.0, seed=7)
        >>> len(prices), list(prices.columns)[:4]
        (500, ['open', 'high', 'low', 'close'])
    """
    _check_arguments(n_days, signal_strength, volatility, drift)
    if signal not in SIGNALS:
        raise ParameterError(f"synthetic_market: signal={signal!r} is not one of {', '.join(map(repr, SIGNALS))}.")
    index = _business_days(start, n_days)
    z, eps, open_noise, high_noise, low_noise = np.random.default_rng(seed).standard_normal(
        (5, n_days)
    )
    driver = z if signal == "volume" else z * np.concatenate(([0.0], z[:-1]))
    returns = drift + volatility * (signal_strength * driver[:-1] + eps[1:]) / math.sqrt(
        1.0 + signal_strength**2
    )
    close = _START_PRICE * np.exp(np.concatenate(([0.0], np.cumsum(returns))))
    open_ = np.empty(n_days)
    open_[0] = _START_PRICE
    open_[1:] = close[:-1] * np.exp(volatility / 4 * open_noise[1:])
    high = np.maximum(open_, close) * np.exp(np.abs(volatility / 2 * high_noise))
    low = np.minimum(open_, close) * np.exp(-np.abs(volatility / 2 * low_noise))
    volume = np.maximum(1.0, np.round(_BASE_VOLUME * np.exp(_VOLUME_SPREAD * z)))
    columns = dict(zip(PRICE_COLUMNS, (open_, high, low, close, close.copy(), volume)))
    return pd.DataFrame(columns, index=index)


def random_walk(
    n_days: int = 2000,
    *,
    seed=0,
    start="2000-01-03",
    volatility: float = 0.015,
    drift: float = 0.0002,
) -> pd.DataFrame:
    """A synthetic market without signal: :func:`synthetic_market` with strength 0.

    Args:
        n_days: Number of business days, an int >= 2.
        seed: Seed for :func:`numpy.random.default_rng`.
        start: First business day.
        volatility: Standard deviation of the daily log-return, > 0.
        drift: Mean daily log-return.

    Returns:
        A prices frame whose direction no feature can predict.
    """
    return synthetic_market(
        n_days, signal_strength=0.0, seed=seed, start=start, volatility=volatility, drift=drift
    )


def garch_market(
    n_days: int = 3000,
    *,
    omega: float = 2e-6,
    alpha: float = 0.08,
    beta: float = 0.9,
    seed=0,
    start="2000-01-03",
) -> pd.DataFrame:
    """A seeded market whose daily log-returns follow a GARCH(1,1): volatility is predictable.

    ``r_t = sigma_t * eps_t`` with ``eps_t`` iid ``N(0, 1)`` and
    ``sigma_t^2 = omega + alpha * r_(t-1)^2 + beta * sigma_(t-1)^2``, starting at the long-run
    variance ``omega / (1 - alpha - beta)`` (the defaults: 1 % a day, 16 % a year). Close starts at
    100; open, high and low are drawn around it as in :func:`synthetic_market` with that day's
    sigma, so the daily range carries the volatility too. Volume is constant.

    Args:
        n_days: Number of business days, an int >= 2.
        omega, alpha, beta: the GARCH parameters (> 0, >= 0, >= 0, alpha + beta < 1).
        seed: Seed for :func:`numpy.random.default_rng`.
        start: First business day.

    Raises:
        ParameterError: An argument outside its allowed range.

    Example:
        >>> prices = garch_market(300, seed=1)
        >>> len(prices), bool((prices["high"] >= prices["close"]).all())
        (300, True)
    """
    _check_arguments(n_days, 0.0, 1.0, 0.0)
    if not (_is_real(omega) and omega > 0 and _is_real(alpha) and alpha >= 0 and _is_real(beta) and beta >= 0
            and alpha + beta < 1):
        _reject("(omega, alpha, beta)", (omega, alpha, beta), "omega > 0, alpha >= 0, beta >= 0 with alpha + beta < 1")
    index = _business_days(start, n_days)
    eps, open_noise, high_noise, low_noise = np.random.default_rng(seed).standard_normal((4, n_days))
    variance, returns = np.empty(n_days), np.zeros(n_days)
    variance[0] = omega / (1.0 - alpha - beta)
    for t in range(1, n_days):
        variance[t] = omega + alpha * returns[t - 1] ** 2 + beta * variance[t - 1]
        returns[t] = math.sqrt(variance[t]) * eps[t]
    sigma = np.sqrt(variance)
    close = _START_PRICE * np.exp(np.cumsum(returns))
    open_ = np.r_[_START_PRICE, close[:-1] * np.exp(sigma[1:] / 4 * open_noise[1:])]
    high = np.maximum(open_, close) * np.exp(np.abs(sigma / 2 * high_noise))
    low = np.minimum(open_, close) * np.exp(-np.abs(sigma / 2 * low_noise))
    columns = dict(zip(PRICE_COLUMNS, (open_, high, low, close, close.copy(), np.full(n_days, _BASE_VOLUME))))
    return pd.DataFrame(columns, index=index)


def _check_arguments(n_days, signal_strength, volatility, drift) -> None:
    """Raise ParameterError naming the first argument outside its range."""
    if isinstance(n_days, bool) or not isinstance(n_days, numbers.Integral) or n_days < 2:
        _reject("n_days", n_days, "an int >= 2")
    if not _is_real(signal_strength) or not signal_strength >= 0:
        _reject("signal_strength", signal_strength, "a finite number >= 0")
    if not _is_real(volatility) or not volatility > 0:
        _reject("volatility", volatility, "a finite number > 0")
    if not _is_real(drift):
        _reject("drift", drift, "a finite number")


def _is_real(value) -> bool:
    """True for a finite real number that is not a bool."""
    return (
        isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    )


def _reject(name: str, value, expected: str) -> None:
    """Raise ParameterError naming the argument, its value and what it must be."""
    raise ParameterError(
        f"synthetic_market: {name}={value!r} is not {expected}; pass {expected} instead."
    )


def _business_days(start, n_days: int) -> pd.DatetimeIndex:
    """``n_days`` business days from ``start`` as a ``datetime64[ns]`` index named ``date``."""
    try:
        days = pd.bdate_range(start, periods=n_days, name="date")
    except (TypeError, ValueError) as exc:
        raise ParameterError(
            f"synthetic_market: start={start!r} is not a date ({exc}); pass a date such as "
            "'2000-01-03'."
        ) from exc
    return pd.DatetimeIndex(days.as_unit("ns"), freq=None)
