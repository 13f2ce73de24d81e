"""Read and validate daily prices into the prices contract.

A valid prices frame has a tz-naive ``datetime64[ns]`` DatetimeIndex named ``date`` that is
strictly increasing, unique and daily (one row per day, no time of day), and the float64
columns of :data:`PRICE_COLUMNS` that are present (only :data:`REQUIRED_COLUMNS` must be), then
the user's own numeric columns asked for with ``extra`` (extra features of the model). Every
invalid cell (a date that does not parse, a price that is not a finite positive number, a
negative or missing volume) is counted: one :class:`~pyanalytics.errors.DataError` summarises
them per column with their first rows and dates, or, with ``drop_invalid=True``, their rows are
dropped with a :class:`~pyanalytics.errors.DataWarning` saying which, and listed in the
result's ``attrs["dropped"]``. Other problems (missing or duplicated columns, repeated, unsorted
or intraday dates) raise a DataError naming the column or the first offending row (1-based
position of the data row in the input as given) and its date.
"""

from __future__ import annotations

import csv
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError, DataWarning, ParameterError
from pyanalytics.finance.extra_features import check_names, column_values
from pyanalytics.finance.invalid import DROP_HINT, describe, format_date, invalid_cells, invalid_rows
from pyanalytics.finance.quality import adj_close_mismatch

PRICE_COLUMNS = ("open", "high", "low", "close", "adj_close", "volume")
# The columns the default features read (FeatureSpec().required_columns; a test keeps them equal).
REQUIRED_COLUMNS = ("close", "volume")
DATE_NAMES = ("date", "datetime", "timestamp")
# quantmod names the adjusted close `<TICKER>.Adjusted`.
_ALIASES = {"adjusted": "adj_close"}

_YAHOO_HEADER = "Date,Open,High,Low,Close,Adj Close,Volume"
_EXPECTED_DATE = "expected a date such as 2020-01-31"
_EXPECTED_CELLS = "expected dates such as 2020-01-31, finite positive prices and finite volumes >= 0"


def load_prices(source, *, required=REQUIRED_COLUMNS, extra=(), drop_invalid: bool = False) -> pd.DataFrame:
    """Read prices from a Yahoo-style CSV file or a DataFrame and validate them.

    Args:
        source: Path (``str`` or ``os.PathLike``) to a CSV with the header
            ``Date,Open,High,Low,Close,Adj Close,Volume``, or a DataFrame with a date column
            (``date``, ``datetime`` or ``timestamp``, any case) or a DatetimeIndex.
        required: Columns of :data:`PRICE_COLUMNS` that must be present.
        extra: Your own numeric columns to keep, e.g. for
            ``FeatureSpec(extra_features=...)``; see :func:`validate_prices`.
        drop_invalid: Drop the rows holding an invalid cell instead of refusing them.

    Returns:
        A new frame in the prices contract (see :func:`validate_prices`).

    Raises:
        DataError: The file is missing, empty or unreadable, or the prices are invalid.
        ParameterError: ``source`` is neither a path nor a DataFrame.

    Warns:
        DataWarning: Rows were dropped, or ``adj_close`` jumps where ``close`` does not.

    Example:
        >>> prices = load_prices("AAPL.csv", drop_invalid=True)  # doctest: +SKIP
    """
    if isinstance(source, pd.DataFrame):
        return validate_prices(source, required=required, extra=extra, drop_invalid=drop_invalid)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        return _validate(_read_csv(path), required, extra, f"prices '{path}'", drop_invalid)
    raise ParameterError(
        f"load_prices: source is a {type(source).__name__}; expected a path to a CSV file or a "
        "pandas DataFrame. Pass one of those."
    )


