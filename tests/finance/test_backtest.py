"""The backtest on hand-checked paths: timing (t decides, t+1 pays), costs, tranches, drawdowns."""

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance.backtest import (
    STAT_NAMES,
    backtest,
    backtest_matrix,
    positions_from_signals,
    signals_from_bundle,
)
from pyanalytics.jsonio import dumps

DAYS = pd.bdate_range("2024-01-01", periods=6, name="date")


def closes(*values, start="2024-01-01") -> pd.Series:
    return pd.Series(values, index=pd.bdate_range(start, periods=len(values), name="date"), dtype=float)


def signal_on(prices: pd.Series, *values) -> pd.Series:
    return pd.Series(values, index=prices.index[: len(values)], dtype=float)


def next_returns(prices: pd.Series) -> pd.Series:
    """r_{t+1} on the row of t (NaN on the last date)."""
    return prices.shift(-1) / prices - 1


# Returns +10%, -10%, +5%, -5%.
PATH = closes(100.0, 110.0, 99.0, 103.95, 98.7525)


def test_perfect_foresight_long_short_earns_every_move_less_hand_computed_costs():
    up_next = signal_on(PATH, 1, 0, 1, 0)  # the sign of the NEXT return
    result = backtest(up_next, PATH, mode="long_short", cost_bps=7, slippage_bps=3)
    # positions +1 -1 +1 -1; turnover 1 (entry) then 2 per flip; 10 bps per unit
    assert result.daily["position"].tolist() == [1, -1, 1, -1]
    assert result.daily["turnover"].tolist() == [1, 2, 2, 2]
    expected = (1 + 0.10 - 0.001) * (1 + 0.10 - 0.002) * (1 + 0.05 - 0.002) * (1 + 0.05 - 0.002)
    assert result.stats["total_return"] == pytest.approx(expected - 1, abs=1e-12)
    free = backtest(up_next, PATH, mode="long_short")
    assert free.daily["equity"].iloc[-1] == pytest.approx(1.1 * 1.1 * 1.05 * 1.05, abs=1e-12)
    assert free.stats["hit_rate"] == 1.0 and free.stats["max_drawdown_start"] is None
    assert free.stats["n_trades"] == 4


def test_always_long_is_buy_and_hold_including_the_one_entry_cost(aapl):
    result = backtest(pd.Series(1, index=aapl.index), aapl, cost_bps=5, slippage_bps=2)
    daily = result.daily
    assert (daily["strategy_return"] == daily["benchmark_return"]).all()
    assert (daily["equity"] == daily["benchmark_equity"]).all()
    assert result.stats == result.benchmark
    assert result.stats["n_trades"] == 1 and daily["cost"].iloc[0] == pytest.approx(7e-4)
    assert (daily["cost"].iloc[1:] == 0).all()
    adj = aapl["adj_close"]
    first = adj.iloc[1] / adj.iloc[0] - 1
    by_hand = (1 + first - 7e-4) * adj.iloc[-1] / adj.iloc[1]
    assert daily["equity"].iloc[-1] == pytest.approx(by_hand, rel=1e-9)


def test_excess_t_judges_the_strategy_against_holding_the_stock(aapl):
    always_long = backtest(pd.Series(1, index=aapl.index), aapl)
    assert always_long.sharpe_t() > 2  # Apple rose: riding it is "profitable" ...
    assert math.isnan(always_long.excess_t())  # ... and no different from holding it
    returns = next_returns(aapl["adj_close"]).dropna()
    foresight = backtest((returns > 0).astype(float), aapl, mode="long_short", cost_bps=5)
    excess = foresight.daily["strategy_return"] - foresight.daily["benchmark_return"]
    by_hand = excess.mean() / excess.std(ddof=1) * math.sqrt(len(excess))
    assert foresight.excess_t() == pytest.approx(by_hand, rel=1e-12) and by_hand > 10


