"""What a terminal shows: user-supplied names exactly as they read, and an honest progress bar."""

import json
from io import StringIO

import pytest
from cli_runner import invoke
from rich.console import Console

from pyanalytics.finance import synthetic_market

pytestmark = pytest.mark.slow
MARKUP, ESCAPE = "[reverse]AAA", "\x1b[31mBBB"  # a Rich tag and an ANSI colour code in file names


def _csv(path, n_days=700, seed=3):
    frame = synthetic_market(n_days, signal_strength=2.0, seed=seed)
    frame.rename(columns={"adj_close": "Adj Close"}).rename(columns=str.title).rename_axis("Date").to_csv(path)
    return path


@pytest.fixture(scope="module")
def hostile_csvs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("names")
    return _csv(folder / f"{MARKUP}.csv"), _csv(folder / f"{ESCAPE}.csv", seed=4)


def test_names_are_escaped_and_control_characters_shown():
    from pyanalytics.cli.common import shown, visible

    assert visible("a\x1b[31mb\tc\u202ed") == "a\\x1b[31mb\\tc\\u202ed"
    console = Console(file=StringIO(), width=200)
    console.print(f"{shown(MARKUP + '.csv')} and {shown(ESCAPE)}: [bold]ours[/]")
    assert console.file.getvalue() == "[reverse]AAA.csv and \\x1b[31mBBB: ours\n"


def test_walk_forward_prints_ticker_names_as_they_read(hostile_csvs):
    code, out, err = invoke("walk-forward", "--data", hostile_csvs[0], "--data", hostile_csvs[1],
                            "--folds", "2", "--epochs", "1")
    assert code == 0 and err == ""
    assert "\x1b" not in out
    for name in (MARKUP, "\\x1b[31mBBB"):
        assert f"{name}: per fold" in out and f"{name}: ROC AUC per fold" in out
        assert f"{name}: dnn mean ROC AUC per fold" in out and f"{name}: long_flat after costs" in out
    assert "\n  [reverse]AAA " in out and "\n  \\x1b[31mBBB " in out  # the rows of the summary table


def test_train_echoes_its_data_and_bundle_paths_as_they_read(hostile_csvs, tmp_path):
    out_dir = tmp_path / "[bold]bundle\x1b[0m"
    code, out, err = invoke("train", "--data", hostile_csvs[0], "--out", out_dir, "--epochs", "1")
    assert code == 0 and "\x1b" not in out + err
    flat = out.replace("\n", "")  # Rich wraps long paths at 80 columns off a terminal
    assert f"on {hostile_csvs[0]}: direction" in flat
    assert f"Bundle written to {tmp_path}/[bold]bundle\\x1b[0m" in flat


def test_an_error_naming_a_hostile_path_shows_it_visibly(tmp_path):
    missing = tmp_path / "no\x1b[2Jprices.csv"  # "clear the screen", were it printed raw on a terminal
    code, out, err = invoke("train", "--data", missing, "--out", tmp_path / "bundle")
    assert code == 1 and out == ""
    # off a terminal click strips a raw escape sequence, so the name would read "noprices.csv"
    assert err.startswith("error: ") and "no\\x1b[2Jprices.csv" in err and err.count("\n") == 1


def test_the_progress_bar_shows_the_epochs_from_the_start_not_none(monkeypatch):
    from pyanalytics.cli import common

    terminal = Console(file=StringIO(), force_terminal=True, width=120)
    monkeypatch.setattr(common, "stderr", terminal)
    with common.epoch_progress(True, 7) as on_epoch:
        first = terminal.file.getvalue()  # drawn before the first epoch ends
        on_epoch(1, 7, {"loss": 0.69, "val_loss": 0.7})
    assert "0/7" in first and "None" not in first
    with common.progress_bar("explaining", True) as update:
        unknown = terminal.file.getvalue()[len(first):]
        update(1, 5, "")
    assert "starting…" in unknown and "None" not in unknown


def test_walk_forward_takes_horizon_slippage_and_costs_of_errors(hostile_csvs):
    code, out, err = invoke("walk-forward", "--data", hostile_csvs[0], "--folds", "2", "--epochs", "1", "--horizon", "3",
                            "--slippage-bps", "2.5", "--cost-fp", "3", "--tune-threshold", "--json")
    assert code == 0 and err == ""
    run = json.loads(out)["tickers"][MARKUP]
    assert (run["horizon"], run["gap"], run["slippage_bps"], run["alpha"], run["tune_threshold"]) == (3, 3, 2.5, 3.0, True)
    assert run["backtest"]["holding"] == 3 and run["backtest"]["slippage_bps"] == 2.5
    assert all(fold["threshold"] != 0.5 for fold in run["folds"])
