"""The pooled cross-sectional model: panel, relative labels, date folds and the long-short portfolio."""

import json

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance import random_walk, synthetic_market
from pyanalytics.finance.cross_section import (
    assemble_cross_section,
    cross_section_blocks,
    cross_section_panel,
    long_short_portfolio,
    long_short_weights,
    run_cross_section_fold,
)

FAST = {"epochs": 3, "hidden_units": (16, 8), "batch_size": 64}  # 12 tickers: ~9,000 rows, not 100x


def universe(n_tickers=12, n_days=800, strength=0.0, seed=0, stagger=0):
    """Seeded synthetic tickers; with ``stagger`` the k-th starts ``k * stagger`` days later."""
    return {
        f"T{k:02d}": synthetic_market(n_days, signal_strength=strength, seed=seed * 100 + k).iloc[k * stagger:]
        for k in range(n_tickers)
    }


@pytest.mark.parametrize("seed", [0, 1])
def test_features_are_z_scored_across_the_tickers_of_each_date(seed):
    panel = cross_section_panel(universe(n_days=400, seed=seed, stagger=10), min_tickers=8)
    by_date = panel.X.groupby(panel.dates)
    np.testing.assert_allclose(by_date.mean().to_numpy(), 0.0, atol=1e-12)
    np.testing.assert_allclose(by_date.std(ddof=0).to_numpy(), 1.0, atol=1e-12)
    assert panel.X.dtypes.eq(np.float64).all() and isinstance(panel.X.index, pd.RangeIndex)
    order = pd.DataFrame({"date": panel.dates, "ticker": panel.tickers})
    assert order.equals(order.sort_values(["date", "ticker"], ignore_index=True))


def test_dates_with_too_few_tickers_are_dropped():
    prices = universe(n_days=400, stagger=20)  # T11 starts 220 days after T00
    panel = cross_section_panel(prices, min_tickers=10)
    counts = pd.Series(panel.tickers).groupby(panel.dates).size()
    assert counts.min() >= 10
    assert panel.dates.min() > prices["T00"].index[60]  # T00..T09 alone only after T09's warm-up
    with pytest.raises(DataError, match="min_tickers: no date has 13 tickers present .at most 12"):
        cross_section_panel(prices, min_tickers=13)


def test_rows_up_to_a_date_do_not_depend_on_later_prices():
    prices = universe(n_days=400, seed=3, stagger=5)
    cut = prices["T00"].index[300]
    full = cross_section_panel(prices, min_tickers=8, horizon=2)
    part = cross_section_panel({k: p.loc[:cut] for k, p in prices.items()}, min_tickers=8, horizon=2)
    early = full.dates <= np.datetime64(cut)
    assert len(part.dates) == early.sum()
    np.testing.assert_array_equal(part.dates, full.dates[early])
    np.testing.assert_array_equal(part.tickers, full.tickers[early])
    pd.testing.assert_frame_equal(part.X, full.X[early].reset_index(drop=True))
    known = ~np.isnan(part.label)
    assert known.sum() == early.sum() - 2 * 12  # the last horizon's dates have no label yet
    np.testing.assert_array_equal(part.label[known], full.label[early][known])


def test_the_label_is_relative_to_the_median_of_the_date():
    prices = universe(n_tickers=11, n_days=300, seed=4)
    panel = cross_section_panel(prices, min_tickers=5, horizon=3)
    ahead = {k: p["close"].shift(-3) / p["close"] - 1 for k, p in prices.items()}
    frame = pd.DataFrame({"date": panel.dates, "ticker": panel.tickers, "label": panel.label})
    frame["ahead"] = [ahead[t].loc[d] for d, t in zip(frame["date"], frame["ticker"])]
    frame["median"] = frame.groupby("date")["ahead"].transform("median")
    known = frame["ahead"].notna()
    assert (frame.loc[known, "label"] == (frame["ahead"] > frame["median"])[known].astype(float)).all()
    assert frame.loc[~known, "label"].isna().all() and (~known).sum() == 3 * 11
    assert (frame[known].groupby("date")["label"].sum() == 5).all()  # 11 tickers: 5 above the median
    next_day = {k: p["close"].shift(-1) / p["close"] - 1 for k, p in prices.items()}
    expected = [next_day[t].loc[d] for d, t in zip(frame["date"], frame["ticker"])]
    np.testing.assert_allclose(panel.forward_return, expected)


@pytest.mark.parametrize(("gap", "embargo"), [(None, 0), (3, 2)])
def test_blocks_keep_the_gap_in_dates_before_each_test_block(gap, embargo):
    panel = cross_section_panel(universe(n_days=300, seed=5, stagger=3), min_tickers=8, horizon=2)
    days = np.unique(panel.dates[~np.isnan(panel.label)])
    blocks = cross_section_blocks(panel, folds=3, gap=gap, embargo=embargo)
    assert len(blocks) == 3
    for train, test in blocks:
        assert not np.isnan(panel.label[train]).any() and not np.isnan(panel.label[test]).any()
        last_train = np.searchsorted(days, panel.dates[train].max())
        first_test = np.searchsorted(days, panel.dates[test].min())
        assert first_test - last_train - 1 == (2 if gap is None else gap) + embargo
        test_days = np.isin(panel.dates, panel.dates[test]) & ~np.isnan(panel.label)
        np.testing.assert_array_equal(np.flatnonzero(test_days), test)  # every labelled row of those dates
    with pytest.raises(ParameterError, match="gap"):
        cross_section_blocks(panel, folds=3, gap=1)  # below the horizon