def validate_prices(
    frame: pd.DataFrame, *, required=REQUIRED_COLUMNS, extra=(), drop_invalid: bool = False
) -> pd.DataFrame:
    """Check a prices frame and return a normalised copy; the input is never modified.

    Column names are matched without case, with runs of spaces, dashes, dots and underscores
    alike (``Adj Close``, ``Adj.Close`` -> ``adj_close``) and after a dotted ticker prefix
    (``AAPL.Close``, ``BRK.B.Close`` -> ``close``; ``AAPL.Adjusted`` -> ``adj_close``). Columns
    outside :data:`PRICE_COLUMNS` are dropped, except the ``extra`` ones.

    Args:
        frame: Prices with a date column (``date``, ``datetime`` or ``timestamp``) or a
            DatetimeIndex; cells may be numbers or numeric strings.
        required: Columns of :data:`PRICE_COLUMNS` that must be present.
        extra: Names of your own numeric columns to keep after the price columns, under these
            names (a column of the exact name, else the one of that name in another case), as float64: numbers or numeric text, finite, missing only before their
            first value. They are not price columns: ``drop_invalid`` does not drop their rows.
        drop_invalid: Drop the rows holding an invalid cell instead of refusing them; the
            result's ``attrs["dropped"]`` lists those cells (columns row, date, column, value,
            problem) and a DataWarning summarises them.

    Returns:
        A new frame with a tz-naive ``datetime64[ns]`` index named ``date``, strictly
        increasing, unique and daily, and the present columns of :data:`PRICE_COLUMNS` in that
        order, all float64.

    Raises:
        DataError: Missing or duplicated columns; repeated, unsorted or intraday dates; invalid
            cells (all of them summarised in one line) unless ``drop_invalid``; or no rows; a
            bad cell of an ``extra`` column (naming its row and date).
        ParameterError: ``frame`` is not a DataFrame, ``required`` names unknown columns or
            ``extra`` names a price or date column.

    Warns:
        DataWarning: Rows were dropped, or ``adj_close`` jumps where ``close`` does not.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(
            f"validate_prices: frame is a {type(frame).__name__}; expected a pandas DataFrame. "
            "Use load_prices for a file path."
        )
    return _validate(frame, required, extra, "prices", drop_invalid)


def require_rows(prices: pd.DataFrame, needed: int, why: str) -> None:
    """Raise when ``prices`` has fewer than ``needed`` rows.

    Args:
        prices: A prices frame.
        needed: Minimum number of rows.
        why: What needs the rows, e.g. ``"a 200-day moving average"``.

    Raises:
        DataError: ``len(prices) < needed``.
    """
    if len(prices) < needed:
        raise DataError(
            f"prices: {len(prices)} rows, but {why} needs at least {needed}; "
            "supply a longer history."
        )


def _read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV with every cell as text, so that bad cells can be reported verbatim.

    The columns keep the names of the header as written: pandas would rename a second
    ``Close`` to ``Close.1``, which must be refused, not ignored.
    """
    if not path.is_file():
        problem = "is a directory" if path.is_dir() else "does not exist"
        raise DataError(
            f"prices: file '{path}' {problem}; expected a CSV with the header {_YAHOO_HEADER}. "
            "Check the path."
        )
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except pd.errors.EmptyDataError:
        raise DataError(
            f"prices: file '{path}' is empty; expected the header {_YAHOO_HEADER} and at least "
            "one row. Supply a non-empty file."
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError, csv.Error) as exc:
        reason = str(exc).strip().splitlines()[0]
        raise DataError(
            f"prices: file '{path}' is not a readable CSV ({reason}); expected the header "
            f"{_YAHOO_HEADER} and one comma-separated row per day. Fix the file."
        ) from exc
    if len(header) == len(frame.columns):
        frame.columns = header
    return frame


def _validate(frame: pd.DataFrame, required, extra, label: str, drop_invalid) -> pd.DataFrame:
    """Run every check in order and build the normalised frame."""
    required = _check_required(required)
    extra = check_names(extra, column_kind, "extra")
    if not isinstance(drop_invalid, (bool, np.bool_)):
        raise ParameterError(f"drop_invalid: expected True or False, got {drop_invalid!r}.")
    positions = _column_positions(frame, label)
    raw_dates, date_where = _find_dates(frame, positions)
    _check_columns(frame, positions, required, raw_dates is not None, label)
    extra_positions = _extra_positions(frame, extra, label)
    if len(frame) == 0:
        raise DataError(
            f"{label}: no rows; expected at least one dated row of prices. "
            "Supply a non-empty price history."
        )
    dates, date_problems = _parse_dates(raw_dates, date_where, label)
    _check_daily(dates, date_where, label)
    numbers = {
        name: (frame.iloc[:, positions[name]], _floats(frame.iloc[:, positions[name]]))
        for name in PRICE_COLUMNS
        if name in positions
    }
    cells = invalid_cells(dates, date_problems, raw_dates, numbers)
    keep = ~invalid_rows(cells, len(frame))
    if len(cells):
        _refuse_or_warn(cells, keep, dates, label, required, drop_invalid)
    prices = pd.DataFrame({name: values[keep] for name, (_, values) in numbers.items()}, index=dates[keep])
    rows = np.flatnonzero(keep)
    for name, position in extra_positions.items():
        prices[name] = column_values(frame.iloc[rows, position], name, dates[keep], rows + 1, label)
    if len(cells):
        prices.attrs["dropped"] = cells
    mismatch = adj_close_mismatch(prices, label)
    if mismatch:
        warnings.warn(mismatch, DataWarning, stacklevel=4)
    return prices


