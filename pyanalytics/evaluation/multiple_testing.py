"""Multiple-testing honesty: with many strategies tried, some look significant by luck.

Two corrections, for two questions:

- *Which of these strategies have an edge?* One-sided p-values of their Sharpe t-statistics,
  adjusted with Benjamini-Hochberg (false discovery rate, scipy's ``false_discovery_control``).
- *Is the best of them real, given how many were tried?* The deflated Sharpe ratio of Bailey and
  Lopez de Prado (2014, "The Deflated Sharpe Ratio: Correcting for Selection Bias, Backtest
  Overfitting and Non-Normality"): the probability that the selected strategy's true Sharpe ratio
  beats the Sharpe ratio the best of ``N`` skill-less trials would show,

      SR0 = sqrt(V[SR]) * ((1 - gamma) * Phi^-1(1 - 1/N) + gamma * Phi^-1(1 - 1/(N e)))
      DSR = Phi((SR - SR0) * sqrt(T - 1) / sqrt(1 - skew * SR + (kurt - 1) / 4 * SR^2))

  with ``gamma`` the Euler-Mascheroni constant, every Sharpe ratio per period (not annualised),
  ``T`` the number of returns and ``kurt`` the non-excess kurtosis (3 for normal returns).
"""

import numpy as np
from scipy import stats

from pyanalytics.errors import ParameterError
from pyanalytics.params import check_float, check_int

EULER_GAMMA = float(np.euler_gamma)


def sharpe_p_values(sharpe_t) -> np.ndarray:
    """One-sided p-values of H0 "Sharpe <= 0" from Sharpe t-statistics: ``norm.sf(t)``; NaN stays NaN.

    Args:
        sharpe_t: t-statistics of mean returns (``BacktestResult.sharpe_t``), any shape.
    """
    return stats.norm.sf(np.asarray(sharpe_t, dtype=np.float64))


