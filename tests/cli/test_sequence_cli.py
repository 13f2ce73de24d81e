"""`pyanalytics sequence classify/forecast/predict/evaluate` on small planted series, the generic
`predict`/`evaluate` on a sequence bundle, and each bad input as one line on stderr with exit 1."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_runner import invoke

from pyanalytics.bundle import load_bundle
from pyanalytics.data.synthetic_series import seasonal_ar

FAST = ["--units", "8", "--epochs", "3", "--batch-size", "32", "--seed", "0"]
PRICE_BUNDLE = Path(__file__).resolve().parents[1] / "fixtures" / "bundle_v1"


def _seasonal(n=400, period=12) -> pd.DataFrame:
    """A season of ``period`` hours plus AR(1) noise: linear AR and seasonal naive beat naive on it."""
    return pd.DataFrame({"time": pd.date_range("2024-01-01", periods=n, freq="h"),
                         "value": seasonal_ar(n, period=period, seed=0)})


def _room(n=500, seed=0, start="2024-01-01") -> pd.DataFrame:
    """Light follows an occupied/empty state that switches now and then, one row a minute."""
    rng = np.random.default_rng(seed)
    state = (np.cumsum(rng.random(n) < 0.03) % 2).astype(int)
    return pd.DataFrame({"date": pd.date_range(start, periods=n, freq="min"),
                         "light": 400 * state + rng.normal(scale=60, size=n), "occupied": state})


@pytest.fixture(scope="module")
def forecast(tmp_path_factory):
    """`sequence forecast --json` with quantiles once: (folder, data path, bundle path, parsed summary)."""
    folder = tmp_path_factory.mktemp("sequence-forecast")
    _seasonal().to_csv(folder / "series.csv", index=False)
    bundle = folder / "forecaster"
    code, out, err = invoke("sequence", "forecast", "--data", folder / "series.csv", "--target", "value",
                            "--time-column", "time", "--window", "24", "--horizon", "4", "--period", "12",
                            "--quantiles", "0.1,0.5,0.9", "--out", bundle, "--json", *FAST)
    assert code == 0, err
    return folder, folder / "series.csv", bundle, json.loads(out)


@pytest.fixture(scope="module")
def classifier(tmp_path_factory):
    """`sequence classify` on one room series, tested on two more files: (folder, printed text, bundle path)."""
    folder = tmp_path_factory.mktemp("sequence-classify")
    _room().to_csv(folder / "train.csv", index=False)
    _room(200, seed=1, start="2024-02-01").to_csv(folder / "week2.csv", index=False)
    _room(200, seed=2, start="2024-03-01").to_csv(folder / "week3.csv", index=False)
    code, out, err = invoke("sequence", "classify", "--data", folder / "train.csv", "--label", "occupied",
                            "--time-column", "date", "--window", "5", "--max-gap", "2min", "--test", folder / "week2.csv",
                            "--test", folder / "week3.csv", "--out", folder / "classifier", *FAST)
    assert code == 0, err
    return folder, " ".join(out.split()), folder / "classifier"


def test_forecast_json_scores_every_model_per_horizon_with_the_interval(forecast):
    _, _, bundle, summary = forecast
    assert summary["task"] == "forecasting" and summary["horizon"] == 4 and summary["target"] == "value"
    test = summary["test_sets"]["test"]["metrics"]
    assert list(test) == ["lstm", "naive", "seasonal_naive", "linear_ar"]
    assert all(len(test[m]["horizons"]["mase"]) == 4 for m in test)
    assert 0.0 <= test["lstm"]["coverage"] <= 1.0 and test["lstm"]["nominal"] == pytest.approx(0.8)
    assert test["linear_ar"]["mase"] < 1.0 < test["naive"]["mase"]  # the planted season and AR structure
    assert summary["verdict"]["metric"] == "mase" and summary["bundle"] == str(bundle)
    assert (bundle / "manifest.json").is_file()


def test_predict_last_forecasts_from_the_last_row_as_the_bundle_does(forecast):
    _, data, bundle, _ = forecast
    code, out, err = invoke("sequence", "predict", "--model", bundle, "--data", data, "--last", "1", "--json")
    assert code == 0, err
    (row,) = json.loads(out)
    expected = load_bundle(bundle).predict(pd.read_csv(data), last=True)
    assert row["time"] == expected.index[0].isoformat() == "2024-01-17T15:00:00"
    assert list(row)[1:] == [*(f"h{h}" for h in range(1, 5)), *(f"lower_h{h}" for h in range(1, 5)),
                             *(f"upper_h{h}" for h in range(1, 5))]
    np.testing.assert_allclose([row[c] for c in expected.columns], expected.iloc[0].to_numpy(), rtol=1e-6)
    assert all(row[f"lower_h{h}"] <= row[f"upper_h{h}"] for h in range(1, 5))
    generic = invoke("predict", "--model", bundle, "--data", data, "--last", "1", "--json")
    assert generic == (0, out, "")


def test_evaluate_on_the_training_file_scores_every_window_and_says_it_flatters(forecast):
    _, data, bundle, _ = forecast
    code, out, err = invoke("sequence", "evaluate", "--model", bundle, "--data", data)
    text = " ".join(out.split())
    assert code == 0 and f"{data}: 373 labelled windows" in text  # 400 rows - 24 + 1 windows - 4 ahead
    assert "MASE per horizon" in text and "linear_ar" in text and "h4" in text
    assert "series.csv is the file the model was trained on" in " ".join(err.split())
    assert invoke("evaluate", "--model", bundle, "--data", data) == (code, out, err)


def test_classify_tests_each_file_beside_persistence_with_a_verdict_each(classifier):
    folder, text, _ = classifier
    assert f"Trained lstm on {folder / 'train.csv'} for 'occupied', binary (window 5)" in text
    assert "Split by 'date': train" in text and "1 row(s) purged between parts" in text
    for name in ("week2", "week3"):
        assert f"{name}: 196 windows" in text
    assert text.count("persistence") == 2 and text.count("vs best baseline") == 2
    assert f"Bundle written to {folder / 'classifier'}" in text


def test_classify_json_and_evaluate_agree_on_a_test_file(classifier):
    folder, _, bundle = classifier
    code, out, err = invoke("sequence", "evaluate", "--model", bundle, "--data", folder / "week3.csv", "--json")
    assert code == 0, err
    evaluated = json.loads(out)
    assert set(evaluated["baselines"]) == {"majority_class", "last_step_logistic", "persistence"}
    saved = load_bundle(bundle).metadata["test_sets"]["week3"]
    assert evaluated["metrics"]["test"]["accuracy"] == pytest.approx(saved["lstm"]["accuracy"])
    assert evaluated["baselines"]["persistence"]["accuracy"] == pytest.approx(saved["persistence"]["accuracy"])


def test_predict_classifies_every_window_by_its_end_time(classifier):
    folder, _, bundle = classifier
    code, out, err = invoke("predict", "--model", bundle, "--data", folder / "week2.csv", "--csv")
    assert code == 0, err
    table = pd.read_csv(pd.io.common.StringIO(out))
    assert list(table.columns) == ["date", "prob_1", "class"] and len(table) == 196
    assert table["date"].iloc[0] == "2024-02-01T00:04:00" and set(table["class"]) <= {0, 1}
    assert ((table["prob_1"] >= 0) & (table["prob_1"] <= 1)).all()


@pytest.mark.parametrize(("changed", "expected"), [
    ({"--quantiles": "0.1,high"}, "--quantiles: expected numbers between 0 and 1 such as 0.1,0.5,0.9, got '0.1,high'."),
    ({"--window": "500"}, "window: 500 steps and 4 ahead is longer than the series"),
    ({"--period": "30"}, "period: expected at most the window length 24, got 30"),
    ({"--target": "nope"}, "target: column 'nope' is not in the data; its columns are time, value."),
])
def test_bad_forecast_input_is_one_line_and_writes_nothing(forecast, tmp_path, changed, expected):
    _, data, _, _ = forecast
    options = {"--target": "value", "--time-column": "time", "--horizon": "4", "--window": "24", **changed}
    code, out, err = invoke("sequence", "forecast", "--data", data, *(p for pair in options.items() for p in pair),
                            "--out", tmp_path / "b", *FAST)
    assert code == 1 and out == "" and err.count("\n") == 1 and expected in err
    assert not (tmp_path / "b").exists()


def test_a_time_that_goes_back_is_one_line_naming_the_rows(tmp_path):
    frame = _room(60)
    frame.loc[30, "date"] = frame.loc[10, "date"]
    frame.to_csv(tmp_path / "shuffled.csv", index=False)
    code, out, err = invoke("sequence", "classify", "--data", tmp_path / "shuffled.csv", "--label", "occupied",
                            "--time-column", "date", "--window", "5", *FAST)
    assert code == 1 and out == "" and err.count("\n") == 1 and "time column 'date'" in err


def test_sequence_commands_refuse_another_kind_of_bundle_and_generic_ones_point_here(classifier):
    folder, _, bundle = classifier
    code, out, err = invoke("sequence", "predict", "--model", PRICE_BUNDLE, "--data", folder / "week2.csv")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "is not a sequence model but a price direction model; use `pyanalytics predict`" in err
    code, out, err = invoke("explain", "--model", bundle, "--data", folder / "week2.csv")
    assert code == 1 and err.count("\n") == 1
    assert "is a sequence model; run `pyanalytics sequence explain --model BUNDLE --data CSV` for it." in err


def test_explain_lime_names_each_feature_per_window_and_horizon(forecast):
    _, data, bundle, _ = forecast
    code, out, err = invoke("sequence", "explain", "--model", bundle, "--data", data, "--method", "lime", "--last", "2",
                            "--horizon", "1", "--horizon", "4", "--json")
    assert code == 0, err
    explained = json.loads(out)
    rows = pd.DataFrame(explained["explanations"])
    assert set(rows["case"]) == {"2024-01-17T14:00:00", "2024-01-17T15:00:00"}
    assert sorted(set(rows["label"])) == ["h1", "h4"] and set(rows["feature"]) == {"value"}
    assert explained["quality"]["steps_summed"] == 24 and "r2_median" in explained["quality"]


def test_report_writes_one_page_on_a_labelled_file(classifier, tmp_path):
    folder, _, bundle = classifier
    code, out, err = invoke("sequence", "report", "--model", bundle, "--data", folder / "week3.csv", "--out",
                            tmp_path / "r.html", "--no-explain")
    assert code == 0, err
    assert f"Report written to {tmp_path / 'r.html'}" in " ".join(out.split())
    page = (tmp_path / "r.html").read_text()
    assert "week3" in page and "persistence" in page
