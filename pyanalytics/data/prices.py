"""Read and validate daily prices into the prices contract.

A valid prices frame has a tz-naive ``datetime64[ns]`` DatetimeIndex named ``date`` that is
strictly increasing and unique, and the float64 columns of :data:`PRICE_COLUMNS` that are
present (``adj_close`` is optional). Every problem raises :class:`~pyanalytics.errors.DataError`
with one line naming the column, the first offending row (1-based position of the data row in
the input as given) and its date, what was expected and what to do.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError, ParameterError

PRICE_COLUMNS = ("open", "high", "low", "close", "adj_close", "volume")
REQUIRED_COLUMNS = ("open", "high", "low", "close", "volume")
DATE_NAMES = ("date", "datetime", "timestamp")

_YAHOO_HEADER = "Date,Open,High,Low,Close,Adj Close,Volume"
_EXPECTED_PRICE = "expected a finite positive price"
_EXPECTED_VOLUME = "expected a finite volume >= 0"
_EXPECTED_DATE = "expected a date such as 2020-01-31"


def load_prices(source, *, required=REQUIRED_COLUMNS) -> pd.DataFrame:
    """Read prices from a Yahoo-style CSV file or a DataFrame and validate them.

    Args:
        source: Path (``str`` or ``os.PathLike``) to a CSV with the header
            ``Date,Open,High,Low,Close,Adj Close,Volume``, or a DataFrame with a date column
            (``date``, ``datetime`` or ``timestamp``, any case) or a DatetimeIndex.
        required: Columns of :data:`PRICE_COLUMNS` that must be present.

    Returns:
        A new frame in the prices contract (see :func:`validate_prices`).

    Raises:
        DataError: The file is missing, empty or unreadable, or the prices are invalid.
        ParameterError: ``source`` is neither a path nor a DataFrame.

    Example:
        >>> prices = load_prices("AAPL.csv")  # doctest: +SKIP
    """
    if isinstance(source, pd.DataFrame):
        return validate_prices(source, required=required)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        return _validate(_read_csv(path), required, label=f"prices '{path}'")
    raise ParameterError(
        f"load_prices: source is a {type(source).__name__}; expected a path to a CSV file or a "
        "pandas DataFrame. Pass one of those."
    )


def validate_prices(frame: pd.DataFrame, *, required=REQUIRED_COLUMNS) -> pd.DataFrame:
    """Check a prices frame and return a normalised copy; the input is never modified.

    Column names are stripped, lower-cased, and runs of spaces and dashes become ``_``
    (``Adj Close`` -> ``adj_close``). Columns outside :data:`PRICE_COLUMNS` are dropped.

    Args:
        frame: Prices with a date column (``date``, ``datetime`` or ``timestamp``) or a
            DatetimeIndex; cells may be numbers or numeric strings.
        required: Columns of :data:`PRICE_COLUMNS` that must be present.

    Returns:
        A new frame with a tz-naive ``datetime64[ns]`` index named ``date``, strictly
        increasing and unique, and the present columns of :data:`PRICE_COLUMNS` in that order,
        all float64.

    Raises:
        DataError: Missing columns, bad or unsorted dates, non-finite or non-positive prices,
            negative volume, or no rows.
        ParameterError: ``frame`` is not a DataFrame or ``required`` names unknown columns.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(
            f"validate_prices: frame is a {type(frame).__name__}; expected a pandas DataFrame. "
            "Use load_prices for a file path."
        )
    return _validate(frame, required, label="prices")


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
    """Read a CSV with every cell as text, so that bad cells can be reported verbatim."""
    if not path.is_file():
        problem = "is a directory" if path.is_dir() else "does not exist"
        raise DataError(
            f"prices: file '{path}' {problem}; expected a CSV with the header {_YAHOO_HEADER}. "
            "Check the path."
        )
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise DataError(
            f"prices: file '{path}' is empty; expected the header {_YAHOO_HEADER} and at least "
            "one row. Supply a non-empty file."
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        reason = str(exc).strip().splitlines()[0]
        raise DataError(
            f"prices: file '{path}' is not a readable CSV ({reason}); expected the header "
            f"{_YAHOO_HEADER} and one comma-separated row per day. Fix the file."
        ) from exc


def _validate(frame: pd.DataFrame, required, label: str) -> pd.DataFrame:
    """Run every check in order and build the normalised frame."""
    required = _check_required(required)
    positions = _column_positions(frame, label)
    raw_dates, date_where = _find_dates(frame, positions)
    _check_columns(frame, positions, required, raw_dates is not None, label)
    if len(frame) == 0:
        raise DataError(
            f"{label}: no rows; expected at least one dated row of prices. "
            "Supply a non-empty price history."
        )
    dates = _parse_dates(raw_dates, date_where, label)
    _check_order(dates, date_where, label)
    columns = {
        name: _numbers(frame.iloc[:, positions[name]], name, dates, label)
        for name in PRICE_COLUMNS
        if name in positions
    }
    return pd.DataFrame(columns, index=dates)


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


def _normalise(name) -> str:
    """``' Adj Close '`` -> ``'adj_close'``."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _column_positions(frame: pd.DataFrame, label: str) -> dict[str, int]:
    """Map the normalised names of the used columns to their positions; reject clashes."""
    positions: dict[str, int] = {}
    for position, original in enumerate(frame.columns):
        name = _normalise(original)
        if name not in PRICE_COLUMNS + DATE_NAMES:
            continue
        if name in positions:
            first = frame.columns[positions[name]]
            raise DataError(
                f"{label}: columns {first!r} and {original!r} both mean {name!r}; expected one "
                "column per name. Drop or rename one of them."
            )
        positions[name] = position
    return positions


def _find_dates(frame: pd.DataFrame, positions: dict[str, int]):
    """Return the raw dates as a Series and where they came from, or ``(None, None)``."""
    for name in DATE_NAMES:
        if name in positions:
            return frame.iloc[:, positions[name]], f"column '{name}'"
    index = frame.index
    if isinstance(index, pd.DatetimeIndex) or _normalise(index.name) in DATE_NAMES:
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


def _parse_dates(raw: pd.Series, where: str, label: str) -> pd.DatetimeIndex:
    """Parse dates to a tz-naive ``datetime64[ns]`` index; raise at the first bad one."""
    if pd.api.types.is_numeric_dtype(raw.dtype):
        raise DataError(
            f"{label}: {where}, row 1: value {_show(raw.iloc[0])} is a number; "
            f"{_EXPECTED_DATE}. Store the dates as text or datetimes."
        )
    parsed = pd.DatetimeIndex(_to_datetime(raw, where, label))
    if parsed.tz is not None:
        parsed = parsed.tz_localize(None)
    out_of_range = (parsed < pd.Timestamp.min) | (parsed > pd.Timestamp.max)
    bad = parsed.isna() | out_of_range
    if bad.any():
        row = int(np.argmax(bad))
        problem = "is outside 1677-2262" if out_of_range[row] else "is not a date"
        raise DataError(
            f"{label}: {where}, row {row + 1}: {_describe(raw.iloc[row], problem)}; "
            f"{_EXPECTED_DATE}. Fix or drop that row."
        )
    return parsed.as_unit("ns").rename("date")


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


def _check_order(dates: pd.DatetimeIndex, where: str, label: str) -> None:
    """Raise at the first repeated date, then at the first date earlier than its predecessor."""
    values = dates.asi8
    steps = np.diff(values)
    if (steps > 0).all():
        return
    repeated = dates.duplicated()
    if repeated.any():
        row = int(np.argmax(repeated))
        first = int(np.argmax(values == values[row]))
        raise DataError(
            f"{label}: {where}, row {row + 1} ({_fmt(dates[row])}): same date as row "
            f"{first + 1}; expected unique dates. Drop one of the two rows."
        )
    row = int(np.argmax(steps < 0)) + 1
    raise DataError(
        f"{label}: {where}, row {row + 1} ({_fmt(dates[row])}): earlier than row {row} "
        f"({_fmt(dates[row - 1])}); expected strictly increasing dates. Sort the rows by date."
    )


def _numbers(raw: pd.Series, name: str, dates: pd.DatetimeIndex, label: str) -> np.ndarray:
    """Convert one column to float64 and raise at its first non-finite or out-of-range cell."""
    if pd.api.types.is_numeric_dtype(raw.dtype):
        values = raw.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    volume = name == "volume"
    expected = _EXPECTED_VOLUME if volume else _EXPECTED_PRICE
    finite = np.isfinite(values)
    if not finite.all():
        row = int(np.argmin(finite))
        problem = "is infinite" if np.isinf(values[row]) else "is not a number"
        _raise_cell(label, name, row, dates, _describe(raw.iloc[row], problem), expected)
    too_low = values < 0 if volume else values <= 0
    if too_low.any():
        row = int(np.argmax(too_low))
        problem = "is negative" if volume else "is not positive"
        _raise_cell(label, name, row, dates, f"value {_show(raw.iloc[row])} {problem}", expected)
    return values


def _raise_cell(label, column, row, dates, problem, expected) -> None:
    """Raise the one-line error for a bad cell; ``row`` is 0-based."""
    raise DataError(
        f"{label}: column '{column}', row {row + 1} ({_fmt(dates[row])}): {problem}; "
        f"{expected}. Fix or drop that row."
    )


def _describe(raw, problem: str) -> str:
    """Describe a bad cell: empty, missing, or its value with ``problem``."""
    if isinstance(raw, str) and not raw.strip():
        return "cell is empty"
    if not isinstance(raw, str) and pd.isna(raw):
        return f"value is missing ({raw})"
    return f"value {_show(raw)} {problem}"


def _show(raw) -> str:
    """Quote text cells, print other values plainly (``'null'``, ``nan``, ``-1.5``)."""
    return repr(raw) if isinstance(raw, str) else str(raw)


def _fmt(stamp: pd.Timestamp) -> str:
    """A date as ``YYYY-MM-DD``, with the time only when it is not midnight."""
    return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else str(stamp)
