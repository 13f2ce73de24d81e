"""Input checks shared by the estimators: messages name the estimator, the input and the row."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import DataError, NotFittedError, ParameterError
from pyanalytics.models.validation import check_features, check_fitted, check_labels
from pyanalytics.params import (
    check_choice,
    check_float,
    check_int,
    check_seed,
    check_units,
    validate_params,
)


class Probe:
    """Stands in for an estimator: the checks only need its class name and a few attributes."""


@pytest.fixture
def frame():
    index = pd.bdate_range("2021-03-01", periods=5, name="date")
    return pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 5.0], "b": [5.0, 4.0, 3.0, 2.0, 1.0]}, index=index)


def test_fit_records_names_and_count_and_returns_float64(frame):
    probe = Probe()
    array = check_features(probe, frame, where="fit", fitted=False)
    assert array.dtype == np.float64 and array.shape == (5, 2)
    np.testing.assert_array_equal(array, frame.to_numpy(dtype=float))
    assert probe.n_features_in_ == 2 and list(probe.feature_names_in_) == ["a", "b"]


def test_an_array_records_no_names():
    probe = Probe()
    check_features(probe, np.ones((3, 4)), where="fit", fitted=False)
    assert probe.n_features_in_ == 4 and probe.feature_names_in_ is None


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_non_finite_value_names_the_column_row_and_date(frame, bad):
    frame.iloc[3, 1] = bad
    with pytest.raises(DataError, match=r"Probe\.fit: X column 'b', row 4 \(2021-03-04\)"):
        check_features(Probe(), frame, where="fit", fitted=False)


def test_a_non_finite_value_in_an_array_names_the_position():
    array = np.zeros((4, 3))
    array[2, 1] = np.nan
    with pytest.raises(DataError, match="X column 1, row 3 is nan"):
        check_features(Probe(), array, where="fit", fitted=False)


def test_prediction_reorders_columns_by_name_and_names_a_missing_one(frame):
    probe = Probe()
    check_features(probe, frame, where="fit", fitted=False)
    swapped = frame[["b", "a"]].assign(extra=0.0)
    np.testing.assert_array_equal(
        check_features(probe, swapped, where="predict", fitted=True), frame.to_numpy(dtype=float)
    )
    with pytest.raises(DataError, match=r"Probe\.predict: X lacks feature column\(s\) 'b'"):
        check_features(probe, frame[["a"]], where="predict", fitted=True)


def test_prediction_with_the_wrong_width_is_refused():
    probe = Probe()
    check_features(probe, np.ones((3, 4)), where="fit", fitted=False)
    with pytest.raises(DataError, match="3 features, but the model was fitted with 4"):
        check_features(probe, np.ones((3, 3)), where="predict", fitted=True)


@pytest.mark.parametrize(
    "X, message",
    [
        (np.ones(5), "must be 2-D"),
        (np.ones((0, 3)), "no rows"),
        (pd.DataFrame({"a": [1.0], "s": ["x"]}), "column 's' has type .*expected numbers"),
    ],
)
def test_unusable_feature_shapes_and_types(X, message):
    with pytest.raises(DataError, match=message):
        check_features(Probe(), X, where="fit", fitted=False)


def test_labels_become_int64():
    labels = check_labels(Probe(), [1.0, 0.0, 1], 3, where="fit")
    assert labels.dtype == np.int64 and labels.tolist() == [1, 0, 1]


@pytest.mark.parametrize("bad", [2, np.nan, -1, 0.5])
def test_a_label_other_than_0_or_1_names_the_row_and_date(bad):
    index = pd.bdate_range("2021-03-01", periods=4, name="date")
    y = pd.Series([1.0, 0.0, bad, 1.0], index=index)
    with pytest.raises(DataError, match=r"y row 3 \(2021-03-03\) is .*expected 0 or 1"):
        check_labels(Probe(), y, 4, where="fit")


def test_label_count_must_match_the_rows():
    with pytest.raises(DataError, match="y has 2 labels but X has 3 rows"):
        check_labels(Probe(), [0, 1], 3, where="fit")


def test_check_fitted_names_the_class():
    probe = Probe()
    with pytest.raises(NotFittedError, match=r"Probe is not fitted yet: call Probe\.fit"):
        check_fitted(probe)
    probe.threshold_ = 0.5
    check_fitted(probe)


@pytest.mark.parametrize("value, expected", [(3, 3), (3.0, 3), (np.int32(7), 7), (np.float64(2.0), 2)])
def test_check_int_accepts_whole_numbers_including_r_style_floats(value, expected):
    result = check_int("epochs", value, minimum=1)
    assert result == expected and type(result) is int


@pytest.mark.parametrize("value", ["ten", 2.5, 0, True, None, [3]])
def test_check_int_refuses_and_names_the_parameter(value):
    with pytest.raises(ParameterError, match="^epochs: expected an integer >= 1"):
        check_int("epochs", value, minimum=1)


def test_check_float_bounds():
    assert check_float("dropout", 0, low=0.0, high=0.95) == 0.0
    assert check_float("dropout", 0.95, low=0.0, high=0.95) == 0.95
    with pytest.raises(ParameterError, match=r"dropout: expected a number in \[0.0, 0.95\], got 1.5"):
        check_float("dropout", 1.5, low=0.0, high=0.95)
    with pytest.raises(ParameterError, match=r"learning_rate: .*\(0.0, 10.0\]"):
        check_float("learning_rate", 0.0, low=0.0, high=10.0, low_open=True)
    for bad in ("0.1", True, None, np.nan):
        with pytest.raises(ParameterError, match="dropout"):
            check_float("dropout", bad, low=0.0, high=0.95)


def test_check_seed_units_and_choice():
    assert check_seed("seed", None) is None and check_seed("seed", 4.0) == 4
    with pytest.raises(ParameterError, match="seed"):
        check_seed("seed", -1)
    assert check_units("hidden_units", [16.0, 8]) == (16, 8)
    for bad in ([], (), "16", 16, None):
        with pytest.raises(ParameterError, match="hidden_units: expected a non-empty list"):
            check_units("hidden_units", bad)
    with pytest.raises(ParameterError, match=r"hidden_units\[1\]"):
        check_units("hidden_units", [16, 0])
    assert check_choice("activation", "relu", ("relu", "tanh")) == "relu"
    with pytest.raises(ParameterError, match="activation: expected one of 'relu', 'tanh', got 'rleu'"):
        check_choice("activation", "rleu", ("relu", "tanh"))


def test_validate_params_reads_attributes_and_returns_coerced_values():
    probe = Probe()
    probe.epochs, probe.seed = 10.0, None
    rules = {"epochs": lambda n, v: check_int(n, v, minimum=1), "seed": check_seed}
    assert validate_params(probe, rules) == {"epochs": 10, "seed": None}
    probe.epochs = 0
    with pytest.raises(ParameterError, match="epochs"):
        validate_params(probe, rules)
