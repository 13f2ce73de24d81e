"""features() reads the feature columns by name, whatever else the scoring frame holds."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.anomaly.preprocessing import AnomalyPreprocessing
from pyanalytics.errors import DataError


@pytest.fixture
def pre():
    return AnomalyPreprocessing(("V1", "V2", "Amount"), label="Class", amount_column="Amount")


def expected(frame):
    return np.column_stack([frame["V1"], frame["V2"], frame["Amount"]]).astype(np.float64)


def test_columns_in_another_order_with_extra_ones_are_read_by_name(pre):
    frame = pd.DataFrame({"Amount": [5.0, 7.5], "Time": [1, 2], "V2": [0.25, -1.0], "Class": [0, 1], "V1": [3, 4]})
    assert np.array_equal(pre.features(frame), expected(frame))


@pytest.mark.parametrize("extra", [pd.Series(["a", "b"], name="note"),
                                   pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02"]), name="when")])
def test_a_text_or_date_column_that_is_not_a_feature_is_left_alone(pre, extra):
    frame = pd.DataFrame({"V1": [1.0, 2.0], "V2": [3.0, 4.0], "Amount": [5.0, 6.0]}).join(extra)
    assert np.array_equal(pre.features(frame), expected(frame))


def test_repeated_names_of_other_columns_are_left_alone(pre):
    frame = pd.DataFrame([[1.0, 2.0, 3.0, 0.0, 9.0]], columns=["V1", "V2", "Amount", "Time", "Time"])
    assert np.array_equal(pre.features(frame), [[1.0, 2.0, 3.0]])


def test_text_in_a_feature_is_still_named(pre):
    frame = pd.DataFrame({"V1": [1.0, 2.0], "V2": [3.0, "x"], "Amount": [5.0, 6.0]})
    with pytest.raises(DataError, match=r"column 'V2': row 1 holds 'x', not a number"):
        pre.features(frame)
