"""`pyanalytics fit`, and `predict`/`evaluate` on a tabular bundle; each bad input is one line, exit 1, nothing written."""

import json

import numpy as np
import pandas as pd
import pytest
from cli_runner import invoke

FAST = ["--hidden-units", "8", "--epochs", "5", "--seed", "0"]


def _frame(n=120, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"age": rng.normal(40, 10, n).round(1), "sex": rng.choice(["f", "m"], n)})
    frame["survived"] = np.where((frame["sex"] == "f") ^ (rng.random(n) < 0.2), "yes", "no")
    frame.loc[::6, "age"] = np.nan
    return frame


@pytest.fixture(scope="module")
def fitted_bundle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fit-cli")
    _frame().to_csv(folder / "train.csv", index=False)
    code, out, err = invoke("fit", "--data", folder / "train.csv", "--target", "survived", "--out", folder / "model", *FAST)
    assert code == 0, err
    return folder, out


def test_fit_prints_the_split_the_table_beside_the_baselines_and_the_verdict(fitted_bundle):
    folder, out = fitted_bundle
    assert "(binary)" in out and "Split (seeded, stratified): train 84 rows, validation 18 rows, test 18 rows" in out
    assert "majority class" in out and "logistic regression" in out and "roc_auc" in out
    assert "dnn ROC AUC" in out and (folder / "model" / "manifest.json").exists()


def test_fit_json_gives_the_summary(tmp_path):
    _frame().to_csv(tmp_path / "train.csv", index=False)
    code, out, _ = invoke("fit", "--data", tmp_path / "train.csv", "--target", "age", "--out", tmp_path / "m", "--json", *FAST)
    summary = json.loads(out)
    assert code == 0 and summary["task"] == "regression" and set(summary["baselines"]) == {"mean", "ridge"}
    assert summary["verdict"]["metric"] == "rmse" and summary["split"]["test"] == 15  # 20 rows without an age dropped
    assert "20 row(s) with a missing value dropped" in summary["notes"][0]


def test_predict_and_evaluate_read_rows_of_a_tabular_bundle(fitted_bundle, tmp_path):
    folder, _ = fitted_bundle
    rows = _frame(10, seed=3)
    rows.to_csv(tmp_path / "new.csv", index=False)
    code, out, err = invoke("predict", "--model", folder / "model", "--data", tmp_path / "new.csv", "--json")
    records = json.loads(out)
    assert code == 0 and len(records) == 10 and set(records[0]) == {"row", "prob_yes", "class"}
    assert records[0]["row"] == 1 and {r["class"] for r in records} <= {"yes", "no"}
    code, out, err = invoke("evaluate", "--model", folder / "model", "--data", tmp_path / "new.csv")
    assert code == 0 and "10 labelled rows" in out and "logistic regression" in out and "dnn ROC AUC" in out


def _write(path, frame):
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(("change", "options", "message"), [
    (lambda f: f, ["--target", "nope"], "target 'nope': no such column"),
    (lambda f: f.assign(survived="yes"), ["--target", "survived"], "expected at least two distinct values"),
    (lambda f: f, ["--target", "sex", "--task", "regression"], "a regression target must be numeric, found 'm' at row 1"),
    (lambda f: f.assign(empty=np.nan), ["--target", "survived"], "'empty'"),
    (lambda f: f.astype({"age": object}).assign(age=lambda g: g["age"].where(g.index != 4, "forty")), ["--target", "survived"], "row 5"),
])
def test_fit_bad_input_is_one_line_exit_1_and_writes_nothing(tmp_path, change, options, message):
    data = _write(tmp_path / "data.csv", change(_frame()))
    code, out, err = invoke("fit", "--data", data, "--out", tmp_path / "model", *options, *FAST)
    assert code == 1 and message in err and err.count("\n") == 1
    assert not (tmp_path / "model").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["data.csv"]


def test_predict_on_rows_lacking_a_training_column_is_one_line_exit_1(fitted_bundle, tmp_path):
    folder, _ = fitted_bundle
    data = _write(tmp_path / "rows.csv", _frame(5).drop(columns="sex"))
    code, out, err = invoke("predict", "--model", folder / "model", "--data", data)
    assert code == 1 and "column 'sex': the model was trained with it" in err and err.count("\n") == 1


def test_predict_warns_about_an_unseen_category_on_one_line(fitted_bundle, tmp_path):
    folder, _ = fitted_bundle
    data = _write(tmp_path / "rows.csv", _frame(5).assign(sex="x"))
    code, out, err = invoke("predict", "--model", folder / "model", "--data", data, "--csv")
    assert code == 0 and out.startswith("row,prob_yes,class") and "warning:" in err and "'sex' ('x' x5)" in err
