"""Input checks shared by every estimator; messages name the estimator, the input and the row."""

import warnings

import numpy as np
import pandas as pd
import sklearn.exceptions
from sklearn.exceptions import DataConversionWarning
from scipy import sparse

from pyanalytics.errors import DataError, NotFittedError


class EstimatorNotFittedError(NotFittedError, sklearn.exceptions.NotFittedError):
    """The package's NotFittedError that is also scikit-learn's, for code catching either.

    ``pyanalytics.errors`` stays free of scikit-learn so that importing it is cheap; this
    subclass lives with the estimators, which import scikit-learn anyway.
    """


def _row_label(index, position: int) -> str:
    label = index[position] if index is not None else position
    if isinstance(label, pd.Timestamp):
        return f"row {position + 1} ({label.date()})"
    return f"row {position + 1}"


def check_fitted(estimator, attribute: str = "threshold_") -> None:
    """Raise NotFittedError naming the class when ``estimator`` has not been fitted."""
    if not hasattr(estimator, attribute):
        name = type(estimator).__name__
        raise EstimatorNotFittedError(f"{name} is not fitted yet: call {name}.fit(X, y) first.")


def check_features(estimator, X, *, where: str, fitted: bool) -> np.ndarray:
    """Validate a feature matrix and return it as a float64 array.

    At fit time (``fitted=False``) the column names and count are recorded on the estimator; at
    prediction time a DataFrame is reordered to those names and a missing column is an error.
    """
    owner = f"{type(estimator).__name__}.{where}"
    names = None
    index = None
    if isinstance(X, pd.DataFrame):
        columns = {str(c): c for c in X.columns}
        names = list(columns)
        index = X.index
        expected = getattr(estimator, "feature_names_in_", None) if fitted else None
        if expected is not None and names != list(expected):
            missing = [c for c in expected if c not in columns]
            if missing:
                raise DataError(
                    f"{owner}: X lacks feature column(s) {', '.join(map(repr, missing))} that the "
                    f"model was fitted with; compute the features with the model's feature spec."
                )
            names = list(expected)
            X = X[[columns[c] for c in names]]
        for name, dtype in zip(names, X.dtypes):
            if not pd.api.types.is_numeric_dtype(dtype):
                raise DataError(
                    f"{owner}: X column {name!r} has type {dtype}; expected numbers. "
                    "Convert it to numeric first."
                )
        X = X.to_numpy(dtype=np.float64)
    array = _float_array(X, owner)
    ndim = getattr(estimator, "_input_ndim", 2)
    if array.ndim != ndim:
        shape = "rows x features" if ndim == 2 else "samples x timesteps x features"
        raise DataError(
            f"{owner}: X must be {ndim}-D ({shape}), got shape {array.shape}. Reshape your data"
            + (", e.g. with X.reshape(-1, 1) for one feature or X.reshape(1, -1) for one row." if ndim == 2 else ".")
        )
    if array.shape[0] == 0:
        raise DataError(f"{owner}: X has no rows; expected at least one.")
    if array.shape[-1] == 0:
        raise DataError(
            f"{owner}: X has 0 feature(s) (shape={array.shape}) while a minimum of 1 is required; "
            "pass at least one feature column."
        )
    bad = ~np.isfinite(array)
    if bad.any():
        where_bad = np.argwhere(bad)[0]
        column = repr(names[where_bad[-1]]) if names else str(where_bad[-1])
        place = _row_label(index, where_bad[0]) if ndim == 2 else f"sample {where_bad[0] + 1}, timestep {where_bad[1] + 1}"
        raise DataError(
            f"{owner}: X column {column}, {place} is {array[tuple(where_bad)]}; "
            "expected a finite number, not NaN or inf. Drop or fill that row."
        )
    if not fitted:
        estimator.n_features_in_ = array.shape[-1]
        estimator.feature_names_in_ = np.array(names, dtype=object) if names else None
        if ndim == 3:
            estimator.n_timesteps_in_ = array.shape[1]
    elif array.shape[-1] != estimator.n_features_in_:
        raise DataError(
            f"{owner}: X has {array.shape[-1]} features, but the model was fitted with "
            f"{estimator.n_features_in_}. Pass the columns it was fitted with (X has {array.shape[-1]} "
            f"features, but {type(estimator).__name__} is expecting {estimator.n_features_in_} features as input)."
        )
    elif ndim == 3 and array.shape[1] != estimator.n_timesteps_in_:
        raise DataError(
            f"{owner}: X windows have {array.shape[1]} timesteps, but the model was fitted with "
            f"{estimator.n_timesteps_in_}."
        )
    return array


