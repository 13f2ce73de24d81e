"""`pyanalytics volatility`: the forecast table, the verdict and the targeting table, or JSON; bad input in one line."""

import json

import pytest
from cli_runner import invoke

from pyanalytics.finance import garch_market


def _csv(path, frame):
    frame.rename(columns={"adj_close": "Adj Close"}).rename(columns=str.title).rename_axis("Date").to_csv(path)
    return path


@pytest.fixture(scope="module")
def csvs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("volatility")
    return (_csv(folder / "AAA.csv", garch_market(1300, seed=1)),
            _csv(folder / "BBB.csv", garch_market(1200, seed=2, start="2001-01-02")))


def test_json_has_every_tickers_scores_verdict_and_targeting(csvs):
    code, out, err = invoke("volatility", *csvs, "--folds", "2", "--model", "har", "--model", "garch",
                            "--target-volatility", "0.12", "--json")
    assert code == 0 and err == ""
    summary = json.loads(out)
    assert list(summary) == ["AAA", "BBB"]
    aaa = summary["AAA"]
    assert aaa["models"] == ["har", "garch"] and aaa["horizons"] == [5, 21] and aaa["n_folds"] == 2
    assert [(row["model"], row["horizon"]) for row in aaa["table"]] == [("har", 5), ("garch", 5), ("har", 21),
                                                                          ("garch", 21)]
    assert aaa["verdict"].startswith("No LSTM in this run")
    targeting = aaa["targeting"]
    assert targeting["target_volatility"] == 0.12 and targeting["horizon"] == 5
    assert [row["strategy"] for row in targeting["table"]] == ["unscaled", "targeted_har", "targeted_garch"]


def test_human_output_shows_the_table_the_verdict_per_horizon_and_the_targeted_backtest(csvs):
    code, out, err = invoke("volatility", csvs[0], "--folds", "2", "--epochs", "1", "--window", "5",
                            "--horizon", "10")
    assert code == 0 and err == ""  # no progress bar off a terminal
    assert "AAA: volatility forecasts" in out and "QLIKE 10d" in out and "MSE 10d" in out
    for model in ("lstm", "har", "ewma", "garch"):
        assert f"targeted {model}" in out
    assert "AAA: 10-day: lstm QLIKE " in out and "vs best baseline" in out
    assert "scaled to 10% annual volatility by each 10-day forecast" in out and "\x1b[" not in out


@pytest.mark.parametrize(("args", "message"), [
    (("--window", "5000"), "error: window: 5000 days is longer than the 1278 dates with features"),
    (("--horizon", "5", "--horizon", "5"), "error: horizons: expected distinct horizons, got [5, 5]"),
    (("--model", "ewma", "--no-range"), None),
])
def test_errors_are_one_line_and_the_range_can_be_left_out(csvs, args, message):
    code, out, err = invoke("volatility", csvs[0], "--folds", "2", *args)
    if message is None:
        assert code == 0 and "AAA: volatility forecasts" in out
    else:
        assert code == 1 and err.startswith(message) and err.count("\n") == 1


def test_prices_without_high_and_low_need_no_range(tmp_path):
    frame = garch_market(600, seed=3)[["close"]]
    path = _csv(tmp_path / "CLOSE.csv", frame)
    code, out, err = invoke("volatility", path, "--folds", "2")  # the LSTM reads the range
    assert code == 1 and "the range feature reads the 'high' and 'low' columns, found close" in err
    code, out, err = invoke("volatility", path, "--folds", "2", "--model", "ewma")  # the others do not
    assert code == 0, err
