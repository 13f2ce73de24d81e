"""The baselines an anomaly detector stands beside, in the detector contract (``anomaly_base``).

- ``IsolationForestBaseline``: scikit-learn's isolation forest, the usual unsupervised yardstick;
- ``PCABaseline``: the linear autoencoder, PCA's mean squared reconstruction error;
- ``SupervisedCeiling``: a class-weighted logistic regression that learns from the labels, so
  it is not a baseline to beat but the ceiling a detector that never saw a fraud label looks up
  to (``Task.ceilings`` keeps it out of the "best baseline").

The PCA and the ceiling save as JSON and score identically once restored; the forest's hundreds
of trees are not saved (``saveable`` is False and ``to_state`` says so).
"""

from functools import partial

import numpy as np
from scipy.special import expit
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from pyanalytics.errors import BundleError, ParameterError
from pyanalytics.models.anomaly_base import THRESHOLD_RULES, AnomalyDetector
from pyanalytics.models.baselines import StandardisedLinear
from pyanalytics.models.validation import check_features, check_fitted
from pyanalytics.params import check_choice, check_float, check_int, check_seed

DEFAULT_THRESHOLD_QUANTILE = 0.99  # flag about 1 % of normal training rows until a rule chooses


def _check_max_samples(name: str, value):
    """"auto", a fraction of the rows in (0, 1], or a count of rows (an integer >= 1)."""
    if isinstance(value, str):
        return check_choice(name, value, ("auto",))
    if isinstance(value, float) and value <= 1.0:
        return check_float(name, value, low=0.0, high=1.0, low_open=True)
    return check_int(name, value, minimum=1)


class IsolationForestBaseline(AnomalyDetector):
    """scikit-learn's IsolationForest; the anomaly score is the negative of its ``score_samples``.

    Not saved in bundles: ``saveable`` is False and ``to_state`` raises a BundleError.

    Args:
        n_estimators: trees in the forest.
        max_samples: rows drawn to grow each tree (an integer, a fraction, or "auto": 256).
        seed: random seed of the forest (None: not reproducible).
        threshold_quantile: quantile of the training scores that ``threshold_`` starts at.
    """

    _parameter_rules = {
        **THRESHOLD_RULES,
        "n_estimators": partial(check_int, minimum=1),
        "max_samples": _check_max_samples,
        "seed": check_seed,
    }
    saveable = False  # bundles leave it out: a forest has no JSON state

    def __init__(self, n_estimators=100, max_samples="auto", seed=0, threshold_quantile=DEFAULT_THRESHOLD_QUANTILE):
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.seed = seed
        self.threshold_quantile = threshold_quantile

    def _fit(self, X, y, validation, on_epoch) -> None:
        self.forest_ = IsolationForest(
            n_estimators=self._params["n_estimators"],
            max_samples=self._params["max_samples"],
            random_state=self._params["seed"],
        ).fit(X)

    def _score(self, X):
        return -self.forest_.score_samples(X)

    def _learned_state(self) -> dict:
        raise BundleError(
            "IsolationForestBaseline is not saved: its trees have no JSON state; refit it on the "
            "training rows to score again (a bundle keeps the metrics it reached)."
        )


