"""Naive baselines in the estimator contract: every reported metric stands beside them."""

from functools import partial

import numpy as np
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from pyanalytics.errors import DataError
from pyanalytics.models.base import DirectionClassifier
from pyanalytics.params import check_float


class MajorityClassBaseline(DirectionClassifier):
    """Always says the training set's more frequent direction, with its training frequency."""

    def _fit(self, X, y, validation, on_epoch) -> None:
        self.up_rate_ = float(np.mean(y))

    def _prob_up(self, X):
        return np.full(len(X), self.up_rate_)

    def _learned_state(self) -> dict:
        return {"up_rate": self.up_rate_}

    def _restore_learned(self, learned: dict) -> None:
        self.up_rate_ = learned["up_rate"]


class AlwaysUpBaseline(DirectionClassifier):
    """Always says up: the buy-and-hold view of direction."""

    def _fit(self, X, y, validation, on_epoch) -> None:
        pass

    def _prob_up(self, X):
        return np.ones(len(X))


class PreviousDirectionBaseline(DirectionClassifier):
    """Says the next move repeats the last one (up when the 1-day return feature is positive).

    Args:
        return_feature: name of the feature column holding the latest 1-day return.
    """

    def __init__(self, return_feature="ret_1"):
        self.return_feature = return_feature

    def _fit(self, X, y, validation, on_epoch) -> None:
        names = [] if self.feature_names_in_ is None else list(self.feature_names_in_)
        if self.return_feature not in names:
            raise DataError(
                f"PreviousDirectionBaseline.fit: X has no column {self.return_feature!r}; it needs "
                "the 1-day return feature (pass a DataFrame with that column)."
            )
        self.column_ = names.index(self.return_feature)

    def _prob_up(self, X):
        return (X[:, self.column_] > 0).astype(np.float64)

    def _learned_state(self) -> dict:
        return {"column": self.column_}

    def _restore_learned(self, learned: dict) -> None:
        self.column_ = learned["column"]


class LogisticRegressionBaseline(DirectionClassifier):
    """Standardised features into an L2-regularised logistic regression (scikit-learn).

    Args:
        C: inverse regularisation strength.
    """

    _parameter_rules = {"C": partial(check_float, low=0.0, high=1e12, low_open=True)}

    def __init__(self, C=1.0):
        self.C = C

    def _fit(self, X, y, validation, on_epoch) -> None:
        scaler = StandardScaler().fit(X)
        model = LogisticRegression(C=self._params["C"], max_iter=1000).fit(scaler.transform(X), y)
        self.mean_, self.scale_ = scaler.mean_, scaler.scale_
        self.coef_, self.intercept_ = model.coef_.ravel(), float(model.intercept_[0])

    def _prob_up(self, X):
        # scikit-learn's binary predict_proba is exactly this; computing it here lets a model
        # restored from JSON predict without rebuilding a LogisticRegression object.
        return expit(((X - self.mean_) / self.scale_) @ self.coef_ + self.intercept_)

    def _learned_state(self) -> dict:
        return {
            "mean": self.mean_.tolist(),
            "scale": self.scale_.tolist(),
            "coef": self.coef_.tolist(),
            "intercept": self.intercept_,
        }

    def _restore_learned(self, learned: dict) -> None:
        self.mean_ = np.asarray(learned["mean"])
        self.scale_ = np.asarray(learned["scale"])
        self.coef_ = np.asarray(learned["coef"])
        self.intercept_ = learned["intercept"]


BASELINES = {
    "majority_class": MajorityClassBaseline,
    "always_up": AlwaysUpBaseline,
    "previous_direction": PreviousDirectionBaseline,
    "logistic_regression": LogisticRegressionBaseline,
}
