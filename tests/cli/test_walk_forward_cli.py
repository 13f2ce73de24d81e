"""`pyanalytics walk-forward`: tables or JSON per ticker, a report on request, one-line errors naming the fold."""

import json

import pytest
from cli_runner import invoke

from pyanalytics.finance import synthetic_market

pytestmark = pytest.mark.slow
FAST = ("--folds", "2", "--epochs", "2", "--engine", "serial")  # one process: no pool to start per command


def _csv(path, frame):
    frame.rename(columns={"adj_close": "Adj Close"}).rename(columns=str.title).rename_axis("Date").to_csv(path)
    return path


@pytest.fixture(scope="module")
def csvs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    return (_csv(folder / "AAA.csv", synthetic_market(900, signal_strength=2.0, seed=3)),
            _csv(folder / "BBB.csv", synthetic_market(800, signal_strength=0.5, seed=4, start="2000-03-01")))


@pytest.fixture(scope="module")
def json_run(csvs, tmp_path_factory):
    report = tmp_path_factory.mktemp("report") / "wf.html"
    code, out, err = invoke("walk-forward", "--data", csvs[0], "--data", csvs[1], *FAST, "--mode", "long_short",
                            "--cost-bps", "2", "--report", report, "--json")
    return code, json.loads(out), err, report


def test_json_has_every_ticker_the_summary_and_the_portfolio(json_run):
    code, summary, err, report = json_run
    assert code == 0 and err == ""
    assert list(summary["tickers"]) == ["AAA", "BBB"]
    assert [row["ticker"] for row in summary["summary"]] == ["AAA", "BBB"]
    aaa = summary["tickers"]["AAA"]
    assert aaa["n_folds"] == len(aaa["folds"]) == 2 and aaa["folds"][0]["fold"] == 1
    assert aaa["mode"] == "long_short" and aaa["cost_bps"] == 2.0 and aaa["model_params"] == {"epochs": 2}
    assert aaa["backtest"]["strategy"]["sharpe"] == summary["summary"][0]["strategy_sharpe"]
    assert summary["portfolio"]["strategy"]["n_days"] > 0
    assert summary["report"] == str(report) and report.is_file()
    aucs = [fold["roc_auc"] for fold in aaa["folds"]]
    assert aaa["fold_auc"]["dnn"]["mean"] == pytest.approx(sum(aucs) / 2) and aaa["fold_auc"]["dnn"]["n_folds"] == 2
    assert aaa["fold_auc"]["majority_class"] == {"mean": 0.5, "std": 0.0, "min": 0.5, "max": 0.5, "n_folds": 2}
    edge = aaa["auc_edge"]
    assert summary["summary"][0]["auc_edge"] == edge["edge"] and summary["summary"][0]["model_auc"] == edge["model_auc"]


def test_human_output_shows_the_fold_tables_the_verdicts_and_the_summary(csvs):
    code, out, err = invoke("walk-forward", "--data", csvs[0], *FAST, "--window", "rolling", "--train-size", 300)
    assert code == 0 and err == ""  # no progress bar off a terminal
    assert "AAA: per fold" in out and "Walk-forward summary (long_flat, 5 bp" in out
    assert "AAA: ROC AUC per fold" in out and "AAA: long_flat after costs: Sharpe" in out
    assert "AAA: dnn mean ROC AUC per fold" in out and "standard error" in out and "over 2 folds" in out
    assert "AUC per fold" in out and "edge ± se" in out
    assert "Equal-weight portfolio" not in out and "\x1b[" not in out


def test_a_failing_fold_is_one_line_naming_ticker_and_fold_and_writes_no_report(csvs, tmp_path):
    report = tmp_path / "wf.html"
    code, out, err = invoke("walk-forward", "--data", csvs[0], *FAST, "--window", "rolling", "--train-size", 30,
                            "--report", report)
    assert code == 1 and out == ""
    assert err.startswith("error: AAA: fold 1 of 2 (train ") and "validation part" in err and err.count("\n") == 1
    assert not report.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "expected_code", "expected"),
    [
        (["--window", "rolling"], 1, "train_size"),
        (["--train-size", "100"], 1, "an expanding window keeps all the past"),
        (["--window", "sliding"], 2, "--window"),
        (["--folds", "1"], 2, "--folds"),
        (["--mode", "short"], 2, "--mode"),
    ],
)
def test_bad_options(csvs, args, expected_code, expected):
    code, _, err = invoke("walk-forward", "--data", csvs[0], *args)
    assert code == expected_code and expected in err


def test_sequence_window_sets_the_lstm_look_back(csvs):
    code, out, err = invoke("walk-forward", "--data", csvs[0], *FAST, "--model", "gru", "--sequence-window", 5, "--json")
    assert code == 0 and err == ""
    assert json.loads(out)["tickers"]["AAA"]["window"] == 5


def test_ticker_names_come_from_the_files():
    from pathlib import Path

    from pyanalytics.finance.universe_files import ticker_names

    assert ticker_names([Path("a/AAPL.csv"), Path("b/MSFT.csv")]) == ["AAPL", "MSFT"]
    assert ticker_names([Path("a/X.csv"), Path("b/X.csv")]) == ["a/X.csv", "b/X.csv"]
