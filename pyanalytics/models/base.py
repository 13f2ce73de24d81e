"""The estimator contract every direction model follows (scikit-learn style).

``__init__`` only stores its arguments; ``fit(X, y)`` learns and returns ``self``; learned
attributes end in ``_``; ``predict_proba`` returns ``(n, 2)`` probabilities of [down, up];
``predict`` applies the learned ``threshold_``.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from pyanalytics.errors import ParameterError
from pyanalytics.models.validation import check_features, check_fitted, check_labels
from pyanalytics.params import validate_params


class DirectionClassifier(ClassifierMixin, BaseEstimator):
    """Base of every direction model: input checks, thresholding and the (n, 2) output.

    Subclasses implement ``_fit(X, y, validation, on_epoch)`` (returning the validation pair it
    used, if any) and ``_prob_up(X)`` on validated float arrays, declare their parameter checks in ``_parameter_rules`` (name -> check), and
    describe their learned values as JSON through ``_learned_state`` / ``_restore_learned``.
    """

    _parameter_rules: dict = {}
    _input_ndim = 2  # rows x features; sequence models take samples x timesteps x features

    def fit(self, X, y, *, validation_data=None, on_epoch=None):
        """Learn from features ``X`` and binary labels ``y`` (1 = the price went up).

        Args:
            X: features, a DataFrame (column names are remembered) or a 2-D array.
            y: labels 0/1, one per row of ``X``.
            validation_data: optional ``(X_val, y_val)`` later in time than ``X``, used by models
                that stop early; others ignore it.
            on_epoch: optional callback ``on_epoch(epoch, max_epochs, logs)`` for progress.

        Returns:
            self
        """
        self._params = validate_params(self, self._parameter_rules)
        features = check_features(self, X, where="fit", fitted=False)
        labels = check_labels(self, y, features.shape[0], where="fit")
        validation = None
        if validation_data is not None:
            X_val, y_val = validation_data
            val_features = check_features(self, X_val, where="fit(validation_data)", fitted=True)
            validation = (val_features, check_labels(self, y_val, len(val_features), where="fit"))
        self.classes_ = np.array([0, 1])
        used_validation = self._fit(features, labels, validation, on_epoch)
        self.threshold_ = self._decision_threshold(used_validation)
        return self

    def _decision_threshold(self, validation) -> float:
        """The ``threshold`` parameter, or with ``tune_threshold`` the validation part's cheapest.

        Tuning minimises the expected cost per decision with a false positive costing
        ``cost_fp`` (default 1) times a false negative: the course's "Solution 1".
        """
        if not self._params.get("tune_threshold"):
            return float(getattr(self, "threshold", 0.5))
        if validation is None:
            raise ParameterError(
                f"tune_threshold: {type(self).__name__} needs validation rows to tune on; pass "
                "validation_data or a validation_fraction above 0."
            )
        from pyanalytics.evaluation.costs import tune_threshold

        X_val, y_val = validation
        return tune_threshold(y_val, self._prob_up(X_val), self._params.get("cost_fp") or 1.0)

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities of [down-or-flat, up] for each row, shape (n, 2)."""
        check_fitted(self)
        p_up = np.clip(self._prob_up(check_features(self, X, where="predict_proba", fitted=True)), 0, 1)
        return np.column_stack([1.0 - p_up, p_up])

    def predict(self, X) -> np.ndarray:
        """Predicted direction (1 = up) using the learned decision threshold ``threshold_``."""
        return (self.predict_proba(X)[:, 1] >= self.threshold_).astype(np.int64)

    def to_state(self) -> dict:
        """Everything needed to rebuild the fitted model, as JSON-safe values.

        Keras models keep their network outside this dict (it is saved as ``model.keras``).
        """
        check_fitted(self)
        names = self.feature_names_in_
        return {
            "params": {k: list(v) if isinstance(v, tuple) else v for k, v in self.get_params().items()},
            "feature_names": None if names is None else [str(n) for n in names],
            "n_features": int(self.n_features_in_),
            "threshold": self.threshold_,
            "learned": self._learned_state(),
        }

    @classmethod
    def from_state(cls, state: dict, **parts):
        """Rebuild a fitted model from ``to_state()`` output (plus e.g. ``network=`` for Keras)."""
        model = cls(**state["params"])
        model._params = validate_params(model, cls._parameter_rules)
        names = state["feature_names"]
        model.feature_names_in_ = None if names is None else np.array(names, dtype=object)
        model.n_features_in_ = state["n_features"]
        model.classes_ = np.array([0, 1])
        model._restore_learned(state["learned"], **parts)
        model.threshold_ = float(state["threshold"])
        return model

    def _learned_state(self) -> dict:
        return {}

    def _restore_learned(self, learned: dict) -> None:
        pass

    def _fit(self, X: np.ndarray, y: np.ndarray, validation, on_epoch):
        """Learn from validated arrays; return the validation pair used (or None)."""
        raise NotImplementedError

    def _prob_up(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError
