"""`pyanalytics train/walk-forward --feature COL`: a column of the user's CSV as an extra feature."""

import json

import numpy as np
import pytest
from cli_runner import invoke

from pyanalytics.finance import synthetic_market

FAST = ["--epochs", "4", "--seed", "0"]


@pytest.fixture(scope="module")
def csv_with_hint(tmp_path_factory):
    """Prices whose ``hint`` column, known at each close, reads the next day's return noisily."""
    folder = tmp_path_factory.mktemp("extra-cli")
    prices = synthetic_market(800, seed=5)
    next_return = np.log(prices["close"]).diff().shift(-1).fillna(0.0).to_numpy()
    prices["hint"] = next_return / next_return.std() + np.random.default_rng(6).normal(size=len(prices))
    prices.rename_axis("Date").to_csv(folder / "prices.csv")
    prices.drop(columns="hint").rename_axis("Date").to_csv(folder / "plain.csv")
    return folder


@pytest.fixture(scope="module")
def bundle(csv_with_hint):
    out = csv_with_hint / "model"
    code, stdout, stderr = invoke("train", "--data", csv_with_hint / "prices.csv", "--feature", "hint", "--out", out,
                                  "--json", *FAST)
    assert code == 0, stderr
    return out, json.loads(stdout)


def test_train_with_a_feature_uses_the_column_and_saves_it(bundle):
    out, summary = bundle
    spec = json.loads((out / "preprocessing.json").read_text())["feature_spec"]
    assert spec["extra_features"] == ["hint"]
    assert summary["metrics"]["test"]["roc_auc"] > 0.65


def test_predict_reads_the_column_from_the_csv_and_refuses_a_csv_without_it(bundle, csv_with_hint):
    out, _ = bundle
    code, stdout, stderr = invoke("predict", "--model", out, "--data", csv_with_hint / "prices.csv", "--last", "3", "--json")
    assert code == 0, stderr
    assert len(json.loads(stdout)) == 3
    code, stdout, stderr = invoke("predict", "--model", out, "--data", csv_with_hint / "plain.csv")
    assert code == 1 and "'hint'" in stderr and len(stderr.strip().splitlines()) == 1


def test_train_refuses_a_feature_named_like_a_price_column(csv_with_hint, tmp_path):
    code, _, stderr = invoke("train", "--data", csv_with_hint / "prices.csv", "--feature", "close", "--out",
                             tmp_path / "m", *FAST)
    assert code == 1 and "--feature: 'close' is already the price column" in stderr and not (tmp_path / "m").exists()


def test_walk_forward_with_a_feature(csv_with_hint):
    code, stdout, stderr = invoke("walk-forward", "--data", csv_with_hint / "prices.csv", "--feature", "hint",
                                  "--folds", "2", "--json", *FAST)
    assert code == 0, stderr
    assert json.loads(stdout)["tickers"]["prices"]["features"][-1] == "hint"
