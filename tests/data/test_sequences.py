"""Sequence windows and panels: nothing after a window's end, nothing across a part, clear errors."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.data.sequences import (
    check_time_index,
    horizon_targets,
    panel_from,
    part_end_rows,
    window_view,
    windows_ending_at,
)
from pyanalytics.errors import DataError, ParameterError


def _row_numbers(n: int, features: int = 2) -> np.ndarray:
    """Each cell holds its own row number, so a window shows exactly which rows it read."""
    return np.repeat(np.arange(n, dtype=np.float64)[:, None], features, axis=1)


def test_window_view_is_a_view_of_the_rows_ending_at_each_step():
    values = _row_numbers(50)
    windows = window_view(values, 7)
    assert np.shares_memory(windows, values)
    assert windows.shape == (44, 7, 2)
    assert windows[10, :, 1].tolist() == list(range(10, 17))


def test_windows_ending_at_never_hold_a_later_row():
    values = _row_numbers(100)
    ends = np.array([9, 40, 99])
    windows = windows_ending_at(values, ends, 10)
    assert (windows.max(axis=(1, 2)) == ends).all()
    assert (windows[:, -1, 0] == ends).all()
    assert (windows[:, 0, 0] == ends - 9).all()


def test_parts_keep_windows_and_targets_inside():
    values = _row_numbers(60)
    parts = {"train": np.arange(0, 30), "test": np.arange(35, 60)}  # a purge gap of 5 rows
    for rows in parts.values():
        ends = part_end_rows(rows, window=8, horizon=3)
        windows = windows_ending_at(values, ends, 8)
        targets = horizon_targets(values[:, 0], ends, 3)
        assert windows.min() >= rows[0] and targets.max() <= rows[-1]
        assert (targets[:, 0] == ends + 1).all() and (targets[:, 2] == ends + 3).all()
    assert part_end_rows(parts["test"], window=8, horizon=3)[0] == 42


def test_too_short_series_and_too_early_end_rows_are_refused():
    with pytest.raises(DataError, match="shorter than one window of 30"):
        window_view(_row_numbers(10), 30)
    with pytest.raises(DataError, match="no window of 5 rows ends at row 3"):
        windows_ending_at(_row_numbers(10), [2], 5)
    with pytest.raises(DataError, match="fewer than 4 later rows"):
        horizon_targets(np.arange(10.0), [7], 4)
    with pytest.raises(DataError, match="end row -1 is before the first row"):
        horizon_targets(np.arange(10.0), [-1], 2)


def test_time_index_must_increase_and_keep_gaps_small():
    times = pd.date_range("2024-01-01", periods=5, freq="min")
    assert check_time_index(times, max_gap="2min").equals(times)
    with pytest.raises(DataError, match=r"row 3 goes back to 2024-01-01 00:00:00 after 2024-01-01 00:01:00 \(row 2\)"):
        check_time_index([times[0], times[1], times[0]])
    with pytest.raises(DataError, match="row 2 repeats"):
        check_time_index([times[0], times[0]])
    with pytest.raises(DataError, match=r"a gap of 0 days 00:10:00 between .* \(row 2\) and .* \(row 3\) is longer than max_gap"):
        check_time_index([times[0], times[1], times[1] + pd.Timedelta("10min")], max_gap="5min")
    with pytest.raises(ParameterError, match="max_gap: expected a positive duration"):
        check_time_index(times, max_gap="soon")
    with pytest.raises(DataError, match="row 2 has no time"):
        check_time_index([times[0], None])
    column = pd.Series([times[0], times[2], times[1]], index=[11, 12, 13])  # a frame's column: rows named as by
    with pytest.raises(DataError, match=r"row 13 goes back to .* \(row 12\)"):  # its value checks, by label
        check_time_index(column)


def _long_panel(lengths):
    rows = [{"id": f"s{i}", "t": t, "x": float(t), "y": i % 2} for i, n in enumerate(lengths) for t in range(n)]
    return pd.DataFrame(rows).sample(frac=1.0, random_state=0)  # shuffled: the panel sorts by id and time


def test_panel_from_a_long_frame_orders_each_series_by_time():
    panel = panel_from(_long_panel([4, 4, 4]), series_id="id", time_column="t", label="y")
    assert panel.values.shape == (3, 4, 1) and panel.feature_names == ("x",)  # the id, time and label are not features
    assert panel.values[1, :, 0].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert panel.labels.tolist() == [0, 1, 0] and panel.ids.tolist() == ["s0", "s1", "s2"]


def test_panel_of_unequal_lengths_is_refused_or_padded_as_stated():
    frame = _long_panel([4, 2])
    with pytest.raises(DataError, match="series 's1' has 2 time steps but series 's0' has 4"):
        panel_from(frame, series_id="id", time_column="t", features=["x"], label="y")
    panel = panel_from(frame, series_id="id", time_column="t", features=["x"], label="y", pad=True)
    assert panel.values[1, :, 0].tolist() == [0.0, 0.0, 0.0, 1.0]
    assert "1 of 2 series padded" in panel.notes[0]


def test_panel_refuses_a_label_that_changes_within_a_series():
    frame = _long_panel([3, 3])
    frame.loc[frame.index[0], "y"] = 5
    with pytest.raises(DataError, match="different labels in column 'y'"):
        panel_from(frame, series_id="id", time_column="t", label="y")


def test_panel_from_an_array():
    panel = panel_from(np.zeros((5, 10)), labels=list("abcde"))
    assert panel.values.shape == (5, 10, 1) and panel.labels.tolist() == list("abcde")
    with pytest.raises(DataError, match="3 labels for 5 series"):
        panel_from(np.zeros((5, 10, 2)), labels=[1, 2, 3])