def run(prices, folds):
    """All folds of a universe serially, their outputs round-tripped through JSON like the engine's store."""
    panel = cross_section_panel(prices, min_tickers=10)
    outputs = [
        json.loads(json.dumps(run_cross_section_fold(panel, fold, folds=folds, seed=0, model_params=FAST)))
        for fold in range(1, folds + 1)
    ]
    return assemble_cross_section(panel, outputs, quantile=0.2, cost_bps=5.0, slippage_bps=1.0)


@pytest.fixture(scope="module")
def planted():
    return run(universe(strength=2.0, seed=7), folds=3)


def test_pooled_model_finds_a_planted_signal_and_trades_it(planted):
    assert planted.metrics["dnn"]["roc_auc"] > 0.7
    assert (planted.fold_auc["dnn"] > 0.6).all()
    assert planted.stats["strategy"]["total_return"] > 0 and planted.sharpe_t() > 3
    daily = planted.daily
    assert (daily["n_long"] == 2).all() and (daily["n_short"] == 2).all()  # floor(0.2 * 12)
    np.testing.assert_allclose(daily["cost"], daily["turnover"] * 6e-4)
    weights = planted.predictions.groupby("date")["weight"]
    np.testing.assert_allclose(weights.sum(), 0.0, atol=1e-12)
    np.testing.assert_allclose(weights.apply(lambda w: w.abs().sum()), 2.0)
    assert len(planted.folds) == 3 and planted.folds["n_test"].sum() == len(planted.predictions)
    summary = planted.summary()
    json.dumps(summary, allow_nan=False)
    assert summary["n_tickers"] == 12 and summary["strategy"]["n_days"] == len(daily)


def test_pooled_model_on_random_walks_is_a_coin_flip():
    result = run({f"R{k}": random_walk(800, seed=50 + k) for k in range(12)}, folds=2)
    assert abs(result.metrics["dnn"]["roc_auc"] - 0.5) < 0.04


def test_portfolio_arithmetic_by_hand():
    dates = np.repeat(pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"]), 4)
    predictions = pd.DataFrame({
        "date": dates,
        "ticker": list("ABCD") * 3,
        "prob_up": [0.9, 0.1, 0.5, 0.6, 0.2, 0.8, 0.5, 0.7, 0.2, 0.8, 0.7, 0.5],
        "forward_return": [0.01, -0.02, 0.00, 0.03, 0.02, 0.01, -0.01, 0.00, -0.03, 0.04, 0.02, 0.01],
    })
    # quantile 0.25 of 4 tickers: one long (highest), one short (lowest) each day
    predictions["weight"] = long_short_weights(predictions["date"], predictions["prob_up"], 0.25)
    assert predictions["weight"].tolist() == [1, -1, 0, 0, -1, 1, 0, 0, -1, 1, 0, 0]
    daily, stats = long_short_portfolio(predictions, cost_bps=8.0, slippage_bps=2.0)
    # day 1: long A, short B from nothing -> turnover 2; gross 0.01 + 0.02
    # day 2: A 1 -> -1, B -1 -> 1 -> turnover 4; gross -0.02 + 0.01
    # day 3: unchanged -> turnover 0; gross 0.03 + 0.04
    assert daily["turnover"].tolist() == [2.0, 4.0, 0.0]
    np.testing.assert_allclose(daily["gross_return"], [0.03, -0.01, 0.07])
    np.testing.assert_allclose(daily["cost"], [0.002, 0.004, 0.0])
    np.testing.assert_allclose(daily["long_short_return"], [0.028, -0.014, 0.07])
    np.testing.assert_allclose(daily["equity"], np.cumprod([1.028, 0.986, 1.07]))
    np.testing.assert_allclose(daily["benchmark_return"], [0.005, 0.005, 0.01])
    assert stats["strategy"]["total_return"] == pytest.approx(1.028 * 0.986 * 1.07 - 1)
    assert stats["strategy"]["turnover"] == pytest.approx(2.0)
    assert stats["buy_and_hold"]["n_days"] == 3 and stats["strategy"]["start"] == "2024-01-02"
    # quantile 0.5: two long, two short at 1/2 each; ties broken by ticker order
    halves = long_short_weights(["d"] * 4, [0.5, 0.5, 0.5, 0.5], 0.5)
    assert halves.tolist() == [-0.5, -0.5, 0.5, 0.5]


def test_bad_arguments_are_named():
    panel = cross_section_panel(universe(n_days=300, seed=6), min_tickers=10)
    with pytest.raises(ParameterError, match="model: .*'lstm'"):
        run_cross_section_fold(panel, 1, folds=2, model="lstm")
    with pytest.raises(ParameterError, match="fold: expected a fold from 1 to 2, got 3"):
        run_cross_section_fold(panel, 3, folds=2)
    with pytest.raises(ParameterError, match="validation"):
        run_cross_section_fold(panel, 1, folds=2, validation=0.0)
    with pytest.raises(ParameterError, match="quantile"):
        assemble_cross_section(panel, [{}], quantile=0.6)
    with pytest.raises(ParameterError, match="min_tickers"):
        cross_section_panel(universe(n_days=300), min_tickers=1)
    with pytest.raises(ParameterError, match="at least 2 tickers"):
        cross_section_panel({"A": random_walk(300)})
