"""Input checks shared by every estimator; messages name the estimator, the input and the row."""

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError, NotFittedError, ParameterError


def _row_label(index, position: int) -> str:
    label = index[position] if index is not None else position
    if isinstance(label, pd.Timestamp):
        return f"row {position + 1} ({label.date()})"
    return f"row {position + 1}"


def check_fitted(estimator, attribute: str = "threshold_") -> None:
    """Raise NotFittedError naming the class when ``estimator`` has not been fitted."""
    if not hasattr(estimator, attribute):
        name = type(estimator).__name__
        raise NotFittedError(f"{name} is not fitted yet: call {name}.fit(X, y) first.")


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
    array = np.asarray(X, dtype=np.float64)
    if array.ndim != 2:
        raise DataError(f"{owner}: X must be 2-D (rows x features), got shape {array.shape}.")
    if array.shape[0] == 0:
        raise DataError(f"{owner}: X has no rows; expected at least one.")
    bad = ~np.isfinite(array)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        column = repr(names[col]) if names else str(col)
        raise DataError(
            f"{owner}: X column {column}, {_row_label(index, row)} is {array[row, col]}; "
            "expected a finite number. Drop or fill that row."
        )
    if not fitted:
        estimator.n_features_in_ = array.shape[1]
        estimator.feature_names_in_ = np.array(names, dtype=object) if names else None
    elif array.shape[1] != estimator.n_features_in_:
        raise DataError(
            f"{owner}: X has {array.shape[1]} features, but the model was fitted with "
            f"{estimator.n_features_in_}."
        )
    return array


def check_labels(estimator, y, n_rows: int, *, where: str) -> np.ndarray:
    """Validate binary direction labels (0 = not up, 1 = up) for ``n_rows`` rows."""
    owner = f"{type(estimator).__name__}.{where}"
    index = y.index if isinstance(y, pd.Series) else None
    labels = np.asarray(y, dtype=np.float64).ravel()
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


def check_int(name: str, value, *, minimum: int) -> int:
    """An integer argument (an integer-valued float is accepted, as R sends them)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"{name}: expected an integer >= {minimum}, got {value!r}.")
    if not float(value).is_integer() or value < minimum:
        raise ParameterError(f"{name}: expected an integer >= {minimum}, got {value!r}.")
    return int(value)


def check_float(name: str, value, *, low: float, high: float, low_open: bool = False) -> float:
    """A real argument in ``[low, high]`` (or ``(low, high]`` when ``low_open``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"{name}: expected a number, got {value!r}.")
    bracket = "(" if low_open else "["
    if not (low < value <= high if low_open else low <= value <= high):
        raise ParameterError(f"{name}: expected a number in {bracket}{low}, {high}], got {value!r}.")
    return float(value)


def check_seed(name: str, value) -> int | None:
    """A random seed: None (not reproducible) or an integer >= 0."""
    return None if value is None else check_int(name, value, minimum=0)


def check_units(name: str, value) -> tuple[int, ...]:
    """A non-empty sequence of layer sizes, each an integer >= 1."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__") or len(value) == 0:
        raise ParameterError(f"{name}: expected a non-empty list of layer sizes, got {value!r}.")
    return tuple(check_int(f"{name}[{i}]", v, minimum=1) for i, v in enumerate(value))


def check_choice(name: str, value, choices: tuple[str, ...]) -> str:
    """One of a fixed set of strings."""
    if value not in choices:
        raise ParameterError(f"{name}: expected one of {', '.join(map(repr, choices))}, got {value!r}.")
    return value


def validate_params(estimator, rules: dict) -> dict:
    """Check every parameter named in ``rules`` (name -> check(name, value)); return coerced values."""
    return {name: rule(name, getattr(estimator, name)) for name, rule in rules.items()}
