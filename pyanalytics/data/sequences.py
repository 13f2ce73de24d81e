"""Sequence data for recurrent models: one series cut into windows, or a panel of separate series.

A series is a table of time steps in time order. The window ending at step t holds the rows
``t - window + 1 .. t`` (oldest first), so nothing after t is inside it; a forecast target at t
is the next ``horizon`` values ``t + 1 .. t + horizon``. ``part_end_rows`` keeps every window and
every target of a split part inside that part, so none crosses a split boundary or a purge gap.
Windows are strided views of the series (``window_view``): building them copies nothing.

A panel is the UCR/UEA shape: separate series of equal length, each with one label, as a 3-D
array (series, time steps, features) or a long frame with a series-id column.

Example:
    >>> values = np.arange(12.0).reshape(6, 2)
    >>> window_view(values, 3).shape, window_view(values, 3)[0, :, 0].tolist()
    ((4, 3, 2), [0.0, 2.0, 4.0])
    >>> part_end_rows(np.arange(10, 20), window=3, horizon=2).tolist()
    [12, 13, 14, 15, 16, 17]
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from pyanalytics.data.columns import row_label
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.params import check_int


def check_time_index(times, *, max_gap=None, owner: str = "series") -> pd.DatetimeIndex:
    """``times`` as a DatetimeIndex, strictly increasing, with no gap above ``max_gap``.

    Args:
        times: the time of each row, in row order (anything ``pd.to_datetime`` reads); a Series'
            rows are named by its index labels, as the other checks of a frame name them, any
            other sequence's by position from 1.
        max_gap: the longest allowed step between consecutive rows (a Timedelta or a string
            such as ``"5min"``); None allows any.
        owner: what the rows are, for error messages.

    Raises:
        DataError: a time that does not parse, a row not after the one before it (row named),
            or a step longer than ``max_gap`` (both times named).
        ParameterError: ``max_gap`` is not a positive duration.

    Example:
        >>> check_time_index(["2024-01-01 10:00", "2024-01-01 10:01"], max_gap="5min").size
        2
    """
    name = _row_namer(times)
    try:
        index = pd.DatetimeIndex(pd.to_datetime(pd.Series(times).to_numpy())).as_unit("ns")
    except (ValueError, TypeError) as error:
        raise DataError(f"{owner}: the time column does not hold dates or times ({error}); pass parseable times.") from None
    if index.hasnans:
        row = int(np.flatnonzero(index.isna())[0])
        raise DataError(f"{owner}: row {name(row)} has no time; every row needs one. Drop or fill that row.")
    steps = np.diff(index.asi8)
    if (steps <= 0).any():
        row = int(np.flatnonzero(steps <= 0)[0]) + 1
        word = "repeats" if steps[row - 1] == 0 else "goes back to"
        raise DataError(
            f"{owner}: the time index is not increasing: row {name(row)} {word} {index[row]} after "
            f"{index[row - 1]} (row {name(row - 1)}); sort the rows by time and drop duplicates."
        )
    if max_gap is not None:
        limit = _duration("max_gap", max_gap)
        too_long = np.flatnonzero(steps > limit.value)
        if len(too_long):
            row = int(too_long[0]) + 1
            raise DataError(
                f"{owner}: a gap of {index[row] - index[row - 1]} between {index[row - 1]} (row {name(row - 1)}) and "
                f"{index[row]} (row {name(row)}) is longer than max_gap={limit}; fill the gap, split the "
                "series there, or allow a longer max_gap."
            )
    return index


def _row_namer(times):
    """How messages name the row at a position: a Series' index label, else the position from 1."""
    if isinstance(times, pd.Series):
        return lambda position: row_label(times.index, position)
    return lambda position: str(position + 1)


def _duration(name: str, value) -> pd.Timedelta:
    try:
        duration = pd.Timedelta(value)
    except (ValueError, TypeError):
        duration = None
    if duration is None or pd.isna(duration) or duration <= pd.Timedelta(0):
        raise ParameterError(f"{name}: expected a positive duration such as '5min' or '2D', got {value!r}.")
    return duration


def window_view(values: np.ndarray, window: int) -> np.ndarray:
    """Every window of ``window`` consecutive rows of ``values`` (n, f), as a read-only view.

    Returns an array (n - window + 1, window, f) whose element ``i`` is rows ``i .. i + window - 1``
    (the window ending at row ``i + window - 1``). Nothing is copied.

    Raises:
        DataError: ``values`` has fewer rows than one window.
    """
    window = check_int("window", window, minimum=1)
    if len(values) < window:
        raise DataError(
            f"series: {len(values)} rows are shorter than one window of {window}; supply a longer "
            "series or a shorter window."
        )
    return sliding_window_view(values, window, axis=0).transpose(0, 2, 1)


def windows_ending_at(values: np.ndarray, end_rows, window: int) -> np.ndarray:
    """The windows ending at ``end_rows``, as a float64 array (len(end_rows), window, f).

    Raises:
        DataError: an end row has fewer than ``window - 1`` rows before it, or lies past the end.
    """
    end_rows = np.asarray(end_rows, dtype=np.int64)
    view = window_view(values, window)
    if len(end_rows) and (end_rows.min() < window - 1 or end_rows.max() >= len(values)):
        row = int(end_rows.min() if end_rows.min() < window - 1 else end_rows.max())
        raise DataError(
            f"series: no window of {window} rows ends at row {row + 1} of {len(values)}; a window "
            f"needs {window - 1} rows before its last one."
        )
    return np.ascontiguousarray(view[end_rows - window + 1], dtype=np.float64)