def test_alternating_long_flat_signal_pays_one_unit_of_turnover_every_day():
    result = backtest(signal_on(PATH, 1, 0, 1, 0), PATH, cost_bps=20)
    daily = result.daily
    assert daily["position"].tolist() == [1, 0, 1, 0]
    assert daily["cost"].tolist() == pytest.approx([0.002] * 4)
    assert daily["strategy_return"].tolist() == pytest.approx([0.098, -0.002, 0.048, -0.002])
    assert result.stats["total_return"] == pytest.approx(1.098 * 0.998 * 1.048 * 0.998 - 1)
    assert result.stats["turnover"] == 1.0 and result.stats["exposure"] == 0.5
    assert result.stats["hit_rate"] == 1.0 and result.stats["n_trades"] == 4


def test_the_last_price_date_is_not_counted_and_rows_are_the_days_returns_are_earned():
    result = backtest(pd.Series(1.0, index=PATH.index), PATH)
    assert list(result.daily.index) == list(PATH.index[1:])
    assert result.daily["asset_return"].tolist() == pytest.approx([0.10, -0.10, 0.05, -0.05])
    assert result.stats["start"] == "2024-01-01" and result.stats["end"] == "2024-01-05"
    # a signal ending before the prices do still earns its last next-day return
    assert backtest(signal_on(PATH, 1, 1), PATH).daily["asset_return"].tolist() == pytest.approx([0.10, -0.10])


def test_dates_the_signal_omits_are_flat_and_nan_is_no_view():
    sparse = pd.Series([1.0, 1.0], index=PATH.index[[0, 2]])
    assert backtest(sparse, PATH).daily["position"].tolist() == [1, 0, 1]
    with_nan = signal_on(PATH, 1, np.nan, 0, 1)
    assert backtest(with_nan, PATH, mode="long_short").daily["position"].tolist() == [1, 0, -1, 1]


def test_a_holding_period_holds_overlapping_tranches():
    assert positions_from_signals([1, 1, 0, 0, 1], mode="long_short", holding=2).tolist() == [0.5, 1, 0, -1, 0]
    prices = closes(100.0, 101.0, 102.0, 103.0, 104.0, 105.0)
    result = backtest(signal_on(prices, 1, 1, 0, 0, 1), prices, mode="long_short", holding=2, cost_bps=10)
    assert result.daily["position"].tolist() == [0.5, 1, 0, -1, 0]
    assert result.daily["turnover"].tolist() == [0.5, 0.5, 1, 1, 1]
    assert result.daily["cost"].tolist() == pytest.approx([5e-4, 5e-4, 1e-3, 1e-3, 1e-3])
    assert result.stats["exposure"] == pytest.approx(0.5) and result.stats["n_trades"] == 5
    matrix = positions_from_signals(np.array([[1, 0], [1, 1], [0, 1]]), holding=3)
    assert np.allclose(matrix, [[1 / 3, 0], [2 / 3, 1 / 3], [2 / 3, 2 / 3]])


def test_drawdown_dates_are_the_peak_and_trough_closes():
    prices = closes(100.0, 120.0, 90.0, 130.0, 80.0, 100.0)
    stats = backtest(pd.Series(1.0, index=prices.index), prices).benchmark
    assert stats["max_drawdown"] == pytest.approx(80 / 130 - 1)
    assert (stats["max_drawdown_start"], stats["max_drawdown_end"]) == ("2024-01-04", "2024-01-05")
    falling = closes(100.0, 90.0, 80.0, 85.0)
    stats = backtest(pd.Series(1.0, index=falling.index), falling).stats
    assert (stats["max_drawdown_start"], stats["max_drawdown_end"]) == ("2024-01-01", "2024-01-03")
    assert stats["max_drawdown"] == pytest.approx(-0.2)


