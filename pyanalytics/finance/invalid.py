"""Invalid cells of a prices table: find every one, and say them in one line.

A cell is invalid when its date does not parse, or its price is not a finite positive number,
or its volume is not a finite number >= 0. :func:`invalid_cells` lists them all (one row per
cell) so that a caller can refuse the table with one summary or drop those rows knowingly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CELL_COLUMNS = ("row", "date", "column", "value", "problem")
DROP_HINT = (
    "drop these rows with the drop-invalid option (drop_invalid=True in Python, drop_invalid = "
    "TRUE in R, --drop-invalid on the command line) or fix the data"
)
_SHOWN = 3
_QUIET = ("empty", "missing")


def invalid_cells(
    dates: pd.DatetimeIndex, date_problems: np.ndarray, raw_dates: pd.Series, numbers: dict
) -> pd.DataFrame:
    """Every invalid cell, in column order then row order.

    Args:
        dates: the parsed dates (NaT where a date is invalid).
        date_problems: per row, ``""`` or what is wrong with its date.
        raw_dates: the dates as given.
        numbers: ``{column: (raw cells, float64 values)}`` for each price column present.

    Returns:
        A frame with the columns of :data:`CELL_COLUMNS`: the 1-based ``row`` of the input, its
        ``date`` (NaT when the date itself is invalid), the ``column``, the ``value`` as given
        (text) and the ``problem`` (``not a date``, ``outside 1677-2262``, ``empty``,
        ``missing``, ``not a number``, ``infinite``, ``not positive`` or ``negative``).
    """
    checked = [("date", raw_dates, date_problems)] + [
        (column, raw, _number_problems(raw, values, column == "volume")) for column, (raw, values) in numbers.items()
    ]
    parts = [_cells(c, np.flatnonzero(p != ""), raw, dates, p) for c, raw, p in checked if (p != "").any()]
    if not parts:  # valid prices, the usual case: one empty frame rather than one per column
        return _cells("date", np.array([], dtype=np.int64), raw_dates, dates, date_problems)
    return pd.concat(parts, ignore_index=True)


def invalid_rows(cells: pd.DataFrame, n_rows: int) -> np.ndarray:
    """Boolean mask of the rows holding at least one invalid cell."""
    mask = np.zeros(n_rows, dtype=bool)
    mask[cells["row"].to_numpy(dtype=np.int64) - 1] = True
    return mask


def describe(cells: pd.DataFrame) -> str:
    """Per column and problem: the cell, or the count, the values seen and the first rows.

    Examples: ``column 'close', row 4 (2000-01-06): value 'null' is not a number`` and
    ``column 'open': 5,075 values not positive ('0'), first in rows 1 (1962-01-02), ...``.
    """
    groups = []
    for (column, problem), group in cells.groupby(["column", "problem"], sort=False):
        places = [_place(row, date) for row, date in zip(group["row"][:_SHOWN], group["date"][:_SHOWN])]
        if len(group) == 1:
            groups.append(f"column '{column}', row {places[0]}: {_cell(group['value'].iloc[0], problem)}")
            continue
        values = list(dict.fromkeys(group["value"]))[:_SHOWN]
        shown = "" if problem in _QUIET else f" ({', '.join(map(repr, values))})"
        noun = "cells" if problem == "empty" else "values"
        more = ", ..." if len(group) > _SHOWN else ""
        groups.append(
            f"column '{column}': {len(group):,} {noun} {problem}{shown}, first in rows "
            f"{', '.join(places)}{more}"
        )
    return "; ".join(groups)


def _cell(value: str, problem: str) -> str:
    if problem == "empty":
        return "cell is empty"
    if problem == "missing":
        return "value is missing"
    return f"value {value!r} is {problem}"


def _number_problems(raw: pd.Series, values: np.ndarray, volume: bool) -> np.ndarray:
    """Per row ``""`` or the problem of the cell (see :func:`invalid_cells`)."""
    problems = np.full(len(values), "", dtype=object)
    problems[values < 0 if volume else values <= 0] = "negative" if volume else "not positive"
    problems[np.isinf(values)] = "infinite"
    for row in np.flatnonzero(np.isnan(values)):
        cell = raw.iloc[row]
        if isinstance(cell, str):
            problems[row] = "empty" if not cell.strip() else "not a number"
        else:
            problems[row] = "missing"
    return problems


def _cells(column: str, rows: np.ndarray, raw: pd.Series, dates, problems) -> pd.DataFrame:
    values = raw.iloc[rows]
    return pd.DataFrame(
        {
            "row": rows + 1,
            "date": dates[rows],
            "column": column,
            "value": [v if isinstance(v, str) else str(v) for v in values],
            "problem": problems[rows],
        },
        columns=list(CELL_COLUMNS),
    )


def _place(row: int, date) -> str:
    return f"{row}" if pd.isna(date) else f"{row} ({format_date(date)})"


def format_date(stamp: pd.Timestamp) -> str:
    """A date as ``YYYY-MM-DD``, with the time only when it is not midnight."""
    return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else str(stamp)
