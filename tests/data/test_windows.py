"""Windows of past days: nothing after a window's date is inside it, and no window straddles a split."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.data.windows import check_window, model_inputs, usable_rows
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance import synthetic_market
from pyanalytics.finance.features import build_dataset
from pyanalytics.finance.training import train_direction_model
from pyanalytics.models import LSTMClassifier
from pyanalytics.splits import chronological_split

WINDOW = 5
SMALL_LSTM = {"units": (8,), "epochs": 2, "batch_size": 64}


@pytest.fixture(scope="module")
def dataset():
    return build_dataset(synthetic_market(400, signal_strength=1.0, seed=4))


@pytest.fixture(scope="module")
def lstm_run():
    """A small LSTM trained through train_direction_model, with the windows fit received."""
    seen = {}
    real_fit = LSTMClassifier.fit

    def spy_fit(self, X, y, **kwargs):
        seen["train"] = (np.array(X), np.array(y))
        X_val, y_val = kwargs["validation_data"]
        seen["validation"] = (np.array(X_val), np.array(y_val))
        return real_fit(self, X, y, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LSTMClassifier, "fit", spy_fit)
        result = train_direction_model(
            synthetic_market(900, signal_strength=1.0, seed=5),
            model="lstm",
            window=WINDOW,
            gap=2,  # a purge gap wider than the horizon, so a gap row is not also a part's edge
            model_params=SMALL_LSTM,
        )
    return result, seen


def _expected_window(values: np.ndarray, row: int, window: int) -> np.ndarray:
    return values[row - window + 1 : row + 1]


def _full_parts(result) -> dict[str, np.ndarray]:
    """Each part's labelled rows before windows were fitted inside it, rebuilt independently."""
    labelled = np.flatnonzero(result.dataset.labelled)
    split = chronological_split(len(labelled), validation=0.15, test=0.15, gap=result.gap)
    return {name: labelled[positions] for name, positions in split.parts().items()}


# -- model_inputs -----------------------------------------------------------------------------


@pytest.mark.parametrize("window", [1, 2, WINDOW, 30])
def test_a_window_ends_on_its_date_and_holds_the_consecutive_earlier_rows(dataset, window):
    X = dataset.X
    values = X.to_numpy(dtype=np.float64)
    rows = np.array([window - 1, window, 100, 187, len(X) - 1])
    windows = model_inputs(X, rows, window)
    date_of = {values[i].tobytes(): date for i, date in enumerate(X.index)}
    assert len(date_of) == len(X)  # every row tells its date
    assert windows.shape == (len(rows), window, X.shape[1]) and windows.dtype == np.float64
    for sample, row in zip(windows, rows):
        np.testing.assert_array_equal(sample[-1], X.iloc[row].to_numpy(dtype=np.float64))
        np.testing.assert_array_equal(sample, _expected_window(values, row, window))
        # read back from the output: oldest first, one consecutive date per step, none after the window's own
        dates = pd.DatetimeIndex([date_of[step.tobytes()] for step in sample])
        assert dates[-1] == X.index[row] and dates.is_monotonic_increasing and dates.is_unique
        assert X.index.get_loc(dates[0]) == row - window + 1


def test_windows_do_not_depend_on_rows_after_their_date(dataset):
    rows = np.arange(WINDOW - 1, 200)
    full = model_inputs(dataset.X, rows, WINDOW)
    truncated = model_inputs(dataset.X.iloc[:200], rows, WINDOW)
    np.testing.assert_array_equal(full, truncated)


def test_without_a_window_model_inputs_are_the_rows_themselves(dataset):
    rows = np.array([0, 3, 50])
    frame = model_inputs(dataset.X, rows, None)
    assert isinstance(frame, pd.DataFrame)
    pd.testing.assert_frame_equal(frame, dataset.X.iloc[rows])


def test_a_row_with_too_few_earlier_rows_is_refused(dataset):
    with pytest.raises(DataError, match=rf"only 2 earlier rows.*a window of {WINDOW} days needs {WINDOW - 1}"):
        model_inputs(dataset.X, np.array([2, 10]), WINDOW)


