"""Chronological and walk-forward splits: time order, purge gaps, no label reaching forward."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.splits import (
    MIN_ROWS_PER_PART,
    ChronologicalSplit,
    WalkForward,
    anomaly_split,
    chronological_split,
    tabular_split,
)

CASES = [
    (1000, 0.15, 0.15, 1),
    (1000, 0.2, 0.1, 5),
    (237, 0.15, 0.2, 3),
    (500, 0.0, 0.25, 2),
    (300, 0.1, 0.1, 0),
]


@pytest.mark.parametrize("n_rows, validation, test, gap", CASES)
def test_parts_are_ordered_contiguous_disjoint_and_separated_by_the_gap(n_rows, validation, test, gap):
    split = chronological_split(n_rows, validation=validation, test=test, gap=gap)
    assert isinstance(split, ChronologicalSplit) and split.gap == gap
    parts = [p for p in (split.train, split.validation, split.test) if len(p)]
    for part in parts:
        np.testing.assert_array_equal(part, np.arange(part[0], part[-1] + 1))
    assert split.train[0] == 0 and split.test[-1] == n_rows - 1
    for earlier, later in zip(parts, parts[1:]):
        assert later[0] - earlier[-1] - 1 == gap
    every = np.concatenate(parts)
    assert len(np.unique(every)) == len(every)
    assert len(every) + gap * (len(parts) - 1) == n_rows
    assert len(split.test) == round(n_rows * test)
    assert len(split.validation) == round(n_rows * validation)
    assert set(split.parts()) == {"train", "validation", "test"}


@pytest.mark.parametrize("n_rows, validation, test, gap", [c for c in CASES if c[3] > 0])
def test_no_training_label_window_reaches_a_later_part_when_gap_covers_the_horizon(
    n_rows, validation, test, gap
):
    split = chronological_split(n_rows, validation=validation, test=test, gap=gap)
    later = np.concatenate([split.validation, split.test])
    validation_rows = set(split.validation.tolist())
    for horizon in range(1, gap + 1):
        # the label of row t uses rows (t, t + horizon]
        train_windows = {t + k for t in split.train for k in range(1, horizon + 1)}
        assert train_windows.isdisjoint(later.tolist())
        val_windows = {t + k for t in split.validation for k in range(1, horizon + 1)}
        assert val_windows.isdisjoint(split.test.tolist()) and not validation_rows & set(
            split.test.tolist()
        )


@pytest.mark.parametrize("gap", [0, 1, 3])
def test_a_horizon_longer_than_the_gap_would_reach_forward(gap):
    # why gap >= horizon is required: the last training label of horizon gap + 1 ends on the
    # first validation row
    split = chronological_split(200, validation=0.15, test=0.15, gap=gap)
    assert split.train[-1] + (gap + 1) == split.validation[0]
    assert split.validation[-1] + (gap + 1) == split.test[0]


def test_too_few_rows_is_a_data_error_naming_the_part():
    with pytest.raises(DataError, match="validation part"):
        chronological_split(100, validation=0.15, test=0.3, gap=1)
    with pytest.raises(DataError, match="train part"):
        chronological_split(60, validation=0.34, test=0.34, gap=1)
    with pytest.raises(DataError, match=str(MIN_ROWS_PER_PART)):
        chronological_split(40, validation=0.0, test=0.4, gap=5)
    chronological_split(40, validation=0.0, test=0.5, gap=0)  # 20 + 20 is just enough


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"validation": -0.1}, "validation"),
        ({"validation": 1.0}, "validation"),
        ({"test": 1.5}, "test"),
        ({"test": -0.2}, "test"),
        ({"validation": 0.5, "test": 0.5}, "validation \\+ test"),
        ({"gap": -1}, "gap"),
        ({"gap": 1.5}, "gap"),
        ({"gap": True}, "gap"),
        ({"gap": "2"}, "gap"),
        ({"gap": None}, "gap"),
    ],
)
def test_bad_fractions_or_gap_are_parameter_errors(kwargs, name):
    with pytest.raises(ParameterError, match=name):
        chronological_split(1000, **kwargs)


def test_a_whole_float_gap_is_accepted():
    assert chronological_split(1000, gap=3.0).gap == 3


def _folds(walk, n_rows):
    return list(walk.split(n_rows))


@pytest.mark.parametrize("window", ["expanding", "rolling"])
@pytest.mark.parametrize("gap", [1, 4])
def test_walk_forward_tests_follow_their_training_rows_after_the_gap(window, gap):
    walk = WalkForward(n_folds=4, window=window, gap=gap, train_size=60 if window == "rolling" else None)
    folds = _folds(walk, 400)
    assert len(folds) == 4
    for train, test in folds:
        assert train.max() < test.min()
        assert test[0] - train[-1] - 1 == gap
        np.testing.assert_array_equal(train, np.arange(train[0], train[-1] + 1))
        np.testing.assert_array_equal(test, np.arange(test[0], test[-1] + 1))
    tests = [test for _, test in folds]
    for before, after in zip(tests, tests[1:]):
        assert after[0] == before[-1] + 1  # consecutive, non-overlapping blocks
    assert tests[-1][-1] == 399


def test_expanding_windows_grow_from_the_start_and_rolling_windows_keep_their_length():
    expanding = _folds(WalkForward(n_folds=4, gap=2), 400)
    rolling = _folds(WalkForward(n_folds=4, window="rolling", train_size=50, gap=2), 400)
    assert all(train[0] == 0 for train, _ in expanding)
    sizes = [len(train) for train, _ in expanding]
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)
    assert [len(train) for train, _ in rolling] == [50] * 4
    assert [train[0] for train, _ in rolling] == sorted({train[0] for train, _ in rolling})
    for (train_e, test_e), (train_r, test_r) in zip(expanding, rolling):
        np.testing.assert_array_equal(test_e, test_r)
        np.testing.assert_array_equal(train_r, train_e[-50:])


def test_walk_forward_test_size_and_float_gap():
    folds = _folds(WalkForward(n_folds=3, gap=2.0, test_size=30), 200)
    assert [len(test) for _, test in folds] == [30, 30, 30]
    assert all(test[0] - train[-1] - 1 == 2 for train, test in folds)


def test_walk_forward_with_too_few_rows_is_a_data_error():
    with pytest.raises(DataError, match="too few"):
        _folds(WalkForward(n_folds=5, gap=3), 6)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"window": "sliding"}, "window"),
        ({"window": "rolling"}, "train_size"),
        ({"window": "expanding", "train_size": 100}, "train_size"),
        ({"n_folds": 0}, "n_folds"),
        ({"n_folds": 1}, "n_folds"),
        ({"n_folds": 2.5}, "n_folds"),
        ({"gap": -2}, "gap"),
        ({"gap": "one"}, "gap"),
    ],
)
def test_walk_forward_bad_arguments_are_parameter_errors(kwargs, name):
    with pytest.raises(ParameterError, match=name):
        WalkForward(**kwargs)


@pytest.mark.parametrize("window", ["expanding", "rolling"])
@pytest.mark.parametrize("gap, embargo", [(1, 0), (1, 4), (3, 2)])
def test_the_embargo_widens_the_separation_before_each_test_block(window, gap, embargo):
    plain = _folds(WalkForward(n_folds=4, window=window, gap=gap, train_size=60 if window == "rolling" else None), 400)
    embargoed = _folds(WalkForward(n_folds=4, window=window, gap=gap, train_size=60 if window == "rolling" else None, embargo=embargo), 400)
    for (train, test), (plain_train, plain_test) in zip(embargoed, plain):
        np.testing.assert_array_equal(test, plain_test)  # the same blocks are predicted
        assert test[0] - train[-1] - 1 == gap + embargo
        assert train.max() < test.min() and train[-1] == plain_train[-1] - embargo


@pytest.mark.parametrize("embargo", [-1, 1.5, "2", None, True])
def test_a_bad_embargo_is_a_parameter_error(embargo):
    with pytest.raises(ParameterError, match="embargo"):
        WalkForward(embargo=embargo)


def test_the_embargo_is_named_when_the_data_is_too_short():
    with pytest.raises(DataError, match=r"gap 2 \+ embargo 30"):
        _folds(WalkForward(n_folds=4, gap=2, embargo=30), 60)


def test_a_zero_test_fraction_splits_train_and_validation_only():
    split = chronological_split(100, validation=0.2, test=0.0, gap=3)
    assert len(split.test) == 0 and len(split.validation) == 20
    assert split.validation[-1] == 99 and split.validation[0] - split.train[-1] - 1 == 3
    assert len(split.train) == 77


# --- tabular_split: stratified for independent rows, chronological by a date column -------------


@pytest.fixture(scope="module")
def titanic_frame(shared_data):
    import pandas as pd

    return pd.read_csv(shared_data("tabular/titanic_train.csv"))


def _covers_every_row_once(split, n_rows):
    every = np.concatenate([split.train, split.validation, split.test])
    assert np.array_equal(np.sort(every), np.arange(n_rows))


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_stratified_split_keeps_class_shares_within_one_row(titanic_frame, seed):
    target = titanic_frame["Survived"]
    split = tabular_split(titanic_frame, target, "binary", seed=seed)
    _covers_every_row_once(split, len(target))
    assert [len(split.validation), len(split.test)] == [round(891 * 0.15)] * 2
    share = target.mean()
    for part in split.parts().values():
        assert abs(target.iloc[part].sum() - share * len(part)) <= 1


def test_stratified_split_of_a_planted_multiclass_response_keeps_every_class_share():
    import pandas as pd

    rng = np.random.default_rng(3)
    target = pd.Series(rng.choice(["a", "b", "c", "d"], 600, p=[0.55, 0.25, 0.15, 0.05]))
    split = tabular_split(pd.DataFrame(index=target.index), target, "multiclass", validation=0.2, test=0.1, seed=4)
    for part in split.parts().values():
        counts = target.iloc[part].value_counts()
        for label, total in target.value_counts().items():
            assert abs(counts.get(label, 0) - total * len(part) / len(target)) <= 1


def test_same_seed_same_split_and_another_seed_another(titanic_frame):
    target = titanic_frame["Survived"]
    first = tabular_split(titanic_frame, target, "binary", seed=5)
    again = tabular_split(titanic_frame, target, "binary", seed=5)
    other = tabular_split(titanic_frame, target, "binary", seed=6)
    for name in ("train", "validation", "test"):
        assert np.array_equal(first.parts()[name], again.parts()[name])
    assert not np.array_equal(first.test, other.test)


def test_regression_split_is_stratified_on_quantile_bins(shared_data):
    import pandas as pd

    wages = pd.read_csv(shared_data("tabular/hourly_wages.csv"))
    target = wages["wage_per_hour"]
    split = tabular_split(wages, target, "regression", seed=0)
    _covers_every_row_once(split, len(wages))
    bins = pd.qcut(target, 10, labels=False, duplicates="drop")
    for part in split.parts().values():
        counts = bins.iloc[part].value_counts()
        for label, total in bins.value_counts().items():
            assert abs(counts.get(label, 0) - total * len(part) / len(wages)) <= 1


def test_a_class_too_small_to_stratify_is_one_line_naming_it():
    import pandas as pd

    target = pd.Series(["a"] * 50 + ["b"] * 49 + ["rare"])
    with pytest.raises(DataError) as excinfo:
        tabular_split(pd.DataFrame(index=target.index), target, "multiclass")
    assert "'rare' has 1 among 100 rows" in str(excinfo.value) and "\n" not in str(excinfo.value)
    with pytest.raises(DataError, match="class 7 has 1 among"):
        tabular_split(pd.DataFrame(index=target.index), pd.Series([1] * 50 + [2] * 49 + [7]), "multiclass")
    with pytest.raises(ParameterError, match=r"one value per row of the frame \(100\), got 99"):
        tabular_split(pd.DataFrame(index=target.index), target[:99], "multiclass")


def test_chronological_tabular_split_orders_by_the_date_column_and_keeps_the_gap():
    import pandas as pd

    rng = np.random.default_rng(0)
    dates = pd.date_range("2020-01-01", periods=300, freq="D")
    shuffled = rng.permutation(300)
    frame = pd.DataFrame({"when": dates[shuffled].strftime("%Y-%m-%d"), "x": rng.normal(size=300)})
    target = pd.Series(rng.integers(0, 2, 300))
    split = tabular_split(frame, target, "binary", date_column="when", gap=3, seed=0)
    when = pd.to_datetime(frame["when"])
    parts = [split.train, split.validation, split.test]
    for part in parts:
        assert when.iloc[part].is_monotonic_increasing
    for earlier, later in zip(parts, parts[1:]):
        # the 3 purged rows are the days strictly between the parts
        assert (when.iloc[later[0]] - when.iloc[earlier[-1]]).days == 4
    assert split.gap == 3 and len(np.concatenate(parts)) == 300 - 2 * 3
    assert np.array_equal(
        tabular_split(frame, target, "binary", date_column="when", gap=3, seed=9).test, split.test
    )


def test_an_unparseable_date_is_refused_naming_the_row():
    import pandas as pd

    frame = pd.DataFrame({"when": ["2020-01-02", "2020-01-03", "soon", "2020-01-05"]}, index=[1, 2, 3, 4])
    with pytest.raises(DataError) as excinfo:
        tabular_split(frame, pd.Series([0, 1, 0, 1]), "binary", date_column="when")
    message = str(excinfo.value)
    assert "'when'" in message and "row 3" in message and "'soon'" in message and "\n" not in message


# --- anomaly_split (issue 12, point 3) ---------------------------------------------------------


def _planted_anomalies(seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """500 distinct normal rows and 40 anomalies, 10 of them repeated three times, with a time."""
    rng = np.random.default_rng(seed)
    distinct = pd.DataFrame({"a": np.r_[rng.normal(size=500), rng.normal(4, 1, 40)],
                             "b": np.r_[rng.normal(size=500), rng.normal(4, 1, 40)],
                             "time": rng.permutation(540).astype(float)})  # a copy keeps its time
    odd = distinct.iloc[500:]
    frame = pd.concat([distinct, odd.iloc[:10], odd.iloc[:10]], ignore_index=True)
    labels = np.r_[np.zeros(500, int), np.ones(60, int)]
    return frame, labels


def _copies_in_one_part(frame: pd.DataFrame, split) -> bool:
    part_of = np.full(len(frame), -1)
    for number, rows in enumerate(split.parts().values()):
        part_of[rows] = number
    columns = list(frame.columns)
    for _, rows in frame.groupby(columns, sort=False).indices.items():
        kept = part_of[rows][part_of[rows] >= 0]  # training drops anomalies: those rows are in no part
        if len(set(kept)) > 1:
            return False
    return True


@pytest.mark.parametrize("time_column", [None, "time"])
def test_anomaly_split_trains_on_normal_rows_and_keeps_copies_in_one_part(time_column):
    frame, labels = _planted_anomalies()
    split = anomaly_split(frame, labels, time_column=time_column, seed=3)
    assert labels[split.train].sum() == 0 and split.dropped_anomalies > 0
    assert labels[split.validation].sum() > 0 and labels[split.test].sum() > 0
    assert split.duplicate_rows == 20
    assert _copies_in_one_part(frame, split)
    if time_column:
        times = frame["time"].to_numpy()
        assert times[split.train].max() < times[split.validation].min() < times[split.test].min()


def test_anomaly_split_without_labels_splits_every_row_once():
    frame, _ = _planted_anomalies()
    split = anomaly_split(frame, seed=0)
    rows = np.concatenate(list(split.parts().values()))
    assert len(rows) == len(np.unique(rows)) == len(frame) and split.dropped_anomalies == 0


def test_anomaly_split_of_the_credit_card_data_never_learns_a_copy_of_a_scored_fraud(shared_data):
    frame = pd.read_csv(shared_data("tabular/creditcard_fraud_enriched.csv"))
    labels = frame.pop("Class").to_numpy()
    split = anomaly_split(frame, labels, time_column="Time", seed=0)
    assert split.duplicate_rows >= 19  # the README counts 19 repeated fraud rows
    assert _copies_in_one_part(frame.assign(Class=labels), split)
    assert labels[split.train].sum() == 0 and labels[split.test].sum() > 0
    time = frame["Time"].to_numpy()
    assert time[split.train].max() <= time[split.validation].min() <= time[split.test].min()


@pytest.mark.parametrize("labels, error, message", [
    ([0, 1, 2] * 10, DataError, r"labels: y holds 2 at row 2; expected 1 \(anomaly\) or 0 \(normal\)"),
    ([0, 1], DataError, r"labels: y has 2 labels but X has 30 rows"),
])
def test_anomaly_split_bad_labels_are_one_line_naming_them(labels, error, message):
    with pytest.raises(error, match=message):
        anomaly_split(pd.DataFrame({"x": range(30)}), labels)
