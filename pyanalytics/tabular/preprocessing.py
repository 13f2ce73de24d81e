"""The ``tabular`` domain: raw rows -> the network's inputs, and predictions -> the response's labels.

A bundle saves it in ``preprocessing.json`` (the task, the fitted ``TabularPreprocessor``, the
``TargetEncoder`` and the input columns) and rebuilds it through ``pyanalytics.domains``.
"""

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pyanalytics.bundle import schema
from pyanalytics.data.preprocess import TabularPreprocessor, UnseenCategoryWarning
from pyanalytics.data.target import TASKS as TASK_NAMES
from pyanalytics.data.target import TargetEncoder
from pyanalytics.errors import DataError
from pyanalytics.tasks import TASKS


def _task_name(value, key):
    if value not in TASK_NAMES:
        raise schema.FieldError(key, f"one of {', '.join(TASK_NAMES)}", value)


@dataclass(frozen=True)
class TabularPreprocessing:
    """How a tabular model reads rows and names its predictions.

    Attributes:
        task: ``binary``, ``multiclass`` or ``regression``.
        preprocessor: the fitted feature transform (training part only).
        encoder: the response's classes (codes 0..k-1 <-> the original labels).
    """

    DOMAIN = "tabular"
    FIELDS = {
        "task": _task_name,
        "preprocessor": schema.mapping(schema.anything),
        "target": schema.fields({"task": _task_name, "name": schema.text, "classes": schema.nullable(schema.array(schema.anything))}),
    }

    task: str
    preprocessor: TabularPreprocessor
    encoder: TargetEncoder

    @classmethod
    def from_document(cls, document: dict) -> "TabularPreprocessing":
        """The preprocessing saved in a checked ``preprocessing.json``.

        Raises:
            schema.FieldError: the preprocessor state is damaged, or the target does not fit the task.
        """
        try:
            preprocessor = TabularPreprocessor.from_dict(document["preprocessor"])
        except DataError as error:
            raise schema.FieldError("preprocessor", "a valid preprocessor state", str(error)) from None
        target = document["target"]
        if target["task"] != document["task"]:
            raise schema.FieldError("target.task", f"the task, {document['task']!r}", target["task"])
        classification = document["task"] != "regression"
        classes = target["classes"]
        if classification and (classes is None or len(classes) < 2 or len(set(map(repr, classes))) < len(classes)):
            raise schema.FieldError("target.classes", "two or more distinct classes", classes)
        if not classification and classes is not None:
            raise schema.FieldError("target.classes", "null for regression", classes)
        return cls(document["task"], preprocessor, TargetEncoder.from_dict(target))

    def to_document(self) -> dict:
        """The keys saved in ``preprocessing.json``."""
        return {"task": self.task, "preprocessor": self.preprocessor.to_dict(), "target": self.encoder.to_dict()}

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(self.preprocessor.get_feature_names_out().tolist())

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Input columns the features read (dropped identifier columns are not needed)."""
        return tuple(spec["name"] for spec in self.preprocessor.columns_)

    @property
    def classes(self) -> list | None:
        """The response's classes in code order (None for regression)."""
        return None if self.encoder.classes_ is None else self.encoder.classes_.tolist()

    def features(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The network's inputs for ``frame``; warns (UnseenCategoryWarning) about unseen categories."""
        return pd.DataFrame(self._inputs(frame), columns=list(self.feature_names), index=frame.index)

    def predict(self, estimator, frame: pd.DataFrame) -> pd.DataFrame:
        """The task's prediction columns for the raw rows of ``frame``, in the response's own labels.

        The same as ``prediction_frame(estimator, features(frame))`` without the frame of inputs
        in between, which is most of the cost of a single row.
        """
        return self._prediction_columns(estimator, self._inputs(frame), frame.index)

    def _inputs(self, frame: pd.DataFrame) -> np.ndarray:
        """The network's inputs as an array, columns in ``feature_names`` order; warns about unseen
        categories where the caller's caller called (a bundle's ``predict``, say)."""
        matrix, report = self.preprocessor.transform_with_report(frame)
        if report.unseen:
            warnings.warn(report.message(), UnseenCategoryWarning, stacklevel=4)
        return matrix

    def prediction_frame(self, estimator, X: pd.DataFrame) -> pd.DataFrame:
        """The task's prediction columns for the network's inputs ``X``, in the response's own labels."""
        return self._prediction_columns(estimator, X, X.index)

    def _prediction_columns(self, estimator, X, index: pd.Index) -> pd.DataFrame:
        task = TASKS[self.task]
        if self.task == "regression":
            return pd.DataFrame({"prediction": estimator.predict(X).astype(np.float64)}, index=index)
        probabilities = estimator.predict_proba(X)
        codes = estimator.classes_from_proba(probabilities)
        classes = self.classes
        columns = task.prediction_columns(classes)
        if self.task == "binary":
            values = {columns[0]: probabilities[:, 1]}
        else:
            values = {column: probabilities[:, i] for i, column in enumerate(columns[:-1])}
        values["class"] = self.encoder.decode(codes)
        return pd.DataFrame(values, index=index)