def horizon_targets(target: np.ndarray, end_rows, horizon: int) -> np.ndarray:
    """The next ``horizon`` values after each end row: (len(end_rows), horizon), column h-1 = t + h.

    Raises:
        DataError: an end row is negative, or fewer than ``horizon`` rows before the end of ``target``.
    """
    horizon = check_int("horizon", horizon, minimum=1)
    end_rows = np.asarray(end_rows, dtype=np.int64)
    if len(end_rows) and end_rows.min() < 0:  # numpy would wrap it round to the end of the series
        raise DataError(f"series: end row {int(end_rows.min())} is before the first row; pass rows from 0.")
    if len(end_rows) and end_rows.max() + horizon >= len(target):
        raise DataError(
            f"series: row {int(end_rows.max()) + 1} of {len(target)} has fewer than {horizon} later "
            "rows to forecast; end the windows earlier or shorten the horizon."
        )
    future = sliding_window_view(np.asarray(target, dtype=np.float64), horizon)
    return np.array(future[end_rows + 1])


def part_end_rows(part, window: int, horizon: int = 0) -> np.ndarray:
    """The rows of one split part at which a window can end with everything inside the part.

    Args:
        part: the part's row positions, consecutive and increasing.
        window: rows per window; its first row must be in the part.
        horizon: rows each target looks ahead; its last row must be in the part (0: none).

    Example:
        >>> part_end_rows(np.arange(5), window=2).tolist()
        [1, 2, 3, 4]
    """
    part = np.asarray(part, dtype=np.int64)
    if not len(part):
        return part
    return part[(part - window + 1 >= part[0]) & (part + horizon <= part[-1])]


@dataclass(frozen=True)
class Panel:
    """Separate series of equal length, each with one label (the UCR/UEA shape).

    Attributes:
        values: float64 array (series, time steps, features).
        labels: one label per series, or None.
        ids: the series' ids, in the order of ``values``.
        feature_names: the features' names.
        notes: what was changed to make the series fit (padding), in words.
    """

    values: np.ndarray
    labels: np.ndarray | None
    ids: np.ndarray
    feature_names: tuple[str, ...]
    notes: tuple[str, ...] = ()


def panel_from(data, *, series_id=None, time_column=None, features=None, label=None, labels=None, pad=False) -> Panel:
    """A ``Panel`` from a 3-D array or a long frame with one row per (series, time step).

    Args:
        data: an array (series, time steps, features) or (series, time steps), or a long DataFrame.
        series_id: the frame's column naming each row's series (required for a frame).
        time_column: the frame's column ordering each series' rows (default: their order).
        features: the frame's value columns (default: every column but the id, time and label).
        label: the frame's column holding each series' label (constant within a series).
        labels: for an array, one label per series.
        pad: for a frame, pad shorter series at the start with their first row's values to the
            longest length (stated in ``notes``) instead of refusing them.

    Raises:
        DataError: a missing column, a label that changes within a series, series of different
            lengths without ``pad`` (the series and both lengths named), non-numeric values.
    """
    if isinstance(data, pd.DataFrame):
        return _panel_from_frame(data, series_id, time_column, features, label, pad)
    values = np.asarray(data, dtype=np.float64)
    if values.ndim == 2:
        values = values[:, :, None]
    if values.ndim != 3:
        raise DataError(f"panel: expected a 3-D array (series, time steps, features), got shape {values.shape}.")
    if labels is not None and len(labels) != len(values):
        raise DataError(f"panel: {len(labels)} labels for {len(values)} series; give one label per series.")
    names = tuple(f"x{i + 1}" for i in range(values.shape[2]))
    return Panel(values, None if labels is None else np.asarray(labels), np.arange(len(values)), names)


def _panel_from_frame(frame, series_id, time_column, features, label, pad) -> Panel:
    if series_id is None:
        raise ParameterError("series_id: a long frame needs the column naming each row's series; none was given.")
    named = [c for c in (series_id, time_column, label) if c is not None]
    missing = [c for c in [*named, *(features or [])] if c not in frame.columns]
    if missing:
        raise DataError(f"panel: column {missing[0]!r} is not in the frame (columns: {list(frame.columns)}).")
    features = list(features) if features is not None else [c for c in frame.columns if c not in named]
    order = [series_id] if time_column is None else [series_id, time_column]
    frame = frame.sort_values(order, kind="stable")
    groups = frame.groupby(series_id, sort=False)
    lengths = groups.size()
    longest = int(lengths.max())
    short = lengths[lengths < longest]
    notes = ()
    if len(short) and not pad:
        raise DataError(
            f"panel: series {short.index[0]!r} has {int(short.iloc[0])} time steps but series "
            f"{lengths.idxmax()!r} has {longest}; equal lengths are needed. Trim the series or pass "
            "pad=True to pad the shorter ones at the start."
        )
    if len(short):
        notes = (f"{len(short)} of {len(lengths)} series padded at the start with their first values to {longest} steps.",)
    for column in features:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            raise DataError(f"panel: column {column!r} has type {frame[column].dtype}; expected numbers.")
    values = np.empty((len(lengths), longest, len(features)))
    series_labels = []
    for i, (name, rows) in enumerate(groups):
        block = rows[features].to_numpy(dtype=np.float64)
        values[i, longest - len(block):] = block
        values[i, : longest - len(block)] = block[0]
        if label is not None:
            if rows[label].nunique(dropna=False) != 1:
                raise DataError(f"panel: series {name!r} has {rows[label].nunique(dropna=False)} different labels "
                                f"in column {label!r}; a panel needs one label per series.")
            series_labels.append(rows[label].iloc[0])
    labels = np.asarray(series_labels) if label is not None else None
    return Panel(values, labels, lengths.index.to_numpy(), tuple(map(str, features)), notes)