def test_statistics_by_hand():
    r = np.array([0.01, -0.02, 0.03, -0.01])
    stats = backtest_matrix(np.ones(4), r, periods_per_year=4)
    assert stats["sharpe"][0] == pytest.approx(r.mean() / r.std(ddof=1) * 2)
    assert stats["sortino"][0] == pytest.approx(r.mean() / math.sqrt((0.02**2 + 0.01**2) / 4) * 2)
    assert stats["annual_volatility"][0] == pytest.approx(r.std(ddof=1) * 2)
    assert stats["annual_return"][0] == pytest.approx(np.prod(1 + r) - 1)  # four days = one year here


def test_a_signal_that_peeks_at_the_next_return_is_rewarded_but_the_same_day_return_is_not(walk_market):
    move = walk_market["adj_close"].pct_change()
    same_day = (move > 0).astype(float)  # known at the close of t: a legitimate (useless) signal
    peeking = (move.shift(-1) > 0).astype(float)  # needs t+1: only a leaky backtest would pay it
    honest = backtest(same_day, walk_market, mode="long_short")
    leak = backtest(peeking, walk_market, mode="long_short")
    n = honest.stats["n_days"]
    assert abs(honest.stats["sharpe"] / math.sqrt(252) * math.sqrt(n)) < 3  # t-statistic
    assert leak.stats["sharpe"] > 10 and leak.stats["hit_rate"] == 1.0


@pytest.mark.parametrize("seed", range(5))
def test_a_random_signal_on_a_random_walk_has_no_significant_sharpe_after_costs(walk_market, seed):
    rng = np.random.default_rng(seed)
    signal = pd.Series(rng.integers(0, 2, len(walk_market)), index=walk_market.index)
    stats = backtest(signal, walk_market, mode="long_short", cost_bps=2).stats
    assert stats["sharpe"] / math.sqrt(252) * math.sqrt(stats["n_days"]) < 2


@settings(max_examples=60, deadline=None)
@given(
    moves=st.lists(st.floats(-0.2, 0.2), min_size=2, max_size=40),
    bits=st.lists(st.sampled_from([0.0, 1.0, np.nan]), min_size=40, max_size=40),
)
def test_without_costs_long_short_returns_are_position_times_next_return(moves, bits):
    prices = pd.Series(100 * np.cumprod(1 + np.array(moves)), index=pd.bdate_range("2020-01-01", periods=len(moves)))
    signal = pd.Series(bits[: len(moves)], index=prices.index)
    daily = backtest(signal, prices, mode="long_short").daily
    expected = np.nan_to_num(2 * signal.to_numpy()[:-1] - 1)
    assert daily["position"].tolist() == expected.tolist()
    assert np.array_equal(daily["strategy_return"], daily["position"] * next_returns(prices).to_numpy()[:-1])


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.floats(0, 50), st.integers(0, 2**31))
def test_the_kernel_on_many_tickers_matches_each_single_series(holding, cost, seed):
    rng = np.random.default_rng(seed)
    prices = pd.DataFrame(
        100 * np.cumprod(1 + rng.normal(0, 0.02, (30, 3)), axis=0), index=pd.bdate_range("2020-01-01", periods=30)
    )
    signals = rng.integers(0, 2, (30, 3)).astype(float)
    returns = (prices.shift(-1) / prices - 1).to_numpy()[:-1]
    matrix = backtest_matrix(positions_from_signals(signals[:-1], holding=holding), returns, cost_bps=cost)
    for ticker in range(3):
        single = backtest(pd.Series(signals[:, ticker], index=prices.index), prices[ticker], holding=holding,
                          cost_bps=cost)
        assert np.allclose(single.daily["strategy_return"], matrix["net_return"][:, ticker], rtol=0, atol=1e-15)
        assert single.stats["sharpe"] == pytest.approx(matrix["sharpe"][ticker], nan_ok=True)


