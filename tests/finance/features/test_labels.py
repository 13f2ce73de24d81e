"""Forward returns and direction labels on hand-built series, and their use of the future only."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance import random_walk
from pyanalytics.finance.features import direction_labels, forward_returns

NAN = np.nan


def frame(close, adj_close=None) -> pd.DataFrame:
    index = pd.bdate_range("2020-01-01", periods=len(close), name="date")
    columns = {"close": np.asarray(close, dtype=float)}
    if adj_close is not None:
        columns["adj_close"] = np.asarray(adj_close, dtype=float)
    return pd.DataFrame(columns, index=index)


# Moves: +10%, flat, -9.09%, +20%, flat, (unknown).
SIX = frame([10.0, 11.0, 11.0, 10.0, 12.0, 12.0])


def assert_labels(actual: pd.Series, expected: list[float]):
    np.testing.assert_array_equal(actual.to_numpy(), np.array(expected))


def test_forward_returns_are_simple_returns_with_trailing_nan():
    returns = forward_returns(SIX, 2)
    expected = [11 / 10 - 1, 10 / 11 - 1, 12 / 11 - 1, 12 / 10 - 1, NAN, NAN]
    np.testing.assert_allclose(returns.to_numpy(), expected, rtol=1e-15)
    assert returns.name == "forward_return" and returns.index.equals(SIX.index)


def test_horizon_1_labels_a_rise_1_and_a_flat_or_falling_day_0():
    labels = direction_labels(SIX, horizon=1)
    assert_labels(labels, [1.0, 0.0, 0.0, 1.0, 0.0, NAN])
    assert labels.name == "label" and labels.dtype == np.float64
    assert labels.index.equals(SIX.index)


def test_horizon_2_compares_with_the_close_two_rows_later():
    assert_labels(direction_labels(SIX, horizon=2), [1.0, 0.0, 1.0, 1.0, NAN, NAN])


def test_a_dead_zone_leaves_small_moves_unlabelled():
    assert_labels(direction_labels(SIX, 1, dead_zone=0.05), [1.0, NAN, 0.0, 1.0, NAN, NAN])
    assert_labels(direction_labels(SIX, 1, dead_zone=0.15), [NAN, NAN, NAN, 1.0, NAN, NAN])
    assert_labels(direction_labels(SIX, 2, dead_zone=0.095), [1.0, NAN, NAN, 1.0, NAN, NAN])


def test_a_move_exactly_on_the_dead_zone_edge_is_unlabelled():
    prices = frame([8.0, 9.0, 8.0, 7.0])  # +12.5% exactly, then -11.1%, then -12.5% exactly
    assert_labels(direction_labels(prices, 1, dead_zone=0.125), [NAN, NAN, NAN, NAN])
    assert_labels(direction_labels(prices, 1, dead_zone=0.11), [1.0, 0.0, 0.0, NAN])


def test_a_horizon_longer_than_the_series_labels_nothing():
    assert direction_labels(SIX, horizon=6).isna().all()
    assert forward_returns(SIX, 9).isna().all()


def test_price_adj_close_labels_the_adjusted_series():
    prices = frame([10.0, 11.0, 10.0], adj_close=[10.0, 9.0, 10.0])
    assert_labels(direction_labels(prices, price="adj_close"), [0.0, 1.0, NAN])
    with pytest.raises(DataError, match="'adj_close'"):
        direction_labels(SIX, price="adj_close")
    with pytest.raises(ParameterError, match="price"):
        forward_returns(SIX, 1, price="open")


@pytest.mark.parametrize("horizon", [0, -1, 1.5, True, "1", None])
def test_bad_horizons_raise_parameter_error(horizon):
    with pytest.raises(ParameterError, match="horizon"):
        direction_labels(SIX, horizon=horizon)
    with pytest.raises(ParameterError, match="horizon"):
        forward_returns(SIX, horizon)


@pytest.mark.parametrize("dead_zone", [-0.01, NAN, float("inf"), "0.1", None, True])
def test_bad_dead_zones_raise_parameter_error(dead_zone):
    with pytest.raises(ParameterError, match="dead_zone"):
        direction_labels(SIX, dead_zone=dead_zone)


@pytest.mark.parametrize("horizon", [1, 3])
def test_prices_after_t_plus_h_never_change_label_t(horizon):
    prices = random_walk(60, seed=4)
    labels = direction_labels(prices, horizon).to_numpy()
    rng = np.random.default_rng(0)
    for t in range(len(prices) - horizon):
        changed = prices.copy()
        later = changed.index[t + horizon + 1 :]
        changed.loc[later, "close"] *= rng.uniform(0.5, 1.5, len(later))
        assert direction_labels(changed, horizon).iloc[t] == labels[t], f"label {t} saw t+h+1.."
        changed.loc[changed.index[t + horizon], "close"] = prices["close"].iloc[t] * (
            0.9 if labels[t] == 1.0 else 1.1
        )
        assert direction_labels(changed, horizon).iloc[t] != labels[t], f"label {t} ignores t+h"
