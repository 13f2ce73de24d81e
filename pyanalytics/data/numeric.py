"""Reading a frame's feature columns as numbers, checked cell by cell, for models that take numbers
only (anomaly detectors, sequence networks): every error names the column and the row."""

import numpy as np
import pandas as pd

from pyanalytics.data.columns import row_label
from pyanalytics.errors import DataError


def require_columns(frame: pd.DataFrame, columns: list, role: str) -> None:
    """Refuse a frame that lacks one of ``columns`` (``role`` says what they are), naming it.

    Raises:
        DataError: the first missing column, with the frame's columns.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        shown = ", ".join(map(str, frame.columns[:20])) + (", ..." if len(frame.columns) > 20 else "")
        raise DataError(f"{role}: column {missing[0]!r} is not in the data; its columns are {shown}.")


def numeric_matrix(frame: pd.DataFrame, columns: list, *, reader: str) -> np.ndarray:
    """``frame[columns]`` as a float64 array of finite numbers.

    Args:
        frame: the data.
        columns: the feature columns, in order.
        reader: who reads numbers only, for the messages (e.g. ``"detectors"``).

    Raises:
        DataError: a column is missing, holds dates, categories or text, or a missing or
            infinite value (the column and row named).
    """
    require_columns(frame, columns, "features")
    _refuse_non_numeric(frame, columns, reader)
    matrix = _numbers(frame, columns)
    if matrix is None or not np.isfinite(matrix).all():
        _refuse_cells(frame, columns, reader)
    return matrix


def _refuse_non_numeric(frame: pd.DataFrame, columns: list, reader: str) -> None:
    """Refuse a feature column whose type is not numbers (dates, categories, text), naming it: its
    values could convert to numbers that mean nothing (a date's nanoseconds, a category's digits)."""
    dtypes = frame.dtypes
    if all(isinstance(dtype, np.dtype) and dtype.kind in "biuf" for dtype in dtypes):
        return  # every column of the frame is plain numbers: the common case, and a scored row's hot path
    for name in columns:
        dtype = dtypes[name]
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_timedelta64_dtype(dtype):
            continue
        if dtype == object or pd.api.types.is_string_dtype(dtype):  # Python numbers pass; text, even "12", does not
            cells = frame[name]
            unreadable = np.flatnonzero(pd.to_numeric(cells, errors="coerce").isna().to_numpy() & cells.notna().to_numpy())
            text = np.flatnonzero([isinstance(v, (str, bytes)) for v in cells.to_numpy()])
            if len(unreadable) or len(text):  # the first cell that is no number at all, else the first digits as text
                raise _text_cell(frame, name, int(unreadable[0] if len(unreadable) else text[0]), reader)
            continue
        kind = ("dates" if pd.api.types.is_datetime64_any_dtype(dtype) else
                "categories (a factor)" if isinstance(dtype, pd.CategoricalDtype) else f"{dtype} values")
        raise DataError(f"column {name!r}: holds {kind}, not numbers; {reader} read numeric columns only "
                        "(encode or drop it, or name a time column as time_column).")


def _numbers(frame: pd.DataFrame, columns: list) -> np.ndarray | None:
    """``frame[columns]`` as float64, or None when a column cannot be read as numbers.

    A frame of numbers is converted whole and its feature columns taken by position: on one row
    that costs about a tenth of selecting the columns first (a new DataFrame), most of the time a
    single transaction's scoring took. A frame with text elsewhere, or repeated column names,
    takes the selection.
    """
    if frame.columns.is_unique:
        position = {name: i for i, name in enumerate(frame.columns)}  # a dict: get_indexer costs more
        try:
            return frame.to_numpy(dtype=np.float64)[:, [position[name] for name in columns]]
        except (TypeError, ValueError):
            pass
    try:
        return frame[columns].to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _text_cell(frame: pd.DataFrame, name, position: int, reader: str) -> DataError:
    return DataError(f"column {name!r}: row {row_label(frame.index, position)} holds {frame[name].iloc[position]!r}, "
                     f"not a number; {reader} read numeric columns only (encode or drop it).")


def _refuse_cells(frame: pd.DataFrame, columns: list, reader: str) -> None:
    """Raise a DataError naming the first feature column and row that is not a finite number."""
    for name in columns:
        values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=np.float64)
        text = np.flatnonzero(np.isnan(values) & frame[name].notna().to_numpy())
        if len(text):
            raise _text_cell(frame, name, int(text[0]), reader)
        bad = np.flatnonzero(~np.isfinite(values))
        if len(bad):
            row = row_label(frame.index, int(bad[0]))
            what = "a missing value" if np.isnan(values[bad[0]]) else "an infinite value"
            raise DataError(f"column {name!r}: row {row} holds {what}; impute or drop such rows first.")
    raise DataError("features: the feature columns cannot be read as numbers.")
