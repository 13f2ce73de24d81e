"""`pyanalytics backtest`: the table and verdict, the JSON shape, notes and usage errors."""

import json

import pandas as pd
import pytest
from cli_runner import invoke

from pyanalytics.finance.backtest import STAT_NAMES, backtest, signals_from_bundle

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def strong_csv(strong_market, tmp_path_factory):
    """The market the strong bundle was trained on, as a Yahoo-style CSV."""
    path = tmp_path_factory.mktemp("data") / "STRONG.csv"
    frame = strong_market.rename(columns={"adj_close": "Adj Close"}).rename(columns=str.title)
    frame.rename_axis("Date").to_csv(path)
    return path


def test_json_matches_the_library_on_the_out_of_sample_dates(strong_bundle_dir, strong_csv):
    from pyanalytics.bundle import load_bundle
    from pyanalytics.finance import load_prices

    code, out, err = invoke("backtest", "--model", strong_bundle_dir, "--data", strong_csv, "--mode", "long_short",
                            "--cost-bps", 3, "--slippage-bps", 1, "--json")
    assert code == 0 and err == ""
    summary = json.loads(out)
    assert summary["out_of_sample"] is True and summary["mode"] == "long_short"
    assert summary["holding"] == summary["horizon"] == 1
    assert (summary["cost_bps"], summary["slippage_bps"]) == (3.0, 1.0)
    assert set(summary["strategy"]) == set(summary["buy_and_hold"]) == set(STAT_NAMES)
    bundle = load_bundle(strong_bundle_dir)
    assert summary["strategy"]["start"] == bundle.metadata["out_of_sample_from"]
    prices = load_prices(strong_csv)
    expected = backtest(signals_from_bundle(bundle, prices), prices, mode="long_short", cost_bps=3, slippage_bps=1)
    assert summary["strategy"]["total_return"] == pytest.approx(expected.stats["total_return"], rel=1e-12)
    # the planted signal survives small costs
    assert summary["sharpe_t"] > 2 and "significantly profitable" in summary["verdict"]


def test_table_and_verdict(strong_bundle_dir, strong_csv):
    code, out, err = invoke("backtest", "--model", strong_bundle_dir, "--data", strong_csv, "--holding", 2)
    assert code == 0 and err == ""
    assert "buy and hold" in out and "max_drawdown_start" in out and "held 2 day(s)" in out
    assert "Sharpe" in out and "\x1b[" not in out


def test_an_earlier_since_is_noted_and_marked(strong_bundle_dir, strong_csv, strong_market):
    since = strong_market.index[500].date().isoformat()
    code, out, err = invoke("backtest", "--model", strong_bundle_dir, "--data", strong_csv, "--since", since, "--json")
    assert code == 0 and "before the model's test part" in err
    summary = json.loads(out)
    assert summary["out_of_sample"] is False and summary["strategy"]["start"] >= since


def test_runs_on_real_prices(strong_bundle_dir, aapl_path):
    code, out, _ = invoke("backtest", "--model", strong_bundle_dir, "--data", aapl_path, "--json")
    assert code == 0 and json.loads(out)["strategy"]["n_days"] > 100


@pytest.mark.parametrize(
    ("args", "expected_code", "expected"),
    [
        (["--mode", "short"], 2, "--mode"),
        (["--cost-bps", "-1"], 2, "--cost-bps"),
        (["--holding", "0"], 2, "--holding"),
        (["--since", "2090-01-01"], 1, "2090-01-01"),
    ],
)
def test_bad_options(strong_bundle_dir, strong_csv, args, expected_code, expected):
    code, _, err = invoke("backtest", "--model", strong_bundle_dir, "--data", strong_csv, *args)
    assert code == expected_code and expected in err


def test_the_verdict_judges_the_edge_and_the_excess_over_buy_and_hold(walk_market):
    from pyanalytics.cli.backtest import backtest_verdict

    closes = walk_market["adj_close"]
    rises = (closes.shift(-1) > closes).astype(float).iloc[:-1]
    ahead = backtest_verdict(backtest(rises, walk_market, mode="long_short"))
    behind = backtest_verdict(backtest(1 - rises, walk_market, mode="long_short"))
    holding = backtest_verdict(backtest(pd.Series(1.0, index=closes.index), walk_market))
    assert ahead.endswith("significantly profitable; significantly ahead of buy-and-hold.")
    assert holding.endswith("not significantly different from buy-and-hold.")
    assert backtest(1 - rises, walk_market, mode="long_short").sharpe_t() <= -2
    assert behind.endswith("a significant loss (t at or below -2 is unlikely to be luck); significantly behind "
                           "buy-and-hold.")


def test_a_modest_significant_loss_is_called_a_loss_not_luck():
    """The issue's case: a Sharpe ratio about -0.5 over 20 years is a t of about -2.3."""
    from pyanalytics.cli.backtest import backtest_verdict
    from pyanalytics.finance import random_walk

    falling = random_walk(5000, seed=13, drift=-0.0005)
    result = backtest(pd.Series(1.0, index=falling.index), falling)
    assert -0.6 < result.stats["sharpe"] < -0.4 and -2.5 < result.sharpe_t() <= -2
    assert "Sharpe -0.52 (t = -2.3)" in backtest_verdict(result)
    assert "a significant loss" in backtest_verdict(result) and "luck);" in backtest_verdict(result)