def _refuse_or_warn(cells, keep, dates, label: str, required, drop_invalid: bool) -> None:
    """Raise one line summarising every invalid cell, or warn which rows are dropped."""
    n_rows, n_bad = len(keep), int((~keep).sum())
    if not drop_invalid or not keep.any():
        rows = f"all {n_rows:,} rows" if not keep.any() else f"{n_bad:,} of {n_rows:,} rows"
        remedy = DROP_HINT if keep.any() else "fix the data"
        optional = sorted(set(cells["column"]) - set(required) - {"date"}, key=PRICE_COLUMNS.index)
        if len(optional) == cells["column"].nunique():
            remedy += f" (or leave out the column(s) {', '.join(map(repr, optional))}, which are optional)"
        raise DataError(f"{label}: {rows} invalid: {describe(cells)}; {_EXPECTED_CELLS}; {remedy}.")
    kept = np.flatnonzero(keep)
    inside = int((~keep[kept[0] : kept[-1]]).sum())
    gaps = f"; {inside:,} of them inside the history, where returns now span the gap" if inside else ""
    warnings.warn(
        f"{label}: dropped {n_bad:,} of {n_rows:,} rows as invalid: {describe(cells)}{gaps}; "
        f"{len(kept):,} rows left ({format_date(dates[kept[0]])} .. {format_date(dates[kept[-1]])}).",
        DataWarning,
        stacklevel=5,
    )


def _check_required(required) -> tuple[str, ...]:
    """Return ``required`` as a tuple after checking every name is a price column."""
    names = (required,) if isinstance(required, str) else tuple(required)
    unknown = [name for name in names if name not in PRICE_COLUMNS]
    if unknown:
        raise ParameterError(
            f"required: unknown column(s) {', '.join(map(repr, unknown))}; expected names from "
            f"{', '.join(PRICE_COLUMNS)}. Remove the others."
        )
    return names


def column_name(original) -> str | None:
    """The price or date column a name means, or None.

    ``' Adj Close '``, ``'Adj.Close'``, ``'AAPL.Adjusted'`` -> ``'adj_close'``;
    ``'BRK.B.Close'`` -> ``'close'`` (a dotted prefix such as a ticker is skipped).
    """
    parts = str(original).strip().lower().split(".")
    for start in range(len(parts)):
        name = re.sub(r"[\s\-_.]+", "_", ".".join(parts[start:]).strip())
        name = _ALIASES.get(name, name)
        if name in PRICE_COLUMNS + DATE_NAMES:
            return name
    return None


def _column_positions(frame: pd.DataFrame, label: str) -> dict[str, int]:
    """Map the names of the used columns to their positions; reject clashes and duplicates."""
    positions: dict[str, int] = {}
    renamed = []
    for position, original in enumerate(frame.columns):
        name = column_name(original)
        if name is None:
            renamed.append(original)
            continue
        if name in positions:
            first = frame.columns[positions[name]]
            raise DataError(
                f"{label}: columns {first!r} (column {positions[name] + 1}) and {original!r} "
                f"(column {position + 1}) both mean {name!r}; expected one column per name. "
                "Drop or rename one of them."
            )
        positions[name] = position
    for original in renamed:
        copy = re.fullmatch(r"(.+)\.\d+", str(original).strip())
        if copy and column_name(copy[1]) in positions:
            raise DataError(
                f"{label}: column {original!r} is a second {copy[1]!r} renamed by the reader "
                "(duplicated column names); expected one column per name. Drop or rename one "
                "of them in the source."
            )
    return positions


def _find_dates(frame: pd.DataFrame, positions: dict[str, int]):
    """Return the raw dates as a Series and where they came from, or ``(None, None)``."""
    for name in DATE_NAMES:
        if name in positions:
            return frame.iloc[:, positions[name]], f"column '{name}'"
    index = frame.index
    if isinstance(index, pd.DatetimeIndex) or column_name(index.name) in DATE_NAMES:
        return pd.Series(index), "the date index"
    return None, None


def _check_columns(frame, positions, required, has_dates: bool, label: str) -> None:
    """Raise naming every missing required column and the columns found."""
    missing = ([] if has_dates else ["date"]) + [c for c in required if c not in positions]
    if missing:
        found = ", ".join(repr(str(c)) for c in frame.columns) or "no columns"
        raise DataError(
            f"{label}: missing required column(s) {', '.join(map(repr, missing))}; found "
            f"{found}. Expected {', '.join(('date',) + required)} (Yahoo headers such as "
            "'Adj Close' are accepted; the date may be the index). Add or rename the columns."
        )


def column_kind(name: str) -> str | None:
    """``"the price column 'close'"`` (or date column) when ``name`` means one, else None."""
    meant = column_name(name)
    if meant is None:
        return None
    return f"the {'date' if meant in DATE_NAMES else 'price'} column {meant!r}"


