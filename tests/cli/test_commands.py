"""The command line as a user meets it: exit codes, one-line errors, JSON shapes, no partial files."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import invoke

from pyanalytics.cli import main
from pyanalytics.errors import BundleError
from pyanalytics.evaluation import METRIC_NAMES
from pyanalytics.finance import synthetic_market

pytestmark = pytest.mark.slow
EPOCHS = "3"


@pytest.fixture(scope="module")
def prices_csv(tmp_path_factory):
    """A Yahoo-style CSV of a synthetic market with a planted signal."""
    path = tmp_path_factory.mktemp("data") / "SYN.csv"
    frame = synthetic_market(1200, signal_strength=2.0, seed=3)
    frame.rename(columns={"adj_close": "Adj Close"}).rename(columns=str.title).rename_axis("Date").to_csv(path)
    return path


@pytest.fixture(scope="module")
def trained(prices_csv, tmp_path_factory):
    """`pyanalytics train --json` run once; returns (bundle path, parsed JSON)."""
    bundle = tmp_path_factory.mktemp("bundles") / "syn.bundle"
    code, out, _ = invoke("train", "--data", prices_csv, "--out", bundle, "--epochs", EPOCHS, "--seed", 1, "--json")
    assert code == 0
    return bundle, json.loads(out)


def test_train_json_has_the_documented_shape(trained):
    bundle, summary = trained
    assert summary["model"] == "dnn" and summary["horizon"] == 1
    for part in ("train", "validation", "test"):
        assert summary["split"][part]["start"] <= summary["split"][part]["end"]
    assert summary["split"]["train"]["end"] < summary["split"]["validation"]["start"]
    assert summary["split"]["validation"]["end"] < summary["split"]["test"]["start"]
    assert set(METRIC_NAMES) | {"confusion"} <= set(summary["metrics"]["test"])
    assert set(summary["baselines"]) == {"majority_class", "always_up", "previous_direction", "logistic_regression"}
    assert summary["bundle"] == str(bundle) and (bundle / "manifest.json").is_file()


def test_evaluate_reproduces_the_training_test_metrics(trained, prices_csv):
    bundle, summary = trained
    code, out, _ = invoke("evaluate", "--model", str(bundle), "--data", str(prices_csv), "--json")
    assert code == 0
    evaluated = json.loads(out)
    assert evaluated["since"] == summary["split"]["test"]["start"]
    assert evaluated["metrics"]["test"] == summary["metrics"]["test"]
    assert evaluated["baselines"] == summary["baselines"]


def test_predict_csv_and_json_agree(trained, prices_csv):
    bundle, _ = trained
    code, csv_out, _ = invoke("predict", "--model", str(bundle), "--data", str(prices_csv), "--last", "4", "--csv")
    assert code == 0
    lines = csv_out.strip().splitlines()
    assert lines[0] == "date,prob_up,signal" and len(lines) == 5
    code, json_out, _ = invoke("predict", "--model", str(bundle), "--data", str(prices_csv), "--last", "4", "--json")
    records = json.loads(json_out)
    assert [r["date"] for r in records] == [line.split(",")[0] for line in lines[1:]]
    assert all(r["signal"] == int(r["prob_up"] >= 0.5) for r in records)
    last_price_date = prices_csv.read_text().strip().splitlines()[-1].split(",")[0]
    assert records[-1]["date"] == last_price_date  # its outcome is still unknown, yet it is predicted


def test_human_output_shows_table_and_verdict(trained, prices_csv):
    bundle, _ = trained
    code, out, err = invoke("evaluate", "--model", str(bundle), "--data", str(prices_csv))
    assert code == 0 and err == ""
    assert "roc_auc" in out and "logistic" in out and "best baseline" in out
    assert "\x1b[" not in out  # no colour codes off a terminal


@pytest.mark.parametrize(
    ("corrupt", "expected"),
    [
        (lambda text: text.replace("Close,", "Klose,", 1), "missing required column"),
        (lambda text: text.replace("\n2000-01-05,", "\nnot-a-date,", 1), "column 'date', row 3"),
        (lambda text: "\n".join(text.splitlines()[:40]), "needs at least"),
    ],
)
def test_bad_prices_fail_with_one_line_and_write_nothing(tmp_path, prices_csv, corrupt, expected):
    bad = tmp_path / "bad.csv"
    bad.write_text(corrupt(prices_csv.read_text()))
    out_dir = tmp_path / "out"
    code, out, err = invoke("train", "--data", str(bad), "--out", str(out_dir / "b"), "--epochs", "1")
    assert code == 1
    assert err.startswith("error: ") and err.count("\n") == 1 and expected in err
    assert "Traceback" not in err
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_prediction_data_missing_a_feature_column(tmp_path, trained, prices_csv):
    bundle, _ = trained
    no_volume = tmp_path / "novolume.csv"
    no_volume.write_text("\n".join(",".join(line.split(",")[:6]) for line in prices_csv.read_text().splitlines()))
    code, _, err = invoke("predict", "--model", str(bundle), "--data", str(no_volume))
    assert code == 1 and "'volume'" in err and err.count("\n") == 1


def test_usage_errors_exit_2(trained, prices_csv):
    bundle, _ = trained
    code, _, err = invoke("predict", "--model", str(bundle), "--data", str(prices_csv), "--json", "--csv")
    assert code == 2 and "--json" in err
    code, _, err = invoke("train", "--data", str(prices_csv), "--out", "x", "--horizon", "0")
    assert code == 2 and "--horizon" in err


def test_missing_bundle_and_debug_traceback(tmp_path, prices_csv):
    missing = str(tmp_path / "nope")
    code, _, err = invoke("predict", "--model", missing, "--data", str(prices_csv))
    assert code == 1 and "no such directory" in err
    with pytest.raises(BundleError):
        main(["--debug", "predict", "--model", missing, "--data", str(prices_csv)])


def test_demo_falls_back_to_the_synthetic_market(monkeypatch, tmp_path):
    monkeypatch.setenv("PYANALYTICS_DATA_DIR", str(tmp_path))  # no prices/AAPL.csv there
    code, out, _ = invoke("demo", "--epochs", "2", "--json")
    assert code == 0
    summary = json.loads(out)
    assert "synthetic" in summary["data"] and summary["metrics"]["test"]["n"] > 0


def test_installed_entry_point_answers_help_without_tensorflow_or_scikit_learn():
    # scikit-learn alone costs ~1.5 s of import; --help must not pay for it (make bench times it)
    script = (
        "import sys; from pyanalytics.cli import app; import pyanalytics; "
        "print(any(m in sys.modules for m in ('tensorflow', 'keras', 'sklearn')))"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "False"
    entry = Path(sys.executable).with_name("pyanalytics")
    shown = subprocess.run([str(entry), "--help"], capture_output=True, text=True)
    assert shown.returncode == 0 and "train" in shown.stdout and "predict" in shown.stdout


def test_train_an_lstm_with_costs_reports_window_alpha_and_expected_cost(prices_csv, tmp_path):
    bundle = tmp_path / "lstm.bundle"
    code, out, _ = invoke(
        "train", "--data", prices_csv, "--out", bundle, "--model", "lstm", "--window", 5,
        "--cost-fp", 5, "--epochs", 2, "--json",
    )
    assert code == 0
    summary = json.loads(out)
    assert summary["model"] == "lstm" and summary["window"] == 5
    assert summary["alpha"] == 5.0 and summary["cost_sensitive"] and not summary["tuned_threshold"]
    test = summary["metrics"]["test"]
    confusion = test["confusion"]
    assert test["expected_cost"] == pytest.approx((5 * confusion["fp"] + confusion["fn"]) / test["n"])
    code, out, _ = invoke("predict", "--model", bundle, "--data", prices_csv, "--last", 2, "--json")
    assert code == 0 and len(json.loads(out)) == 2


def test_tune_threshold_reports_the_tuned_and_theoretical_thresholds(prices_csv, tmp_path):
    code, out, _ = invoke(
        "train", "--data", prices_csv, "--out", tmp_path / "b", "--cost-fp", 4, "--tune-threshold",
        "--epochs", 3, "--json",
    )
    summary = json.loads(out)
    assert code == 0 and summary["tuned_threshold"] and not summary["cost_sensitive"]
    assert summary["theoretical_threshold"] == pytest.approx(0.8)
    assert 0 <= summary["threshold"] <= 1


@pytest.mark.parametrize(
    ("args", "expected_code", "expected"),
    [
        (["--model", "cnn"], 2, "--model"),
        (["--cost-fp", "0"], 1, "cost_fp"),
        (["--model", "dnn", "--window", "5"], 1, "window"),
    ],
)
def test_bad_model_options(prices_csv, tmp_path, args, expected_code, expected):
    code, _, err = invoke("train", "--data", prices_csv, "--out", tmp_path / "b", "--epochs", 1, *args)
    assert code == expected_code and expected in err
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize("method", ["shap", "lime"])
def test_explain_prints_the_tidy_frame(trained, prices_csv, method):
    from pyanalytics.explain import COLUMNS

    bundle, _ = trained
    code, out, _ = invoke("explain", "--model", bundle, "--data", prices_csv, "--method", method, "--last", 2, "--json")
    assert code == 0
    records = json.loads(out)
    assert set(records[0]) == set(COLUMNS) and {r["method"] for r in records} == {method}
    assert len({r["case"] for r in records}) == 2
    code, csv_out, _ = invoke("explain", "--model", bundle, "--data", prices_csv, "--method", method, "--last", 2, "--csv")
    assert code == 0 and csv_out.splitlines()[0].split(",") == list(COLUMNS)


def test_explain_a_date_outside_the_data_is_one_line(trained, prices_csv):
    bundle, _ = trained
    code, _, err = invoke("explain", "--model", bundle, "--data", prices_csv, "--dates", "1970-01-02")
    assert code == 1 and "1970-01-02" in err and err.count("\n") == 1


def test_report_writes_one_html_file(trained, prices_csv, tmp_path):
    bundle, _ = trained
    out = tmp_path / "report.html"
    code, stdout_text, _ = invoke("report", "--model", bundle, "--data", prices_csv, "--out", out, "--last", 2)
    assert code == 0 and str(out) in stdout_text
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>") or html.lstrip().lower().startswith("<!doctype html>")
    assert "SHAP" in html and "LIME" in html
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary files left


def test_evaluate_before_the_test_part_is_marked_not_out_of_sample(trained, prices_csv):
    bundle, summary = trained
    code, out, err = invoke("evaluate", "--model", bundle, "--data", prices_csv, "--since", summary["split"]["train"]["start"], "--json")
    evaluated = json.loads(out)
    assert code == 0 and evaluated["out_of_sample"] is False and "before the model's test part" in err
    assert evaluated["metrics"]["test"]["n"] > summary["metrics"]["test"]["n"]
    code, out, err = invoke("evaluate", "--model", bundle, "--data", prices_csv, "--json")
    assert json.loads(out)["out_of_sample"] is True and err == ""
