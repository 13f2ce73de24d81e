"""Input checks shared by every estimator; messages name the estimator, the input and the row."""

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError, NotFittedError


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
    ndim = getattr(estimator, "_input_ndim", 2)
    if array.ndim != ndim:
        shape = "rows x features" if ndim == 2 else "samples x timesteps x features"
        raise DataError(f"{owner}: X must be {ndim}-D ({shape}), got shape {array.shape}.")
    if array.shape[0] == 0:
        raise DataError(f"{owner}: X has no rows; expected at least one.")
    bad = ~np.isfinite(array)
    if bad.any():
        where_bad = np.argwhere(bad)[0]
        column = repr(names[where_bad[-1]]) if names else str(where_bad[-1])
        place = _row_label(index, where_bad[0]) if ndim == 2 else f"sample {where_bad[0] + 1}, timestep {where_bad[1] + 1}"
        raise DataError(
            f"{owner}: X column {column}, {place} is {array[tuple(where_bad)]}; "
            "expected a finite number. Drop or fill that row."
        )
    if not fitted:
        estimator.n_features_in_ = array.shape[-1]
        estimator.feature_names_in_ = np.array(names, dtype=object) if names else None
        if ndim == 3:
            estimator.n_timesteps_in_ = array.shape[1]
    elif array.shape[-1] != estimator.n_features_in_:
        raise DataError(
            f"{owner}: X has {array.shape[-1]} features, but the model was fitted with "
            f"{estimator.n_features_in_}."
        )
    elif ndim == 3 and array.shape[1] != estimator.n_timesteps_in_:
        raise DataError(
            f"{owner}: X windows have {array.shape[1]} timesteps, but the model was fitted with "
            f"{estimator.n_timesteps_in_}."
        )
    return array


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
