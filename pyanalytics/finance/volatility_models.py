"""Forecasters of realised volatility over the next days: EWMA, HAR-RV, GARCH(1,1) and an LSTM.

Each follows one contract on a ``VolatilityData`` (``pyanalytics.finance.volatility_data``):
``fit(data, rows)`` learns from the dates at positions ``rows`` (their features and targets, or,
for GARCH, the returns up to the end of their targets) and returns ``self``;
``forecast(data, rows)`` returns the annualised variance forecast over each of ``data.horizons``
for the dates ``rows``, shape (len(rows), len(horizons)), from prices up to each date only. A
fitted forecaster forecasts any later date, labelled or not, of the same or a longer history.

- ``EWMAVolatility``: RiskMetrics, ``s_t = decay * s_(t-1) + (1 - decay) * r_t^2`` (decay 0.94),
  the same forecast for every horizon; nothing to fit.
- ``HARVolatility``: HAR-RV (Corsi 2009), one least-squares regression per horizon of the
  realised volatility on the daily, weekly and monthly realised volatility up to t.
- ``GARCHVolatility``: GARCH(1,1) with zero mean (the target is the mean squared return, not a
  variance around a mean), fitted by the ``arch`` package, then run through later returns with
  those parameters fixed; its forecast is the mean of the 1..k-day variance forecasts.
- ``LSTMVolatility``: a recurrent network (``pyanalytics.models.forecasting``) over windows of
  the features, trained on the log realised variance of every horizon at once; the forecast is
  its exponential. (Exp of a mean log is a geometric mean, below the mean; Duan's smearing
  correction, the mean exp(residual) of the training dates, was measured and left out: on Apple
  trained to 2008 it raised the 5-day QLIKE from 0.50 to 0.67, since later years were calmer.)
"""

import numpy as np
from scipy.signal import lfilter
from sklearn.base import BaseEstimator
from sklearn.linear_model import LinearRegression

from pyanalytics.data.sequences import windows_ending_at
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance.volatility_data import ANNUAL, MONTH, VolatilityData
from pyanalytics.models.validation import check_fitted
from pyanalytics.params import check_float, check_int

RISKMETRICS_DECAY = 0.94
PERCENT = 100.0  # GARCH is fitted on returns in percent, where arch's optimiser is well scaled


class VolatilityForecaster(BaseEstimator):
    """The shared contract: checks of the data and rows, and the NotFittedError before ``fit``."""

    def forecast(self, data: VolatilityData, rows) -> np.ndarray:
        """Annualised variance forecasts (len(rows), len(horizons)) for the dates at ``rows``.

        Raises:
            NotFittedError: called before ``fit``.
            ParameterError: ``data`` has other horizons than the data fitted on.
            DataError: a row before the first date with features (or a whole window of them).
        """
        check_fitted(self, "horizons_")
        if tuple(data.horizons) != self.horizons_:
            raise ParameterError(
                f"{type(self).__name__}.forecast: data with horizons {list(data.horizons)}, but it was fitted on "
                f"{list(self.horizons_)}; build the data with the same horizons."
            )
        return self._forecast(data, self._rows(data, rows, "forecast"))

    def _rows(self, data: VolatilityData, rows, where: str) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64).ravel()
        if len(rows) == 0:
            raise DataError(f"{type(self).__name__}.{where}: no dates given; pass the positions of one or more dates.")
        first = data.first_row + self._history()
        if rows.min() < first or rows.max() >= len(data.dates):
            bad = rows.min() if rows.min() < first else rows.max()
            raise DataError(
                f"{type(self).__name__}.{where}: row {bad} is outside the dates it can read (rows {first} to "
                f"{len(data.dates) - 1}, from {data.dates[first].date()}: the features need {data.first_row} "
                f"earlier dates{self._history_reason()}); pass later rows."
            )
        return rows

    def _history(self) -> int:
        """Further rows of features a forecast reads before its date (an LSTM's window)."""
        return 0

    def _history_reason(self) -> str:
        return ""