def _float_array(X, owner: str) -> np.ndarray:
    """``X`` as float64, refusing sparse and complex input with messages that say what to do."""
    if sparse.issparse(X):
        raise DataError(
            f"{owner}: X is a sparse matrix; pyanalytics estimators take dense input. "
            "Convert it with X.toarray() first."
        )
    try:
        array = np.asarray(X)
        if array.dtype.kind == "c":
            raise DataError(f"{owner}: X holds complex numbers. Complex data not supported; pass real numbers.")
        return array.astype(np.float64)
    except TypeError as error:  # a non-numeric object such as a dict
        raise TypeError(f"{owner}: X must hold numbers, but float() argument must be a string or a real number: {error}.") from None
    except ValueError as error:  # a string that is not a number, or ragged rows
        raise DataError(f"{owner}: X must hold numbers in a rectangular array; {error}.") from None


def _label_text(value) -> str:
    value = value.item() if isinstance(value, np.generic) else value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def _joined(values) -> str:
    values = [_label_text(v) for v in sorted(values)]
    return " or ".join(values) if len(values) <= 2 else "one of " + ", ".join(values)


def _target_column(estimator, y, n_rows: int, owner: str, what: str) -> tuple[np.ndarray, pd.Index | None]:
    """``y`` as one column of ``n_rows`` entries (a column vector is flattened with a warning), and its index."""
    if y is None:
        raise DataError(
            f"{owner}: {type(estimator).__name__} requires y to be passed, but the target y is None; "
            "pass one target value per row of X."
        )
    index = y.index if isinstance(y, pd.Series) else None
    values = np.asarray(y)
    if values.ndim == 2 and values.shape[1] == 1:
        warnings.warn(
            f"A column-vector y was passed when a 1d array was expected ({owner}); it was flattened.",
            DataConversionWarning,
            stacklevel=4,
        )
        values = values.ravel()
    if values.ndim != 1:
        raise DataError(f"{owner}: y must be one column of {what}, got shape {values.shape}.")
    if values.shape[0] != n_rows:
        raise DataError(f"{owner}: y has {values.shape[0]} {what} but X has {n_rows} rows.")
    return values, index


