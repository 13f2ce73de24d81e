"""The anomaly domain's columns: bad input is refused with one line naming the column and row."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.anomaly.preprocessing import AnomalyPreprocessing
from pyanalytics.errors import DataError


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    return pd.DataFrame({"Time": np.arange(6.0), "V1": rng.normal(size=6), "Amount": [1.0, 2, 3, 4, 5, 6],
                         "Class": [0, 0, 0, 1, 0, 0]}, index=pd.RangeIndex(1, 7, name="row"))


def test_features_are_every_column_but_the_label_and_the_time(frame):
    pre = AnomalyPreprocessing.for_frame(frame, label="Class", time_column="Time", amount_column="Amount")
    assert pre.feature_names == ("V1", "Amount")
    assert pre.features(frame).shape == (6, 2) and pre.labels(frame).tolist() == [0, 0, 0, 1, 0, 0]
    assert pre.amounts(frame).tolist() == [1, 2, 3, 4, 5, 6]
    assert AnomalyPreprocessing.from_document(pre.to_document()) == pre


def test_a_text_cell_is_named_by_column_and_row(frame):
    frame["V1"] = frame["V1"].astype(object)
    frame.loc[4, "V1"] = "n/a"
    with pytest.raises(DataError, match=r"column 'V1': row 4 holds 'n/a', not a number"):
        AnomalyPreprocessing.for_frame(frame, label="Class")


@pytest.mark.parametrize(("value", "what"), [(np.nan, "a missing value"), (np.inf, "an infinite value"),
                                             (-np.inf, "an infinite value")])
def test_nan_and_inf_are_named_by_column_and_row(frame, value, what):
    pre = AnomalyPreprocessing.for_frame(frame, label="Class")
    frame.loc[5, "Amount"] = value
    with pytest.raises(DataError, match=rf"column 'Amount': row 5 holds {what}"):
        pre.features(frame)


def test_a_scoring_frame_missing_a_column_is_named(frame):
    pre = AnomalyPreprocessing.for_frame(frame, label="Class")
    with pytest.raises(DataError, match=r"features: column 'Amount' is not in the data"):
        pre.features(frame.drop(columns=["Amount"]))


def test_a_constant_training_column_is_named(frame):
    pre = AnomalyPreprocessing.for_frame(frame, label="Class")
    X = pre.features(frame).copy()
    X[:, -1] = 7.0
    with pytest.raises(DataError, match=r"column 'Amount': constant \(7\) on all 6 training rows"):
        pre.check_training(X, frame.index)


def test_a_label_other_than_0_or_1_is_named_by_row(frame):
    frame.loc[3, "Class"] = 2
    pre = AnomalyPreprocessing.for_frame(frame, label="Class")
    with pytest.raises(DataError, match=r"label 'Class': y holds 2 at row 3"):
        pre.labels(frame)


def test_unknown_columns_are_named(frame):
    with pytest.raises(DataError, match=r"label: column 'Fraud' is not in the data"):
        AnomalyPreprocessing.for_frame(frame, label="Fraud")
    with pytest.raises(DataError, match=r"amount_column 'Time': must be one of the features"):
        AnomalyPreprocessing.for_frame(frame, time_column="Time", amount_column="Time")


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (pd.to_datetime(["2020-01-01"] * 6), r"column 'x': holds dates, not numbers"),
        (pd.Categorical(["1", "2"] * 3), r"column 'x': holds categories \(a factor\), not numbers"),
        (pd.Series(["1", "2"] * 3, dtype=object, index=range(1, 7)), r"column 'x': row 1 holds '1', not a number"),
    ],
)
def test_dates_factors_and_digits_as_text_are_not_read_as_numbers(frame, column, message):
    with pytest.raises(DataError, match=message):
        AnomalyPreprocessing.for_frame(frame.assign(x=column), label="Class")


def test_a_factor_label_of_0_and_1_reads_as_its_digits(frame):
    pre = AnomalyPreprocessing.for_frame(frame, label="Class")
    factor = frame.assign(Class=pd.Categorical(frame["Class"].astype(str)))
    assert pre.labels(factor).tolist() == [0, 0, 0, 1, 0, 0]
    with pytest.raises(DataError, match=r"label 'Class': y holds 'yes' at row 2"):
        pre.labels(factor.assign(Class=["0", "yes", "0", "1", "0", "0"]))


def test_the_label_or_time_column_cannot_also_be_a_feature(frame):
    with pytest.raises(DataError, match=r"features: 'Time' is the time_column, so it cannot also be a feature"):
        AnomalyPreprocessing.for_frame(frame, label="Class", time_column="Time", features=["V1", "Time"])
