"""Volatility targeting in the backtest: scaled as stated, by the forecast of the decision date only."""

import json

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance import garch_market
from pyanalytics.finance.backtest import backtest
from pyanalytics.finance.volatility import walk_forward_volatility
from pyanalytics.finance.volatility_targeting import volatility_targeting
from pyanalytics.jsonio import dumps

CLOSES = pd.Series([100.0, 110.0, 99.0, 103.95, 98.7525, 100.0],
                   index=pd.bdate_range("2024-01-01", periods=6, name="date"))
SIGNAL = pd.Series([1.0, 1.0, 0.0, 1.0, 1.0], index=CLOSES.index[:5])
FORECAST = pd.Series([0.2, 0.05, np.nan, 0.1, 0.4, 0.3], index=CLOSES.index)  # none needed on the flat day


def test_each_position_is_scaled_by_target_over_its_decision_dates_forecast_capped():
    result = backtest(SIGNAL, CLOSES, cost_bps=10, volatility=FORECAST, target_volatility=0.1, max_leverage=1.5)
    daily = result.daily
    assert daily["unscaled_position"].tolist() == [1, 1, 0, 1, 1]
    assert daily["leverage"].tolist()[:2] == [0.5, 1.5]  # 0.1 / 0.2; 0.1 / 0.05 = 2 capped at 1.5
    assert np.isnan(daily["leverage"].iloc[2]) and daily["leverage"].tolist()[3:] == [1.0, 0.25]
    assert daily["position"].tolist() == [0.5, 1.5, 0.0, 1.0, 0.25]
    turnover = np.abs(np.diff(np.r_[0.0, daily["position"]]))
    expected = daily["position"] * daily["asset_return"] - turnover * 10 / 1e4
    assert np.allclose(daily["strategy_return"], expected)
    assert result.stats["total_return"] == pytest.approx(np.prod(1 + expected) - 1)


def test_the_unscaled_strategy_beside_it_is_the_plain_backtest():
    plain = backtest(SIGNAL, CLOSES, cost_bps=10)
    targeted = backtest(SIGNAL, CLOSES, cost_bps=10, volatility=FORECAST)
    assert np.array_equal(targeted.daily["unscaled_return"], plain.daily["strategy_return"])
    assert np.array_equal(targeted.daily["unscaled_equity"], plain.daily["equity"])
    assert targeted.unscaled == plain.stats and targeted.benchmark == plain.benchmark
    summary = json.loads(dumps(targeted.summary()))
    assert summary["unscaled"]["total_return"] == pytest.approx(plain.stats["total_return"])
    assert (summary["target_volatility"], summary["max_leverage"]) == (0.1, 2.0)
    assert list(targeted.table().columns) == ["strategy", "unscaled", "buy_and_hold"]
    assert "unscaled" not in plain.summary() and plain.unscaled is None


@pytest.mark.parametrize("day", range(5))
def test_a_forecast_changes_only_the_day_after_it_was_made(day):
    base = backtest(SIGNAL, CLOSES, volatility=FORECAST)
    changed = FORECAST.copy()
    changed.iloc[day] = 0.01 if day != 2 else np.nan  # the flat day needs none
    moved = backtest(SIGNAL, CLOSES, volatility=changed)
    differs = (base.daily["position"] != moved.daily["position"]).to_numpy()
    # daily row i earns the return to date i + 1, decided at date i's close with date i's forecast
    assert set(np.flatnonzero(differs)) <= {day}
    assert not differs[:day].any()


def test_the_last_dates_forecast_is_never_used():
    changed = FORECAST.copy()
    changed.iloc[-1] = 123.0
    assert backtest(SIGNAL, CLOSES, volatility=changed).daily.equals(backtest(SIGNAL, CLOSES, volatility=FORECAST).daily)


def test_a_held_position_without_a_forecast_is_named():
    missing = FORECAST.drop(CLOSES.index[3])
    with pytest.raises(DataError, match=r"^volatility: no forecast on 2024-01-04, a date that holds a position; "):
        backtest(SIGNAL, CLOSES, volatility=missing)
    with pytest.raises(DataError, match=r"volatility: the forecast -0.1 on 2024-01-01"):
        backtest(SIGNAL, CLOSES, volatility=FORECAST.where(FORECAST.index != CLOSES.index[0], -0.1))
    with pytest.raises(ParameterError, match=r"target_volatility: expected a number in \(0.0, 10.0\], got 0"):
        backtest(SIGNAL, CLOSES, volatility=FORECAST, target_volatility=0)
    with pytest.raises(ParameterError, match=r"volatility: expected a pandas Series"):
        backtest(SIGNAL, CLOSES, volatility=FORECAST.to_numpy())


def test_targeting_with_good_forecasts_brings_the_realised_volatility_near_the_target():
    prices = garch_market(2500, seed=8)  # 16 % a year on average, in clusters
    result = walk_forward_volatility(prices, n_folds=3, models=("garch", "ewma"))
    targeting = volatility_targeting(result, prices, target_volatility=0.08, cost_bps=0.0)
    table = targeting.table()
    assert list(table.index) == ["unscaled", "targeted_garch", "targeted_ewma"]
    assert table.loc["unscaled", "annual_volatility"] == pytest.approx(0.16, abs=0.03)
    for model in ("garch", "ewma"):
        assert table.loc[f"targeted_{model}", "annual_volatility"] == pytest.approx(0.08, abs=0.01)
    # the leverage is what the forecast said at each decision date
    daily = targeting.backtests["garch"].daily
    forecast = result.volatility_forecast("garch", 5)
    decided = prices.index[prices.index.get_indexer(daily.index) - 1]  # the close each day was decided at
    assert np.allclose(daily["leverage"], np.minimum(2.0, 0.08 / forecast.loc[decided].to_numpy()))
    assert json.loads(dumps(targeting.summary()))["table"][0]["strategy"] == "unscaled"