def test_data_shorter_than_one_window_is_refused(dataset):
    with pytest.raises(DataError, match=r"3 rows.*window of 5 days needs at least 5"):
        model_inputs(dataset.X.iloc[:3], np.array([2]), 5)


# -- usable_rows and check_window -------------------------------------------------------------


@pytest.mark.parametrize("window", [1, 2, WINDOW, 20])
def test_usable_rows_drops_exactly_the_first_window_minus_one_rows_of_a_part(window):
    part = np.arange(100, 150)
    kept = usable_rows(part, window, first_row=part[0])
    np.testing.assert_array_equal(kept, part[window - 1 :])
    assert (kept - window + 1 >= part[0]).all()


def test_usable_rows_keeps_every_row_without_a_window():
    part = np.arange(100, 150)
    np.testing.assert_array_equal(usable_rows(part, None, first_row=part[0]), part)


def test_check_window():
    assert check_window(None) is None
    assert check_window(5) == 5 and check_window(5.0) == 5  # R sends every number as a double
    for bad in (0, -3, 2.5, "5", True):
        with pytest.raises(ParameterError, match="window"):
            check_window(bad)


# -- windows inside a training run ------------------------------------------------------------


def test_each_part_keeps_its_dates_after_the_first_window_minus_one(lstm_run):
    result, _ = lstm_run
    assert result.window == WINDOW
    full = _full_parts(result)
    assert set(result.rows) == set(full)
    for name, part in full.items():
        np.testing.assert_array_equal(result.rows[name], part[WINDOW - 1 :])


def test_no_window_reaches_before_its_part_into_a_gap_or_another_part(lstm_run):
    result, _ = lstm_run
    full = _full_parts(result)
    n_rows = len(result.dataset.X)
    order = ["train", "validation", "test"]
    gaps = set()
    for earlier, later in zip(order, order[1:]):
        between = set(range(full[earlier][-1] + 1, full[later][0]))
        assert len(between) == result.gap  # the purge gap rows between consecutive parts
        gaps |= between
    for name, dates in result.rows.items():
        first = full[name][0]
        own = set(full[name].tolist())
        others = set().union(*(set(full[o].tolist()) for o in order if o != name))
        for date in dates:
            window_rows = np.arange(date - WINDOW + 1, date + 1)
            assert window_rows[0] >= first and window_rows[-1] == date < n_rows
            assert set(window_rows.tolist()) <= own
            assert not set(window_rows.tolist()) & (gaps | others)


def test_fit_received_exactly_those_windows(lstm_run):
    result, seen = lstm_run
    values = result.dataset.X.to_numpy(dtype=np.float64)
    y = result.dataset.y.to_numpy()
    for name in ("train", "validation"):
        windows, labels = seen[name]
        rows = result.rows[name]
        assert windows.shape == (len(rows), WINDOW, values.shape[1])
        expected = np.stack([_expected_window(values, row, WINDOW) for row in rows])
        np.testing.assert_array_equal(windows, expected)
        np.testing.assert_array_equal(labels, y[rows].astype(np.int64))
    assert result.metrics["lstm"]["n"] == len(result.rows["test"])


# -- errors of train_direction_model ----------------------------------------------------------


def test_a_window_longer_than_the_data_is_refused():
    prices = synthetic_market(300, seed=6)
    with pytest.raises(DataError, match=r"window.*400 days"):
        train_direction_model(prices, model="lstm", window=400, model_params=SMALL_LSTM)


def test_a_window_for_the_dnn_is_refused():
    prices = synthetic_market(300, seed=6)
    with pytest.raises(ParameterError, match=r"window.*'dnn'"):
        train_direction_model(prices, model="dnn", window=WINDOW)


def test_an_invalid_window_is_refused_before_training():
    prices = synthetic_market(300, seed=6)
    with pytest.raises(ParameterError, match="window"):
        train_direction_model(prices, model="lstm", window=0)