class EWMAVolatility(VolatilityForecaster):
    """RiskMetrics exponentially weighted variance, the same forecast at every horizon.

    The recursion starts at the first date with features from the mean squared return of the
    month of returns up to it (that date's included), so the forecast at t reads returns up to t only.

    Args:
        decay: weight of yesterday's variance (RiskMetrics' lambda, 0.94 for daily data).
    """

    def __init__(self, decay: float = RISKMETRICS_DECAY):
        self.decay = decay

    def fit(self, data: VolatilityData, rows) -> "EWMAVolatility":
        """Nothing to learn: records the horizons (the decay is fixed)."""
        check_float("decay", self.decay, low=0.0, high=1.0, low_open=True)
        self._rows(data, rows, "fit")
        self.horizons_ = tuple(data.horizons)
        return self

    def _forecast(self, data: VolatilityData, rows: np.ndarray) -> np.ndarray:
        variance = riskmetrics_variance(data.returns.to_numpy(), self.decay, data.first_row)
        return np.repeat(ANNUAL * variance[rows, None], len(self.horizons_), axis=1)


def riskmetrics_variance(returns: np.ndarray, decay: float, start: int) -> np.ndarray:
    """Daily EWMA variance after each date's return, from ``start`` on (NaN before).

    At ``start`` it is the mean squared return of the ``start`` returns up to it.

    Example:
        >>> r = np.array([np.nan, 0.01, -0.01, 0.02])
        >>> riskmetrics_variance(r, 0.5, 2)  # [.., mean(1e-4, 1e-4), 0.5 * 1e-4 + 0.5 * 4e-4]
        array([    nan,     nan, 0.0001 , 0.00025])
    """
    squared = returns**2
    out = np.full(len(returns), np.nan)
    initial = squared[1 : start + 1].mean()
    out[start] = initial
    out[start + 1 :] = lfilter([1.0 - decay], [1.0, -decay], squared[start + 1 :], zi=[decay * initial])[0]
    return out


class HARVolatility(VolatilityForecaster):
    """HAR-RV: least squares of the next k days' realised volatility on the daily, weekly (5) and
    monthly (22) realised volatility up to t, one regression per horizon.

    A forecast below the lowest realised volatility of the training dates is raised to it (a
    linear model can forecast below zero after a calm spell). The variance is its square.
    """

    def fit(self, data: VolatilityData, rows) -> "HARVolatility":
        """Fit one regression per horizon on the dates ``rows`` (their targets must be known).

        Raises:
            DataError: a date without a target (one of the last dates of the history).
        """
        rows = self._rows(data, rows, "fit")
        target = data.realised.to_numpy()[rows]
        unknown = np.isnan(target).any(axis=1)
        if unknown.any():
            date = data.dates[rows[unknown][0]].date()
            raise DataError(f"HARVolatility.fit: {date} has no realised volatility yet (its next days are not in "
                            "the prices); fit on earlier dates.")
        self.regression_ = LinearRegression().fit(har_regressors(data, rows), target)
        self.floor_ = target.min(axis=0)
        self.horizons_ = tuple(data.horizons)
        return self

    def _forecast(self, data: VolatilityData, rows: np.ndarray) -> np.ndarray:
        return np.maximum(self.regression_.predict(har_regressors(data, rows)), self.floor_) ** 2


def har_regressors(data: VolatilityData, rows) -> np.ndarray:
    """(len(rows), 3): the daily, weekly and monthly annualised realised volatility up to each date."""
    features = data.features.iloc[np.asarray(rows)]
    daily = np.sqrt(ANNUAL) * features["abs_return"].to_numpy()
    return np.column_stack([daily, features["rv_weekly"].to_numpy(), features["rv_monthly"].to_numpy()])


