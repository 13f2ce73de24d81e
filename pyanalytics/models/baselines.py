"""Naive baselines in the estimator contract: every reported metric stands beside them."""

from functools import partial

import numpy as np
from scipy.special import expit, softmax
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from pyanalytics.errors import DataError
from pyanalytics.models.base import DirectionClassifier
from pyanalytics.params import check_float


class MajorityClassBaseline(DirectionClassifier):
    """Always says the training set's most frequent class, with the training class frequencies.

    scikit-learn's ``DummyClassifier(strategy="prior")``, for two classes or more; for direction
    labels ``up_rate_`` is the training share of rises.
    """

    _multiclass = True
    _naive = True

    def _fit(self, X, y, validation, on_epoch) -> None:
        priors = np.bincount(y, minlength=len(self.classes_)) / len(y)
        self._set_priors(priors)

    def _set_priors(self, priors) -> None:
        self.class_prior_ = np.asarray(priors, dtype=np.float64)
        if len(self.class_prior_) == 2:
            self.up_rate_ = float(self.class_prior_[1])

    def _prob_up(self, X):
        return np.full(len(X), self.up_rate_)

    def _class_probabilities(self, X):
        return np.tile(self.class_prior_, (len(X), 1))

    def _learned_state(self) -> dict:
        if len(self.class_prior_) == 2:
            return {"up_rate": self.up_rate_}
        return {"class_prior": self.class_prior_.tolist()}

    def _restore_learned(self, learned: dict) -> None:
        if "up_rate" in learned:
            self._set_priors([1.0 - learned["up_rate"], learned["up_rate"]])
        else:
            self._set_priors(learned["class_prior"])


class AlwaysUpBaseline(DirectionClassifier):
    """Always says up: the buy-and-hold view of direction."""

    _naive = True

    def _fit(self, X, y, validation, on_epoch) -> None:
        pass

    def _prob_up(self, X):
        return np.ones(len(X))


class PreviousDirectionBaseline(DirectionClassifier):
    """Says the next move repeats the last one (up when the 1-day return feature is positive).

    Args:
        return_feature: name of the feature column holding the latest 1-day return.
    """

    _naive = True

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


class StandardisedLinear:
    """A linear model on standardised features whose learned values are stored as JSON.

    ``coef_`` is a vector (one output) or a (outputs, features) matrix, ``intercept_`` a number
    or a vector; ``_linear(X)`` is the model's decision function, so a model restored from JSON
    predicts without rebuilding a scikit-learn object. Its state joins that of the classes after
    it (a window model's timestep count).
    """

    def _set_linear(self, scaler, coef, intercept) -> None:
        self.mean_, self.scale_ = scaler.mean_, scaler.scale_
        self.coef_ = np.asarray(coef, dtype=np.float64)
        self.intercept_ = float(intercept) if np.ndim(intercept) == 0 else np.asarray(intercept, dtype=np.float64)

    def _linear(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.mean_) / self.scale_) @ self.coef_.T + self.intercept_

    def _learned_state(self) -> dict:
        return {
            **super()._learned_state(),
            "mean": self.mean_.tolist(),
            "scale": self.scale_.tolist(),
            "coef": self.coef_.tolist(),
            "intercept": self.intercept_ if isinstance(self.intercept_, float) else self.intercept_.tolist(),
        }

    def _restore_learned(self, learned: dict) -> None:
        super()._restore_learned(learned)
        self.mean_ = np.asarray(learned["mean"])
        self.scale_ = np.asarray(learned["scale"])
        self.coef_ = np.asarray(learned["coef"])
        intercept = learned["intercept"]
        self.intercept_ = np.asarray(intercept) if isinstance(intercept, list) else intercept


class LogisticRegressionBaseline(StandardisedLinear, DirectionClassifier):
    """Standardised features into an L2-regularised logistic regression (scikit-learn).

    Multinomial (softmax) for more than two classes.

    Args:
        C: inverse regularisation strength.
    """

    _parameter_rules = {"C": partial(check_float, low=0.0, high=1e12, low_open=True)}
    _multiclass = True

    def __init__(self, C=1.0):
        self.C = C

    def _fit(self, X, y, validation, on_epoch) -> None:
        scaler = StandardScaler().fit(X)
        model = LogisticRegression(C=self._params["C"], max_iter=1000).fit(scaler.transform(X), y)
        if len(self.classes_) == 2:
            self._set_linear(scaler, model.coef_.ravel(), model.intercept_[0])
        else:
            self._set_linear(scaler, model.coef_, model.intercept_)

    def _prob_up(self, X):
        # scikit-learn's binary predict_proba is exactly this
        return expit(self._linear(X))

    def _class_probabilities(self, X):
        # and its multinomial predict_proba is this
        return softmax(self._linear(X), axis=1)


BASELINES = {
    "majority_class": MajorityClassBaseline,
    "always_up": AlwaysUpBaseline,
    "previous_direction": PreviousDirectionBaseline,
    "logistic_regression": LogisticRegressionBaseline,
}
