"""The estimator contract of forecasters: windows in, one forecast per horizon out.

``fit(X, y)`` takes windows ``X`` of shape (samples, timesteps, features) and targets ``y`` of
shape (samples, H): row i holds the target at steps 1..H after the last timestep of window i
(``pyanalytics.data.sequences.horizon_targets``); ``predict(X)`` returns (samples, H). ``score``
is R² averaged over the horizons (scikit-learn's RegressorMixin), and the fitted model
round-trips through JSON (``to_state`` / ``from_state``).
"""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin

from pyanalytics.errors import DataError
from pyanalytics.models.base import EstimatorState, WindowInputs
from pyanalytics.models.validation import check_features, check_fitted
from pyanalytics.params import validate_params


def check_horizon_targets(estimator, y, n_rows: int, *, where: str, horizon: int | None = None) -> np.ndarray:
    """Validate forecast targets: a finite (n_rows, H) array, H = ``horizon`` when given.

    Raises:
        DataError: ``y`` is not 2-D, has another number of rows or horizons, or holds NaN/inf.
    """
    owner = f"{type(estimator).__name__}.{where}"
    if y is None:
        raise DataError(f"{owner}: y is None; pass the targets, shape (samples, horizons).")
    try:
        values = np.asarray(y.to_numpy() if isinstance(y, pd.DataFrame | pd.Series) else y, dtype=np.float64)
    except (TypeError, ValueError):
        raise DataError(f"{owner}: y holds non-numeric values; a forecaster expects numbers.") from None
    if values.ndim != 2:
        raise DataError(
            f"{owner}: y must be 2-D (samples x horizons), got shape {values.shape}; "
            "use y.reshape(-1, 1) for one horizon, or build y with horizon_targets."
        )
    if values.shape[0] != n_rows:
        raise DataError(f"{owner}: y has {values.shape[0]} rows but X has {n_rows} windows; pass one row per window.")
    if horizon is not None and values.shape[1] != horizon:
        raise DataError(
            f"{owner}: y has {values.shape[1]} horizon column(s), expected {horizon} as in the training y."
        )
    bad = ~np.isfinite(values)
    if bad.any():
        row, column = np.argwhere(bad)[0]
        raise DataError(
            f"{owner}: y row {row + 1}, horizon {column + 1} is {values[row, column]}; expected a finite "
            "number. Drop the windows whose horizon runs past the data."
        )
    return values


class Forecaster(WindowInputs, EstimatorState, RegressorMixin, BaseEstimator):
    """Base of every forecaster: input checks, the (n, H) output and the JSON state.

    Subclasses implement ``_fit(X, y, validation, on_epoch)`` and ``_predict(X)`` on validated
    float arrays (``y``: (n, H)), may refuse windows in ``_check_windows(X)``, declare their
    parameter checks in ``_parameter_rules`` and describe what they learned through
    ``_learned_state`` / ``_restore_learned``. ``horizon_`` (H) marks a fitted model.
    """

    _parameter_rules: dict = {}
    _fitted_attribute = "horizon_"
    _naive = False

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = self._naive
        return tags

    def fit(self, X, y, *, validation_data=None, on_epoch=None):
        """Learn to forecast ``y`` (steps 1..H after each window) from windows ``X``.

        Args:
            X: windows, shape (samples, timesteps, features).
            y: targets, shape (samples, H).
            validation_data: optional ``(X_val, y_val)`` later in time, for models that stop
                early; others ignore it.
            on_epoch: optional callback ``on_epoch(epoch, max_epochs, logs)`` for progress.

        Returns:
            self

        Raises:
            DataError: ``X`` is not 3-D, ``y`` not (samples, H), or either holds NaN/inf.
            ParameterError: a parameter is out of range or does not fit the windows.
        """
        self._params = validate_params(self, self._parameter_rules)
        windows = check_features(self, X, where="fit", fitted=False)
        targets = check_horizon_targets(self, y, len(windows), where="fit")
        self._check_windows(windows)
        validation = None
        if validation_data is not None:
            X_val, y_val = validation_data
            val_windows = check_features(self, X_val, where="fit(validation_data)", fitted=True)
            validation = (
                val_windows,
                check_horizon_targets(self, y_val, len(val_windows), where="fit(validation_data)",
                                      horizon=targets.shape[1]),
            )
        self._fit(windows, targets, validation, on_epoch)
        self.horizon_ = int(targets.shape[1])
        return self

    def predict(self, X) -> np.ndarray:
        """The forecast at horizons 1..H after each window, shape (samples, H)."""
        check_fitted(self, self._fitted_attribute)
        return self._predict(check_features(self, X, where="predict", fitted=True))

    def _check_windows(self, X: np.ndarray) -> None:
        """Refuse windows the parameters cannot use (ParameterError naming the parameter)."""

    def _extra_state(self) -> dict:
        return {"horizon": self.horizon_}

    def _restore_extra(self, state: dict) -> None:
        self.horizon_ = int(state["horizon"])

    def _fit(self, X: np.ndarray, y: np.ndarray, validation, on_epoch):
        raise NotImplementedError

    def _predict(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError
