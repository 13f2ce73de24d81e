"""Windows of past days for sequence models: (samples, timesteps, features).

The window of date t holds the feature rows of the ``window`` dates ending at t, oldest first,
so its last row is t itself and nothing after t is ever inside it.
"""

import numpy as np
import pandas as pd

from pyanalytics.data.sequences import windows_ending_at
from pyanalytics.errors import DataError
from pyanalytics.params import check_int


def check_window(window) -> int | None:
    """None (a model of single days) or a window length of at least one day."""
    return None if window is None else check_int("window", window, minimum=1)


def usable_rows(rows: np.ndarray, window: int | None, first_row: int) -> np.ndarray:
    """The rows whose whole window lies at or after ``first_row`` (all rows when no window).

    Applied per split part with the part's first row, it keeps windows from straddling a split
    boundary or reaching into the purge gap.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if window is None:
        return rows
    return rows[rows - window + 1 >= first_row]


def model_inputs(X: pd.DataFrame, rows: np.ndarray, window: int | None):
    """The model's input for feature rows ``rows`` of ``X``.

    Args:
        X: the feature table, one row per consecutive date.
        rows: positions in ``X`` of the dates to predict.
        window: None for single-day models (returns the rows as a DataFrame), else the number of
            past dates in each window (returns a float64 array (len(rows), window, n_features)).

    Raises:
        DataError: a row has fewer than ``window - 1`` earlier rows, or ``X`` is shorter than one
            window.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if window is None:
        return X.iloc[rows]
    if len(X) < window:
        raise DataError(
            f"prices: {len(X)} rows of complete features, but a window of {window} days needs at "
            f"least {window} (plus the feature warm-up); supply a longer history or a shorter window."
        )
    if len(rows) and rows.min() < window - 1:
        raise DataError(
            f"prices: the row of {X.index[rows.min()].date()} has only {rows.min()} earlier rows of "
            f"features; a window of {window} days needs {window - 1}."
        )
    return windows_ending_at(X.to_numpy(dtype=np.float64), rows, window)
