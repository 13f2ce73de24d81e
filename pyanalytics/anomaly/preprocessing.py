"""The ``anomaly`` domain's preprocessing: which columns a detector reads, checked cell by cell.

Detectors take numbers only: every feature column must be numeric, finite and, on the rows the
detector learns from, not constant (a constant column carries nothing to reconstruct and scales
to 0/0). Scaling is the detector's own (fitted on its normal training rows). A bundle saves this in
``preprocessing.json`` and rebuilds it through ``pyanalytics.domains``.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pyanalytics.bundle import schema
from pyanalytics.data.numeric import numeric_matrix, require_columns
from pyanalytics.errors import DataError
from pyanalytics.models.anomaly_base import anomaly_labels


@dataclass(frozen=True)
class AnomalyPreprocessing:
    """The columns of an anomaly detector: its features and, where the data has them, the label,
    time and amount columns.

    Attributes:
        feature_names: the numeric columns the detector reads, in order.
        label: the 0/1 column (1 = anomaly), or None for unlabelled data.
        time_column: the column that ordered the split (not a feature), or None.
        amount_column: the feature whose value a missed anomaly costs (for cost thresholds), or None.
    """

    DOMAIN = "anomaly"
    FIELDS = {
        "features": schema.array(schema.text),
        "label": schema.nullable(schema.text),
        "time_column": schema.nullable(schema.text),
        "amount_column": schema.nullable(schema.text),
    }

    feature_names: tuple[str, ...]
    label: str | None = None
    time_column: str | None = None
    amount_column: str | None = None

    @classmethod
    def for_frame(cls, frame: pd.DataFrame, *, label=None, time_column=None, amount_column=None,
                  features=None) -> "AnomalyPreprocessing":
        """The preprocessing of ``frame``: ``features`` (default: every column but the label and the
        time column), each checked to be numeric.

        Raises:
            DataError: a named column is missing, or a feature column holds text (row named).
        """
        for role, name in (("label", label), ("time_column", time_column), ("amount_column", amount_column)):
            if name is not None:
                require_columns(frame, [name], role)
        if features is None:
            features = [c for c in frame.columns if c not in (label, time_column)]
        else:
            require_columns(frame, list(features), "features")
            for role, name in (("label", label), ("time_column", time_column)):
                if name is not None and name in features:
                    raise DataError(f"features: {name!r} is the {role}, so it cannot also be a feature; "
                                    "leave it out of the features.")
        if not features:
            raise DataError("features: no feature column is left once the label and time columns are set aside.")
        if amount_column is not None and amount_column not in features:
            raise DataError(f"amount_column {amount_column!r}: must be one of the features (its value is read to cost a miss).")
        preprocessing = cls(tuple(str(c) for c in features), label, time_column, amount_column)
        preprocessing.features(frame)
        return preprocessing

    @classmethod
    def from_document(cls, document: dict) -> "AnomalyPreprocessing":
        """The preprocessing saved in a checked ``preprocessing.json``."""
        if not document["features"] or len(set(document["features"])) < len(document["features"]):
            raise schema.FieldError("features", "one or more distinct column names", document["features"])
        return cls(tuple(document["features"]), document["label"], document["time_column"], document["amount_column"])

    def to_document(self) -> dict:
        """The keys saved in ``preprocessing.json``."""
        return {"features": list(self.feature_names), "label": self.label, "time_column": self.time_column,
                "amount_column": self.amount_column}

    @property
    def required_columns(self) -> tuple[str, ...]:
        return self.feature_names

    def features(self, frame: pd.DataFrame) -> np.ndarray:
        """The feature columns of ``frame`` as a float64 array.

        Raises:
            DataError: a feature column is missing, or holds text, a missing value or an infinity
                (the column and row named).
        """
        return numeric_matrix(frame, list(self.feature_names), reader="detectors")

    def labels(self, frame: pd.DataFrame) -> np.ndarray | None:
        """The 0/1 label column of ``frame`` (None without a label column).

        Raises:
            DataError: the label column is missing or holds anything but 0 and 1 (row named).
        """
        if self.label is None:
            return None
        require_columns(frame, [self.label], "label")
        values = frame[self.label]
        if not pd.api.types.is_numeric_dtype(values):  # an R factor or text of "0"/"1" reads as its digits
            values = values.astype(object).map(lambda v: _DIGITS.get(v, v))
        return anomaly_labels(values.to_numpy(), len(frame), f"label {self.label!r}", frame.index)

    def amounts(self, frame: pd.DataFrame) -> np.ndarray | None:
        """What missing each row's anomaly costs: its amount column (None without one)."""
        return None if self.amount_column is None else frame[self.amount_column].to_numpy(dtype=np.float64)

    def check_training(self, X: np.ndarray, rows: pd.Index) -> None:
        """Refuse a feature that is constant on the rows a detector learns from (``X``, labelled ``rows``).

        Raises:
            DataError: the first constant column, named with its value.
        """
        constant = np.flatnonzero(np.ptp(X, axis=0) == 0)
        if len(constant):
            name = self.feature_names[constant[0]]
            raise DataError(
                f"column {name!r}: constant ({X[0, constant[0]]:g}) on all {len(rows)} training rows, so a detector "
                "learns nothing from it and cannot scale it; drop the column."
            )


_DIGITS = {"0": 0, "1": 1}
