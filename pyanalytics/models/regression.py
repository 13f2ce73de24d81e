"""Regressors in the estimator contract, and the naive baselines every regression stands beside.

``predict`` returns shape (n,), ``score`` is R² (scikit-learn's RegressorMixin), and the fitted
model round-trips through JSON (``to_state`` / ``from_state``), as the classifiers do.
"""

from functools import partial

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler

from pyanalytics.models.base import EstimatorState
from pyanalytics.models.baselines import StandardisedLinear
from pyanalytics.models.validation import check_features, check_fitted, check_targets
from pyanalytics.params import check_float, validate_params


class TabularRegressor(EstimatorState, RegressorMixin, BaseEstimator):
    """Base of every regressor: input checks, the (n,) output and the JSON state.

    Subclasses implement ``_fit(X, y, validation, on_epoch)`` and ``_predict(X)`` on validated
    float arrays, declare their parameter checks in ``_parameter_rules`` and describe what they
    learned through ``_learned_state`` / ``_restore_learned``. ``target_mean_`` (the training
    mean of ``y``) marks a fitted model.
    """

    _parameter_rules: dict = {}
    _fitted_attribute = "target_mean_"
    _input_ndim = 2  # rows x features
    _naive = False  # a naive baseline scores poorly by design (scikit-learn's poor_score tag)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = self._naive
        return tags

    def fit(self, X, y, *, validation_data=None, on_epoch=None):
        """Learn from features ``X`` and a numeric target ``y``.

        Args:
            X: features, a DataFrame (column names are remembered) or a 2-D array.
            y: one number per row of ``X``.
            validation_data: optional ``(X_val, y_val)`` for models that stop early; others
                ignore it.
            on_epoch: optional callback ``on_epoch(epoch, max_epochs, logs)`` for progress.

        Returns:
            self
        """
        self._params = validate_params(self, self._parameter_rules)
        features = check_features(self, X, where="fit", fitted=False)
        target = check_targets(self, y, features.shape[0], where="fit")
        validation = None
        if validation_data is not None:
            X_val, y_val = validation_data
            val_features = check_features(self, X_val, where="fit(validation_data)", fitted=True)
            validation = (val_features, check_targets(self, y_val, len(val_features), where="fit(validation_data)"))
        self._fit(features, target, validation, on_epoch)
        self.target_mean_ = float(target.mean())
        return self

    def predict(self, X) -> np.ndarray:
        """The predicted value for each row, shape (n,)."""
        check_fitted(self, self._fitted_attribute)
        return self._predict(check_features(self, X, where="predict", fitted=True))

    def _extra_state(self) -> dict:
        return {"target_mean": self.target_mean_}

    def _restore_extra(self, state: dict) -> None:
        self.target_mean_ = float(state["target_mean"])

    def _fit(self, X: np.ndarray, y: np.ndarray, validation, on_epoch):
        raise NotImplementedError

    def _predict(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class MeanBaseline(TabularRegressor):
    """Always predicts the training mean (scikit-learn's ``DummyRegressor(strategy="mean")``)."""

    _naive = True

    def _fit(self, X, y, validation, on_epoch) -> None:
        pass

    def _predict(self, X):
        return np.full(len(X), self.target_mean_)


class RidgeBaseline(StandardisedLinear, TabularRegressor):
    """Standardised features into an L2-regularised linear regression (scikit-learn's Ridge).

    Args:
        alpha: regularisation strength (0 is ordinary least squares).
    """

    _parameter_rules = {"alpha": partial(check_float, low=0.0, high=1e12)}

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def _fit(self, X, y, validation, on_epoch) -> None:
        scaler = StandardScaler().fit(X)
        model = Ridge(alpha=self._params["alpha"]).fit(scaler.transform(X), y)
        self._set_linear(scaler, model.coef_, model.intercept_)

    def _predict(self, X):
        return self._linear(X)


REGRESSION_BASELINES = {"mean": MeanBaseline, "ridge": RidgeBaseline}
