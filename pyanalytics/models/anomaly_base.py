"""The contract every anomaly detector follows: scikit-learn's outlier detectors, plus a score.

``fit(X, y=None)`` learns what normal rows look like; ``y`` (1 = a known anomaly, 0 = normal)
is used only to leave the known anomalies out of the rows learned (a supervised detector, the
ceiling baseline, learns from both). ``anomaly_score(X)`` is the score: higher is more unusual
(an autoencoder's mean squared reconstruction error). As in scikit-learn, ``score_samples`` is its
negative (lower is more abnormal), ``decision_function`` is negative for outliers and ``predict``
says -1 for an outlier and 1 for an inlier; ``flag`` says 1 for an alert and 0 otherwise, the
form bundles, the command line and R report. A row is flagged when its score reaches
``threshold_``: after ``fit`` the ``threshold_quantile`` of the training rows' scores, and after
``set_threshold`` whatever an analyst chose (``pyanalytics.evaluation.thresholds``).
"""

from functools import partial

import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin

from pyanalytics.data.columns import row_label
from pyanalytics.errors import DataError
from pyanalytics.models.base import EstimatorState
from pyanalytics.models.validation import check_features, check_fitted
from pyanalytics.params import check_float, validate_params

THRESHOLD_RULES = {"threshold_quantile": partial(check_float, low=0.0, high=1.0)}


def anomaly_labels(y, n_rows: int, owner: str, index=None) -> np.ndarray:
    """``y`` as 0/1 integers, one per row; a DataError names the first row holding anything else
    (by its label in ``index`` when given, else its position)."""
    values = np.asarray(y).reshape(-1)
    if len(values) != n_rows:
        raise DataError(f"{owner}: y has {len(values)} labels but X has {n_rows} rows.")
    if values.dtype.kind in "biuf":
        bad = np.flatnonzero(~np.isin(values, (0, 1)))
    else:
        bad = [i for i, v in enumerate(values.tolist()) if isinstance(v, (str, bytes)) or v not in (0, 1)]
    if len(bad):
        row = bad[0] if index is None else row_label(index, int(bad[0]))
        raise DataError(f"{owner}: y holds {values.tolist()[bad[0]]!r} at row {row}; expected 1 (anomaly) or 0 (normal).")
    return values.astype(np.int64)


