"""The response of a tabular model: which task it asks for, and its labels encoded as integers.

``infer_task`` decides binary, multiclass or regression from the values (or checks the task the
user named); ``TargetEncoder`` maps class labels to 0..k-1 and back, so predictions come back in
the response's own values (R factor levels, strings, booleans), and saves itself as JSON.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pyanalytics.data.columns import numeric_values, row_label
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.jsonio import json_safe

TASKS = ("binary", "multiclass", "regression")
# An integer-valued numeric response with at most this many distinct values is taken as classes.
MAX_AUTO_CLASSES = 20


def infer_task(target: pd.Series, task: str = "auto") -> str:
    """The task for ``target`` (named by ``target.name`` in errors): checked if given, else inferred.

    ``auto`` gives binary for two distinct values, multiclass for a non-numeric response (or an
    integer-valued one with 3 to 20 distinct values), and regression for other numeric responses.

    Raises:
        ParameterError: ``task`` is not auto, binary, multiclass or regression.
        DataError: a response with missing values or one value, a regression response that is not
            numeric, or a binary task with other than two classes.
    """
    if task not in ("auto", *TASKS):
        raise ParameterError(f"task: expected one of auto, {', '.join(TASKS)}; got {task!r}.")
    name = target.name
    missing = target.isna().to_numpy()
    if missing.any():
        raise DataError(
            f"target {name!r}: expected no missing values, found {int(missing.sum())} (first at row "
            f"{row_label(target.index, int(np.flatnonzero(missing)[0]))}); drop those rows or fill them."
        )
    distinct = target.nunique()
    if distinct < 2:
        shown = repr(target.iloc[0]) if len(target) else "no rows"
        raise DataError(
            f"target {name!r}: expected at least two distinct values to learn from, found {distinct} "
            f"({shown}) in {len(target)} rows; choose another target column or add rows."
        )
    numeric = _numeric_values(target)
    if task == "auto":
        if distinct == 2:
            return "binary"
        if numeric is None or (np.all(numeric == np.round(numeric)) and distinct <= MAX_AUTO_CLASSES):
            return "multiclass"
        return "regression"
    if task == "regression" and numeric is None:
        first = int(np.flatnonzero(pd.to_numeric(target, errors="coerce").isna().to_numpy())[0])
        raise DataError(
            f"target {name!r}: a regression target must be numeric, found {target.iloc[first]!r} at "
            f"row {row_label(target.index, first)}; use task='multiclass' or 'binary', or fix the value."
        )
    if task == "binary" and distinct != 2:
        raise DataError(
            f"target {name!r}: a binary task needs exactly two classes, found {distinct}; use "
            "task='multiclass' (or 'regression' for a numeric response)."
        )
    return task


def _numeric_values(target: pd.Series) -> np.ndarray | None:
    """The response as float64 if every value is a number (or numeric text), else None."""
    if pd.api.types.is_bool_dtype(target.dtype):
        return None
    parsed = pd.to_numeric(target, errors="coerce")
    return None if parsed.isna().any() else parsed.to_numpy(dtype=np.float64)


class TargetEncoder:
    """Class labels <-> integer codes 0..k-1 (classification) or floats (regression), as JSON.

    Classes are kept in order: a pandas Categorical's category order (an R factor's levels),
    otherwise sorted values, as scikit-learn's LabelEncoder does.

    Example:
        >>> enc = TargetEncoder("binary").fit(pd.Series(["no", "yes", "no"], name="y"))
        >>> enc.encode(pd.Series(["yes", "no"], name="y")).tolist(), enc.decode([1, 0]).tolist()
        ([1, 0], ['yes', 'no'])
    """

    def __init__(self, task: str):
        self.task = task

    def fit(self, target: pd.Series) -> "TargetEncoder":
        """Learn the classes of ``target`` (nothing to learn for regression)."""
        self.name_ = str(target.name)
        if self.task == "regression":
            self.classes_ = None
            return self
        if isinstance(target.dtype, pd.CategoricalDtype):
            used = set(target.dropna().unique())
            classes = [c for c in target.cat.categories if c in used]
        else:
            classes = sorted(target.dropna().unique().tolist(), key=lambda v: (str(type(v)), v))
        self.classes_ = np.array(json_safe(classes))
        return self

    def encode(self, target: pd.Series) -> np.ndarray:
        """Integer codes (int64) for classes, float32 values for regression."""
        if self.task == "regression":
            return numeric_values(pd.Series(target)).astype(np.float32)
        codes = pd.Index(self.classes_).get_indexer(pd.Series(target).to_numpy())
        if (codes < 0).any():
            row = int(np.flatnonzero(codes < 0)[0])
            target = pd.Series(target)
            raise DataError(
                f"target {self.name_!r}: {target.iloc[row]!r} at row {row_label(target.index, row)} "
                f"is not one of the training classes {self.classes_.tolist()}; drop that row or retrain."
            )
        return codes.astype(np.int64)

    def decode(self, codes) -> np.ndarray:
        """The response's own values for integer codes (regression: the values unchanged)."""
        if self.task == "regression":
            return np.asarray(codes, dtype=np.float64)
        return self.classes_[np.asarray(codes, dtype=np.int64)]

    def to_dict(self) -> dict:
        """JSON-ready state."""
        classes = None if self.classes_ is None else json_safe(self.classes_.tolist())
        return {"task": self.task, "name": self.name_, "classes": classes}

    @classmethod
    def from_dict(cls, state: dict) -> "TargetEncoder":
        """Rebuild from :meth:`to_dict`'s output."""
        encoder = cls(state["task"])
        encoder.name_ = state["name"]
        encoder.classes_ = None if state["classes"] is None else np.array(state["classes"])
        return encoder
