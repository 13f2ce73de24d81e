"""`pyanalytics report` and `evaluate` on a tabular bundle: the page, the verdict, and bad input as one line, exit 1, nothing written."""

import html

import numpy as np
import pandas as pd
import pytest
from cli_runner import invoke

FAST = ["--hidden-units", "8", "--epochs", "8", "--seed", "0"]


@pytest.fixture(scope="module")
def wine(tmp_path_factory):
    """scikit-learn's wine data as a CSV with a named class column, and a multiclass bundle fitted on it."""
    from sklearn.datasets import load_wine

    folder = tmp_path_factory.mktemp("report-cli")
    data = load_wine(as_frame=True)
    frame = data.frame[["alcohol", "flavanoids", "color_intensity", "proline"]].copy()
    frame["cultivar"] = np.asarray(["barolo", "grignolino", "barbera"])[data.target]
    frame.to_csv(folder / "wine.csv", index=False)
    code, _, err = invoke("fit", "--data", folder / "wine.csv", "--target", "cultivar", "--out", folder / "model", *FAST)
    assert code == 0, err
    return folder


def _verdict(folder) -> str:
    from pyanalytics.bundle import load_bundle
    from pyanalytics.data.tabular import read_frame

    return load_bundle(folder / "model").evaluate(read_frame(folder / "wine.csv")[0]).verdict.sentence


def test_report_writes_the_page_of_a_tabular_bundle(wine):
    code, out, err = invoke("report", "--model", wine / "model", "--data", wine / "wine.csv", "--out", wine / "r.html")
    assert code == 0, err
    assert out.strip() == f"Report written to {wine / 'r.html'}"
    page = (wine / "r.html").read_text(encoding="utf-8")
    assert f'<div class="text">{html.escape(_verdict(wine), quote=True)}</div>' in page
    assert 'id="confusion"' in page and 'id="training"' in page and 'id="residuals"' not in page
    assert 'id="importance"' in page and page.count('<article class="card case">') == 5  # the last 5 rows explained
    assert "scored on wine.csv (178 rows)" in page
    assert "wine.csv is the file the model was trained on: these rows include the ones it learned from" in page


def test_evaluate_prints_the_same_verdict(wine):
    code, out, err = invoke("evaluate", "--model", wine / "model", "--data", wine / "wine.csv")
    assert code == 0, err
    words = " ".join(out.split())  # Rich wraps long lines
    assert "178 labelled rows" in words and "logistic regression" in words
    assert _verdict(wine) in words


@pytest.mark.parametrize("case, message", [
    ("no response", "error: target 'cultivar': no such column in the frame"),
    ("no file", "error: "),
])
def test_bad_rows_are_one_line_exit_1_and_no_page(wine, tmp_path, case, message):
    rows = tmp_path / "rows.csv"
    if case == "no response":
        pd.read_csv(wine / "wine.csv").drop(columns=["cultivar"]).to_csv(rows, index=False)
    code, out, err = invoke("report", "--model", wine / "model", "--data", rows, "--out", tmp_path / "r.html")
    assert code == 1 and out == ""
    assert err.startswith(message) and err.count("\n") == 1
    assert not (tmp_path / "r.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == (["rows.csv"] if case == "no response" else [])
