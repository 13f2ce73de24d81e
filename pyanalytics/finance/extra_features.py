"""A quant's own numeric columns of a prices frame, as extra features of the direction model.

The value of such a column on date t enters the prediction made at the close of t as it is,
not shifted: it must be known at that close. Whether it is, is the user's responsibility (a
figure published the next morning must be shifted by the user before it is named here).

Missing values: the leading ones are the column's warm-up (its rows are dropped like the
indicators' warm-up); a missing value after the column's first value is refused, naming the
date, since no fill (the last value, zero) is right for every column: fill it in the data.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance.invalid import format_date


def check_names(names, taken, argument: str = "extra_features") -> tuple[str, ...]:
    """Return ``names`` as a tuple of distinct non-empty strings none of which is ``taken``.

    Args:
        names: the column names (a string is one name).
        taken: ``taken(name)`` says what a name they may not have already is (``"the price
            column 'close'"``, ``"the built-in feature 'ret_1'"``), or returns None.
        argument: the argument's name, for the error message.

    Raises:
        ParameterError: a name that is not a non-empty string, a repeated name or a taken one.
    """
    if not isinstance(names, (str, list, tuple)):
        raise ParameterError(
            f"{argument}: expected a list of column names, got {type(names).__name__}; "
            "pass e.g. ['sentiment']."
        )
    names = (names,) if isinstance(names, str) else tuple(names)
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise ParameterError(
                f"{argument}: expected column names (non-empty strings), got {name!r}; "
                "pass the names of numeric columns of the prices, e.g. ['sentiment']."
            )
        clash = taken(name)
        if clash:
            raise ParameterError(
                f"{argument}: {name!r} is already {clash}; rename your column "
                f"(e.g. 'my_{name}') and pass the new name."
            )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ParameterError(f"{argument}: {repeated[0]!r} is named twice; name each column once.")
    return names


def column_values(raw: pd.Series, name: str, dates: pd.DatetimeIndex, rows: np.ndarray, label: str) -> np.ndarray:
    """One extra column as float64, checked: numbers, finite, missing only before the first value.

    Args:
        raw: the column's cells (numbers, or numeric text as read from a CSV).
        name: the column's name.
        dates: the date of each cell.
        rows: the 1-based row of each cell in the input, for the error message.
        label: what the prices are called in messages (``"prices"``, ``"prices 'AAPL.csv'"``).

    Raises:
        DataError: a cell that is not a number or is infinite, a value missing after the first
            one, or no value at all; each naming the column, the row and its date.
    """
    if pd.api.types.is_bool_dtype(raw.dtype) or pd.api.types.is_numeric_dtype(raw.dtype):
        values = raw.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        text = raw.astype(object).to_numpy()
        given = ~pd.isna(text) & np.array([str(cell).strip() not in ("", "NA", "NaN", "nan") for cell in text])
        _refuse(given & np.isnan(values), raw, name, dates, rows, label, "is not a number", "expected numbers")
    where = f"{label}: column {name!r}"
    _refuse(np.isinf(values), raw, name, dates, rows, label, "is infinite", "expected finite numbers")
    present = ~np.isnan(values)
    if not present.any():
        raise DataError(f"{where}: no value on any of its {len(values):,} rows; expected numbers. Fill the column.")
    first = int(np.argmax(present))
    gaps = np.flatnonzero(~present[first:])
    if len(gaps):
        at = first + int(gaps[0])
        raise DataError(
            f"{where}, row {rows[at]} ({format_date(dates[at])}): missing after its first value "
            f"({format_date(dates[first])}); expected a value known at every close from then on "
            "(leading missing values are the column's warm-up). Fill it in the data (e.g. the "
            "last value known at that close) or start the prices later."
        )
    return values


def _refuse(bad: np.ndarray, raw: pd.Series, name: str, dates, rows, label: str, problem: str, expected: str):
    """Raise at the first ``bad`` cell, naming its row, date and value, and how many there are."""
    if not bad.any():
        return
    at = int(np.argmax(bad))
    cell = raw.iloc[at]
    shown = repr(cell) if isinstance(cell, str) else str(cell)
    more = f" (and {int(bad.sum()) - 1:,} more)" if bad.sum() > 1 else ""
    raise DataError(
        f"{label}: column {name!r}, row {rows[at]} ({format_date(dates[at])}): value "
        f"{shown} {problem}{more}; {expected}. Fix the column."
    )


def extra_values(prices: pd.DataFrame, names: tuple[str, ...]) -> np.ndarray:
    """The checked values of the extra columns ``names`` of ``prices``, one row per column.

    Raises:
        DataError: a column is missing (naming it), or a bad cell (see ``column_values``).
    """
    missing = [name for name in names if name not in prices.columns]
    if missing:
        raise DataError(
            f"prices: no column {missing[0]!r}, an extra feature of this model (columns found: "
            f"{list(prices.columns)}); add the column, known at each date's close, to the prices."
        )
    rows = np.arange(1, len(prices) + 1)
    return np.vstack([column_values(prices[name], name, prices.index, rows, "prices") for name in names])


def first_complete_row(values: np.ndarray) -> int:
    """The first row (0-based) where every extra column has a value (0 without columns)."""
    if not len(values):
        return 0
    return int(np.argmax(~np.isnan(values).any(axis=0)))


def with_extra_features(spec, names):
    """``spec`` with the extra features ``names`` (``spec`` itself when ``names`` is empty).

    Raises:
        ParameterError: ``spec`` already names other extra features, or a bad name.
    """
    if names is None:
        return spec
    names = check_names(names, lambda name: None)
    if not names:
        return spec
    if spec.extra_features and spec.extra_features != names:
        raise ParameterError(
            f"extra_features: {list(names)}, but the spec already names {list(spec.extra_features)}; "
            "pass them in one place."
        )
    return dataclasses.replace(spec, extra_features=names)