def _extra_positions(frame: pd.DataFrame, extra: tuple[str, ...], label: str) -> dict[str, int]:
    """Map each ``extra`` name to the position of its column: the one of that exact name, else
    the one column of that name in another case (R and spreadsheets change the case)."""
    positions = {}
    names = [str(column) for column in frame.columns]
    for name in extra:
        found = [at for at, column in enumerate(names) if column == name]
        found = found or [at for at, column in enumerate(names) if column.lower() == name.lower()]
        if not found:
            raise DataError(
                f"{label}: no column named {name!r}, an extra feature's column (columns found: "
                f"{names}); add it, each date's value known at that date's close."
            )
        if len(found) > 1:
            raise DataError(
                f"{label}: {len(found)} columns named {name!r} in different cases "
                f"({[names[at] for at in found]}); expected one: rename the others."
            )
        positions[name] = found[0]
    return positions


def _parse_dates(raw: pd.Series, where: str, label: str):
    """Parse dates to a tz-naive ``datetime64[ns]`` index (NaT where invalid) and per row
    ``""`` or the problem of the date."""
    if pd.api.types.is_numeric_dtype(raw.dtype):
        raise DataError(
            f"{label}: {where}, row 1: value {_show(raw.iloc[0])} is a number; "
            f"{_EXPECTED_DATE}. Store the dates as text or datetimes."
        )
    parsed = pd.DatetimeIndex(_to_datetime(raw, where, label))
    if parsed.tz is not None:
        parsed = parsed.tz_localize(None)
    out_of_range = np.asarray((parsed < pd.Timestamp.min) | (parsed > pd.Timestamp.max))
    problems = np.where(out_of_range, "outside 1677-2262", np.where(parsed.isna(), "not a date", ""))
    parsed = parsed.where(~out_of_range)
    return parsed.as_unit("ns").rename("date"), problems.astype(object)


def _to_datetime(raw: pd.Series, where: str, label: str) -> pd.Series:
    """Parse ISO 8601 dates, falling back to pandas' format inference if that parses more."""
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        return raw
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            parsed = pd.to_datetime(raw, format="ISO8601", errors="coerce")
            if parsed.isna().any():
                inferred = pd.to_datetime(raw, errors="coerce")
                if inferred.isna().sum() < parsed.isna().sum():
                    parsed = inferred
        except ValueError as exc:
            raise DataError(
                f"{label}: {where}: dates carry mixed time-zone offsets; expected dates "
                "in one time zone. Convert them to one zone or drop the offsets."
            ) from exc
    return parsed


def _check_daily(dates: pd.DatetimeIndex, where: str, label: str) -> None:
    """Raise at intraday rows, then at the first repeated or unsorted date (valid dates only)."""
    rows = np.flatnonzero(dates.notna())
    valid = dates[rows]
    timed = valid != valid.normalize()
    if timed.any():
        days = valid.normalize()
        repeated = days.duplicated()
        if repeated.any():
            at = int(np.argmax(repeated))
            raise DataError(
                f"{label}: {where}, row {rows[at] + 1} ({format_date(valid[at])}): a second row "
                f"on {format_date(days[at])} ({int((days == days[at]).sum())} rows that day); "
                "expected daily prices, one row per day. Resample the intraday rows to daily bars."
            )
        at = int(np.argmax(timed))
        raise DataError(
            f"{label}: {where}, row {rows[at] + 1} ({format_date(valid[at])}): a time of day; "
            "expected daily dates without a time. Drop the times if these are daily bars."
        )
    _check_order(valid, rows, where, label)


def _check_order(dates: pd.DatetimeIndex, rows: np.ndarray, where: str, label: str) -> None:
    """Raise at the first repeated date, then at the first date earlier than its predecessor."""
    values = dates.asi8
    steps = np.diff(values)
    if (steps > 0).all():
        return
    repeated = dates.duplicated()
    if repeated.any():
        at = int(np.argmax(repeated))
        first = int(np.argmax(values == values[at]))
        raise DataError(
            f"{label}: {where}, row {rows[at] + 1} ({format_date(dates[at])}): same date as row "
            f"{rows[first] + 1}; expected unique dates. Drop one of the two rows."
        )
    at = int(np.argmax(steps < 0)) + 1
    raise DataError(
        f"{label}: {where}, row {rows[at] + 1} ({format_date(dates[at])}): earlier than row "
        f"{rows[at - 1] + 1} ({format_date(dates[at - 1])}); expected strictly increasing dates. "
        "Sort the rows by date."
    )


def _floats(raw: pd.Series) -> np.ndarray:
    """One column as float64, NaN where a cell is not a number."""
    if pd.api.types.is_numeric_dtype(raw.dtype):
        return raw.to_numpy(dtype=np.float64, na_value=np.nan)
    return pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def _show(raw) -> str:
    """Quote text cells, print other values plainly (``'null'``, ``nan``, ``-1.5``)."""
    return repr(raw) if isinstance(raw, str) else str(raw)
