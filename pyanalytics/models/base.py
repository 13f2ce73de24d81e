"""The estimator contract every classifier follows (scikit-learn style).

``__init__`` only stores its arguments; ``fit(X, y)`` learns and returns ``self``; learned
attributes end in ``_``; ``classes_`` holds the sorted labels seen in fit; ``predict_proba``
returns ``(n, k)`` probabilities in that order (for direction labels: [down, up]); a binary
``predict`` applies the learned ``threshold_`` to the probability of ``classes_[1]``.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from pyanalytics.errors import ParameterError
from pyanalytics.models.validation import check_features, check_fitted, encode_known_labels, encode_labels
from pyanalytics.params import validate_params


def _json_value(value):
    return value.item() if isinstance(value, np.generic) else value


class EstimatorState:
    """JSON state shared by every estimator: parameters, feature names and learned values.

    Subclasses add their own fitted attributes through ``_extra_state`` / ``_restore_extra`` and
    describe what they learned through ``_learned_state`` / ``_restore_learned``.
    """

    _fitted_attribute = "n_features_in_"

    def to_state(self) -> dict:
        """Everything needed to rebuild the fitted model, as JSON-safe values.

        Keras models keep their network outside this dict (it is saved as ``model.keras``).
        """
        check_fitted(self, self._fitted_attribute)
        names = self.feature_names_in_
        return {
            "params": {k: list(v) if isinstance(v, tuple) else v for k, v in self.get_params().items()},
            "feature_names": None if names is None else [str(n) for n in names],
            "n_features": int(self.n_features_in_),
            **self._extra_state(),
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
        model._restore_extra(state)
        model._restore_learned(state["learned"], **parts)
        return model

    def _extra_state(self) -> dict:
        return {}

    def _restore_extra(self, state: dict) -> None:
        pass

    def _learned_state(self) -> dict:
        return {}

    def _restore_learned(self, learned: dict) -> None:
        pass


class WindowInputs:
    """Mixin of estimators over (samples, timesteps, features) windows.

    ``check_features`` records ``n_timesteps_in_`` at fit; it is saved with what the model
    learned (``learned["n_timesteps"]``), so a restored model refuses windows of another length.
    List it before the class that defines the state of what else is learned.
    """

    _input_ndim = 3

    def _learned_state(self) -> dict:
        return {**super()._learned_state(), "n_timesteps": self.n_timesteps_in_}

    def _restore_learned(self, learned: dict, **parts) -> None:
        super()._restore_learned(learned, **parts)
        self.n_timesteps_in_ = learned["n_timesteps"]


class DirectionClassifier(EstimatorState, ClassifierMixin, BaseEstimator):
    """Base of every classifier: input checks, label encoding, thresholding and the (n, k) output.

    Subclasses implement ``_fit(X, y, validation, on_epoch)`` (returning the validation pair it
    used, if any) on validated float arrays and labels encoded as indices into ``classes_``,
    ``_prob_up(X)`` (the probability of ``classes_[1]``) and, when ``_multiclass``,
    ``_class_probabilities(X)`` for more than two classes; they declare their parameter checks in
    ``_parameter_rules`` (name -> check), and describe their learned values as JSON through
    ``_learned_state`` / ``_restore_learned``.
    """

    _parameter_rules: dict = {}
    _input_ndim = 2  # rows x features; sequence models take samples x timesteps x features
    _multiclass = False  # direction-only models (sequence networks, finance baselines) take two classes
    _fitted_attribute = "threshold_"
    _naive = False  # a naive baseline scores poorly by design (scikit-learn's poor_score tag)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = self._multiclass
        tags.classifier_tags.poor_score = self._naive
        return tags

    def fit(self, X, y, *, validation_data=None, on_epoch=None):
        """Learn from features ``X`` and class labels ``y`` (direction: 1 = the price went up).

        Args:
            X: features, a DataFrame (column names are remembered) or a 2-D array.
            y: one class label per row of ``X``: numbers, strings or booleans; two classes, or
                more for multi-class models.
            validation_data: optional ``(X_val, y_val)`` later in time than ``X``, used by models
                that stop early; others ignore it.
            on_epoch: optional callback ``on_epoch(epoch, max_epochs, logs)`` for progress.

        Returns:
            self
        """
        self._params = validate_params(self, self._parameter_rules)
        features = check_features(self, X, where="fit", fitted=False)
        classes, labels = encode_labels(self, y, features.shape[0], where="fit", multiclass=self._multiclass)
        validation = None
        if validation_data is not None:
            X_val, y_val = validation_data
            val_features = check_features(self, X_val, where="fit(validation_data)", fitted=True)
            validation = (val_features, encode_known_labels(self, y_val, len(val_features), classes, where="fit"))
        self.classes_ = classes
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
        """Probabilities of each class in ``classes_`` order for each row, shape (n, k).

        For direction labels that is [down-or-flat, up].
        """
        check_fitted(self)
        features = check_features(self, X, where="predict_proba", fitted=True)
        if len(self.classes_) > 2:
            return self._class_probabilities(features)
        p_up = np.clip(self._prob_up(features), 0, 1)
        return np.column_stack([1.0 - p_up, p_up])

    def predict(self, X) -> np.ndarray:
        """Predicted class: binary at the learned ``threshold_`` on ``classes_[1]``, else the likeliest."""
        return self.classes_from_proba(self.predict_proba(X))

    def classes_from_proba(self, probabilities: np.ndarray) -> np.ndarray:
        """The classes ``predict`` gives for these rows of ``predict_proba``, without a second pass
        through the model."""
        if len(self.classes_) > 2:
            return self.classes_[np.argmax(probabilities, axis=1)]
        return self.classes_[(probabilities[:, 1] >= self.threshold_).astype(np.int64)]

    def _extra_state(self) -> dict:
        return {"threshold": self.threshold_, "classes": [_json_value(c) for c in self.classes_]}

    def _restore_extra(self, state: dict) -> None:
        # bundles saved before classes were stored hold direction models: classes 0 and 1
        self.classes_ = np.array(state.get("classes", [0, 1]))
        self.threshold_ = float(state["threshold"])

    def _fit(self, X: np.ndarray, y: np.ndarray, validation, on_epoch):
        """Learn from validated arrays; return the validation pair used (or None)."""
        raise NotImplementedError

    def _prob_up(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _class_probabilities(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError
