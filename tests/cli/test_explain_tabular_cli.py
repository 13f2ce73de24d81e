"""`pyanalytics explain` on a tabular bundle: chosen rows of a CSV, each column in its own words."""

import io
import json

import numpy as np
import pandas as pd
import pytest
from cli_runner import invoke

from pyanalytics.explain import COLUMNS

FAST = ["--hidden-units", "8", "--epochs", "30", "--seed", "0"]


def _frame(n=160, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"age": rng.normal(40, 10, n).round(1), "sex": rng.choice(["f", "m"], n),
                          "port": rng.choice(["C", "Q", "S"], n)})
    frame["survived"] = np.where((frame["sex"] == "f") ^ (rng.random(n) < 0.2), "yes", "no")
    frame["fare"] = 20 + 5 * (frame["sex"] == "f") + rng.normal(size=n)
    frame.loc[::6, "age"] = np.nan
    return frame


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explain-cli")
    _frame().to_csv(folder / "rows.csv", index=False)
    for target, other in (("survived", "fare"), ("fare", "survived")):
        _frame().drop(columns=[other]).to_csv(folder / f"{target}.csv", index=False)
        code, _, err = invoke("fit", "--data", folder / f"{target}.csv", "--target", target, "--out", folder / target, *FAST)
        assert code == 0, err
    return folder


def test_explain_tells_what_it_explains_for_each_row(bundles):
    code, out, err = invoke("explain", "--model", bundles / "survived", "--data", bundles / "rows.csv", "--last", 2)
    assert code == 0, err
    assert "row 159  P(survived = yes)" in out and "row 160  P(survived = yes)" in out
    assert "sex = f" in out or "sex = m" in out
    assert "additivity_max_error" in out
    code, out, err = invoke("explain", "--model", bundles / "fare", "--data", bundles / "rows.csv", "--rows", "1", "--method", "lime")
    assert code == 0, err
    assert out.startswith("row 1  predicted fare ") and "r2_median" in out


def test_explain_rows_as_json_and_csv(bundles):
    args = ("explain", "--model", bundles / "survived", "--data", bundles / "rows.csv", "--rows", "7,3")
    code, out, err = invoke(*args, "--json")
    assert code == 0, err
    records = json.loads(out)
    assert [r["case"] for r in records[::3]] == [7, 3]
    assert {r["feature"] for r in records} == {"age", "sex", "port"}
    age_7 = next(r for r in records if r["case"] == 7 and r["feature"] == "age")
    assert age_7["feature_desc"] == "age = missing" and age_7["feature_value"] is None
    code, out, _ = invoke(*args, "--csv")
    frame = pd.read_csv(io.StringIO(out))
    assert code == 0 and list(frame.columns) == list(COLUMNS) and frame["case"].tolist()[::3] == [7, 3]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--rows", "9999"), "rows: 9999 is not a row label of the data (its labels run from 1 to 160)"),
        (("--rows", "first"), "--rows: expected row numbers of the CSV such as 3,17"),
        (("--label", "no"), "label: a binary model explains the probability of its positive class 'yes'"),
        (("--dates", "2024-01-02"), "dates: a tabular model explains rows, not dates"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(bundles, extra, message):
    code, _, err = invoke("explain", "--model", bundles / "survived", "--data", bundles / "rows.csv", *extra)
    assert code == 1 and message in err and err.count("\n") == 1, err
