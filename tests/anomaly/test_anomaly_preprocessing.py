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