def test_summary_is_json_and_table_lists_every_statistic():
    result = backtest(signal_on(PATH, 1, 0, 1, 0), PATH, mode="long_short", holding=2, cost_bps=1)
    summary = json.loads(dumps(result.summary()))
    assert summary["mode"] == "long_short" and summary["holding"] == 2 and summary["cost_bps"] == 1.0
    assert set(summary["strategy"]) == set(summary["buy_and_hold"]) == set(STAT_NAMES)
    table = result.table()
    assert list(table.index) == list(STAT_NAMES) and list(table.columns) == ["strategy", "buy_and_hold"]


def test_prices_frame_uses_adjusted_closes_when_present():
    frame = pd.DataFrame({"close": [10.0, 10.0, 10.0], "adj_close": [5.0, 6.0, 3.0]}, index=DAYS[:3])
    ones = pd.Series(1.0, index=frame.index)
    assert backtest(ones, frame).daily["asset_return"].tolist() == pytest.approx([0.2, -0.5])
    assert backtest(ones, frame[["close"]]).daily["asset_return"].tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("kwargs", "error", "names"),
    [
        ({"mode": "short_only"}, ParameterError, "mode"),
        ({"holding": 0}, ParameterError, "holding"),
        ({"cost_bps": -1}, ParameterError, "cost_bps"),
        ({"slippage_bps": -0.5}, ParameterError, "slippage_bps"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, names):
    with pytest.raises(error, match=names):
        backtest(signal_on(PATH, 1, 0), PATH, **kwargs)


def test_bad_signals_name_the_date():
    with pytest.raises(DataError, match="2023-12-29 is not a date of the prices"):
        backtest(pd.Series([1.0, 1.0], index=pd.to_datetime(["2024-01-01", "2023-12-29"])), PATH)
    with pytest.raises(DataError, match=r"2024-01-02 is 2\.0"):
        backtest(signal_on(PATH, 1, 2), PATH)
    with pytest.raises(DataError, match="2024-01-01 is 'up'"):
        backtest(pd.Series(["up"], index=PATH.index[:1]), PATH)
    with pytest.raises(DataError, match="no signal date is followed by a price"):
        backtest(pd.Series([1.0], index=PATH.index[-1:]), PATH)
    with pytest.raises(DataError, match="no signal date is followed by a price"):
        backtest(pd.Series([], index=pd.DatetimeIndex([]), dtype=float), PATH)
    with pytest.raises(ParameterError, match="signal"):
        backtest(pd.Series([1.0, 0.0]), PATH)


def test_bad_prices_are_named():
    with pytest.raises(DataError, match="2024-01-02"):
        backtest(signal_on(PATH, 1), closes(100.0, -1.0))
    with pytest.raises(DataError, match="'adj_close' or 'close'"):
        backtest(signal_on(PATH, 1), pd.DataFrame({"open": PATH}))


@pytest.mark.slow
def test_signals_from_bundle_are_the_out_of_sample_predictions(strong_bundle_dir, strong_market):
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(strong_bundle_dir)
    signal = signals_from_bundle(bundle, strong_market)
    assert signal.index[0] == pd.Timestamp(bundle.metadata["out_of_sample_from"])
    assert signal.index[-1] == strong_market.index[-1]
    predicted = bundle.predict(strong_market).set_index("date")["signal"]
    assert signal.tolist() == predicted.loc[signal.index].tolist()
    later = signals_from_bundle(bundle, strong_market, since=signal.index[100])
    assert later.index[0] == signal.index[100] and later.equals(signal.iloc[100:])
    result = backtest(signal, strong_market, mode="long_short", cost_bps=1)
    assert result.stats["n_days"] == len(signal) - 1


def test_a_day_losing_more_than_everything_ruins_the_portfolio():
    # short one unit of a stock that triples on day 2: -200%, and nothing after can bring it back
    kernel = backtest_matrix(np.full(4, -1.0), np.array([0.01, 2.0, -0.5, -0.5]))
    np.testing.assert_allclose(kernel["equity"][:, 0], [0.99, 0.0, 0.0, 0.0])
    assert kernel["max_drawdown"][0] == -1.0 and kernel["annual_return"][0] == -1.0
