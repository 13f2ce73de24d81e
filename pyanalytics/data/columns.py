"""What kind of feature a tabular column is, decided on the training part, and its values as numbers.

The rules, in order, on the column's non-missing training values:

- none at all: refused (an all-NaN column carries nothing to learn and nothing to impute from);
- dates (a datetime dtype, or text with digits of which at least ``numeric_share`` parses as
  dates): dropped, a date is for a chronological split (``date_column``), not a feature;
- booleans (a bool dtype, True/False objects, or numbers that are all 0 or 1): **boolean**, kept as 0/1;
- numbers (a numeric dtype, or text of which at least ``numeric_share`` parses as numbers, as a
  CSV written from R or a spreadsheet can be): **numeric**; a value that does not parse is refused
  naming the column and row. Integers that are unique per row and fill at least half of their
  range (PassengerId, a row counter) are **identifier**-like and dropped;
- text (anything else): **categorical**, unless its distinct values reach ``id_unique_share``
  of its non-missing values and number at least ``MIN_ID_DISTINCT`` (Name, Ticket, a mostly
  distinct Cabin): free text or identifiers, dropped.

Rows are named by their index label (``read_tabular`` labels a CSV's rows 1, 2, ... as data rows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError
from pyanalytics.jsonio import json_safe

NUMERIC, BOOLEAN, CATEGORICAL, DROPPED = "numeric", "boolean", "categorical", "dropped"
# Fewer distinct values than this is a small category set, however unique per row it looks.
MIN_ID_DISTINCT = 20
_BOOLEAN_WORDS = {True: 1.0, False: 0.0, "True": 1.0, "False": 0.0, "true": 1.0, "false": 0.0,
                  "TRUE": 1.0, "FALSE": 0.0}


@dataclass(frozen=True)
class ColumnKind:
    """A column's kind and, for a dropped one, why (one phrase, for the note naming it)."""

    kind: str
    reason: str = ""


def classify_column(column: pd.Series, *, id_unique_share: float, numeric_share: float) -> ColumnKind:
    """The kind of the training part's ``column`` (see the module docstring for the rules)."""
    observed = column.dropna()
    if observed.empty:
        raise DataError(
            f"column {column.name!r}: expected some values in the training part, found only missing "
            f"values in its {len(column)} rows; drop the column or fill it."
        )
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return ColumnKind(DROPPED, "a date: name it as the date column to split by time")
    if pd.api.types.is_bool_dtype(column.dtype) or observed.map(type).isin([bool, np.bool_]).all():
        return ColumnKind(BOOLEAN)
    if isinstance(column.dtype, pd.CategoricalDtype):
        return ColumnKind(CATEGORICAL)
    if (
        pd.api.types.is_numeric_dtype(column.dtype)
        or pd.to_numeric(observed, errors="coerce").notna().mean() >= numeric_share
    ):
        numbers = numeric_values(column)
        numbers = numbers[~np.isnan(numbers)]
        if np.isin(numbers, (0, 1)).all():
            return ColumnKind(BOOLEAN)
        if _is_row_counter(numbers):
            return ColumnKind(DROPPED, "integers unique per row: an identifier")
        return ColumnKind(NUMERIC)
    text = observed.astype(str)
    if text.str.contains(r"\d").all() and _parses_as_dates(text, numeric_share):
        return ColumnKind(DROPPED, "dates: name it as the date column to split by time")
    distinct = text.nunique()
    if distinct >= MIN_ID_DISTINCT and distinct >= id_unique_share * len(observed):
        return ColumnKind(DROPPED, f"free text or identifiers: {distinct} distinct values in {len(observed)} non-missing rows")
    return ColumnKind(CATEGORICAL)


def _parses_as_dates(text: pd.Series, share: float) -> bool:
    """At least ``share`` of ``text`` reads as dates (month names alone do not count: digits are required)."""
    return pd.to_datetime(text, errors="coerce", format="mixed").notna().mean() >= share


def _is_row_counter(values: np.ndarray) -> bool:
    """Integers, unique per row, filling at least half of their range: a row number or identifier."""
    if len(values) < MIN_ID_DISTINCT or not np.all(values == np.round(values)):
        return False
    return len(np.unique(values)) == len(values) and values.max() - values.min() + 1 <= 2 * len(values)


def numeric_values(column: pd.Series) -> np.ndarray:
    """``column`` as float64 (missing as NaN); refuses text that is not a number or an infinity."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "biuf":
        values = column.to_numpy().astype(np.float64)
    elif pd.api.types.is_numeric_dtype(column.dtype):  # nullable Int64/Float64, missing as pd.NA
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        _refuse(column, np.isnan(values) & column.notna().to_numpy(), "expected a number")
    _refuse(column, np.isinf(values), "expected a finite number")
    return values


def boolean_values(column: pd.Series) -> np.ndarray:
    """``column`` as 0.0/1.0 (missing as NaN); refuses anything but True/False or 0/1."""
    if pd.api.types.is_bool_dtype(column.dtype) and not column.hasnans:
        return column.to_numpy(dtype=np.float64)
    present = column.notna().to_numpy()
    values = column.map(_BOOLEAN_WORDS).to_numpy(dtype=np.float64, na_value=np.nan, copy=True)  # 1 == True
    text = np.isnan(values) & present
    if text.any():  # numbers written as text ("1", "0.0"), as an all-text CSV or R's character columns give them
        values[text] = pd.to_numeric(column[text], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    _refuse(column, present & ~np.isin(values, (0.0, 1.0)), "expected True/False or 0/1")
    return values


def category_keys(column: pd.Series) -> np.ndarray:
    """The values of a categorical column as strings (the one-hot keys; missing stays None)."""
    keys = column.to_numpy(dtype=object, copy=True)  # a copy: callers fill it in place
    missing = pd.isna(keys)
    if not isinstance(column.dtype, pd.StringDtype):  # numbers, booleans, categories: their text
        keys = keys.astype(str).astype(object)
    keys[missing] = None
    return keys


def row_label(index: pd.Index, position: int) -> str:
    """The label of the row at ``position``, as messages show it (``12``, ``'a'``; no numpy repr)."""
    return repr(json_safe(index[position]))


def _refuse(column: pd.Series, bad: np.ndarray, expected: str) -> None:
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"column {column.name!r}, row {row_label(column.index, first)}: {expected} (the column is "
            f"{'numeric' if 'number' in expected else 'boolean'} in the training part), found "
            f"{column.iloc[first]!r} ({int(bad.sum())} such value(s)); correct it or leave the cell "
            "empty to impute it."
        )