class AnomalyDetector(EstimatorState, OutlierMixin, BaseEstimator):
    """Base of every anomaly detector: input checks, labels, the threshold and the four outputs.

    Subclasses implement ``_fit(X, y, validation, on_epoch)`` on validated float arrays (``X``
    the normal rows unless ``_supervised``, then every row and ``y`` their 0/1 labels;
    ``validation`` None or ``(rows, labels)``, labels None when unknown) and ``_score(X)``, the
    anomaly score of validated rows; they declare their parameter checks in ``_parameter_rules`` and their learned
    values through ``_learned_state`` / ``_restore_learned``.
    """

    _parameter_rules: dict = THRESHOLD_RULES
    _fitted_attribute = "threshold_"
    _supervised = False  # learns from both classes (needs y): the supervised ceiling
    saveable = True  # False: no JSON state, to_state raises a BundleError and bundles leave it out

    def fit(self, X, y=None, *, validation_data=None, on_epoch=None):
        """Learn normal rows from ``X``; ``y`` (0/1) leaves its anomalies out of what is learned.

        Args:
            X: features, a DataFrame (column names are remembered) or a 2-D array.
            y: optional labels, 1 = a known anomaly, 0 = normal.
            validation_data: optional ``X_val`` or ``(X_val, y_val)``: models that stop early
                watch their loss on its normal rows (or, given labels, their PR AUC on all of them).
            on_epoch: optional callback ``on_epoch(epoch, max_epochs, logs)`` for progress.

        Returns:
            self

        Raises:
            DataError: non-numeric, NaN or infinite features, labels other than 0/1, or no
                normal row to learn from.
        """
        self._params = validate_params(self, self._parameter_rules)
        owner = f"{type(self).__name__}.fit"
        features = check_features(self, X, where="fit", fitted=False)
        labels = None if y is None else anomaly_labels(y, len(features), owner, getattr(y, "index", None))
        if self._supervised and (labels is None or len(np.unique(labels)) < 2):
            raise DataError(f"{owner}: y must hold both anomalies (1) and normal rows (0) for a supervised detector.")
        normal = features if labels is None else features[labels == 0]
        if not len(normal):
            raise DataError(f"{owner}: y marks every row as an anomaly; no normal row is left to learn from.")
        validation = self._validation(validation_data)
        if self._supervised:
            self._fit(features, labels, validation, on_epoch)
        else:
            self._fit(normal, None, validation, on_epoch)
        # "higher": a training score, as thresholds.for_quantile takes it, so both agree
        self.threshold_ = float(np.quantile(self._score(normal), self._params["threshold_quantile"], method="higher"))
        return self

    def _validation(self, validation_data) -> tuple[np.ndarray, np.ndarray | None] | None:
        """The validation rows and their 0/1 labels (None when not given)."""
        if validation_data is None:
            return None
        X_val, y_val = validation_data if isinstance(validation_data, tuple) else (validation_data, None)
        rows = check_features(self, X_val, where="fit(validation_data)", fitted=True)
        if y_val is None:
            return rows, None
        owner = f"{type(self).__name__}.fit(validation_data)"
        return rows, anomaly_labels(y_val, len(rows), owner, getattr(y_val, "index", None))

    def anomaly_score(self, X) -> np.ndarray:
        """How unusual each row is, shape (n,): higher is more unusual."""
        check_fitted(self, self._fitted_attribute)
        return self._score(check_features(self, X, where="anomaly_score", fitted=True))

    def score_samples(self, X) -> np.ndarray:
        """scikit-learn's sense of the score: the negative ``anomaly_score`` (lower is more abnormal)."""
        return -self.anomaly_score(X)

    @property
    def offset_(self) -> float:
        """scikit-learn's offset: ``decision_function = score_samples - offset_``.

        It sits one float below the threshold's negative, so a row scoring exactly ``threshold_``
        (flagged) gets a negative decision, as scikit-learn's outliers do."""
        return -float(np.nextafter(self.threshold_, -np.inf))

    def decision_function(self, X) -> np.ndarray:
        """Negative for the rows flagged, zero or positive for the others (scikit-learn's sense)."""
        return self.score_samples(X) - self.offset_

    def predict(self, X) -> np.ndarray:
        """-1 for a flagged row (an outlier), 1 for the others, as scikit-learn's outlier detectors."""
        return np.where(self.flag(X) == 1, -1, 1)

    def flag(self, X) -> np.ndarray:
        """1 for a row whose score reaches ``threshold_`` (an alert), 0 for the others."""
        return self.flags_from_scores(self.anomaly_score(X))

    def flags_from_scores(self, scores: np.ndarray) -> np.ndarray:
        """The flags ``flag`` gives for these anomaly scores, without a second pass through the model."""
        return (np.asarray(scores) >= self.threshold_).astype(np.int64)

    def set_threshold(self, threshold: float):
        """Flag from now on at ``threshold`` (e.g. a ``ThresholdChoice.threshold``); return self."""
        check_fitted(self, self._fitted_attribute)
        self.threshold_ = float(threshold)
        return self

    def _extra_state(self) -> dict:
        return {"threshold": self.threshold_}

    def _restore_extra(self, state: dict) -> None:
        # JSON has no infinity: a threshold that flags nothing is saved as null
        self.threshold_ = np.inf if state["threshold"] is None else float(state["threshold"])

    def _fit(self, X: np.ndarray, y: np.ndarray | None, validation: tuple | None, on_epoch) -> None:
        raise NotImplementedError

    def _score(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError
