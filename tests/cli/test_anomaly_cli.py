"""`pyanalytics anomaly train/score/evaluate` on real data, the generic commands on an anomaly bundle,
and each bad input as one line on stderr with exit 1 and nothing written."""

import io
import json

import numpy as np
import pandas as pd
import pytest
from cli_runner import invoke

FAST = ["--hidden-units", "8", "--code-size", "2", "--epochs", "3", "--seed", "0"]
CARDIO_ANOMALIES = 176  # rows labelled 1 in anomaly/cardio.csv


@pytest.fixture(scope="module")
def cardio(shared_data, tmp_path_factory):
    """`pyanalytics anomaly train --json` on cardio.csv once: (data path, bundle path, parsed summary)."""
    data = shared_data("anomaly/cardio.csv")
    bundle = tmp_path_factory.mktemp("anomaly-cli") / "cardio.bundle"
    code, out, err = invoke("anomaly", "train", "--data", data, "--label", "label", "--out", bundle, "--json", *FAST)
    assert code == 0, err
    return data, bundle, json.loads(out)


def _read(text: str) -> str:
    """Printed text as read, whatever the terminal's width (Rich wraps long lines)."""
    return " ".join(text.split())


def _planted(n=300, seed=0):
    """Four normal columns; every 20th row moved far out in two of them and labelled 1."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(n, 4)), columns=["a", "b", "c", "d"])
    frame["label"] = 0
    frame.loc[::20, ["a", "b"]] += 6
    frame.loc[::20, "label"] = 1
    return frame


@pytest.fixture(scope="module")
def planted_bundle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("anomaly-planted")
    _planted().to_csv(folder / "rows.csv", index=False)
    code, out, err = invoke("anomaly", "train", "--data", folder / "rows.csv", "--label", "label", "--out",
                            folder / "model", *FAST)
    assert code == 0, err
    return folder, out


def test_train_json_gives_the_split_the_baselines_the_verdict_and_the_threshold(cardio):
    _, bundle, summary = cardio
    assert summary["task"] == "anomaly" and summary["model"] == "autoencoder" and summary["label"] == "label"
    assert set(summary["baselines"]) == {"isolation_forest", "pca", "supervised_ceiling"}
    assert summary["split"]["train"] + summary["split"]["validation"] + summary["split"]["test"] < 1831  # anomalies left out of training
    threshold = summary["threshold"]
    assert threshold["rule"] == "recall" and threshold["target"] == 0.8 and threshold["validation"]["recall"] >= 0.8
    assert summary["verdict"]["metric"] == "pr_auc" and summary["verdict"]["ceiling"] == "supervised_ceiling"
    test = summary["metrics"]["test"]
    assert test["tp"] + test["fn"] + test["fp"] + test["tn"] == summary["split"]["test"] == test["n"]
    assert summary["bundle"] == str(bundle) and (bundle / "manifest.json").is_file()


def test_train_prints_the_table_beside_the_baselines_the_verdict_and_the_threshold(planted_bundle):
    folder, printed = planted_bundle
    out = _read(printed)
    assert "Split (seeded, stratified): train 199 normal rows, validation 45, test 45." in out
    assert "11 labelled anomalies in the training part were left out" in out
    assert "isolation" in out and "supervised" in out and "pr_auc" in out and "alerts" in out
    assert "autoencoder PR AUC" in out and "the supervised ceiling, which saw the anomaly labels" in out
    assert "Flags a row when its score >= " in out and "(rule recall 0.8, chosen on validation rows:" in out
    assert f"Bundle written to {folder / 'model'}" in out


def test_score_flags_exactly_the_rows_at_or_above_the_threshold(cardio, tmp_path):
    data, bundle, summary = cardio
    code, out, err = invoke("anomaly", "score", "--model", bundle, "--data", data, "--json", "--out", tmp_path / "s.csv")
    assert code == 0, err
    scored = json.loads(out)
    rows = pd.DataFrame(scored["scores"])
    assert scored["threshold"] == summary["threshold"]["value"] and scored["rows"] == len(rows) == 1831
    assert rows["row"].tolist() == list(range(1, 1832))
    assert ((rows["score"] >= scored["threshold"]).astype(int) == rows["flag"]).all()
    assert scored["alerts"] == rows["flag"].sum() > 0 and scored["alert_rate"] == pytest.approx(scored["alerts"] / 1831)
    written = pd.read_csv(tmp_path / "s.csv")
    assert list(written.columns) == ["row", "score", "flag"] and (written["flag"] == rows["flag"]).all()
    np.testing.assert_allclose(written["score"], rows["score"], rtol=1e-5)


def test_score_lists_the_top_alerts_highest_first(cardio):
    data, bundle, _ = cardio
    code, out, err = invoke("anomaly", "score", "--model", bundle, "--data", data, "--top", 3)
    assert code == 0, err
    assert "rows flagged" in out and "by autoencoder at score >=" in _read(out) and "Top 3 alerts" in out
    listed = [float(line.split()[1]) for line in out.splitlines()[-5:] if line.strip() and line.split()[0].isdigit()]
    assert len(listed) == 3 and listed == sorted(listed, reverse=True)


def test_evaluate_counts_every_labelled_anomaly_and_agrees_with_score(cardio):
    data, bundle, summary = cardio
    code, out, err = invoke("anomaly", "evaluate", "--model", bundle, "--data", data, "--json")
    assert code == 0, err
    evaluated = json.loads(out)
    metrics = evaluated["metrics"]["test"]
    assert metrics["tp"] + metrics["fn"] == CARDIO_ANOMALIES and metrics["n"] == 1831
    assert set(evaluated["baselines"]) == {"pca", "supervised_ceiling"}  # IsolationForest is not saved
    assert evaluated["verdict"]["metric"] == "pr_auc" and evaluated["verdict"]["baseline"] == "pca"
    assert len(evaluated["notes"]) == 2
    _, scored, _ = invoke("anomaly", "score", "--model", bundle, "--data", data, "--json")
    assert json.loads(scored)["alerts"] == metrics["alerts"]
    code, out, err = invoke("anomaly", "evaluate", "--model", bundle, "--data", data)
    assert code == 0 and "1,831 labelled rows" in out and "autoencoder PR AUC" in out
    notes = _read(err)
    assert "note: isolation_forest is not saved in bundles, so this verdict leaves it out; on the training-time " \
           f"test part its pr_auc was {summary['baselines']['isolation_forest']['pr_auc']:.3f}" in notes
    assert "note: cardio.csv is the file the model was trained on: these rows include the ones it learned from" in notes


def test_generic_predict_and_evaluate_read_an_anomaly_bundle(cardio):
    data, bundle, _ = cardio
    _, anomaly_out, _ = invoke("anomaly", "evaluate", "--model", bundle, "--data", data, "--json")
    code, out, err = invoke("evaluate", "--model", bundle, "--data", data, "--json")
    assert code == 0 and json.loads(out) == json.loads(anomaly_out)
    code, out, err = invoke("predict", "--model", bundle, "--data", data, "--json", "--last", 2)
    _, scored, _ = invoke("anomaly", "score", "--model", bundle, "--data", data, "--json")
    assert code == 0 and json.loads(out) == json.loads(scored)["scores"][-2:]


@pytest.mark.parametrize("command", ["explain", "report"])
def test_generic_explain_and_report_point_to_the_anomaly_commands(planted_bundle, tmp_path, command):
    folder, _ = planted_bundle
    extra = ["--out", tmp_path / "r.html"] if command == "report" else []
    code, out, err = invoke(command, "--model", folder / "model", "--data", folder / "rows.csv", *extra)
    assert code == 1 and err.count("\n") == 1 and out == ""
    assert "is an anomaly detector; run `pyanalytics anomaly" in err and not (tmp_path / "r.html").exists()


def test_unlabelled_training_flags_a_quantile_of_normal_scores(tmp_path):
    _planted().drop(columns="label").to_csv(tmp_path / "rows.csv", index=False)
    code, out, err = invoke("anomaly", "train", "--data", tmp_path / "rows.csv", "--out", tmp_path / "m", "--json", *FAST)
    summary = json.loads(out)
    assert code == 0 and summary["label"] is None and set(summary["baselines"]) == {"isolation_forest", "pca"}
    assert summary["threshold"]["rule"] == "quantile" and summary["threshold"]["target"] == 0.99
    code, out, err = invoke("anomaly", "evaluate", "--model", tmp_path / "m", "--data", tmp_path / "rows.csv")
    assert code == 1 and "trained without a label column" in err and err.count("\n") == 1


def _bad(frame, change):
    """``frame`` with one cell changed (``change`` = (row position, column, value))."""
    row, column, value = change
    frame = frame.astype({column: object}) if isinstance(value, str) else frame.copy()
    frame.loc[row, column] = value
    return frame


@pytest.mark.parametrize(("frame", "options", "message"), [
    (_bad(_planted(), (7, "b", "abc")), [], "column 'b': row 8 holds 'abc', not a number"),
    (_planted().assign(c=1.0), [], "column 'c': constant (1) on all 199 training rows"),
    (_bad(_planted(), (9, "d", np.nan)), [], "column 'd': row 10 holds a missing value"),
    (_bad(_planted(), (11, "a", np.inf)), [], "column 'a': row 12 holds an infinite value"),
    (_bad(_planted(), (4, "label", 2)), [], "label 'label': y holds 2 at row"),
    (_planted(), ["--time-column", "when"], "time_column: column 'when' is not in the data"),
    (_planted(), ["--rule", "cost", "--amount-column", "e"], "amount_column: column 'e' is not in the data"),
])
def test_train_bad_input_is_one_line_exit_1_and_writes_nothing(tmp_path, frame, options, message):
    frame.to_csv(tmp_path / "data.csv", index=False)
    code, out, err = invoke("anomaly", "train", "--data", tmp_path / "data.csv", "--label", "label",
                            "--out", tmp_path / "model", *options, *FAST)
    assert code == 1 and message in err and err.count("\n") == 1 and out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv"]


@pytest.mark.parametrize(("options", "message"), [
    (["--hidden-units", "8,x"], "expected sizes such as 100,100, got '8,x'"),
    (["--rule", "f1"], "'f1' is not one of"),
    (["--model", "pca"], "'pca' is not one of"),
])
def test_train_bad_options_are_usage_errors(tmp_path, options, message):
    _planted().to_csv(tmp_path / "data.csv", index=False)
    code, _, err = invoke("anomaly", "train", "--data", tmp_path / "data.csv", "--out", tmp_path / "model", *options)
    assert code == 2 and message in err and not (tmp_path / "model").exists()


@pytest.mark.parametrize(("command", "change", "message"), [
    ("score", lambda f: f.drop(columns="c"), "features: column 'c' is not in the data; its columns are a, b, d, label."),
    ("score", lambda f: _bad(f, (2, "d", np.inf)), "column 'd': row 3 holds an infinite value"),
    ("evaluate", lambda f: f.drop(columns="label"), "label: column 'label' is not in the data"),
    ("evaluate", lambda f: _bad(f, (0, "label", 3)), "label 'label': y holds 3 at row"),
])
def test_scoring_bad_rows_is_one_line_exit_1(planted_bundle, tmp_path, command, change, message):
    folder, _ = planted_bundle
    change(_planted(40, seed=1)).to_csv(tmp_path / "rows.csv", index=False)
    written = ["--out", tmp_path / "s.csv"] if command == "score" else []
    code, out, err = invoke("anomaly", command, "--model", folder / "model", "--data", tmp_path / "rows.csv", *written)
    assert code == 1 and message in err and err.count("\n") == 1 and out == ""
    assert not (tmp_path / "s.csv").exists()


def test_explain_says_which_fields_the_top_alerts_could_not_rebuild(cardio):
    data, bundle, _ = cardio
    code, out, err = invoke("anomaly", "explain", "--model", bundle, "--data", data, "--top", 2, "--method",
                            "reconstruction", "--json")
    assert code == 0, err
    frame = pd.DataFrame(json.loads(out))
    _, scored, _ = invoke("anomaly", "score", "--model", bundle, "--data", data, "--json")
    alerts = pd.DataFrame(json.loads(scored)["scores"]).query("flag == 1").nlargest(2, "score")
    assert frame["case"].unique().tolist() == alerts["row"].tolist() and set(frame["label"]) == {"anomaly"}
    assert set(frame["method"]) == {"reconstruction"} and len(frame) == 2 * 21
    by_case = frame.groupby("case", sort=False)
    np.testing.assert_allclose(by_case["feature_weight"].mean(), alerts["score"], rtol=1e-5)  # errors average to the score


def test_explain_chosen_rows_by_both_methods(planted_bundle):
    folder, _ = planted_bundle
    code, out, err = invoke("anomaly", "explain", "--model", folder / "model", "--data", folder / "rows.csv", "--rows", "1,2")
    assert code == 0, err
    text = _read(out)
    assert "row 1 the anomaly score, as their mean" in text and "row 2 the anomaly score" in text
    assert "(shap, KernelExplainer)" in text and "additivity_max_error" in text and "of the error)" in text
    code, out, err = invoke("anomaly", "explain", "--model", folder / "model", "--data", folder / "rows.csv", "--rows", "2,1",
                            "--csv")
    frame = pd.read_csv(io.StringIO(out))
    assert code == 0 and frame["case"].tolist()[::4] == [2, 1, 2, 1] and frame["label"].tolist()[::4] == ["normal", "anomaly"] * 2


@pytest.mark.parametrize(("extra", "message"), [
    (["--rows", "999"], "rows: 999 is not a row label of the data (its labels run from 1 to 300)"),
    (["--rows", "first"], "--rows: expected row numbers of the CSV such as 3,17"),
    (["--method", "lime"], "methods: expected one or more of 'reconstruction', 'shap'"),
])
def test_explain_bad_input_is_one_line_exit_1(planted_bundle, extra, message):
    folder, _ = planted_bundle
    code, out, err = invoke("anomaly", "explain", "--model", folder / "model", "--data", folder / "rows.csv", *extra)
    assert code == 1 and message in err and err.count("\n") == 1 and out == ""


def test_report_of_a_bundle_and_of_a_fresh_detector(planted_bundle, tmp_path):
    folder, _ = planted_bundle
    code, out, err = invoke("anomaly", "report", "--model", folder / "model", "--data", folder / "rows.csv",
                            "--out", tmp_path / "bundle.html")
    page = (tmp_path / "bundle.html").read_text()
    assert code == 0 and f"Report written to {tmp_path / 'bundle.html'}" in _read(out)
    assert page.startswith("<!DOCTYPE html>") and "rows.csv is the file the model was trained on" in page
    code, out, err = invoke("anomaly", "train", "--data", folder / "rows.csv", "--label", "label", "--out", tmp_path / "m",
                            "--report", tmp_path / "test.html", "--json", *FAST)
    assert code == 0 and json.loads(out)["report"] == str(tmp_path / "test.html")
    assert (tmp_path / "m" / "manifest.json").is_file() and "the model was trained on" not in (tmp_path / "test.html").read_text()


def test_train_report_needs_a_label_and_writes_nothing_without(tmp_path):
    _planted().drop(columns="label").to_csv(tmp_path / "data.csv", index=False)
    code, out, err = invoke("anomaly", "train", "--data", tmp_path / "data.csv", "--out", tmp_path / "m",
                            "--report", tmp_path / "r.html", *FAST)
    assert code == 2 and "needs --label" in _read(err) and sorted(p.name for p in tmp_path.iterdir()) == ["data.csv"]


@pytest.mark.parametrize("command", ["score", "evaluate", "explain", "report"])
def test_anomaly_commands_refuse_another_kind_of_bundle(planted_bundle, tmp_path_factory, command):
    folder, _ = planted_bundle
    tabular = folder / "tabular"
    if not tabular.exists():
        code, _, err = invoke("fit", "--data", folder / "rows.csv", "--target", "label", "--out", tabular,
                              "--hidden-units", "4", "--epochs", "2")
        assert code == 0, err
    extra = ["--out", tmp_path_factory.mktemp("refused") / "r.html"] if command == "report" else []
    code, out, err = invoke("anomaly", command, "--model", tabular, "--data", folder / "rows.csv", *extra)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "is not an anomaly detector but a binary model; use `pyanalytics predict`" in err


def test_score_to_an_unwritable_out_is_one_line(planted_bundle, tmp_path):
    folder, _ = planted_bundle
    code, out, err = invoke("anomaly", "score", "--model", folder / "model", "--data", folder / "rows.csv",
                            "--out", tmp_path / "missing" / "s.csv")
    assert code == 1 and out == "" and "cannot write it (no such folder)" in err and err.count("\n") == 1


def test_param_sets_the_variants_own_settings_and_refuses_unknown_ones(planted_bundle):
    folder, _ = planted_bundle
    code, _, err = invoke("anomaly", "train", "--data", folder / "rows.csv", "--label", "label", "--out",
                          folder / "masked", "--model", "denoising", "--param", "noise=mask", "--param",
                          "noise_level=0.3", *FAST)
    assert code == 0, err
    saved = json.loads((folder / "masked" / "preprocessing.json").read_text())["estimator"]["params"]
    assert (saved["noise"], saved["noise_level"]) == ("mask", 0.3)
    code, _, err = invoke("anomaly", "train", "--data", folder / "rows.csv", "--label", "label", "--out",
                          folder / "unknown", "--param", "beta=2", *FAST)
    assert code == 1 and "error: beta: not a setting of the autoencoder model" in _read(err)
    assert not (folder / "unknown").exists()