def benjamini_hochberg(p_values, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Benjamini-Hochberg adjusted p-values and the discoveries at false discovery rate ``alpha``.

    NaN p-values (a strategy without a result) are left out of the correction: their adjusted
    value is NaN and they are never a discovery; the others are corrected among themselves.

    Args:
        p_values: 1-D p-values in [0, 1] (NaN allowed).
        alpha: the false discovery rate to control, in (0, 1).

    Returns:
        ``(adjusted, discoveries)``: adjusted p-values (NaN where the input was) and a boolean
        array, True where the adjusted p-value is at most ``alpha``.

    Raises:
        ParameterError: no p-values, a value outside [0, 1], or ``alpha`` outside (0, 1).
    """
    alpha = _check_open_unit("alpha", alpha)
    p = np.asarray(p_values, dtype=np.float64)
    if p.ndim != 1 or not len(p):
        raise ParameterError(f"p_values: expected a non-empty 1-D sequence of p-values, got shape {p.shape}.")
    known = ~np.isnan(p)
    if np.any((p[known] < 0) | (p[known] > 1)):
        bad = p[known][(p[known] < 0) | (p[known] > 1)][0]
        raise ParameterError(f"p_values: expected probabilities in [0, 1] (or NaN), got {bad!r}.")
    adjusted = np.full(len(p), np.nan)
    if known.any():
        adjusted[known] = stats.false_discovery_control(p[known], method="bh")
    return adjusted, np.where(known, adjusted <= alpha, False)


def expected_max_sharpe(sharpe_variance: float, n_trials: int) -> float:
    """Expected maximum Sharpe ratio ``SR0`` of ``n_trials`` skill-less trials (Bailey & Lopez de Prado).

    The trials' true Sharpe ratios are all zero and their estimates spread with variance
    ``sharpe_variance``; the expectation of the largest uses the extreme-value approximation of
    the module notes. A single trial involves no selection: ``SR0 = 0``.

    Args:
        sharpe_variance: variance of the trials' Sharpe ratios, per period (e.g. daily), >= 0.
        n_trials: number of independent trials, >= 1.

    Raises:
        ParameterError: a negative or non-finite variance, or fewer than one trial.
    """
    n_trials = check_int("n_trials", n_trials, minimum=1)
    sharpe_variance = check_float("sharpe_variance", sharpe_variance, low=0.0, high=np.inf)
    if n_trials == 1:
        return 0.0
    quantiles = stats.norm.ppf([1.0 - 1.0 / n_trials, 1.0 - 1.0 / (n_trials * np.e)])
    return float(np.sqrt(sharpe_variance) * ((1.0 - EULER_GAMMA) * quantiles[0] + EULER_GAMMA * quantiles[1]))


def deflated_sharpe_ratio(returns, sharpe_trials, n_trials: int | None = None, *, periods_per_year: int = 252) -> dict:
    """The deflated Sharpe ratio of a selected strategy's returns, given every trial's Sharpe ratio.

    Args:
        returns: the selected strategy's returns per period (e.g. daily net returns), finite.
        sharpe_trials: per-period Sharpe ratios of all the trials it was selected from (itself
            included); NaN entries (trials without a result) are ignored. Their variance sets
            ``V[SR]``.
        n_trials: the number of trials ``N`` (default: the finite ``sharpe_trials``); pass more
            when more were tried than are listed.
        periods_per_year: periods per year, only for the annualised figures.

    Returns:
        ``{"sharpe", "sharpe_annual", "expected_max_sharpe", "expected_max_sharpe_annual",
        "n_trials", "n_days", "skewness", "kurtosis", "dsr"}``: per-period Sharpe ratio of
        ``returns`` (mean / sample standard deviation), annualised, ``SR0`` and annualised, ``N``, ``T``, the returns' skewness and non-excess
        kurtosis, and the DSR, a probability in [0, 1] (above 0.95: the edge survives the search).

    Raises:
        ParameterError: fewer than 3 returns, a non-finite return, returns without variance,
            fewer than 2 finite trial Sharpe ratios when ``N > 1``, or ``n_trials`` < 1.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> out = deflated_sharpe_ratio(rng.normal(0.001, 0.01, 1000), rng.normal(0, 0.03, 50))
        >>> 0.0 <= out["dsr"] <= 1.0
        True
    """
    returns = np.asarray(returns, dtype=np.float64)
    if returns.ndim != 1 or len(returns) < 3 or not np.isfinite(returns).all():
        raise ParameterError(
            f"returns: expected at least 3 finite returns in a 1-D sequence, got shape {returns.shape}"
            f"{'' if np.isfinite(returns).all() else ' with NaN or infinite values'}; drop the missing days first."
        )
    spread = returns.std(ddof=1)
    if not spread > 0:
        raise ParameterError("returns: every return is the same, so the Sharpe ratio is undefined; pass a strategy that trades.")
    trials = np.asarray(sharpe_trials, dtype=np.float64).ravel()
    trials = trials[np.isfinite(trials)]
    n_trials = check_int("n_trials", len(trials) if n_trials is None else n_trials, minimum=1)
    if n_trials > 1 and len(trials) < 2:
        raise ParameterError(
            f"sharpe_trials: {n_trials} trials need at least 2 finite Sharpe ratios for their variance, "
            f"got {len(trials)}; pass every trial's per-period Sharpe ratio."
        )
    sharpe = float(returns.mean() / spread)
    annual = float(np.sqrt(check_int("periods_per_year", periods_per_year, minimum=1)))
    sr0 = expected_max_sharpe(float(trials.var(ddof=1)) if len(trials) > 1 else 0.0, n_trials)
    skewness = float(stats.skew(returns))
    kurtosis = float(stats.kurtosis(returns, fisher=False))
    n_days = len(returns)
    scale = np.sqrt(max(1.0 - skewness * sharpe + (kurtosis - 1.0) / 4.0 * sharpe**2, 0.0))
    z = (sharpe - sr0) * np.sqrt(n_days - 1) / scale if scale > 0 else np.sign(sharpe - sr0) * np.inf
    return {
        "sharpe": sharpe,
        "sharpe_annual": sharpe * annual,
        "expected_max_sharpe": sr0,
        "expected_max_sharpe_annual": sr0 * annual,
        "n_trials": n_trials,
        "n_days": n_days,
        "skewness": skewness,
        "kurtosis": kurtosis,
        "dsr": float(stats.norm.cdf(z)),
    }


def _check_open_unit(name: str, value) -> float:
    """A number strictly between 0 and 1."""
    value = check_float(name, value, low=0.0, high=1.0, low_open=True)
    if value >= 1.0:
        raise ParameterError(f"{name}: expected a number in (0, 1), got {value!r}.")
    return value