def encode_labels(estimator, y, n_rows: int, *, where: str, multiclass: bool) -> tuple[np.ndarray, np.ndarray]:
    """Validate class labels of any kind (numbers, strings, booleans) for ``n_rows`` rows.

    Returns the sorted classes and each row's index into them. Two classes are needed; more only
    when ``multiclass``. A missing label is refused, and so is a class that only one row has
    (a stray value among 0/1 direction labels, say): it can be neither learned nor validated.
    """
    from sklearn.utils.multiclass import type_of_target

    owner = f"{type(estimator).__name__}.{where}"
    labels, index = _target_column(estimator, y, n_rows, owner, "labels")
    missing = pd.isna(labels)
    if missing.any():
        row = int(np.argmax(missing))
        known = _joined(np.unique(labels[~missing]))
        raise DataError(
            f"{owner}: y {_row_label(index, row)} is {labels[row]}; expected {known}. Rows whose label is "
            "unknown (the last `horizon` rows of direction labels) cannot be used for training."
        )
    try:
        kind = type_of_target(labels)
    except (TypeError, ValueError) as error:  # e.g. a mix of strings and numbers
        raise DataError(f"{owner}: y cannot be read as class labels: {error}. Use one type of label.") from None
    if kind not in ("binary", "multiclass"):
        raise DataError(
            f"{owner}: Unknown label type: y is {kind}; a classifier expects discrete classes. "
            "Use a regressor for a continuous target."
        )
    classes, codes, counts = np.unique(labels, return_inverse=True, return_counts=True)
    if len(classes) < 2:
        raise DataError(
            f"{owner}: y holds one class ({_joined(classes)}); a classifier needs at least two classes."
        )
    if len(classes) > 2 and (counts == 1).any():
        row = int(np.flatnonzero(counts[codes] == 1)[0])
        others = classes[counts > 1]
        raise DataError(
            f"{owner}: y {_row_label(index, row)} is {labels[row]}, a class no other row has; expected "
            f"{_joined(others)}. A class needs at least two rows to be learned."
        )
    if len(classes) > 2 and not multiclass:
        raise DataError(
            f"{owner}: Only binary classification is supported. y holds {len(classes)} classes "
            f"({_joined(classes)}); {type(estimator).__name__} takes two. Use DNNClassifier, "
            "MajorityClassBaseline or LogisticRegressionBaseline for more."
        )
    if classes.dtype.kind == "f" and np.all(classes == np.round(classes)):
        classes = classes.astype(np.int64)  # 0.0/1.0 direction labels are the classes 0 and 1
    return classes, codes.astype(np.int64)


def encode_known_labels(estimator, y, n_rows: int, classes: np.ndarray, *, where: str) -> np.ndarray:
    """Indices into ``classes`` of labels ``y`` (validation rows), refusing a class not seen in fit."""
    owner = f"{type(estimator).__name__}.{where}"
    labels, index = _target_column(estimator, y, n_rows, owner, "labels")
    known = np.isin(labels, classes) & ~pd.isna(labels)
    if not known.all():
        row = int(np.argmin(known))
        raise DataError(
            f"{owner}: y {_row_label(index, row)} is {labels[row]}; expected {_joined(classes)}, "
            "the classes of the training rows."
        )
    return np.searchsorted(classes, labels.astype(classes.dtype)).astype(np.int64)


def check_targets(estimator, y, n_rows: int, *, where: str) -> np.ndarray:
    """Validate a numeric regression target for ``n_rows`` rows and return it as float64."""
    owner = f"{type(estimator).__name__}.{where}"
    values, index = _target_column(estimator, y, n_rows, owner, "values")
    try:
        values = values.astype(np.float64)
    except (TypeError, ValueError):
        raise DataError(f"{owner}: y holds non-numeric values; a regressor expects numbers.") from None
    bad = ~np.isfinite(values)
    if bad.any():
        row = int(np.argmax(bad))
        raise DataError(
            f"{owner}: y {_row_label(index, row)} is {values[row]}; expected a finite number, not NaN or inf. "
            "Drop or fill that row."
        )
    return values


def check_labels(estimator, y, n_rows: int, *, where: str) -> np.ndarray:
    """Validate binary direction labels (0 = not up, 1 = up) for ``n_rows`` rows."""
    owner = f"{type(estimator).__name__}.{where}"
    index = y.index if isinstance(y, pd.Series) else None
    try:
        labels = np.asarray(y, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise DataError(f"{owner}: y holds non-numeric labels; expected 0 (down) or 1 (up).") from None
    if labels.shape[0] != n_rows:
        raise DataError(f"{owner}: y has {labels.shape[0]} labels but X has {n_rows} rows.")
    invalid = ~np.isin(labels, (0.0, 1.0))
    if invalid.any():
        row = int(np.argmax(invalid))
        raise DataError(
            f"{owner}: y {_row_label(index, row)} is {labels[row]}; expected 0 or 1. Rows whose "
            "label is unknown (the last `horizon` rows) cannot be used for training."
        )
    return labels.astype(np.int64)
