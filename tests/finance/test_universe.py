"""walk_forward_many on a universe: files resolved, messy tickers set aside, each ticker its own
walk-forward, and the tables across tickers (engines and resuming: test_universe_engines)."""

import json

import numpy as np
import pandas as pd
import pytest
from price_csv import write_price_csv

from pyanalytics import jsonio
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance import synthetic_market
from pyanalytics.finance.universe import walk_forward_many
from pyanalytics.finance.universe_files import load_universe, universe_files
from pyanalytics.finance.walk_forward import WalkForwardResult, walk_forward

SMALL = {"hidden_units": (16, 8), "epochs": 3, "patience": 2, "learning_rate": 0.005}




@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Three good tickers (one planted), one with a zero open, one too short for the folds."""
    root = tmp_path_factory.mktemp("universe")
    write_price_csv(root / "AAA.csv", synthetic_market(700, signal_strength=2.0, seed=1))
    write_price_csv(root / "BBB.csv", synthetic_market(650, seed=2, start="2000-02-01"))
    write_price_csv(root / "CCC.csv", synthetic_market(700, seed=3))
    bad = synthetic_market(700, seed=4)
    bad.iloc[10, bad.columns.get_loc("open")] = 0.0
    write_price_csv(root / "ZERO.csv", bad)
    write_price_csv(root / "TINY.csv", synthetic_market(40, seed=5))
    (root / "notes.txt").write_text("not prices")
    return root


def test_a_folder_a_glob_and_a_list_name_the_same_tickers(folder):
    expected = ["AAA", "BBB", "CCC", "TINY", "ZERO"]
    assert list(universe_files(folder)) == expected
    assert list(universe_files(str(folder / "*.csv"))) == expected
    assert list(universe_files([folder / "AAA.csv", str(folder / "B*.csv")])) == ["AAA", "BBB"]
    with pytest.raises(DataError, match="matches no file"):
        universe_files(str(folder / "*.parquet"))
    with pytest.raises(DataError, match="does not exist"):
        universe_files(folder / "NOPE.csv")
    with pytest.raises(ParameterError, match="^universe"):
        universe_files(42)


def test_unreadable_prices_are_set_aside_with_their_reason(folder):
    prices, skipped, notes = load_universe(folder)
    assert list(prices) == ["AAA", "BBB", "CCC", "TINY"]
    assert list(skipped) == ["ZERO"] and "column 'open'" in skipped["ZERO"] and "not positive" in skipped["ZERO"]
    prices, skipped, notes = load_universe(folder, drop_invalid=True)
    assert "ZERO" in prices and not skipped and "ZERO" in notes
    with pytest.raises(DataError, match="^ZERO: "):
        load_universe(folder, strict=True)


@pytest.fixture(scope="module")
def serial_run(folder):
    return walk_forward_many(folder, folds=3, engine="serial", model_params=SMALL, seed=0)


def test_a_short_history_is_set_aside_and_the_rest_run(serial_run, folder):
    assert list(serial_run.results) == ["AAA", "BBB", "CCC"]
    assert set(serial_run.skipped) == {"ZERO", "TINY"} and "supply a longer history" in serial_run.skipped["TINY"]
    assert serial_run.config["n_tickers"] == 5
    with pytest.raises(DataError, match="^(TINY|ZERO): "):
        walk_forward_many(folder, folds=3, engine="serial", model_params=SMALL, strict=True)


def test_each_ticker_is_its_own_walk_forward_with_a_derived_seed(serial_run, folder):
    from pyanalytics.engine import task_seed
    from pyanalytics.finance import load_prices

    alone = walk_forward(load_prices(folder / "BBB.csv"), folds=3, model_params=SMALL, seed=task_seed(0, "BBB"))
    pd.testing.assert_frame_equal(serial_run.results["BBB"].predictions, alone.predictions, check_exact=True)
    assert isinstance(serial_run.results["BBB"], WalkForwardResult)
    assert not serial_run.results["AAA"].predictions.equals(serial_run.results["CCC"].predictions)


def test_the_summary_table_the_distribution_and_json(serial_run):
    table = serial_run.summary_table()
    assert list(table["ticker"]) == ["AAA", "BBB", "CCC"]
    row = table.set_index("ticker").loc["BBB"]
    result = serial_run.results["BBB"]
    assert row["model_auc"] == result.folds["roc_auc"].mean()
    assert row["buy_and_hold_sharpe"] == result.backtest.benchmark["sharpe"]
    spread = serial_run.distribution()
    assert spread.loc["model_auc", "count"] == 3
    assert spread.loc["strategy_sharpe", "max"] == table["strategy_sharpe"].max()
    summary = json.loads(jsonio.dumps(serial_run.summary()))
    assert summary["skipped"].keys() == {"ZERO", "TINY"} and len(summary["significance"]) == 3
    assert summary["run"]["engine"] == "serial" and summary["run"]["computed"] == 9


def test_the_portfolio_is_equal_weight_on_common_dates(serial_run):
    daily, stats = serial_run.portfolio()
    parts = [serial_run.results[n].backtest.daily["strategy_return"] for n in ("AAA", "BBB", "CCC")]
    common = parts[0].index.intersection(parts[1].index).intersection(parts[2].index)
    assert daily.index.equals(common)
    np.testing.assert_allclose(daily["strategy_return"], sum(p.loc[common] for p in parts) / 3)
    np.testing.assert_allclose(daily["equity"], np.cumprod(1 + daily["strategy_return"]))
    assert stats["strategy"]["total_return"] == pytest.approx(daily["equity"].iloc[-1] - 1)


def test_files_that_share_a_name_are_named_from_their_common_folder(tmp_path):
    for part in ("us", "eu"):
        (tmp_path / "data" / part).mkdir(parents=True)
        (tmp_path / "data" / part / "X.csv").write_text("Date\n")
    assert list(universe_files(tmp_path / "data" / "*" / "X.csv")) == ["eu/X.csv", "us/X.csv"]


def test_holding_and_the_pooled_name_are_honest(serial_run, folder, tmp_path):
    table = serial_run.significance()
    assert {"p_excess", "p_excess_adjusted", "beats_holding"} <= set(table.columns)
    assert (table["p_excess_adjusted"] >= table["p_excess"]).all()
    clash = tmp_path / "clash"
    clash.mkdir()
    (clash / "cross-section.csv").write_text((folder / "AAA.csv").read_text())
    with pytest.raises(DataError, match="named 'cross-section'"):
        walk_forward_many(clash, folds=3, engine="serial", model_params=SMALL)
