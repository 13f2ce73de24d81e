"""Tests for pyanalytics.finance.synthetic: seeded markets with a signal planted in volume."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyanalytics.errors import ParameterError
from pyanalytics.finance import PRICE_COLUMNS, random_walk, synthetic_market, validate_prices


def next_day_returns(prices: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Log volume on day t and the log-return from t to t + 1."""
    return np.log(prices["volume"].to_numpy()[:-1]), np.diff(np.log(prices["close"].to_numpy()))


def test_same_seed_gives_the_same_frame_and_another_seed_does_not():
    first = synthetic_market(300, signal_strength=1.0, seed=5)
    pd.testing.assert_frame_equal(first, synthetic_market(300, signal_strength=1.0, seed=5))
    other = synthetic_market(300, signal_strength=1.0, seed=6)
    assert not np.allclose(first["close"], other["close"])


def test_random_walk_is_the_market_without_signal():
    pd.testing.assert_frame_equal(random_walk(200, seed=2),
                                  synthetic_market(200, signal_strength=0.0, seed=2))


def test_frame_follows_the_prices_contract():
    prices = synthetic_market(100, start="2021-06-01")
    pd.testing.assert_frame_equal(validate_prices(prices), prices)
    assert tuple(prices.columns) == PRICE_COLUMNS
    assert prices.index.equals(pd.bdate_range("2021-06-01", periods=100))
    assert (prices["adj_close"] == prices["close"]).all()
    assert prices.iloc[0]["open"] == prices.iloc[0]["close"] == 100.0
    volume = prices["volume"].to_numpy()
    assert (volume == np.round(volume)).all() and (volume >= 1).all()


@settings(max_examples=40, deadline=None)
@given(
    n_days=st.integers(2, 300),
    strength=st.floats(0, 5),
    seed=st.integers(0, 2**32 - 1),
    volatility=st.floats(0.001, 0.1),
)
def test_high_and_low_bracket_open_and_close(n_days, strength, seed, volatility):
    prices = synthetic_market(n_days, signal_strength=strength, seed=seed, volatility=volatility)
    body_top = prices[["open", "close"]].max(axis=1)
    body_bottom = prices[["open", "close"]].min(axis=1)
    assert (prices["high"] >= body_top).all()
    assert (prices["low"] <= body_bottom).all()
    assert (prices["low"] > 0).all()
    validate_prices(prices)


def test_without_signal_volume_does_not_predict_the_next_return():
    log_volume, returns = next_day_returns(synthetic_market(5000, signal_strength=0.0))
    assert abs(np.corrcoef(log_volume, returns)[0, 1]) < 0.05


def test_with_signal_high_volume_is_followed_by_a_rise():
    log_volume, returns = next_day_returns(synthetic_market(5000, signal_strength=2.0))
    assert np.corrcoef(log_volume, returns)[0, 1] > 0.5


@pytest.mark.parametrize("strength", [0.0, 2.0])
@pytest.mark.parametrize("volatility", [0.015, 0.03])
def test_return_volatility_does_not_depend_on_strength(strength, volatility):
    prices = synthetic_market(5000, signal_strength=strength, volatility=volatility)
    _, returns = next_day_returns(prices)
    assert returns.std() == pytest.approx(volatility, rel=0.1)


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("n_days", 1),
        ("n_days", 2.5),
        ("n_days", True),
        ("signal_strength", -0.1),
        ("signal_strength", float("nan")),
        ("volatility", 0.0),
        ("volatility", float("inf")),
        ("drift", float("nan")),
        ("start", "not a date"),
    ],
)
def test_bad_arguments_are_named(argument, value):
    kwargs = {"n_days": 10, argument: value}
    with pytest.raises(ParameterError, match=f"{argument}={value!r}"):
        synthetic_market(**kwargs)
