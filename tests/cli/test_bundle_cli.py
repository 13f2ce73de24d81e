"""The command line with bundles: an --out that cannot be used fails before training, and
evaluate says whether the prices are the ones the model was trained on."""

import json

import pandas as pd
import pytest
from cli_runner import invoke

import pyanalytics.finance.training
from pyanalytics.finance import synthetic_market


def _write_csv(frame, path):
    frame.rename(columns={"adj_close": "Adj Close"}).rename(columns=str.title).rename_axis("Date").to_csv(path)
    return path


@pytest.fixture(scope="module")
def market():
    return synthetic_market(1200, signal_strength=2.0, seed=3)


@pytest.fixture(scope="module")
def csvs(market, tmp_path_factory):
    """The training prices, another instrument on the same dates, and the training prices moved
    to dates after the training data ends."""
    folder = tmp_path_factory.mktemp("data")
    later = market.copy()
    later.index = later.index + pd.Timedelta(weeks=(later.index[-1] - later.index[0]).days // 7 + 1)
    return {
        "same": _write_csv(market, folder / "SYN.csv"),
        "other": _write_csv(synthetic_market(1200, signal_strength=2.0, seed=4), folder / "OTHER.csv"),
        "later": _write_csv(later, folder / "LATER.csv"),
    }


def _no_training(*args, **kwargs):
    raise AssertionError("training started")


def _stray_manifest(tmp_path):
    out = tmp_path / "project"
    out.mkdir()
    (out / "manifest.json").write_text("{}")
    (out / "main.py").write_text("keep me")
    return out, "exists and is not a pyanalytics bundle: it holds 'main.py'"


def _symlink(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    return tmp_path / "link", "it is a symbolic link"


def _file_parent(tmp_path):
    (tmp_path / "models").write_text("a file")
    return tmp_path / "models" / "m", "is a file, not a folder"


@pytest.mark.parametrize("make_out", [_stray_manifest, _symlink, _file_parent])
def test_train_refuses_an_unusable_out_before_training(csvs, tmp_path, monkeypatch, make_out):
    out, reason = make_out(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    monkeypatch.setattr(pyanalytics.finance.training, "train_direction_model", _no_training)
    code, stdout, stderr = invoke("train", "--data", csvs["same"], "--out", out, "--epochs", 1)
    assert code == 1 and stdout == ""
    assert stderr.startswith("error: bundle") and reason in stderr and stderr.count("\n") == 1
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


@pytest.mark.slow
def test_evaluate_says_whether_the_prices_are_the_training_data(csvs, tmp_path):
    bundle = tmp_path / "syn.bundle"
    code, _, _ = invoke("train", "--data", csvs["same"], "--out", bundle, "--epochs", 2, "--json")
    assert code == 0
    assert json.loads((bundle / "metadata.json").read_text())["data"]["name"] == "SYN.csv"
    verdicts = {}
    for kind, path in csvs.items():
        code, out, _ = invoke("evaluate", "--model", bundle, "--data", path, "--json")
        assert code == 0
        verdicts[kind] = json.loads(out)["data"]
    assert verdicts["same"]["verdict"] == "training data" and verdicts["same"]["training_data"] == "SYN.csv"
    assert verdicts["same"]["compared_dates"] == 256 and verdicts["same"]["differing_dates"] == 0
    assert verdicts["other"]["verdict"] == "another instrument or revised data"
    assert verdicts["other"]["differing_dates"] == verdicts["other"]["compared_dates"] == 256
    assert verdicts["later"]["verdict"] == "cannot tell" and verdicts["later"]["compared_dates"] == 0
    code, out, _ = invoke("evaluate", "--model", bundle, "--data", csvs["other"])
    assert code == 0
    out = " ".join(out.split())  # Rich wraps long lines
    assert "Evaluated prices: another instrument or revised data (256 of 256 fingerprint dates differ" in out
    assert "'SYN.csv'" in out