class GARCHVolatility(VolatilityForecaster):
    """GARCH(1,1) of daily returns (zero mean, normal errors), fitted with ``arch``.

    ``fit`` estimates omega, alpha and beta on the returns from the start of the history to the
    end of the last training date's target; ``forecast`` runs the variance recursion with those
    parameters fixed through the returns up to each forecast date (arch's ``fix``), and averages
    its 1..k-day forecasts for a k-day horizon.
    """

    def fit(self, data: VolatilityData, rows) -> "GARCHVolatility":
        """Estimate the parameters on the returns up to the end of the targets of ``rows``."""
        from arch import arch_model

        rows = self._rows(data, rows, "fit")
        end = min(int(rows.max()) + max(data.horizons), len(data.dates) - 1)
        returns = PERCENT * data.returns.to_numpy()[1 : end + 1]
        result = arch_model(returns, mean="Zero", vol="GARCH", p=1, q=1, rescale=False).fit(
            disp="off", show_warning=False
        )
        self.params_ = result.params.to_numpy()  # omega (in percent squared), alpha[1], beta[1]
        self.converged_ = result.convergence_flag == 0
        self.horizons_ = tuple(data.horizons)
        return self

    def _forecast(self, data: VolatilityData, rows: np.ndarray) -> np.ndarray:
        from arch import arch_model

        first, last = int(rows.min()), int(rows.max())
        returns = PERCENT * data.returns.to_numpy()[1 : last + 1]  # the return of row t is returns[t - 1]
        fixed = arch_model(returns, mean="Zero", vol="GARCH", p=1, q=1, rescale=False).fix(self.params_)
        daily = fixed.forecast(horizon=max(self.horizons_), start=first - 1, reindex=False).variance.to_numpy()
        mean_to = np.cumsum(daily[rows - first], axis=1) / np.arange(1, daily.shape[1] + 1)
        return mean_to[:, [k - 1 for k in self.horizons_]] * ANNUAL / PERCENT**2


class LSTMVolatility(VolatilityForecaster):
    """An LSTM over windows of the features, trained on the log realised variance of each horizon.

    Args:
        window: days per input window (the window of date t ends at t).
        units: size of each recurrent layer, in order.
        epochs: most training epochs; early stopping on the last ``validation_fraction`` of the
            training dates, after a purge gap of the longest horizon.
        patience: epochs without improvement before stopping.
        batch_size, learning_rate, dropout: the network's training settings.
        validation_fraction: share of the training dates held out for early stopping.
        seed: seed of the network's initial weights and shuffling.
    """

    def __init__(self, window: int = MONTH, units=(16,), epochs: int = 30, patience: int = 5,
                 batch_size: int = 64, learning_rate: float = 1e-3, dropout: float = 0.0,
                 validation_fraction: float = 0.15, seed: int | None = 0):
        self.window = window
        self.units = units
        self.epochs = epochs
        self.patience = patience
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.dropout = dropout
        self.validation_fraction = validation_fraction
        self.seed = seed

    def fit(self, data: VolatilityData, rows, on_epoch=None) -> "LSTMVolatility":
        """Train on the dates ``rows`` that have a whole window of features before them.

        Args:
            data, rows: see the module notes.
            on_epoch: progress callback ``on_epoch(epoch, max_epochs, logs)``.

        Raises:
            ParameterError: a setting out of range.
            DataError: no training date with a whole window, or one without a target.
        """
        from pyanalytics.models.forecasting import LSTMForecaster

        window = check_int("window", self.window, minimum=1)
        rows = np.asarray(rows, dtype=np.int64).ravel()
        rows = rows[rows >= data.first_row + window - 1]
        if len(rows) == 0:
            raise DataError(
                f"LSTMVolatility.fit: no training date has a whole window of {window} days of features before it; "
                "pass later or more dates, or a shorter window."
            )
        variance = data.realised_variance(rows)
        if np.isnan(variance).any():
            date = data.dates[rows[np.isnan(variance).any(axis=1)][0]].date()
            raise DataError(f"LSTMVolatility.fit: {date} has no realised volatility yet; fit on earlier dates.")
        X, y = windows_ending_at(data.features.to_numpy(), rows, window), np.log(variance)
        self.network_ = LSTMForecaster(
            units=self.units, epochs=self.epochs, patience=self.patience,
            batch_size=self.batch_size, learning_rate=self.learning_rate, dropout=self.dropout,
            validation_fraction=self.validation_fraction, validation_gap=max(data.horizons),
            seed=self.seed,
        ).fit(X, y, on_epoch=on_epoch)
        self.horizons_ = tuple(data.horizons)
        return self

    def _history(self) -> int:
        return self.window - 1

    def _history_reason(self) -> str:
        return f" and a window of {self.window} days"

    def _forecast(self, data: VolatilityData, rows: np.ndarray) -> np.ndarray:
        return np.exp(self.network_.predict(windows_ending_at(data.features.to_numpy(), rows, self.window)))


# Every forecaster by name; the first is the model judged, the others its baselines.
VOLATILITY_MODELS = {"lstm": LSTMVolatility, "har": HARVolatility, "ewma": EWMAVolatility, "garch": GARCHVolatility}
VOLATILITY_BASELINES = ("har", "ewma", "garch")