class PCABaseline(AnomalyDetector):
    """Standardised features through PCA and back: the mean squared reconstruction error.

    The linear relative of an undercomplete autoencoder: rows unlike the normal training rows
    leave the principal subspace and reconstruct badly. Errors are in standardised units, as
    the autoencoders' are.

    Args:
        n_components: components kept; None keeps the fewest that explain ``variance``. At
            least one component is left out (all of them would reconstruct every row exactly),
            so with one feature the score is its squared z-score.
        variance: share of the training variance the kept components explain (when
            ``n_components`` is None).
        threshold_quantile: quantile of the training scores that ``threshold_`` starts at.

    Raises:
        ParameterError: at fit, ``n_components`` not below the features of ``X`` (or above its rows).
    """

    _parameter_rules = {
        **THRESHOLD_RULES,
        "n_components": lambda name, value: None if value is None else check_int(name, value, minimum=1),
        "variance": partial(check_float, low=0.0, high=1.0, low_open=True),
    }

    def __init__(self, n_components=None, variance=0.9, threshold_quantile=DEFAULT_THRESHOLD_QUANTILE):
        self.n_components = n_components
        self.variance = variance
        self.threshold_quantile = threshold_quantile

    def _fit(self, X, y, validation, on_epoch) -> None:
        scaler = StandardScaler().fit(X)
        pca = PCA(svd_solver="full").fit(scaler.transform(X))
        # every component would reconstruct every row exactly: at least one is always left out
        most = min(len(pca.components_), X.shape[1] - 1)
        kept = self._params["n_components"]
        if kept is None:
            explained = np.cumsum(pca.explained_variance_ratio_)
            kept = min(int(np.searchsorted(explained, self._params["variance"] - 1e-12)) + 1, most)
        elif kept > most:
            raise ParameterError(
                f"n_components: expected at most {most} (fewer than the {X.shape[1]} features, at most the "
                f"{len(X)} rows of X), got {kept}; lower it, or leave it None to keep the components "
                "explaining `variance`."
            )
        self.mean_, self.scale_ = scaler.mean_, scaler.scale_
        self.center_, self.components_ = pca.mean_, pca.components_[:kept]

    def feature_errors(self, X) -> np.ndarray:
        """Squared reconstruction error of each row and feature in standardised units, shape
        (n, n_features); its row mean is the anomaly score (as the autoencoders' ``feature_errors``)."""
        check_fitted(self, self._fitted_attribute)
        return self._feature_errors(check_features(self, X, where="feature_errors", fitted=True))

    def _score(self, X):
        return self._feature_errors(X).mean(axis=1)

    def _feature_errors(self, X: np.ndarray) -> np.ndarray:
        centred = (X - self.mean_) / self.scale_ - self.center_
        return (centred - (centred @ self.components_.T) @ self.components_) ** 2

    def _learned_state(self) -> dict:
        return {
            "mean": self.mean_.tolist(),
            "scale": self.scale_.tolist(),
            "center": self.center_.tolist(),
            "components": self.components_.tolist(),
        }

    def _restore_learned(self, learned: dict) -> None:
        self.mean_ = np.asarray(learned["mean"], dtype=np.float64)
        self.scale_ = np.asarray(learned["scale"], dtype=np.float64)
        self.center_ = np.asarray(learned["center"], dtype=np.float64)
        self.components_ = np.asarray(learned["components"], dtype=np.float64).reshape(-1, len(self.mean_))


class SupervisedCeiling(StandardisedLinear, AnomalyDetector):
    """A class-weighted logistic regression on standardised features: the anomaly score is P(anomaly).

    It learns from both classes (``fit`` needs ``y`` with anomalies and normal rows), so it saw
    what an unsupervised detector never sees: reports show it as the ceiling, not as a baseline.

    Args:
        C: inverse regularisation strength.
        threshold_quantile: quantile of the normal training rows' scores that ``threshold_``
            starts at.
    """

    _parameter_rules = {**THRESHOLD_RULES, "C": partial(check_float, low=0.0, high=1e12, low_open=True)}
    _supervised = True

    def __init__(self, C=1.0, threshold_quantile=DEFAULT_THRESHOLD_QUANTILE):
        self.C = C
        self.threshold_quantile = threshold_quantile

    def _fit(self, X, y, validation, on_epoch) -> None:
        scaler = StandardScaler().fit(X)
        model = LogisticRegression(C=self._params["C"], class_weight="balanced", max_iter=1000)
        model.fit(scaler.transform(X), y)
        self._set_linear(scaler, model.coef_.ravel(), model.intercept_[0])

    def _score(self, X):
        return expit(self._linear(X))


ANOMALY_BASELINES = {
    "isolation_forest": IsolationForestBaseline,
    "pca": PCABaseline,
    "supervised_ceiling": SupervisedCeiling,
}
