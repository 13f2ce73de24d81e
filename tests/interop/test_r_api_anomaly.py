"""The anomaly part of the R package's Python side: R's columns and settings in, a detector's summary,
scores, flags, feature errors and evaluation out, alike before and after save/load."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.interop import r_api


@pytest.fixture(scope="module")
def planted():
    """Normal rows where c = a + b, and 40 labelled anomalies that break it; R's row labels."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=600), "b": rng.normal(size=600)})
    frame["c"] = frame["a"] + frame["b"] + rng.normal(scale=0.05, size=600)
    frame["fraud"] = 0
    frame.loc[:39, "c"] += 4.0
    frame.loc[:39, "fraud"] = 1
    frame.index = pd.RangeIndex(1, 601, name="row")  # as tabular_frame labels R's rows
    result = r_api.fit_anomaly(frame, ["a", "b", "c"], label="fraud", seed=1,
                               settings={"epochs": 30, "hidden_units": [4], "code_size": 2})
    return frame, result


def test_settings_are_the_splits_and_the_models_own():
    plain, sparse, vae = (r_api.anomaly_settings(m) for m in ("autoencoder", "sparse", "variational"))
    assert {"validation", "test", "gap", "epochs", "hidden_units", "code_size"} <= set(plain)
    assert "seed" not in plain and "label" not in plain and "l1" not in plain
    assert set(sparse) - set(plain) == {"l1"} and {"beta", "score_by"} <= set(vae)
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0]})
    with pytest.raises(ParameterError, match="^l1: not a setting of the autoencoder detector or the split; settings: "):
        r_api.fit_anomaly(frame, ["a"], settings={"l1": 0.1})
    with pytest.raises(ParameterError, match="^rule: "):  # refused before any training
        r_api.fit_anomaly(frame, ["a"], rule="bogus")


def test_a_result_and_its_saved_bundle_summarise_score_and_evaluate_alike(planted, tmp_path):
    frame, result = planted
    bundle = r_api.load(r_api.save(result, str(tmp_path / "detector")))
    assert r_api.domain_of(bundle) == "anomaly"
    before, after = r_api.anomaly_summary(result), r_api.anomaly_summary(bundle)
    assert before["path"] is None and after["path"] == str(tmp_path / "detector")
    for key in ("verdict", "threshold", "parts", "notes", "columns", "label", "seed"):
        assert before[key] == after[key], key
    assert list(before["metrics"]["model"]) == ["autoencoder", "isolation_forest", "pca", "supervised_ceiling"]
    assert before["ceilings"] == ["supervised_ceiling"] and before["threshold"]["rule"] == "recall"
    scores = r_api.anomaly_predict(result, frame)
    np.testing.assert_array_equal(scores["score"], r_api.anomaly_predict(bundle, frame)["score"])
    assert scores["flag"].dtype == np.int32 and set(scores["flag"]) == {0, 1}
    assert scores["score"][:40].mean() > 3 * scores["score"][40:].mean()  # the planted rows score high
    assert r_api.anomaly_evaluate(result, frame)["verdict"] == r_api.anomaly_evaluate(bundle, frame)["verdict"]
    assert list(r_api.history(bundle)) == list(r_api.history(result))


def test_feature_errors_name_the_broken_field_and_average_to_the_score(planted):
    frame, result = planted
    errors = pd.DataFrame(r_api.anomaly_feature_errors(result, frame.iloc[:40]))
    assert list(errors) == ["a", "b", "c"]
    np.testing.assert_allclose(errors.mean(axis=1), r_api.anomaly_predict(result, frame.iloc[:40])["score"], rtol=1e-5)
    evaluated = r_api.anomaly_evaluate(result, frame)
    assert list(evaluated["metrics"]["model"]) == ["autoencoder", "pca", "supervised_ceiling"]  # the saved baselines
    assert evaluated["verdict"]["metric"] == "pr_auc"


def test_bad_rows_and_models_are_refused_with_r_row_labels(planted):
    frame, result = planted
    broken = frame.drop(columns="b")
    with pytest.raises(DataError, match="^features: column 'b' is not in the data"):
        r_api.anomaly_predict(result, broken)
    holes = frame.astype({"a": float})
    holes.loc[12, "a"] = np.nan
    with pytest.raises(DataError, match="^column 'a': row 12 holds a missing value"):
        r_api.anomaly_predict(result, holes)
    with pytest.raises(ParameterError, match="model: expected an anomaly detector from pa_anomaly"):
        r_api.anomaly_summary(object())


def test_a_report_of_a_result_needs_no_rows_a_bundle_needs_labelled_ones(planted, tmp_path):
    frame, result = planted
    page = r_api.anomaly_report(result, None, str(tmp_path / "result.html"))
    assert "supervised_ceiling" in open(page, encoding="utf-8").read()
    bundle = r_api.load(r_api.save(result, str(tmp_path / "detector")))
    with pytest.raises(ParameterError, match="^newdata: a model loaded from a bundle keeps no rows to report on; .*'fraud'"):
        r_api.anomaly_report(bundle, None, str(tmp_path / "page.html"))


def test_explanations_are_of_the_top_alerts_unless_rows_are_named(planted):
    frame, result = planted
    out = r_api.explain_anomaly(result, frame, "reconstruction", n=2)
    scores = result.estimator.anomaly_score(frame[["a", "b", "c"]].to_numpy())
    top = frame.index[np.argsort(-scores)[:2]]
    assert out["frame"]["case"][::3].tolist() == list(top) and out["task"] == "anomaly" and out["target"] == "fraud"
    assert out["n_samples"] is None and set(out["frame"]["label"]) == {"anomaly"}
    named = r_api.explain_anomaly(result, frame, "reconstruction", rows=np.array([500.0]))
    assert named["frame"]["case"].tolist() == [500] * 3 and set(named["frame"]["label"]) == {"normal"}
