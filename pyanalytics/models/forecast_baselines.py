"""The naive forecasts every forecaster stands beside: last value, seasonal naive, linear AR.

Each reads the target series as one feature of the windows (``target_index``) and forecasts
steps 1..H after each window's last timestep, in the forecaster contract (``forecast_base``).
"""

from functools import partial

import numpy as np
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler

from pyanalytics.errors import ParameterError
from pyanalytics.models.baselines import StandardisedLinear
from pyanalytics.models.forecast_base import Forecaster
from pyanalytics.params import check_float, check_int

TARGET_RULE = {"target_index": partial(check_int, minimum=0)}


class TargetSeries(Forecaster):
    """Base of the baselines: the target feature's values in each window, shape (n, timesteps)."""

    _parameter_rules = TARGET_RULE

    def _check_windows(self, X) -> None:
        if self._params["target_index"] >= X.shape[2]:
            raise ParameterError(
                f"target_index: expected a feature position below {X.shape[2]} (the windows' features), "
                f"got {self.target_index!r}; pass the target series' position."
            )

    def _series(self, X: np.ndarray) -> np.ndarray:
        return X[:, :, self._params["target_index"]]


class NaiveForecast(TargetSeries):
    """Every horizon gets the window's last value of the target: the random walk's best forecast.

    Args:
        target_index: position of the target series among the windows' features.

    Example:
        >>> X = np.arange(12.0).reshape(2, 6, 1)
        >>> NaiveForecast().fit(X, np.zeros((2, 3))).predict(X)
        array([[ 5.,  5.,  5.],
               [11., 11., 11.]])
    """

    _naive = True

    def __init__(self, target_index=0):
        self.target_index = target_index

    def _fit(self, X, y, validation, on_epoch) -> None:
        pass

    def _predict(self, X):
        return np.repeat(self._series(X)[:, -1:], self.horizon_, axis=1)


class SeasonalNaive(TargetSeries):
    """Horizon h gets the value one season before it: ``y[t + h - period * ceil(h / period)]``.

    Args:
        period: the season's length in timesteps (at most the window's length).
        target_index: position of the target series among the windows' features.

    Raises:
        ParameterError: ``period`` is longer than the windows.

    Example:
        >>> X = np.arange(8.0).reshape(1, 8, 1)
        >>> SeasonalNaive(period=4).fit(X, np.zeros((1, 5))).predict(X)
        array([[4., 5., 6., 7., 4.]])
    """

    _naive = True
    _parameter_rules = {**TARGET_RULE, "period": partial(check_int, minimum=1)}

    def __init__(self, period, target_index=0):
        self.period = period
        self.target_index = target_index

    def _check_windows(self, X) -> None:
        super()._check_windows(X)
        if self._params["period"] > X.shape[1]:
            raise ParameterError(
                f"period: expected at most the window length {X.shape[1]}, got {self.period!r}; "
                "use windows at least one season long."
            )

    def _fit(self, X, y, validation, on_epoch) -> None:
        pass

    def _predict(self, X):
        period = self._params["period"]
        steps = np.arange(1, self.horizon_ + 1)
        positions = X.shape[1] - 1 + steps - period * np.ceil(steps / period).astype(np.int64)
        return self._series(X)[:, positions]


class LinearAR(StandardisedLinear, TargetSeries):
    """A linear autoregression on the window: ridge regression of the H future values on the
    window's standardised target lags (one intercept and coefficient row per horizon).

    Args:
        target_index: position of the target series among the windows' features.
        alpha: ridge regularisation strength (0 is ordinary least squares).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> X, y = rng.normal(size=(100, 6, 2)), rng.normal(size=(100, 3))
        >>> LinearAR().fit(X, y).coef_.shape  # horizons x lags
        (3, 6)
    """

    _parameter_rules = {**TARGET_RULE, "alpha": partial(check_float, low=0.0, high=1e12)}

    def __init__(self, target_index=0, alpha=1.0):
        self.target_index = target_index
        self.alpha = alpha

    def _fit(self, X, y, validation, on_epoch) -> None:
        lags = self._series(X)
        scaler = StandardScaler().fit(lags)
        model = Ridge(alpha=self._params["alpha"]).fit(scaler.transform(lags), y)
        self._set_linear(scaler, model.coef_, model.intercept_)

    def _predict(self, X):
        return self._linear(self._series(X))


FORECAST_BASELINES = {"naive": NaiveForecast, "seasonal_naive": SeasonalNaive, "linear_ar": LinearAR}
