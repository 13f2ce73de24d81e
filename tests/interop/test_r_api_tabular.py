"""The tabular part of the R package's Python side: R's columns in, a model's summary out."""

import inspect

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import ParameterError
from pyanalytics.interop import r_api
from pyanalytics.tabular import train_tabular


def _column(kind, values, missing=None, **more):
    return {"kind": kind, "values": np.asarray(values), "missing": None if missing is None else np.asarray(missing), **more}


def test_r_columns_keep_their_kind_levels_and_missing_values():
    frame = r_api.tabular_frame({
        "colour": _column("factor", [2, 0, 1], [False, True, False], levels=["red", "green", "blue"], ordered=False),
        "n": _column("integer", [3, 0, 5], [False, True, False]),
        "flag": _column("logical", [True, False, True], [False, False, True]),
        "x": _column("double", [0.5, np.nan, 2.0]),
        "s": _column("character", ["a", "", "c"], [False, True, False]),
        "day": _column("date", ["2024-01-02T00:00:00", "", "2024-01-04T00:00:00"], [False, True, False]),
    })
    assert list(frame.index) == [1, 2, 3]  # R's row numbers, so errors name R's rows
    assert list(frame["colour"].cat.categories) == ["red", "green", "blue"]  # level order, unused kept
    assert frame["colour"].tolist()[0] == "green" and pd.isna(frame["colour"][2])
    assert frame["n"].dtype == "Int64" and frame["n"].isna().tolist() == [False, True, False]
    assert frame["flag"].dtype == "boolean" and pd.isna(frame["flag"][3]) and frame["flag"][1]
    assert frame["s"].isna().tolist() == [False, True, False] and frame["s"][3] == "c"
    assert pd.api.types.is_datetime64_any_dtype(frame["day"]) and pd.isna(frame["day"][2])
    plain = r_api.tabular_frame({"n": _column("integer", [1, 2], [False, False])}, row_names=np.array(["a", "b"]))
    assert plain["n"].dtype == np.int64 and list(plain.index) == ["a", "b"]


def test_tabular_settings_are_train_tabulars_own_names():
    settings = r_api.tabular_settings()
    assert {"hidden_units", "activation", "dropout", "batch_norm", "validation", "gap"} <= set(settings)
    assert set(settings) <= set(inspect.signature(train_tabular).parameters)
    with pytest.raises(ParameterError, match="^hiden_units: not a setting of a tabular model"):
        r_api.fit_tabular(pd.DataFrame({"x": [1.0, 2.0], "y": ["a", "b"]}), "y", settings={"hiden_units": [4]})


def test_a_result_and_its_saved_bundle_summarise_and_predict_alike(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=120), "c": pd.Categorical(rng.choice(["p", "q"], 120))})
    frame["y"] = np.where(frame["x"] + (frame["c"] == "p") > 0.5, "yes", "no")
    result = r_api.fit_tabular(frame, "y", epochs=2, seed=1, settings={"hidden_units": [4]})
    bundle = r_api.load(r_api.save(result, str(tmp_path / "b")))
    assert r_api.is_tabular(result) and r_api.is_tabular(bundle)
    before, after = r_api.tabular_summary(result), r_api.tabular_summary(bundle)
    assert after["path"] is not None and before["path"] is None
    assert before["verdict"] == after["verdict"] and before["classes"] == ["no", "yes"]
    assert list(before["metrics"]["model"]) == ["dnn", "majority_class", "logistic_regression"]
    np.testing.assert_array_equal(r_api.tabular_predict(result, frame)["prob_yes"], r_api.tabular_predict(bundle, frame)["prob_yes"])
    assert list(r_api.history(bundle)) == list(r_api.history(result))
