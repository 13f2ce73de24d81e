"""Explanations of anomaly detectors: which fields a flagged row could not rebuild, and SHAP on its score."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from pyanalytics.anomaly import explain_anomalies, train_anomaly
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.explain import COLUMNS, explain

PLANTED = "d"
SAMPLES = 600  # KernelExplainer evaluations per row: additivity holds exactly at any number


def _shifted(result, column: str) -> pd.DataFrame:
    """Four normal test rows with one column alone pushed six training standard deviations off the plane."""
    test = result.frames["test"]
    rows = test[test["y"] == 0].iloc[:4].copy()
    rows[column] += 6 * result.frames["train"][column].std()
    return rows


@pytest.fixture(scope="module")
def shifted(planted_result):
    return _shifted(planted_result, PLANTED)


@pytest.fixture(scope="module")
def planted_rows(shifted):
    return list(shifted.index)


def _weights(result, case) -> pd.Series:
    rows = result.frame[result.frame["case"] == case]
    return rows.set_index("feature")["feature_weight"]


@pytest.mark.parametrize("column", ["a", "b", "c", "d", "e"])
def test_shap_blames_the_one_field_pushed_off_the_plane(planted_result, column):
    rows = _shifted(planted_result, column)
    shap = explain_anomalies(planted_result, rows, rows=list(rows.index), methods="shap", n_samples=SAMPLES)["shap"]
    for case in rows.index:
        weights = _weights(shap, case)
        assert weights.abs().idxmax() == column and weights[column] > 0  # it pushes the score up


@pytest.mark.parametrize("column", ["a", "b", "d"])
def test_the_largest_reconstruction_error_is_on_the_field_pushed_off_the_plane(planted_result, column):
    """Not so for c, which a and b predict almost exactly: the network rebuilds c from them and
    leaves the error on other columns (see pyanalytics.anomaly.explain); SHAP above still names c."""
    rows = _shifted(planted_result, column)
    explanation = explain_anomalies(planted_result, rows, rows=list(rows.index), methods="reconstruction")
    for case in rows.index:
        assert _weights(explanation["reconstruction"], case).idxmax() == column
    assert set(explanation.to_frame()["label"]) == {"anomaly"}


def test_reconstruction_errors_average_to_the_score_and_shap_adds_up_to_it(planted_result, shifted, planted_rows):
    explanation = explain_anomalies(planted_result, shifted, rows=planted_rows, n_samples=SAMPLES)
    test = shifted
    scores = planted_result.estimator.anomaly_score(planted_result.preprocessing.features(test))
    reconstruction = explanation["reconstruction"].frame
    by_case = reconstruction.groupby("case", sort=False)
    np.testing.assert_allclose(by_case["feature_weight"].mean(), scores, rtol=1e-5)
    np.testing.assert_allclose(by_case["label_prob"].first(), scores, rtol=1e-12)
    np.testing.assert_allclose(by_case["model_prediction"].first(), scores, rtol=1e-5)
    shap = explanation["shap"].frame.groupby("case", sort=False)
    np.testing.assert_allclose(shap["feature_weight"].sum() + shap["base_value"].first(), scores, rtol=1e-5)
    assert explanation["shap"].quality["additivity_max_error"] < 1e-5 * max(1.0, scores.max())
    values = reconstruction.set_index(["case", "feature"])["feature_value"]
    assert values[(planted_rows[0], PLANTED)] == test.loc[planted_rows[0], PLANTED]  # original units


def test_by_default_the_flagged_test_rows_are_explained_and_top_keeps_the_highest_scores(planted_result):
    test = planted_result.frames["test"]
    scores = pd.Series(planted_result.estimator.anomaly_score(planted_result.preprocessing.features(test)),
                       index=test.index)
    flagged = scores[scores >= planted_result.estimator.threshold_]
    every = explain_anomalies(planted_result, methods="reconstruction")["reconstruction"]
    assert every.cases == list(flagged.index)
    top = explain_anomalies(planted_result, top=3, methods=["reconstruction"])["reconstruction"]
    assert top.cases == list(flagged.sort_values(ascending=False).index[:3])


def test_a_chosen_normal_row_is_labelled_normal(planted_result):
    test = planted_result.frames["test"]
    scores = planted_result.estimator.anomaly_score(planted_result.preprocessing.features(test))
    quiet = test.index[int(np.argmin(scores))]
    frame = explain_anomalies(planted_result, rows=[quiet], methods="reconstruction").to_frame()
    assert set(frame["label"]) == {"normal"} and frame["label_prob"].iloc[0] < planted_result.estimator.threshold_


def test_a_rows_shap_values_ignore_which_rows_come_with_it(planted_result, shifted, planted_rows):
    alone = explain_anomalies(planted_result, shifted, rows=planted_rows[1:2], methods="shap", n_samples=SAMPLES)["shap"]
    together = explain_anomalies(planted_result, shifted, rows=planted_rows[:2], methods="shap", n_samples=SAMPLES)["shap"]
    np.testing.assert_array_equal(_weights(alone, planted_rows[1]), _weights(together, planted_rows[1]))


def test_the_core_explain_reaches_the_anomaly_explainer_for_a_result_and_a_bundle_path(planted_result, shifted,
                                                                                      planted_rows, tmp_path):
    core = explain(planted_result, method="reconstruction", last=2)
    assert core.task == "anomaly" and core.explains("anomaly") == "the anomaly score, as their mean"
    pd.testing.assert_frame_equal(core.frame, explain_anomalies(planted_result, top=2)["reconstruction"].frame)
    path = planted_result.save(tmp_path / "detector")
    train = planted_result.frames["train"]
    from_bundle = explain(path, shifted, method="shap", rows=planted_rows[:2], background=train, n_samples=SAMPLES)
    from_result = explain_anomalies(planted_result, shifted, rows=planted_rows[:2], methods="shap",
                                    n_samples=SAMPLES)["shap"]
    assert from_bundle.explainer == "KernelExplainer" and from_bundle.explains("anomaly") == "the anomaly score"
    pd.testing.assert_frame_equal(from_bundle.frame, from_result.frame, rtol=1e-5)


def test_a_bundle_takes_its_background_from_the_normal_rows_of_the_frame(planted_result, tmp_path):
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(planted_result.save(tmp_path / "detector"))
    test = planted_result.frames["test"]
    own = explain_anomalies(bundle, test, top=1, methods="shap", n_samples=SAMPLES)["shap"]
    given = explain_anomalies(bundle, test, top=1, methods="shap", n_samples=SAMPLES,
                              background=test[test["y"] == 0])["shap"]
    pd.testing.assert_frame_equal(own.frame, given.frame)
    training = explain_anomalies(bundle, test, top=1, methods="shap", n_samples=SAMPLES,
                                 background=planted_result.frames["train"])["shap"]
    assert not np.allclose(own.frame["base_value"], training.frame["base_value"])  # another background
    with pytest.raises(DataError, match=r"background: the rows of frame labelled 0 in 'y' holds no row"):
        explain_anomalies(bundle, test[test["y"] == 1], methods="shap")


def test_unknown_row_labels_are_named(planted_result):
    with pytest.raises(DataError, match=r"rows: 70000, 80000 are not row labels of the data \(its labels run from \d+ to \d+\)"):
        explain_anomalies(planted_result, rows=[70000, 80000])


def test_bad_arguments_are_refused_in_one_line(planted_result, planted):
    train = planted_result.frames["train"]
    calm = train[planted_result.estimator.flag(planted_result.preprocessing.features(train)) == 0].iloc[:20]
    cases = [
        (lambda: explain_anomalies(planted_result, methods=("lime",)), ParameterError, r"methods: expected one or more of 'reconstruction', 'shap'"),
        (lambda: explain_anomalies(planted_result, top=0), ParameterError, r"top: "),
        (lambda: explain_anomalies(planted_result, calm), DataError, r"rows: none of the 20 rows is flagged"),
        (lambda: explain_anomalies(planted_result, planted.drop(columns="b")), DataError, r"column 'b' is not in the data"),
        (lambda: explain_anomalies(planted_result.estimator), ParameterError, r"model: expected an AnomalyResult, an AnomalyBundle"),
        (lambda: explain(planted_result, method="lime"), ParameterError, r"method: an anomaly detector is explained by"),
        (lambda: explain(planted_result, dates=["2020-01-02"]), ParameterError, r"dates: an anomaly detector explains"),
        (lambda: explain(planted_result, explainer="gradient"), ParameterError, r"explainer: .*'kernel'"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message) as caught:
            call()
        assert "\n" not in str(caught.value)


def test_pyanalytics_explain_stays_the_function_whatever_was_imported_first():
    """Importing the ``pyanalytics.explain`` package (the domain's report does) binds it as
    ``pa.explain``; called, the package is the function."""
    code = ("import pyanalytics as pa, pyanalytics.anomaly.report, pyanalytics.explain\n"
            "try:\n    pa.explain(None)\nexcept pa.errors.ParameterError as error:\n    print(error)")
    run = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert run.stdout.startswith("model: expected a TrainingResult")


# --- the real credit-card data -----------------------------------------------------------------


@pytest.fixture(scope="module")
def creditcard(shared_data):
    path = shared_data("tabular/creditcard_fraud_enriched.csv")
    return train_anomaly(path, label="Class", time_column="Time", amount_column="Amount", seed=0,
                         hidden_units=(16,), code_size=4, epochs=5)


def test_five_credit_card_alerts_are_explained_tidily_and_additively(creditcard):
    explanation = explain_anomalies(creditcard, top=5, n_samples=1000)
    frame = explanation.to_frame()
    features = list(creditcard.preprocessing.feature_names)
    assert list(frame.columns) == list(COLUMNS) and len(features) == 29  # Time orders the split, not a feature
    assert len(frame) == 2 * 5 * len(features)
    assert not frame.duplicated(["method", "case", "feature"]).any()
    for _, rows in frame.groupby(["method", "case"]):
        assert list(rows["feature"]) == features
    test = creditcard.frames["test"]
    scores = pd.Series(creditcard.estimator.anomaly_score(creditcard.preprocessing.features(test)), index=test.index)
    assert explanation.cases == list(scores.sort_values(ascending=False).index[:5])
    assert set(frame["label"]) == {"anomaly"}
    shap = explanation["shap"].frame.groupby("case", sort=False)
    np.testing.assert_allclose(shap["feature_weight"].sum() + shap["base_value"].first(),
                               scores[explanation.cases], rtol=1e-5)
    reconstruction = explanation["reconstruction"].frame.groupby("case", sort=False)
    np.testing.assert_allclose(reconstruction["feature_weight"].mean(), scores[explanation.cases], rtol=1e-5)
    assert (explanation["reconstruction"].frame["feature_weight"] >= 0).all()
