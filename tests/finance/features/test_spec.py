"""FeatureSpec: names, warm-up, validation and the JSON round trip."""

import dataclasses
import json

import numpy as np
import pytest

from pyanalytics.errors import ParameterError
from pyanalytics.finance import random_walk
from pyanalytics.finance.features import FeatureSpec, compute_features

DEFAULT_NAMES = (
    "ret_1", "ret_2", "ret_3", "ret_5", "ret_10", "ret_20",
    "ma_ratio_5", "ma_ratio_10", "ma_ratio_20", "ma_ratio_50",
    "volatility_20", "rsi_14", "macd", "macd_signal", "macd_hist",
    "bollinger_pctb_20", "volume_z_20",
)  # fmt: skip

SPECS = [
    FeatureSpec(),
    FeatureSpec(return_lags=(1,), ma_windows=(), volatility_window=None, rsi_period=None,
                macd=None, bollinger=None, volume_window=None),
    FeatureSpec(return_lags=(3,), ma_windows=(7,), volatility_window=None, rsi_period=None,
                macd=None, bollinger=None, volume_window=None),
    FeatureSpec(return_lags=(), ma_windows=(), volatility_window=30, rsi_period=None,
                macd=None, bollinger=None, volume_window=None),
    FeatureSpec(return_lags=(), ma_windows=(), volatility_window=None, rsi_period=21,
                macd=None, bollinger=None, volume_window=None),
    FeatureSpec(return_lags=(1,), ma_windows=(), macd=(5, 35, 5), volume_window=None),
    FeatureSpec(return_lags=(), ma_windows=(), volatility_window=None, rsi_period=None,
                macd=None, bollinger=(10, 1.5), volume_window=None),
    FeatureSpec(return_lags=(), ma_windows=(), volatility_window=None, rsi_period=None,
                macd=None, bollinger=None, volume_window=40),
    FeatureSpec(return_lags=(1, 60), ma_windows=(2,), rsi_period=2, macd=(2, 3, 1),
                bollinger=(2, 1.0), volume_window=2, price="adj_close"),
]  # fmt: skip


def leading_incomplete_rows(features) -> int:
    """Number of leading rows with at least one NaN; every later row must be complete."""
    incomplete = features.isna().any(axis=1).to_numpy()
    count = int(np.argmin(incomplete)) if not incomplete.all() else len(incomplete)
    assert not incomplete[count:].any(), "a NaN after the first complete row"
    return count


def test_default_names_warmup_and_columns():
    spec = FeatureSpec()
    assert spec.names == DEFAULT_NAMES
    assert spec.warmup == 49
    assert spec.required_columns == ("close", "volume")


def test_required_columns_follow_price_and_volume():
    spec = FeatureSpec(price="adj_close", volume_window=None)
    assert spec.required_columns == ("adj_close",)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: "/".join(s.names))
def test_warmup_equals_the_real_count_of_incomplete_rows(spec):
    features = compute_features(random_walk(300, seed=3), spec)
    assert leading_incomplete_rows(features) == spec.warmup


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: "/".join(s.names))
def test_to_dict_from_dict_round_trips_through_json(spec):
    data = json.loads(json.dumps(spec.to_dict()))
    assert data == spec.to_dict()
    assert FeatureSpec.from_dict(data) == spec


def test_to_dict_uses_lists_and_from_dict_fills_defaults():
    data = FeatureSpec().to_dict()
    assert data["return_lags"] == [1, 2, 3, 5, 10, 20]
    assert data["macd"] == [12, 26, 9] and data["bollinger"] == [20, 2.0]
    assert FeatureSpec.from_dict({"rsi_period": None}) == FeatureSpec(rsi_period=None)


def test_lists_are_coerced_to_tuples_and_the_spec_is_hashable_and_frozen():
    spec = FeatureSpec(return_lags=[1, 5], macd=[3, 6, 2], bollinger=[10, 3])
    assert spec.return_lags == (1, 5) and spec.macd == (3, 6, 2)
    assert spec.bollinger == (10, 3.0) and isinstance(spec.bollinger[1], float)
    assert hash(spec) == hash(FeatureSpec(return_lags=(1, 5), macd=(3, 6, 2), bollinger=(10, 3.0)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.rsi_period = 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("return_lags", (0, 1)),
        ("return_lags", (1, 1)),
        ("return_lags", (1.5,)),
        ("return_lags", (True,)),
        ("return_lags", 5),
        ("return_lags", "12"),
        ("ma_windows", (1,)),
        ("volatility_window", 1),
        ("volatility_window", 0),
        ("volatility_window", 20.0),
        ("rsi_period", 1),
        ("macd", (26, 12, 9)),
        ("macd", (12, 12, 9)),
        ("macd", (12, 26)),
        ("macd", (12, 26, 0)),
        ("macd", (1, 26, 9)),
        ("bollinger", (20, 0.0)),
        ("bollinger", (20, -2.0)),
        ("bollinger", (1, 2.0)),
        ("bollinger", (20, float("inf"))),
        ("bollinger", (20,)),
        ("volume_window", -3),
        ("price", "open"),
        ("price", "Close"),
    ],
)
def test_bad_values_raise_parameter_error_naming_field_and_value(field, value):
    with pytest.raises(ParameterError) as caught:
        FeatureSpec(**{field: value})
    assert f"FeatureSpec.{field}" in str(caught.value)
    assert repr(value) in str(caught.value)


def test_a_spec_without_features_is_refused():
    with pytest.raises(ParameterError, match="at least one feature"):
        FeatureSpec(return_lags=(), ma_windows=(), volatility_window=None, rsi_period=None,
                    macd=None, bollinger=None, volume_window=None)  # fmt: skip


def test_from_dict_refuses_unknown_keys_and_bad_values():
    data = FeatureSpec().to_dict() | {"rsi_window": 14}
    with pytest.raises(ParameterError, match="'rsi_window'"):
        FeatureSpec.from_dict(data)
    with pytest.raises(ParameterError, match="FeatureSpec.ma_windows"):
        FeatureSpec.from_dict({"ma_windows": [0]})
    with pytest.raises(ParameterError, match="expected a dict"):
        FeatureSpec.from_dict([("rsi_period", 14)])
